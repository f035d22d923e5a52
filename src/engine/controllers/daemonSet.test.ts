import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { clusterHarness } from '../testing/clusterHarness';
import { daemonPodTolerations, nodeShouldRunDaemonPod, pinToNode, rollingUpdateDeletions } from './daemonSetUtil';

type Obj = Record<string, unknown>;

function setup() {
  const h = clusterHarness();
  const { cluster } = h;
  const runUntil = (done: () => boolean, limitMs: number, always: () => void = () => undefined): void => {
    const end = cluster.world.now + limitMs;
    while (!done()) {
      if (cluster.world.now >= end) throw new Error(`not reached within ${limitMs} ms: ${JSON.stringify(h.get("daemonsets", "agent")?.status)} ${h.list("pods", "default").map((p) => `${p.metadata.name} ${String((p.spec as Obj).nodeName)} ${String((p.status as Obj).phase)}`).join("; ")}`);
      cluster.world.runFor(200);
      always();
    }
  };
  const pods = (): KubeObject[] => h.list('pods', 'default').filter((p) => p.metadata.deletionTimestamp === undefined);
  const nodeOf = (p: KubeObject): string => String((p.spec as Obj).nodeName ?? '');
  const ds = (): KubeObject => h.get('daemonsets', 'agent') as KubeObject;
  return { ...h, runUntil, pods, nodeOf, ds };
}

/** A DaemonSet as `kubectl apply` of a typical manifest gives it. */
function daemonSet(more: Obj = {}, podMore: Obj = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'busybox:1.36', command: ['sleep', '3600'] }], ...podMore } },
      ...more,
    },
  };
}

const WORKERS = ['worker-1', 'worker-2', 'worker-3'];
const status = (o: KubeObject): Obj => (o.status ?? {}) as Obj;

