import type { ApiCallResult, ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import { canonical } from '../apiserver/canonical';
import { EventRecorder } from '../client/eventRecorder';
import { Informer, objectKey } from '../client/informer';
import type { World } from '../world';
import {
  applyPausedCondition,
  calculateStatus,
  deploymentComplete,
  deploymentSpec,
  deploymentStatus,
  filterActive,
  findNewReplicaSet,
  findOldReplicaSets,
  getCondition,
  hasProgressDeadline,
  isRollingUpdate,
  isScalingEvent,
  maxRevision,
  maxSurge,
  newCondition,
  newReplicaSetFor,
  newRSNewReplicas,
  oldPodsRunning,
  planOldScaleDown,
  planScale,
  podsByReplicaSet,
  podTemplateHash,
  progressCheckAfter,
  replicaSetsToClean,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  REVISION,
  rollingNewReplicas,
  rolloutStatus,
  setCondition,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  equalIgnoreHash,
  statusEqual,
  type DeploymentStatus,
  type ScaleStep,
} from './deploymentUtil';
import { controllerRefOf, jsonCopy, planClaims, selectorMatches, type OwnerRef } from './podUtil';
import { answered, applyClaims } from './replicaSetController';
import { WorkQueue } from './workQueue';
import { inSequenceWhileOk } from './sequence';

type Done = (ok: boolean) => void;
/** A ReplicaSet lookup's answer: the ReplicaSet (or none), and whether the calls behind it succeeded. */
type RsDone = (rs: KubeObject | undefined, ok: boolean) => void;

/** How soon a sync looks again while the caches are still filling (WaitForCacheSync). */
const SYNC_POLL_MS = 100;

const errorText = (r: ApiCallResult): string => (!r.ok ? r.error : r.result.ok ? '' : r.result.status.message);
const alreadyExists = (r: ApiCallResult): boolean => r.ok && !r.result.ok && r.result.status.reason === 'AlreadyExists';
const notFound = (r: ApiCallResult): boolean => r.ok && !r.result.ok && r.result.status.code === 404;
const namespaceTerminating = (r: ApiCallResult): boolean => r.ok && !r.result.ok && r.result.status.code === 403 && r.result.status.message.includes('because it is being terminated');

/** One sync of one Deployment: the working copy and what the sync has learned and written so far. */
interface Run {
  /** The Deployment as this sync means it to be (revision annotation, status). */
  d: KubeObject;
  /** The Deployment as last read or written. */
  stored: KubeObject;
  /** Its ReplicaSets, each replaced by the version a write returned. */
  rsList: KubeObject[];
  podsByRs: Map<string, KubeObject[]>;
}


/**
 * kube-controller-manager's Deployment controller (v1.31). A Deployment owns ReplicaSets: the
 * new one, whose template is the Deployment's (named "<deployment>-<pod-template-hash>"), and
 * old ones. A rollout scales the new one up and the old ones down, RollingUpdate within
 * maxSurge and maxUnavailable, Recreate all old pods gone first; a change of replicas alone is
 * a scaling event, spread proportionally; a paused Deployment only scales. Revisions, the
 * status and its Available / Progressing conditions follow, old ReplicaSets beyond
 * revisionHistoryLimit are deleted, and a rollout that makes no progress for
 * progressDeadlineSeconds is reported as ProgressDeadlineExceeded.
 */
export class DeploymentController {
  private readonly deployments: Informer;
  private readonly replicaSets: Informer;
  private readonly pods: Informer;
  private readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly world: World,
    private readonly client: ApiClient,
    recorder?: EventRecorder,
  ) {
    this.recorder = recorder ?? new EventRecorder(world, client, 'deployment-controller', '');
    this.queue = new WorkQueue(world, 'deployment', (key, done) => this.sync(key, done));
    const enqueue = (d: KubeObject): void => this.queue.add(objectKey(d));
    this.deployments = new Informer(world, client, 'deployments', { onAdd: enqueue, onUpdate: (_old, d) => enqueue(d), onDelete: enqueue });
    this.replicaSets = new Informer(world, client, 'replicasets', {
      onAdd: (rs) => this.replicaSetChanged(undefined, rs),
      onUpdate: (old, rs) => this.replicaSetChanged(old, rs),
      onDelete: (rs) => this.ownerOf(rs, (d) => enqueue(d)),
    });
    this.pods = new Informer(world, client, 'pods', { onDelete: (p) => this.podDeleted(p) });
  }

  start(): void {
    this.queue.start();
    this.deployments.start();
    this.replicaSets.start();
    this.pods.start();
  }

  stop(): void {
    this.pods.stop();
    this.replicaSets.stop();
    this.deployments.stop();
    this.queue.stop();
  }

  // ---------------------------------------------------------------- events

  private resolve(namespace: string | undefined, ref: OwnerRef | undefined): KubeObject | undefined {
    if (ref === undefined || ref.kind !== 'Deployment') return undefined;
    const d = this.deployments.get(`${namespace ?? 'default'}/${ref.name}`);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }

  private ownerOf(rs: KubeObject, then: (d: KubeObject) => void): void {
    const d = this.resolve(rs.metadata.namespace, controllerRefOf(rs));
    if (d !== undefined) then(d);
  }

  /** A ReplicaSet appeared or changed: its owner looks again (an orphan: every Deployment that could adopt it). */
  private replicaSetChanged(old: KubeObject | undefined, rs: KubeObject): void {
    if (old !== undefined && old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
    const ref = controllerRefOf(rs);
    const oldRef = old === undefined ? undefined : controllerRefOf(old);
    if (old !== undefined && canonical(ref ?? null) !== canonical(oldRef ?? null)) this.ownerOf(old, (d) => this.queue.add(objectKey(d)));
    if (ref !== undefined) return this.ownerOf(rs, (d) => this.queue.add(objectKey(d)));
    const labelsChanged = old === undefined || canonical(old.metadata.labels ?? {}) !== canonical(rs.metadata.labels ?? {}) || oldRef !== undefined;
    if (!labelsChanged || rs.metadata.deletionTimestamp !== undefined) return;
    for (const d of this.deployments.list()) {
      if (d.metadata.namespace === rs.metadata.namespace && selectorMatches(deploymentSpec(d).selector, rs.metadata.labels)) this.queue.add(objectKey(d));
    }
  }

  /** Recreate waits for old pods to be gone: their deletion is worth a look. */
  private podDeleted(pod: KubeObject): void {
    const ref = controllerRefOf(pod);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.get(`${pod.metadata.namespace ?? 'default'}/${ref.name}`);
    if (rs === undefined || rs.metadata.uid !== ref.uid) return;
    this.ownerOf(rs, (d) => {
      if (!isRollingUpdate(d)) this.queue.add(objectKey(d));
    });
  }

  // ---------------------------------------------------------------- sync

  private sync(key: string, done: Done): void {
    if (!this.deployments.synced || !this.replicaSets.synced || !this.pods.synced) {
      this.queue.addAfter(key, SYNC_POLL_MS);
      return done(true);
    }
    const cached = this.deployments.get(key);
    if (cached === undefined) return done(true);
    const d = jsonCopy(cached);
    const candidates = this.replicaSets.list().filter((rs) => rs.metadata.namespace === d.metadata.namespace);
    const plan = planClaims(d, candidates, (rs) => selectorMatches(deploymentSpec(d).selector, rs.metadata.labels));
    applyClaims(this.client, d, plan, (rsList) => {
      if (rsList === undefined) return done(false);
      const pods = this.pods.list().filter((p) => p.metadata.namespace === d.metadata.namespace && selectorMatches(deploymentSpec(d).selector, p.metadata.labels));
      const run: Run = { d, stored: cached, rsList, podsByRs: podsByReplicaSet(rsList, pods) };
      if (d.metadata.deletionTimestamp !== undefined) return this.syncStatusOnly(run, done);
      this.checkPaused(run, (ok) => {
        if (!ok) return done(false);
        if (deploymentSpec(run.d).paused === true) return this.syncScale(run, done);
        this.getAllAndSync(run, false, (newRS, oldRSs, ok2) => {
          if (!ok2) return done(false);
          if (isScalingEvent(run.d, [...oldRSs, newRS].map((rs) => this.fresh(run, rs)))) return this.syncScale(run, done);
          if (isRollingUpdate(run.d)) this.rolloutRolling(run, done);
          else this.rolloutRecreate(run, done);
        });
      });
    });
  }

  /** The latest version of a ReplicaSet this sync knows of. */
  private fresh<T extends KubeObject | undefined>(run: Run, rs: T): T {
    if (rs === undefined) return rs;
    return (run.rsList.find((x) => x.metadata.uid === rs.metadata.uid) ?? rs) as T;
  }

  private syncStatusOnly(run: Run, done: Done): void {
    this.getAllAndSync(run, false, (newRS, oldRSs, ok) => (ok ? this.syncDeploymentStatus(run, [...oldRSs, newRS], newRS, done) : done(false)));
  }

  private checkPaused(run: Run, done: Done): void {
    if (!applyPausedCondition(run.d, this.world.now)) return done(true);
    this.save(run, done);
  }

  /** DeploymentController.sync: scaling (a scaling event or a paused Deployment), cleanup while paused, then status. */
  private syncScale(run: Run, done: Done): void {
    this.getAllAndSync(run, false, (newRS, oldRSs, ok) => {
      if (!ok) return done(false);
      const steps = planScale(run.d, this.fresh(run, newRS), oldRSs.map((rs) => this.fresh(run, rs)));
      this.runSteps(run, steps, (_scaled, ok2) => {
        if (!ok2) return done(false);
        const cleanup = deploymentSpec(run.d).paused === true ? replicaSetsToClean(run.d, oldRSs) : [];
        this.deleteReplicaSets(run, cleanup, (ok3) => (ok3 ? this.syncDeploymentStatus(run, [...oldRSs, newRS], newRS, done) : done(false)));
      });
    });
  }

  private rolloutRolling(run: Run, done: Done): void {
    this.getAllAndSync(run, true, (newRS, oldRSs, ok) => {
      if (!ok || newRS === undefined) return done(false);
      const all = (): (KubeObject | undefined)[] => [...oldRSs, newRS].map((rs) => this.fresh(run, rs));
      const status = (): void => this.syncRolloutStatus(run, all(), this.fresh(run, newRS), done);
      const target = rollingNewReplicas(run.d, all(), this.fresh(run, newRS));
      this.runSteps(run, target === undefined ? [] : [{ rs: newRS, replicas: target }], (scaledUp, ok2) => {
        if (!ok2) return done(false);
        if (scaledUp) return status();
        const activeOld = filterActive(oldRSs.map((rs) => this.fresh(run, rs)));
        this.runSteps(run, planOldScaleDown(run.d, all(), activeOld, this.fresh(run, newRS)), (scaledDown, ok3) => {
          if (!ok3) return done(false);
          if (scaledDown || !deploymentComplete(run.d, deploymentStatus(run.d))) return status();
          this.deleteReplicaSets(run, replicaSetsToClean(run.d, oldRSs), (ok4) => (ok4 ? status() : done(false)));
        });
      });
    });
  }

  /** Recreate: every old ReplicaSet to zero, wait until their pods are gone, then the new one at full size. */
  private rolloutRecreate(run: Run, done: Done): void {
    this.getAllAndSync(run, false, (newRS, oldRSs, ok) => {
      if (!ok) return done(false);
      const status = (rs: KubeObject | undefined, olds: readonly KubeObject[]): void => this.syncRolloutStatus(run, [...olds, rs].map((x) => this.fresh(run, x)), this.fresh(run, rs), done);
      const scaleDown = filterActive(oldRSs).map((rs): ScaleStep => ({ rs, replicas: 0 }));
      this.runSteps(run, scaleDown, (scaledDown, ok2) => {
        if (!ok2) return done(false);
        if (scaledDown || oldPodsRunning(newRS, oldRSs, run.podsByRs)) return status(newRS, oldRSs);
        const scaleUp = (rs: KubeObject, olds: readonly KubeObject[]): void =>
          this.runSteps(run, [{ rs, replicas: replicasOf(run.d) }], (_scaled, ok3) => {
            if (!ok3) return done(false);
            if (!deploymentComplete(run.d, deploymentStatus(run.d))) return status(rs, olds);
            this.deleteReplicaSets(run, replicaSetsToClean(run.d, olds), (ok4) => (ok4 ? status(rs, olds) : done(false)));
          });
        if (newRS !== undefined) return scaleUp(newRS, oldRSs);
        this.getAllAndSync(run, true, (created, olds, ok3) => (ok3 && created !== undefined ? scaleUp(created, olds) : done(false)));
      });
    });
  }

  // ---------------------------------------------------------------- ReplicaSets

  /** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created if asked and missing) and the old ones. */
  private getAllAndSync(run: Run, create: boolean, done: (newRS: KubeObject | undefined, oldRSs: KubeObject[], ok: boolean) => void): void {
    const oldRSs = findOldReplicaSets(run.d, run.rsList);
    this.getNewReplicaSet(run, oldRSs, create, (newRS, ok) => done(newRS, oldRSs, ok));
  }

  private getNewReplicaSet(run: Run, oldRSs: readonly KubeObject[], create: boolean, done: RsDone): void {
    const d = run.d;
    const existing = findNewReplicaSet(d, run.rsList);
    const newRevision = maxRevision(oldRSs) + 1;
    if (existing !== undefined) return this.syncExistingNewReplicaSet(run, existing, newRevision, done);
    if (!create) return done(undefined, true);
    const spec = deploymentSpec(d);
    const hash = podTemplateHash(spec.template, deploymentStatus(d).collisionCount);
    const empty = newReplicaSetFor(d, hash, 0, newRevision);
    const replicas = newRSNewReplicas(d, [...oldRSs, empty], empty);
    const body = newReplicaSetFor(d, hash, replicas, newRevision);
    const name = body.metadata.name ?? '';
    this.client.request({ verb: 'create', namespace: d.metadata.namespace ?? 'default', body }, (r) => {
      const created = answered(r);
      if (created !== undefined) {
        run.rsList.push(created);
        if (replicas > 0) this.recorder.record(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} to ${replicas}`);
        setDeploymentRevision(d, String(newRevision));
        if (hasProgressDeadline(d)) setCondition(statusOf(d), newCondition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${name}"`, this.world.now));
        return this.save(run, (ok) => done(created, ok));
      }
      if (alreadyExists(r)) return this.alreadyExisting(run, body, newRevision, done);
      if (namespaceTerminating(r)) return done(undefined, false);
      const message = `Failed to create new replica set "${name}": ${errorText(r)}`;
      this.recorder.record(d, 'Warning', 'ReplicaSetCreateError', message);
      if (!hasProgressDeadline(d)) return done(undefined, false);
      setCondition(statusOf(d), newCondition('Progressing', 'False', 'ReplicaSetCreateError', message, this.world.now));
      this.save(run, () => done(undefined, false));
    });
  }

  /** Keeps the new ReplicaSet's annotations (revision above every old one) and minReadySeconds in line, and the Deployment's revision with it. */
  private syncExistingNewReplicaSet(run: Run, existing: KubeObject, newRevision: number, done: RsDone): void {
    const d = run.d;
    const copy = jsonCopy(existing);
    const annotated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
    const minReady = deploymentSpec(d).minReadySeconds ?? 0;
    const spec = (copy.spec ?? {}) as { minReadySeconds?: number };
    if (annotated || (spec.minReadySeconds ?? 0) !== minReady) {
      copy.spec = { ...spec, minReadySeconds: minReady };
      if (minReady === 0) delete (copy.spec as { minReadySeconds?: number }).minReadySeconds;
      return this.updateReplicaSet(run, copy, done);
    }
    let changed = setDeploymentRevision(d, copy.metadata.annotations?.[REVISION] ?? '');
    if (hasProgressDeadline(d) && getCondition(deploymentStatus(d), 'Progressing') === undefined) {
      setCondition(statusOf(d), newCondition('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${copy.metadata.name ?? ''}"`, this.world.now));
      changed = true;
    }
    if (!changed) return done(copy, true);
    this.save(run, (ok) => done(copy, ok));
  }

  /**
   * The name was taken: ours if this Deployment controls it with the same template (a slow
   * cache); otherwise a hash collision, and a higher collisionCount gives the next try another name.
   */
  private alreadyExisting(run: Run, body: KubeObject, newRevision: number, done: RsDone): void {
    const d = run.d;
    const rs = this.replicaSets.get(objectKey(body));
    if (rs === undefined) return done(undefined, false);
    if (controllerRefOf(rs)?.uid === d.metadata.uid && equalIgnoreHash(deploymentSpec(d).template, (rs.spec as { template?: unknown } | undefined)?.template)) {
      if (!run.rsList.some((x) => x.metadata.uid === rs.metadata.uid)) run.rsList.push(rs);
      if (!setDeploymentRevision(d, String(newRevision))) return done(rs, true);
      return this.save(run, (ok) => done(rs, ok));
    }
    statusOf(d).collisionCount = (deploymentStatus(d).collisionCount ?? 0) + 1;
    this.save(run, () => done(undefined, false));
  }

  /**
   * Writes ReplicaSet sizes in order. A step without an operation is skipped when the size
   * already matches and its event says up or down by itself; answers whether any size changed.
   */
  private runSteps(run: Run, steps: readonly ScaleStep[], done: (scaled: boolean, ok: boolean) => void): void {
    let scaled = false;
    inSequenceWhileOk(
      steps,
      (step, next) => {
        const rs = this.fresh(run, step.rs);
        if (step.operation === undefined && replicasOf(rs) === step.replicas) return next(true);
        const operation = step.operation ?? (replicasOf(rs) < step.replicas ? 'up' : 'down');
        this.scaleReplicaSet(run, rs, step.replicas, operation, (changed, ok) => {
          scaled ||= changed;
          next(ok);
        });
      },
      (ok) => done(scaled, ok),
    );
  }

  /** scaleReplicaSet: the new size and the desired/max-replicas annotations, and a ScalingReplicaSet event if the size changed. */
  private scaleReplicaSet(run: Run, rs: KubeObject, replicas: number, operation: string, done: (scaled: boolean, ok: boolean) => void): void {
    const desired = replicasOf(run.d);
    const max = desired + maxSurge(run.d);
    const from = replicasOf(rs);
    const resize = from !== replicas;
    if (!resize && !replicasAnnotationsNeedUpdate(rs, desired, max)) return done(false, true);
    const copy = jsonCopy(rs);
    copy.spec = { ...(copy.spec as object), replicas };
    setReplicasAnnotations(copy, desired, max);
    this.updateReplicaSet(run, copy, (written, ok) => {
      if (ok && resize) this.recorder.record(run.d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${rs.metadata.name ?? ''} to ${replicas} from ${from}`);
      done(ok && resize, ok && written !== undefined);
    });
  }

  private updateReplicaSet(run: Run, body: KubeObject, done: RsDone): void {
    this.client.request({ verb: 'update', namespace: body.metadata.namespace ?? 'default', body }, (r) => {
      const written = answered(r);
      if (written === undefined) return done(undefined, false);
      run.rsList = run.rsList.map((x) => (x.metadata.uid === written.metadata.uid ? written : x));
      done(written, true);
    });
  }

  private deleteReplicaSets(run: Run, rss: readonly KubeObject[], done: Done): void {
    inSequenceWhileOk(
      rss,
      (rs, next) => this.client.request({ verb: 'delete', resource: 'replicasets', namespace: rs.metadata.namespace ?? 'default', name: rs.metadata.name ?? '' }, (r) => next(answered(r) !== undefined || notFound(r))),
      done,
    );
  }

  // ---------------------------------------------------------------- status

  private syncDeploymentStatus(run: Run, allRSs: readonly (KubeObject | undefined)[], newRS: KubeObject | undefined, done: Done): void {
    const status = calculateStatus(
      allRSs.map((rs) => this.fresh(run, rs)),
      this.fresh(run, newRS),
      run.d,
      this.world.now,
    );
    if (statusEqual(deploymentStatus(run.d), status)) return done(true);
    run.d.status = status;
    this.save(run, done);
  }

  /** syncRolloutStatus: the status with progress conditions; unchanged, a look again at the progress deadline. */
  private syncRolloutStatus(run: Run, allRSs: readonly (KubeObject | undefined)[], newRS: KubeObject | undefined, done: Done): void {
    const status: DeploymentStatus = rolloutStatus(run.d, allRSs, newRS, this.world.now);
    if (statusEqual(deploymentStatus(run.d), status)) {
      const after = progressCheckAfter(run.d, status, this.world.now);
      if (after !== undefined) this.queue.addAfter(objectKey(run.d), after);
      return done(true);
    }
    run.d.status = status;
    this.save(run, done);
  }

  /**
   * Writes what the sync changed on the Deployment: the revision annotation through the main
   * resource (the status subresource here keeps metadata), then the status.
   */
  private save(run: Run, done: Done): void {
    const namespace = run.d.metadata.namespace ?? 'default';
    const writeStatus = (): void => {
      if (statusEqual(run.stored.status, run.d.status)) return done(true);
      this.client.request({ verb: 'update', subresource: 'status', namespace, body: { ...run.stored, status: run.d.status } }, (r) => {
        const written = answered(r);
        if (written === undefined) return done(false);
        run.stored = written;
        run.d = { ...jsonCopy(written), status: run.d.status };
        done(true);
      });
    };
    if (canonical(run.stored.metadata.annotations ?? {}) === canonical(run.d.metadata.annotations ?? {})) return writeStatus();
    const body: KubeObject = { ...run.stored, metadata: { ...run.stored.metadata, annotations: run.d.metadata.annotations ?? {} } };
    this.client.request({ verb: 'update', namespace, body }, (r) => {
      const written = answered(r);
      if (written === undefined) return done(false);
      run.stored = written;
      writeStatus();
    });
  }
}

/** The Deployment's status object, created if absent, for in-place condition changes on the working copy. */
function statusOf(d: KubeObject): DeploymentStatus {
  if (d.status === undefined || d.status === null) d.status = {};
  return d.status as DeploymentStatus;
}
