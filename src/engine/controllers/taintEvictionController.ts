import type { ApiCallResult, ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import type { EventRecorder } from '../client/eventRecorder';
import { Informer, objectKey } from '../client/informer';
import type { ScheduledEvent } from '../eventQueue';
import { rfc3339 } from '../virtualTime';
import type { World } from '../world';
import { conditionsOf, evictionDelayMs, nodeNameOf, noExecuteTaints, sameTaints, setPodCondition, TAINT_DISRUPTION_CONDITION, taintsOf, tolerationsOf, type Taint, type Toleration } from './nodeLifecycleUtil';
import { WorkQueue } from './workQueue';

export interface TaintEvictionOptions {
  /** Attempts at deleting a pod when its time has come, before waiting for a retry (5, as the real one). */
  deleteAttempts?: number;
  /** Back-off between rounds of attempts after they all failed (the API may be down). */
  retryMs?: number;
}

const DEFAULT_DELETE_ATTEMPTS = 5;
const DEFAULT_RETRY_MS = 1_000;

/** A pod's deletion: waiting on `timer` until fireAt, then running (retried on `retry` while the API refuses). */
interface Eviction {
  createdAt: number;
  fireAt: number;
  timer: ScheduledEvent | undefined;
  running: boolean;
  retry: ScheduledEvent | undefined;
}

const NODE = 'node:';
const POD = 'pod:';
const done404 = (r: ApiCallResult): boolean => r.ok && !r.result.ok && r.result.status.code === 404;
const nsName = (key: string): { namespace: string; name: string } => {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
};
/** The reference the real controller records eviction events against: the pod by name, no uid. */
const podRef = (key: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: nsName(key) });

/**
 * kube-controller-manager's taint-eviction-controller (v1.31). When a node carries NoExecute
 * taints, each of its pods is deleted: at once if some taint is not tolerated, after the
 * smallest tolerationSeconds of the matching tolerations, or never if they tolerate forever.
 * The clock starts when the controller notices the taint; a scheduled deletion is cancelled
 * ("Cancelling deletion of Pod …") when the taints go or the pod does. Before deleting it records
 * "Marking for deletion Pod …" and sets the pod's DisruptionTarget condition.
 */
export class TaintEvictionController {
  private readonly nodes: Informer;
  private readonly pods: Informer;
  private readonly queue: WorkQueue;
  private readonly evictions = new Map<string, Eviction>();
  private readonly deleteAttempts: number;
  private readonly retryMs: number;
  private running = false;

  constructor(
    private readonly world: World,
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
    options: TaintEvictionOptions = {},
  ) {
    this.deleteAttempts = options.deleteAttempts ?? DEFAULT_DELETE_ATTEMPTS;
    this.retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
    this.queue = new WorkQueue(world, 'taint-eviction-controller', (key, done) => {
      if (key.startsWith(NODE)) this.syncNode(key.slice(NODE.length));
      else this.syncPod(key.slice(POD.length));
      done(true);
    });
    const node = (n: KubeObject): void => this.queue.add(NODE + (n.metadata.name ?? ''));
    const pod = (p: KubeObject): void => this.queue.add(POD + objectKey(p));
    this.nodes = new Informer(world, client, 'nodes', {
      onAdd: node,
      onUpdate: (old, n) => {
        if (!sameTaints(noExecuteTaints(taintsOf(old)), noExecuteTaints(taintsOf(n)))) node(n);
      },
      onDelete: node,
    });
    this.pods = new Informer(world, client, 'pods', {
      onAdd: pod,
      onUpdate: (old, p) => {
        if (nodeNameOf(old) !== nodeNameOf(p) || JSON.stringify(tolerationsOf(old)) !== JSON.stringify(tolerationsOf(p))) pod(p);
      },
      onDelete: pod,
    });
  }

  start(): void {
    this.running = true;
    this.queue.start();
    this.nodes.start();
    this.pods.start();
  }

  /** A stopped controller forgets its schedule; the next leader starts its own clocks. */
  stop(): void {
    this.running = false;
    this.nodes.stop();
    this.pods.stop();
    this.queue.stop();
    for (const e of this.evictions.values()) for (const t of [e.timer, e.retry]) if (t) this.world.cancel(t);
    this.evictions.clear();
  }

  /** When each pod is due to be deleted (virtual ms), for views and tests; running deletions included. */
  scheduled(): ReadonlyMap<string, number> {
    return new Map([...this.evictions].map(([k, e]) => [k, e.fireAt]));
  }

