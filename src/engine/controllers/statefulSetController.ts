import type { ApiCallResult, ApiClient } from '../apiserver/apiClient';
import type { ApiRequest } from '../apiserver/apiProtocol';
import type { KubeObject } from '../apiserver/apiObjects';
import type { EventRecorder } from '../client/eventRecorder';
import { Informer, objectKey } from '../client/informer';
import type { World } from '../world';
import { controllerRefOf, planClaims, selectorMatches } from './podUtil';
import { applyClaims } from './replicaSetController';
import { claimsFor, newStatefulSetPod, ordinalOf, planStatefulSet, statefulSetStatus, statusUpToDate, stsSpec, updateRevisionName, type Step } from './statefulSetUtil';
import { WorkQueue } from './workQueue';

type Req = Omit<ApiRequest, 'reqId' | 'replyPort'>;

/** How soon to look again while the caches fill, or while a write is not yet seen in them. */
const RETRY_MS = 1_000;

const succeeded = (r: ApiCallResult): boolean => r.ok && r.result.ok;
const codeOf = (r: ApiCallResult): number | undefined => (r.ok && !r.result.ok ? r.result.status.code : undefined);
const errorText = (r: ApiCallResult): string => (!r.ok ? r.error : r.result.ok ? '' : r.result.status.message);

/** A write this controller made and has not yet seen in its pod cache (its "expectations"). */
interface Pending {
  readonly name: string;
  /** Created: waiting to see the pod. Deleted: waiting to see the pod with this uid terminating or gone. */
  readonly deletedUid?: string;
}

/**
 * kube-controller-manager's StatefulSet controller: pods with stable names <set>-0…N-1, each
 * with its own claims from volumeClaimTemplates, created in order and removed from the highest
 * ordinal (OrderedReady waits for each to be Running and Ready; Parallel does not), recreated
 * under the same name when deleted, and rolled to a new template from the highest ordinal down
 * to the partition. ControllerRevisions are not served by this API server: the revision names
 * are computed as the real controller computes them, but no revision objects are written (so a
 * pod below the partition is always recreated from the current template).
 */
export class StatefulSetController {
  private readonly sets: Informer;
  private readonly pods: Informer;
  private readonly claims: Informer;
  private readonly queue: WorkQueue;
  private readonly pending = new Map<string, Pending[]>();

