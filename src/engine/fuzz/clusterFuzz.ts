import type { KubeObject } from '../apiserver/apiObjects';
import { Cluster } from '../cluster';
import { describeFault, type Fault } from '../faults';
import { Rng } from '../rng';
import { storedObjects } from '../testing/clusterHarness';

/**
 * Whole-cluster fault schedules: a Deployment, a StatefulSet and a DaemonSet on the default
 * cluster, three virtual minutes of random faults (workers and a master killed and restarted,
 * kubelets stopped, zones partitioned, hosts isolated), then everything healed. Checked after
 * every virtual second: a pod's node never changes once bound, no pod runs on two nodes, and a
 * StatefulSet's pod name never runs twice at once. Checked at the end: every workload is back to
 * its desired count, all ready, nothing left terminating, no container runs for a pod the API no
 * longer has, and a load from outside through a node's NodePort (sending all along) gets every
 * request answered again: the data plane has caught up with the healed cluster.
 */

type Obj = Record<string, unknown>;

export interface ClusterFuzzResult {
  readonly seed: number;
  readonly violations: string[];
  readonly faults: number;
  /** Pods that existed at some point: more than the workloads' 11 means pods were replaced. */
  readonly podsCreated: number;
}

/** Short tolerations, so pods on lost nodes are evicted (and replaced) while the faults still go on. */
const QUICK_EVICTION = ['unreachable', 'not-ready'].map((k) => ({ key: `node.kubernetes.io/${k}`, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 20 }));

const WORKLOADS: KubeObject[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 5, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { tolerations: QUICK_EVICTION, containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80, nodePort: 30080 }] },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { tolerations: QUICK_EVICTION, containers: [{ name: 'redis', image: 'redis:7' }] } } },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'busybox:1.36', command: ['sleep', 'infinity'] }] } } },
  },
];

const FAULT_PHASE_MS = 180_000;
/** The load from outside, requests a second, and the settled span in which all of them must succeed. */
const LOAD_RPS = 5;
const TRAFFIC_CHECK_MS = 60_000;
const SETTLE_MS = 480_000;

