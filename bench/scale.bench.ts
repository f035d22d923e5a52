// Scale benchmark (part of `npm run bench`; prints figures, asserts nothing). Through the full path:
// a Deployment applied → API → Raft → ReplicaSet controller → kube-scheduler → kubelets.
// `tsx bench/scale.bench.ts WORKERS PODS` runs another size (the targets are 1,000/10,000 and 5,000/50,000).
import type { KubeObject } from '../src/engine/apiserver/apiObjects';
import { Cluster } from '../src/engine/cluster';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const workers = Number(process.argv[2] ?? 1_000);
const pods = Number(process.argv[3] ?? 2_000);

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

let t = performance.now();
cluster.world.runFor(60_000);
console.log(`  idle (heartbeats only): 60 virtual s in ${fmt(performance.now() - t)} ms wall → ${(60_000 / (performance.now() - t)).toFixed(1)}× real time`);

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
t = performance.now();
const start = cluster.world.now;
let bound = 0;
while (cluster.world.now < start + 600_000 && bound < pods) {
  cluster.world.runFor(5_000);
  bound = cluster.etcd
    .member('master-1')
    .kv.range('/registry/pods/default/', true)
    .kvs.filter((kv) => (JSON.parse(kv.value) as { spec: { nodeName?: string } }).spec.nodeName !== undefined).length;
}
const wallMs = performance.now() - t;
console.log(`  ${fmt(bound)} of ${fmt(pods)} pods scheduled and bound in ${fmt((cluster.world.now - start) / 1000)} virtual s, ${fmt(wallMs)} ms wall → ${fmt(bound / (wallMs / 1000))} pods/s of wall time`);
