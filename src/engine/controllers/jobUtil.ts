/**
 * What kube-controller-manager's Job controller (pkg/controller/job, v1.31) decides, as pure
 * functions: the selector and labels of a Job's pods, which pods are finished and not yet
 * counted, the pod failure back-off, the finish conditions and how many pods should run.
 * Also the small controller plumbing (expectations, delayed requeue) the Job and DaemonSet
 * controllers share.
 */
import type { KubeObject } from '../apiserver/apiObjects';
import type { ScheduledEvent } from '../eventQueue';
import { parseRfc3339, rfc3339 } from '../virtualTime';
import type { World } from '../world';
import { isPodReady, jsonCopy, newControllerRef, type LabelSelector } from './podUtil';
import type { WorkQueue } from './workQueue';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff of the 1.31 controller. */
export const POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export interface JobCondition {
  type: string;
  status: string;
  lastProbeTime: string;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

export interface JobStatus {
  active?: number;
  ready?: number;
  terminating?: number;
  succeeded?: number;
  failed?: number;
  startTime?: string;
  completionTime?: string;
  completedIndexes?: string;
  conditions?: JobCondition[];
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
}

export interface JobSpec {
  parallelism?: number;
  completions?: number | null;
  completionMode?: string;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  suspend?: boolean;
  manualSelector?: boolean;
  podReplacementPolicy?: string;
  selector?: LabelSelector;
  template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] }; spec?: Record<string, unknown> & { restartPolicy?: string } };
}

export const jobSpec = (j: KubeObject): JobSpec => (j.spec ?? {}) as JobSpec;
export const jobStatus = (j: KubeObject): JobStatus => (j.status ?? {}) as JobStatus;
const phaseOf = (p: KubeObject): string | undefined => (p.status as { phase?: string } | undefined)?.phase;
export const hasTrackingFinalizer = (p: KubeObject): boolean => (p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
export const isSuspended = (j: KubeObject): boolean => jobSpec(j).suspend === true;
export const isIndexed = (j: KubeObject): boolean => jobSpec(j).completionMode === 'Indexed';
export const parallelismOf = (j: KubeObject): number => jobSpec(j).parallelism ?? 1;
export const backoffLimitOf = (j: KubeObject): number => jobSpec(j).backoffLimit ?? 6;
/** completions: null (unset on a work-queue Job) means "any one success". Our API server defaults it to 1 like the real one when parallelism is unset. */
export const completionsOf = (j: KubeObject): number | undefined => jobSpec(j).completions ?? undefined;

// ---------------------------------------------------------------- selector and pods

/**
 * The API server's Job defaulting when manualSelector is unset: a selector on the controller
 * uid, and the four labels on the template. Ours does not do it yet, so the controller applies
 * it to what it reads (never writing it back).
 */
export function withGeneratedSelector(job: KubeObject): KubeObject {
  const spec = jobSpec(job);
  if (spec.manualSelector === true) return job;
  const uid = job.metadata.uid ?? '';
  const name = job.metadata.name ?? '';
  const labels = spec.template?.metadata?.labels ?? {};
  const selector = spec.selector ?? { matchLabels: { [CONTROLLER_UID_LABEL]: uid } };
  const generated = { [CONTROLLER_UID_LABEL]: uid, [JOB_NAME_LABEL]: name, 'controller-uid': uid, 'job-name': name };
  if (spec.selector !== undefined && Object.entries(generated).every(([k, v]) => labels[k] === v)) return job;
  const template = { ...(spec.template ?? {}), metadata: { ...(spec.template?.metadata ?? {}), labels: { ...labels, ...generated } } };
  return { ...job, spec: { ...spec, selector, template } };
}

/** The pod manageJob creates: the template, the tracking finalizer, the Job as controller; Indexed pods get their index. */
export function jobPodFor(job: KubeObject, index?: number): KubeObject {
  const template = jobSpec(job).template ?? {};
  const meta = template.metadata ?? {};
  const name = job.metadata.name ?? '';
  const spec = jsonCopy(template.spec ?? {});
  const labels = { ...(meta.labels ?? {}) };
  const annotations = { ...(meta.annotations ?? {}) };
  if (index !== undefined) {
    annotations[COMPLETION_INDEX] = String(index);
    labels[COMPLETION_INDEX] = String(index);
    spec.hostname = `${name}-${index}`;
    addIndexEnv(spec);
  }
  const finalizers = [...(meta.finalizers ?? [])];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
      namespace: job.metadata.namespace ?? 'default',
      labels,
      ...(Object.keys(annotations).length === 0 ? {} : { annotations }),
      finalizers,
      ownerReferences: [newControllerRef(job)],
    },
    spec,
  };
}

/** addCompletionIndexEnvVariables: JOB_COMPLETION_INDEX from the pod's annotation, in every container. */
function addIndexEnv(spec: Record<string, unknown>): void {
  for (const list of ['initContainers', 'containers']) {
    for (const c of (Array.isArray(spec[list]) ? spec[list] : []) as { env?: unknown[] }[]) {
      const env = (c.env ?? []) as { name?: string }[];
      if (env.some((e) => e.name === 'JOB_COMPLETION_INDEX')) continue;
      c.env = [...env, { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } }];
    }
  }
}

