import type { ApiClient } from '../apiserver/apiClient';
import type { ApiRequest } from '../apiserver/apiProtocol';
import type { KubeObject } from '../apiserver/apiObjects';
import type { ListObject } from '../apiserver/apiServer';
import type { EventRecorder } from '../client/eventRecorder';
import { Informer, objectKey } from '../client/informer';
import type { ScheduledEvent } from '../eventQueue';
import type { World } from '../world';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BOUND_BY_CONTROLLER,
  ANN_PROVISIONED_BY,
  ANN_STORAGE_PROVISIONER,
  boundClaimStatus,
  claimBoundTo,
  claimInUse,
  planClaim,
  planVolume,
  PV_PROTECTION_FINALIZER,
  PVC_PROTECTION_FINALIZER,
  volumeBoundTo,
  volumeInUse,
} from './pvUtil';
import { WorkQueue } from './workQueue';

/** --pvclaimbinder-sync-period: every claim and volume is looked at again this often. */
const RESYNC_MS = 15_000;
const NOT_SYNCED_RETRY_MS = 100;

type Obj = Record<string, unknown>;
type Write = Omit<ApiRequest, 'reqId' | 'replyPort'>;

/** One API write; the callback gets the object written, or undefined when it failed. */
function send(client: ApiClient, req: Write, then: (o: KubeObject | undefined) => void): void {
  client.request(req, (r) => then(r.ok && r.result.ok ? (r.result.value as KubeObject) : undefined));
}

const update = (o: KubeObject, resource: string, status = false): Write => ({
  verb: 'update',
  resource,
  ...(o.metadata.namespace === undefined ? {} : { namespace: o.metadata.namespace }),
  name: o.metadata.name ?? '',
  body: o,
  ...(status ? { subresource: 'status' as const } : {}),
});

/**
 * The persistent volume binder (kube-controller-manager's persistentvolume-binder): binds each
 * claim to a volume and each volume to its claim, both sides, and tracks their phases. A claim
 * of a WaitForFirstConsumer class waits until the scheduler picks a node; a claim no volume
 * fits is handed to its class's external provisioner (annotated, then an ExternalProvisioning
 * event); a volume whose claim is gone is Released and reclaimed by its policy.
 */
export class PersistentVolumeController {
  private readonly claims: Informer;
  private readonly volumes: Informer;
  private readonly classes: Informer;
  private readonly pods: Informer;
  private readonly claimQueue: WorkQueue;
  private readonly volumeQueue: WorkQueue;
  private resync: ScheduledEvent | undefined;

  constructor(
    private readonly world: World,
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
  ) {
    this.claimQueue = new WorkQueue(world, 'persistentvolume-binder claims', (key, done) => this.syncClaim(key, done));
    this.volumeQueue = new WorkQueue(world, 'persistentvolume-binder volumes', (key, done) => this.syncVolume(key, done));
    const onClaim = (c: KubeObject): void => {
      this.claimQueue.add(objectKey(c));
      const volume = (c.spec as Obj | undefined)?.volumeName;
      if (typeof volume === 'string' && volume !== '') this.volumeQueue.add(volume);
    };
    const onVolume = (v: KubeObject): void => {
      this.volumeQueue.add(objectKey(v));
      const ref = (v.spec as Obj | undefined)?.claimRef as { namespace?: string; name?: string } | undefined;
      if (ref?.name !== undefined) this.claimQueue.add(`${ref.namespace ?? 'default'}/${ref.name}`);
    };
    this.claims = new Informer(world, client, 'persistentvolumeclaims', { onAdd: onClaim, onUpdate: (_o, c) => onClaim(c), onDelete: onClaim });
    this.volumes = new Informer(world, client, 'persistentvolumes', { onAdd: onVolume, onUpdate: (_o, v) => onVolume(v), onDelete: onVolume });
    this.classes = new Informer(world, client, 'storageclasses', {});
    this.pods = new Informer(world, client, 'pods', {});
  }

