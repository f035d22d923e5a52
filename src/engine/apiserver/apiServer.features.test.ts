import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster';
import type { ApiClient, WatchUpdate } from './apiClient';
import type { KubeObject } from './apiObjects';
import type { ApiRequest } from './apiProtocol';

/** A cluster; with apiServersOnly no controller, scheduler or kubelet writes alongside the test. */
function setup(seed = 3, apiServersOnly = false) {
  const cluster = new Cluster({ seed, apiServersOnly });
  cluster.world.net.addHost('console', 'outside', undefined, { external: true });
  const client = cluster.apiClient('console', 'test');
  cluster.world.runUntil(5_000);
  const call = (req: Omit<ApiRequest, 'reqId' | 'replyPort'>): { ok: true; value: KubeObject } | { ok: false; code: number; message: string } => {
    const r = cluster.world.runUntilDone<Parameters<Parameters<ApiClient['request']>[1]>[0]>((done) => client.request(req, done), 60_000);
    if (r === undefined || !r.ok) throw new Error(r === undefined ? 'no answer' : r.error);
    return r.result.ok ? { ok: true, value: r.result.value as KubeObject } : { ok: false, code: r.result.status.code, message: r.result.status.message };
  };
  const ok = (req: Omit<ApiRequest, 'reqId' | 'replyPort'>): KubeObject => {
    const r = call(req);
    if (!r.ok) throw new Error(r.message);
    return r.value;
  };
  return { cluster, client, call, ok };
}

const web: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.26', ports: [{ containerPort: 80 }] }] } } },
};
const pod = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] }, ...extra });

