import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { rfc3339 } from '../virtualTime';
import {
  canonicalQuantity,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  planOldScaleDown,
  planScale,
  podTemplateHash,
  progressCheckAfter,
  replicaSetsToClean,
  resolveFenceposts,
  rolloutStatus,
  safeEncodeString,
  setNewReplicaSetAnnotations,
} from './deploymentUtil';

type Obj = Record<string, unknown>;

/** A container as the API server stores it after defaulting (imagePullPolicy from the tag). */
function container(name: string, image: string, more: Obj = {}): Obj {
  const pullPolicy = image.includes(':') ? 'IfNotPresent' : 'Always';
  return { name, image, resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: pullPolicy, ...more };
}

/** A pod template as stored: the PodSpec defaults kube-apiserver applies to a Deployment's template. */
function template(labels: Record<string, string>, containers: Obj[]): Obj {
  return {
    metadata: { labels },
    spec: { containers, restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler' },
  };
}

describe('pod-template-hash (controller.ComputeHash as v1.31 prints the template)', () => {
  // Each expected name is what a v1.31 cluster gives, as published by people running the command.
  it('kubectl create deployment nginx --image=nginx: nginx-676b6c5bbc', () => {
    expect(podTemplateHash(template({ app: 'nginx' }, [container('nginx', 'nginx')]))).toBe('676b6c5bbc');
  });

  it('kubectl create deployment nginx --image=nginx --port=80: nginx-7769f8f85b', () => {
    expect(podTemplateHash(template({ app: 'nginx' }, [container('nginx', 'nginx', { ports: [{ containerPort: 80, protocol: 'TCP' }] })]))).toBe('7769f8f85b');
  });

  it('then kubectl edit to image nginx:1.29-trixie-perl (imagePullPolicy stays Always): nginx-7b847b8c4c', () => {
    expect(podTemplateHash(template({ app: 'nginx' }, [container('nginx', 'nginx:1.29-trixie-perl', { imagePullPolicy: 'Always' })]))).toBe('7b847b8c4c');
  });

  it('the nginx-deployment of the Kubernetes docs (nginx:1.14.2, port 80): nginx-deployment-d556bf558', () => {
    expect(podTemplateHash(template({ app: 'nginx' }, [container('nginx', 'nginx:1.14.2', { ports: [{ containerPort: 80, protocol: 'TCP' }] })]))).toBe('d556bf558');
  });

  it('the php-apache of the HPA walkthrough, with CPU requests and limits: php-apache-d87b7ff46', () => {
    const c = container('php-apache', 'registry.k8s.io/hpa-example', { ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { limits: { cpu: '500m' }, requests: { cpu: '200m' } } });
    expect(podTemplateHash(template({ run: 'php-apache' }, [c]))).toBe('d87b7ff46');
  });

  it('is the same for the same template however its maps are ordered, and different with a collisionCount', () => {
    const t = template({ app: 'web', tier: 'front' }, [container('web', 'nginx')]);
    const reordered = template({ tier: 'front', app: 'web' }, [container('web', 'nginx')]);
    expect(podTemplateHash(reordered)).toBe(podTemplateHash(t));
    expect(podTemplateHash(t, 1)).not.toBe(podTemplateHash(t));
    expect(podTemplateHash(t, 1)).not.toBe(podTemplateHash(t, 2));
    // An empty list or map is stored as none at all.
    expect(podTemplateHash(template({ app: 'web', tier: 'front' }, [container('web', 'nginx', { env: [], args: [] })]))).toBe(podTemplateHash(t));
  });

  it('encodes the decimal FNV sum with the vowel-less alphabet (SafeEncodeString)', () => {
    expect(safeEncodeString('3718868910')).toBe('7c5ddbdf54');
  });
});

describe('quantities as the API server stores them', () => {
  it('canonicalises as Quantity.String does', () => {
    const cases: [string, string][] = [
      ['0.5', '500m'],
      ['1.5', '1500m'],
      ['1000m', '1'],
      ['2000', '2k'],
      ['0.1m', '100u'],
      ['1024Mi', '1Gi'],
      ['1.5Gi', '1536Mi'],
      ['128Mi', '128Mi'],
      ['512', '512'],
      ['1e3', '1e3'],
      ['0', '0'],
    ];
    expect(cases.map(([q]) => [q, canonicalQuantity(q)])).toEqual(cases);
  });
});

// ------------------------------------------------------------------ fixtures

function deployment(replicas: number, strategy: Obj = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, status: Obj = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'd-uid', generation: 2 },
    spec: { replicas, strategy, progressDeadlineSeconds: 600, revisionHistoryLimit: 10, selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }, [container('web', 'nginx')]) },
    status,
  };
}

