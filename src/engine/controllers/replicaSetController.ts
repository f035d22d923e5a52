import type { ApiCallResult, ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import { canonical } from '../apiserver/canonical';
import { resourceForKind } from '../apiserver/resources';
import { EventRecorder } from '../client/eventRecorder';
import { Informer, objectKey } from '../client/informer';
import { rfc3339 } from '../virtualTime';
import type { World } from '../world';
import { controllerRefOf, isPodActive, isPodAvailable, isPodReady, jsonCopy, newControllerRef, planClaims, podsToDelete, selectorMatches, type ClaimPlan, type LabelSelector, type OwnerRef } from './podUtil';
import { WorkQueue } from './workQueue';

type Obj = Record<string, unknown>;
type Done = (ok: boolean) => void;

/** Most pods one sync creates or deletes (the controller's burstReplicas). */
const BURST_REPLICAS = 500;
/** Expectations not met within this long are given up on (ExpectationsTimeout). */
const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;
/** How soon a sync looks again while the caches are still filling (WaitForCacheSync). */
const SYNC_POLL_MS = 100;

interface ReplicaSetCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

interface RsSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelector;
  template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] }; spec?: Obj };
}

const specOf = (rs: KubeObject): RsSpec => (rs.spec ?? {}) as RsSpec;
const statusOf = (rs: KubeObject): Partial<ReplicaSetStatus> => (rs.status ?? {}) as Partial<ReplicaSetStatus>;
const replicasOf = (rs: KubeObject): number => specOf(rs).replicas ?? 1;
const succeeded = (r: ApiCallResult): boolean => r.ok && r.result.ok;
/** The object a successful call answered with. */
export const answered = (r: ApiCallResult): KubeObject | undefined => (r.ok && r.result.ok ? (r.result.value as KubeObject) : undefined);
const notFound = (r: ApiCallResult): boolean => r.ok && !r.result.ok && r.result.status.code === 404;
/** The error text Go's err.Error() gives for a failed call: the API's message, or the connection error. */
const errorText = (r: ApiCallResult): string => (!r.ok ? r.error : r.result.ok ? '' : r.result.status.message);
/** A create refused because the namespace is going away: nothing to report, everything would fail. */
const namespaceTerminating = (r: ApiCallResult): boolean => r.ok && !r.result.ok && r.result.status.code === 403 && r.result.status.message.includes('because it is being terminated');

/**
 * controller.GetPodFromTemplate: a pod for the ReplicaSet, named "<rs>-" + a random suffix by
 * the API server, with the template's labels, annotations and finalizers and the
 * ReplicaSet as controlling owner.
 */
