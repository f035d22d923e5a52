import type { ApiClient, WatchHandle, WatchUpdate } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import type { ListObject } from '../apiserver/apiServer';
import type { ScheduledEvent } from '../eventQueue';
import type { World } from '../world';

export interface InformerHandlers {
  onAdd?(o: KubeObject): void;
  onUpdate?(old: KubeObject, o: KubeObject): void;
  onDelete?(o: KubeObject): void;
}

/** Back-off between failed lists, as client-go's reflector grows it (doubling, capped). */
const RELIST_BACKOFF_MS_MIN = 1_000;
const RELIST_BACKOFF_MS_MAX = 30_000;

/** The cache key of an object: "namespace/name", or "name" for cluster-scoped ones. */
export function objectKey(o: KubeObject): string {
  return o.metadata.namespace === undefined ? (o.metadata.name ?? '') : `${o.metadata.namespace}/${o.metadata.name ?? ''}`;
}

/**
 * A shared informer: lists a resource, then watches it from the list's resourceVersion, keeping
 * a local cache and telling handlers what changed. When the watch ends (the API server died, lost
 * quorum, or the version was compacted) it lists again and reports the difference, as client-go's
 * reflector does. Handlers only get objects; they must not mutate them.
 */
export class Informer {
  private readonly cache = new Map<string, KubeObject>();
  private watchHandle: WatchHandle | undefined;
  private timer: ScheduledEvent | undefined;
  private backoffMs = RELIST_BACKOFF_MS_MIN;
  private running = false;
  private generation = 0;
  /** True once a list has succeeded: the cache is a real picture (possibly stale). */
  synced = false;

  constructor(
    private readonly world: World,
    private readonly client: ApiClient,
    readonly resource: string,
    private readonly handlers: InformerHandlers,
    private readonly options: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.relist();
  }

  /** Stops listing and watching; the cache is kept (a restarted informer reconciles against it). */
  stop(): void {
    this.running = false;
    this.generation++;
    this.watchHandle?.cancel();
    this.watchHandle = undefined;
    if (this.timer) this.world.cancel(this.timer);
    this.timer = undefined;
  }

  get(key: string): KubeObject | undefined {
    return this.cache.get(key);
  }

  /** Every cached object, in key order (a stable order keeps the simulation deterministic). */
  list(): KubeObject[] {
    return [...this.cache.keys()].sort().map((k) => this.cache.get(k) as KubeObject);
  }

  private relist(): void {
    const gen = this.generation;
    const { namespace, labelSelector, fieldSelector } = this.options;
    this.client.request(
      { verb: 'list', resource: this.resource, ...(namespace === undefined ? {} : { namespace }), ...(labelSelector === undefined ? {} : { labelSelector }), ...(fieldSelector === undefined ? {} : { fieldSelector }) },
      (r) => {
        if (gen !== this.generation || !this.running) return;
        if (!r.ok || !r.result.ok) return this.retryLater();
        const list = r.result.value as ListObject;
        this.replace(list.items);
        this.synced = true;
        this.backoffMs = RELIST_BACKOFF_MS_MIN;
        this.watchFrom(list.metadata.resourceVersion);
      },
    );
  }

  private retryLater(): void {
    const gen = this.generation;
    this.timer = this.world.schedule(this.backoffMs, `informer relist ${this.resource}`, () => {
      if (gen === this.generation && this.running) this.relist();
    });
    this.backoffMs = Math.min(this.backoffMs * 2, RELIST_BACKOFF_MS_MAX);
  }

  private watchFrom(resourceVersion: string): void {
    const gen = this.generation;
    const { namespace, labelSelector, fieldSelector } = this.options;
    this.watchHandle = this.client.watch(
      { resource: this.resource, resourceVersion, ...(namespace === undefined ? {} : { namespace }), ...(labelSelector === undefined ? {} : { labelSelector }), ...(fieldSelector === undefined ? {} : { fieldSelector }) },
      (u: WatchUpdate) => {
        if (gen !== this.generation || !this.running) return;
        if ('end' in u) {
          this.watchHandle = undefined;
          return this.retryLater();
        }
        for (const e of u.events) this.apply(e.type, e.object);
      },
    );
  }

  private apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', o: KubeObject): void {
    const key = objectKey(o);
    const old = this.cache.get(key);
    if (type === 'DELETED') {
      this.cache.delete(key);
      this.handlers.onDelete?.(o);
      return;
    }
    this.cache.set(key, o);
    if (old === undefined) this.handlers.onAdd?.(o);
    else this.handlers.onUpdate?.(old, o);
  }

  /** A fresh list replaces the cache: what vanished is deleted, what changed is updated. */
  private replace(items: readonly KubeObject[]): void {
    const fresh = new Map(items.map((o) => [objectKey(o), o]));
    for (const key of [...this.cache.keys()].sort()) {
      if (!fresh.has(key)) {
        const gone = this.cache.get(key) as KubeObject;
        this.cache.delete(key);
        this.handlers.onDelete?.(gone);
      }
    }
    for (const [key, o] of [...fresh.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const old = this.cache.get(key);
      this.cache.set(key, o);
      if (old === undefined) this.handlers.onAdd?.(o);
      else if (old.metadata.resourceVersion !== o.metadata.resourceVersion) this.handlers.onUpdate?.(old, o);
    }
  }
}