export function runClusterFuzz(seed: number, options: { log?: (line: string) => void } = {}): ClusterFuzzResult {
  const log = options.log ?? (() => undefined);
  const cluster = new Cluster({ seed, network: { traceCapacity: 0 } });
  const world = cluster.world;
  const rng = new Rng(seed, 'cluster-fuzz');
  world.net.addHost('console', 'outside', undefined, { external: true });
  const client = cluster.apiClient('console', 'fuzz');
  world.runUntil(20_000);
  for (const w of WORKLOADS) client.request({ verb: 'create', body: w }, (r) => r.ok && r.result.ok ? undefined : log(`create ${w.kind} failed`));
  world.runUntil(60_000);
  // Traffic from outside through a NodePort, all along: requests fail while the faults go on,
  // and once everything is healed and settled every one of them must succeed again.
  const load = cluster.dataPlane.startLoad('console', { host: 'worker-1', port: 30080, path: '/' }, LOAD_RPS);

  const violations: string[] = [];
  const boundTo = new Map<string, string>();
  const names = new Map<string, string>();
  const check = (): void => {
    const pods = storedObjects(cluster, 'pods/');
    for (const p of pods) {
      const uid = p.metadata.uid ?? '';
      names.set(uid, `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`);
      const node = (p.spec as Obj).nodeName as string | undefined;
      if (node === undefined) continue;
      const was = boundTo.get(uid);
      if (was !== undefined && was !== node) violations.push(`${fmt(world.now)} pod ${names.get(uid) ?? uid} moved from ${was} to ${node}`);
      boundTo.set(uid, node);
    }
    // Where containers really run, by pod UID and by StatefulSet pod name.
    const runningUids = new Map<string, string[]>();
    for (const n of cluster.nodes) {
      const rt = cluster.runtimes.get(n.name);
      for (const uid of rt?.podsWithState() ?? []) {
        if (!rt?.containersOf(uid).some((c) => c.finishedAt === undefined)) continue;
        runningUids.set(uid, [...(runningUids.get(uid) ?? []), n.name]);
      }
    }
    const byName = new Map<string, string[]>();
    for (const [uid, nodes] of runningUids) {
      if (nodes.length > 1) violations.push(`${fmt(world.now)} pod ${names.get(uid) ?? uid} runs on ${nodes.join(' and ')}`);
      const name = names.get(uid) ?? '';
      if (/^default\/db-\d+$/.test(name)) byName.set(name, [...(byName.get(name) ?? []), uid]);
    }
    for (const [name, uids] of byName) if (uids.length > 1) violations.push(`${fmt(world.now)} StatefulSet pod ${name} runs twice (${uids.length} pods)`);
  };

  let faults = 0;
  const down = new Set<string>();
  const stoppedKubelets = new Set<string>();
  let partitioned = false;
  const workers = cluster.nodes.filter((n) => n.role === 'worker').map((n) => n.name);
  const masters = cluster.masters;
  const apply = (f: Fault): void => {
    faults++;
    log(`${fmt(world.now)} ! ${describeFault(f)}`);
    cluster.applyFault(f);
  };
  const end = world.now + FAULT_PHASE_MS;
  let next = world.now + rng.intBetween(5_000, 25_000);
  while (world.now < end) {
    world.runFor(1_000);
    check();
    if (world.now < next) continue;
    next = world.now + rng.intBetween(5_000, 30_000);
    const choice = rng.int(8);
    const downMasters = masters.filter((m) => down.has(m));
    if (choice === 0) {
      const w = rng.pick(workers);
      if (down.has(w)) {
        down.delete(w);
        apply({ restart: w });
      } else {
        down.add(w);
        apply({ kill: w });
      }
    } else if (choice === 1) {
      const w = rng.pick(workers);
      if (stoppedKubelets.has(w)) {
        stoppedKubelets.delete(w);
        apply({ startKubelet: w });
      } else if (!down.has(w)) {
        stoppedKubelets.add(w);
        apply({ stopKubelet: w });
      }
    } else if (choice === 2) {
      if (partitioned) apply({ heal: 'partitions' });
      else apply({ partition: [['zone-a'], ['zone-b']] });
      partitioned = !partitioned;
    } else if (choice === 3) {
      // At most one master down at a time, so the control plane can keep (or regain) quorum.
      if (downMasters.length > 0) {
        const m = downMasters[0] as string;
        down.delete(m);
        apply({ restart: m });
      } else {
        const m = rng.pick(masters);
        down.add(m);
        apply({ kill: m });
      }
    } else if (choice === 4 && !partitioned) {
      apply({ isolate: rng.pick(workers) });
      partitioned = true;
    } else if (choice === 5) {
      // A learner deletes a pod by hand.
      const pods = storedObjects(cluster, 'pods/default/').filter((p) => p.metadata.deletionTimestamp === undefined);
      if (pods.length > 0) {
        const p = rng.pick(pods);
        log(`${fmt(world.now)} $ kubectl delete pod ${p.metadata.name ?? ''}`);
        client.request({ verb: 'delete', resource: 'pods', namespace: 'default', name: p.metadata.name ?? '' }, () => undefined);
      }
    }
  }
  // Heal everything: the network, every host, every kubelet.
  apply({ heal: 'all' });
  for (const h of [...down].sort()) apply({ restart: h });
  for (const h of [...stoppedKubelets].sort()) apply({ startKubelet: h });
  const settleEnd = world.now + SETTLE_MS;
  while (world.now < settleEnd) {
    world.runFor(5_000);
    check();
  }
  violations.push(...converged(cluster, workers.length).map((v) => `${fmt(world.now)} ${v}`));
  const last = cluster.dataPlane.seriesOf(load.seriesKey)?.total(world.now - TRAFFIC_CHECK_MS, world.now);
  if (last === undefined || last.requests !== (LOAD_RPS * TRAFFIC_CHECK_MS) / 1000 || last.ok !== last.requests) {
    violations.push(`${fmt(world.now)} the load through worker-1:30080 in the last ${TRAFFIC_CHECK_MS / 1000} s: ${JSON.stringify(last)}, want every request ok`);
  }
  return { seed, violations, faults, podsCreated: names.size };
}


