import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../engine/apiserver/apiObjects';
import { storedObjects } from '../engine/testing/clusterHarness';
import { parseRfc3339 } from '../engine/virtualTime';
import { runScenario } from './runScenario';
import { parseScenario } from './scenario';

type Obj = Record<string, unknown>;

/** A Deployment of 6 nginx pods on the default cluster (3 masters, 3 workers over two zones). */
function scenario(tolerationSeconds?: number): string {
  const tolerations =
    tolerationSeconds === undefined
      ? ''
      : `
        tolerations:
        - { key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: ${tolerationSeconds} }
        - { key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: ${tolerationSeconds} }`;
  return `apiVersion: kubeplay/v1
kind: Scenario
metadata: { name: self-healing }
seed: 11
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
        - { name: nginx, image: "nginx:1.27", readinessProbe: { httpGet: { path: /, port: 80 }, periodSeconds: 5 } }${tolerations}
actions:
  - { at: 20s, kubectl: "apply -f -" }
`;
}

const nodeOf = (p: KubeObject): string => String((p.spec as Obj).nodeName ?? '');
const ready = (o: KubeObject): boolean => (((o.status as Obj | undefined)?.conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True');

/**
 * Runs the scenario to 80 s, kills the worker with the most pods, then steps through virtual time
 * noting when the node went Unknown, when its pods were marked for deletion, and when the
 * Deployment was back to 6 ready pods, all of them on other workers.
 */
function killBusiestWorker(tolerationSeconds?: number, limitMs = 600_000) {
  const parsed = parseScenario(scenario(tolerationSeconds));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const { cluster } = runScenario(parsed.scenario, { untilMs: 80_000 });
  const pods = storedObjects(cluster, 'pods/default/');
  expect(pods.filter(ready)).toHaveLength(6);
  const perNode = new Map<string, number>();
  for (const p of pods) perNode.set(nodeOf(p), (perNode.get(nodeOf(p)) ?? 0) + 1);
  const victim = [...perNode.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? '';
  const killedAt = cluster.world.now;
  cluster.applyFault({ kill: victim });
  const seen: { unknown?: number; evicted?: number; healed?: number } = {};
  while (cluster.world.now < killedAt + limitMs && seen.healed === undefined) {
    cluster.world.runFor(1_000);
    const t = cluster.world.now - killedAt;
    const node = storedObjects(cluster, `minions/${victim}`)[0];
    const nodeReady = ((node?.status as Obj | undefined)?.conditions as Obj[] | undefined)?.find((c) => c.type === 'Ready');
    if (seen.unknown === undefined && nodeReady?.status === 'Unknown') seen.unknown = t;
    const now = storedObjects(cluster, 'pods/default/');
    if (seen.evicted === undefined && now.some((p) => nodeOf(p) === victim && p.metadata.deletionTimestamp !== undefined)) seen.evicted = t;
    const elsewhere = now.filter((p) => nodeOf(p) !== victim && p.metadata.deletionTimestamp === undefined && ready(p));
    const deployment = storedObjects(cluster, 'deployments/default/web')[0];
    if (elsewhere.length === 6 && (deployment?.status as Obj | undefined)?.readyReplicas === 6) seen.healed = t;
  }
  return { seen, cluster, victim, killedAt, perNode };
}

describe('self-healing: kill the worker with the most pods', () => {
  it('with the defaults: the node is Unknown after the 50 s grace period, its pods are evicted 300 s later and replaced on the other workers', () => {
    const { seen, perNode, victim, cluster, killedAt } = killBusiestWorker();
    expect(perNode.get(victim)).toBeGreaterThanOrEqual(2);
    // node-monitor-grace-period 50 s (v1.32), checked every 5 s.
    expect(seen.unknown).toBeGreaterThanOrEqual(50_000);
    expect(seen.unknown).toBeLessThanOrEqual(57_000);
    // The unreachable NoExecute taint follows; the default toleration lasts 300 s.
    expect(seen.evicted).toBeGreaterThanOrEqual(350_000);
    expect(seen.evicted).toBeLessThanOrEqual(370_000);
    expect(seen.healed).toBeDefined();
    expect(seen.healed ?? Infinity).toBeLessThanOrEqual(390_000);
    // The dead node's pods stay Terminating: no kubelet is there to confirm they stopped.
    const stuck = storedObjects(cluster, 'pods/default/').filter((p) => nodeOf(p) === victim);
    expect(stuck.length).toBe(perNode.get(victim));
    expect(stuck.every((p) => p.metadata.deletionTimestamp !== undefined && (parseRfc3339(p.metadata.deletionTimestamp) ?? 0) > killedAt)).toBe(true);
  });

  it('with tolerationSeconds: 30 the Deployment heals within about 90 s', () => {
    const { seen } = killBusiestWorker(30, 200_000);
    expect(seen.evicted).toBeGreaterThanOrEqual(80_000);
    expect(seen.evicted).toBeLessThanOrEqual(95_000);
    expect(seen.healed ?? Infinity).toBeLessThanOrEqual(100_000);
  });
});
