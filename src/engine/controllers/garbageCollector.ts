import type { ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import { RESOURCES, resourceForKind, type ResourceType } from '../apiserver/resources';
import { Informer, objectKey } from '../client/informer';
import type { World } from '../world';
import { inSequenceWhileOk } from './sequence';
import { WorkQueue } from './workQueue';

type OwnerRef = NonNullable<KubeObject['metadata']['ownerReferences']>[number];

/**
 * kube-controller-manager's garbage collector. It watches every resource, and for each object:
 * - all of whose owners are gone, deletes it (Background; Foreground when an owner is itself
 *   waiting for its dependents);
 * - some of whose owners are gone, removes the references to the missing ones;
 * - being deleted with the `orphan` finalizer, removes itself from its dependents' owner
 *   references, then the finalizer;
 * - being deleted with `foregroundDeletion`, deletes its dependents and removes the finalizer
 *   once none that blocks owner deletion remains.
 * An owner missing from the cache is checked with a live read before anything is deleted,
 * since a cache can lag (owners in other namespaces never count, as in Kubernetes).
 */
export class GarbageCollector {
  private readonly informers: Informer[];
  private readonly byUid = new Map<string, { informer: Informer; key: string; type: ResourceType }>();
  /** The owner index: owner uid → the uids of objects that name it, and each object's owners as last seen. */
  private readonly dependents = new Map<string, Set<string>>();
  private readonly ownersOf = new Map<string, readonly string[]>();
  private readonly queue: WorkQueue;

  constructor(
    world: World,
    private readonly client: ApiClient,
  ) {
    this.queue = new WorkQueue(world, 'garbagecollector', (uid, done) => this.sync(uid, done));
    this.informers = RESOURCES.filter((t) => t.kind !== 'Event').map((type) => {
      const informer: Informer = new Informer(world, client, type.plural, {
        onAdd: (o) => this.observe(informer, type, o),
        onUpdate: (_old, o) => this.observe(informer, type, o),
        onDelete: (o) => this.forget(o),
      });
      return informer;
    });
  }

  start(): void {
    this.queue.start();
    for (const i of this.informers) i.start();
  }

  stop(): void {
    for (const i of this.informers) i.stop();
    this.queue.stop();
  }

  private observe(informer: Informer, type: ResourceType, o: KubeObject): void {
    const uid = o.metadata.uid ?? '';
    this.byUid.set(uid, { informer, key: objectKey(o), type });
    this.index(uid, (o.metadata.ownerReferences ?? []).map((r) => r.uid));
    if ((o.metadata.ownerReferences ?? []).length > 0 || o.metadata.deletionTimestamp !== undefined) this.queue.add(uid);
  }

  private forget(o: KubeObject): void {
    const uid = o.metadata.uid ?? '';
    this.byUid.delete(uid);
    this.index(uid, []);
    // Its dependents may now be orphans of a deleted owner; its owners may be waiting for it to go.
    for (const d of this.dependentsOf(uid)) this.queue.add(d.metadata.uid ?? '');
    for (const r of o.metadata.ownerReferences ?? []) this.queue.add(r.uid);
  }

  private lookup(uid: string): { object: KubeObject; type: ResourceType } | undefined {
    const at = this.byUid.get(uid);
    const object = at?.informer.get(at.key);
    return at === undefined || object === undefined || object.metadata.uid !== uid ? undefined : { object, type: at.type };
  }

  private index(uid: string, owners: readonly string[]): void {
    for (const old of this.ownersOf.get(uid) ?? []) {
      const set = this.dependents.get(old);
      set?.delete(uid);
      if (set?.size === 0) this.dependents.delete(old);
    }
    if (owners.length === 0) this.ownersOf.delete(uid);
    else this.ownersOf.set(uid, owners);
    for (const owner of owners) {
      const set = this.dependents.get(owner) ?? new Set<string>();
      set.add(uid);
      this.dependents.set(owner, set);
    }
  }

  /** The objects naming uid as an owner, by resource type (in RESOURCES order) then key. */
  private dependentsOf(uid: string): KubeObject[] {
    const found = [...(this.dependents.get(uid) ?? [])].flatMap((d) => {
      const at = this.byUid.get(d);
      const object = at?.informer.get(at.key);
      return at === undefined || object === undefined || object.metadata.uid !== d ? [] : [{ order: this.informers.indexOf(at.informer), key: at.key, object }];
    });
    return found.sort((a, b) => a.order - b.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((f) => f.object);
  }

  private sync(uid: string, done: (ok: boolean) => void): void {
    const found = this.lookup(uid);
    if (found === undefined) return done(true);
    const { object, type } = found;
    const finalizers = object.metadata.finalizers ?? [];
    if (object.metadata.deletionTimestamp !== undefined && finalizers.includes('orphan')) return this.orphanDependents(object, done);
    if (object.metadata.deletionTimestamp !== undefined && finalizers.includes('foregroundDeletion')) return this.deleteDependents(object, done);
    const refs = object.metadata.ownerReferences ?? [];
    if (refs.length === 0) return done(true);
    this.classifyOwners(object, refs, (owners) => {
      if (owners === undefined) return done(false);
      const { dangling, waiting, solid } = owners;
      if (dangling.length === 0) return done(true);
      if (solid.length > 0) {
        // Keep the object; drop only the references to owners that are gone.
        const keep = refs.filter((r) => !dangling.includes(r));
        return this.writeMeta(object, { ownerReferences: keep }, done);
      }
      const propagationPolicy = waiting.length > 0 ? 'Foreground' : 'Background';
      this.client.request({ verb: 'delete', resource: type.plural, name: object.metadata.name ?? '', ...ns(object), propagationPolicy }, (r) =>
        done(r.ok && (r.result.ok || r.result.status.code === 404)),
      );
    });
  }

  /** Sorts owner references into gone (dangling), being deleted in the foreground (waiting), and present (solid). */
  private classifyOwners(object: KubeObject, refs: readonly OwnerRef[], done: (r: { dangling: OwnerRef[]; waiting: OwnerRef[]; solid: OwnerRef[] } | undefined) => void): void {
    const dangling: OwnerRef[] = [];
    const waiting: OwnerRef[] = [];
    const solid: OwnerRef[] = [];
    const next = (i: number): void => {
      const ref = refs[i];
      if (ref === undefined) return done({ dangling, waiting, solid });
      const ownerType = resourceForKind(ref.apiVersion, ref.kind);
      if ('error' in ownerType) {
        dangling.push(ref);
        return next(i + 1);
      }
      // A namespaced owner must be in its dependent's namespace.
      const namespace = ownerType.namespaced ? object.metadata.namespace : undefined;
      const sort = (owner: KubeObject | undefined): void => {
        if (owner === undefined || owner.metadata.uid !== ref.uid) dangling.push(ref);
        else if (owner.metadata.deletionTimestamp !== undefined && (owner.metadata.finalizers ?? []).includes('foregroundDeletion')) waiting.push(ref);
        else solid.push(ref);
        next(i + 1);
      };
      const cached = this.lookup(ref.uid);
      if (cached !== undefined && cached.object.metadata.namespace === namespace) return sort(cached.object);
      this.client.request({ verb: 'get', resource: ownerType.plural, name: ref.name, ...(namespace === undefined ? {} : { namespace }) }, (r) => {
        if (!r.ok) return done(undefined);
        if (!r.result.ok) return r.result.status.code === 404 ? sort(undefined) : done(undefined);
        sort(r.result.value as KubeObject);
      });
    };
    next(0);
  }

  private orphanDependents(owner: KubeObject, done: (ok: boolean) => void): void {
    const uid = owner.metadata.uid ?? '';
    const deps = this.dependentsOf(uid);
    inSequenceWhileOk(
      deps,
      (d, next) => this.writeMeta(d, { ownerReferences: (d.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid) }, next),
      (ok) => (ok ? this.writeMeta(owner, { finalizers: (owner.metadata.finalizers ?? []).filter((f) => f !== 'orphan') }, done) : done(false)),
    );
  }

  private deleteDependents(owner: KubeObject, done: (ok: boolean) => void): void {
    const uid = owner.metadata.uid ?? '';
    const deps = this.dependentsOf(uid);
    const blocking = deps.filter((d) => (d.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.blockOwnerDeletion === true));
    if (blocking.length === 0) return this.writeMeta(owner, { finalizers: (owner.metadata.finalizers ?? []).filter((f) => f !== 'foregroundDeletion') }, done);
    // Blocking dependents remain until they are gone; their deletion will queue the owner again.
    inSequenceWhileOk(
      deps,
      (d, next) => {
        const dType = this.lookup(d.metadata.uid ?? '')?.type;
        if (dType === undefined || d.metadata.deletionTimestamp !== undefined) return next(true);
        this.client.request({ verb: 'delete', resource: dType.plural, name: d.metadata.name ?? '', ...ns(d), propagationPolicy: 'Foreground' }, (r) =>
          next(r.ok && (r.result.ok || r.result.status.code === 404)),
        );
      },
      done,
    );
  }

  /** Writes metadata changes with the object's resourceVersion; a conflict means look again. */
  private writeMeta(o: KubeObject, change: Partial<KubeObject['metadata']>, done: (ok: boolean) => void): void {
    const metadata = { ...o.metadata, ...change };
    for (const k of ['ownerReferences', 'finalizers'] as const) if (Array.isArray(metadata[k]) && (metadata[k] as unknown[]).length === 0) delete metadata[k];
    this.client.request({ verb: 'update', body: { ...o, metadata }, ...ns(o) }, (r) => done(r.ok && (r.result.ok || r.result.status.code === 404)));
  }
}

function ns(o: KubeObject): { namespace?: string } {
  return o.metadata.namespace === undefined ? {} : { namespace: o.metadata.namespace };
}