export function podFromTemplate(rs: KubeObject): KubeObject {
  const template = specOf(rs).template ?? {};
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name ?? ''}-`,
      namespace: rs.metadata.namespace ?? 'default',
      ...(meta.labels === undefined ? {} : { labels: { ...meta.labels } }),
      ...(meta.annotations === undefined ? {} : { annotations: { ...meta.annotations } }),
      ...(meta.finalizers === undefined ? {} : { finalizers: [...meta.finalizers] }),
      ownerReferences: [newControllerRef(rs)],
    },
    spec: jsonCopy(template.spec ?? {}),
  };
}

/**
 * calculateStatus (replica_set_utils.go): counts over the ReplicaSet's active pods, and the
 * ReplicaFailure condition while creating or deleting pods fails (FailedCreate / FailedDelete).
 * Zero counts are left out, as Go's omitempty leaves them out.
 */
export function replicaSetStatus(rs: KubeObject, pods: readonly KubeObject[], manageError: string | undefined, now: number): ReplicaSetStatus {
  const templateLabels = specOf(rs).template?.metadata?.labels ?? {};
  const minReady = specOf(rs).minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    const labels = p.metadata.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
  }
  let conditions = statusOf(rs).conditions ?? [];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (manageError !== undefined && failure === undefined) {
    const diff = pods.length - replicasOf(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    conditions = [...conditions, { type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(now), reason, message: manageError }];
  } else if (manageError === undefined && failure !== undefined) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  const generation = statusOf(rs).observedGeneration;
  return {
    replicas: pods.length,
    ...(fullyLabeled > 0 ? { fullyLabeledReplicas: fullyLabeled } : {}),
    ...(ready > 0 ? { readyReplicas: ready } : {}),
    ...(available > 0 ? { availableReplicas: available } : {}),
    ...(generation ? { observedGeneration: generation } : {}),
    ...(conditions.length > 0 ? { conditions } : {}),
  };
}

/** updateReplicaSetStatus's steady state: the same counts, this generation observed, the same conditions. */
export function replicaSetStatusChanged(rs: KubeObject, next: ReplicaSetStatus): boolean {
  const cur = statusOf(rs);
  return (
    (cur.replicas ?? 0) !== next.replicas ||
    (cur.fullyLabeledReplicas ?? 0) !== (next.fullyLabeledReplicas ?? 0) ||
    (cur.readyReplicas ?? 0) !== (next.readyReplicas ?? 0) ||
    (cur.availableReplicas ?? 0) !== (next.availableReplicas ?? 0) ||
    (rs.metadata.generation ?? 0) !== (cur.observedGeneration ?? 0) ||
    canonical(cur.conditions ?? []) !== canonical(next.conditions ?? [])
  );
}

/**
 * Writes a claim plan as patches naming the object's uid, as the controller ref manager does:
 * adopting adds the owner's controller reference (a strategic merge by uid), releasing removes
 * it (the remaining references, or none at all: an emptied list is dropped, as the API server
 * drops an empty ownerReferences). Answers the objects the owner now controls, or undefined if
 * a write failed for another reason than the object being gone.
 */
export function applyClaims(client: ApiClient, owner: KubeObject, plan: ClaimPlan, done: (claimed: KubeObject[] | undefined) => void): void {
  const claimed = [...plan.owned];
  const writes = [...plan.adopt.map((o) => ({ o, adopt: true })), ...plan.release.map((o) => ({ o, adopt: false }))];
  let failed = false;
  const next = (i: number): void => {
    const w = writes[i];
    if (w === undefined) return done(failed ? undefined : claimed);
    const rest = (w.o.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
    const ownerReferences = w.adopt ? [newControllerRef(owner)] : rest.length > 0 ? rest : null;
    const patch = JSON.stringify({ metadata: { ownerReferences, uid: w.o.metadata.uid } });
    const type = resourceForKind(w.o.apiVersion, w.o.kind);
    const at = { resource: 'error' in type ? `${w.o.kind.toLowerCase()}s` : type.plural, namespace: w.o.metadata.namespace ?? 'default', name: w.o.metadata.name ?? '' };
    client.request({ verb: 'patch', ...at, patchType: w.adopt ? 'strategic' : 'merge', patch }, (r) => {
      const written = answered(r);
      if (written !== undefined && w.adopt) claimed.push(written);
      else if (written === undefined && !notFound(r)) failed = true;
      next(i + 1);
    });
  };
  next(0);
}

interface Expectation {
  /** Pods still to be seen created. */
  add: number;
  /** Keys of pods still to be seen deleted. */
  readonly del: Set<string>;
  readonly at: number;
}

/**
 * kube-controller-manager's ReplicaSet controller: keeps each ReplicaSet's number of active
 * pods at spec.replicas. It adopts orphan pods its selector matches and releases its own that
 * no longer match; creates missing pods in slow-start batches (1, 2, 4, …, stopping at the
 * first failure); deletes surplus pods, those furthest from serving first; and, through
 * expectations, does nothing more for a ReplicaSet until it has seen its own creates and
 * deletes come back through the watch. Status counts replicas, fully labeled, ready and
 * available pods.
 */
export class ReplicaSetController {
  private readonly replicaSets: Informer;
  private readonly pods: Informer;
  private readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly expectations = new Map<string, Expectation>();

  constructor(
    private readonly world: World,
    private readonly client: ApiClient,
    recorder?: EventRecorder,
  ) {
    this.recorder = recorder ?? new EventRecorder(world, client, 'replicaset-controller', '');
    this.queue = new WorkQueue(world, 'replicaset', (key, done) => this.sync(key, done));
    this.replicaSets = new Informer(world, client, 'replicasets', {
      onAdd: (rs) => this.queue.add(objectKey(rs)),
      onUpdate: (_old, rs) => this.queue.add(objectKey(rs)),
      onDelete: (rs) => {
        this.expectations.delete(objectKey(rs));
        this.queue.add(objectKey(rs));
      },
    });
    this.pods = new Informer(world, client, 'pods', { onAdd: (p) => this.podAdded(p), onUpdate: (old, p) => this.podUpdated(old, p), onDelete: (p) => this.podDeleted(p) });
  }

  start(): void {
    this.queue.start();
    this.replicaSets.start();
    this.pods.start();
  }

  stop(): void {
    this.pods.stop();
    this.replicaSets.stop();
    this.queue.stop();
    this.expectations.clear();
  }

  // ---------------------------------------------------------------- events

  /** The ReplicaSet a controller reference points at, if it is the one in the cache. */
  private resolve(namespace: string | undefined, ref: OwnerRef | undefined): KubeObject | undefined {
    if (ref === undefined || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.replicaSets.get(`${namespace ?? 'default'}/${ref.name}`);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets whose selector matches an orphan pod: they may adopt it. */
  private wanting(pod: KubeObject): KubeObject[] {
    return this.replicaSets.list().filter((rs) => rs.metadata.namespace === pod.metadata.namespace && selectorMatches(specOf(rs).selector, pod.metadata.labels));
  }

  private podAdded(pod: KubeObject): void {
    // A pod that shows up already terminating (e.g. after a relist) counts as a deletion.
    if (pod.metadata.deletionTimestamp !== undefined) return this.podDeleted(pod);
    const ref = controllerRefOf(pod);
    if (ref !== undefined) {
      const rs = this.resolve(pod.metadata.namespace, ref);
      if (rs === undefined) return;
      this.observe(objectKey(rs), (e) => {
        e.add--;
      });
      this.queue.add(objectKey(rs));
      return;
    }
    for (const rs of this.wanting(pod)) this.queue.add(objectKey(rs));
  }

  private podUpdated(old: KubeObject, pod: KubeObject): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    const labelsChanged = canonical(old.metadata.labels ?? {}) !== canonical(pod.metadata.labels ?? {});
    if (pod.metadata.deletionTimestamp !== undefined) {
      // Graceful deletion shows first as an update: the deletion is as good as observed.
      this.podDeleted(pod);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const ref = controllerRefOf(pod);
    const oldRef = controllerRefOf(old);
    const refChanged = canonical(ref ?? null) !== canonical(oldRef ?? null);
    if (refChanged) {
      const was = this.resolve(old.metadata.namespace, oldRef);
      if (was !== undefined) this.queue.add(objectKey(was));
    }
    if (ref !== undefined) {
      const rs = this.resolve(pod.metadata.namespace, ref);
      if (rs === undefined) return;
      this.queue.add(objectKey(rs));
      // Nothing will signal when the pod has been ready long enough: look again then.
      const minReady = specOf(rs).minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(pod) && minReady > 0) this.queue.addAfter(objectKey(rs), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.wanting(pod)) this.queue.add(objectKey(rs));
  }

  private podDeleted(pod: KubeObject): void {
    const rs = this.resolve(pod.metadata.namespace, controllerRefOf(pod));
    if (rs === undefined) return;
    this.observe(objectKey(rs), (e) => {
      e.del.delete(objectKey(pod));
    });
    this.queue.add(objectKey(rs));
  }

  // ---------------------------------------------------------------- expectations

  private observe(key: string, change: (e: Expectation) => void): void {
    const e = this.expectations.get(key);
    if (e !== undefined) change(e);
  }

  private satisfied(key: string): boolean {
    const e = this.expectations.get(key);
    return e === undefined || (e.add <= 0 && e.del.size === 0) || this.world.now - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  // ---------------------------------------------------------------- sync

  private sync(key: string, done: Done): void {
    if (!this.replicaSets.synced || !this.pods.synced) {
      this.queue.addAfter(key, SYNC_POLL_MS);
      return done(true);
    }
    const rs = this.replicaSets.get(key);
    if (rs === undefined) {
      this.expectations.delete(key);
      return done(true);
    }
    const needsSync = this.satisfied(key);
    const active = this.pods.list().filter((p) => p.metadata.namespace === rs.metadata.namespace && isPodActive(p));
    const plan = planClaims(rs, active, (p) => selectorMatches(specOf(rs).selector, p.metadata.labels));
    applyClaims(this.client, rs, plan, (pods) => {
      if (pods === undefined) return done(false);
      const finish = (error?: string): void => this.updateStatus(rs, pods, error, done);
      if (needsSync && rs.metadata.deletionTimestamp === undefined) this.manageReplicas(rs, pods, finish);
      else finish();
    });
  }

  /** Creates or deletes pods towards spec.replicas; answers the error to report, if any. */
  private manageReplicas(rs: KubeObject, pods: readonly KubeObject[], done: (error?: string) => void): void {
    const key = objectKey(rs);
    const diff = pods.length - replicasOf(rs);
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS);
      this.expectations.set(key, { add: count, del: new Set(), at: this.world.now });
      return this.slowStart(count, (next) => this.createPod(rs, next), (successes, error) => {
        // Pods never created will never be observed.
        this.observe(key, (e) => {
          e.add -= count - successes;
        });
        done(error);
      });
    }
    if (diff === 0) return done();
    const victims = podsToDelete(pods, this.relatedPods(rs), Math.min(diff, BURST_REPLICAS), this.world.now);
    this.expectations.set(key, { add: 0, del: new Set(victims.map(objectKey)), at: this.world.now });
    let pending = victims.length;
    let firstError: string | undefined;
    for (const pod of victims) {
      this.deletePod(rs, pod, (error) => {
        if (error !== undefined)
          this.observe(key, (e) => {
            e.del.delete(objectKey(pod));
          });
        if (error !== undefined && error !== 'not found') firstError ??= error;
        if (--pending === 0) done(firstError);
      });
    }
  }

  /**
   * slowStartBatch: batches of 1, 2, 4, … run together; the first batch with a failure is the
   * last, so a quota or admission refusal costs one request rather than hundreds.
   */
  private slowStart(count: number, create: (done: (error?: string) => void) => void, done: (successes: number, error?: string) => void): void {
    let successes = 0;
    const batch = (remaining: number, size: number): void => {
      if (size === 0) return done(successes);
      let pending = size;
      let firstError: string | undefined;
      for (let i = 0; i < size; i++) {
        create((error) => {
          if (error === undefined) successes++;
          else firstError ??= error;
          if (--pending > 0) return;
          if (firstError !== undefined) return done(successes, firstError);
          batch(remaining - size, Math.min(2 * size, remaining - size));
        });
      }
    };
    batch(count, Math.min(count, 1));
  }

  private createPod(rs: KubeObject, done: (error?: string) => void): void {
    const body = podFromTemplate(rs);
    if (Object.keys(body.metadata.labels ?? {}).length === 0) return done('unable to create pods, no labels');
    this.client.request({ verb: 'create', namespace: body.metadata.namespace ?? 'default', body }, (r) => {
      const pod = answered(r);
      if (pod !== undefined) {
        this.recorder.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`);
        return done();
      }
      if (namespaceTerminating(r)) return done();
      this.recorder.record(rs, 'Warning', 'FailedCreate', `Error creating: ${errorText(r)}`);
      done(errorText(r));
    });
  }

  /** Deletes one pod; answers undefined, 'not found', or the error for the ReplicaFailure condition. */
  private deletePod(rs: KubeObject, pod: KubeObject, done: (error?: string) => void): void {
    const name = pod.metadata.name ?? '';
    this.client.request({ verb: 'delete', resource: 'pods', namespace: pod.metadata.namespace ?? 'default', name }, (r) => {
      if (succeeded(r)) {
        this.recorder.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
        return done();
      }
      if (notFound(r)) return done('not found');
      this.recorder.record(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorText(r)}`);
      done(`unable to delete pods: ${errorText(r)}`);
    });
  }

  /** Pods of every ReplicaSet with the same controller (a Deployment's old and new ones): they rank the victims. */
  private relatedPods(rs: KubeObject): KubeObject[] {
    const ref = controllerRefOf(rs);
    if (ref === undefined) return [];
    const siblings = this.replicaSets.list().filter((o) => o.metadata.namespace === rs.metadata.namespace && controllerRefOf(o)?.uid === ref.uid);
    const seen = new Map<string, KubeObject>();
    for (const sibling of siblings) {
      for (const p of this.pods.list()) {
        if (p.metadata.namespace === rs.metadata.namespace && selectorMatches(specOf(sibling).selector, p.metadata.labels) && !seen.has(p.metadata.uid ?? '')) seen.set(p.metadata.uid ?? '', p);
      }
    }
    return [...seen.values()];
  }

  /** updateReplicaSetStatus: writes the status if it changed, re-reading once after a conflict. */
  private updateStatus(rs: KubeObject, pods: readonly KubeObject[], manageError: string | undefined, done: Done): void {
    const status = replicaSetStatus(rs, pods, manageError, this.world.now);
    const after = (written: KubeObject): void => {
      const minReady = specOf(written).minReadySeconds ?? 0;
      const st = statusOf(written);
      const replicas = replicasOf(written);
      // A last look once the ready pods have been ready for minReadySeconds.
      if (manageError === undefined && minReady > 0 && (st.readyReplicas ?? 0) === replicas && (st.availableReplicas ?? 0) !== replicas) this.queue.addAfter(objectKey(written), minReady * 1000);
      done(manageError === undefined);
    };
    if (!replicaSetStatusChanged(rs, status)) return after(rs);
    const next: ReplicaSetStatus = { ...status };
    if (rs.metadata.generation) next.observedGeneration = rs.metadata.generation;
    else delete next.observedGeneration;
    const namespace = rs.metadata.namespace ?? 'default';
    const write = (current: KubeObject, retries: number): void => {
      this.client.request({ verb: 'update', subresource: 'status', namespace, body: { ...current, status: next } }, (r) => {
        const written = answered(r);
        if (written !== undefined) return after(written);
        if (retries === 0) return done(false);
        this.client.request({ verb: 'get', resource: 'replicasets', namespace, name: rs.metadata.name ?? '' }, (g) => {
          const fresh = answered(g);
          if (fresh === undefined) return done(false);
          write(fresh, retries - 1);
        });
      });
    };
    write(rs, 1);
  }
}
