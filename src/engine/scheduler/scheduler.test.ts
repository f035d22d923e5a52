import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { clusterHarness } from '../testing/clusterHarness';

type Obj = Record<string, unknown>;

function pod(name: string, spec: Obj = {}, cpu?: string): KubeObject {
  const resources = cpu === undefined ? {} : { resources: { requests: { cpu } } };
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...resources }], ...spec } };
}
const nodeOf = (p: KubeObject | undefined): string | undefined => (p?.spec as { nodeName?: string } | undefined)?.nodeName;
const scheduled = (p: KubeObject | undefined): Obj | undefined => (((p?.status as Obj | undefined)?.conditions ?? []) as Obj[]).find((c) => c.type === 'PodScheduled');

describe('kube-scheduler', () => {
  it('runs on one master at a time, holding kube-system/kube-scheduler; another takes over when that master dies', () => {
    const { cluster, get, run, ok } = clusterHarness();
    const leaders = (): string[] => [...cluster.schedulers.values()].filter((s) => s.isLeader).map((s) => s.identity);
    expect(leaders()).toHaveLength(1);
    expect((get('leases', 'kube-scheduler', 'kube-system')?.spec as Obj).holderIdentity).toBe(leaders()[0]);
    const host = (leaders()[0] ?? '').split('_')[0] ?? '';
    cluster.applyFault({ kill: host });
    run(30_000);
    expect(leaders()).toHaveLength(1);
    expect(leaders()[0]?.startsWith(host)).toBe(false);
    // The new leader schedules.
    ok({ verb: 'create', body: pod('after') });
    run(5_000);
    expect(nodeOf(get('pods', 'after'))).toMatch(/^worker-/);
  });

  it('binds a pod to a worker, records Scheduled and sets PodScheduled=True', () => {
    const { ok, get, run, events } = clusterHarness();
    ok({ verb: 'create', body: pod('web') });
    run(3_000);
    const p = get('pods', 'web');
    const node = nodeOf(p) ?? '';
    expect(node).toMatch(/^worker-[123]$/);
    expect(scheduled(p)?.status).toBe('True');
    expect(events('web')[0]).toBe(`Scheduled: Successfully assigned default/web to ${node}`);
  });

  it('leaves a pod no node fits Pending with kube-scheduler\'s message, and places it once room appears', () => {
    const { ok, get, run, events, call } = clusterHarness();
    // Workers have 4 CPUs: the first big pod fits one, three more would need three more workers.
    for (const name of ['big-1', 'big-2', 'big-3']) ok({ verb: 'create', body: pod(name, {}, '3') });
    run(3_000);
    ok({ verb: 'create', body: pod('big-4', {}, '3') });
    run(3_000);
    const waiting = get('pods', 'big-4');
    expect(nodeOf(waiting)).toBeUndefined();
    const message =
      '0/6 nodes are available: 3 Insufficient cpu, 3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.';
    expect(scheduled(waiting)).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    expect(events('big-4')).toEqual([`FailedScheduling: ${message}`]);
    // A deleted pod frees a worker: the waiting pod is retried at once, not after five minutes.
    call({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'big-2' });
    run(10_000);
    expect(nodeOf(get('pods', 'big-4'))).toMatch(/^worker-/);
  });

  it('explains a nodeSelector nobody matches, and a pod that tolerates the control-plane taint may land on a master', () => {
    const { ok, get, run } = clusterHarness();
    ok({ verb: 'create', body: pod('gpu', { nodeSelector: { accelerator: 'nvidia' } }) });
    const tolerations = [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }];
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] }] } } };
    ok({ verb: 'create', body: pod('admin', { tolerations, affinity }) });
    run(3_000);
    expect(scheduled(get('pods', 'gpu'))?.message).toBe(
      "0/6 nodes are available: 3 node(s) didn't match Pod's node affinity/selector, 3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.",
    );
    expect(nodeOf(get('pods', 'admin'))).toMatch(/^master-/);
  });

  it('spreads replicas with required anti-affinity, one per worker, and says why the fourth cannot go anywhere', () => {
    const { ok, get, run } = clusterHarness();
    const anti = (name: string): KubeObject => {
      const p = pod(name, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { tier: 'cache' } }, topologyKey: 'kubernetes.io/hostname' }] } } });
      return { ...p, metadata: { ...p.metadata, labels: { tier: 'cache' } } };
    };
    for (let i = 1; i <= 3; i++) {
      ok({ verb: 'create', body: anti(`cache-${i}`) });
      run(1_000);
    }
    ok({ verb: 'create', body: anti('cache-4') });
    run(3_000);
    expect(new Set([1, 2, 3].map((i) => nodeOf(get('pods', `cache-${i}`))))).toEqual(new Set(['worker-1', 'worker-2', 'worker-3']));
    expect(scheduled(get('pods', 'cache-4'))?.message).toBe(
      "0/6 nodes are available: 3 node(s) didn't match pod anti-affinity rules, 3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
    );
  });

  it('keeps the per-node verdicts of its last decision, for the UI', () => {
    const { cluster, ok, get, run } = clusterHarness();
    ok({ verb: 'create', body: pod('huge', {}, '64') });
    run(3_000);
    const leader = [...cluster.schedulers.values()].find((s) => s.isLeader);
    const decision = leader?.decisions.get(get('pods', 'huge')?.metadata.uid ?? '');
    expect(decision?.node).toBeNull();
    expect(decision?.nodes.map((n) => `${n.node}: ${n.filter.plugin ?? ''} ${n.filter.reasons.join('; ')}`)).toEqual([
      'master-1: TaintToleration node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }',
      'master-2: TaintToleration node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }',
      'master-3: TaintToleration node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }',
      'worker-1: NodeResourcesFit Insufficient cpu',
      'worker-2: NodeResourcesFit Insufficient cpu',
      'worker-3: NodeResourcesFit Insufficient cpu',
    ]);
  });
});
