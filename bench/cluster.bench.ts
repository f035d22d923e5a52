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