describe('DaemonSet controller', () => {
  it('runs one pod on each worker and none on the tainted masters', () => {
    const { ok, runUntil, pods, nodeOf, ds, events } = setup();
    ok({ verb: 'create', namespace: 'default', body: daemonSet() });
    runUntil(() => status(ds()).numberAvailable === 3, 60_000);
    expect(pods().map(nodeOf).sort()).toEqual(WORKERS);
    const pod = pods()[0] as KubeObject;
    expect(pod.metadata.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(Object.keys(pod.metadata.labels ?? {}).sort()).toEqual(['app', 'controller-revision-hash', 'pod-template-generation']);
    expect(pod.metadata.labels?.['pod-template-generation']).toBe('1');
    const terms = ((((pod.spec as Obj).affinity as Obj).nodeAffinity as Obj).requiredDuringSchedulingIgnoredDuringExecution as Obj).nodeSelectorTerms;
    expect(terms).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeOf(pod)] }] }]);
    expect(((pod.spec as Obj).tolerations as Obj[]).map((t) => `${String(t.key)}:${String(t.effect)}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    expect(status(ds())).toEqual({
      currentNumberScheduled: 3,
      desiredNumberScheduled: 3,
      numberAvailable: 3,
      numberMisscheduled: 0,
      numberReady: 3,
      observedGeneration: 1,
      updatedNumberScheduled: 3,
    });
    expect(events('agent').sort()).toEqual(pods().map((p) => `SuccessfulCreate: Created pod: ${p.metadata.name ?? ''}`).sort());
  });

  it('covers the masters too when the template tolerates the control-plane taint', () => {
    const { ok, runUntil, pods, nodeOf, ds } = setup();
    ok({ verb: 'create', namespace: 'default', body: daemonSet({}, { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }) });
    runUntil(() => status(ds()).numberReady === 6, 60_000);
    expect(pods().map(nodeOf).sort()).toEqual(['master-1', 'master-2', 'master-3', ...WORKERS]);
  });

  it('follows a node labelled later when its nodeSelector matches', () => {
    const { ok, runUntil, pods, nodeOf, ds, get, run } = setup();
    ok({ verb: 'create', namespace: 'default', body: daemonSet({}, { nodeSelector: { disk: 'ssd' } }) });
    run(5_000);
    expect(pods()).toEqual([]);
    expect(status(ds())).toMatchObject({ desiredNumberScheduled: 0, currentNumberScheduled: 0 });
    const node = get('nodes', 'worker-2') as KubeObject;
    ok({ verb: 'update', body: { ...node, metadata: { ...node.metadata, labels: { ...node.metadata.labels, disk: 'ssd' } } } });
    runUntil(() => status(ds()).numberReady === 1, 60_000);
    expect(pods().map(nodeOf)).toEqual(['worker-2']);
  });

  it('does not move a dead worker’s pod elsewhere', () => {
    const { ok, runUntil, pods, nodeOf, ds, cluster, run } = setup();
    ok({ verb: 'create', namespace: 'default', body: daemonSet() });
    runUntil(() => status(ds()).numberReady === 3, 60_000);
    cluster.applyFault({ kill: 'worker-1' });
    // Long enough for the node to go NotReady, be tainted unreachable, and for evictions to have happened.
    run(400_000);
    expect(pods().map(nodeOf).sort()).toEqual(WORKERS);
    expect(pods()).toHaveLength(3);
  });

  it('rolls a template change out one node at a time', () => {
    const { ok, runUntil, pods, ds, get } = setup();
    ok({ verb: 'create', namespace: 'default', body: daemonSet() });
    runUntil(() => status(ds()).numberAvailable === 3, 60_000);
    const oldHash = pods()[0]?.metadata.labels?.['controller-revision-hash'];
    const cur = get('daemonsets', 'agent') as KubeObject;
    const spec = JSON.parse(JSON.stringify(cur.spec)) as Obj;
    (((spec.template as Obj).spec as Obj).containers as Obj[])[0]!.image = 'busybox:1.37';
    ok({ verb: 'update', namespace: 'default', body: { ...cur, spec } });
    let maxDown = 0;
    runUntil(
      () => status(ds()).updatedNumberScheduled === 3 && status(ds()).numberAvailable === 3 && pods().length === 3,
      120_000,
      () => {
        const all = pods();
        const readyOld = all.filter((p) => p.metadata.labels?.['controller-revision-hash'] === oldHash).length;
        const readyNew = all.filter((p) => p.metadata.labels?.['controller-revision-hash'] !== oldHash && ((p.status as Obj).conditions as Obj[] | undefined)?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
        maxDown = Math.max(maxDown, 3 - readyOld - readyNew);
      },
    );
    expect(maxDown).toBe(1);
    const hashes = new Set(pods().map((p) => p.metadata.labels?.['controller-revision-hash']));
    expect(hashes.size).toBe(1);
    expect(hashes.has(oldHash)).toBe(false);
    expect(status(ds())).toMatchObject({ observedGeneration: 2, updatedNumberScheduled: 3 });
    expect(pods().every((p) => p.metadata.labels?.['pod-template-generation'] === '2')).toBe(true);
  });
});

describe('daemon pod placement rules', () => {
  const node = (name: string, labels: Record<string, string>, taints: Obj[] = []): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints } });
  const ds = daemonSet();

  it('lets a pod stay on a node whose NoExecute taints it tolerates, but places none on NoSchedule ones', () => {
    const unreachable = node('w', {}, [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    ]);
    expect(nodeShouldRunDaemonPod(unreachable, ds)).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(node('w', {}, [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]), ds)).toEqual({ shouldRun: false, shouldContinueRunning: false });
    expect(nodeShouldRunDaemonPod(node('w', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), ds)).toEqual({ shouldRun: true, shouldContinueRunning: true });
  });

  it('adds network-unavailable only for host-network pods, and keeps a user toleration', () => {
    expect(daemonPodTolerations({ hostNetwork: true }).map((t) => t.key)).toContain('node.kubernetes.io/network-unavailable');
    expect(daemonPodTolerations({}).map((t) => t.key)).not.toContain('node.kubernetes.io/network-unavailable');
    const mine = { key: 'gpu', operator: 'Exists' };
    expect(daemonPodTolerations({ tolerations: [mine] })[0]).toEqual(mine);
  });

  it('pins the node by name while keeping label expressions of each term', () => {
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] } } };
    expect(pinToNode(affinity, 'worker-1').nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-1'] }] },
    ]);
  });

  it('deletes at most maxUnavailable available old pods, and any unavailable one', () => {
    const nodes = ['a', 'b', 'c'].map((n) => node(n, {}));
    const ready = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    const pod = (n: string, hash: string, st: Obj): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${n}`, labels: { 'controller-revision-hash': hash } }, spec: { nodeName: n }, status: st });
    const byNode = new Map([
      ['a', [pod('a', 'old', ready)]],
      ['b', [pod('b', 'old', ready)]],
      ['c', [pod('c', 'old', { phase: 'Pending' })]],
    ]);
    expect(rollingUpdateDeletions(ds, nodes, byNode, 'new', 0).map((p) => p.metadata.name)).toEqual(['p-c', 'p-a']);
    const two = daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '50%' } } });
    expect(rollingUpdateDeletions(two, nodes, byNode, 'new', 0).map((p) => p.metadata.name)).toEqual(['p-c', 'p-a', 'p-b']);
  });
});