  start(): void {
    this.claimQueue.start();
    this.volumeQueue.start();
    for (const i of [this.classes, this.pods, this.claims, this.volumes]) i.start();
    this.resync = this.world.schedule(RESYNC_MS, 'persistentvolume-binder resync', () => this.resyncAll());
  }

  stop(): void {
    for (const i of [this.classes, this.pods, this.claims, this.volumes]) i.stop();
    this.claimQueue.stop();
    this.volumeQueue.stop();
    if (this.resync) this.world.cancel(this.resync);
    this.resync = undefined;
  }

  private resyncAll(): void {
    for (const c of this.claims.list()) this.claimQueue.add(objectKey(c));
    for (const v of this.volumes.list()) this.volumeQueue.add(objectKey(v));
    this.resync = this.world.schedule(RESYNC_MS, 'persistentvolume-binder resync', () => this.resyncAll());
  }

  private get synced(): boolean {
    return this.claims.synced && this.volumes.synced && this.classes.synced && this.pods.synced;
  }

  private syncClaim(key: string, done: (ok: boolean) => void): void {
    if (!this.synced) {
      this.claimQueue.addAfter(key, NOT_SYNCED_RETRY_MS);
      return done(true);
    }
    const claim = this.claims.get(key);
    if (claim === undefined) return done(true);
    const plan = planClaim(claim, this.volumes.list(), this.classes.list(), this.pods.list());
    switch (plan.kind) {
      case 'bind':
        return this.bind(claim, plan.volume, done);
      case 'provision': {
        const record = (): void => {
          this.recorder.record(claim, plan.event.type, plan.event.reason, plan.event.message);
          done(true);
        };
        if (!plan.annotate) return record();
        const annotated: KubeObject = { ...claim, metadata: { ...claim.metadata, annotations: { ...claim.metadata.annotations, [ANN_BETA_STORAGE_PROVISIONER]: plan.provisioner, [ANN_STORAGE_PROVISIONER]: plan.provisioner } } };
        return send(this.client, update(annotated, 'persistentvolumeclaims'), (o) => (o === undefined ? done(false) : record()));
      }
      case 'pending':
        if (plan.event) this.recorder.record(claim, plan.event.type, plan.event.reason, plan.event.message);
        return done(true);
      case 'lost': {
        const lost: KubeObject = { ...claim, status: { ...(claim.status as Obj), phase: 'Lost' } };
        return send(this.client, update(lost, 'persistentvolumeclaims', true), (o) => {
          if (o !== undefined) this.recorder.record(claim, plan.event.type, plan.event.reason, plan.event.message);
          done(o !== undefined);
        });
      }
      case 'nothing':
        return done(true);
    }
  }

  /** bind(): the volume's claimRef, its Bound phase, the claim's volumeName, its Bound status, in that order. */
  private bind(claim: KubeObject, volume: KubeObject, done: (ok: boolean) => void): void {
    const boundVolume = volumeBoundTo(volume, claim);
    const step1 = (then: (v: KubeObject) => void): void => (boundVolume === undefined ? then(volume) : send(this.client, update(boundVolume, 'persistentvolumes'), (v) => (v === undefined ? done(false) : then(v))));
    step1((v) => {
      const phase = (v.status as Obj | undefined)?.phase;
      const step2 = (then: () => void): void =>
        phase === 'Bound' ? then() : send(this.client, update({ ...v, status: { ...(v.status as Obj), phase: 'Bound' } }, 'persistentvolumes', true), (w) => (w === undefined ? done(false) : then()));
      step2(() => {
        const boundClaim = claimBoundTo(claim, v);
        const step3 = (then: (c: KubeObject) => void): void => (boundClaim === undefined ? then(claim) : send(this.client, update(boundClaim, 'persistentvolumeclaims'), (c) => (c === undefined ? done(false) : then(c))));
        step3((c) => {
          const status = boundClaimStatus(c, v);
          if (status === undefined) return done(true);
          send(this.client, update({ ...c, status }, 'persistentvolumeclaims', true), (w) => done(w !== undefined));
        });
      });
    });
  }

