// Scale benchmark (part of `npm run bench`; prints figures, asserts nothing). Through the full path:
// a Deployment applied → API → Raft → ReplicaSet controller → kube-scheduler → kubelets (Running).
//   tsx bench/scale.bench.ts                 the sizes: 1,000 nodes idle 10 min + 10,000 pods; 5,000 nodes + 50,000 pods
//   tsx bench/scale.bench.ts WORKERS PODS [IDLE_MINUTES]   one size
import type { KubeObject } from '../src/engine/apiserver/apiObjects';
import { Cluster } from '../src/engine/cluster';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function run(workers: number, pods: number, idleMinutes: number): void {
  const t0 = performance.now();
  const cluster = new Cluster({
    seed: 'bench-scale',
    network: { traceCapacity: 0 },
    spec: {
      zones: ['zone-a', 'zone-b', 'zone-c'],
      masters: { count: 3, zones: ['zone-a', 'zone-b', 'zone-c'], cpu: '8', memory: '32Gi' },
      workers: { count: workers, spread: ['zone-a', 'zone-b', 'zone-c'], cpu: '8', memory: '32Gi', maxPods: 110 },
    },
  });
  cluster.world.net.addHost('console', 'outside', undefined, { external: true });
  const client = cluster.apiClient('console', 'bench');
  cluster.world.runUntil(40_000);
  console.log(`\n${fmt(workers)} workers + 3 masters: registered in ${fmt(performance.now() - t0)} ms wall (40 virtual s)`);

  if (idleMinutes > 0) {
    const t = performance.now();
    const events0 = cluster.world.eventsProcessed;
    cluster.world.runFor(idleMinutes * 60_000);
    const wall = performance.now() - t;
    console.log(`  idle (leases, node status, leader election): ${idleMinutes} virtual min in ${fmt(wall)} ms wall → ${((idleMinutes * 60_000) / wall).toFixed(1)}× real time (${fmt(cluster.world.eventsProcessed - events0)} events)`);
  }
  if (pods === 0) return;

  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'load', namespace: 'default' },
    spec: {
      replicas: pods,
      selector: { matchLabels: { app: 'load' } },
      template: { metadata: { labels: { app: 'load' } }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
    },
  };
  client.request({ verb: 'create', body: deployment }, (r) => {
    if (!r.ok || !r.result.ok) console.log(`  create failed: ${r.ok ? (r.result.ok ? '' : r.result.status.message) : r.error}`);
  });
  const t = performance.now();
  const start = cluster.world.now;
  let bound = 0;
  let running = 0;
  let allBound: { wall: number; virtual: number } | undefined;
  while (cluster.world.now < start + 1_800_000 && running < pods) {
    cluster.world.runFor(5_000);
    bound = 0;
    running = 0;
    for (const kv of cluster.etcd.member('master-1').kv.range('/registry/pods/default/', true).kvs) {
      const p = JSON.parse(kv.value) as { spec: { nodeName?: string }; status?: { phase?: string } };
      if (p.spec.nodeName !== undefined) bound++;
      if (p.status?.phase === 'Running') running++;
    }
    if (bound === pods && allBound === undefined) allBound = { wall: performance.now() - t, virtual: cluster.world.now - start };
  }
  const wall = performance.now() - t;
  if (allBound !== undefined) {
    console.log(`  ${fmt(pods)} pods scheduled and bound within ${fmt(allBound.virtual / 1000)} virtual s, ${fmt(allBound.wall)} ms wall → ${fmt(pods / (allBound.wall / 1000))} pods/s of wall time`);
  } else {
    console.log(`  only ${fmt(bound)} of ${fmt(pods)} pods bound after 30 virtual min`);
  }
  console.log(`  ${fmt(running)} Running within ${fmt((cluster.world.now - start) / 1000)} virtual s, ${fmt(wall)} ms wall → ${fmt(running / (wall / 1000))} pods/s through to Running`);
}

const [workers, pods, idle] = process.argv.slice(2).map(Number);
if (workers !== undefined) {
  run(workers, pods ?? 0, idle ?? 1);
} else {
  run(1_000, 10_000, 10);
  run(5_000, 50_000, 0);
}
