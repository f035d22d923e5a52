import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster';
import type { KubeObject } from './apiObjects';
import type { ApiClient, ApiCallResult } from './apiClient';

const MASTERS = ['master-1', 'master-2', 'master-3'];

function setup(seed = 1) {
  const cluster = new Cluster({ seed });
  cluster.world.net.addHost('laptop', 'outside', undefined, { external: true });
  const lb = cluster.apiClient('laptop', 'kubectl');
  const pinned = cluster.apiClient('laptop', 'kubectl-3', 'master-3');
  return { cluster, lb, pinned };
}

function call(cluster: Cluster, client: ApiClient, req: Parameters<ApiClient['request']>[0]): ApiCallResult {
  const r = cluster.world.runUntilDone<ApiCallResult>((done) => client.request(req, done), 90_000);
  if (r === undefined) throw new Error('no answer');
  return r;
}

const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } });

describe('API client and load balancer', () => {
  it('finds no ready API server before etcd has a leader, then spreads requests over all three', () => {
    const { cluster, lb } = setup();
    expect(call(cluster, lb, { verb: 'list', resource: 'pods', namespace: 'default' })).toEqual({ ok: false, error: 'Unable to connect to the server: EOF' });
    cluster.world.runUntil(5_000);
    expect(lb.readyServers()).toEqual(MASTERS);
    const servers = [1, 2, 3].map(() => {
      const r = call(cluster, lb, { verb: 'list', resource: 'pods', namespace: 'default' });
      return r.ok ? r.server : r.error;
    });
    expect([...servers].sort()).toEqual(MASTERS);
  });

  it('routes around the API server whose etcd lost quorum, while a pinned client still reaches it and is refused', () => {
    const { cluster, lb, pinned } = setup(2);
    cluster.world.runUntil(5_000);
    cluster.applyFault({ partition: [['zone-a'], ['zone-b']] });
    cluster.world.runFor(5_000);
    expect(lb.readyServers()).toEqual(['master-1', 'master-2']);
    for (let i = 0; i < 3; i++) {
      const r = call(cluster, lb, { verb: 'create', body: pod(`p${i}`) });
      expect(r.ok && r.result.ok && r.server !== 'master-3').toBe(true);
    }
    const refused = call(cluster, pinned, { verb: 'create', body: pod('from-b') });
    expect(refused.ok && !refused.result.ok && refused.result.status.message).toMatch(/^etcdserver: (no leader|request timed out)$/);
    // Healed: master-3 is ready again and has the pods created meanwhile; the refused one never existed.
    cluster.applyFault({ heal: 'all' });
    cluster.world.runFor(5_000);
    expect(lb.readyServers()).toEqual(MASTERS);
    const list = call(cluster, pinned, { verb: 'list', resource: 'po', namespace: 'default' });
    expect(list.ok && list.result.ok && (list.result.value as { items: KubeObject[] }).items.map((o) => o.metadata.name)).toEqual(['p0', 'p1', 'p2']);
  });

  it('answers with EOF when every master is down, and with a 404 for a resource the server does not have', () => {
    const { cluster, lb } = setup(3);
    cluster.world.runUntil(5_000);
    const unknown = call(cluster, lb, { verb: 'list', resource: 'deploymnets' });
    expect(unknown.ok && !unknown.result.ok && [unknown.result.status.code, unknown.result.status.message]).toEqual([404, 'the server doesn\'t have a resource type "deploymnets"']);
    for (const m of MASTERS) cluster.world.net.kill(m);
    cluster.world.runFor(5_000);
    expect(call(cluster, lb, { verb: 'get', resource: 'pods', namespace: 'default', name: 'x' })).toEqual({ ok: false, error: 'Unable to connect to the server: EOF' });
  });
});