const ready = (o: KubeObject): boolean => (((o.status as Obj | undefined)?.conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True');

/** What must hold once the faults are healed and time has passed: each workload whole and ready, nothing stale. */
function converged(cluster: Cluster, workers: number): string[] {
  const problems: string[] = [];
  const pods = storedObjects(cluster, 'pods/default/');
  const terminating = pods.filter((p) => p.metadata.deletionTimestamp !== undefined);
  if (terminating.length > 0) problems.push(`still terminating: ${terminating.map((p) => p.metadata.name).join(', ')}`);
  const of = (app: string): KubeObject[] => pods.filter((p) => p.metadata.labels?.app === app && p.metadata.deletionTimestamp === undefined);
  const expectReady = (app: string, want: number): void => {
    const got = of(app);
    const readyCount = got.filter(ready).length;
    if (got.length !== want || readyCount !== want) problems.push(`${app}: ${got.length} pods, ${readyCount} ready, want ${want}`);
  };
  expectReady('web', 5);
  expectReady('db', 3);
  expectReady('agent', workers);
  const db = of('db')
    .map((p) => p.metadata.name)
    .sort();
  if (JSON.stringify(db) !== JSON.stringify(['db-0', 'db-1', 'db-2'])) problems.push(`StatefulSet pods are ${db.join(', ')}`);
  const agentNodes = new Set(of('agent').map((p) => (p.spec as Obj).nodeName));
  if (agentNodes.size !== workers) problems.push(`DaemonSet pods on ${[...agentNodes].join(', ')}`);
  const deployment = storedObjects(cluster, 'deployments/default/web')[0];
  if ((deployment?.status as Obj | undefined)?.readyReplicas !== 5) problems.push(`Deployment readyReplicas ${String((deployment?.status as Obj | undefined)?.readyReplicas)}`);
  const known = new Set(storedObjects(cluster, 'pods/').map((p) => p.metadata.uid));
  for (const n of cluster.nodes) {
    const rt = cluster.runtimes.get(n.name);
    for (const uid of rt?.podsWithState() ?? []) {
      if (rt?.containersOf(uid).some((c) => c.finishedAt === undefined) && !known.has(uid)) problems.push(`${n.name} still runs containers of a deleted pod ${uid}`);
    }
  }
  return problems;
}

function fmt(ms: number): string {
  return `[${(ms / 1000).toFixed(3)}s]`;
}

/** One shard of a sweep (seeds 1…count with seed % shards === shard): failures with their replay command, faults injected, pods replaced. */
export function clusterFuzzShard(count: number, shard: number, shards = 2): { failures: string[]; faults: number; replaced: number; seeds: number } {
  const failures: string[] = [];
  let faults = 0;
  let replaced = 0;
  let seeds = 0;
  for (let seed = 1; seed <= count; seed++) {
    if (seed % shards !== shard) continue;
    seeds++;
    const r = runClusterFuzz(seed);
    faults += r.faults;
    // Eleven pods make the workloads; more means controllers replaced evicted or deleted ones.
    replaced += r.podsCreated - 11;
    if (r.violations.length > 0) failures.push(`seed ${seed} (replay: npm run fuzz -- --cluster --seed ${seed}):\n  ${r.violations.slice(0, 5).join('\n  ')}`);
  }
  return { failures, faults, replaced, seeds };
}
