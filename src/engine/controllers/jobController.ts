import type { ApiCallResult, ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import type { EventRecorder } from '../client/eventRecorder';
import { Informer, objectKey } from '../client/informer';
import { rfc3339 } from '../virtualTime';
import type { World } from '../world';
import {
  BACKOFF_LIMIT_EXCEEDED,
  DEADLINE_EXCEEDED,
  Expectations,
  JOB_TRACKING_FINALIZER,
  Requeue,
  backoffLimitOf,
  backoffRemaining,
  completionIndexOf,
  completionsOf,
  countReady,
  countTerminating,
  deadlineRemaining,
  ensureCondition,
  findCondition,
  formatIndexes,
  hasTrackingFinalizer,
  isIndexed,
  isJobFinished,
  isPodFailed,
  isSuspended,
  jobPodFor,
  jobSpec,
  jobStatus,
  newCondition,
  nextBackoffRecord,
  parseIndexes,
  pastBackoffLimitOnFailure,
  pendingIndexes,
  podsForRemoval,
  wantActive,
  withGeneratedSelector,
  type BackoffRecord,
  type JobCondition,
  type JobStatus,
} from './jobUtil';
import { controllerRefOf, isPodActive, isPodReady, jsonCopy, planClaims, selectorMatches } from './podUtil';
import { answered, applyClaims } from './replicaSetController';
import { WorkQueue } from './workQueue';

type Done = (ok: boolean) => void;

/** syncJobBatchPeriod: pod events are gathered for a second before the Job is looked at. */
const BATCH_MS = 1_000;
const SYNC_POLL_MS = 100;
const MAX_PER_SYNC = 500;
const ORPHAN = 'orphan-pod:';

const phaseOf = (p: KubeObject): string | undefined => (p.status as { phase?: string } | undefined)?.phase;
const uidOf = (o: KubeObject): string => o.metadata.uid ?? '';
const notFound = (r: ApiCallResult): boolean => r.ok && !r.result.ok && r.result.status.code === 404;
const errorText = (r: ApiCallResult): string => (!r.ok ? r.error : r.result.ok ? '' : r.result.status.message);

/** What one sync has worked out before it writes the status. */
interface SyncCtx {
  job: KubeObject;
  status: JobStatus;
  pods: KubeObject[];
  active: number;
  ready: number;
  terminating: number;
  succeeded: number;
  succeededIndexes: Set<number>;
  prevSucceededIndexes: Set<number>;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  expectedRm: Set<string>;
  backoff: BackoffRecord;
  finished: JobCondition | undefined;
}

/**
 * kube-controller-manager's Job controller: runs a Job's pods to completion. It keeps up to
 * parallelism pods running (never more than the completions still missing), counts finished
 * pods through the batch.kubernetes.io/job-tracking finalizer and
 * status.uncountedTerminatedPods (a pod is counted once its finalizer is off), spaces
 * replacements of failed pods by the pod failure back-off, and ends the Job: Complete once
 * enough pods succeeded, Failed when the backoff limit or the active deadline is exceeded (its
 * running pods deleted). As in 1.31 the interim SuccessCriteriaMet / FailureTarget condition
 * comes first, the terminal one once no pod is terminating.
 */
export class JobController {
  private readonly jobs: Informer;
  private readonly pods: Informer;
  private readonly queue: WorkQueue;
  private readonly later: Requeue;
  private readonly expectations: Expectations;
  /** uidTrackingExpectations: pods whose finalizer removal this controller has asked for. */
  private readonly finalizerExpectations = new Map<string, Set<string>>();
  private readonly backoffs = new Map<string, BackoffRecord>();

  constructor(
    private readonly world: World,
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
  ) {
    this.queue = new WorkQueue(world, 'job', (key, done) => (key.startsWith(ORPHAN) ? this.syncOrphan(key.slice(ORPHAN.length), done) : this.sync(key, done)));
    this.later = new Requeue(world, this.queue);
    this.expectations = new Expectations(world);
    this.jobs = new Informer(world, client, 'jobs', {
      onAdd: (j) => this.queue.add(objectKey(j)),
      onUpdate: (old, j) => this.jobUpdated(old, j),
      onDelete: (j) => {
        this.queue.add(objectKey(j));
        this.cleanupFinalizers(j);
      },
    });
    this.pods = new Informer(world, client, 'pods', {
      onAdd: (p) => (p.metadata.deletionTimestamp !== undefined ? this.podDeleted(p, false) : this.podChanged(p, true)),
      onUpdate: (old, p) => {
        if (old.metadata.resourceVersion === p.metadata.resourceVersion) return;
        if (p.metadata.deletionTimestamp !== undefined) this.podDeleted(p, false);
        else this.podChanged(p, false);
      },
      onDelete: (p) => this.podDeleted(p, true),
    });
  }

  start(): void {
    this.queue.start();
    this.jobs.start();
    this.pods.start();
  }

  stop(): void {
    this.pods.stop();
    this.jobs.stop();
    this.later.stop();
    this.queue.stop();
  }

  // ---------------------------------------------------------------- events

  private owner(pod: KubeObject): KubeObject | undefined {
    const ref = controllerRefOf(pod);
    if (ref?.kind !== 'Job') return undefined;
    const job = this.jobs.get(`${pod.metadata.namespace ?? 'default'}/${ref.name}`);
    return job?.metadata.uid === ref.uid ? job : undefined;
  }

  private batched(job: KubeObject): void {
    this.later.add(objectKey(job), BATCH_MS);
  }

  private finalizerObserved(key: string, pod: KubeObject): void {
    this.finalizerExpectations.get(key)?.delete(uidOf(pod));
  }

  private podChanged(pod: KubeObject, added: boolean): void {
    const job = this.owner(pod);
    if (job === undefined) {
      if (controllerRefOf(pod) === undefined || hasTrackingFinalizer(pod)) {
        if (hasTrackingFinalizer(pod)) this.queue.add(ORPHAN + objectKey(pod));
        for (const j of this.jobs.list()) if (j.metadata.namespace === pod.metadata.namespace && selectorMatches(jobSpec(withGeneratedSelector(j)).selector, pod.metadata.labels)) this.batched(j);
      }
      return;
    }
    const key = objectKey(job);
    if (added) this.expectations.observeCreate(key);
    if (!hasTrackingFinalizer(pod)) this.finalizerObserved(key, pod);
    this.batched(job);
  }

  private podDeleted(pod: KubeObject, final: boolean): void {
    const job = this.owner(pod);
    if (job === undefined || isJobFinished(job)) {
      if (hasTrackingFinalizer(pod) && !final) this.queue.add(ORPHAN + objectKey(pod));
      return;
    }
    const key = objectKey(job);
    this.expectations.observeDelete(key, objectKey(pod));
    if (final || !hasTrackingFinalizer(pod)) this.finalizerObserved(key, pod);
    this.batched(job);
  }

  private jobUpdated(old: KubeObject, job: KubeObject): void {
    if (old.metadata.generation === job.metadata.generation) this.batched(job);
    else this.queue.add(objectKey(job));
    if (isJobFinished(job)) this.cleanupFinalizers(job);
    const ads = jobSpec(job).activeDeadlineSeconds;
    if (ads !== undefined && ads !== jobSpec(old).activeDeadlineSeconds) {
      const left = deadlineRemaining(job, this.world.now);
      if (left !== undefined) this.later.add(objectKey(job), left);
    }
  }

  /** A finished or deleted Job's pods still carrying the tracking finalizer lose it (orphan worker). */
  private cleanupFinalizers(job: KubeObject): void {
    for (const p of this.pods.list()) if (controllerRefOf(p)?.uid === job.metadata.uid && hasTrackingFinalizer(p)) this.queue.add(ORPHAN + objectKey(p));
  }

  /** syncOrphanPod: the finalizer goes unless the pod belongs to a Job still running. */
  private syncOrphan(podKey: string, done: Done): void {
    const pod = this.pods.get(podKey);
    if (pod === undefined || !hasTrackingFinalizer(pod)) return done(true);
    const ref = controllerRefOf(pod);
    if (ref !== undefined) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return done(true);
      const job = this.owner(pod);
      if (job !== undefined && !isJobFinished(job)) return done(true);
    }
    this.removeFinalizer(pod, (ok) => done(ok));
  }

  // ---------------------------------------------------------------- sync

  private sync(key: string, done: Done): void {
    if (!this.jobs.synced || !this.pods.synced) {
      this.later.add(key, SYNC_POLL_MS);
      return done(true);
    }
    const shared = this.jobs.get(key);
    if (shared === undefined) {
      this.expectations.forget(key);
      this.finalizerExpectations.delete(key);
      this.backoffs.delete(key);
      return done(true);
    }
    if (isJobFinished(shared)) {
      this.backoffs.delete(key);
      return done(true);
    }
    const job = withGeneratedSelector(jsonCopy(shared));
    const satisfied = this.expectations.satisfied(key);
    const candidates = this.pods.list().filter((p) => p.metadata.namespace === job.metadata.namespace);
    const claims = planClaims(job, candidates, (p) => selectorMatches(jobSpec(job).selector, p.metadata.labels));
    applyClaims(this.client, shared, claims, (pods) => {
      if (pods === undefined) return done(false);
      const ctx = this.context(key, job, pods);
      const afterActive = (ok: boolean, manageCalled: boolean): void => {
        let suspendChanged = false;
        if (ctx.finished === undefined) {
          const completions = completionsOf(job);
          const complete = completions === undefined ? ctx.succeeded > 0 && ctx.active === 0 : ctx.succeeded >= completions && ctx.active === 0;
          if (complete) ctx.finished = newCondition('SuccessCriteriaMet', 'True', '', '', this.world.now);
          else if (manageCalled) suspendChanged = this.suspendCondition(ctx);
        }
        const st = jobStatus(shared);
        const needsUpdate = suspendChanged || ctx.active !== (st.active ?? 0) || ctx.ready !== st.ready || ctx.terminating !== st.terminating || ctx.status.startTime !== st.startTime;
        this.trackStatus(key, ctx, needsUpdate, (tracked) => done(ok && tracked));
      };
      if (ctx.finished !== undefined) {
        // The Job is done for: its running pods go (keeping their finalizers until counted).
        return this.deletePods(job, podsForRemoval(pods.filter(isPodActive), Infinity), false, key, (deleted, deletedReady, ok) => {
          if (deleted !== ctx.active || !satisfied) ctx.finished = undefined;
          ctx.active -= deleted;
          ctx.terminating += deleted;
          ctx.ready -= deletedReady;
          afterActive(ok, false);
        });
      }
      if (!satisfied || job.metadata.deletionTimestamp !== undefined) return afterActive(true, false);
      this.manageJob(key, ctx, (ok) => afterActive(ok, true));
    });
  }

  /** Counts and the finish verdict from the pods (syncJob up to manageJob). */
  private context(key: string, job: KubeObject, pods: KubeObject[]): SyncCtx {
    const now = this.world.now;
    const status = jsonCopy(jobStatus(job));
    const uncountedSucceeded = new Set(status.uncountedTerminatedPods?.succeeded ?? []);
    const uncountedFailed = new Set(status.uncountedTerminatedPods?.failed ?? []);
    const expectedRm = this.finalizerExpectations.get(key) ?? new Set<string>();
    const indexed = isIndexed(job);
    const completions = completionsOf(job) ?? 0;
    const validIndex = (p: KubeObject): boolean => !indexed || ((completionIndexOf(p) ?? completions) < completions);
    const fresh = (p: KubeObject, uncounted: Set<string>): boolean => hasTrackingFinalizer(p) && !uncounted.has(uidOf(p)) && !expectedRm.has(uidOf(p)) && validIndex(p);
    const newSucceeded = pods.filter((p) => fresh(p, uncountedSucceeded) && phaseOf(p) === 'Succeeded');
    const newFailed = pods.filter((p) => fresh(p, uncountedFailed) && isPodFailed(p, job));
    const activePods = pods.filter(isPodActive);
    const prevSucceededIndexes = parseIndexes(status.completedIndexes);
    const succeededIndexes = new Set(prevSucceededIndexes);
    if (indexed) for (const p of pods) if (phaseOf(p) === 'Succeeded' && hasTrackingFinalizer(p) && validIndex(p)) succeededIndexes.add(completionIndexOf(p) as number);
    const failed = (status.failed ?? 0) + newFailed.length + uncountedFailed.size;
    if (status.startTime === undefined && !isSuspended(job)) status.startTime = rfc3339(now);
    const ctx: SyncCtx = {
      job,
      status,
      pods,
      active: activePods.length,
      ready: countReady(activePods),
      terminating: countTerminating(pods),
      succeeded: indexed ? succeededIndexes.size : (status.succeeded ?? 0) + newSucceeded.length + uncountedSucceeded.size,
      succeededIndexes,
      prevSucceededIndexes,
      uncountedSucceeded,
      uncountedFailed,
      expectedRm,
      backoff: nextBackoffRecord(this.backoffs.get(key), newSucceeded, newFailed, now),
      finished: undefined,
    };
    const met = findCondition(job, 'SuccessCriteriaMet');
    const target = findCondition(job, 'FailureTarget');
    if (met?.status === 'True') ctx.finished = met;
    else if (target?.status === 'True') ctx.finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
    else if (failed > backoffLimitOf(job) || pastBackoffLimitOnFailure(job, pods)) ctx.finished = newCondition('FailureTarget', 'True', BACKOFF_LIMIT_EXCEEDED.reason, BACKOFF_LIMIT_EXCEEDED.message, now);
    else {
      const left = deadlineRemaining({ ...job, status }, now);
      if (left !== undefined && left <= 0) ctx.finished = newCondition('FailureTarget', 'True', DEADLINE_EXCEEDED.reason, DEADLINE_EXCEEDED.message, now);
      else if (left !== undefined) this.later.add(key, left);
    }
    return ctx;
  }

  /** The Suspended condition and its events; a resumed Job's deadline counts from now. */
  private suspendCondition(ctx: SyncCtx): boolean {
    const conditions = ctx.status.conditions ?? [];
    const now = this.world.now;
    let changed: boolean;
    if (isSuspended(ctx.job)) {
      changed = ensureCondition(conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
      if (changed) this.recorder.record(ctx.job, 'Normal', 'Suspended', 'Job suspended');
    } else {
      changed = ensureCondition(conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
      if (changed) {
        this.recorder.record(ctx.job, 'Normal', 'Resumed', 'Job resumed');
        ctx.status.startTime = rfc3339(now);
      }
    }
    if (conditions.length > 0) ctx.status.conditions = conditions;
    return changed;
  }

  /** manageJob: deletes surplus (or, suspended, all) pods, or creates missing ones once the back-off allows. */
  private manageJob(key: string, ctx: SyncCtx, done: Done): void {
    const job = ctx.job;
    const activePods = ctx.pods.filter(isPodActive);
    const want = isSuspended(job) ? 0 : wantActive(job, ctx.active, ctx.succeeded);
    const surplus = Math.min(Math.max(0, ctx.active - want), MAX_PER_SYNC);
    if (surplus > 0) {
      const victims = podsForRemoval(activePods, surplus);
      this.expectations.expect(key, 0, victims.map(objectKey));
      return this.deletePods(job, victims, true, key, (removed, removedReady, ok) => {
        ctx.active -= removed;
        ctx.terminating += removed;
        ctx.ready -= removedReady;
        done(ok);
      });
    }
    const terminating = jobSpec(job).podReplacementPolicy === 'Failed' ? ctx.terminating : 0;
    let diff = Math.min(want - terminating - ctx.active, MAX_PER_SYNC);
    if (diff <= 0) return done(true);
    const wait = backoffRemaining(ctx.backoff, this.world.now);
    if (wait > 0) {
      this.later.add(key, Math.max(wait, BATCH_MS));
      return done(true);
    }
    const indexes = isIndexed(job) ? pendingIndexes(completionsOf(job) ?? 0, ctx.succeededIndexes, activePods, diff) : [];
    if (isIndexed(job)) diff = indexes.length;
    this.expectations.expect(key, diff, []);
    ctx.active += diff;
    let ok = true;
    // Slow start: 1, 2, 4, … pods at once; a batch with a failure is the last.
    const batch = (from: number, size: number): void => {
      if (from >= diff) return done(ok);
      const count = Math.min(size, diff - from);
      let pending = count;
      for (let i = 0; i < count; i++) {
        const body = jobPodFor(job, indexes[from + i]);
        this.client.request({ verb: 'create', namespace: body.metadata.namespace ?? 'default', body }, (r) => {
          const pod = answered(r);
          if (pod !== undefined) this.recorder.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`);
          else {
            this.expectations.observeCreate(key);
            ctx.active--;
            this.recorder.record(job, 'Warning', 'FailedCreate', `Error creating: ${errorText(r)}`);
            ok = false;
          }
          if (--pending > 0) return;
          if (ok) return batch(from + count, size * 2);
          for (let j = from + count; j < diff; j++) this.expectations.observeCreate(key);
          ctx.active -= diff - from - count;
          done(false);
        });
      }
    };
    batch(0, 1);
  }

  /** deleteJobPods / deleteActivePods: answers how many went (and how many of them were ready). */
  private deletePods(job: KubeObject, pods: readonly KubeObject[], dropFinalizer: boolean, key: string, done: (deleted: number, deletedReady: number, ok: boolean) => void): void {
    let deleted = 0;
    let deletedReady = 0;
    let ok = true;
    let pending = pods.length;
    if (pending === 0) return done(0, 0, true);
    const finish = (): void => {
      if (--pending === 0) done(deleted, deletedReady, ok);
    };
    for (const pod of pods) {
      const name = pod.metadata.name ?? '';
      const del = (): void =>
        this.client.request({ verb: 'delete', resource: 'pods', namespace: pod.metadata.namespace ?? 'default', name }, (r) => {
          if (answered(r) !== undefined || notFound(r)) {
            if (answered(r) !== undefined) this.recorder.record(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
            deleted++;
            if (isPodReady(pod)) deletedReady++;
          } else {
            this.expectations.observeDelete(key, objectKey(pod));
            this.recorder.record(job, 'Warning', 'FailedDelete', `Error deleting: ${errorText(r)}`);
            ok = false;
          }
          finish();
        });
      if (!dropFinalizer) del();
      else
        this.removeFinalizer(pod, (removed) => {
          if (removed) return del();
          this.expectations.observeDelete(key, objectKey(pod));
          ok = false;
          finish();
        });
    }
  }

  /** Patches the tracking finalizer off a pod (a pod already gone counts as done). */
  private removeFinalizer(pod: KubeObject, done: Done): void {
    const i = (pod.metadata.finalizers ?? []).indexOf(JOB_TRACKING_FINALIZER);
    if (i < 0) return done(true);
    // The last finalizer takes the field with it, as Go's omitempty shows an emptied list.
    const only = pod.metadata.finalizers?.length === 1;
    const path = only ? '/metadata/finalizers' : `/metadata/finalizers/${i}`;
    const patch = JSON.stringify([
      { op: 'test', path, value: only ? [JOB_TRACKING_FINALIZER] : JOB_TRACKING_FINALIZER },
      { op: 'remove', path },
    ]);
    this.client.request({ verb: 'patch', resource: 'pods', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '', patchType: 'json', patch }, (r) => done(answered(r) !== undefined || notFound(r)));
  }

  // ---------------------------------------------------------------- status

  /**
   * trackJobStatusAndRemoveFinalizers: finished pods go into uncountedTerminatedPods (written
   * first), their finalizers come off, then they move to the succeeded / failed counters; the
   * Job finishes once nothing is uncounted or terminating.
   */
  private trackStatus(key: string, ctx: SyncCtx, needsUpdate: boolean, done: Done): void {
    const { status, job } = ctx;
    status.active = ctx.active;
    status.ready = ctx.ready;
    status.terminating = ctx.terminating;
    const uncounted = { succeeded: [...ctx.uncountedSucceeded], failed: [...ctx.uncountedFailed] };
    const withFinalizer = new Set(ctx.pods.filter((p) => hasTrackingFinalizer(p) && !ctx.expectedRm.has(uidOf(p))).map(uidOf));
    let flush = needsUpdate;
    const settle = (): boolean => {
      // cleanUncountedPodsWithoutFinalizers: what lost its finalizer is counted.
      const s = uncounted.succeeded.filter((u) => withFinalizer.has(u));
      const f = uncounted.failed.filter((u) => withFinalizer.has(u));
      const changed = s.length !== uncounted.succeeded.length || f.length !== uncounted.failed.length;
      if (!isIndexed(job)) status.succeeded = (status.succeeded ?? 0) + uncounted.succeeded.length - s.length;
      status.failed = (status.failed ?? 0) + uncounted.failed.length - f.length;
      uncounted.succeeded = s;
      uncounted.failed = f;
      return changed;
    };
    if (settle()) flush = true;
    const toRemove: KubeObject[] = [];
    const completions = completionsOf(job) ?? 0;
    const newIndexes: number[] = [];
    const pods = isIndexed(job) ? [...ctx.pods].sort((a, b) => (completionIndexOf(a) ?? Infinity) - (completionIndexOf(b) ?? Infinity)) : ctx.pods;
    for (const pod of pods) {
      const uid = uidOf(pod);
      if (!hasTrackingFinalizer(pod) || ctx.expectedRm.has(uid)) continue;
      const failed = isPodFailed(pod, job);
      if (!(job.metadata.deletionTimestamp !== undefined || ctx.finished !== undefined || phaseOf(pod) === 'Succeeded' || failed)) continue;
      toRemove.push(pod);
      const ix = completionIndexOf(pod);
      if (phaseOf(pod) === 'Succeeded' && !ctx.uncountedFailed.has(uid)) {
        if (isIndexed(job)) {
          if (ix !== undefined && ix < completions && !ctx.prevSucceededIndexes.has(ix)) {
            newIndexes.push(ix);
            flush = true;
          }
        } else if (!ctx.uncountedSucceeded.has(uid)) {
          uncounted.succeeded.push(uid);
          flush = true;
        }
      } else if (failed || (ctx.finished !== undefined && ctx.finished.type !== 'SuccessCriteriaMet')) {
        if (!ctx.uncountedFailed.has(uid) && (!isIndexed(job) || (ix !== undefined && ix < completions))) {
          uncounted.failed.push(uid);
          flush = true;
        }
      }
    }
    if (isIndexed(job)) {
      for (const i of newIndexes) ctx.succeededIndexes.add(i);
      const text = formatIndexes(ctx.succeededIndexes);
      if (text !== (status.completedIndexes ?? '')) flush = true;
      status.succeeded = ctx.succeededIndexes.size;
      status.completedIndexes = text;
    }
    const conditions = status.conditions ?? [];
    const now = this.world.now;
    let finished = ctx.finished;
    if (finished?.type === 'FailureTarget') {
      conditions.push(finished);
      flush = true;
      finished = newCondition('Failed', 'True', finished.reason ?? '', finished.message ?? '', now);
    }
    if (finished?.type === 'SuccessCriteriaMet') {
      if (!conditions.some((c) => c.type === 'SuccessCriteriaMet')) {
        conditions.push(finished);
        flush = true;
      }
      finished = newCondition('Complete', 'True', finished.reason ?? '', finished.message ?? '', now);
    }
    if (conditions.length > 0) status.conditions = conditions;
    let latest = this.jobs.get(key) ?? job;
    const body = (): KubeObject => ({ ...latest, status: { ...status, uncountedTerminatedPods: { ...(uncounted.succeeded.length > 0 ? { succeeded: uncounted.succeeded } : {}), ...(uncounted.failed.length > 0 ? { failed: uncounted.failed } : {}) } } });
    const write = (then: Done): void => {
      const b = body();
      if (!(b.status as JobStatus).active) delete (b.status as JobStatus).active;
      for (const k of ['succeeded', 'failed'] as const) if (!(b.status as JobStatus)[k]) delete (b.status as JobStatus)[k];
      this.client.request({ verb: 'update', subresource: 'status', namespace: job.metadata.namespace ?? 'default', body: b }, (r) => {
        const written = answered(r);
        if (written === undefined) return then(false);
        latest = written;
        then(true);
      });
    };
    const removeAll = (then: (allOk: boolean) => void): void => {
      if (toRemove.length === 0) return then(true);
      const expected = this.finalizerExpectations.get(key) ?? new Set<string>();
      this.finalizerExpectations.set(key, expected);
      for (const p of toRemove) expected.add(uidOf(p));
      let pending = toRemove.length;
      let allOk = true;
      for (const pod of toRemove) {
        this.removeFinalizer(pod, (removed) => {
          if (removed) withFinalizer.delete(uidOf(pod));
          else {
            expected.delete(uidOf(pod));
            allOk = false;
          }
          if (--pending === 0) then(allOk);
        });
      }
    };
    const finish = (): void => {
      const settled = settle();
      let done_ = false;
      if (finished !== undefined && uncounted.succeeded.length + uncounted.failed.length === 0 && ctx.terminating === 0) {
        ensureCondition(conditions, finished.type, finished.status, finished.reason ?? '', finished.message ?? '', now);
        status.conditions = conditions;
        if (finished.type === 'Complete') status.completionTime = conditions.find((c) => c.type === 'Complete')?.lastTransitionTime;
        done_ = true;
      }
      if (!settled && !done_) return done(true);
      write((ok) => {
        if (!ok) return done(false);
        if (done_ && finished !== undefined) this.recordFinished(latest, finished);
        done(true);
      });
    };
    const afterFlush = (): void =>
      removeAll((allOk) => {
        if (allOk) return finish();
        if (settle()) return write(() => done(false));
        done(false);
      });
    if (!flush) return afterFlush();
    write((ok) => {
      if (!ok) return done(false);
      this.backoffs.set(key, ctx.backoff);
      afterFlush();
    });
  }

  private recordFinished(job: KubeObject, finished: JobCondition): void {
    if (finished.type === 'Complete') {
      const completions = completionsOf(job);
      if (completions !== undefined && (jobStatus(job).succeeded ?? 0) > completions) this.recorder.record(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      this.recorder.record(job, 'Normal', 'Completed', 'Job completed');
    } else {
      this.recorder.record(job, 'Warning', finished.reason ?? '', finished.message ?? '');
    }
  }
}
