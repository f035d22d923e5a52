/**
 * The StatefulSet controller's judgements (pkg/controller/statefulset, v1.31): pod identity
 * (name, hostname, labels, claims), revisions, which single step to take next, and status.
 * Pure functions over plain objects; times are virtual milliseconds.
 */
import type { KubeObject } from '../apiserver/apiObjects';
import { isPodAvailable, isPodReady, jsonCopy, newControllerRef, type LabelSelector } from './podUtil';
import { fnv32, utf8 } from './fnv';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

interface ClaimTemplate {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
}

export interface StsSpec {
  replicas?: number;
  selector?: LabelSelector;
  serviceName?: string;
  minReadySeconds?: number;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { partition?: number } };
  ordinals?: { start?: number };
  template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> };
  volumeClaimTemplates?: ClaimTemplate[];
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: 'Retain' | 'Delete'; whenScaled?: 'Retain' | 'Delete' };
}

export interface StsStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  availableReplicas: number;
}

export const stsSpec = (s: KubeObject): StsSpec => (s.spec ?? {}) as StsSpec;
export const stsStatus = (s: KubeObject): Partial<StsStatus> => (s.status ?? {}) as Partial<StsStatus>;
const podPhase = (p: KubeObject): string | undefined => ((p.status ?? {}) as { phase?: string }).phase;
const startOrdinal = (set: KubeObject): number => stsSpec(set).ordinals?.start ?? 0;

export const isMonotonic = (set: KubeObject): boolean => stsSpec(set).podManagementPolicy !== 'Parallel';
export const podName = (set: KubeObject, ordinal: number): string => `${set.metadata.name ?? ''}-${ordinal}`;

