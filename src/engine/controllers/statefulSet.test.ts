import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { clusterHarness } from '../testing/clusterHarness';
import { planStatefulSet, updateRevisionName } from './statefulSetUtil';

type Obj = Record<string, unknown>;

/** A cluster: the leading kube-controller-manager runs the StatefulSet controller. */
function setup() {
  const h = clusterHarness();
  const create = (replicas: number, spec: Obj = {}): KubeObject => h.ok({ verb: 'create', namespace: 'default', body: sts('web', replicas, spec) });
  const podNames = (): string[] => h.names('pods').sort();
  const isReady = (p: KubeObject | undefined): boolean => ((p?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  /** Runs in 1 s steps, noting each pod's name the first time it appears and when each becomes Ready. */
  const watchFor = (ms: number): string[] => {
    const seen = new Set<string>();
    const log: string[] = [];
    for (let t = 0; t < ms; t += 1_000) {
      h.run(1_000);
      for (const p of h.list('pods', 'default')) {
        const n = p.metadata.name ?? '';
        if (!seen.has(n)) log.push(`+${n}`);
        seen.add(n);
        if (isReady(p) && !seen.has(`ready ${n}`)) {
          seen.add(`ready ${n}`);
          log.push(`ready ${n}`);
        }
      }
    }
    return log;
  };
  const scale = (replicas: number): void => {
    h.ok({ verb: 'patch', resource: 'statefulsets', namespace: 'default', name: 'web', patchType: 'merge', patch: JSON.stringify({ spec: { replicas } }) });
  };
  return { ...h, create, podNames, isReady, watchFor, scale };
}

/** The kubernetes.io tutorial's StatefulSet "web" (nginx, serviceName nginx), without its claims unless given. */
function sts(name: string, replicas: number, spec: Obj = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      replicas,
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'nginx' } },
      template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ name: 'web', containerPort: 80 }] }] } },
      ...spec,
    },
  };
}

const status = (o: KubeObject | undefined): Obj => (o?.status ?? {}) as Obj;

