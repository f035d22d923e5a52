/**
 * Pods and owners as kube-controller-manager's workload controllers judge them (v1.31):
 * k8s.io/kubernetes/pkg/api/v1/pod (ready, available), pkg/controller/controller_utils.go
 * (active pods, the ranking that picks which pods a ReplicaSet deletes first) and
 * controller_ref_manager.go (adopting and releasing by selector and controller reference).
 * Pure functions over plain objects; times are virtual milliseconds.
 */
import type { KubeObject } from '../apiserver/apiObjects';
import { matchesSelector, type Requirement } from '../apiserver/labelSelector';
import { parseRfc3339 } from '../virtualTime';

/** A deep copy of a JSON object (API objects are plain JSON; the engine has no structuredClone). */
export const jsonCopy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export type OwnerRef = NonNullable<KubeObject['metadata']['ownerReferences']>[number];

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

interface PodCondition {
  type?: string;
  status?: string;
  lastTransitionTime?: string;
}

interface ContainerStatus {
  name?: string;
  restartCount?: number;
}

interface PodStatus {
  phase?: string;
  conditions?: PodCondition[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
}

interface PodSpec {
  nodeName?: string;
  initContainers?: { name?: string; restartPolicy?: string }[];
}

/** The annotation that lets users steer which pods a scale-down removes first. */
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

const statusOf = (p: KubeObject): PodStatus => (p.status ?? {}) as PodStatus;
const specOf = (p: KubeObject): PodSpec => (p.spec ?? {}) as PodSpec;
/** A metav1.Time as virtual ms; an absent or unparsable one is the zero time (undefined). */
const timeOf = (t: string | undefined): number | undefined => (t === undefined ? undefined : parseRfc3339(t));

/** Not Succeeded, not Failed, and not being deleted. */
export function isPodActive(p: KubeObject): boolean {
  const phase = statusOf(p).phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && p.metadata.deletionTimestamp === undefined;
}

export function podReadyCondition(p: KubeObject): PodCondition | undefined {
  return (statusOf(p).conditions ?? []).find((c) => c.type === 'Ready');
}

export function isPodReady(p: KubeObject): boolean {
  return podReadyCondition(p)?.status === 'True';
}

/** Ready, and Ready for longer than minReadySeconds (strictly, as IsPodAvailable compares). */
export function isPodAvailable(p: KubeObject, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(p)) return false;
  if (minReadySeconds === 0) return true;
  const since = timeOf(podReadyCondition(p)?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

// ---------------------------------------------------------------- selectors and owners

/** metav1.LabelSelectorAsSelector: a missing selector selects nothing, an empty one everything. */
export function selectorRequirements(sel: LabelSelector | undefined): Requirement[] | undefined {
  if (sel === undefined || sel === null) return undefined;
  const reqs: Requirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, op: 'in', values: [v] }));
  for (const e of sel.matchExpressions ?? []) {
    const op = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!exists' }[e.operator];
    if (op === undefined) return undefined;
    reqs.push(op === 'in' || op === 'notin' ? { key: e.key, op, values: e.values ?? [] } : { key: e.key, op: op as 'exists' | '!exists' });
  }
  return reqs;
}

export function selectorMatches(sel: LabelSelector | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  const reqs = selectorRequirements(sel);
  return reqs !== undefined && matchesSelector(reqs, labels);
}

