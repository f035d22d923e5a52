import type { ApiClient } from '../apiserver/apiClient';
import type { ApiRequest } from '../apiserver/apiProtocol';
import type { KubeObject } from '../apiserver/apiObjects';
import type { ListObject } from '../apiserver/apiServer';
import { Cluster, type ClusterOptions } from '../cluster';

export type Request = Omit<ApiRequest, 'reqId' | 'replyPort'>;

/**
 * A cluster for tests, with a client on an outside host and synchronous API calls that run
 * the simulation until they are answered. The cluster has had 20 virtual seconds to elect its
 * leaders and register its nodes.
 */
export function clusterHarness(options: Partial<ClusterOptions> = {}, warmUpMs = 20_000) {
  const cluster = new Cluster({ seed: 1, ...options });
  cluster.world.net.addHost('console', 'outside', undefined, { external: true });
  const client = cluster.apiClient('console', 'test');
  cluster.world.runUntil(warmUpMs);
  const call = (req: Request, c: ApiClient = client): KubeObject | { error: string; code: number } => {
    const r = cluster.world.runUntilDone<Parameters<Parameters<ApiClient['request']>[1]>[0]>((done) => c.request(req, done), 60_000);
    if (r === undefined || !r.ok) return { error: r === undefined ? 'no answer' : String(r.error), code: 0 };
    return r.result.ok ? (r.result.value as KubeObject) : { error: r.result.status.message, code: r.result.status.code };
  };
  const ok = (req: Request): KubeObject => {
    const r = call(req);
    if ('error' in r) throw new Error(String(r.error));
    return r;
  };
  const list = (resource: string, namespace?: string): KubeObject[] => (ok({ verb: 'list', resource, ...(namespace === undefined ? {} : { namespace }) }) as unknown as ListObject).items;
  const names = (resource: string, namespace = 'default'): string[] => list(resource, namespace).map((o) => o.metadata.name ?? '');
  const get = (resource: string, name: string, namespace = 'default'): KubeObject | undefined => {
    const r = call({ verb: 'get', resource, name, ...(resource === 'nodes' ? {} : { namespace }) });
    return 'error' in r ? undefined : r;
  };
  /** Events about one object, oldest first, as "Reason: message". */
  const events = (name: string, namespace = 'default'): string[] =>
    list('events', namespace)
      .filter((e) => (e.involvedObject as { name: string }).name === name)
      .sort((a, b) => String(a.firstTimestamp).localeCompare(String(b.firstTimestamp)) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))
      .map((e) => `${String(e.reason)}: ${String(e.message)}`);
  const run = (ms: number): void => void cluster.world.runFor(ms);
  return { cluster, client, call, ok, list, names, get, events, run };
}

/** The objects under /registry/<prefix> as a master's etcd member holds them (no API call, no time passes). */
export function storedObjects(cluster: Cluster, prefix: string, member = cluster.masters[0] ?? 'master-1'): KubeObject[] {
  return cluster.etcd
    .member(member)
    .kv.range(`/registry/${prefix}`, true)
    .kvs.map((kv) => JSON.parse(kv.value) as KubeObject);
}