  private syncVolume(key: string, done: (ok: boolean) => void): void {
    if (!this.synced) {
      this.volumeQueue.addAfter(key, NOT_SYNCED_RETRY_MS);
      return done(true);
    }
    const volume = this.volumes.get(key);
    if (volume === undefined) return done(true);
    const plan = planVolume(volume, this.claims.list());
    const setPhase = (phase: string, extra: Obj = {}): void =>
      send(this.client, update({ ...volume, status: { ...(volume.status as Obj), phase, ...extra } }, 'persistentvolumes', true), (o) => done(o !== undefined));
    switch (plan.kind) {
      case 'phase':
        if (plan.phase !== 'Released') return setPhase(plan.phase);
        return this.confirmClaimGone(volume, (gone) => (gone === undefined ? done(false) : gone ? setPhase('Released') : done(true)));
      case 'unbind': {
        const spec = { ...(volume.spec as Obj) };
        delete spec.claimRef;
        const annotations = { ...volume.metadata.annotations };
        delete annotations[ANN_BOUND_BY_CONTROLLER];
        const unbound: KubeObject = { ...volume, metadata: { ...volume.metadata, annotations }, spec };
        // The update comes back through the informer, and the next sync makes the volume Available.
        return send(this.client, update(unbound, 'persistentvolumes'), (o) => done(o !== undefined));
      }
      case 'reclaim':
        return this.reclaim(volume, plan.policy, setPhase, done);
      case 'nothing':
        return done(true);
    }
  }

  /** A claim missing from the cache may only be late: ask the API server before releasing its volume. */
  private confirmClaimGone(volume: KubeObject, then: (gone: boolean | undefined) => void): void {
    const ref = (volume.spec as Obj).claimRef as { namespace?: string; name?: string; uid?: string };
    this.client.request({ verb: 'get', resource: 'persistentvolumeclaims', namespace: ref.namespace ?? 'default', name: ref.name ?? '' }, (r) => {
      if (!r.ok) return then(undefined);
      if (!r.result.ok) return then(r.result.status.code === 404 ? true : undefined);
      then((r.result.value as KubeObject).metadata.uid !== ref.uid);
    });
  }

  /**
   * Retain keeps a Released volume for the administrator. Delete of a provisioned volume is its
   * external provisioner's to do; a static one has no plugin that can delete it, so it fails.
   */
  private reclaim(volume: KubeObject, policy: string, setPhase: (phase: string, extra?: Obj) => void, done: (ok: boolean) => void): void {
    if (policy !== 'Delete' || volume.metadata.annotations?.[ANN_PROVISIONED_BY] !== undefined) return done(true);
    const message = `error getting deleter volume plugin for volume "${volume.metadata.name ?? ''}": no deletable volume plugin matched`;
    this.recorder.record(volume, 'Warning', 'VolumeFailedDelete', message);
    setPhase('Failed', { message });
  }
}

/**
 * The pvc-protection controller: every claim carries the kubernetes.io/pvc-protection finalizer,
 * and a deleted claim keeps it (Terminating) while a pod assigned to a node still uses it.
 */
export class PvcProtectionController {
  private readonly claims: Informer;
  private readonly pods: Informer;
  private readonly queue: WorkQueue;

