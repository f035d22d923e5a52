import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../engine/apiserver/apiObjects';
import type { Cluster } from '../engine/cluster';
import { storedObjects } from '../engine/testing/clusterHarness';
import { runScenario, type RunResult } from './runScenario';
import { parseScenario, type Scenario } from './scenario';

/**
 * The scenario files of issue 7 (src/scenario/scenarios/*.yaml): applications that do
 * something. Each runs headless as a lesson or share link would, and the assertions read what a
 * learner would see — kubectl's output, the load generator's success rate, pods' states.
 */

type Obj = Record<string, unknown>;

function scenario(name: string): Scenario {
  const parsed = parseScenario(readFileSync(new URL(`./scenarios/${name}.yaml`, import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.errors)}`);
  return parsed.scenario;
}

function output(run: RunResult, command: string): string {
  const r = run.records.find((x) => x.command === command);
  if (r === undefined) throw new Error(`no record of ${command}`);
  return r.stdout + r.stderr;
}

/** Requests through the Service default/web in [from, to) of virtual time, as the load generator counted them. */
function web(cluster: Cluster, from: number, to = Infinity) {
  const s = cluster.dataPlane.seriesOf('service/default/web');
  if (s === undefined) throw new Error('no traffic to the Service web');
  return s.total(from, to);
}

/** The seconds in [from, to) in which some request to web failed. */
function failingSeconds(cluster: Cluster, from: number, to = Infinity): number[] {
  return (cluster.dataPlane.seriesOf('service/default/web')?.since(from) ?? []).filter((x) => x.t < to && x.ok < x.requests).map((x) => x.t);
}

const live = (cluster: Cluster, prefix: string): KubeObject[] => storedObjects(cluster, prefix).filter((p) => p.metadata.deletionTimestamp === undefined);
const image = (p: KubeObject): string => String(((p.spec as Obj).containers as Obj[])[0]?.image);
const nodeOf = (p: KubeObject): string => String((p.spec as Obj).nodeName ?? '');

describe('configuration: a ConfigMap and a Secret fix a CrashLoopBackOff', () => {
  const run = runScenario(scenario('config-fixes-crashloop'), { untilMs: 160_000 });

  it('without its settings the web tier crash-loops, says what is missing, and the Service refuses every request', () => {
    const pods = output(run, 'get pods -l app=web').split('\n').filter((l) => l.startsWith('web-'));
    expect(pods).toHaveLength(3);
    for (const line of pods) expect(line).toMatch(/0\/1\s+CrashLoopBackOff\s+\d+ \(\d+s ago\)/);
    expect(output(run, 'logs deployment/web')).toContain('missing DB_HOST and DB_PASSWORD: not set in the environment, and /etc/web/web.conf does not exist');
    const before = web(run.cluster, 30_000, 90_000);
    expect(before.requests).toBeGreaterThanOrEqual(59 * 20);
    expect(before.ok).toBe(0);
    expect(before.refused).toBe(before.requests);
  });

  it('with them it rolls out, connects to the database through its Service name and serves every request', () => {
    expect(output(run, 'rollout status deployment/web')).toContain('deployment "web" successfully rolled out');
    const after = web(run.cluster, 120_000, 160_000);
    expect(after.requests).toBe(40 * 20);
    expect(after.ok).toBe(after.requests);
    const pods = live(run.cluster, 'pods/default/web-');
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(((p.spec as Obj).containers as Obj[])[0]?.envFrom).toBeDefined();
  });
});

describe('a rolling update under load', () => {
  it('with readiness probes: the rollout to v2 completes and not one request fails', () => {
    const run = runScenario(scenario('rolling-update-with-probes'), { untilMs: 180_000 });
    expect(output(run, 'rollout status deployment/web')).toContain('deployment "web" successfully rolled out');
    expect(live(run.cluster, 'pods/default/web-').map(image)).toEqual(['kubeplay/web:v2', 'kubeplay/web:v2', 'kubeplay/web:v2']);
    const during = web(run.cluster, 90_000, 180_000);
    expect(during.requests).toBe(90 * 20);
    expect(failingSeconds(run.cluster, 40_000)).toEqual([]);
  }, 60_000);

  it('without them: new pods get traffic before they listen, and requests are refused while they warm up', () => {
    const run = runScenario(scenario('rolling-update-without-probes'), { untilMs: 180_000 });
    expect(output(run, 'rollout status deployment/web')).toContain('deployment "web" successfully rolled out');
    expect(web(run.cluster, 40_000, 90_000).ok).toBe(50 * 20);
    const during = web(run.cluster, 90_000, 180_000);
    expect(during.refused).toBeGreaterThan(0);
    expect(during.ok + during.refused).toBe(during.requests);
    // The failures are the rollout's: they stop once every new pod listens.
    const failing = failingSeconds(run.cluster, 90_000);
    expect(failing.length).toBeGreaterThan(0);
    expect(Math.max(...failing)).toBeLessThan(130_000);
  }, 60_000);
});

describe('a backend fails: requests fail only until its endpoints are removed', () => {
  it('a crashed web container costs at most its share of one second; a dead worker costs its share until the node lifecycle controller gives up on it', () => {
    const run = runScenario(scenario('backend-failure'), { untilMs: 60_000 });
    const { cluster } = run;
    expect(failingSeconds(cluster, 30_000)).toEqual([]);

    // Kill one web pod's main process (what `crash pod` does).
    const victim = live(cluster, 'pods/default/web-')[0] as KubeObject;
    const runtime = cluster.runtimes.get(nodeOf(victim));
    const container = runtime?.containersOf(victim.metadata.uid ?? '').find((c) => c.finishedAt === undefined);
    if (runtime === undefined || container === undefined) throw new Error('no running web container');
    runtime.crash(container.id);
    cluster.world.runFor(30_000);
    // The kubelet marks the pod unready at once, the EndpointSlice follows and kube-proxy syncs
    // within a second: whatever fails, fails in the first second, and the other two pods serve.
    expect(failingSeconds(cluster, 60_000, 90_000).every((t) => t < 61_000)).toBe(true);
    const lost = web(cluster, 60_000, 61_000);
    expect(lost.refused + lost.timeout).toBeLessThan(lost.requests / 3);
    expect(web(cluster, 61_000, 90_000).ok).toBe(29 * 20);
    // The restarted container is back in the Service.
    const slices = storedObjects(cluster, 'endpointslices/default/web-');
    const ready = slices.flatMap((s) => ((s as unknown as { endpoints?: Obj[] }).endpoints ?? []).filter((e) => (e.conditions as Obj | undefined)?.ready === true));
    expect(ready).toHaveLength(3);

    // Now kill the worker with the most web pods (the crashed one has been restarted by now).
    const pods = live(cluster, 'pods/default/web-');
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(nodeOf(p), (perNode.get(nodeOf(p)) ?? 0) + 1);
    const [node] = [...perNode.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? [''];
    const killedAt = cluster.world.now;
    cluster.applyFault({ kill: node });
    // Watch the EndpointSlice: when does it stop listing the dead node's endpoints as ready?
    let removedAt: number | undefined;
    while (cluster.world.now < killedAt + 120_000) {
      cluster.world.runFor(500);
      const slices = storedObjects(cluster, 'endpointslices/default/web-');
      const stillReady = slices.flatMap((s) => ((s as unknown as { endpoints?: Obj[] }).endpoints ?? []).filter((e) => e.nodeName === node && (e.conditions as Obj | undefined)?.ready !== false));
      if (removedAt === undefined && stillReady.length === 0) removedAt = cluster.world.now;
    }
    if (removedAt === undefined) throw new Error('the dead endpoints were never removed');
    // node-monitor-grace-period 50 s, then the pods are marked NotReady and leave the Service.
    expect(removedAt - killedAt).toBeGreaterThanOrEqual(50_000);
    const failing = failingSeconds(cluster, killedAt);
    expect(failing[0]).toBeLessThanOrEqual(killedAt + 1_000);
    expect(Math.max(...failing)).toBeLessThanOrEqual(removedAt + 1_000);
    expect(Math.max(...failing)).toBeGreaterThanOrEqual(removedAt - 2_000);
    const window = web(cluster, killedAt + 2_000, removedAt - 2_000);
    expect(window.timeout).toBeGreaterThan(0);
    expect(window.ok).toBeGreaterThan(0);
    expect(web(cluster, removedAt + 2_000).ok).toBe(web(cluster, removedAt + 2_000).requests);
  }, 60_000);
});

describe('network policy', () => {
  const run = runScenario(scenario('network-policy'), { untilMs: 150_000 });

  it('default-deny stops the web tier getting requests; the allow rules let exactly the shop through', () => {
    expect(web(run.cluster, 30_000, 60_000).ok).toBe(30 * 20);
    const denied = web(run.cluster, 61_000, 90_000);
    expect(denied.ok).toBe(0);
    expect(denied.timeout).toBe(denied.requests);
    const allowed = web(run.cluster, 91_000, 150_000);
    // The rogue-web pod's single try counts against the Service too.
    expect(allowed.ok).toBe(59 * 20 + 1);
    expect(allowed.timeout).toBe(1);
  });

  it('a rogue pod times out on the database and on web; a pod with the load generator\'s label gets in', () => {
    expect(output(run, 'get pods rogue rogue-web friend')).toMatch(/rogue\s+0\/1\s+Error\s+0/);
    expect(output(run, 'get pods rogue rogue-web friend')).toMatch(/rogue-web\s+0\/1\s+Error\s+0/);
    expect(output(run, 'get pods rogue rogue-web friend')).toMatch(/friend\s+0\/1\s+Completed\s+0/);
    expect(output(run, 'logs rogue')).toBe('wget: download timed out\n');
    expect(output(run, 'logs friend')).toMatch(/^Hello from web-[a-z0-9]+-[a-z0-9]{5} \(web v1\)\n$/);
  });

  it('kubectl describe networkpolicy says what the rule allows', () => {
    expect(output(run, 'describe networkpolicy db-from-web')).toContain(
      ['Spec:', '  PodSelector:     app=db', '  Allowing ingress traffic:', '    To Port: 5432/TCP', '    From:', '      PodSelector: app=web', '  Not affecting egress traffic', '  Policy Types: Ingress'].join('\n'),
    );
  });
});

describe('container escape', () => {
  const run = runScenario(scenario('container-escape'), { untilMs: 60_000 });
  const pods = output(run, 'get pods');

  it('succeeds privileged or with CAP_SYS_ADMIN on runc, and leaves its mark on the node', () => {
    expect(pods).toMatch(/escape-privileged\s+1\/1\s+Running\s+0/);
    expect(pods).toMatch(/escape-sys-admin\s+1\/1\s+Running\s+0/);
    for (const name of ['escape-privileged', 'escape-sys-admin']) {
      expect(output(run, `logs ${name}`)).toMatch(/\[\+\] escaped to node worker-\d: root on the host/);
      const pod = live(run.cluster, `pods/default/${name}`)[0] as KubeObject;
      const host = run.cluster.runtimes.get(nodeOf(pod))?.hostFiles.read('tmp/kubeplay-escaped', run.cluster.world.now);
      expect(host !== undefined && 'text' in host).toBe(true);
    }
  });

  it('fails against a hardened pod and inside gVisor, and the pods crash-loop', () => {
    for (const name of ['escape-hardened', 'escape-gvisor']) {
      expect(pods).toMatch(new RegExp(`${name}\\s+0/1\\s+(CrashLoopBackOff|Error)\\s+\\d`));
      expect(output(run, `logs ${name}`)).toContain('[!] escape failed: every route was blocked');
    }
    expect(output(run, 'logs escape-hardened')).toContain('no_new_privs is set (allowPrivilegeEscalation: false)');
    expect(output(run, 'logs escape-gvisor')).toContain('Linux 4.4.0 (runtime handler runsc)');
  });
});

describe('traffic from outside through a NodePort', () => {
  const run = runScenario(scenario('nodeport-external-load'), { untilMs: 160_000 });
  const { cluster } = run;
  const killedAt = 60_000;
  const seriesOf = (url: string) => {
    const s = cluster.dataPlane.seriesOf(`outside/${encodeURIComponent(url)}`);
    if (s === undefined) throw new Error(`no load to ${url}`);
    return s;
  };
  const viaWorker1 = seriesOf('http://worker-1:30080/');
  const viaWorker2 = seriesOf('http://worker-2:30080/');
  /** What `load` (the list) printed at a moment. */
  const listAt = (atMs: number): string => {
    const r = run.records.find((x) => x.action === 'load' && x.command === '' && x.at >= atMs && x.at < atMs + 1_000);
    if (r === undefined) throw new Error(`no load list at ${atMs} ms`);
    return r.stdout;
  };

  it('reaches the Service through any node while every node is up', () => {
    expect(output(run, 'get pods -l app=web -o wide').match(/ worker-\d /g)?.sort()).toEqual([' worker-1 ', ' worker-2 ', ' worker-3 ']);
    expect(viaWorker1.total(41_000, killedAt)).toMatchObject({ requests: 19 * 20, ok: 19 * 20 });
    expect(viaWorker2.total(41_000, killedAt)).toMatchObject({ requests: 19 * 20, ok: 19 * 20 });
    expect(listAt(60_000)).toMatch(/http:\/\/worker-1:30080\/\s+20\/s\s+19s\s+200 requests, 200 ok \(100%\)/);
    expect(output(run, '-s http://worker-1:30080/')).toContain('<h1>Welcome to nginx!</h1>');
    // What came in from outside is the Service's traffic too.
    expect(cluster.dataPlane.seriesOf('service/default/web')?.total(41_000, killedAt)).toMatchObject({ requests: 2 * 19 * 20, ok: 2 * 19 * 20 });
  });

  it('through the dead node, every request times out for as long as the laptop keeps sending to it', () => {
    const after = viaWorker1.total(killedAt + 1_000, 150_000);
    expect(after.requests).toBe(89 * 20);
    expect(after.timeout).toBe(after.requests);
    expect(listAt(80_000)).toMatch(/http:\/\/worker-1:30080\/\s+20\/s\s+39s\s+200 requests, 0 ok \(0%\), 200 failed: 200 timed out/);
    expect(output(run, '-sS -m 5 http://worker-1:30080/')).toBe('curl: (28) Failed to connect to worker-1 port 30080 after 5000 ms: Timeout was reached\n');
  });

  it('through a live node, only the share kube-proxy sends to the dead node\'s pod fails, until the pod leaves the EndpointSlice', () => {
    const failing = viaWorker2.since(killedAt).filter((x) => x.ok < x.requests).map((x) => x.t);
    expect(failing[0]).toBeLessThanOrEqual(killedAt + 1_000);
    // node-monitor-grace-period is 50 s; then the endpoints go NotReady and kube-proxy follows within a second.
    const last = Math.max(...failing);
    expect(last).toBeGreaterThanOrEqual(killedAt + 50_000);
    expect(last).toBeLessThanOrEqual(killedAt + 55_000);
    const window = viaWorker2.total(killedAt + 1_000, killedAt + 50_000);
    expect(window.timeout / window.requests).toBeCloseTo(1 / 3, 1);
    expect(window.ok + window.timeout).toBe(window.requests);
    const healed = viaWorker2.total(last + 1_000, 160_000);
    expect(healed.ok).toBe(healed.requests);
    expect(listAt(150_000)).toMatch(/http:\/\/worker-2:30080\/\s+20\/s\s+109s\s+200 requests, 200 ok \(100%\)/);
  });

  it('load stop ends one load and the list shows what is left', () => {
    expect(output(run, 'stop http://worker-1:30080/')).toBe('stopped the load to http://worker-1:30080/\n');
    expect(viaWorker1.since(151_000)).toEqual([]);
    expect(listAt(151_000).split('\n').filter((l) => l.startsWith('http'))).toHaveLength(1);
    expect(viaWorker2.total(151_000, 160_000).requests).toBe(9 * 20);
  });
});
