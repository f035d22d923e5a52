import type { KubeObject } from '../apiserver/apiObjects';
import { bytes } from '../quantity';
import { labelSelector, selects, termMatches, type LabelSelectorSpec, type NodeSelectorTerm } from '../scheduler/plugins/helpers';

/**
 * The persistent volume binder's decisions (kube-controller-manager's pv_controller.go in
 * v1.31), as pure functions over informer caches: which volume a claim gets, what a claim or a
 * volume waits for, and the objects after a bind. The controller issues the writes.
 */

type Obj = Record<string, unknown>;
const rec = (x: unknown): Obj => (x !== null && typeof x === 'object' ? (x as Obj) : {});
const str = (x: unknown): string => (typeof x === 'string' ? x : '');

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
export const ANN_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
export const ANN_BETA_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

export const MSG_WAIT_FOR_FIRST_CONSUMER = 'waiting for first consumer to be created before binding';
export const MSG_NO_VOLUMES_NO_CLASS = 'no persistent volumes available for this claim and no storage class is set';

export interface EventSpec {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** GetPersistentVolumeClaimClass / GetPersistentVolumeClass: the beta annotation wins over the field. */
export const classOf = (o: KubeObject): string => o.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? str(rec(o.spec).storageClassName);

const volumeName = (pvc: KubeObject): string => str(rec(pvc.spec).volumeName);
const claimRef = (pv: KubeObject): Obj | undefined => (rec(pv.spec).claimRef === undefined || rec(pv.spec).claimRef === null ? undefined : rec(rec(pv.spec).claimRef));
const phaseOf = (o: KubeObject): string => str(rec(o.status).phase);

function storage(q: unknown): number {
  try {
    return q === undefined ? 0 : bytes(q as string);
  } catch {
    return 0;
  }
}
export const requestedBytes = (pvc: KubeObject): number => storage(rec(rec(rec(pvc.spec).resources).requests).storage);
export const capacityBytes = (pv: KubeObject): number => storage(rec(rec(pv.spec).capacity).storage);

/** The default class for claims that name none: the newest of those annotated default (v1.28+). */
export function defaultClass(classes: readonly KubeObject[]): KubeObject | undefined {
  const defaults = classes.filter((c) => c.metadata.annotations?.[ANN_DEFAULT_CLASS] === 'true' || c.metadata.annotations?.[ANN_BETA_DEFAULT_CLASS] === 'true');
  return defaults.sort((a, b) => str(b.metadata.creationTimestamp).localeCompare(str(a.metadata.creationTimestamp)) || str(a.metadata.name).localeCompare(str(b.metadata.name)))[0];
}

/** The scheduler has picked a node for the claim's provisioning. */
export const selectedNode = (pvc: KubeObject): string | undefined => pvc.metadata.annotations?.[ANN_SELECTED_NODE];

/** shouldDelayBinding: WaitForFirstConsumer, until the scheduler has chosen a node. */
export function delayBinding(pvc: KubeObject, classes: readonly KubeObject[]): boolean {
  if (selectedNode(pvc) !== undefined) return false;
  const cls = classes.find((c) => c.metadata.name === classOf(pvc));
  return cls?.volumeBindingMode === 'WaitForFirstConsumer';
}

/** IsVolumeBoundToClaim: the volume's claimRef names this claim (and its UID, when set). */
export function volumeBoundToClaim(pv: KubeObject, pvc: KubeObject): boolean {
  const ref = claimRef(pv);
  if (ref === undefined || ref.name !== pvc.metadata.name || ref.namespace !== pvc.metadata.namespace) return false;
  return str(ref.uid) === '' || ref.uid === pvc.metadata.uid;
}

/** The volume's required node affinity admits a node with these labels. */
export function volumeAdmitsNode(pv: KubeObject, labels: Readonly<Record<string, string>>): boolean {
  const terms = rec(rec(rec(pv.spec).nodeAffinity).required).nodeSelectorTerms as NodeSelectorTerm[] | undefined;
  return terms === undefined || terms.some((t) => termMatches(t, { name: '', labels }));
}

/**
 * findMatchingVolume: a volume already bound to the claim wins; otherwise the smallest free one
 * (Available, no claimRef) of the claim's class, access modes, volume mode and selector that
 * holds the request. A delayed claim gets only its pre-bound volume here (the scheduler binds
 * the rest); with a node, the volume must also be reachable from it.
 */
export function findBestMatch(pvc: KubeObject, pvs: readonly KubeObject[], delayed: boolean, nodeLabels?: Readonly<Record<string, string>>): KubeObject | undefined {
  const spec = rec(pvc.spec);
  const request = requestedBytes(pvc);
  const modes = (spec.accessModes as string[] | undefined) ?? [];
  const selector = spec.selector === undefined || spec.selector === null ? undefined : labelSelector(spec.selector as LabelSelectorSpec);
  const claimMode = str(spec.volumeMode) || 'Filesystem';
  let best: KubeObject | undefined;
  for (const pv of pvs) {
    const pvSpec = rec(pv.spec);
    if (capacityBytes(pv) < request || (str(pvSpec.volumeMode) || 'Filesystem') !== claimMode) continue;
    if (pv.metadata.deletionTimestamp !== undefined) continue;
    const reachable = nodeLabels === undefined || volumeAdmitsNode(pv, nodeLabels);
    if (volumeBoundToClaim(pv, pvc)) return reachable ? pv : undefined;
    if (nodeLabels === undefined && delayed) continue;
    if (phaseOf(pv) === 'Released' || claimRef(pv) !== undefined) continue;
    if (selector !== undefined && !selects(selector, pv.metadata.labels)) continue;
    if (classOf(pv) !== classOf(pvc) || !reachable) continue;
    if (!modes.every((m) => ((pvSpec.accessModes as string[] | undefined) ?? []).includes(m))) continue;
    if (best === undefined || capacityBytes(pv) < capacityBytes(best)) best = pv;
  }
  return best;
}

/** What a sync of a claim decides. */
export type ClaimPlan =
  | { kind: 'bind'; volume: KubeObject }
  | { kind: 'provision'; provisioner: string; event: EventSpec; annotate: boolean }
  | { kind: 'pending'; event?: EventSpec }
  | { kind: 'lost'; event: EventSpec }
  | { kind: 'nothing' };

/** Names of the pods using the claim that no node has been chosen for yet (findNonScheduledPodsByPVC). */
export function unscheduledPodsUsing(pvc: KubeObject, pods: readonly KubeObject[]): string[] {
  return pods
    .filter((p) => p.metadata.namespace === pvc.metadata.namespace && str(rec(p.spec).nodeName) === '' && podUsesClaim(p, str(pvc.metadata.name)))
    .map((p) => str(p.metadata.name))
    .sort();
}

/** emitEventForUnboundDelayBindingClaim: waiting for a consumer, or for the consumers to be scheduled. */
function waitEvent(pvc: KubeObject, pods: readonly KubeObject[]): EventSpec {
  const names = unscheduledPodsUsing(pvc, pods);
  if (names.length === 0) return { type: 'Normal', reason: 'WaitForFirstConsumer', message: MSG_WAIT_FOR_FIRST_CONSUMER };
  return { type: 'Normal', reason: 'WaitForPodScheduled', message: names.length === 1 ? `waiting for pod ${names[0] ?? ''} to be scheduled` : `waiting for pods ${names.join(',')} to be scheduled` };
}

/** syncClaim: an unbound claim gets a volume, is provisioned, or waits; a bound one whose volume vanished is Lost. */
export function planClaim(pvc: KubeObject, pvs: readonly KubeObject[], classes: readonly KubeObject[], pods: readonly KubeObject[]): ClaimPlan {
  if (pvc.metadata.annotations?.[ANN_BIND_COMPLETED] !== undefined) {
    const pv = pvs.find((v) => v.metadata.name === volumeName(pvc));
    if (volumeName(pvc) === '' || pv === undefined) {
      if (phaseOf(pvc) === 'Lost') return { kind: 'nothing' };
      const message = volumeName(pvc) === '' ? 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!' : 'Bound claim has lost its PersistentVolume. Data on the volume is lost!';
      return { kind: 'lost', event: { type: 'Warning', reason: 'ClaimLost', message } };
    }
    return { kind: 'bind', volume: pv };
  }
  if (volumeName(pvc) !== '') {
    // Pre-bound by the user (or the scheduler): bind if the volume is free or already ours.
    const pv = pvs.find((v) => v.metadata.name === volumeName(pvc));
    if (pv !== undefined && (claimRef(pv) === undefined || volumeBoundToClaim(pv, pvc))) return { kind: 'bind', volume: pv };
    return { kind: 'pending' };
  }
  const delayed = delayBinding(pvc, classes);
  const volume = findBestMatch(pvc, pvs, delayed);
  if (volume !== undefined) return { kind: 'bind', volume };
  if (delayed) return { kind: 'pending', event: waitEvent(pvc, pods) };
  const className = classOf(pvc);
  if (className === '') return { kind: 'pending', event: { type: 'Normal', reason: 'FailedBinding', message: MSG_NO_VOLUMES_NO_CLASS } };
  const cls = classes.find((c) => c.metadata.name === className);
  if (cls === undefined) return { kind: 'pending', event: { type: 'Warning', reason: 'ProvisioningFailed', message: `storageclass.storage.k8s.io "${className}" not found` } };
  const provisioner = str(cls.provisioner);
  // Local volumes' class: nothing provisions them, and no in-tree plugin answers to the name.
  if (provisioner === NO_PROVISIONER) return { kind: 'pending', event: { type: 'Warning', reason: 'ProvisioningFailed', message: `no volume plugin matched name: ${NO_PROVISIONER}` } };
  const annotations = pvc.metadata.annotations ?? {};
  return {
    kind: 'provision',
    provisioner,
    annotate: annotations[ANN_STORAGE_PROVISIONER] !== provisioner || annotations[ANN_BETA_STORAGE_PROVISIONER] !== provisioner,
    event: {
      type: 'Normal',
      reason: 'ExternalProvisioning',
      message: `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    },
  };
}

/** What a sync of a volume decides. */
export type VolumePlan = { kind: 'phase'; phase: 'Available' | 'Released' | 'Bound' } | { kind: 'unbind' } | { kind: 'reclaim'; policy: string } | { kind: 'nothing' };

/**
 * syncVolume: a volume without a claim (or pre-bound to one not yet created) is Available; one
 * whose claim is gone is Released and then reclaimed by its policy; one its claim points at is
 * Bound; one the controller bound to a claim that took another volume goes back to Available.
 */
export function planVolume(pv: KubeObject, claims: readonly KubeObject[]): VolumePlan {
  const ref = claimRef(pv);
  const phase = phaseOf(pv);
  if (ref === undefined || str(ref.uid) === '') return phase === 'Available' ? { kind: 'nothing' } : { kind: 'phase', phase: 'Available' };
  const pvc = claims.find((c) => c.metadata.namespace === ref.namespace && c.metadata.name === ref.name);
  if (pvc === undefined || pvc.metadata.uid !== ref.uid) {
    if (phase === 'Failed') return { kind: 'nothing' };
    if (phase !== 'Released') return { kind: 'phase', phase: 'Released' };
    return { kind: 'reclaim', policy: str(rec(pv.spec).persistentVolumeReclaimPolicy) || 'Retain' };
  }
  if (volumeName(pvc) === '') return { kind: 'nothing' }; // the claim's sync finishes the bind
  if (volumeName(pvc) === pv.metadata.name) return phase === 'Bound' ? { kind: 'nothing' } : { kind: 'phase', phase: 'Bound' };
  return pv.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined ? { kind: 'unbind' } : { kind: 'nothing' };
}

/** GetReference of the claim, as pv.spec.claimRef holds it. */
export function claimReference(pvc: KubeObject): Obj {
  return { kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: 'v1', resourceVersion: pvc.metadata.resourceVersion };
}

/** bindVolumeToClaim: the volume with its claimRef set; undefined when nothing changes. */
export function volumeBoundTo(pv: KubeObject, pvc: KubeObject): KubeObject | undefined {
  const ref = claimRef(pv);
  if (ref !== undefined && ref.uid === pvc.metadata.uid && ref.name === pvc.metadata.name && ref.namespace === pvc.metadata.namespace) return undefined;
  const copy = JSON.parse(JSON.stringify(pv)) as KubeObject;
  (copy.spec as Obj).claimRef = claimReference(pvc);
  // A claimRef set by the controller, not pre-bound by the user: unbinding it later is the controller's to do.
  if (ref === undefined) copy.metadata.annotations = { ...copy.metadata.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' };
  return copy;
}

/** bindClaimToVolume: the claim naming the volume, with bind-completed; undefined when nothing changes. */
export function claimBoundTo(pvc: KubeObject, pv: KubeObject): KubeObject | undefined {
  const annotations = pvc.metadata.annotations ?? {};
  const byController = volumeName(pvc) === '';
  if (volumeName(pvc) === pv.metadata.name && annotations[ANN_BIND_COMPLETED] !== undefined) return undefined;
  const copy = JSON.parse(JSON.stringify(pvc)) as KubeObject;
  (copy.spec as Obj).volumeName = pv.metadata.name;
  copy.metadata.annotations = { ...annotations, [ANN_BIND_COMPLETED]: 'yes', ...(byController ? { [ANN_BOUND_BY_CONTROLLER]: 'yes' } : {}) };
  return copy;
}

/** A Bound claim's status: the volume's access modes and capacity. */
export function boundClaimStatus(pvc: KubeObject, pv: KubeObject): Obj | undefined {
  const status = { ...rec(pvc.status), phase: 'Bound', accessModes: rec(pv.spec).accessModes ?? [], capacity: rec(pv.spec).capacity ?? {} };
  return JSON.stringify(status) === JSON.stringify(pvc.status) ? undefined : status;
}

/** The pod mounts the claim (directly, or as its generic ephemeral volume). */
export function podUsesClaim(pod: KubeObject, claimName: string): boolean {
  const volumes = (rec(pod.spec).volumes as Obj[] | undefined) ?? [];
  return volumes.some((v) => str(rec(v.persistentVolumeClaim).claimName) === claimName || (v.ephemeral !== undefined && `${str(pod.metadata.name)}-${str(v.name)}` === claimName));
}

/** pvc-protection: a claim stays while a pod assigned to a node uses it (the kubelet may be mounting it). */
export function claimInUse(pvc: KubeObject, pods: readonly KubeObject[]): boolean {
  return pods.some((p) => p.metadata.namespace === pvc.metadata.namespace && str(rec(p.spec).nodeName) !== '' && podUsesClaim(p, str(pvc.metadata.name)));
}

/** pv-protection: a volume stays while it is Bound to a claim. */
export const volumeInUse = (pv: KubeObject): boolean => phaseOf(pv) === 'Bound';