export function controllerRefOf(o: KubeObject): OwnerRef | undefined {
  return (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

/** metav1.NewControllerRef: the reference a controller stamps on what it creates or adopts. */
export function newControllerRef(owner: KubeObject): OwnerRef {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export interface ClaimPlan {
  /** Already ours and still matching. */
  readonly owned: KubeObject[];
  /** Orphans that match: ours once the controller reference is written. */
  readonly adopt: KubeObject[];
  /** Ours but no longer matching: the reference is to be removed. */
  readonly release: KubeObject[];
}

/** ControllerRefManager.ClaimObject for each candidate (same namespace as the owner). */
export function planClaims(owner: KubeObject, candidates: readonly KubeObject[], matches: (o: KubeObject) => boolean): ClaimPlan {
  const plan = { owned: [] as KubeObject[], adopt: [] as KubeObject[], release: [] as KubeObject[] };
  const ownerGoing = owner.metadata.deletionTimestamp !== undefined;
  for (const o of candidates) {
    const ref = controllerRefOf(o);
    if (ref !== undefined) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches(o)) plan.owned.push(o);
      else if (!ownerGoing) plan.release.push(o);
    } else if (!ownerGoing && matches(o) && o.metadata.deletionTimestamp === undefined) {
      plan.adopt.push(o);
    }
  }
  return plan;
}

// ---------------------------------------------------------------- which pods go first

const PHASE_ORDINAL: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

interface Ranked {
  readonly pod: KubeObject;
  /** Active related pods on the same node (the pod itself included). */
  readonly rank: number;
}

function deletionCost(p: KubeObject): number {
  const v = p.metadata.annotations?.[POD_DELETION_COST];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

/** Restart counts of regular containers, then of sidecars (restartable init containers). */
function maxRestarts(p: KubeObject): [number, number] {
  const st = statusOf(p);
  const regular = Math.max(0, ...(st.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
  const sidecars = new Set((specOf(p).initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const sidecar = Math.max(0, ...(st.initContainerStatuses ?? []).filter((c) => sidecars.has(c.name)).map((c) => c.restartCount ?? 0));
  return [regular, sidecar];
}

/** afterOrZero: a zero time sorts first, then the later time. */
function afterOrZero(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined;
  return a > b;
}

/** Buckets of log2(age in nanoseconds): pods of roughly the same age count as equally old. */
function logRank(t: number, now: number): number {
  const ns = (now - t) * 1e6;
  return ns > 0 ? Math.trunc(Math.log2(ns)) : -1;
}

/** LogarithmicScaleDown's comparison of two times (both set): younger bucket first, then uid. */
function byAgeBucket(a: KubeObject, ta: number, b: KubeObject, tb: number, now: number): boolean {
  const diff = logRank(ta, now) - logRank(tb, now);
  if (diff === 0) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '');
  return diff < 0;
}

function olderFirstByTime(a: KubeObject, ta: number | undefined, b: KubeObject, tb: number | undefined, now: number): boolean {
  if (ta === undefined || tb === undefined) return afterOrZero(ta, tb);
  return byAgeBucket(a, ta, b, tb, now);
}

/** ActivePodsWithRanks.Less (PodDeletionCost and LogarithmicScaleDown on, as in 1.31): true if a goes before b. */
function deletedBefore(x: Ranked, y: Ranked, now: number): boolean {
  const a = x.pod;
  const b = y.pod;
  const na = specOf(a).nodeName ?? '';
  const nb = specOf(b).nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '';
  const pa = PHASE_ORDINAL[statusOf(a).phase ?? ''] ?? 0;
  const pb = PHASE_ORDINAL[statusOf(b).phase ?? ''] ?? 0;
  if (pa !== pb) return pa < pb;
  if (isPodReady(a) !== isPodReady(b)) return !isPodReady(a);
  if (deletionCost(a) !== deletionCost(b)) return deletionCost(a) < deletionCost(b);
  if (x.rank !== y.rank) return x.rank > y.rank;
  if (isPodReady(a) && isPodReady(b)) {
    const ra = timeOf(podReadyCondition(a)?.lastTransitionTime);
    const rb = timeOf(podReadyCondition(b)?.lastTransitionTime);
    if (ra !== rb) return olderFirstByTime(a, ra, b, rb, now);
  }
  const [ra, sa] = maxRestarts(a);
  const [rb, sb] = maxRestarts(b);
  if (ra !== rb) return ra > rb;
  if (sa !== sb) return sa > sb;
  const ca = timeOf(a.metadata.creationTimestamp);
  const cb = timeOf(b.metadata.creationTimestamp);
  if (ca !== cb) return olderFirstByTime(a, ca, b, cb, now);
  return false;
}

/**
 * getPodsToDelete: the `count` pods a ReplicaSet deletes, best first: unassigned before
 * assigned, Pending < Unknown < Running, not ready before ready, lower deletion cost, more
 * pods of the same owner on the node, ready more recently, more restarts, created more
 * recently. `related` are the pods of every ReplicaSet with the same controller.
 */
export function podsToDelete(pods: readonly KubeObject[], related: readonly KubeObject[], count: number, now: number): KubeObject[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) if (isPodActive(p)) onNode.set(specOf(p).nodeName ?? '', (onNode.get(specOf(p).nodeName ?? '') ?? 0) + 1);
  const ranked: Ranked[] = pods.map((pod) => ({ pod, rank: onNode.get(specOf(pod).nodeName ?? '') ?? 0 }));
  ranked.sort((x, y) => (deletedBefore(x, y, now) ? -1 : deletedBefore(y, x, now) ? 1 : 0));
  return ranked.slice(0, count).map((r) => r.pod);
}
