import type { KubeObject } from '../../apiserver/apiObjects';
import { bytes } from '../../quantity';
import type { Cycle, NodeInfo, Plugin, Status } from '../framework';
import { termMatches, unresolvable, type NodeSelectorTerm } from './helpers';

/**
 * VolumeBinding and VolumeZone: where the pod's PersistentVolumeClaims let it run. Claims must
 * exist; an unbound claim must wait for its first consumer (WaitForFirstConsumer) or the pod is
 * rejected until the PV controller binds it; a bound volume's node affinity, and its zone labels,
 * must admit the node. checkBindings is PreBind's test of whether the bindings it started are done.
 */

const ANN_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';
const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';

const ERR_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
const ERR_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
const ERR_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';

const rec = (x: unknown): Record<string, unknown> => (x !== null && typeof x === 'object' ? (x as Record<string, unknown>) : {});
const field = (o: KubeObject, path: string, key: string): unknown => rec(o[path])[key];
const named = (list: readonly KubeObject[] | undefined, name: string, namespace?: string): KubeObject | undefined =>
  (list ?? []).find((o) => o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));

/** A claim's or volume's class: the beta annotation wins over spec.storageClassName. */
const storageClassOf = (o: KubeObject): string => o.metadata.annotations?.[ANN_STORAGE_CLASS] ?? String(field(o, 'spec', 'storageClassName') ?? '');

/** Bound once the PV controller finished the bind (the annotation, or the Bound phase it then reports). */
const fullyBound = (pvc: KubeObject): boolean =>
  String(field(pvc, 'spec', 'volumeName') ?? '') !== '' &&
  (pvc.metadata.annotations?.[ANN_BIND_COMPLETED] !== undefined || field(pvc, 'status', 'phase') === 'Bound');

function waitsForFirstConsumer(cycle: Cycle, pvc: KubeObject): boolean {
  const className = storageClassOf(pvc);
  if (className === '') return false;
  const sc = named(cycle.input.storageClasses, className);
  return sc !== undefined && sc.volumeBindingMode === 'WaitForFirstConsumer';
}

interface PodClaims {
  bound: KubeObject[];
  delayed: KubeObject[];
  immediate: KubeObject[];
}

/** podHasPVCs and GetPodVolumeClaims: every claim must exist, not be lost or being deleted. */
function podClaims(cycle: Cycle): PodClaims | Status | undefined {
  const pod = cycle.pod;
  const claims: PodClaims = { bound: [], delayed: [], immediate: [] };
  let any = false;
  for (const v of pod.spec.volumes ?? []) {
    const ephemeral = v.ephemeral !== undefined && v.persistentVolumeClaim === undefined;
    if (v.persistentVolumeClaim === undefined && !ephemeral) continue;
    any = true;
    const claimName = ephemeral ? `${pod.name}-${v.name}` : (v.persistentVolumeClaim?.claimName ?? '');
    const pvc = named(cycle.input.pvcs, claimName, pod.namespace);
    if (pvc === undefined) {
      return unresolvable(
        ephemeral
          ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${claimName}"`
          : `persistentvolumeclaim "${claimName}" not found`,
      );
    }
    if (field(pvc, 'status', 'phase') === 'Lost') {
      return unresolvable(`persistentvolumeclaim "${claimName}" bound to non-existent persistentvolume "${String(field(pvc, 'spec', 'volumeName') ?? '')}"`);
    }
    if (pvc.metadata.deletionTimestamp !== undefined) return unresolvable(`persistentvolumeclaim "${claimName}" is being deleted`);
    if (ephemeral && !(pvc.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === pod.pod.metadata.uid)) {
      return unresolvable(`PVC ${pod.namespace}/${claimName} was not created for pod ${pod.namespace}/${pod.name} (pod is not owner)`);
    }
    if (fullyBound(pvc)) claims.bound.push(pvc);
    else if (waitsForFirstConsumer(cycle, pvc) && String(field(pvc, 'spec', 'volumeName') ?? '') === '') claims.delayed.push(pvc);
    else claims.immediate.push(pvc);
  }
  return any ? claims : undefined;
}

const requiredTerms = (pv: KubeObject): NodeSelectorTerm[] | undefined =>
  (rec(rec(field(pv, 'spec', 'nodeAffinity')).required).nodeSelectorTerms as NodeSelectorTerm[] | undefined) ?? undefined;

/** CheckNodeAffinity: the volume's required node affinity, matched on the node's labels. */
function pvAdmits(pv: KubeObject, node: Pick<NodeInfo, 'labels'>): boolean {
  const terms = requiredTerms(pv);
  return terms === undefined || terms.some((t) => termMatches(t, { name: '', labels: node.labels }));
}