export const completionIndexOf = (p: KubeObject): number | undefined => {
  const v = p.metadata.annotations?.[COMPLETION_INDEX];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
};

/** isPodFailed: Failed, or being deleted without having succeeded (unless only failed pods are replaced). */
export function isPodFailed(p: KubeObject, job: KubeObject): boolean {
  if (phaseOf(p) === 'Failed') return true;
  if (jobSpec(job).podReplacementPolicy === 'Failed') return false;
  return p.metadata.deletionTimestamp !== undefined && phaseOf(p) !== 'Succeeded';
}

/** CountTerminatingPods: marked for deletion and not yet in a terminal phase. */
export function countTerminating(pods: readonly KubeObject[]): number {
  return pods.filter((p) => p.metadata.deletionTimestamp !== undefined && phaseOf(p) !== 'Failed' && phaseOf(p) !== 'Succeeded').length;
}

export const countReady = (pods: readonly KubeObject[]): number => pods.filter(isPodReady).length;

/** When a pod finished: its containers' latest finishedAt, else its deletion time, else now. */
export function finishTime(p: KubeObject, now: number): number {
  const st = (p.status ?? {}) as { containerStatuses?: { state?: { terminated?: { finishedAt?: string } } }[] };
  let latest: number | undefined;
  for (const c of st.containerStatuses ?? []) {
    const t = parseRfc3339(c.state?.terminated?.finishedAt ?? '');
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  return latest ?? parseRfc3339(p.metadata.deletionTimestamp ?? '') ?? now;
}

// ---------------------------------------------------------------- back-off

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** newBackoffRecord: failures since the last success, and when the last one finished. */
export function nextBackoffRecord(prev: BackoffRecord | undefined, newSucceeded: readonly KubeObject[], newFailed: readonly KubeObject[], now: number): BackoffRecord {
  const failTimes = newFailed.map((p) => finishTime(p, now)).sort((a, b) => a - b);
  const last = failTimes[failTimes.length - 1];
  if (newSucceeded.length > 0) {
    const lastSuccess = Math.max(...newSucceeded.map((p) => finishTime(p, now)));
    const after = failTimes.filter((t) => t > lastSuccess);
    return after.length === 0 ? { failuresAfterLastSuccess: 0 } : { failuresAfterLastSuccess: after.length, lastFailureTime: last };
  }
  if (failTimes.length === 0) return prev ?? { failuresAfterLastSuccess: 0 };
  return { failuresAfterLastSuccess: (prev?.failuresAfterLastSuccess ?? 0) + failTimes.length, lastFailureTime: last };
}

/** How long pod creation waits: 10 s after the first failure, doubling per failure, capped. */
export function backoffRemaining(record: BackoffRecord, now: number): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  let delay = POD_FAILURE_BACKOFF_MS;
  for (let i = 1; i < record.failuresAfterLastSuccess; i++) {
    delay *= 2;
    if (delay >= MAX_POD_FAILURE_BACKOFF_MS) {
      delay = MAX_POD_FAILURE_BACKOFF_MS;
      break;
    }
  }
  return Math.max(0, delay - (now - record.lastFailureTime));
}

// ---------------------------------------------------------------- finishing

export const findCondition = (job: KubeObject, type: string): JobCondition | undefined => (jobStatus(job).conditions ?? []).find((c) => c.type === type);

/** IsJobFinished: Complete or Failed is True. */
export const isJobFinished = (job: KubeObject): boolean => (jobStatus(job).conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

export function newCondition(type: string, status: string, reason: string, message: string, now: number): JobCondition {
  const t = rfc3339(now);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, ...(reason === '' ? {} : { reason }), ...(message === '' ? {} : { message }) };
}

/** ensureJobConditionStatus: sets a condition (a False one is never added from nothing); answers whether anything changed. */
export function ensureCondition(conditions: JobCondition[], type: string, status: string, reason: string, message: string, now: number): boolean {
  const i = conditions.findIndex((c) => c.type === type);
  const cur = conditions[i];
  if (cur !== undefined) {
    if (cur.status === status && (cur.reason ?? '') === reason && (cur.message ?? '') === message) return false;
    conditions[i] = newCondition(type, status, reason, message, now);
    return true;
  }
  if (status === 'False') return false;
  conditions.push(newCondition(type, status, reason, message, now));
  return true;
}

export const BACKOFF_LIMIT_EXCEEDED = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
export const DEADLINE_EXCEEDED = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };

/** pastBackoffLimitOnFailure: with restartPolicy OnFailure, restarts of running or pending pods count as failures. */
export function pastBackoffLimitOnFailure(job: KubeObject, pods: readonly KubeObject[]): boolean {
  if (jobSpec(job).template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (phaseOf(p) !== 'Running' && phaseOf(p) !== 'Pending') continue;
    const st = (p.status ?? {}) as { containerStatuses?: { restartCount?: number }[]; initContainerStatuses?: { restartCount?: number }[] };
    for (const c of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]) restarts += c.restartCount ?? 0;
  }
  const limit = backoffLimitOf(job);
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** Milliseconds left before activeDeadlineSeconds runs out (undefined: no deadline running). */
export function deadlineRemaining(job: KubeObject, now: number): number | undefined {
  const ads = jobSpec(job).activeDeadlineSeconds;
  const start = parseRfc3339(jobStatus(job).startTime ?? '');
  if (ads === undefined || start === undefined || isSuspended(job)) return undefined;
  return ads * 1000 - (now - start);
}

/** manageJob's target: parallelism, never more than the completions still missing. */
export function wantActive(job: KubeObject, active: number, succeeded: number): number {
  const completions = completionsOf(job);
  if (completions === undefined) return succeeded > 0 ? active : parallelismOf(job);
  return Math.max(0, Math.min(completions - succeeded, parallelismOf(job)));
}

/** controller.ActivePods order for removal: unscheduled, pending, not ready, then the youngest. */
export function podsForRemoval(pods: readonly KubeObject[], count: number): KubeObject[] {
  const rank = (p: KubeObject): number[] => {
    const phase = { Pending: 0, Unknown: 1, Running: 2 }[phaseOf(p) ?? ''] ?? 0;
    const created = parseRfc3339(p.metadata.creationTimestamp ?? '') ?? 0;
    return [(p.spec as { nodeName?: string } | undefined)?.nodeName === undefined ? 0 : 1, phase, isPodReady(p) ? 1 : 0, -created];
  };
  const cmp = (a: number[], b: number[]): number => a.reduce((r, x, i) => r || x - (b[i] ?? 0), 0);
  return [...pods].sort((a, b) => cmp(rank(a), rank(b))).slice(0, count);
}

/** firstPendingIndexes: the lowest indexes neither succeeded nor held by an active pod. */
export function pendingIndexes(completions: number, succeeded: ReadonlySet<number>, active: readonly KubeObject[], count: number): number[] {
  const taken = new Set(active.map(completionIndexOf).filter((i): i is number => i !== undefined));
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!succeeded.has(i) && !taken.has(i)) out.push(i);
  return out;
}

/** The succeeded indexes as the status writes them: "0-2,4". */
export function formatIndexes(indexes: ReadonlySet<number>): string {
  const sorted = [...indexes].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (sorted[j + 1] === (sorted[j] as number) + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${String(sorted[i])}-${String(sorted[j])}`);
    i = j + 1;
  }
  return parts.join(',');
}

export function parseIndexes(s: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (s ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (m === null) continue;
    for (let i = Number(m[1]); i <= Number(m[2] ?? m[1]); i++) out.add(i);
  }
  return out;
}

// ---------------------------------------------------------------- controller plumbing

/**
 * ControllerExpectations: pods a controller has asked to create or delete and not yet seen
 * come back through its watch. Until they have (or five minutes passed), it does not act
 * on the owner again, so it never counts on a stale cache.
 */
export class Expectations {
  private readonly pending = new Map<string, { add: number; del: Set<string>; at: number }>();

  constructor(private readonly world: World) {}

  expect(key: string, creates: number, deletes: readonly string[]): void {
    this.pending.set(key, { add: creates, del: new Set(deletes), at: this.world.now });
  }

  observeCreate(key: string): void {
    const e = this.pending.get(key);
    if (e !== undefined) e.add--;
  }

  observeDelete(key: string, podKey: string): void {
    this.pending.get(key)?.del.delete(podKey);
  }

  satisfied(key: string): boolean {
    const e = this.pending.get(key);
    return e === undefined || (e.add <= 0 && e.del.size === 0) || this.world.now - e.at > 5 * 60_000;
  }

  forget(key: string): void {
    this.pending.delete(key);
  }
}

/**
 * The work queue's AddAfter, for any number of delays at once (WorkQueue.addAfter keeps one
 * per key, which would let a long deadline timer swallow a one-second batching delay).
 */
export class Requeue {
  private readonly timers = new Set<ScheduledEvent>();
  /** Pending due times per key: a request due no earlier than one of them is already covered (the sync asks again). */
  private readonly due = new Map<string, number[]>();

  constructor(
    private readonly world: World,
    private readonly queue: WorkQueue,
  ) {}

  add(key: string, delayMs: number): void {
    const at = this.world.now + Math.max(0, delayMs);
    const pending = this.due.get(key) ?? [];
    if (pending.some((t) => t <= at)) return;
    this.due.set(key, [...pending, at]);
    const t = this.world.schedule(at - this.world.now, `${this.queue.name} requeue ${key}`, () => {
      this.timers.delete(t);
      const left = (this.due.get(key) ?? []).filter((x) => x !== at);
      if (left.length === 0) this.due.delete(key);
      else this.due.set(key, left);
      this.queue.add(key);
    });
    this.timers.add(t);
  }

  stop(): void {
    for (const t of this.timers) this.world.cancel(t);
    this.timers.clear();
    this.due.clear();
  }
}
