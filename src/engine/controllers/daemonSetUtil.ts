/**
 * What kube-controller-manager's DaemonSet controller (pkg/controller/daemon, v1.31) decides,
 * as pure functions: which nodes should run a daemon pod (the scheduler's node name, node
 * affinity and taint predicates), the pod it creates for a node, which pods a sync creates or
 * deletes, which old pods a rolling update replaces, and the status counts.
 *
 * ControllerRevisions are not served by our API server, so the revision is only the
 * controller-revision-hash label: the hash the real controller names its ControllerRevision
 * after (controller.ComputeHash of the template and the collision count).
 */
import type { KubeObject } from '../apiserver/apiObjects';
import { requiredNodeAffinity, untoleratedTaint, type NodeSelectorTerm, type Taint, type Toleration } from '../scheduler/plugins/helpers';
import { parseRfc3339 } from '../virtualTime';
import { podTemplateHash, scaledValue } from './deploymentUtil';
import { isPodAvailable, isPodReady, jsonCopy, newControllerRef } from './podUtil';

type Obj = Record<string, unknown>;

export const REVISION_HASH_LABEL = 'controller-revision-hash';
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** Where apps/v1 DaemonSets keep the template generation the API server counts. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

interface PodSpec {
  nodeName?: string;
  hostNetwork?: boolean;
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
  affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } & Obj } & Obj;
}

interface DsSpec {
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  minReadySeconds?: number;
  template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: PodSpec };
  updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
}

export interface DaemonSetStatus {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
}

export const dsSpec = (ds: KubeObject): DsSpec => (ds.spec ?? {}) as DsSpec;
const podSpec = (p: KubeObject): PodSpec => (p.spec ?? {}) as PodSpec;
const phaseOf = (p: KubeObject): string | undefined => (p.status as { phase?: string } | undefined)?.phase;

// ---------------------------------------------------------------- tolerations and eligibility

/**
 * AddOrUpdateDaemonPodTolerations: daemon pods ride out node problems. not-ready and
 * unreachable are tolerated forever (no tolerationSeconds), the condition taints and
 * cordoning are ignored; network-unavailable only for host-network pods.
 */
export function daemonPodTolerations(spec: PodSpec): Toleration[] {
  const wanted: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (spec.hostNetwork === true) wanted.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  const result = [...(spec.tolerations ?? [])];
  for (const t of wanted) {
    // AddOrUpdateTolerationInPodSpec: an equal toleration is kept in place, one of the same key, operator and effect replaced.
    const i = result.findIndex((o) => (o.key ?? '') === t.key && (o.operator ?? 'Equal') === t.operator && (o.effect ?? '') === t.effect);
    if (i < 0) result.push(t);
    else result[i] = t;
  }
  return result;
}

export interface NodeVerdict {
  /** A daemon pod should be created here. */
  shouldRun: boolean;
  /** A daemon pod already here may stay (it tolerates every NoExecute taint). */
  shouldContinueRunning: boolean;
}

/** NodeShouldRunDaemonPod: node name, required node affinity / nodeSelector, then NoSchedule and NoExecute taints. */
export function nodeShouldRunDaemonPod(node: KubeObject, ds: KubeObject): NodeVerdict {
  const spec = dsSpec(ds).template?.spec ?? {};
  const name = node.metadata.name ?? '';
  const no = { shouldRun: false, shouldContinueRunning: false };
  if ((spec.nodeName ?? '') !== '' && spec.nodeName !== name) return no;
  if (!requiredNodeAffinity(spec)({ name, labels: node.metadata.labels ?? {} })) return no;
  const taints = ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []);
  const tolerations = daemonPodTolerations(spec);
  if (untoleratedTaint(taints, tolerations) === undefined) return { shouldRun: true, shouldContinueRunning: true };
  return { shouldRun: false, shouldContinueRunning: untoleratedTaint(taints.filter((t) => t.effect === 'NoExecute'), tolerations) === undefined };
}

// ---------------------------------------------------------------- the pods

/** ReplaceDaemonSetPodNodeNameNodeAffinity: pin the pod to one node through `metadata.name In [node]`. */
export function pinToNode(affinity: PodSpec['affinity'], nodeName: string): NonNullable<PodSpec['affinity']> {
  const field = { key: 'metadata.name', operator: 'In', values: [nodeName] };
  const next = jsonCopy(affinity ?? {});
  const nodeAffinity = next.nodeAffinity ?? {};
  const terms = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const pinned: NodeSelectorTerm[] = terms.length === 0 ? [{ matchFields: [field] }] : terms.map((t) => ({ ...t, matchFields: [field] }));
  return { ...next, nodeAffinity: { ...nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: pinned } } };
}