describe('API server semantics', () => {
  it('creates the system namespaces and the kubernetes Service at 10.96.0.1 on start', () => {
    const { ok } = setup();
    const names = (ok({ verb: 'list', resource: 'namespaces' }) as unknown as { items: KubeObject[] }).items.map((n) => `${n.metadata.name}:${(n.status as { phase: string }).phase}`);
    expect(names).toEqual(['default:Active', 'kube-node-lease:Active', 'kube-public:Active', 'kube-system:Active']);
    expect(ok({ verb: 'get', resource: 'services', namespace: 'default', name: 'kubernetes' }).spec).toMatchObject({ clusterIP: '10.96.0.1', ports: [{ port: 443, targetPort: 6443 }] });
  });

  it('patches with merge, strategic (containers merge by name) and JSON patches, bumping generation only for spec changes', () => {
    const { ok, call } = setup();
    ok({ verb: 'create', body: web });
    const merged = ok({ verb: 'patch', resource: 'deployments', namespace: 'default', name: 'web', patchType: 'merge', patch: '{"spec":{"replicas":5}}' });
    expect([(merged.spec as { replicas: number }).replicas, merged.metadata.generation]).toEqual([5, 2]);
    const strategic = ok({ verb: 'patch', resource: 'deployments', namespace: 'default', name: 'web', patchType: 'strategic', patch: '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}' });
    const c = (strategic.spec as { template: { spec: { containers: { image: string; ports: unknown[]; imagePullPolicy: string }[] } } }).template.spec.containers;
    // The port and the defaulted pull policy survive: the container merged by its name.
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], imagePullPolicy: 'IfNotPresent' });
    const labelled = ok({ verb: 'patch', resource: 'deployments', namespace: 'default', name: 'web', patchType: 'json', patch: '[{"op":"add","path":"/metadata/labels","value":{"team":"a"}}]' });
    expect([labelled.metadata.labels, labelled.metadata.generation]).toEqual([{ team: 'a' }, 3]);
    expect(call({ verb: 'patch', resource: 'deployments', namespace: 'default', name: 'web', patchType: 'json', patch: '[{"op":"replace","path":"/spec/nothing/here","value":1}]' })).toMatchObject({ ok: false, code: 422 });
    expect(call({ verb: 'patch', resource: 'deployments', namespace: 'default', name: 'web', patchType: 'merge', patch: '{"spec":{"selector":{"matchLabels":{"app":"other"}}}}' })).toMatchObject({ ok: false, code: 422 });
  });

  it('keeps status out of main-resource writes and spec out of status writes', () => {
    const { ok } = setup(3, true);
    const created = ok({ verb: 'create', body: { ...web, status: { replicas: 9 } } });
    expect(created.status).toEqual({});
    const withStatus = ok({ verb: 'update', subresource: 'status', body: { ...created, spec: { ...(created.spec as object), replicas: 7 }, status: { replicas: 2, readyReplicas: 1 } } });
    expect([withStatus.status, (withStatus.spec as { replicas: number }).replicas, withStatus.metadata.generation]).toEqual([{ replicas: 2, readyReplicas: 1 }, 2, 1]);
    const specOnly = ok({ verb: 'update', body: { ...withStatus, spec: { ...(withStatus.spec as object), replicas: 3 }, status: {} } });
    expect([specOnly.status, specOnly.metadata.generation]).toEqual([{ replicas: 2, readyReplicas: 1 }, 2]);
  });

  it('allocates distinct cluster IPs and node ports, refuses a taken one, and frees them on delete', () => {
    const { ok, call } = setup();
    const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } });
    const a = ok({ verb: 'create', body: svc('a', { type: 'NodePort' }) }).spec as { clusterIP: string; ports: { nodePort: number }[] };
    const b = ok({ verb: 'create', body: svc('b', {}) }).spec as { clusterIP: string };
    expect(a.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    expect(b.clusterIP).not.toBe(a.clusterIP);
    expect(a.ports[0]?.nodePort).toBeGreaterThanOrEqual(30000);
    expect(a.ports[0]?.nodePort).toBeLessThanOrEqual(32767);
    expect(call({ verb: 'create', body: svc('c', { clusterIP: a.clusterIP }) })).toEqual({
      ok: false,
      code: 422,
      message: `Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"${a.clusterIP}"}: failed to allocate IP ${a.clusterIP}: provided IP is already allocated`,
    });
    ok({ verb: 'delete', resource: 'services', namespace: 'default', name: 'a' });
    expect((ok({ verb: 'create', body: svc('c', { clusterIP: a.clusterIP }) }).spec as { clusterIP: string }).clusterIP).toBe(a.clusterIP);
    const headless = ok({ verb: 'create', body: svc('h', { clusterIP: 'None' }) }).spec as { clusterIP: string };
    expect(headless.clusterIP).toBe('None');
  });

  it('filters lists by field selectors, and refuses fields a kind does not register', () => {
    const { ok, call } = setup();
    ok({ verb: 'create', body: pod('a') });
    ok({ verb: 'create', body: pod('b') });
    const items = (sel: string) => (ok({ verb: 'list', resource: 'pods', namespace: 'default', fieldSelector: sel }) as unknown as { items: KubeObject[] }).items.map((p) => p.metadata.name);
    expect(items('metadata.name=b')).toEqual(['b']);
    expect(items('status.phase=Pending,metadata.name!=a')).toEqual(['b']);
    expect(call({ verb: 'list', resource: 'pods', fieldSelector: 'spec.image=x' })).toMatchObject({ ok: false, code: 400, message: 'field label not supported: spec.image' });
  });

  it('gives pods the 300 s not-ready/unreachable tolerations unless they already tolerate those taints', () => {
    const { ok } = setup(3, true);
    const make = (name: string, tolerations?: unknown[]): unknown[] =>
      (ok({ verb: 'create', body: pod(name, { spec: { containers: [{ name: 'web', image: 'nginx' }], ...(tolerations ? { tolerations } : {}) } }) }).spec as { tolerations: unknown[] }).tolerations;
    const defaults = ['not-ready', 'unreachable'].map((k) => ({ key: `node.kubernetes.io/${k}`, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }));
    expect(make('plain')).toEqual(defaults);
    const master = { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' };
    expect(make('admin', [master])).toEqual([master, ...defaults]);
    const quick = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 };
    expect(make('quick', [quick])).toEqual([quick, defaults[0]]);
    expect(make('anything', [{ operator: 'Exists' }])).toEqual([{ operator: 'Exists' }]);
  });

  it('names an object from generateName with five characters of apimachinery\'s alphabet', () => {
    const { ok } = setup();
    const made = ok({ verb: 'create', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'settings-', namespace: 'default' }, data: {} } });
    expect(made.metadata.name).toMatch(/^settings-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(made.metadata.generateName).toBe('settings-');
  });

  it('binds a pod to a node once; deletes a bound pod gracefully and an unbound one at once', () => {
    const { ok, call, cluster } = setup();
    // No scheduler takes pods meant for another one, and no kubelet on worker-1 finishes a deletion.
    const manual = (name: string): KubeObject => pod(name, { spec: { schedulerName: 'manual', containers: [{ name: 'web', image: 'nginx' }] } });
    cluster.applyFault({ stopKubelet: 'worker-1' });
    ok({ verb: 'create', body: manual('a') });
    ok({ verb: 'create', body: manual('b') });
    ok({ verb: 'create', subresource: 'binding', resource: 'pods', namespace: 'default', name: 'a', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'a' }, target: { kind: 'Node', name: 'worker-1' } } as KubeObject });
    expect(call({ verb: 'create', subresource: 'binding', resource: 'pods', namespace: 'default', name: 'a', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'a' }, target: { kind: 'Node', name: 'worker-2' } } as KubeObject })).toMatchObject({
      ok: false,
      code: 409,
      message: 'Operation cannot be fulfilled on pods/binding "a": pod a is already assigned to node "worker-1"',
    });
    const marked = ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'a' });
    expect([marked.metadata.deletionGracePeriodSeconds, marked.metadata.deletionTimestamp !== undefined]).toEqual([30, true]);
    expect(call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'a' }).ok).toBe(true);
    ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'b' });
    expect(call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'b' })).toMatchObject({ ok: false, code: 404 });
    // The kubelet's final delete, with no grace left, removes it.
    ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'a', gracePeriodSeconds: 0 });
    expect(call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'a' })).toMatchObject({ ok: false, code: 404 });
  });

  it('refuses an eviction a PodDisruptionBudget does not allow, with the cause kubectl drain prints', () => {
    const { ok, call } = setup();
    ok({ verb: 'create', body: pod('a') });
    const running = ok({ verb: 'get', resource: 'pods', namespace: 'default', name: 'a' });
    ok({ verb: 'update', subresource: 'status', body: { ...running, status: { phase: 'Running' } } });
    const pdb = ok({ verb: 'create', body: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } } });
    ok({ verb: 'update', subresource: 'status', body: { ...pdb, status: { observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } } });
    const evict = { verb: 'create', resource: 'pods', subresource: 'eviction', namespace: 'default', name: 'a', body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'a' } } as KubeObject } as const;
    expect(call(evict)).toEqual({ ok: false, code: 429, message: "Cannot evict pod as it would violate the pod's disruption budget." });
    const now = ok({ verb: 'get', resource: 'poddisruptionbudgets', namespace: 'default', name: 'web' });
    ok({ verb: 'update', subresource: 'status', body: { ...now, status: { ...(now.status as object), disruptionsAllowed: 1, currentHealthy: 2 } } });
    expect(call(evict).ok).toBe(true);
    const spent = ok({ verb: 'get', resource: 'poddisruptionbudgets', namespace: 'default', name: 'web' }).status as { disruptionsAllowed: number; disruptedPods: Record<string, string> };
    expect(spent.disruptionsAllowed).toBe(0);
    expect(Object.keys(spent.disruptedPods)).toEqual(['a']);
    expect(call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'a' })).toMatchObject({ ok: false, code: 404 });
  });

  it('streams ADDED, MODIFIED and DELETED after a list; a dead API server ends the watch by silence', () => {
    const { cluster, client, ok } = setup();
    const list = ok({ verb: 'list', resource: 'configmaps', namespace: 'default' }) as unknown as { metadata: { resourceVersion: string } };
    const seen: string[] = [];
    client.watch({ resource: 'configmaps', namespace: 'default', resourceVersion: list.metadata.resourceVersion }, (u: WatchUpdate) => {
      if ('end' in u) seen.push(`END ${u.end}`);
      else for (const e of u.events) seen.push(`${e.type} ${e.object.metadata.name} ${JSON.stringify(e.object.data ?? {})}`);
    });
    const cm = ok({ verb: 'create', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } });
    ok({ verb: 'update', body: { ...cm, data: { a: '2' } } });
    ok({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'c' });
    cluster.world.runFor(1_000);
    expect(seen).toEqual(['ADDED c {"a":"1"}', 'MODIFIED c {"a":"2"}', 'DELETED c {"a":"2"}']);
    for (const m of cluster.masters) cluster.applyFault({ kill: m });
    cluster.world.runFor(20_000);
    expect(seen[3]).toBe('END watch closed: no keep-alive from the server');
  });

  it('serves every watch of a resource from one watch cache: a late watcher from an older version still gets the backlog, namespaces and selectors apply', () => {
    const { cluster, ok } = setup(3, true);
    const c1 = cluster.apiClient('console', 'w1', 'master-1');
    const c2 = cluster.apiClient('console', 'w2', 'master-1');
    const start = (ok({ verb: 'list', resource: 'configmaps', namespace: 'default' }) as unknown as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const seen = { all: [] as string[], late: [] as string[], labelled: [] as string[] };
    const record = (into: string[]) => (u: WatchUpdate): void => {
      if (!('end' in u)) for (const e of u.events) into.push(`${e.type} ${e.object.metadata.namespace ?? ''}/${e.object.metadata.name ?? ''}`);
    };
    c1.watch({ resource: 'configmaps', resourceVersion: start }, record(seen.all));
    ok({ verb: 'create', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { tier: 'web' } }, data: {} } });
    ok({ verb: 'create', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'kube-system' }, data: {} } });
    // Watches started after both writes, from the version before them: the cache replays what it holds.
    c2.watch({ resource: 'configmaps', namespace: 'default', resourceVersion: start }, record(seen.late));
    c2.watch({ resource: 'configmaps', labelSelector: 'tier=web', resourceVersion: start }, record(seen.labelled));
    cluster.world.runFor(1_000);
    expect(seen.all).toEqual(['ADDED default/a', 'ADDED kube-system/b']);
    expect(seen.late).toEqual(['ADDED default/a']);
    expect(seen.labelled).toEqual(['ADDED default/a']);
  });
  it('a pod watch selecting spec.nodeName hears of that node\'s pods only: bound to it (ADDED), changed, unbound from it by deletion', () => {
    const { cluster, ok } = setup(3, true);
    const c = cluster.apiClient('console', 'kubelet-like', 'master-1');
    const start = (ok({ verb: 'list', resource: 'pods', namespace: 'default' }) as unknown as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const seen = { one: [] as string[], two: [] as string[], neither: [] as string[] };
    const record = (into: string[]) => (u: WatchUpdate): void => {
      if (!('end' in u)) for (const e of u.events) into.push(`${e.type} ${e.object.metadata.name ?? ''}`);
    };
    c.watch({ resource: 'pods', fieldSelector: 'spec.nodeName=worker-1', resourceVersion: start }, record(seen.one));
    c.watch({ resource: 'pods', fieldSelector: 'spec.nodeName=worker-2', resourceVersion: start }, record(seen.two));
    c.watch({ resource: 'pods', fieldSelector: 'spec.nodeName!=worker-1', resourceVersion: start }, record(seen.neither));
    const bind = (name: string, node: string): void => {
      ok({ verb: 'create', resource: 'pods', namespace: 'default', name, subresource: 'binding', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: node } } });
    };
    ok({ verb: 'create', body: pod('a') });
    ok({ verb: 'create', body: pod('b') });
    bind('a', 'worker-1');
    bind('b', 'worker-2');
    ok({ verb: 'patch', resource: 'pods', namespace: 'default', name: 'a', patchType: 'merge', patch: JSON.stringify({ metadata: { labels: { v: '2' } } }) });
    ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'a', gracePeriodSeconds: 0 });
    cluster.world.runFor(1_000);
    expect(seen.one).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
    expect(seen.two).toEqual(['ADDED b']);
    // Not an equality on the node: every pod event is matched against it (a before binding, b throughout).
    expect(seen.neither).toEqual(['ADDED a', 'ADDED b', 'DELETED a', 'MODIFIED b']);
  });
});
