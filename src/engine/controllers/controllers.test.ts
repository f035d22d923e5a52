import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../apiserver/apiClient';
import type { ApiRequest } from '../apiserver/apiProtocol';
import type { KubeObject } from '../apiserver/apiObjects';
import type { ListObject } from '../apiserver/apiServer';
import { Cluster } from '../cluster';

function setup(seed = 1) {
  const cluster = new Cluster({ seed });
  cluster.world.net.addHost('console', 'outside', undefined, { external: true });
  const client = cluster.apiClient('console', 'test');
  cluster.world.runUntil(20_000);
  const call = (req: Omit<ApiRequest, 'reqId' | 'replyPort'>, c: ApiClient = client): KubeObject | { error: string; code: number } => {
    const r = cluster.world.runUntilDone<Parameters<Parameters<ApiClient['request']>[1]>[0]>((done) => c.request(req, done), 60_000);
    if (r === undefined || !r.ok) return { error: r === undefined ? 'no answer' : String(r.error), code: 0 };
    return r.result.ok ? (r.result.value as KubeObject) : { error: r.result.status.message, code: r.result.status.code };
  };
  const ok = (req: Omit<ApiRequest, 'reqId' | 'replyPort'>): KubeObject => {
    const r = call(req);
    if ('error' in r) throw new Error(String(r.error));
    return r;
  };
  const names = (resource: string, namespace = 'default'): string[] => (ok({ verb: 'list', resource, namespace }) as unknown as ListObject).items.map((o) => o.metadata.name ?? '');
  return { cluster, call, ok, names };
}

const rs = (name: string, owner?: KubeObject): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name,
    labels: { app: 'web' },
    ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }] } : {}),
  },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
});
const pod = (name: string, owner: KubeObject): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }] },
  spec: { containers: [{ name: 'web', image: 'nginx' }] },
});
const deployment: KubeObject = { ...rs('web'), kind: 'Deployment' };

describe('kube-controller-manager', () => {
  it('runs on exactly one master, holding its Lease; when that master dies another takes over after the lease expires', () => {
    const { cluster, ok } = setup();
    const leaders = () => [...cluster.controllerManagers.values()].filter((k) => k.isLeader).map((k) => k.identity);
    expect(leaders()).toHaveLength(1);
    const lease = ok({ verb: 'get', resource: 'leases', namespace: 'kube-system', name: 'kube-controller-manager' });
    const spec = lease.spec as { holderIdentity: string; leaseDurationSeconds: number; leaseTransitions: number; renewTime: string };
    expect(spec.holderIdentity).toBe(leaders()[0]);
    expect(spec.leaseDurationSeconds).toBe(15);
    expect(spec.renewTime).toMatch(/^2025-01-01T00:00:\d\d\.\d{6}Z$/);
    const first = leaders()[0] as string;
    cluster.applyFault({ kill: first.split('_')[0] as string });
    cluster.world.runFor(10_000);
    // Still inside the lease duration as the others observed it: nobody may act yet.
    expect(leaders()).toEqual([]);
    cluster.world.runFor(15_000);
    expect(leaders()).toHaveLength(1);
    expect(leaders()[0]).not.toBe(first);
    const after = ok({ verb: 'get', resource: 'leases', namespace: 'kube-system', name: 'kube-controller-manager' }).spec as { holderIdentity: string; leaseTransitions: number };
    expect(after.holderIdentity).toBe(leaders()[0]);
    expect(after.leaseTransitions).toBe(1);
  });

  it('garbage-collects dependents in the background when their owner is deleted', () => {
    const { cluster, ok, names } = setup();
    const d = ok({ verb: 'create', body: deployment });
    const r = ok({ verb: 'create', body: rs('web-abc', d) });
    ok({ verb: 'create', body: pod('web-abc-1', r) });
    ok({ verb: 'delete', resource: 'deployments', name: 'web', namespace: 'default' });
    cluster.world.runFor(5_000);
    expect([names('deployments'), names('replicasets'), names('pods')]).toEqual([[], [], []]);
  });

  it('orphans dependents with --cascade=orphan: the pod stays, without its owner reference', () => {
    const { cluster, ok, names } = setup();
    const d = ok({ verb: 'create', body: deployment });
    const r = ok({ verb: 'create', body: rs('web-abc', d) });
    ok({ verb: 'create', body: pod('web-abc-1', r) });
    const marked = ok({ verb: 'delete', resource: 'replicasets', name: 'web-abc', namespace: 'default', propagationPolicy: 'Orphan' });
    expect(marked.metadata.finalizers).toEqual(['orphan']);
    cluster.world.runFor(5_000);
    // The Deployment controller makes its own ReplicaSet again; the deleted one is gone.
    expect(names('replicasets')).not.toContain('web-abc');
    const left = ok({ verb: 'get', resource: 'pods', name: 'web-abc-1', namespace: 'default' });
    expect(left.metadata.ownerReferences).toBeUndefined();
    expect(names('deployments')).toEqual(['web']);
  });

  it('deletes in the foreground: the owner stays, marked, until its blocking dependents are gone', () => {
    const { cluster, ok, call, names } = setup();
    const d = ok({ verb: 'create', body: deployment });
    const r = ok({ verb: 'create', body: rs('web-abc', d) });
    ok({ verb: 'create', body: pod('web-abc-1', r) });
    const marked = ok({ verb: 'delete', resource: 'deployments', name: 'web', namespace: 'default', propagationPolicy: 'Foreground' });
    expect(marked.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    cluster.world.runFor(5_000);
    expect([names('deployments'), names('replicasets'), names('pods')]).toEqual([[], [], []]);
    expect(call({ verb: 'get', resource: 'deployments', name: 'web', namespace: 'default' })).toMatchObject({ code: 404 });
  });

  it('deletes an object whose only owner never existed', () => {
    const { cluster, ok, names } = setup();
    const ghost: KubeObject = { ...deployment, metadata: { name: 'ghost', uid: '00000000-0000-4000-8000-000000000000' } };
    ok({ verb: 'create', body: pod('stray', ghost) });
    cluster.world.runFor(5_000);
    expect(names('pods')).toEqual([]);
  });

  it('empties a deleted namespace, refusing new content meanwhile, then removes it', () => {
    const { cluster, ok, call, names } = setup();
    ok({ verb: 'create', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } } });
    ok({ verb: 'create', namespace: 'shop', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: '1' } } });
    const terminating = ok({ verb: 'delete', resource: 'namespaces', name: 'shop' });
    expect((terminating.status as { phase: string }).phase).toBe('Terminating');
    expect(call({ verb: 'create', namespace: 'shop', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'shop' } } })).toEqual({
      error: 'configmaps "late" is forbidden: unable to create new content in namespace shop because it is being terminated',
      code: 403,
    });
    cluster.world.runFor(10_000);
    expect(names('configmaps', 'shop')).toEqual([]);
    expect(call({ verb: 'get', resource: 'namespaces', name: 'shop' })).toMatchObject({ code: 404 });
    expect(call({ verb: 'delete', resource: 'namespaces', name: 'kube-system' })).toEqual({ error: 'namespaces "kube-system" is forbidden: this namespace may not be deleted', code: 403 });
  });
});
