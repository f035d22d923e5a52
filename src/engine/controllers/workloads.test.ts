import { describe, expect, it } from 'vitest';
import { rolloutUndo } from '../../kubectl/rollout';
import type { ApiCallResult, ApiClient, WatchUpdate } from '../apiserver/apiClient';
import type { ApiResult, KubeObject } from '../apiserver/apiObjects';
import type { ApiRequest } from '../apiserver/apiProtocol';
import { clusterHarness } from '../testing/clusterHarness';
import { parseRfc3339, rfc3339 } from '../virtualTime';
import { World } from '../world';
import { DeploymentController } from './deploymentController';
import { podsToDelete } from './podUtil';
import { ReplicaSetController } from './replicaSetController';

type Obj = Record<string, unknown>;

/**
 * A cluster (kubelets and scheduler included) whose ReplicaSets and Deployments are run by one
 * instance of each controller under test. The controller managers are stopped, so that no
 * second instance (once they run these controllers too) races ours.
 */
function setup() {
  const h = clusterHarness();
  const { cluster } = h;
  for (const kcm of cluster.controllerManagers.values()) kcm.stop();
  new ReplicaSetController(cluster.world, cluster.apiClient('console', 'replicaset-controller')).start();
  new DeploymentController(cluster.world, cluster.apiClient('console', 'deployment-controller')).start();
  const world = cluster.world;
  const get = (resource: string, name: string): KubeObject => {
    const o = h.get(resource, name);
    if (o === undefined) throw new Error(`${resource}/${name} not found`);
    return o;
  };
  /** Reads, changes and writes back an object, as `kubectl edit` does (again if a controller wrote in between). */
  const edit = (resource: string, name: string, change: (o: KubeObject) => KubeObject | void): void => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const o = get(resource, name);
      const body = change(o) ?? o;
      const r = h.call({ verb: 'update', namespace: 'default', body });
      if (!('error' in r)) return;
      if (r.code !== 409) throw new Error(String(r.error));
    }
    throw new Error(`${resource}/${name}: conflicts`);
  };
  /** Runs the world in small steps until `done` holds (checking `always` after every step). */
  const runUntil = (done: () => boolean, limitMs: number, always: () => void = () => undefined): void => {
    const end = world.now + limitMs;
    while (!done()) {
      if (world.now >= end) throw new Error(`not reached within ${limitMs} ms`);
      world.runFor(100);
      always();
    }
  };
  const replicaSets = (): Record<string, number> => Object.fromEntries(h.list('replicasets', 'default').map((rs) => [rs.metadata.name ?? '', spec(rs).replicas as number]));
  const pods = (): KubeObject[] => h.list('pods', 'default');
  const complete = (name: string): boolean => {
    const d = get('deployments', name);
    const s = status(d);
    return s.observedGeneration === d.metadata.generation && s.updatedReplicas === spec(d).replicas && s.replicas === spec(d).replicas && s.availableReplicas === spec(d).replicas;
  };
  return { ...h, world, get, edit, runUntil, replicaSets, pods, complete };
}

/** What `kubectl create deployment NAME --image=nginx --replicas=N` creates, with more spec fields if given. */
function deployment(name: string, replicas: number, more: Obj = {}, podSpec: Obj = { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] }): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec }, ...more },
  };
}

/** Pods that take their time to stop: sleep as PID 1 ignores SIGTERM and is killed when the grace period ends. */
const SLOW_TO_STOP: Obj = { terminationGracePeriodSeconds: 10, containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] };