describe('StatefulSet controller', () => {
  it('creates web-0, then web-1 once web-0 is Ready, then web-2, with stable identities', () => {
    const { create, watchFor, get, events } = setup();
    const set = create(3);
    const log = watchFor(40_000);
    // Each pod appears only after the one before it is Ready.
    expect(log).toEqual(['+web-0', 'ready web-0', '+web-1', 'ready web-1', '+web-2', 'ready web-2']);
    const pod = get('pods', 'web-1') as KubeObject;
    const revision = status(get('statefulsets', 'web')).updateRevision as string;
    expect(revision).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(pod.metadata.labels).toEqual({ app: 'nginx', 'controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1' });
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect([(pod.spec as Obj).hostname, (pod.spec as Obj).subdomain]).toEqual(['web-1', 'nginx']);
    expect(status(get('statefulsets', 'web'))).toEqual({
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
      availableReplicas: 3,
    });
    expect(events('web')).toEqual(['SuccessfulCreate: create Pod web-0 in StatefulSet web successful', 'SuccessfulCreate: create Pod web-1 in StatefulSet web successful', 'SuccessfulCreate: create Pod web-2 in StatefulSet web successful']);
  });

  it('recreates a deleted pod under the same name, and scales down from the highest ordinal, one at a time', () => {
    const { create, ok, get, podNames, scale, events, run } = setup();
    // A shell that ignores SIGTERM, with a 3 s grace period: each pod takes 3 s to go, so the order shows.
    const slow = { metadata: { labels: { app: 'nginx' } }, spec: { terminationGracePeriodSeconds: 3, containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] }] } };
    create(3, { template: slow });
    run(40_000);
    const uid = get('pods', 'web-1')?.metadata.uid;
    ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'web-1' });
    run(20_000);
    expect(podNames()).toEqual(['web-0', 'web-1', 'web-2']);
    expect(get('pods', 'web-1')?.metadata.uid).not.toBe(uid);

    scale(1);
    // OrderedReady: web-1 is only marked for deletion once web-2 is completely gone (it takes 3 s to go).
    let web2WhenWeb1Marked: KubeObject | undefined | 'never' = 'never';
    for (let t = 0; t < 300 && web2WhenWeb1Marked === 'never'; t++) {
      run(100);
      if (get('pods', 'web-1')?.metadata.deletionTimestamp !== undefined) web2WhenWeb1Marked = get('pods', 'web-2');
    }
    expect(web2WhenWeb1Marked).toBeUndefined();
    run(10_000);
    expect(podNames()).toEqual(['web-0']);
    expect(events('web').filter((e) => e.startsWith('SuccessfulDelete'))).toEqual(['SuccessfulDelete: delete Pod web-2 in StatefulSet web successful', 'SuccessfulDelete: delete Pod web-1 in StatefulSet web successful']);
    expect(status(get('statefulsets', 'web'))).toMatchObject({ replicas: 1, readyReplicas: 1, availableReplicas: 1 });
  });

  it('creates every pod at once with the Parallel policy', () => {
    const { create, run, podNames } = setup();
    create(3, { podManagementPolicy: 'Parallel' });
    run(1_000);
    expect(podNames()).toEqual(['web-0', 'web-1', 'web-2']);
  });

  it('creates each replica its claim www-web-N before the pod, and keeps the claims on scale-down', () => {
    const { create, run, list, get, events, scale } = setup();
    create(2, { volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] });
    run(40_000);
    const claims = list('persistentvolumeclaims', 'default');
    // The default class provisions each claim once its pod is scheduled (WaitForFirstConsumer).
    expect(claims.map((c) => `${c.metadata.name ?? ''} ${String((c.status as Obj).phase)}`)).toEqual(['www-web-0 Bound', 'www-web-1 Bound']);
    expect(claims[0]?.metadata.labels).toEqual({ app: 'nginx' });
    expect((claims[0]?.spec as Obj).resources).toEqual({ requests: { storage: '1Gi' } });
    expect(((get('pods', 'web-0')?.spec as Obj).volumes as Obj[])[0]).toEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } });
    expect(events('web').slice(0, 2)).toEqual(['SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success', 'SuccessfulCreate: create Pod web-0 in StatefulSet web successful']);
    scale(0);
    run(40_000);
    expect(get('pods', 'web-0')).toBeUndefined();
    // whenScaled: Retain (the default) keeps the data.
    expect(list('persistentvolumeclaims', 'default').map((c) => c.metadata.name)).toEqual(['www-web-0', 'www-web-1']);
  });

  it('rolls a new template from the highest ordinal down, one pod at a time', () => {
    const { create, ok, run, get } = setup();
    create(3);
    run(40_000);
    const before = status(get('statefulsets', 'web')).currentRevision as string;
    ok({ verb: 'patch', resource: 'statefulsets', namespace: 'default', name: 'web', patchType: 'merge', patch: JSON.stringify({ spec: { template: { metadata: { labels: { app: 'nginx', v: '2' } } } } }) });
    run(3_000);
    const mid = status(get('statefulsets', 'web'));
    expect(mid.updateRevision).not.toBe(before);
    expect(mid.currentRevision).toBe(before);
    expect(get('pods', 'web-2')?.metadata.labels?.v).toBe('2');
    expect(get('pods', 'web-0')?.metadata.labels?.v).toBeUndefined();
    run(60_000);
    const end = status(get('statefulsets', 'web'));
    expect(end.currentRevision).toBe(end.updateRevision);
    expect(end).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3 });
    expect(['web-0', 'web-1', 'web-2'].map((n) => get('pods', n)?.metadata.labels?.v)).toEqual(['2', '2', '2']);
  });
});

describe('statefulSetUtil', () => {
  const set = sts('web', 3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
  const pod = (n: number, rev: string, ready = true): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${n}`, labels: { 'controller-revision-hash': rev } },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });

  it('only updates ordinals at or above the partition', () => {
    const steps = planStatefulSet(set, [pod(0, 'old'), pod(1, 'old'), pod(2, 'new')], 'new', 0).steps;
    expect(steps).toEqual([]);
    const first = planStatefulSet(set, [pod(0, 'old'), pod(1, 'old'), pod(2, 'old')], 'new', 0).steps;
    expect(first.map((s) => (s.kind === 'delete' ? s.pod.metadata.name : s.kind))).toEqual(['web-2']);
  });

  it('waits for a not-ready lower ordinal before creating the next (OrderedReady)', () => {
    expect(planStatefulSet(sts('web', 3), [pod(0, 'r', false)], 'r', 0).steps).toEqual([{ kind: 'wait' }]);
  });

  it('names the revision after the set and changes it with the template', () => {
    const a = updateRevisionName(sts('web', 1));
    const b = updateRevisionName(sts('web', 5));
    const c = updateRevisionName(sts('web', 1, { template: { metadata: { labels: { app: 'nginx', v: '2' } }, spec: {} } }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
});