  constructor(
    private readonly world: World,
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
  ) {
    this.queue = new WorkQueue(world, 'statefulset', (key, done) => this.sync(key, done));
    const enqueue = (o: KubeObject): void => this.queue.add(objectKey(o));
    this.sets = new Informer(world, client, 'statefulsets', { onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    this.pods = new Informer(world, client, 'pods', { onAdd: (p) => this.podChanged(p), onUpdate: (o, p) => this.podChanged(o, p), onDelete: (p) => this.podChanged(p) });
    this.claims = new Informer(world, client, 'persistentvolumeclaims', {});
  }

  start(): void {
    this.queue.start();
    for (const i of [this.sets, this.pods, this.claims]) i.start();
  }

  stop(): void {
    for (const i of [this.sets, this.pods, this.claims]) i.stop();
    this.queue.stop();
  }

  /** A pod's owner is looked at again; an orphan makes every set whose selector matches look (adoption). */
  private podChanged(...pods: KubeObject[]): void {
    for (const p of pods) {
      const ref = controllerRefOf(p);
      if (ref?.kind === 'StatefulSet') this.queue.add(`${p.metadata.namespace ?? ''}/${ref.name}`);
      else if (ref === undefined) for (const s of this.sets.list()) if (s.metadata.namespace === p.metadata.namespace && selectorMatches(stsSpec(s).selector, p.metadata.labels)) this.queue.add(objectKey(s));
    }
  }

  /** Whether the pod cache shows every write made for this set (if not, acting again could repeat one). */
  private caughtUp(key: string): boolean {
    const namespace = key.split('/')[0] ?? '';
    const left = (this.pending.get(key) ?? []).filter((w) => {
      const p = this.pods.get(`${namespace}/${w.name}`);
      return w.deletedUid === undefined ? p === undefined : p !== undefined && p.metadata.uid === w.deletedUid && p.metadata.deletionTimestamp === undefined;
    });
    if (left.length === 0) this.pending.delete(key);
    else this.pending.set(key, left);
    return left.length === 0;
  }

  private sync(key: string, done: (ok: boolean) => void): void {
    if (![this.sets, this.pods, this.claims].every((i) => i.synced) || !this.caughtUp(key)) {
      this.queue.addAfter(key, RETRY_MS);
      return done(true);
    }
    const set = this.sets.get(key);
    if (set === undefined) {
      this.pending.delete(key);
      return done(true);
    }
    const namespace = set.metadata.namespace ?? 'default';
    const candidates = this.pods.list().filter((p) => p.metadata.namespace === namespace);
    const matches = (p: KubeObject): boolean => selectorMatches(stsSpec(set).selector, p.metadata.labels) && ordinalOf(set, p) !== undefined;
    applyClaims(this.client, set, planClaims(set, candidates, matches), (owned) => {
      if (owned === undefined) return done(false);
      if (set.metadata.deletionTimestamp !== undefined) return this.writeStatus(set, owned, updateRevisionName(set), done);
      const revision = updateRevisionName(set);
      const plan = planStatefulSet(set, owned, revision, this.world.now);
      this.run(set, plan.steps, revision, (ok) => {
        if (!ok) return done(false);
        const wait = plan.steps.find((s): s is Extract<Step, { kind: 'wait' }> => s.kind === 'wait');
        if (wait?.recheckMs !== undefined) this.queue.addAfter(key, wait.recheckMs + 1);
        this.writeStatus(set, owned, revision, done);
      });
    });
  }

  private run(set: KubeObject, steps: readonly Step[], revision: string, done: (ok: boolean) => void): void {
    const next = (i: number): void => {
      const step = steps[i];
      if (step === undefined || step.kind === 'wait') return done(true);
      const then = (ok: boolean): void => (ok ? next(i + 1) : done(false));
      if (step.kind === 'create') this.createReplica(set, step.ordinal, revision, then);
      else this.deleteReplica(set, step.pod, step.condemned, then);
    };
    next(0);
  }

  private expect(set: KubeObject, w: Pending): void {
    const key = objectKey(set);
    this.pending.set(key, [...(this.pending.get(key) ?? []), w]);
  }

  /** Claims first (each missing one created), then the pod: a pod never starts without its volumes. */
  private createReplica(set: KubeObject, ordinal: number, revision: string, done: (ok: boolean) => void): void {
    const pod = newStatefulSetPod(set, ordinal, revision);
    const podName = pod.metadata.name ?? '';
    const setName = set.metadata.name ?? '';
    const missing = claimsFor(set, ordinal).filter((c) => this.claims.get(objectKey(c)) === undefined);
    const createClaim = (i: number): void => {
      const claim = missing[i];
      if (claim === undefined) return createPod();
      this.client.request({ verb: 'create', namespace: claim.metadata.namespace ?? 'default', body: claim }, (r) => {
        const name = claim.metadata.name ?? '';
        if (succeeded(r)) this.recorder.record(set, 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${podName} in StatefulSet ${setName} success`);
        else if (codeOf(r) !== 409) {
          this.recorder.record(set, 'Warning', 'FailedCreate', `create Claim ${name} for Pod ${podName} in StatefulSet ${setName} failed error: ${errorText(r)}`);
          return done(false);
        }
        createClaim(i + 1);
      });
    };
    const createPod = (): void => {
      this.client.request({ verb: 'create', namespace: pod.metadata.namespace ?? 'default', body: pod }, (r) => {
        // AlreadyExists: a pod of that name is there (ours, seen late, or someone's): the next sync judges it.
        if (codeOf(r) === 409) return done(true);
        if (!succeeded(r)) {
          this.recorder.record(set, 'Warning', 'FailedCreate', `create Pod ${podName} in StatefulSet ${setName} failed error: ${errorText(r)}`);
          return done(false);
        }
        this.expect(set, { name: podName });
        this.recorder.record(set, 'Normal', 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${setName} successful`);
        done(true);
      });
    };
    createClaim(0);
  }

  /** whenScaled: Delete hands a condemned replica's claims to its pod first, so they go with it. */
  private deleteReplica(set: KubeObject, pod: KubeObject, condemned: boolean, done: (ok: boolean) => void): void {
    const namespace = pod.metadata.namespace ?? 'default';
    const ordinal = ordinalOf(set, pod) ?? -1;
    const handOver = condemned && stsSpec(set).persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete' ? claimsFor(set, ordinal) : [];
    const ownerRef = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' };
    const patches: Req[] = handOver
      .map((c) => this.claims.get(objectKey(c)))
      .filter((c): c is KubeObject => c !== undefined && !(c.metadata.ownerReferences ?? []).some((r) => r.uid === ownerRef.uid))
      .map((c) => ({ verb: 'update', namespace, body: { ...c, metadata: { ...c.metadata, ownerReferences: [...(c.metadata.ownerReferences ?? []), ownerRef] } } }));
    const patch = (i: number): void => {
      const req = patches[i];
      if (req === undefined) return deletePod();
      this.client.request(req, (r) => (succeeded(r) || codeOf(r) === 404 ? patch(i + 1) : done(false)));
    };
    const deletePod = (): void => {
      const name = pod.metadata.name ?? '';
      this.client.request({ verb: 'delete', resource: 'pods', namespace, name }, (r) => {
        if (codeOf(r) === 404) return done(true);
        if (!succeeded(r)) {
          this.recorder.record(set, 'Warning', 'FailedDelete', `delete Pod ${name} in StatefulSet ${set.metadata.name ?? ''} failed error: ${errorText(r)}`);
          return done(false);
        }
        this.expect(set, { name, deletedUid: pod.metadata.uid ?? '' });
        this.recorder.record(set, 'Normal', 'SuccessfulDelete', `delete Pod ${name} in StatefulSet ${set.metadata.name ?? ''} successful`);
        done(true);
      });
    };
    patch(0);
  }

  private writeStatus(set: KubeObject, pods: readonly KubeObject[], revision: string, done: (ok: boolean) => void): void {
    const status = statefulSetStatus(set, pods, revision, this.world.now);
    if (statusUpToDate(set, status)) return done(true);
    this.client.request({ verb: 'update', subresource: 'status', namespace: set.metadata.namespace ?? 'default', body: { ...set, status } }, (r) => done(succeeded(r) || codeOf(r) === 404));
  }
}