/** The ordinal in a pod's name "<set>-<n>", or undefined if the name is not one of the set's. */
export function ordinalOf(set: KubeObject, pod: KubeObject): number | undefined {
  const prefix = `${set.metadata.name ?? ''}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

export const claimName = (template: ClaimTemplate, set: KubeObject, ordinal: number): string => `${template.metadata?.name ?? ''}-${set.metadata.name ?? ''}-${ordinal}`;

export const isTerminating = (p: KubeObject): boolean => p.metadata.deletionTimestamp !== undefined;
export const isFinished = (p: KubeObject): boolean => podPhase(p) === 'Failed' || podPhase(p) === 'Succeeded';
export const isRunningAndReady = (p: KubeObject): boolean => podPhase(p) === 'Running' && isPodReady(p);
const isRunningAndAvailable = (p: KubeObject, minReady: number, now: number): boolean => podPhase(p) === 'Running' && isPodAvailable(p, minReady, now);
/** Running, ready, and not going away: what OrderedReady waits for before the next step. */
const isHealthy = (p: KubeObject): boolean => isRunningAndReady(p) && !isTerminating(p);
export const revisionOf = (p: KubeObject): string | undefined => p.metadata.labels?.[REVISION_LABEL];

// ==================================================================== revisions

/** encoding/json's output for plain JSON: keys sorted (Go maps), <, > and & escaped. */
function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${goJson(k)}:${goJson(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** apimachinery's rand.SafeEncodeString. */
function safeEncode(s: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...s].map((c) => alphabet[(c.codePointAt(0) as number) % alphabet.length]).join('');
}

/**
 * The set's update revision name, "<set>-<hash>", as history.HashControllerRevision computes it:
 * FNV-1 over the revision's data (getPatch: {"spec":{"template":{…,"$patch":"replace"}}} with
 * Go's sorted keys, and the template's null creationTimestamp) followed by the collision count.
 * It matches a real cluster's only as far as this API server's defaulting matches the real one.
 */
export function updateRevisionName(set: KubeObject): string {
  const template = jsonCopy(stsSpec(set).template ?? {}) as Record<string, unknown>;
  template.metadata = { creationTimestamp: null, ...((template.metadata as object | undefined) ?? {}) };
  template.$patch = 'replace';
  const data = goJson({ spec: { template } });
  const hash = fnv32(utf8(data + String(stsStatus(set).collisionCount ?? 0)));
  return `${set.metadata.name ?? ''}-${safeEncode(String(hash))}`;
}

// ==================================================================== identity

/** The claims (PVCs) a replica mounts, named <template>-<set>-<ordinal>, labelled with the set's selector labels. */
export function claimsFor(set: KubeObject, ordinal: number): KubeObject[] {
  const spec = stsSpec(set);
  const policy = spec.persistentVolumeClaimRetentionPolicy ?? {};
  return (spec.volumeClaimTemplates ?? []).map((t) => {
    const labels = { ...(t.metadata?.labels ?? {}), ...(spec.selector?.matchLabels ?? {}) };
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claimName(t, set, ordinal),
        namespace: set.metadata.namespace ?? 'default',
        ...(Object.keys(labels).length === 0 ? {} : { labels }),
        ...(t.metadata?.annotations === undefined ? {} : { annotations: { ...t.metadata.annotations } }),
        // whenDeleted: Delete: the set owns its claims, and the garbage collector takes them with it.
        ...(policy.whenDeleted === 'Delete' ? { ownerReferences: [{ apiVersion: set.apiVersion, kind: set.kind, name: set.metadata.name ?? '', uid: set.metadata.uid ?? '' }] } : {}),
      },
      spec: jsonCopy(t.spec ?? {}),
    };
  });
}

/**
 * newStatefulSetPod: the template's pod named <set>-<ordinal>, with its identity (hostname,
 * subdomain = serviceName, pod-name and pod-index labels), the revision label, and a volume per
 * claim template pointing at the replica's claim (ahead of the template's own volumes).
 */
export function newStatefulSetPod(set: KubeObject, ordinal: number, revision: string): KubeObject {
  const spec = stsSpec(set);
  const template = spec.template ?? {};
  const name = podName(set, ordinal);
  const podSpec = jsonCopy(template.spec ?? {}) as Record<string, unknown>;
  const claimed = new Set((spec.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? ''));
  const own = ((podSpec.volumes ?? []) as { name?: string }[]).filter((v) => !claimed.has(v.name ?? ''));
  const claimVolumes = (spec.volumeClaimTemplates ?? []).map((t) => ({ name: t.metadata?.name ?? '', persistentVolumeClaim: { claimName: claimName(t, set, ordinal) } }));
  if (claimVolumes.length + own.length > 0) podSpec.volumes = [...claimVolumes, ...own];
  podSpec.hostname = name;
  if (spec.serviceName) podSpec.subdomain = spec.serviceName;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace ?? 'default',
      labels: { ...(template.metadata?.labels ?? {}), [REVISION_LABEL]: revision, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) },
      ...(template.metadata?.annotations === undefined ? {} : { annotations: { ...template.metadata.annotations } }),
      ownerReferences: [newControllerRef(set)],
    },
    spec: podSpec,
  };
}

// ==================================================================== the next step

export type Step =
  | { readonly kind: 'create'; readonly ordinal: number }
  | { readonly kind: 'delete'; readonly pod: KubeObject; readonly condemned: boolean }
  /** OrderedReady is waiting for a pod to become Running and Ready (or available). */
  | { readonly kind: 'wait'; readonly recheckMs?: number };

export interface Plan {
  readonly steps: Step[];
}

/**
 * What one sync does (updateStatefulSet): finished pods are deleted to be recreated; missing
 * replicas are created in ordinal order; surplus ordinals are deleted from the highest down;
 * then, for RollingUpdate, the highest pod at or above the partition not at the update revision
 * is deleted (to come back at it). OrderedReady takes one step at a time and only once every
 * lower pod is Running and Ready; Parallel creates and deletes without waiting, but still
 * rolls one pod at a time.
 */
export function planStatefulSet(set: KubeObject, pods: readonly KubeObject[], updateRevision: string, now: number): Plan {
  const spec = stsSpec(set);
  const monotonic = isMonotonic(set);
  const minReady = spec.minReadySeconds ?? 0;
  const start = startOrdinal(set);
  const replicas = spec.replicas ?? 1;
  const byOrdinal = new Map<number, KubeObject>();
  for (const p of pods) {
    const o = ordinalOf(set, p);
    if (o !== undefined) byOrdinal.set(o, p);
  }
  const steps: Step[] = [];
  const inRange = (o: number): boolean => o >= start && o < start + replicas;
  const condemned = [...byOrdinal.entries()].filter(([o]) => !inRange(o)).sort(([a], [b]) => b - a);
  const firstUnhealthy = [...Array.from({ length: replicas }, (_, i) => byOrdinal.get(start + i)), ...condemned.map(([, p]) => p)].find((p) => p !== undefined && !isHealthy(p));

  for (let i = 0; i < replicas; i++) {
    const ordinal = start + i;
    const pod = byOrdinal.get(ordinal);
    if (pod !== undefined && isFinished(pod)) {
      if (!isTerminating(pod)) steps.push({ kind: 'delete', pod, condemned: false });
      if (monotonic) return { steps };
      continue;
    }
    if (pod === undefined) {
      steps.push({ kind: 'create', ordinal });
      if (monotonic) return { steps };
      continue;
    }
    if (!monotonic) continue;
    if (isTerminating(pod) || !isRunningAndReady(pod)) return { steps: [...steps, { kind: 'wait' }] };
    if (!isRunningAndAvailable(pod, minReady, now)) return { steps: [...steps, { kind: 'wait', recheckMs: minReady * 1000 }] };
  }

  for (const [, pod] of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return { steps: [...steps, { kind: 'wait' }] };
      continue;
    }
    if (monotonic && !isRunningAndReady(pod) && pod !== firstUnhealthy) return { steps: [...steps, { kind: 'wait' }] };
    steps.push({ kind: 'delete', pod, condemned: true });
    if (monotonic) return { steps };
  }

  if ((spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return { steps };
  const partition = Math.min(spec.updateStrategy?.rollingUpdate?.partition ?? 0, replicas);
  for (let i = replicas - 1; i >= partition; i--) {
    const pod = byOrdinal.get(start + i);
    if (pod === undefined) return { steps };
    if (revisionOf(pod) !== updateRevision && !isTerminating(pod)) {
      steps.push({ kind: 'delete', pod, condemned: false });
      return { steps };
    }
    if (!isHealthy(pod)) return { steps };
  }
  return { steps };
}

// ==================================================================== status

/** computeReplicaStatus with the rollout's completion: counts over the set's pods. */
export function statefulSetStatus(set: KubeObject, pods: readonly KubeObject[], updateRevision: string, now: number): StsStatus {
  const spec = stsSpec(set);
  const prev = stsStatus(set);
  let currentRevision = prev.currentRevision ?? updateRevision;
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let current = 0;
  let updated = 0;
  for (const p of pods) {
    replicas++;
    if (isRunningAndReady(p)) {
      ready++;
      if (isRunningAndAvailable(p, spec.minReadySeconds ?? 0, now)) available++;
    }
    if (isTerminating(p)) continue;
    if (revisionOf(p) === currentRevision) current++;
    if (revisionOf(p) === updateRevision) updated++;
  }
  // The rollout is complete: every pod at the update revision and ready.
  if ((spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && updated === replicas && ready === replicas) {
    currentRevision = updateRevision;
    current = updated;
  }
  return {
    ...(set.metadata.generation === undefined ? {} : { observedGeneration: set.metadata.generation }),
    replicas,
    ...(ready === 0 ? {} : { readyReplicas: ready }),
    ...(current === 0 ? {} : { currentReplicas: current }),
    ...(updated === 0 ? {} : { updatedReplicas: updated }),
    currentRevision,
    updateRevision,
    collisionCount: prev.collisionCount ?? 0,
    availableReplicas: available,
  };
}

/** Whether the set's recorded status already says this (field order aside). */
export function statusUpToDate(set: KubeObject, status: StsStatus): boolean {
  return goJson(set.status ?? {}) === goJson(status);
}