  private syncNode(name: string): void {
    const node = this.nodes.get(name);
    // A deleted node leaves its pods' schedule alone (pod garbage collection deals with them).
    if (node === undefined) return;
    const taints = noExecuteTaints(taintsOf(node));
    const now = this.world.now;
    for (const pod of this.pods.list().filter((p) => nodeNameOf(p) === name)) {
      if (taints.length === 0) this.cancel(objectKey(pod));
      else this.processPod(objectKey(pod), tolerationsOf(pod), taints, now);
    }
  }

  private syncPod(key: string): void {
    const pod = this.pods.get(key);
    if (pod === undefined) return this.cancel(key);
    const node = this.nodes.get(nodeNameOf(pod));
    const taints = node === undefined ? [] : noExecuteTaints(taintsOf(node));
    if (taints.length === 0) return;
    this.processPod(key, tolerationsOf(pod), taints, this.world.now);
  }

  /** processPodOnNode: schedule, keep or cancel the pod's deletion for the node's NoExecute taints. */
  private processPod(key: string, tolerations: readonly Toleration[], taints: readonly Taint[], now: number): void {
    const delay = evictionDelayMs(taints, tolerations);
    if (delay === 0) {
      this.cancel(key);
      return this.addWork(key, now, now);
    }
    if (delay === Infinity) return this.cancel(key);
    const existing = this.evictions.get(key);
    // A deletion already scheduled keeps its time, shorter toleration or not, as in the real
    // controller (which replaces one only when it was made at this very instant).
    if (existing !== undefined && (existing.running || existing.createdAt < now)) return;
    if (existing !== undefined) this.cancel(key);
    this.addWork(key, now, now + delay);
  }

  private addWork(key: string, createdAt: number, fireAt: number): void {
    if (this.evictions.has(key)) return;
    const e: Eviction = { createdAt, fireAt, timer: undefined, running: false, retry: undefined };
    this.evictions.set(key, e);
    const delay = fireAt - createdAt;
    if (delay <= 0) return this.fire(key, e);
    e.timer = this.world.schedule(delay, `taint-eviction ${key}`, () => {
      e.timer = undefined;
      this.fire(key, e);
    });
  }

  /** Cancels a scheduled deletion; one already running is dropped without an event, as in Kubernetes. */
  private cancel(key: string): void {
    const e = this.evictions.get(key);
    if (e === undefined) return;
    this.evictions.delete(key);
    if (e.retry) this.world.cancel(e.retry);
    if (e.timer === undefined) return;
    this.world.cancel(e.timer);
    this.recorder.record(podRef(key), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  private fire(key: string, e: Eviction): void {
    e.running = true;
    this.recorder.record(podRef(key), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    const attempt = (n: number): void => {
      // Cancelled meanwhile (the pod went, or the taint), or the controller stopped.
      if (!this.running || this.evictions.get(key) !== e) return;
      this.markAndDelete(key, (ok) => {
        if (this.evictions.get(key) !== e) return;
        if (ok) return void this.evictions.delete(key);
        if (n < this.deleteAttempts) return attempt(n + 1);
        // Unlike the real controller, which gives up here, keep trying: the API may just be down.
        e.retry = this.world.schedule(this.retryMs, `taint-eviction retry ${key}`, () => {
          e.retry = undefined;
          attempt(1);
        });
      });
    };
    attempt(1);
  }

  /** addConditionAndDeletePod: DisruptionTarget=True on the pod's status, then the delete. */
  private markAndDelete(key: string, done: (ok: boolean) => void): void {
    const { namespace, name } = nsName(key);
    this.client.request({ verb: 'get', resource: 'pods', namespace, name }, (g) => {
      if (done404(g)) return done(true);
      if (!g.ok || !g.result.ok) return done(false);
      const pod = g.result.value as KubeObject;
      const del = (): void =>
        this.client.request({ verb: 'delete', resource: 'pods', namespace, name }, (r) => done((r.ok && r.result.ok) || done404(r)));
      const conditions = setPodCondition(conditionsOf(pod), TAINT_DISRUPTION_CONDITION, rfc3339(this.world.now));
      if (conditions === undefined) return del();
      const body: KubeObject = { ...pod, status: { ...(pod.status as object), conditions } };
      this.client.request({ verb: 'update', resource: 'pods', namespace, name, subresource: 'status', body }, (r) => {
        if (done404(r)) return done(true);
        if (!r.ok || !r.result.ok) return done(false);
        del();
      });
    });
  }
}