/** Nodes a bound local volume pins through kubernetes.io/hostname (GetEligibleNodes); undefined: no restriction. */
function eligibleNodes(pvs: readonly KubeObject[]): Set<string> | undefined {
  let eligible: Set<string> | undefined;
  for (const pv of pvs) {
    const names = new Set<string>();
    for (const term of requiredTerms(pv) ?? []) {
      let termNames: Set<string> | undefined;
      for (const e of term.matchExpressions ?? []) {
        if (e.key !== 'kubernetes.io/hostname' || e.operator !== 'In') continue;
        const values = new Set(e.values ?? []);
        termNames = termNames === undefined ? values : new Set([...termNames].filter((n) => values.has(n)));
      }
      for (const n of termNames ?? []) names.add(n);
    }
    if (names.size === 0) continue;
    eligible = eligible === undefined ? names : new Set([...eligible].filter((n) => names.has(n)));
  }
  return eligible;
}

const storageOf = (o: KubeObject, path: 'capacity' | 'requests'): number => {
  const spec = rec(o.spec);
  const q = path === 'capacity' ? rec(spec.capacity).storage : rec(rec(spec.resources).requests).storage;
  try {
    return q === undefined ? 0 : bytes(q as string);
  } catch {
    return 0;
  }
};

/** An available volume of the claim's class, big enough, with its access modes, that this node can reach. */
function staticMatch(cycle: Cycle, pvc: KubeObject, node: NodeInfo): boolean {
  const className = storageClassOf(pvc);
  const modes = (field(pvc, 'spec', 'accessModes') as string[] | undefined) ?? [];
  return (cycle.input.pvs ?? []).some((pv) => {
    const claimRef = rec(field(pv, 'spec', 'claimRef'));
    const free = claimRef.name === undefined || (claimRef.name === pvc.metadata.name && claimRef.namespace === pvc.metadata.namespace);
    const pvModes = (field(pv, 'spec', 'accessModes') as string[] | undefined) ?? [];
    return (
      free &&
      pv.metadata.deletionTimestamp === undefined &&
      storageClassOf(pv) === className &&
      storageOf(pv, 'capacity') >= storageOf(pvc, 'requests') &&
      modes.every((m) => pvModes.includes(m)) &&
      pvAdmits(pv, node)
    );
  });
}

/** A class that provisions, and whose allowedTopologies admit the node. */
function provisionable(cycle: Cycle, pvc: KubeObject, node: NodeInfo): boolean {
  const sc = named(cycle.input.storageClasses, storageClassOf(pvc));
  const provisioner = String(sc?.provisioner ?? '');
  if (sc === undefined || provisioner === '' || provisioner === NO_PROVISIONER) return false;
  const terms = (sc.allowedTopologies as { matchLabelExpressions?: { key: string; values: string[] }[] }[] | undefined) ?? [];
  return terms.length === 0 || terms.some((t) => (t.matchLabelExpressions ?? []).every((e) => e.values.includes(node.labels[e.key] ?? '\0')));
}

export const volumeBinding: Plugin = {
  name: 'VolumeBinding',
  preFilter: (cycle) => {
    const claims = podClaims(cycle);
    if (claims === undefined) return 'skip';
    if ('code' in claims) return { status: claims };
    if (claims.immediate.length > 0) return { status: unresolvable('pod has unbound immediate PersistentVolumeClaims') };
    const boundPvs = claims.bound.map((pvc) => named(cycle.input.pvs, String(field(pvc, 'spec', 'volumeName'))));
    const found = boundPvs.filter((pv): pv is KubeObject => pv !== undefined);
    const filter = (node: NodeInfo): Status | undefined => {
      // checkBoundClaims stops at the first volume that is missing or does not admit the node.
      const bad = boundPvs.findIndex((pv) => pv === undefined || !pvAdmits(pv, node));
      const missing = bad >= 0 && boundPvs[bad] === undefined;
      const reasons: string[] = [];
      if (bad >= 0 && !missing) reasons.push(ERR_NODE_CONFLICT);
      if (!claims.delayed.every((pvc) => staticMatch(cycle, pvc, node) || provisionable(cycle, pvc, node))) reasons.push(ERR_BIND_CONFLICT);
      if (missing) reasons.push(ERR_PV_NOT_EXIST);
      return reasons.length === 0 ? undefined : unresolvable(...reasons);
    };
    const nodeNames = eligibleNodes(found);
    return nodeNames === undefined ? { filter } : { filter, nodeNames };
  },
};

// ---------------------------------------------------------------- PreBind's wait

/** What PreBind wrote for a pod's delayed claims, as the API server answered: volumes pre-bound to a claim, claims annotated for their provisioner. */
export interface VolumeWrites {
  readonly volumes: readonly KubeObject[];
  readonly claims: readonly KubeObject[];
}

/** The caches PreBind reads back while it waits. */
export interface BindingCache {
  volume(name: string): KubeObject | undefined;
  claim(namespace: string, name: string): KubeObject | undefined;
}

/** A cached object older than what was written: the informer has not caught up yet (CompareResourceVersion). */
const olderThan = (cached: KubeObject, written: KubeObject): boolean => Number(cached.metadata.resourceVersion ?? 0) < Number(written.metadata.resourceVersion ?? 0);

