import { describe, expect, it } from 'vitest';
import type { ApiCallResult } from '../apiserver/apiClient';
import type { ApiRequest } from '../apiserver/apiProtocol';
import type { KubeObject } from '../apiserver/apiObjects';
import type { ListObject } from '../apiserver/apiServer';
import { EventRecorder } from '../client/eventRecorder';
import { Informer } from '../client/informer';
import { Cluster } from '../cluster';
import { parseRfc3339, rfc3339, rfc3339Micro } from '../virtualTime';
import { NodeLifecycleController } from './nodeLifecycleController';
import type { Condition, Taint } from './nodeLifecycleUtil';
import { TaintEvictionController } from './taintEvictionController';

/** How often a kubelet renews its node Lease (a quarter of its 40 s duration). */
const RENEW_MS = 10_000;

const kubeletConditions = (iso: string): Condition[] => [
  { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: iso, lastTransitionTime: iso, reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', lastHeartbeatTime: iso, lastTransitionTime: iso, reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', lastHeartbeatTime: iso, lastTransitionTime: iso, reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', lastHeartbeatTime: iso, lastTransitionTime: iso, reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

interface SetupOptions {
  /** Worker name → zone; the test plays their kubelets. */
  workers: Record<string, string>;
  /** Workers created without status or Lease: a kubelet that never came up. */
  silent?: string[];
}

/**
 * Three masters in zone-c (their own kubelets register them; they are labelled out of the
 * disruption count so only the test's workers decide zone states), no worker kubelets: the test
 * creates the worker Nodes and Leases and renews the Leases every 10 s, as kubelets do. The
 * cluster's own kube-controller-manager is stopped so only the controllers under test act.
 */
function setup(options: SetupOptions) {
  const cluster = new Cluster({ seed: 7, spec: { zones: ['zone-a', 'zone-b', 'zone-c'], masters: { count: 3, zones: ['zone-c', 'zone-c', 'zone-c'] }, workers: { count: 0 } } });
  const world = cluster.world;
  world.net.addHost('console', 'outside', undefined, { external: true });
  const client = cluster.apiClient('console', 'test');
  world.runUntil(20_000);
  for (const kcm of cluster.controllerManagers.values()) kcm.stop();
  const call = (req: Omit<ApiRequest, 'reqId' | 'replyPort'>): KubeObject | { error: string; code: number } => {
    const r = world.runUntilDone<ApiCallResult>((done) => client.request(req, done), 60_000);
    if (r === undefined || !r.ok) return { error: r === undefined ? 'no answer' : r.error, code: 0 };
    return r.result.ok ? (r.result.value as KubeObject) : { error: r.result.status.message, code: r.result.status.code };
  };
  const ok = (req: Omit<ApiRequest, 'reqId' | 'replyPort'>): KubeObject => {
    const r = call(req);
    if ('error' in r) throw new Error(String(r.error));
    return r;
  };
  const list = (resource: string, namespace?: string): KubeObject[] => (ok({ verb: 'list', resource, ...(namespace === undefined ? {} : { namespace }) }) as unknown as ListObject).items;
  for (const n of list('nodes')) {
    ok({ verb: 'patch', resource: 'nodes', name: n.metadata.name ?? '', patchType: 'merge', patch: JSON.stringify({ metadata: { labels: { 'node.kubernetes.io/exclude-disruption': '' } } }) });
  }

  // The workers' kubelets: register, then renew the Lease every 10 s while alive.
  const alive = new Set<string>();
  const lastRenew = new Map<string, number>();
  const renew = (name: string): void => {
    lastRenew.set(name, world.now);
    const patch = JSON.stringify({ spec: { renewTime: rfc3339Micro(world.now) } });
    client.request({ verb: 'patch', resource: 'leases', namespace: 'kube-node-lease', name, patchType: 'merge', patch }, () => undefined);
  };
  const tick = (): void => {
    for (const name of [...alive].sort()) renew(name);
    world.schedule(RENEW_MS, 'test kubelets renew', tick);
  };
  for (const [name, zone] of Object.entries(options.workers)) {
    const silent = options.silent?.includes(name) === true;
    const iso = rfc3339(world.now);
    ok({
      verb: 'create',
      body: { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone } }, spec: {}, ...(silent ? {} : { status: { conditions: kubeletConditions(iso) } }) },
    });
    if (silent) continue;
    ok({ verb: 'create', namespace: 'kube-node-lease', body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: rfc3339Micro(world.now) } } });
    alive.add(name);
  }
  tick();

  const logs: string[] = [];
  const nlcClient = cluster.apiClient('master-1', 'test-nlc', 'master-1');
  const nlc = new NodeLifecycleController(world, nlcClient, new EventRecorder(world, nlcClient, 'node-controller', 'master-1'), { log: (m) => logs.push(m) });
  const tecClient = cluster.apiClient('master-1', 'test-tec', 'master-1');
  const tec = new TaintEvictionController(world, tecClient, new EventRecorder(world, tecClient, 'taint-eviction-controller', 'master-1'));

  const kubelet = {
    stop: (name: string): number => {
      alive.delete(name);
      return lastRenew.get(name) ?? 0;
    },
    /** The kubelet is back: it renews its Lease and posts a fresh Ready status. */
    resume: (name: string): void => {
      alive.add(name);
      renew(name);
      const patch = JSON.stringify({ status: { conditions: kubeletConditions(rfc3339(world.now)) } });
      ok({ verb: 'patch', resource: 'nodes', name, subresource: 'status', patchType: 'merge', patch });
    },
  };
  const pod = (name: string, nodeName: string, tolerations?: unknown[]): void => {
    const created = ok({
      verb: 'create',
      namespace: 'default',
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' } }, spec: { nodeName, containers: [{ name: 'web', image: 'nginx:1.27' }], ...(tolerations ? { tolerations } : {}) } },
    });
    const iso = rfc3339(world.now);
    const conditions = ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: iso }));
    ok({ verb: 'update', namespace: 'default', subresource: 'status', body: { ...created, status: { ...(created.status as object), phase: 'Running', conditions } } });
  };
  const node = (name: string): KubeObject => ok({ verb: 'get', resource: 'nodes', name });
  const getPod = (name: string): KubeObject => ok({ verb: 'get', resource: 'pods', namespace: 'default', name });
  const condition = (o: KubeObject, type: string): Condition | undefined => ((o.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find((c) => c.type === type);
  const taints = (name: string): string[] => ((node(name).spec as { taints?: Taint[] }).taints ?? []).map((t) => `${t.key}:${t.effect}`);
  const noExecuteAt = (name: string): number | undefined => {
    const t = ((node(name).spec as { taints?: Taint[] }).taints ?? []).find((x) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoExecute');
    return t?.timeAdded === undefined ? undefined : parseRfc3339(t.timeAdded);
  };
  const events = (objectName: string, reason?: string): { reason: string; message: string; type: string; component: string }[] =>
    list('events', 'default')
      .filter((e) => (e.involvedObject as { name: string }).name === objectName && (reason === undefined || e.reason === reason))
      .map((e) => ({ reason: String(e.reason), message: String(e.message), type: String(e.type), component: String((e.source as { component: string }).component) }));
  const start = (): void => {
    nlc.start();
    tec.start();
  };
  return { cluster, world, call, ok, list, kubelet, pod, node, getPod, condition, taints, noExecuteAt, events, start, logs, tec };
}

describe('node lifecycle and taint eviction controllers', () => {
  it('marks a silent node Unknown after the 50 s grace period, taints it unreachable, and evicts its pods 300 s after the taint', () => {
    const s = setup({ workers: { 'worker-1': 'zone-a', 'worker-2': 'zone-a', 'worker-3': 'zone-b' } });
    s.pod('web-1', 'worker-1');
    s.pod('web-2', 'worker-2');
    s.pod('agent', 'worker-1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]);
    // The API server gives every pod the 300 s defaults; a toleration of 0 s is how a pod asks to go at once.
    s.pod('bare', 'worker-1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }]);
    s.start();
    s.world.runFor(30_000);
    expect(s.events('worker-1', 'RegisteredNode')).toEqual([{ reason: 'RegisteredNode', message: 'Node worker-1 event: Registered Node worker-1 in Controller', type: 'Normal', component: 'node-controller' }]);
    expect(['worker-1', 'worker-2', 'worker-3'].map(s.taints)).toEqual([[], [], []]);

    const last = s.kubelet.stop('worker-1');
    // The grace period counts from when the controller saw the last renewal, which is after it was sent.
    s.world.runUntil(last + 50_000);
    expect(s.condition(s.node('worker-1'), 'Ready')?.status).toBe('True');
    s.world.runUntil(last + 61_000);
    const n = s.node('worker-1');
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      expect(s.condition(n, type)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    }
    const unknownAt = parseRfc3339(s.condition(n, 'Ready')?.lastTransitionTime ?? '') ?? NaN;
    expect(unknownAt).toBeGreaterThanOrEqual(last + 50_000 - 1_000);
    expect(s.events('worker-1', 'NodeNotReady')).toEqual([{ reason: 'NodeNotReady', message: 'Node worker-1 status is now: NodeNotReady', type: 'Normal', component: 'node-controller' }]);
    // Its pods drop out of Services: Ready False, with a warning on each.
    expect(s.condition(s.getPod('web-1'), 'Ready')?.status).toBe('False');
    expect(s.events('web-1', 'NodeNotReady')).toEqual([{ reason: 'NodeNotReady', message: 'Node is not ready', type: 'Warning', component: 'node-controller' }]);
    expect(s.condition(s.getPod('web-2'), 'Ready')?.status).toBe('True');

    // The NoExecute taint comes one monitor pass (5 s) after the Unknown, through the zone's queue.
    s.world.runUntil(unknownAt + 7_000);
    expect(s.taints('worker-1')).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    const taintedAt = s.noExecuteAt('worker-1') ?? NaN;
    expect(taintedAt - unknownAt).toBeGreaterThanOrEqual(4_000);
    expect(s.taints('worker-2')).toEqual([]);
    // A pod tolerating the taint for 0 s goes as soon as the taint is seen.
    expect(s.getPod('bare').metadata.deletionTimestamp).toBeDefined();

    // The default 300 s tolerations: still there a second before, deleted just after.
    s.world.runUntil(taintedAt + 299_000);
    expect(s.getPod('web-1').metadata.deletionTimestamp).toBeUndefined();
    s.world.runUntil(taintedAt + 302_000);
    const evicted = s.getPod('web-1');
    // Bound to a node, it waits for a kubelet that will never come: Terminating.
    expect(evicted.metadata.deletionTimestamp).toBeDefined();
    expect(s.condition(evicted, 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' });
    expect(s.events('web-1', 'TaintManagerEviction')).toEqual([{ reason: 'TaintManagerEviction', message: 'Marking for deletion Pod default/web-1', type: 'Normal', component: 'taint-eviction-controller' }]);
    // Tolerating unreachable forever, the agent stays; the pod on the healthy node is untouched.
    s.world.runFor(600_000);
    expect(s.getPod('agent').metadata.deletionTimestamp).toBeUndefined();
    expect(s.getPod('web-2').metadata.deletionTimestamp).toBeUndefined();
  });

  it('takes the taint off when the kubelet is back, and cancels the pending evictions', () => {
    const s = setup({ workers: { 'worker-1': 'zone-a', 'worker-2': 'zone-a' } });
    s.pod('web-1', 'worker-1');
    s.start();
    s.world.runFor(30_000);
    const last = s.kubelet.stop('worker-1');
    s.world.runUntil(last + 70_000);
    expect(s.taints('worker-1')).toContain('node.kubernetes.io/unreachable:NoExecute');
    expect(s.tec.scheduled().has('default/web-1')).toBe(true);

    s.kubelet.resume('worker-1');
    const back = s.world.now;
    s.world.runUntil(back + 6_000);
    expect(s.taints('worker-1')).toEqual([]);
    expect(s.condition(s.node('worker-1'), 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    expect(s.events('web-1', 'TaintManagerEviction')).toEqual([{ reason: 'TaintManagerEviction', message: 'Cancelling deletion of Pod default/web-1', type: 'Normal', component: 'taint-eviction-controller' }]);
    s.world.runFor(400_000);
    expect(s.getPod('web-1').metadata.deletionTimestamp).toBeUndefined();
  });

  it('taints a zone’s failed nodes at most one per 10 s', () => {
    const s = setup({ workers: { 'worker-1': 'zone-a', 'worker-2': 'zone-a', 'worker-3': 'zone-a', 'worker-4': 'zone-b' } });
    // When each node's NoExecute taint appeared, to the millisecond, as a watcher sees it.
    const tainted = new Map<string, number>();
    const watcher = new Informer(s.world, s.cluster.apiClient('console', 'test-watch'), 'nodes', {
      onUpdate: (_old, n) => {
        const has = ((n.spec as { taints?: Taint[] }).taints ?? []).some((t) => t.effect === 'NoExecute');
        if (has && !tainted.has(n.metadata.name ?? '')) tainted.set(n.metadata.name ?? '', s.world.now);
      },
    });
    watcher.start();
    s.start();
    s.world.runFor(30_000);
    for (const w of ['worker-1', 'worker-2', 'worker-3']) s.kubelet.stop(w);
    s.world.runFor(120_000);
    const times = [...tainted.values()].sort((a, b) => a - b);
    expect([...tainted.keys()].sort()).toEqual(['worker-1', 'worker-2', 'worker-3']);
    // zone-a is fully disrupted but zone-b is not: the normal rate, 0.1 node/s.
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(9_900);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(9_900);
    expect((times[2] ?? 0) - (times[0] ?? 0)).toBeLessThan(21_000);
    expect(s.taints('worker-4')).toEqual([]);
    expect(s.logs).toContain('Controller detected that zone is now in new state');
  });

  it('stops tainting when a small zone is partly disrupted (3 of 4 nodes down)', () => {
    const s = setup({ workers: { 'worker-1': 'zone-a', 'worker-2': 'zone-a', 'worker-3': 'zone-a', 'worker-4': 'zone-a', 'worker-5': 'zone-b' } });
    s.start();
    s.world.runFor(30_000);
    for (const w of ['worker-1', 'worker-2', 'worker-3']) s.kubelet.stop(w);
    s.world.runFor(120_000);
    expect(s.condition(s.node('worker-1'), 'Ready')?.status).toBe('Unknown');
    // At most the first one, tainted in the pass before the zone's state was worked out.
    const noExecute = ['worker-1', 'worker-2', 'worker-3'].filter((w) => s.taints(w).includes('node.kubernetes.io/unreachable:NoExecute'));
    expect(noExecute.length).toBeLessThanOrEqual(1);
    s.world.runFor(120_000);
    expect(['worker-1', 'worker-2', 'worker-3'].filter((w) => s.taints(w).includes('node.kubernetes.io/unreachable:NoExecute'))).toEqual(noExecute);
  });

  it('enters master disruption mode when every node stops: conditions go Unknown but nothing is tainted NoExecute or evicted', () => {
    const s = setup({ workers: { 'worker-1': 'zone-a', 'worker-2': 'zone-b' } });
    s.pod('web-1', 'worker-1');
    s.start();
    s.world.runFor(30_000);
    s.kubelet.stop('worker-1');
    s.kubelet.stop('worker-2');
    s.world.runFor(60_000);
    expect(s.condition(s.node('worker-1'), 'Ready')?.status).toBe('Unknown');
    expect(s.logs).toContain('Controller detected that all Nodes are not-Ready. Entering master disruption mode');
    s.world.runFor(400_000);
    // The NoSchedule taint still follows the condition; the NoExecute one never comes.
    expect(s.taints('worker-1')).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    expect(s.taints('worker-2')).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    expect(s.getPod('web-1').metadata.deletionTimestamp).toBeUndefined();

    s.kubelet.resume('worker-2');
    s.world.runFor(10_000);
    expect(s.logs).toContain('Controller detected that some Nodes are Ready. Exiting master disruption mode');
    // Back to normal rates (the swapped-in bucket starts empty: one token 10 s on), the node
    // still Unknown is tainted.
    s.world.runFor(12_000);
    expect(s.taints('worker-1')).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    expect(s.taints('worker-2')).toEqual([]);
  });

  it('gives a node that never posted status the 60 s startup grace period, then marks it "Kubelet never posted node status."', () => {
    const s = setup({ workers: { 'worker-1': 'zone-a', 'worker-2': 'zone-a' }, silent: ['worker-2'] });
    const created = parseRfc3339(s.node('worker-2').metadata.creationTimestamp ?? '') ?? NaN;
    s.start();
    s.world.runUntil(created + 59_000);
    expect(s.condition(s.node('worker-2'), 'Ready')).toBeUndefined();
    s.world.runUntil(created + 67_000);
    const n = s.node('worker-2');
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      expect(s.condition(n, type)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: n.metadata.creationTimestamp });
    }
  });

  it('taints a cordoned node node.kubernetes.io/unschedulable:NoSchedule and untaints it on uncordon', () => {
    const s = setup({ workers: { 'worker-1': 'zone-a' } });
    s.start();
    s.world.runFor(10_000);
    s.ok({ verb: 'patch', resource: 'nodes', name: 'worker-1', patchType: 'strategic', patch: '{"spec":{"unschedulable":true}}' });
    s.world.runFor(1_000);
    const t = (s.node('worker-1').spec as { taints: Taint[] }).taints;
    expect(t).toEqual([{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: expect.stringMatching(/^2025-01-01T00:00:\d\dZ$/) }]);
    s.ok({ verb: 'patch', resource: 'nodes', name: 'worker-1', patchType: 'merge', patch: '{"spec":{"unschedulable":null}}' });
    s.world.runFor(1_000);
    expect(s.taints('worker-1')).toEqual([]);
  });

  it('retries an eviction the API refused while its master was cut off', () => {
    const s = setup({ workers: { 'worker-1': 'zone-a', 'worker-2': 'zone-a' } });
    s.pod('web-1', 'worker-1');
    s.start();
    s.world.runFor(30_000);
    const last = s.kubelet.stop('worker-1');
    s.world.runUntil(last + 70_000);
    const due = s.tec.scheduled().get('default/web-1') ?? NaN;
    expect(due - s.world.now).toBeGreaterThan(250_000);
    // The controllers talk to master-1's API server only; cut it off across the deadline.
    s.world.runUntil(due - 10_000);
    s.cluster.applyFault({ isolate: 'master-1' });
    s.world.runUntil(due + 20_000);
    expect(s.getPod('web-1').metadata.deletionTimestamp).toBeUndefined();
    s.cluster.applyFault({ heal: 'all' });
    s.world.runFor(30_000);
    expect(s.getPod('web-1').metadata.deletionTimestamp).toBeDefined();
  });
});
