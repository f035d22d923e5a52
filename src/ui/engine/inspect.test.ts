import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { ClusterView } from '../../engine/clusterView';
import { clusterHarness } from '../../engine/testing/clusterHarness';
import { runKubectl } from '../../kubectl/kubectl';
import type { KubectlResult } from '../../kubectl/kubectlEnv';
import { desiredVsObserved, inspect, toEventRecord, type InspectContext } from './inspect';

type Harness = ReturnType<typeof clusterHarness>;

function kubectl(h: Harness, line: string, stdin?: string): KubectlResult {
  const env = { world: h.cluster.world, defaultContext: 'admin', clients: new Map([['admin', h.client]]) };
  const r = h.cluster.world.runUntilDone<KubectlResult>((done) => runKubectl(env, line, stdin, done), 60_000);
  if (r === undefined) throw new Error(`kubectl ${line}: no answer`);
  return r;
}

/** An inspection context over the cluster as it is now; decisions come from whichever scheduler made the latest one. */
function contextOf(h: Harness): InspectContext {
  const view = new ClusterView(h.cluster.etcd);
  view.refresh();
  return {
    view,
    now: h.cluster.world.now,
    decisionOf: (uid) => h.cluster.schedulingDecision(uid),
  };
}

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        resources:
          requests: {cpu: 100m, memory: 64Mi}
`;

const HUGE = `apiVersion: v1
kind: Pod
metadata:
  name: huge
spec:
  containers:
  - name: main
    image: nginx:1.27
    resources:
      requests: {cpu: "64"}