/**
 * VolumeBinding's checkBindings, polled while PreBind waits: true once every claim is fully bound
 * to a volume the chosen node can reach; false while the caches lag behind the writes or the PV
 * controller is not done; the error that fails PreBind when the binding can no longer succeed
 * (a volume provisioned in another zone, a provisioner that gave up on the node).
 */
export function checkBindings(writes: VolumeWrites, cache: BindingCache, node: { readonly name: string; readonly labels: Readonly<Record<string, string>> }): boolean | string {
  const mismatch = (pv: KubeObject): string | undefined =>
    pvAdmits(pv, node) ? undefined : `pv "${pv.metadata.name ?? ''}" node affinity doesn't match node "${node.name}": no matching NodeSelectorTerms`;
  for (const written of writes.volumes) {
    const pv = cache.volume(written.metadata.name ?? '');
    const ref = rec(pv === undefined ? undefined : field(pv, 'spec', 'claimRef'));
    const claim = cache.claim(String(ref.namespace ?? ''), String(ref.name ?? ''));
    if (pv === undefined || olderThan(pv, written)) return false;
    const error = mismatch(pv);
    if (error !== undefined) return error;
    if (String(ref.uid ?? '') === '') return `ClaimRef got reset for pv "${pv.metadata.name ?? ''}"`;
    if (claim === undefined || !fullyBound(claim)) return false;
  }
  for (const written of writes.claims) {
    const pvc = cache.claim(written.metadata.namespace ?? 'default', written.metadata.name ?? '');
    if (pvc === undefined || olderThan(pvc, written)) return false;
    const annotations = pvc.metadata.annotations;
    if (annotations === undefined) return `selectedNode annotation reset for PVC "${pvc.metadata.name ?? ''}"`;
    // The provisioner drops the annotation when it cannot provision on that node.
    if (annotations[ANN_SELECTED_NODE] !== node.name) return `provisioning failed for PVC "${pvc.metadata.name ?? ''}"`;
    const volumeName = String(field(pvc, 'spec', 'volumeName') ?? '');
    if (volumeName !== '') {
      const pv = cache.volume(volumeName);
      if (pv === undefined) return false;
      const error = mismatch(pv);
      if (error !== undefined) return error;
    }
    if (!fullyBound(pvc)) return false;
  }
  return true;
}

// ---------------------------------------------------------------- VolumeZone

const ZONE_LABELS = [
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
];
const GA_LABEL: Readonly<Record<string, string>> = {
  'failure-domain.beta.kubernetes.io/zone': 'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region': 'topology.kubernetes.io/region',
};

/** The zone / region labels of the volumes bound to the pod's claims (a label may list zones joined by "__"). */
function volumeTopologies(cycle: Cycle): { key: string; values: Set<string> }[] | Status {
  const out: { key: string; values: Set<string> }[] = [];
  for (const v of cycle.pod.spec.volumes ?? []) {
    if (v.persistentVolumeClaim === undefined) continue;
    const claimName = v.persistentVolumeClaim.claimName;
    if (claimName === '') return unresolvable('PersistentVolumeClaim had no name');
    const pvc = named(cycle.input.pvcs, claimName, cycle.pod.namespace);
    if (pvc === undefined) return unresolvable(`persistentvolumeclaim "${claimName}" not found`);
    const pvName = String(field(pvc, 'spec', 'volumeName') ?? '');
    if (pvName === '') {
      const className = storageClassOf(pvc);
      if (className === '') return unresolvable('PersistentVolumeClaim had no pv name and storageClass name');
      const sc = named(cycle.input.storageClasses, className);
      if (sc === undefined) return unresolvable(`storageclass.storage.k8s.io "${className}" not found`);
      if (sc.volumeBindingMode === 'WaitForFirstConsumer') continue;
      return unresolvable('PersistentVolume had no name');
    }
    const pv = named(cycle.input.pvs, pvName);
    if (pv === undefined) return unresolvable(`persistentvolume "${pvName}" not found`);
    for (const key of ZONE_LABELS) {
      const value = pv.metadata.labels?.[key];
      if (value !== undefined) out.push({ key, values: new Set(value.split('__').map((z) => z.trim())) });
    }
  }
  return out;
}

export const volumeZone: Plugin = {
  name: 'VolumeZone',
  preFilter: (cycle) => {
    const topologies = volumeTopologies(cycle);
    if (!Array.isArray(topologies)) return { status: topologies };
    if (topologies.length === 0) return 'skip';
    return {
      filter: (node) => {
        // A node without any zone label sits in a single-zone cluster: nothing to conflict with.
        if (!ZONE_LABELS.some((k) => node.labels[k] !== undefined)) return undefined;
        for (const t of topologies) {
          const value = node.labels[t.key] ?? node.labels[GA_LABEL[t.key] ?? ''];
          if (value === undefined || !t.values.has(value)) return unresolvable('node(s) had no available volume zone');
        }
        return undefined;
      },
    };
  },
};