interface RsOptions {
  revision?: number;
  created?: number;
  maxReplicas?: number;
  desired?: number;
  available?: number;
  current?: number;
}
function replicaSet(name: string, replicas: number, o: RsOptions = {}): KubeObject {
  const annotations: Record<string, string> = {};
  if (o.revision !== undefined) annotations['deployment.kubernetes.io/revision'] = String(o.revision);
  if (o.maxReplicas !== undefined) annotations['deployment.kubernetes.io/max-replicas'] = String(o.maxReplicas);
  if (o.desired !== undefined) annotations['deployment.kubernetes.io/desired-replicas'] = String(o.desired);
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, uid: `${name}-uid`, generation: 1, creationTimestamp: rfc3339((o.created ?? 0) * 1000), annotations },
    spec: { replicas },
    status: { replicas: o.current ?? replicas, availableReplicas: o.available ?? 0, observedGeneration: 1 },
  };
}
const sizes = (steps: { rs: KubeObject; replicas: number; operation?: string }[]): string[] => steps.map((s) => `${s.rs.metadata.name ?? ''}=${s.replicas}${s.operation === undefined ? '' : ` ${s.operation}`}`);

// ------------------------------------------------------------------ arithmetic

describe('maxSurge and maxUnavailable', () => {
  it('rounds a percentage of surge up and of unavailability down', () => {
    expect(resolveFenceposts('25%', '25%', 3)).toEqual([1, 0]);
    expect(resolveFenceposts('25%', '25%', 10)).toEqual([3, 2]);
    expect(resolveFenceposts('25%', '25%', 1)).toEqual([1, 0]);
    expect(resolveFenceposts(3, 2, 10)).toEqual([3, 2]);
  });

  it('lets one pod be unavailable when both come to zero, so a rollout can move at all', () => {
    expect(resolveFenceposts(0, '10%', 3)).toEqual([0, 1]);
    expect(resolveFenceposts('0%', '0%', 5)).toEqual([0, 1]);
  });

  it('caps unavailability at the replicas, and Recreate has neither', () => {
    expect(maxUnavailable(deployment(2, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 5 } }))).toBe(2);
    expect(maxUnavailable(deployment(0))).toBe(0);
    expect([maxSurge(deployment(3, { type: 'Recreate' })), maxUnavailable(deployment(3, { type: 'Recreate' }))]).toEqual([0, 0]);
  });

  it('starts a rolling update with as many new pods as the surge allows, Recreate with all of them', () => {
    const old = replicaSet('web-old', 3, { revision: 1 });
    const fresh = replicaSet('web-new', 0);
    expect(newRSNewReplicas(deployment(3), [old, fresh], fresh)).toBe(1);
    expect(newRSNewReplicas(deployment(10), [replicaSet('web-old', 10), fresh], fresh)).toBe(3);
    expect(newRSNewReplicas(deployment(3, { type: 'Recreate' }), [old, fresh], fresh)).toBe(3);
  });

  it('scales old ReplicaSets down only as far as availability allows, unavailable new pods counted against it', () => {
    const d = deployment(3);
    const old = replicaSet('web-old', 3, { available: 3, created: 1 });
    expect(sizes(planOldScaleDown(d, [old, replicaSet('web-new', 1, { available: 0, created: 2 })], [old], replicaSet('web-new', 1, { available: 0, created: 2 })))).toEqual([]);
    const ready = replicaSet('web-new', 1, { available: 1, created: 2 });
    expect(sizes(planOldScaleDown(d, [old, ready], [old], ready))).toEqual(['web-old=2']);
    // Unhealthy old pods can go even below minimum availability (they add nothing to it), within the surge.
    const sick = replicaSet('web-old', 3, { available: 1, created: 1 });
    expect(sizes(planOldScaleDown(d, [sick, ready], [sick], ready))).toEqual(['web-old=2']);
  });
});

describe('proportional scaling', () => {
  const rolling = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } };

  it('spreads a scale-up over the active ReplicaSets by size (the docs example: 10 → 15 during a rollout)', () => {
    const old = replicaSet('web-old', 8, { created: 1, maxReplicas: 13, desired: 10 });
    const fresh = replicaSet('web-new', 5, { created: 2, maxReplicas: 13, desired: 10 });
    expect(sizes(planScale(deployment(15, rolling), fresh, [old]))).toEqual(['web-old=11 up', 'web-new=7 up']);
  });

  it('breaks ties towards the newer ReplicaSet when growing and the older when shrinking, rounding halves away from zero', () => {
    const even = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
    const old = replicaSet('web-old', 5, { created: 1, maxReplicas: 10, desired: 10 });
    const fresh = replicaSet('web-new', 5, { created: 2, maxReplicas: 10, desired: 10 });
    expect(sizes(planScale(deployment(11, even), fresh, [old]))).toEqual(['web-new=6 up', 'web-old=5 up']);
    expect(sizes(planScale(deployment(9, even), fresh, [old]))).toEqual(['web-old=4 down', 'web-new=5 down']);
  });

  it('just resizes a lone active ReplicaSet, and empties the old ones once the new one is saturated', () => {
    expect(sizes(planScale(deployment(5), replicaSet('web-new', 3), [replicaSet('web-old', 0)]))).toEqual(['web-new=5']);
    const saturated = replicaSet('web-new', 4, { desired: 4, available: 4, created: 3 });
    const olds = [replicaSet('web-a', 1, { created: 1 }), replicaSet('web-b', 1, { created: 2 })];
    expect(sizes(planScale(deployment(4), saturated, olds))).toEqual(['web-b=0', 'web-a=0']);
  });
});