const spec = (o: KubeObject): Obj => (o.spec ?? {}) as Obj;
const status = (o: KubeObject): Obj => (o.status ?? {}) as Obj;
const setImage = (image: string) => (d: KubeObject) => {
  (((spec(d).template as Obj).spec as Obj).containers as Obj[]).forEach((c) => (c.image = image));
};
const setReplicas = (n: number) => (d: KubeObject) => {
  spec(d).replicas = n;
};
const conditions = (o: KubeObject): string[] => ((status(o).conditions ?? []) as Obj[]).map((c) => `${String(c.type)} ${String(c.status)} ${String(c.reason)}: ${String(c.message)}`);
const condition = (o: KubeObject, type: string): Obj | undefined => ((status(o).conditions ?? []) as Obj[]).find((c) => c.type === type);
const isReady = (p: KubeObject): boolean => ((status(p).conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True');
const terminating = (p: KubeObject): boolean => p.metadata.deletionTimestamp !== undefined;
const hashOf = (o: KubeObject): string => o.metadata.labels?.['pod-template-hash'] ?? '';
const NGINX_RS = 'nginx-676b6c5bbc';

describe('a Deployment, its ReplicaSet and their pods', () => {
  it('makes one ReplicaSet named by the pod-template-hash, with 3 pods it owns', () => {
    const { ok, list, get, events, run, pods } = setup();
    const d = ok({ verb: 'create', namespace: 'default', body: deployment('nginx', 3) });
    run(2_000);
    // `kubectl create deployment nginx --image=nginx` makes nginx-676b6c5bbc on a v1.31 cluster.
    const [rs, ...others] = list('replicasets', 'default');
    expect(others).toEqual([]);
    expect(rs?.metadata.name).toBe(NGINX_RS);
    expect(rs?.metadata.labels).toEqual({ app: 'nginx', 'pod-template-hash': '676b6c5bbc' });
    expect(rs?.metadata.annotations).toEqual({ 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4', 'deployment.kubernetes.io/revision': '1' });
    expect(rs?.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(spec(rs as KubeObject).selector).toEqual({ matchLabels: { app: 'nginx', 'pod-template-hash': '676b6c5bbc' } });
    expect(pods()).toHaveLength(3);
    for (const p of pods()) {
      expect(p.metadata.name).toMatch(/^nginx-676b6c5bbc-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.labels).toEqual({ app: 'nginx', 'pod-template-hash': '676b6c5bbc' });
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: NGINX_RS, uid: rs?.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const after = get('deployments', 'nginx');
    expect(after.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect(status(after)).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, unavailableReplicas: 3 });
    expect(conditions(after)).toEqual(['Available False MinimumReplicasUnavailable: Deployment does not have minimum availability.', `Progressing True ReplicaSetUpdated: ReplicaSet "${NGINX_RS}" is progressing.`]);
    expect(events('nginx')).toEqual([`ScalingReplicaSet: Scaled up replica set ${NGINX_RS} to 3`]);
    expect(events(NGINX_RS).sort()).toEqual(pods().map((p) => `SuccessfulCreate: Created pod: ${p.metadata.name ?? ''}`).sort());
    const sources = list('events', 'default').map((e) => `${String(e.reason)} ${String((e.source as Obj).component)}`);
    expect(sources).toContain('ScalingReplicaSet deployment-controller');
    expect(sources).toContain('SuccessfulCreate replicaset-controller');
  });

  it('counts pods Ready as the kubelet reports them, and then the Deployment is Available', () => {
    const { ok, get, runUntil } = setup();
    ok({ verb: 'create', namespace: 'default', body: deployment('nginx', 3) });
    runUntil(() => status(get('deployments', 'nginx')).availableReplicas === 3, 60_000);
    const d = get('deployments', 'nginx');
    expect(status(d)).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(status(d).unavailableReplicas).toBeUndefined();
    expect(conditions(d)).toEqual(['Available True MinimumReplicasAvailable: Deployment has minimum availability.', `Progressing True NewReplicaSetAvailable: ReplicaSet "${NGINX_RS}" has successfully progressed.`]);
    expect(status(get('replicasets', NGINX_RS))).toEqual({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
  });

  it('counts a pod available only once it has been Ready for minReadySeconds', () => {
    const { ok, get, runUntil, run, world } = setup();
    ok({ verb: 'create', namespace: 'default', body: deployment('nginx', 3, { minReadySeconds: 10 }) });
    runUntil(() => status(get('deployments', 'nginx')).readyReplicas === 3, 60_000);
    const ready = world.now;
    expect(spec(get('replicasets', NGINX_RS)).minReadySeconds).toBe(10);
    expect(status(get('deployments', 'nginx'))).toMatchObject({ readyReplicas: 3, unavailableReplicas: 3 });
    expect(conditions(get('deployments', 'nginx'))[0]).toBe('Available False MinimumReplicasUnavailable: Deployment does not have minimum availability.');
    run(8_000);
    expect(status(get('deployments', 'nginx')).availableReplicas).toBeUndefined();
    runUntil(() => status(get('deployments', 'nginx')).availableReplicas === 3, 10_000);
    // Ready at most a second before we saw it, available ten seconds on (and a second for the controller's look again).
    expect(world.now - ready).toBeGreaterThanOrEqual(9_000);
    expect(world.now - ready).toBeLessThanOrEqual(12_500);
    expect(conditions(get('deployments', 'nginx'))[0]).toBe('Available True MinimumReplicasAvailable: Deployment has minimum availability.');
  });

  it('replaces a deleted pod at once, while the old one is still terminating', () => {
    const { ok, get, runUntil, pods, world, events } = setup();
    ok({ verb: 'create', namespace: 'default', body: deployment('nginx', 3) });
    runUntil(() => status(get('deployments', 'nginx')).availableReplicas === 3, 60_000);
    const before = pods().map((p) => p.metadata.name);
    const victim = before[0] ?? '';
    ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: victim });
    for (let i = 0; i < 1_000 && pods().every((p) => before.includes(p.metadata.name)); i++) world.runFor(10);
    const now = pods();
    expect(now.filter(terminating).map((p) => p.metadata.name)).toEqual([victim]);
    const replacement = now.find((p) => !before.includes(p.metadata.name))?.metadata.name ?? '';
    expect(replacement).toMatch(/^nginx-676b6c5bbc-/);
    runUntil(() => pods().length === 3 && !pods().some(terminating), 60_000);
    expect(events(NGINX_RS)).toContain(`SuccessfulCreate: Created pod: ${replacement}`);
  });
});

describe('rolling updates', () => {
  it('never has more than replicas + maxSurge pods, nor fewer than replicas - maxUnavailable available (25% of 3: 1 and 0)', () => {
    const { ok, edit, get, runUntil, pods, replicaSets, events, complete } = setup();
    ok({ verb: 'create', namespace: 'default', body: deployment('nginx', 3) });
    runUntil(() => complete('nginx'), 60_000);
    edit('deployments', 'nginx', setImage('nginx:1.27'));
    let lowest = Infinity;
    let highest = 0;
    runUntil(
      () => complete('nginx'),
      120_000,
      () => {
        const live = pods().filter((p) => !terminating(p));
        highest = Math.max(highest, live.length, Object.values(replicaSets()).reduce((a, b) => a + b, 0));
        lowest = Math.min(lowest, live.filter(isReady).length);
      },
    );
    expect([lowest, highest]).toEqual([3, 4]);
    const next = Object.keys(replicaSets()).find((n) => n !== NGINX_RS) ?? '';
    expect(replicaSets()).toEqual({ [NGINX_RS]: 0, [next]: 3 });
    expect(events('nginx')).toEqual([
      `ScalingReplicaSet: Scaled up replica set ${NGINX_RS} to 3`,
      `ScalingReplicaSet: Scaled up replica set ${next} to 1`,
      `ScalingReplicaSet: Scaled down replica set ${NGINX_RS} to 2 from 3`,
      `ScalingReplicaSet: Scaled up replica set ${next} to 2 from 1`,
      `ScalingReplicaSet: Scaled down replica set ${NGINX_RS} to 1 from 2`,
      `ScalingReplicaSet: Scaled up replica set ${next} to 3 from 2`,
      `ScalingReplicaSet: Scaled down replica set ${NGINX_RS} to 0 from 1`,
    ]);
    const rs = get('replicasets', next);
    expect(rs.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(next).toBe(`nginx-${hashOf(rs)}`);
    expect(get('deployments', 'nginx').metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '2' });
  });

  it('goes only as fast as new pods become ready: an image that cannot be pulled stalls it, then the deadline passes', () => {
    const { ok, edit, get, runUntil, run, replicaSets, world, complete } = setup();
    ok({ verb: 'create', namespace: 'default', body: deployment('nginx', 3) });
    runUntil(() => complete('nginx'), 60_000);
    edit('deployments', 'nginx', setImage('ngnix'));
    run(60_000);
    const next = Object.keys(replicaSets()).find((n) => n !== NGINX_RS) ?? '';
    expect(replicaSets()).toEqual({ [NGINX_RS]: 3, [next]: 1 });
    const stalled = get('deployments', 'nginx');
    expect(status(stalled)).toMatchObject({ replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1 });
    expect(conditions(stalled)).toEqual(['Available True MinimumReplicasAvailable: Deployment has minimum availability.', `Progressing True ReplicaSetUpdated: ReplicaSet "${next}" is progressing.`]);
    // progressDeadlineSeconds defaults to 600, counted from the last progress.
    const progressed = parseRfc3339(String(condition(stalled, 'Progressing')?.lastUpdateTime)) ?? 0;
    world.runUntil(progressed + 599_000);
    expect(condition(get('deployments', 'nginx'), 'Progressing')?.reason).toBe('ReplicaSetUpdated');
    world.runUntil(progressed + 603_000);
    const late = get('deployments', 'nginx');
    expect(conditions(late)[1]).toBe(`Progressing False ProgressDeadlineExceeded: ReplicaSet "${next}" has timed out progressing.`);
    expect(replicaSets()).toEqual({ [NGINX_RS]: 3, [next]: 1 });
  });

  it('scales proportionally during a rollout (10 replicas, maxSurge 3, maxUnavailable 2, scaled to 15: old 8 → 11, new 5 → 7)', () => {
    const { ok, edit, runUntil, run, replicaSets, events, complete } = setup();
    ok({ verb: 'create', namespace: 'default', body: deployment('nginx', 10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }) });
    runUntil(() => complete('nginx'), 120_000);
    edit('deployments', 'nginx', setImage('ngnix'));
    run(30_000);
    const next = Object.keys(replicaSets()).find((n) => n !== NGINX_RS) ?? '';
    expect(replicaSets()).toEqual({ [NGINX_RS]: 8, [next]: 5 });
    edit('deployments', 'nginx', setReplicas(15));
    run(10_000);
    expect(replicaSets()).toEqual({ [NGINX_RS]: 11, [next]: 7 });
    expect(events('nginx').slice(-2)).toEqual([`ScalingReplicaSet: Scaled up replica set ${NGINX_RS} to 11 from 8`, `ScalingReplicaSet: Scaled up replica set ${next} to 7 from 5`]);
  });

  it('reuses the old ReplicaSet on a rollback (kubectl rollout undo), bumping its revision', () => {
    const { ok, edit, get, list, runUntil, replicaSets, complete } = setup();
    ok({ verb: 'create', namespace: 'default', body: deployment('nginx', 3) });
    runUntil(() => complete('nginx'), 60_000);
    edit('deployments', 'nginx', setImage('nginx:1.27'));
    runUntil(() => complete('nginx'), 120_000);
    edit('deployments', 'nginx', (d) => {
      const undo = rolloutUndo(d, list('replicasets', 'default'));
      if ('error' in undo || undo.object === undefined) throw new Error('no rollback');
      return undo.object;
    });
    runUntil(() => complete('nginx'), 120_000);
    const next = Object.keys(replicaSets()).find((n) => n !== NGINX_RS) ?? '';
    expect(replicaSets()).toEqual({ [NGINX_RS]: 3, [next]: 0 });
    const reused = get('replicasets', NGINX_RS).metadata.annotations ?? {};
    expect([reused['deployment.kubernetes.io/revision'], reused['deployment.kubernetes.io/revision-history']]).toEqual(['3', '1']);
    expect(get('deployments', 'nginx').metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('keeps revisionHistoryLimit old ReplicaSets: with 1, only the previous revision stays', () => {
    const { ok, edit, get, runUntil, list, complete } = setup();
    ok({ verb: 'create', namespace: 'default', body: deployment('nginx', 2, { revisionHistoryLimit: 1 }) });
    runUntil(() => complete('nginx'), 60_000);
    for (const image of ['nginx:1.26', 'nginx:1.27']) {
      edit('deployments', 'nginx', setImage(image));
      runUntil(() => complete('nginx') && list('replicasets', 'default').length <= 2, 120_000);
    }
    const revisions = list('replicasets', 'default').map((rs) => `${rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? ''}:${String(spec(rs).replicas)}`);
    expect(revisions.sort()).toEqual(['2:0', '3:2']);
    expect(list('replicasets', 'default').some((rs) => rs.metadata.name === NGINX_RS)).toBe(false);
    expect(get('deployments', 'nginx').metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  });
});

describe('Recreate, scaling and pausing', () => {
  it('Recreate: scales the old ReplicaSet to zero and waits until its pods are gone before creating the new one', () => {
    const { ok, edit, get, runUntil, pods, events, complete, replicaSets } = setup();
    ok({ verb: 'create', namespace: 'default', body: deployment('app', 3, { strategy: { type: 'Recreate' } }, SLOW_TO_STOP) });
    runUntil(() => complete('app'), 60_000);
    const [first = ''] = Object.keys(replicaSets());
    const oldHash = first.slice('app-'.length);
    edit('deployments', 'app', setImage('busybox:1.36'));
    let terminatingAlone = 0;
    runUntil(
      () => complete('app'),
      120_000,
      () => {
        const hashes = new Set(pods().map(hashOf));
        expect(hashes.has(oldHash) && hashes.size > 1).toBe(false);
        if (pods().length > 0 && pods().every(terminating)) {
          terminatingAlone++;
          expect(Object.keys(replicaSets())).toEqual([first]);
        }
      },
    );
    // Seconds of grace (sleep ignores SIGTERM), watched every 100 ms: the new ReplicaSet waited them out.
    expect(terminatingAlone).toBeGreaterThan(20);
    const next = Object.keys(replicaSets()).find((n) => n !== first) ?? '';
    expect(events('app')).toEqual([`ScalingReplicaSet: Scaled up replica set ${first} to 3`, `ScalingReplicaSet: Scaled down replica set ${first} to 0 from 3`, `ScalingReplicaSet: Scaled up replica set ${next} to 3`]);
    // Recreate allows no surge.
    expect(get('replicasets', next).metadata.annotations?.['deployment.kubernetes.io/max-replicas']).toBe('3');
  });

  it('scales the ReplicaSet with the Deployment, and scales down the pods that are least ready first', () => {
    const { ok, edit, runUntil, run, pods, replicaSets, events, complete, get } = setup();
    ok({ verb: 'create', namespace: 'default', body: deployment('nginx', 3) });
    runUntil(() => complete('nginx'), 60_000);
    const ready = pods().map((p) => p.metadata.name);
    edit('deployments', 'nginx', setReplicas(5));
    run(500);
    expect(replicaSets()).toEqual({ [NGINX_RS]: 5 });
    // 25% of 5: a surge of 2.
    expect(get('replicasets', NGINX_RS).metadata.annotations?.['deployment.kubernetes.io/max-replicas']).toBe('7');
    edit('deployments', 'nginx', setReplicas(3));
    run(500);
    // The two new pods were not ready yet: they go, the ready ones stay.
    expect(pods().filter((p) => !terminating(p)).map((p) => p.metadata.name)).toEqual(ready);
    expect(events('nginx').slice(1)).toEqual([`ScalingReplicaSet: Scaled up replica set ${NGINX_RS} to 5 from 3`, `ScalingReplicaSet: Scaled down replica set ${NGINX_RS} to 3 from 5`]);
  });

  it('does not roll out a paused Deployment, but scales it; resumed, it rolls out', () => {
    const { ok, edit, get, runUntil, run, replicaSets, complete } = setup();
    ok({ verb: 'create', namespace: 'default', body: deployment('nginx', 3) });
    runUntil(() => complete('nginx'), 60_000);
    edit('deployments', 'nginx', (d) => {
      spec(d).paused = true;
    });
    edit('deployments', 'nginx', setImage('nginx:1.27'));
    run(20_000);
    expect(replicaSets()).toEqual({ [NGINX_RS]: 3 });
    expect(conditions(get('deployments', 'nginx'))[1]).toBe('Progressing Unknown DeploymentPaused: Deployment is paused');
    edit('deployments', 'nginx', setReplicas(4));
    run(2_000);
    expect(replicaSets()).toEqual({ [NGINX_RS]: 4 });
    edit('deployments', 'nginx', (d) => {
      spec(d).paused = false;
    });
    run(1_000);
    expect(Object.keys(replicaSets())).toHaveLength(2);
    runUntil(() => complete('nginx'), 120_000);
    const next = Object.keys(replicaSets()).find((n) => n !== NGINX_RS) ?? '';
    expect(replicaSets()).toEqual({ [NGINX_RS]: 0, [next]: 4 });
  });
});

describe('ReplicaSet ownership', () => {
  it('adopts a matching orphan pod instead of creating one, and releases a pod whose labels stop matching', () => {
    const { ok, get, run, pods } = setup();
    const orphan: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } };
    ok({ verb: 'create', namespace: 'default', body: orphan });
    const rs = ok({
      verb: 'create',
      namespace: 'default',
      body: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } } },
    });
    run(3_000);
    expect(pods().map((p) => p.metadata.name)).toEqual(['stray']);
    expect(get('pods', 'stray').metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    ok({ verb: 'patch', resource: 'pods', namespace: 'default', name: 'stray', patchType: 'merge', patch: JSON.stringify({ metadata: { labels: { app: 'other' } } }) });
    run(3_000);
    expect(get('pods', 'stray').metadata.ownerReferences).toBeUndefined();
    expect(pods().filter((x) => x.metadata.name !== 'stray').map((x) => x.metadata.name)).toEqual([expect.stringMatching(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/)]);
  });
});

// ------------------------------------------------------------------ with a scripted API

/**
 * Just enough of an API server for the ReplicaSet controller: pods, one ReplicaSet and events,
 * with requests answered in 1 ms, watch events delivered `watchDelayMs(resource)` later, and pod
 * creates refused once `quota` pods exist, in the words of the ResourceQuota admission plugin
 * (which names a pod by its generateName: the name is not generated yet when it runs).
 */
class ScriptedApi {
  /** The virtual time of every pod create received. */
  readonly creates: number[] = [];
  quota = Infinity;
  private readonly objects = new Map<string, KubeObject>();
  private readonly watchers = new Map<string, (u: WatchUpdate) => void>();
  private rv = 1;
  private suffix = 0;

  constructor(
    private readonly world: World,
    private readonly watchDelayMs: (resource: string) => number,
  ) {}

  /** Pod creates grouped by the moment they were sent: the slow-start batches. */
  get batches(): number[] {
    const sizes = new Map<number, number>();
    for (const t of this.creates) sizes.set(t, (sizes.get(t) ?? 0) + 1);
    return [...sizes.values()];
  }

  get pods(): KubeObject[] {
    return [...this.objects.values()].filter((o) => o.kind === 'Pod');
  }

  get(kind: string, name: string): KubeObject | undefined {
    return this.objects.get(`${kind}/${name}`);
  }

  events(): string[] {
    return [...this.objects.values()].filter((o) => o.kind === 'Event').map((e) => `${String(e.reason)}: ${String(e.message)} (x${String(e.count)})`);
  }

  put(o: KubeObject): KubeObject {
    const stored = { ...o, metadata: { ...o.metadata, namespace: 'default', resourceVersion: String(++this.rv), uid: o.metadata.uid ?? `uid-${this.rv}`, creationTimestamp: rfc3339(this.world.now) } };
    const key = `${o.kind}/${o.metadata.name ?? ''}`;
    const type = this.objects.has(key) ? 'MODIFIED' : 'ADDED';
    this.objects.set(key, stored);
    const plural = `${o.kind.toLowerCase()}s`;
    this.world.schedule(this.watchDelayMs(plural), 'scripted watch', () => this.watchers.get(plural)?.({ events: [{ type, object: stored }] }));
    return stored;
  }

  readonly client = {
    request: (req: Omit<ApiRequest, 'reqId' | 'replyPort'>, done: (r: ApiCallResult) => void): void => {
        const sent = this.world.now;
      this.world.schedule(1, 'scripted answer', () => done({ ok: true, server: 'scripted', result: this.answer(req, sent) }));
    },
    watch: (req: Omit<ApiRequest, 'reqId' | 'replyPort' | 'verb'>, onUpdate: (u: WatchUpdate) => void) => {
      this.watchers.set(req.resource ?? '', onUpdate);
      return { cancel: () => undefined };
    },
  } as unknown as ApiClient;

  private answer(req: Omit<ApiRequest, 'reqId' | 'replyPort'>, sent: number): ApiResult<unknown> {
    const body = req.body as KubeObject;
    if (req.verb === 'list') {
      const kind = { pods: 'Pod', replicasets: 'ReplicaSet' }[req.resource ?? ''] ?? '';
      return { ok: true, value: { metadata: { resourceVersion: String(this.rv) }, items: [...this.objects.values()].filter((o) => o.kind === kind) } };
    }
    if (req.verb === 'create' && body.kind === 'Pod') {
      this.creates.push(sent);
      if (this.pods.length >= this.quota) {
        const message = `pods "${body.metadata.generateName ?? ''}" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=${this.pods.length}, limited: pods=${this.quota}`;
        return { ok: false, status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', code: 403 } };
      }
      return { ok: true, value: this.put({ ...body, metadata: { ...body.metadata, name: `${body.metadata.generateName ?? ''}${this.suffix++}` } }) };
    }
    if (req.verb === 'create' && body.kind === 'Event') {
      const same = [...this.objects.values()].find((o) => o.kind === 'Event' && o.reason === body.reason && o.message === body.message);
      return { ok: true, value: same ?? this.put(body) };
    }
    if (req.verb === 'patch') {
      const ev = [...this.objects.values()].find((o) => o.kind === 'Event' && o.metadata.name === req.name);
      if (ev !== undefined) ev.count = (JSON.parse(req.patch ?? '{}') as { count: number }).count;
      return { ok: true, value: ev };
    }
    if (req.verb === 'update') return { ok: true, value: this.put(body) };
    return { ok: false, status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'not scripted', reason: '', code: 500 } };
  }
}

const replicaSet = (replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', generation: 1 },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
});

describe('ReplicaSet controller, against a scripted API', () => {
  it('creates in slow-start batches of 1, 2, 4 and stops at the first batch that fails, reporting ReplicaFailure', () => {
    const world = new World({ seed: 1 });
    const api = new ScriptedApi(world, () => 1);
    api.quota = 3;
    api.put(replicaSet(10));
    new ReplicaSetController(world, api.client).start();
    world.runFor(100);
    // 1 + 2 succeed, the 4 of the third batch are refused, the last 3 are never tried; each
    // retry (with back-off) starts again at one pod, and fails at once.
    const [first, second, third, ...retries] = api.batches;
    expect([first, second, third]).toEqual([1, 2, 4]);
    expect(retries.length).toBeGreaterThan(0);
    expect(new Set(retries)).toEqual(new Set([1]));
    expect(api.pods).toHaveLength(3);
    const refusal = 'pods "web-" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=3, limited: pods=3';
    expect(api.events().filter((e) => e.startsWith('FailedCreate'))).toEqual([expect.stringMatching(new RegExp(`^FailedCreate: Error creating: ${refusal.replace(/[()]/g, '\\$&')} \\(x\\d+\\)$`))]);
    const rs = api.get('ReplicaSet', 'web') as KubeObject;
    expect(status(rs)).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    expect(condition(rs, 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate', message: refusal });
    // Quota raised: the next retry creates the other 7 in batches of 1, 2, 4 and the condition goes.
    api.quota = Infinity;
    const before = api.batches.length;
    world.runFor(5_000);
    expect(api.batches.slice(before)).toEqual([1, 2, 4]);
    expect(api.pods).toHaveLength(10);
    expect(condition(api.get('ReplicaSet', 'web') as KubeObject, 'ReplicaFailure')).toBeUndefined();
  });

  it('does not create again while its own creates have not come back through the watch (expectations)', () => {
    const world = new World({ seed: 1 });
    // Pods come back through the watch 3 s late; the ReplicaSet's own status updates at once, and
    // each wakes the controller while its cache still holds no pods.
    const api = new ScriptedApi(world, (resource) => (resource === 'pods' ? 3_000 : 1));
    api.put(replicaSet(3));
    new ReplicaSetController(world, api.client).start();
    world.runFor(10_000);
    expect(api.creates).toHaveLength(3);
    expect(api.pods).toHaveLength(3);
  });
});

// ------------------------------------------------------------------ which pods go first

const at = (s: number): string => rfc3339(s * 1000);
function pod(name: string, o: { node?: string; phase?: string; readySince?: number; created?: number; restarts?: number; cost?: string; uid?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, uid: o.uid ?? name, creationTimestamp: at(o.created ?? 0), ...(o.cost === undefined ? {} : { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } }) },
    spec: { ...(o.node === undefined ? {} : { nodeName: o.node }) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.readySince === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: at(o.readySince) }],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }],
    },
  };
}
const victims = (pods: KubeObject[], n: number, now = 100_000, related = pods): string[] => podsToDelete(pods, related, n, now * 1000).map((p) => p.metadata.name ?? '');