  constructor(
    world: World,
    private readonly client: ApiClient,
    _recorder?: EventRecorder,
  ) {
    this.queue = new WorkQueue(world, 'pvc-protection', (key, done) => this.sync(key, done));
    const onClaim = (c: KubeObject): void => {
      if (!(c.metadata.finalizers ?? []).includes(PVC_PROTECTION_FINALIZER) || c.metadata.deletionTimestamp !== undefined) this.queue.add(objectKey(c));
    };
    // A pod's change may free a claim that is waiting to go.
    const onPod = (p: KubeObject): void => {
      for (const v of ((p.spec as Obj | undefined)?.volumes as Obj[] | undefined) ?? []) {
        const name = (v.persistentVolumeClaim as { claimName?: string } | undefined)?.claimName ?? (v.ephemeral !== undefined ? `${p.metadata.name ?? ''}-${String(v.name)}` : undefined);
        if (name !== undefined) this.queue.add(`${p.metadata.namespace ?? 'default'}/${name}`);
      }
    };
    this.claims = new Informer(world, client, 'persistentvolumeclaims', { onAdd: onClaim, onUpdate: (_o, c) => onClaim(c) });
    this.pods = new Informer(world, client, 'pods', { onAdd: onPod, onUpdate: (_o, p) => onPod(p), onDelete: onPod });
  }

  start(): void {
    this.queue.start();
    this.pods.start();
    this.claims.start();
  }

  stop(): void {
    this.claims.stop();
    this.pods.stop();
    this.queue.stop();
  }

  private sync(key: string, done: (ok: boolean) => void): void {
    const claim = this.claims.get(key);
    if (claim === undefined || !this.pods.synced) return done(true);
    const finalizers = claim.metadata.finalizers ?? [];
    const has = finalizers.includes(PVC_PROTECTION_FINALIZER);
    if (claim.metadata.deletionTimestamp === undefined) {
      if (has) return done(true);
      const body: KubeObject = { ...claim, metadata: { ...claim.metadata, finalizers: [...finalizers, PVC_PROTECTION_FINALIZER] } };
      return send(this.client, update(body, 'persistentvolumeclaims'), (o) => done(o !== undefined));
    }
    if (!has || claimInUse(claim, this.pods.list())) return done(true);
    // The cache may lag behind a pod just scheduled: the API server has the last word (askAPIServer).
    this.client.request({ verb: 'list', resource: 'pods', namespace: claim.metadata.namespace ?? 'default' }, (r) => {
      if (!r.ok || !r.result.ok) return done(false);
      if (claimInUse(claim, (r.result.value as ListObject).items)) return done(true);
      const body: KubeObject = { ...claim, metadata: { ...claim.metadata, finalizers: finalizers.filter((f) => f !== PVC_PROTECTION_FINALIZER) } };
      send(this.client, update(body, 'persistentvolumeclaims'), (o) => done(o !== undefined));
    });
  }
}

/** The pv-protection controller: a volume carries kubernetes.io/pv-protection, kept while it is Bound. */
export class PvProtectionController {
  private readonly volumes: Informer;
  private readonly queue: WorkQueue;

  constructor(
    world: World,
    private readonly client: ApiClient,
    _recorder?: EventRecorder,
  ) {
    this.queue = new WorkQueue(world, 'pv-protection', (key, done) => this.sync(key, done));
    const onVolume = (v: KubeObject): void => this.queue.add(objectKey(v));
    this.volumes = new Informer(world, client, 'persistentvolumes', { onAdd: onVolume, onUpdate: (_o, v) => onVolume(v) });
  }

  start(): void {
    this.queue.start();
    this.volumes.start();
  }

  stop(): void {
    this.volumes.stop();
    this.queue.stop();
  }

  private sync(key: string, done: (ok: boolean) => void): void {
    const volume = this.volumes.get(key);
    if (volume === undefined) return done(true);
    const finalizers = volume.metadata.finalizers ?? [];
    const has = finalizers.includes(PV_PROTECTION_FINALIZER);
    const deleting = volume.metadata.deletionTimestamp !== undefined;
    if (!deleting && has) return done(true);
    if (deleting && (!has || volumeInUse(volume))) return done(true);
    const next = deleting ? finalizers.filter((f) => f !== PV_PROTECTION_FINALIZER) : [...finalizers, PV_PROTECTION_FINALIZER];
    send(this.client, update({ ...volume, metadata: { ...volume.metadata, finalizers: next } }, 'persistentvolumes'), (o) => done(o !== undefined));
  }
}
