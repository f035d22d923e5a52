// Whole-cluster benchmark: `npm run bench`. Prints figures; asserts nothing.
import { Cluster } from '../src/engine/cluster';
import type { KubeObject } from '../src/engine/apiserver/apiObjects';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Runs `virtualMs` of a cluster and prints how much faster than real time it went. */
function measure(title: string, cluster: Cluster, virtualMs: number): void {
  const events0 = cluster.world.eventsProcessed;
  const t0 = performance.now();
  cluster.world.runFor(virtualMs);
  const wallMs = performance.now() - t0;
  console.log(`\n${title}`);
  console.log(`  ${fmt(virtualMs / 1000)} virtual s in ${fmt(wallMs)} ms wall → ${fmt(virtualMs / wallMs)}× real time (${fmt(cluster.world.eventsProcessed - events0)} events)`);
}

const idle = new Cluster({ seed: 'bench-idle', network: { traceCapacity: 0 } });
idle.world.runUntil(30_000);
measure('Default cluster (3 masters, 3 workers), idle: leases, node status, leader election, health checks', idle, 600_000);

const busy = new Cluster({ seed: 'bench-pods', network: { traceCapacity: 0 } });
busy.world.net.addHost('console', 'outside', undefined, { external: true });
const client = busy.apiClient('console', 'bench');
busy.world.runUntil(30_000);
for (let i = 0; i < 60; i++) {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${i}`, namespace: 'default' },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 10 } }] },
  };
  client.request({ verb: 'create', body: pod }, () => undefined);
}
measure('Default cluster with 60 nginx pods scheduled, started and probed every 10 s', busy, 600_000);

// Traffic: the data plane's 100 ms tick with clients inside and outside the cluster.
const shop = new Cluster({ seed: 'bench-traffic', network: { traceCapacity: 0 } });
shop.world.net.addHost('console', 'outside', undefined, { external: true });
const shopClient = shop.apiClient('console', 'bench');
shop.world.runUntil(30_000);
const web = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }], readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 10 } }] } };
const shopObjects: KubeObject[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 6, selector: { matchLabels: { app: 'web' } }, template: web } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'loadgen', namespace: 'default' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'loadgen' } }, template: { metadata: { labels: { app: 'loadgen' } }, spec: { containers: [{ name: 'loadgen', image: 'kubeplay/loadgen:v1', env: [{ name: 'TARGET', value: 'http://web' }, { name: 'RATE', value: '50' }] }] } } },
  },
];
for (const o of shopObjects) shopClient.request({ verb: 'create', body: o }, () => undefined);
shop.world.runFor(30_000);
for (const w of ['worker-1', 'worker-2', 'worker-3']) shop.dataPlane.startLoad('console', { host: w, port: 30080, path: '/' }, 100);
measure('Default cluster with 6 web pods behind a NodePort, 3 load generators at 50 req/s and 3 loads from outside at 100 req/s', shop, 600_000);
const served = shop.dataPlane.seriesOf('service/default/web')?.total(shop.world.now - 600_000);
console.log(`  requests through the Service in those 600 s: ${fmt(served?.requests ?? 0)}, ${fmt(served?.ok ?? 0)} ok`);

// Scale: the kubelets' heartbeats and watches on a larger cluster (the figure to watch as the API server grows a watch cache).
const large = new Cluster({
  seed: 'bench-large',
  network: { traceCapacity: 0 },
  spec: {
    zones: ['zone-a', 'zone-b', 'zone-c'],
    masters: { count: 3, zones: ['zone-a', 'zone-b', 'zone-c'], cpu: '4', memory: '16Gi' },
    workers: { count: 200, spread: ['zone-a', 'zone-b', 'zone-c'], cpu: '8', memory: '32Gi', maxPods: 110 },
  },
});
large.world.runUntil(30_000);
measure('3 masters and 200 workers, idle after registration', large, 60_000);
