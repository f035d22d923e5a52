import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster';
import type { ApiResult, KubeObject } from './apiObjects';
import type { ApiServer } from './apiServer';
import { resolveResource, type ResourceType } from './resources';

function setup(seed = 1) {
  const cluster = new Cluster({ seed, apiServersOnly: true });
  const api = (host: string): ApiServer => cluster.apiServers.get(host) as ApiServer;
  cluster.world.runUntil(3_000);
  return { cluster, a: api('master-1'), c: api('master-3') };
}

/** What master-1's etcd member holds under /registry/deployments/. */
function storedDeployments(cluster: Cluster): string[] {
  return cluster.etcd.member('master-1').kv.range('/registry/deployments/', true).kvs.map((kv) => kv.key);
}

/** Runs an API call to its answer in virtual time. */
function call<T>(cluster: Cluster, start: (done: (r: ApiResult<T>) => void) => void): ApiResult<T> {
  const r = cluster.world.runUntilDone(start, 30_000);
  if (r === undefined) throw new Error('no answer');
  return r;
}

const deployments = resolveResource('deployments') as ResourceType;

const deployment = (extra: Record<string, unknown> = {}): KubeObject =>
  structuredClone({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }, { name: 'sidecar', image: 'busybox' }] } },
    },
    ...extra,
  }) as KubeObject;

const value = <T>(r: ApiResult<T>): T => {
  if (!r.ok) throw new Error(r.status.message);
  return r.value;
};
const message = <T>(r: ApiResult<T>): string => (r.ok ? 'ok' : `${r.status.code} ${r.status.reason}: ${r.status.message}`);