describe('revisions', () => {
  it('raises a reused ReplicaSet to the new revision and keeps the ones it served before', () => {
    const d = deployment(3);
    d.metadata.annotations = { 'kubernetes.io/change-cause': 'kubectl set image', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '2' };
    const rs = replicaSet('web-old', 0, { revision: 1 });
    expect(setNewReplicaSetAnnotations(d, rs, 3, true)).toBe(true);
    expect(rs.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1', 'kubernetes.io/change-cause': 'kubectl set image' });
    expect(setNewReplicaSetAnnotations(d, rs, 5, true)).toBe(true);
    expect(rs.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1,3');
    expect(setNewReplicaSetAnnotations(d, rs, 5, true)).toBe(false);
  });

  it('cleans up the oldest revisions beyond the limit, only when empty and settled', () => {
    const d = deployment(3);
    (d.spec as Obj).revisionHistoryLimit = 1;
    // Revision 3 was a rollback to the oldest ReplicaSet: by revision it is the newest old one.
    const olds = [replicaSet('web-a', 0, { revision: 3, created: 1 }), replicaSet('web-b', 0, { revision: 2, created: 2 }), replicaSet('web-c', 0, { revision: 1, created: 3, current: 1 })];
    expect(replicaSetsToClean(d, olds).map((rs) => rs.metadata.name)).toEqual(['web-b']);
  });
});

describe('status and conditions', () => {
  const t = (s: number): string => rfc3339(s * 1000);
  const progressing = (reason: string, at: number): Obj => ({ conditions: [{ type: 'Progressing', status: 'True', reason, message: 'x', lastUpdateTime: t(at), lastTransitionTime: t(at) }] });

  it('counts from the ReplicaSets and says whether the Deployment has minimum availability', () => {
    const d = deployment(3, undefined, progressing('ReplicaSetUpdated', 0));
    const newRS = replicaSet('web-new', 3, { available: 3 });
    const s = rolloutStatus(d, [newRS], newRS, 10_000);
    expect(s).toMatchObject({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    expect(s.conditions?.map((c) => `${c.type} ${c.status} ${c.reason}: ${c.message}`)).toEqual([
      'Available True MinimumReplicasAvailable: Deployment has minimum availability.',
      'Progressing True NewReplicaSetAvailable: ReplicaSet "web-new" has successfully progressed.',
    ]);
  });

  it('times out strictly after progressDeadlineSeconds without progress, and asks to be looked at one second past it', () => {
    const d = deployment(3, undefined, { replicas: 4, updatedReplicas: 1, availableReplicas: 3, ...progressing('ReplicaSetUpdated', 100) });
    const old = replicaSet('web-old', 3, { available: 3 });
    const stuck = replicaSet('web-new', 1, { available: 0 });
    const reason = (now: number): string | undefined => rolloutStatus(d, [old, stuck], stuck, now).conditions?.find((c) => c.type === 'Progressing')?.reason;
    expect(reason(700_000)).toBe('ReplicaSetUpdated');
    expect(reason(700_001)).toBe('ProgressDeadlineExceeded');
    const late = rolloutStatus(d, [old, stuck], stuck, 700_001).conditions?.find((c) => c.type === 'Progressing');
    expect(late).toMatchObject({ status: 'False', message: 'ReplicaSet "web-new" has timed out progressing.', lastTransitionTime: t(700) });
    expect(progressCheckAfter(d, rolloutStatus(d, [old, stuck], stuck, 400_000), 400_000)).toBe(301_000);
  });

  it('refreshes lastUpdateTime on progress but keeps lastTransitionTime while Progressing stays True', () => {
    const d = deployment(3, undefined, { replicas: 4, updatedReplicas: 1, ...progressing('ReplicaSetUpdated', 100) });
    const newRS = replicaSet('web-new', 2, { current: 2 });
    const c = rolloutStatus(d, [replicaSet('web-old', 2), newRS], newRS, 200_000).conditions?.find((x) => x.type === 'Progressing');
    expect(c).toMatchObject({ reason: 'ReplicaSetUpdated', message: 'ReplicaSet "web-new" is progressing.', lastUpdateTime: t(200), lastTransitionTime: t(100) });
  });
});
