import { describe, expect, it } from 'vitest';
import type { MetricsServer } from '../engine/metrics/metricsServer';
import { clusterHarness } from '../engine/testing/clusterHarness';
import { runKubectl } from './kubectl';
import type { KubectlResult } from './kubectlEnv';

type Harness = ReturnType<typeof clusterHarness>;

/** The cluster's metrics-server beside master-1's API server (every master runs one). */
function withMetricsServer(h: Harness): MetricsServer {
  const ms = h.cluster.metricsServers.get('master-1');
  if (ms === undefined) throw new Error('the cluster runs no metrics-server on master-1');
  return ms;
}

function kubectl(h: Harness, line: string): KubectlResult {
  const env = { world: h.cluster.world, defaultContext: 'admin', clients: new Map([['admin', h.client]]) };
  const r = h.cluster.world.runUntilDone<KubectlResult>((done) => runKubectl(env, line, undefined, done), 60_000);
  if (r === undefined) throw new Error(`kubectl ${line}: no answer`);
  return r;
}

function pod(name: string, container: Record<string, unknown>, labels: Record<string, string> = {}) {
  return { verb: 'create' as const, body: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { containers: [{ name: 'main', ...container }] } } };
}

const BUSY = { image: 'busybox', command: ['sh', '-c', 'while true; do :; done'] };

/** A row's cells (kubectl pads every column, the last one too). */
const cells = (line: string): string[] => line.trim().split(/\s{3,}|\s+(?=\S)/);

describe('kubectl top', () => {
  it('says the Metrics API is not available when no metrics-server is installed', () => {
    // A control plane with the API servers alone: no metrics-server answers metrics.k8s.io.
    const h = clusterHarness({ apiServersOnly: true });
    expect(kubectl(h, 'top nodes')).toEqual({ exitCode: 1, stdout: '', stderr: 'error: Metrics API not available\n' });
    expect(kubectl(h, 'top pods').stderr).toBe('error: Metrics API not available\n');
  });

  it('shows node and pod usage once two scrapes have been taken', () => {
    const h = clusterHarness();
    withMetricsServer(h);
    h.ok(pod('busy', { ...BUSY, resources: { requests: { cpu: '200m' } } }, { app: 'busy' }));
    h.ok(pod('capped', { ...BUSY, resources: { requests: { cpu: '100m' }, limits: { cpu: '300m' } } }));
    h.ok(pod('web', { image: 'nginx' }, { app: 'web' }));
    h.run(40_000);

    const nodes = kubectl(h, 'top nodes');
    expect(nodes.exitCode).toBe(0);
    const lines = nodes.stdout.split('\n').filter((l) => l !== '');
    // Every cell is tab-terminated: the header's last column is padded too.
    expect(lines[0]).toBe('NAME       CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   ');
    expect(lines.slice(1).map((l) => cells(l)[0])).toEqual(['master-1', 'master-2', 'master-3', 'worker-1', 'worker-2', 'worker-3']);
    for (const l of lines.slice(1)) {
      const [name = '', cpu = '', cpuPct = '', mem = '', memPct = ''] = cells(l);
      const milli = Number(cpu.replace(/m$/, ''));
      const cores = name.startsWith('master') ? 2 : 4;
      const allocMi = (cores === 2 ? 4096 : 8192) - 100;
      expect(cpu).toMatch(/^\d+m$/);
      expect(cpuPct).toBe(`${Math.trunc((milli / (cores * 1000)) * 100)}%`);
      expect(mem).toMatch(/^\d+Mi$/);
      const mi = Number(mem.replace(/Mi$/, ''));
      // Percent of allocatable (capacity less the 100Mi eviction threshold), truncated.
      expect(Math.abs(Number(memPct.replace('%', '')) - (mi / allocMi) * 100)).toBeLessThan(1.01);
      expect(milli).toBeGreaterThan(10);
    }
    // The two spinning pods burn a core and 300m on top of the system's share.
    const total = lines.slice(1).reduce((s, l) => s + Number((cells(l)[1] ?? '').replace(/m$/, '')), 0);
    expect(total).toBeGreaterThan(1250);

    const pods = kubectl(h, 'top pods');
    expect(pods.exitCode).toBe(0);
    const rows = pods.stdout.split('\n').filter((l) => l !== '');
    expect(rows[0]).toBe('NAME     CPU(cores)   MEMORY(bytes)   ');
    const usage = new Map(rows.slice(1).map((l) => [cells(l)[0], cells(l).slice(1)]));
    expect([...usage.keys()]).toEqual(['busy', 'capped', 'web']);
    const busyCpu = Number(usage.get('busy')?.[0]?.replace(/m$/, ''));
    expect(busyCpu).toBeGreaterThanOrEqual(980);
    expect(busyCpu).toBeLessThanOrEqual(1000);
    const capped = Number(usage.get('capped')?.[0]?.replace(/m$/, ''));
    expect(capped).toBeGreaterThan(280);
    expect(capped).toBeLessThanOrEqual(300);
    expect(usage.get('web')).toEqual(['1m', '4Mi']);

    const all = kubectl(h, 'top pods -A -l app=web --containers');
    expect(all.stdout.split('\n')[0]).toBe('NAMESPACE   POD   NAME   CPU(cores)   MEMORY(bytes)   ');
    expect(all.stdout.split('\n')[1]).toBe('default     web   main   1m           4Mi             ');

    expect(kubectl(h, 'top pods --sort-by=cpu').stdout.split('\n').slice(1, 4).map((l) => cells(l)[0])).toEqual(['busy', 'capped', 'web']);
    expect(kubectl(h, 'top pods --sort-by=name').stderr).toBe('error: --sort-by accepts only cpu or memory\n');
    expect(kubectl(h, 'top nodes worker-1 -l a=b').stderr).toBe('error: only one of NAME or --selector can be provided\n');
  });

  it('has no metrics for a pod started 5 s ago', () => {
    const h = clusterHarness();
    withMetricsServer(h);
    h.ok(pod('old', { image: 'nginx' }));
    h.run(45_000);
    h.ok(pod('fresh', { image: 'nginx' }));
    // Long enough for it to run, too short for a second sample.
    h.run(5_000);
    expect(h.get('pods', 'fresh')?.status).toMatchObject({ phase: 'Running' });
    expect(kubectl(h, 'top pod fresh')).toEqual({ exitCode: 1, stdout: '', stderr: 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/fresh" not found\n' });
    const list = kubectl(h, 'top pods').stdout;
    expect(list).toContain('old');
    expect(list).not.toContain('fresh');
  });

  it('explains an empty answer: metrics not yet available, or no pods at all', () => {
    const h = clusterHarness();
    withMetricsServer(h);
    expect(kubectl(h, 'top pods -n kube-public')).toEqual({ exitCode: 0, stdout: '', stderr: 'No resources found in kube-public namespace.\n' });
    h.ok(pod('young', { image: 'nginx' }));
    h.run(3_000);
    expect(kubectl(h, 'top pods').stderr).toBe('error: metrics not available yet\n');
  });

  it('lists a node whose kubelet stopped answering as <unknown>', () => {
    const h = clusterHarness();
    withMetricsServer(h);
    h.run(40_000);
    h.cluster.applyFault({ stopKubelet: 'worker-2' });
    h.run(30_000);
    const out = kubectl(h, 'top nodes').stdout.split('\n');
    expect(out.at(-2)).toBe('worker-2   <unknown>    <unknown>   <unknown>       <unknown>   ');
    expect(out.filter((l) => l.includes('<unknown>'))).toHaveLength(1);
  });
});