`;

describe('inspect', () => {
  let h: Harness;
  beforeAll(() => {
    h = clusterHarness();
    for (const doc of [WEB, HUGE]) expect(kubectl(h, 'apply -f -', doc).exitCode).toBe(0);
    h.run(20_000);
  });

  /** Runs `kubectl describe` and inspects the same object right after, in the same state. */
  function both(line: string, kind: string, namespace: string, name: string) {
    const printed = kubectl(h, line);
    expect(printed.exitCode).toBe(0);
    return { printed: printed.stdout, inspection: inspect(contextOf(h), { kind, namespace, name }) };
  }

  it('describes a Deployment, a Pod and a Node exactly as kubectl describe does', () => {
    const deployment = both('describe deployment web', 'Deployment', 'default', 'web');
    expect(deployment.inspection.describe).toBe(deployment.printed);
    expect(deployment.printed).toContain('NewReplicaSet:');

    const podName = h.names('pods').find((n) => n.startsWith('web-')) ?? '';
    const pod = both(`describe pod ${podName}`, 'Pod', 'default', podName);
    expect(pod.inspection.describe).toBe(pod.printed);
    expect(pod.printed).toContain('Events:\n');

    const nodeName = String((h.get('pods', podName)?.spec as { nodeName?: string }).nodeName);
    const node = both(`describe node ${nodeName}`, 'Node', '', nodeName);
    expect(node.inspection.describe).toBe(node.printed);
    expect(node.printed).toContain('Non-terminated Pods:');
    expect(node.printed).toContain(podName);
  });

  it('prints the object as kubectl get -o yaml does', () => {
    const printed = kubectl(h, 'get deployment web -o yaml');
    expect(inspect(contextOf(h), { kind: 'Deployment', namespace: 'default', name: 'web' }).yaml).toBe(printed.stdout);
  });

  it('lists the events of the object, oldest first', () => {
    const inspection = inspect(contextOf(h), { kind: 'Deployment', namespace: 'default', name: 'web' });
    expect(inspection.events.length).toBeGreaterThan(0);
    expect(inspection.events.every((e) => e.object === 'Deployment/default/web')).toBe(true);
    expect(inspection.events[0]).toMatchObject({ type: 'Normal', reason: 'ScalingReplicaSet', source: 'deployment-controller', count: 1 });
    const times = inspection.events.map((e) => e.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('shows desired against observed for a workload, and nothing of the kind for a pod', () => {
    const ctx = contextOf(h);
    const settled = inspect(ctx, { kind: 'Deployment', namespace: 'default', name: 'web' }).desiredVsObserved;
    expect(settled?.map((r) => r.field)).toEqual(['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']);
    expect(settled?.every((r) => r.desired === r.observed)).toBe(true);
    expect(inspect(ctx, { kind: 'Node', namespace: '', name: 'master-1' }).desiredVsObserved).toBeNull();

    expect(kubectl(h, 'scale deployment web --replicas=5').exitCode).toBe(0);
    const scaling = inspect(contextOf(h), { kind: 'Deployment', namespace: 'default', name: 'web' }).desiredVsObserved;
    expect(scaling?.find((r) => r.field === 'readyReplicas')).toEqual({ field: 'readyReplicas', desired: '5', observed: '3' });
    h.run(20_000);
    const caughtUp = inspect(contextOf(h), { kind: 'Deployment', namespace: 'default', name: 'web' }).desiredVsObserved;
    expect(caughtUp?.every((r) => r.desired === r.observed)).toBe(true);
  });

  it("gives a Pending pod's scheduling verdict for every node", () => {
    const ctx = contextOf(h);
    const inspection = inspect(ctx, { kind: 'Pod', namespace: 'default', name: 'huge' });
    const scheduling = inspection.scheduling;
    expect(scheduling?.node).toBeNull();
    expect(scheduling?.message).toMatch(/^0\/\d+ nodes are available: .*Insufficient cpu/);
    const nodes = ctx.view.list('nodes').map((n) => n.metadata.name).sort();
    expect(scheduling?.verdicts.map((v) => v.node)).toEqual(nodes);
    expect(scheduling?.verdicts.every((v) => v.reason !== '')).toBe(true);
    expect(scheduling?.verdicts.some((v) => v.reason === 'Insufficient cpu')).toBe(true);
    expect(inspection.events.some((e) => e.type === 'Warning' && e.reason === 'FailedScheduling' && e.source === 'default-scheduler')).toBe(true);
  });

  it("gives a scheduled pod's chosen node and the scores", () => {
    const podName = h.names('pods').find((n) => n.startsWith('web-')) ?? '';
    const scheduling = inspect(contextOf(h), { kind: 'Pod', namespace: 'default', name: podName }).scheduling;
    expect(scheduling?.node).not.toBeNull();
    expect(scheduling?.message).toBe('');
    expect(scheduling?.verdicts.find((v) => v.node === scheduling.node)?.reason).toBe('');
  });

  it('keeps the events of an object that is gone', () => {
    expect(kubectl(h, 'delete pod huge --wait=false').exitCode).toBe(0);
    h.run(5_000);
    const inspection = inspect(contextOf(h), { kind: 'Pod', namespace: 'default', name: 'huge' });
    expect(inspection).toMatchObject({ yaml: null, describe: null, desiredVsObserved: null, scheduling: null });
    expect(inspection.events.some((e) => e.reason === 'FailedScheduling')).toBe(true);
  });

  it('returns nothing but events for a kind it does not know', () => {
    expect(inspect(contextOf(h), { kind: 'Widget', namespace: 'default', name: 'x' })).toMatchObject({ yaml: null, describe: null, events: [] });
  });
});

describe('toEventRecord', () => {
  const event = (extra: Record<string, unknown>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'worker-1.17f', namespace: 'default', uid: 'u-1' },
    involvedObject: { kind: 'Node', name: 'worker-1', uid: 'worker-1' },
    reason: 'NodeNotReady',
    message: 'Node worker-1 status is now: NodeNotReady\n',
    type: 'Normal',
    ...extra,
  });

  it('reads the last occurrence, the count and the reporting component', () => {
    expect(toEventRecord(event({ firstTimestamp: '2025-01-01T00:00:10Z', lastTimestamp: '2025-01-01T00:00:40Z', count: 3, source: { component: 'node-controller' } }))).toMatchObject({
      id: 'u-1:3',
      type: 'Normal',
      reason: 'NodeNotReady',
      object: 'Node/worker-1',
      message: 'Node worker-1 status is now: NodeNotReady',
      count: 3,
      source: 'node-controller',
    });
  });

  it('falls back to series, eventTime and reportingController (events.k8s.io style)', () => {
    const a = toEventRecord(event({ eventTime: '2025-01-01T00:00:10.000000Z', series: { count: 2, lastObservedTime: '2025-01-01T00:00:20.000000Z' }, reportingController: 'kubelet' }));
    const b = toEventRecord(event({ eventTime: '2025-01-01T00:00:10.000000Z' }));
    expect(a).toMatchObject({ count: 2, source: 'kubelet' });
    expect((a?.atMs ?? 0) - (b?.atMs ?? 0)).toBe(10_000);
  });

  it('ignores objects that are not Events', () => {
    expect(toEventRecord({ apiVersion: 'v1', kind: 'Pod', metadata: {} })).toBeUndefined();
  });
});

describe('desiredVsObserved', () => {
  const object = (kind: string, spec: Record<string, unknown>, status: Record<string, unknown>, generation = 1): KubeObject => ({ apiVersion: 'apps/v1', kind, metadata: { name: 'x', generation }, spec, status });

  it("compares a DaemonSet's counts with its own desiredNumberScheduled", () => {
    const rows = desiredVsObserved(object('DaemonSet', {}, { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2, observedGeneration: 1 }));
    expect(rows?.filter((r) => r.desired !== r.observed).map((r) => r.field)).toEqual(['numberReady', 'numberAvailable']);
  });

  it('wants a running Job to keep parallelism pods active until the completions are reached, and none once finished', () => {
    const running = desiredVsObserved(object('Job', { completions: 5, parallelism: 2 }, { succeeded: 4, active: 1 }));
    expect(running).toEqual([
      { field: 'succeeded', desired: '5', observed: '4' },
      { field: 'active', desired: '1', observed: '1' },
    ]);
    const failed = desiredVsObserved(object('Job', { completions: 5, parallelism: 2 }, { succeeded: 1, failed: 7, conditions: [{ type: 'Failed', status: 'True' }] }));
    expect(failed?.[1]).toEqual({ field: 'active', desired: '0', observed: '0' });
  });

  it('flags a spec change the controller has not seen yet', () => {
    const rows = desiredVsObserved(object('StatefulSet', { replicas: 2 }, { replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2, observedGeneration: 1 }, 2));
    expect(rows?.find((r) => r.field === 'observedGeneration')).toEqual({ field: 'observedGeneration', desired: '2', observed: '1' });
  });
});