/** GetTargetNodeName: the node a daemon pod is bound to, or the one its affinity pins it to. */
export function targetNodeName(pod: KubeObject): string | undefined {
  const spec = podSpec(pod);
  if ((spec.nodeName ?? '') !== '') return spec.nodeName;
  for (const term of spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** The revision hash of the current template (the ControllerRevision's name suffix). */
export function daemonSetHash(ds: KubeObject): string {
  return podTemplateHash(dsSpec(ds).template ?? {}, (ds.status as DaemonSetStatus | undefined)?.collisionCount);
}

/**
 * The template generation: the annotation the real API server keeps on apps/v1 DaemonSets.
 * Ours does not set it, so metadata.generation stands in (it also counts non-template changes,
 * which only makes the label differ; updates are judged by the hash as well).
 */
export function templateGeneration(ds: KubeObject): string | undefined {
  const ann = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (ann !== undefined) return ann;
  return ds.metadata.generation === undefined ? undefined : String(ds.metadata.generation);
}

/** IsPodUpdated: the pod carries the current hash, or the current template generation. */
export function isPodUpdated(pod: KubeObject, ds: KubeObject, hash: string): boolean {
  const labels = pod.metadata.labels ?? {};
  const ann = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return (hash !== '' && labels[REVISION_HASH_LABEL] === hash) || (ann !== undefined && labels[TEMPLATE_GENERATION_LABEL] === ann);
}

/** CreatePodTemplate plus the node pin: the pod the controller creates for one node. */
export function daemonPodFor(ds: KubeObject, nodeName: string, hash: string): KubeObject {
  const template = dsSpec(ds).template ?? {};
  const meta = template.metadata ?? {};
  const spec = jsonCopy(template.spec ?? {});
  spec.tolerations = daemonPodTolerations(spec);
  spec.affinity = pinToNode(spec.affinity, nodeName);
  const generation = templateGeneration(ds);
  const labels: Record<string, string> = { ...(meta.labels ?? {}), ...(generation === undefined ? {} : { [TEMPLATE_GENERATION_LABEL]: generation }), [REVISION_HASH_LABEL]: hash };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name ?? ''}-`,
      namespace: ds.metadata.namespace ?? 'default',
      labels,
      ...(meta.annotations === undefined ? {} : { annotations: { ...meta.annotations } }),
      ownerReferences: [newControllerRef(ds)],
    },
    spec: spec as Obj,
  };
}

/** Daemon pods by the node they are on or pinned to. */
export function podsByNode(pods: readonly KubeObject[]): Map<string, KubeObject[]> {
  const byNode = new Map<string, KubeObject[]>();
  for (const p of pods) {
    const node = targetNodeName(p);
    if (node === undefined) continue;
    byNode.set(node, [...(byNode.get(node) ?? []), p]);
  }
  return byNode;
}

const created = (p: KubeObject): number => parseRfc3339(p.metadata.creationTimestamp ?? '') ?? 0;

/** podByCreationTimestampAndPhase: running pods before others, then oldest first, then by name. */
export function oldestFirst(pods: readonly KubeObject[]): KubeObject[] {
  const running = (p: KubeObject): number => (phaseOf(p) === 'Running' ? 0 : 1);
  return [...pods].sort((a, b) => running(a) - running(b) || created(a) - created(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

// ---------------------------------------------------------------- what a sync does

export interface NodePlan {
  /** Nodes that need a daemon pod. */
  readonly create: string[];
  /** Pods to delete (misscheduled, finished, or surplus). */
  readonly delete: KubeObject[];
  /** Failed pods to delete, each reported with a FailedDaemonPod warning (subject to back-off). */
  readonly failed: { pod: KubeObject; node: string }[];
}

/** podsShouldBeOnNode over every node, then unscheduled pods pinned to nodes that no longer exist (manage). */
export function planNodes(ds: KubeObject, nodes: readonly KubeObject[], byNode: ReadonlyMap<string, readonly KubeObject[]>): NodePlan {
  const plan: NodePlan = { create: [], delete: [], failed: [] };
  for (const node of nodes) {
    const name = node.metadata.name ?? '';
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const pods = byNode.get(name);
    if (shouldRun && pods === undefined) {
      plan.create.push(name);
    } else if (shouldContinueRunning) {
      const running: KubeObject[] = [];
      for (const p of pods ?? []) {
        if (p.metadata.deletionTimestamp !== undefined) continue;
        if (phaseOf(p) === 'Failed') plan.failed.push({ pod: p, node: name });
        else if (phaseOf(p) === 'Succeeded') plan.delete.push(p);
        else running.push(p);
      }
      // Without surge one pod per node: the oldest stays.
      if (running.length > 1) plan.delete.push(...oldestFirst(running).slice(1));
    } else if (pods !== undefined) {
      plan.delete.push(...pods.filter((p) => p.metadata.deletionTimestamp === undefined));
    }
  }
  const known = new Set(nodes.map((n) => n.metadata.name ?? ''));
  for (const [node, pods] of byNode) {
    if (known.has(node)) continue;
    plan.delete.push(...pods.filter((p) => (podSpec(p).nodeName ?? '') === '' && p.metadata.deletionTimestamp === undefined));
  }
  return plan;
}

/** The rolling update's limits: maxUnavailable (default 1) and maxSurge (default 0), both rounded up. */
export function rollingLimits(ds: KubeObject, desired: number): { maxUnavailable: number; maxSurge: number } {
  const ru = dsSpec(ds).updateStrategy?.rollingUpdate;
  let maxUnavailable = scaledValue(ru?.maxUnavailable ?? 1, desired, true);
  const maxSurge = scaledValue(ru?.maxSurge ?? 0, desired, true);
  // An impossible configuration falls back to one at a time.
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxUnavailable, maxSurge };
}

export const isOnDelete = (ds: KubeObject): boolean => dsSpec(ds).updateStrategy?.type === 'OnDelete';

/**
 * rollingUpdate without surge: old pods to delete so that no more than maxUnavailable nodes
 * are without an available up-to-date pod; unavailable old pods go regardless. The manage
 * loop of a later sync creates their replacements.
 */
export function rollingUpdateDeletions(ds: KubeObject, nodes: readonly KubeObject[], byNode: ReadonlyMap<string, readonly KubeObject[]>, hash: string, now: number): KubeObject[] {
  const perNode = new Map<string, readonly KubeObject[]>(byNode);
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desired++;
    if (!perNode.has(node.metadata.name ?? '')) perNode.set(node.metadata.name ?? '', []);
  }
  const { maxUnavailable } = rollingLimits(ds, desired);
  const minReady = dsSpec(ds).minReadySeconds ?? 0;
  let unavailable = 0;
  const replace: KubeObject[] = [];
  const candidates: KubeObject[] = [];
  for (const name of [...perNode.keys()].sort()) {
    const live = (perNode.get(name) ?? []).filter((p) => p.metadata.deletionTimestamp === undefined);
    const fresh = live.filter((p) => isPodUpdated(p, ds, hash));
    const old = live.filter((p) => !isPodUpdated(p, ds, hash));
    if (fresh.length > 1 || old.length > 1 || fresh.length === old.length) {
      unavailable++;
    } else if (fresh[0] !== undefined) {
      if (!isPodAvailable(fresh[0], minReady, now)) unavailable++;
    } else if (old[0] !== undefined) {
      if (!isPodAvailable(old[0], minReady, now)) replace.push(old[0]);
      else if (unavailable < maxUnavailable) candidates.push(old[0]);
    }
  }
  const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
  return [...replace, ...candidates.slice(0, room)];
}

/** updateDaemonSetStatus's counts (observedGeneration and collisionCount are left to the caller). */
export function daemonSetStatus(ds: KubeObject, nodes: readonly KubeObject[], byNode: ReadonlyMap<string, readonly KubeObject[]>, hash: string, now: number): DaemonSetStatus {
  const minReady = dsSpec(ds).minReadySeconds ?? 0;
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const node of nodes) {
    const pods = byNode.get(node.metadata.name ?? '') ?? [];
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) {
      if (pods.length > 0) misscheduled++;
      continue;
    }
    desired++;
    const pod = oldestFirst(pods)[0];
    if (pod === undefined) continue;
    current++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
    }
    if (isPodUpdated(pod, ds, hash)) updated++;
  }
  return {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    ...(updated > 0 ? { updatedNumberScheduled: updated } : {}),
    ...(available > 0 ? { numberAvailable: available } : {}),
    ...(desired - available > 0 ? { numberUnavailable: desired - available } : {}),
  };
}

const COUNTERS = ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const;

/** storeDaemonSetStatus's short cut: the same counts, and the generation observed if it should be. */
export function daemonSetStatusChanged(ds: KubeObject, next: DaemonSetStatus, observeGeneration: boolean): boolean {
  const cur = (ds.status ?? {}) as Partial<DaemonSetStatus>;
  if (COUNTERS.some((k) => (cur[k] ?? 0) !== (next[k] ?? 0))) return true;
  return observeGeneration && (cur.observedGeneration ?? 0) < (ds.metadata.generation ?? 0);
}
