import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../engine/apiserver/apiObjects';
import type { Cluster } from '../engine/cluster';
import { storedObjects } from '../engine/testing/clusterHarness';
import { runScenario } from './runScenario';
import { parseScenario } from './scenario';

type Obj = Record<string, unknown>;

const SCENARIO = `apiVersion: kubeplay/v1
kind: Scenario
metadata: { name: zone-partition }
seed: 5
manifests: |
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: web }
  spec:
    replicas: 6
    selector: { matchLabels: { app: web } }
    template:
      metadata: { labels: { app: web } }
      spec:
        containers:
        - { name: nginx, image: "nginx:1.27" }
actions:
  - { at: 20s, kubectl: "apply -f -" }
  - { at: 80s, fault: { partition: [[zone-a], [zone-b]] } }
`;

const nodeOf = (p: KubeObject): string => String((p.spec as Obj).nodeName ?? '');
const ready = (o: KubeObject): boolean => (((o.status as Obj | undefined)?.conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True');
/** Containers still running on a node, by pod UID. */
const runningOn = (cluster: Cluster, node: string): Set<string> => {
  const rt = cluster.runtimes.get(node);
  return new Set((rt?.podsWithState() ?? []).filter((uid) => rt?.containersOf(uid).some((c) => c.finishedAt === undefined)));
};

describe('zone partition with the masters split 2+1', () => {
  it('zone-b keeps its pods running, zone-a replaces them; after the heal exactly the desired pods run and nothing the API forgot', () => {
    const parsed = parseScenario(SCENARIO);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    // Default cluster: master-3 and worker-2 are zone-b's; the majority of masters is in zone-a.
    const { cluster } = runScenario(parsed.scenario, { untilMs: 80_000 });
    const before = storedObjects(cluster, 'pods/default/').filter((p) => nodeOf(p) === 'worker-2');
    expect(before.length).toBeGreaterThan(0);
    const zoneBPods = new Set(before.map((p) => p.metadata.uid ?? ''));

    // Past the grace period and the 300 s toleration: zone-a's controllers replaced worker-2's pods.
    cluster.world.runUntil(80_000 + 400_000);
    const node = storedObjects(cluster, 'minions/worker-2')[0];
    expect(((node?.status as Obj).conditions as Obj[]).find((c) => c.type === 'Ready')?.status).toBe('Unknown');
    const live = storedObjects(cluster, 'pods/default/').filter((p) => p.metadata.deletionTimestamp === undefined);
    expect(live).toHaveLength(6);
    expect(live.every((p) => nodeOf(p) !== 'worker-2' && ready(p))).toBe(true);
    // Cut off from every API server with quorum, worker-2's kubelet kept its containers running.
    for (const uid of zoneBPods) expect(runningOn(cluster, 'worker-2').has(uid)).toBe(true);

    cluster.applyFault({ heal: 'all' });
    cluster.world.runFor(60_000);
    const after = storedObjects(cluster, 'pods/default/');
    expect(after).toHaveLength(6);
    expect(after.every((p) => p.metadata.deletionTimestamp === undefined && ready(p))).toBe(true);
    expect((storedObjects(cluster, 'deployments/default/web')[0]?.status as Obj).readyReplicas).toBe(6);
    // Every container running anywhere belongs to a pod the API has.
    const known = new Set(after.map((p) => p.metadata.uid ?? ''));
    for (const n of cluster.nodes) for (const uid of runningOn(cluster, n.name)) expect(known.has(uid)).toBe(true);
    expect(((storedObjects(cluster, 'minions/worker-2')[0]?.status as Obj).conditions as Obj[]).find((c) => c.type === 'Ready')?.status).toBe('True');
  });
});
