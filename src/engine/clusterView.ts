import type { KubeObject } from './apiserver/apiObjects';
import { RESOURCES, type ResourceType } from './apiserver/resources';
import type { EtcdCluster } from './store/etcdCluster';
import { CompactedError, type KeyValue, type KvStore } from './store/kvStore';

/**
 * The observer's view of the cluster's objects: what the most up-to-date etcd member has
 * applied, decoded. It reads the members' stores directly — no request crosses the simulated
 * network, so looking never changes what happens (the map, the inspector and tab completion
 * all read here). Kept current incrementally from the store's history; a compacted history
 * or a member that was rebuilt means one full re-read.
 */
export class ClusterView {
  private readonly byKey = new Map<string, KubeObject>();
  private readonly byResource = new Map<string, Map<string, KubeObject>>();
  private rev = 0;
  private readonly prefixes: readonly { prefix: string; type: ResourceType }[];
  private readonly byPlural = new Map(RESOURCES.map((t) => [t.plural, t]));

  constructor(private readonly etcd: EtcdCluster) {
    // Longest prefix first: /registry/services/endpoints is not a Service.
    this.prefixes = RESOURCES.map((type) => ({ prefix: `${type.etcdPrefix}/`, type })).sort((a, b) => b.prefix.length - a.prefix.length);
    for (const t of RESOURCES) this.byResource.set(t.plural, new Map());
  }

  /** The store revision the view shows. */
  get revision(): number {
    return this.rev;
  }

  /**
   * Catches up with the member that has applied the most. Returns the keys that changed (empty
   * when nothing did); a full re-read reports every key.
   */
  refresh(): Set<string> {
    const store = this.freshestStore();
    const changed = new Set<string>();
    if (store === undefined || store.revision <= this.rev) return changed;
    let events: { revision: number; event: { type: 'PUT' | 'DELETE'; kv: KeyValue } }[];
    try {
      events = this.rev === 0 ? [] : store.eventsSince(this.rev + 1, '/registry/', true);
    } catch (err) {
      if (!(err instanceof CompactedError)) throw err;
      return this.reload(store);
    }
    if (this.rev === 0) return this.reload(store);
    for (const { event } of events) {
      changed.add(event.kv.key);
      if (event.type === 'DELETE') this.remove(event.kv.key);
      else this.put(event.kv);
    }
    this.rev = store.revision;
    return changed;
  }

  /** Every object of a resource (by plural: "pods", "deployments"), in key order of arrival. */
  list(plural: string): KubeObject[] {
    return [...(this.byResource.get(plural)?.values() ?? [])];
  }

  /** How many objects of a resource there are. */
  count(plural: string): number {
    return this.byResource.get(plural)?.size ?? 0;
  }

  /** One object; namespace '' (or undefined) for cluster-scoped ones. */
  get(plural: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const type = this.byPlural.get(plural);
    if (type === undefined) return undefined;
    const key = type.namespaced ? `${type.etcdPrefix}/${namespace ?? ''}/${name}` : `${type.etcdPrefix}/${name}`;
    return this.byKey.get(key);
  }

  /** The object stored under an etcd key (one `refresh` reported), if it is still there. */
  atKey(key: string): KubeObject | undefined {
    return this.byKey.get(key);
  }

  /** The resource type an etcd key belongs to. */
  typeOfKey(key: string): ResourceType | undefined {
    return this.prefixes.find((p) => key.startsWith(p.prefix))?.type;
  }

  private freshestStore(): KvStore | undefined {
    let best: KvStore | undefined;
    for (const m of this.etcd.members()) {
      if (!m.running) continue;
      const kv = m.kv;
      if (best === undefined || kv.revision > best.revision) best = kv;
    }
    return best;
  }

  private reload(store: KvStore): Set<string> {
    const changed = new Set(this.byKey.keys());
    this.byKey.clear();
    for (const m of this.byResource.values()) m.clear();
    for (const kv of store.range('/registry/', true).kvs) {
      changed.add(kv.key);
      this.put(kv);
    }
    this.rev = store.revision;
    return changed;
  }

  private put(kv: KeyValue): void {
    const type = this.typeOfKey(kv.key);
    if (type === undefined) return;
    let o: KubeObject;
    try {
      o = JSON.parse(kv.value) as KubeObject;
    } catch {
      return; // not an object (the allocators' range records live under /registry/ranges)
    }
    if (o === null || typeof o !== 'object' || typeof o.kind !== 'string') return;
    const withVersion = { ...o, metadata: { ...o.metadata, resourceVersion: String(kv.modRevision) } };
    this.byKey.set(kv.key, withVersion);
    this.byResource.get(type.plural)?.set(kv.key, withVersion);
  }

  private remove(key: string): void {
    this.byKey.delete(key);
    const type = this.typeOfKey(key);
    if (type !== undefined) this.byResource.get(type.plural)?.delete(key);
  }
}