describe('API server', () => {
  it('creates an object through Raft, with metadata and defaults, readable from every API server', () => {
    const { cluster, a, c } = setup();
    const created = value(call<KubeObject>(cluster, (d) => a.create(deployment(), {}, d)));
    expect(created.metadata).toMatchObject({ name: 'web', namespace: 'default', generation: 1, creationTimestamp: '2025-01-01T00:00:03Z' });
    expect(created.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const spec = created.spec as { strategy: unknown; revisionHistoryLimit: number; progressDeadlineSeconds: number; template: { spec: { containers: { imagePullPolicy: string }[]; restartPolicy: string; terminationGracePeriodSeconds: number } } };
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect([spec.revisionHistoryLimit, spec.progressDeadlineSeconds]).toEqual([10, 600]);
    expect(spec.template.spec.containers.map((x) => x.imagePullPolicy)).toEqual(['IfNotPresent', 'Always']);
    expect([spec.template.spec.restartPolicy, spec.template.spec.terminationGracePeriodSeconds]).toEqual(['Always', 30]);
    // Stored in etcd where kube-apiserver keeps it; the other master's API server reads the same object.
    cluster.world.runFor(100);
    expect(cluster.etcd.member('master-3').kv.get('/registry/deployments/default/web')).toBeDefined();
    const read = value(call<KubeObject>(cluster, (d) => c.get(deployments, 'default', 'web', d)));
    expect(read).toEqual(created);
  });

  it('refuses a second object of the same name, and a stale resourceVersion, with 409s worded as Kubernetes words them', () => {
    const { cluster, a, c } = setup();
    const first = value(call<KubeObject>(cluster, (d) => a.create(deployment(), {}, d)));
    expect(message(call<KubeObject>(cluster, (d) => c.create(deployment(), {}, d)))).toBe('409 AlreadyExists: deployments.apps "web" already exists');
    const scaled = structuredClone(first);
    (scaled.spec as { replicas: number }).replicas = 5;
    const updated = value(call<KubeObject>(cluster, (d) => c.update(scaled, {}, d)));
    expect(updated.metadata.generation).toBe(2);
    expect(updated.metadata.uid).toBe(first.metadata.uid);
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(first.metadata.resourceVersion));
    // The first version is stale now.
    expect(message(call<KubeObject>(cluster, (d) => a.update(scaled, {}, d)))).toBe(
      '409 Conflict: Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('lists, deletes, and answers 404 for what is gone', () => {
    const { cluster, a } = setup();
    value(call<KubeObject>(cluster, (d) => a.create(deployment(), {}, d)));
    value(call<KubeObject>(cluster, (d) => a.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, {}, d)));
    value(call<KubeObject>(cluster, (d) => a.create({ ...deployment(), metadata: { name: 'api', namespace: 'shop' } }, {}, d)));
    const all = value(call<{ items: KubeObject[]; kind: string }>(cluster, (d) => a.list(deployments, undefined, d)));
    expect(all.kind).toBe('DeploymentList');
    expect(all.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['default/web', 'shop/api']);
    expect(value(call<{ items: KubeObject[] }>(cluster, (d) => a.list(deployments, 'shop', d))).items).toHaveLength(1);
    value(call<KubeObject>(cluster, (d) => a.delete(deployments, 'default', 'web', {}, d)));
    expect(message(call<KubeObject>(cluster, (d) => a.get(deployments, 'default', 'web', d)))).toBe('404 NotFound: deployments.apps "web" not found');
    expect(message(call<KubeObject>(cluster, (d) => a.delete(deployments, 'default', 'web', {}, d)))).toBe('404 NotFound: deployments.apps "web" not found');
  });

  it.each([
    [
      'a selector that does not match the template labels',
      { spec: { ...deployment().spec as object, template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } },
      '422 Invalid: Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    ],
    [
      'a container without a name',
      { spec: { ...deployment().spec as object, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ image: 'nginx' }] } } } },
      '422 Invalid: Deployment.apps "web" is invalid: spec.template.spec.containers[0].name: Required value',
    ],
    [
      'two containers of one name and a port out of range',
      { spec: { ...deployment().spec as object, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 70000 }] }, { name: 'web', image: 'nginx' }] } } } },
      '422 Invalid: Deployment.apps "web" is invalid: [spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.template.spec.containers[1].name: Duplicate value: "web"]',
    ],
    [
      'a name with capitals',
      { metadata: { name: 'Web' } },
      `422 Invalid: Deployment.apps "Web" is invalid: metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
    ['a misspelt field', { spec: { ...deployment().spec as object, replica: 3 } }, '400 BadRequest: Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"'],
    ['replicas as a string', { spec: { ...deployment().spec as object, replicas: '3' } }, '400 BadRequest: Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
    ['requests above limits', { spec: { ...deployment().spec as object, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] } } } }, '422 Invalid: Deployment.apps "web" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
  ])('refuses %s with the API server’s own message', (_what, patch, expected) => {
    const { cluster, a } = setup();
    expect(message(call<KubeObject>(cluster, (d) => a.create({ ...deployment(), ...patch }, {}, d)))).toBe(expected);
    expect(storedDeployments(cluster)).toEqual([]);
  });

  it('defaults a Pod as admission and defaulting do (tolerations of 300 s, service account) and a Service (targetPort)', () => {
    const { cluster, a } = setup();
    const pod = value(call<KubeObject>(cluster, (d) => a.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } }, {}, d)));
    const ps = pod.spec as { tolerations: { key: string; tolerationSeconds: number }[]; serviceAccountName: string };
    expect(ps.tolerations.map((t) => `${t.key}=${t.tolerationSeconds}`)).toEqual(['node.kubernetes.io/not-ready=300', 'node.kubernetes.io/unreachable=300']);
    expect(ps.serviceAccountName).toBe('default');
    const svc = value(call<KubeObject>(cluster, (d) => a.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }, {}, d)));
    expect(svc.spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] });
  });

  it('gives no spec to a kind that has none (a ConfigMap), so it can be updated again', () => {
    const { cluster, a } = setup();
    const cm = value(call<KubeObject>(cluster, (d) => a.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } }, {}, d)));
    expect('spec' in cm).toBe(false);
    expect(cm.metadata.generation).toBeUndefined();
    const again = value(call<KubeObject>(cluster, (d) => a.update({ ...cm, data: { k: 'w' } }, {}, d)));
    expect(again.data).toEqual({ k: 'w' });
  });

  it('validates and defaults a dry run without writing anything', () => {
    const { cluster, a } = setup();
    const r = value(call<KubeObject>(cluster, (d) => a.create(deployment(), { dryRun: true }, d)));
    expect(r.metadata.resourceVersion).toBeUndefined();
    cluster.world.runFor(100);
    expect(storedDeployments(cluster)).toEqual([]);
  });

  it('on the minority side of a zone split, refuses writes with etcd’s error and writes nothing; the majority side goes on', () => {
    const { cluster, a, c } = setup(2);
    cluster.applyFault({ partition: [['zone-a'], ['zone-b']] });
    const refused = call<KubeObject>(cluster, (d) => c.create(deployment(), {}, d));
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.status.code).toBe(500);
      expect(refused.status.message).toMatch(/^etcdserver: (no leader|request timed out)$/);
    }
    expect(value(call<KubeObject>(cluster, (d) => a.create({ ...deployment(), metadata: { name: 'api' } }, {}, d))).metadata.name).toBe('api');
    cluster.applyFault({ heal: 'all' });
    cluster.world.runFor(5_000);
    expect(message(call<KubeObject>(cluster, (d) => c.get(deployments, 'default', 'web', d)))).toBe('404 NotFound: deployments.apps "web" not found');
    expect(value(call<KubeObject>(cluster, (d) => c.get(deployments, 'default', 'api', d))).metadata.name).toBe('api');
  });
});
