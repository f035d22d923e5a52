import type { ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import type { EventRecorder } from '../client/eventRecorder';
import { Informer, objectKey } from '../client/informer';
import { ANN_BETA_STORAGE_PROVISIONER, ANN_PROVISIONED_BY, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, classOf, claimReference } from '../controllers/pvUtil';
import { fnv32, utf8 } from '../controllers/fnv';
import { WorkQueue } from '../controllers/workQueue';
import { VIRTUAL_EPOCH_MS } from '../virtualTime';
import type { World } from '../world';

/** The cluster's CSI driver: zonal network disks, like a cloud's persistent disks. */
export const CSI_DRIVER = 'pd.csi.kubeplay.io';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** How long the cloud takes to create or delete a disk. */
const DISK_OPERATION_MS = 2_000;

type Obj = Record<string, unknown>;
const rec = (x: unknown): Obj => (x !== null && typeof x === 'object' ? (x as Obj) : {});

export interface Disk {
  readonly name: string;
  readonly zone: string;
  readonly size: string;
}

/** The zones a class's allowedTopologies admit for the zone key; undefined: any. */
function allowedZones(cls: KubeObject): Set<string> | undefined {
  const terms = (cls.allowedTopologies as { matchLabelExpressions?: { key: string; values: string[] }[] }[] | undefined) ?? [];
  if (terms.length === 0) return undefined;
  return new Set(terms.flatMap((t) => (t.matchLabelExpressions ?? []).filter((e) => e.key === ZONE_LABEL).flatMap((e) => e.values)));
}

/**
 * getPVCNameHashAndIndexOffset: the name hashed to spread Immediate claims over zones. A
 * StatefulSet's claim (<claim>-<set>-<ordinal>) hashes only the set's name and is offset by the
 * ordinal, so the replicas' disks go round the zones and a pod's claims share one.
 */
export function claimSpreadIndex(claimName: string): number {
  const dash = claimName.lastIndexOf('-');
  const ordinal = dash < 0 ? '' : claimName.slice(dash + 1);
  if (!/^\d+$/.test(ordinal)) return fnv32(utf8(claimName));
  const base = claimName.slice(0, dash);
  return (fnv32(utf8(base.slice(base.lastIndexOf('-') + 1))) + Number(ordinal)) >>> 0;
}

/**
 * The zone to create a claim's disk in: the selected node's (WaitForFirstConsumer). An Immediate
 * claim has no node yet: csi-provisioner takes the zones of the cluster's nodes the class allows,
 * sorted, and starts from the one the claim's name hashes to, wherever its pod will run.
 */
export function provisioningZone(claim: KubeObject, cls: KubeObject, nodes: readonly KubeObject[]): { zone: string } | { error: string } {
  const allowed = allowedZones(cls);
  const selected = claim.metadata.annotations?.[ANN_SELECTED_NODE];
  if (selected !== undefined) {
    const node = nodes.find((n) => n.metadata.name === selected);
    if (node === undefined) return { error: `failed to get target node: node "${selected}" not found` };
    const zone = node.metadata.labels?.[ZONE_LABEL] ?? '';
    if (zone === '' || (allowed !== undefined && !allowed.has(zone))) return { error: `failed to provision volume with StorageClass "${cls.metadata.name ?? ''}": node "${selected}" is not in an allowed topology` };
    return { zone };
  }
  const zones = [...new Set(nodes.map((n) => n.metadata.labels?.[ZONE_LABEL] ?? '').filter((z) => z !== '' && (allowed === undefined || allowed.has(z))))].sort();
  const zone = zones[claimSpreadIndex(claim.metadata.name ?? '') % Math.max(1, zones.length)];
  return zone === undefined ? { error: `failed to provision volume with StorageClass "${cls.metadata.name ?? ''}": error generating accessibility requirements: no available topology found` } : { zone };
}

/** The PersistentVolume the external-provisioner creates for a claim: pvc-<claim uid>, pinned to the disk's zone. */
export function provisionedVolume(claim: KubeObject, cls: KubeObject, zone: string, identity: string): KubeObject {
  const spec = rec(claim.spec);
  const name = `pvc-${claim.metadata.uid ?? ''}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [ANN_PROVISIONED_BY]: CSI_DRIVER } },
    spec: {
      accessModes: spec.accessModes ?? [],
      capacity: { storage: rec(rec(spec.resources).requests).storage ?? '0' },
      claimRef: claimReference(claim),
      csi: { driver: CSI_DRIVER, fsType: 'ext4', volumeAttributes: { 'storage.kubernetes.io/csiProvisionerIdentity': identity }, volumeHandle: `projects/kubeplay/zones/${zone}/disks/${name}` },
      ...(Array.isArray(cls.mountOptions) ? { mountOptions: cls.mountOptions } : {}),
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: [zone] }] }] } },
      persistentVolumeReclaimPolicy: typeof cls.reclaimPolicy === 'string' ? cls.reclaimPolicy : 'Delete',
      storageClassName: classOf(claim),
      volumeMode: typeof spec.volumeMode === 'string' ? spec.volumeMode : 'Filesystem',
    },
  };
}

/** The claim is this provisioner's to provision now (sig-storage-lib-external-provisioner's shouldProvision). */
export function shouldProvision(claim: KubeObject, cls: KubeObject | undefined): boolean {
  const a = claim.metadata.annotations ?? {};
  if (String(rec(claim.spec).volumeName ?? '') !== '' || claim.metadata.deletionTimestamp !== undefined) return false;
  if ((a[ANN_STORAGE_PROVISIONER] ?? a[ANN_BETA_STORAGE_PROVISIONER]) !== CSI_DRIVER) return false;
  if (cls === undefined || cls.provisioner !== CSI_DRIVER) return false;
  return cls.volumeBindingMode !== 'WaitForFirstConsumer' || a[ANN_SELECTED_NODE] !== undefined;
}

/**
 * csi-provisioner with the cluster's disk driver behind it: it provisions the claims the PV
 * controller hands it (annotated with its name; for WaitForFirstConsumer, once the scheduler has
 * chosen a node) as a disk in the node's zone and a PV pre-bound to the claim, and deletes the
 * disk and the PV when a volume it made is Released with reclaim policy Delete. The disks are the
 * cloud's, outside the cluster: they live in this object.
 */
export class CsiProvisioner {
  private readonly claims: Informer;
  private readonly volumes: Informer;
  private readonly classes: Informer;
  private readonly nodes: Informer;
  private readonly claimQueue: WorkQueue;
  private readonly volumeQueue: WorkQueue;
  private readonly identity: string;

  constructor(
    private readonly world: World,
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
    /** The cloud's disks: pass the cluster's map so they outlive a provisioner restart. */
    readonly disks = new Map<string, Disk>(),
  ) {
    this.identity = `${VIRTUAL_EPOCH_MS + world.now}-8081-${CSI_DRIVER}`;
    this.claimQueue = new WorkQueue(world, 'csi-provisioner claims', (key, done) => this.syncClaim(key, done));
    this.volumeQueue = new WorkQueue(world, 'csi-provisioner volumes', (key, done) => this.syncVolume(key, done));
    const onClaim = (c: KubeObject): void => this.claimQueue.add(objectKey(c));
    const onVolume = (v: KubeObject): void => this.volumeQueue.add(objectKey(v));
    this.claims = new Informer(world, client, 'persistentvolumeclaims', { onAdd: onClaim, onUpdate: (_o, c) => onClaim(c) });
    this.volumes = new Informer(world, client, 'persistentvolumes', { onAdd: onVolume, onUpdate: (_o, v) => onVolume(v) });
    this.classes = new Informer(world, client, 'storageclasses', {});
    this.nodes = new Informer(world, client, 'nodes', {});
  }

  start(): void {
    this.claimQueue.start();
    this.volumeQueue.start();
    for (const i of [this.classes, this.nodes, this.volumes, this.claims]) i.start();
  }

  stop(): void {
    for (const i of [this.classes, this.nodes, this.volumes, this.claims]) i.stop();
    this.claimQueue.stop();
    this.volumeQueue.stop();
  }

  private syncClaim(key: string, done: (ok: boolean) => void): void {
    if (!this.classes.synced || !this.nodes.synced || !this.volumes.synced) {
      this.claimQueue.addAfter(key, 100);
      return done(true);
    }
    const claim = this.claims.get(key);
    if (claim === undefined) return done(true);
    const cls = this.classes.get(classOf(claim));
    if (cls === undefined || !shouldProvision(claim, cls)) return done(true);
    const name = `pvc-${claim.metadata.uid ?? ''}`;
    if (this.volumes.get(name) !== undefined) return done(true);
    this.recorder.record(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${key}"`);
    const where = provisioningZone(claim, cls, this.nodes.list());
    if ('error' in where) return this.fail(claim, where.error, done);
    // CreateVolume is idempotent by name: a retry finds the disk already there.
    this.world.schedule(DISK_OPERATION_MS, `csi-provisioner create ${name}`, () => {
      this.disks.set(name, { name, zone: where.zone, size: String(rec(rec(rec(claim.spec).resources).requests).storage ?? '0') });
      const pv = provisionedVolume(claim, cls, where.zone, this.identity);
      this.client.request({ verb: 'create', resource: 'persistentvolumes', body: pv }, (r) => {
        const ok = r.ok && (r.result.ok || r.result.status.reason === 'AlreadyExists');
        if (ok) this.recorder.record(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`);
        done(ok);
      });
    });
  }

  /** A failed provisioning; for a delayed claim the selected node is dropped, so the scheduler picks again. */
  private fail(claim: KubeObject, message: string, done: (ok: boolean) => void): void {
    this.recorder.record(claim, 'Warning', 'ProvisioningFailed', message);
    if (claim.metadata.annotations?.[ANN_SELECTED_NODE] === undefined) return done(false);
    const annotations = { ...claim.metadata.annotations };
    delete annotations[ANN_SELECTED_NODE];
    const body: KubeObject = { ...claim, metadata: { ...claim.metadata, annotations } };
    this.client.request({ verb: 'update', resource: 'persistentvolumeclaims', namespace: claim.metadata.namespace ?? 'default', name: claim.metadata.name ?? '', body }, () => done(true));
  }

  /** A Released volume of ours with reclaim policy Delete: delete the disk, then the PV. */
  private syncVolume(key: string, done: (ok: boolean) => void): void {
    const pv = this.volumes.get(key);
    if (pv === undefined || pv.metadata.deletionTimestamp !== undefined || pv.metadata.annotations?.[ANN_PROVISIONED_BY] !== CSI_DRIVER) return done(true);
    const spec = rec(pv.spec);
    if (rec(pv.status).phase !== 'Released' || spec.persistentVolumeReclaimPolicy !== 'Delete') return done(true);
    this.world.schedule(DISK_OPERATION_MS, `csi-provisioner delete ${key}`, () => {
      this.disks.delete(key);
      this.client.request({ verb: 'delete', resource: 'persistentvolumes', name: key }, (r) => done(r.ok && (r.result.ok || r.result.status.code === 404)));
    });
  }
}