describe('podsToDelete (ActivePodsWithRanks)', () => {
  const ready = { node: 'n1', readySince: 10 };
  it('takes unscheduled before scheduled, then Pending < Unknown < Running, then not ready before ready', () => {
    expect(victims([pod('running', ready), pod('unscheduled', { phase: 'Pending' })], 1)).toEqual(['unscheduled']);
    expect(victims([pod('running', ready), pod('unknown', { ...ready, phase: 'Unknown' }), pod('pending', { node: 'n1', phase: 'Pending' })], 2)).toEqual(['pending', 'unknown']);
    expect(victims([pod('ready', ready), pod('starting', { node: 'n1' })], 1)).toEqual(['starting']);
  });

  it('then by pod-deletion-cost, then the pod doubled up on a node with more related pods', () => {
    expect(victims([pod('cheap', { ...ready, cost: '-5' }), pod('dear', { ...ready, cost: '100' }), pod('plain', ready)], 1)).toEqual(['cheap']);
    const crowded = [pod('a', { node: 'n1', readySince: 10 }), pod('b', { node: 'n2', readySince: 10 })];
    const related = [...crowded, pod('sibling', { node: 'n2', readySince: 10 })];
    expect(victims(crowded, 1, 100_000, related)).toEqual(['b']);
  });

  it('then the one ready for less time (in log2 buckets), more restarts, created more recently', () => {
    // Ready 10 s vs 10 000 s ago: different buckets, the recent one goes.
    expect(victims([pod('old', { node: 'n1', readySince: 90_000 - 10_000 }), pod('new', { node: 'n1', readySince: 99_990 })], 1, 100_000)).toEqual(['new']);
    expect(victims([pod('calm', ready), pod('crashy', { ...ready, restarts: 4 })], 1)).toEqual(['crashy']);
    expect(victims([pod('first', { ...ready, created: 1 }), pod('later', { ...ready, created: 50_000 })], 1)).toEqual(['later']);
  });
});
