import type { ApiCallResult, ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import type { EventRecorder } from '../client/eventRecorder';
import { Informer, objectKey } from '../client/informer';
import type { World } from '../world';
import {
  daemonPodFor,
  daemonSetHash,
  daemonSetStatus,
  daemonSetStatusChanged,
  dsSpec,
  isOnDelete,
  planNodes,
  podsByNode,
  rollingUpdateDeletions,
  type DaemonSetStatus,
} from './daemonSetUtil';
import { Expectations, Requeue } from './jobUtil';
import { controllerRefOf, isPodReady, planClaims, selectorMatches } from './podUtil';
import { answered, applyClaims } from './replicaSetController';
import { WorkQueue } from './workQueue';

type Done = (ok: boolean) => void;

/** Most pods one sync creates (the controller's burstReplicas). */
const BURST_REPLICAS = 250;
/** failedPodsBackoff: 1 s doubling to 15 min per (DaemonSet, node). */
const FAILED_BACKOFF_MIN_MS = 1_000;
const FAILED_BACKOFF_MAX_MS = 15 * 60_000;
const SYNC_POLL_MS = 100;

const errorText = (r: ApiCallResult): string => (!r.ok ? r.error : r.result.ok ? '' : r.result.status.message);
const notFound = (r: ApiCallResult): boolean => r.ok && !r.result.ok && r.result.status.code === 404;

/**
 * kube-controller-manager's DaemonSet controller: one pod on every node the DaemonSet's
 * template fits (node name, nodeSelector / required node affinity, NoSchedule and NoExecute
 * taints against the template's tolerations plus the daemon ones). Pods are pinned with a
 * `metadata.name In [node]` node affinity and placed by the default scheduler. Nodes coming,
 * going or relabelled are followed; template changes roll out node by node (RollingUpdate,
 * maxUnavailable 1 by default) or wait for the user to delete pods (OnDelete).
 */
export class DaemonSetController {
  private readonly daemonSets: Informer;
  private readonly pods: Informer;
  private readonly nodes: Informer;
  private readonly queue: WorkQueue;
  private readonly later: Requeue;
  private readonly expectations: Expectations;
  /** Back-off per "namespace/ds/node" for deleting failed pods: [next allowed time, current delay]. */
  private readonly failedBackoff = new Map<string, { until: number; delay: number }>();

  constructor(
    private readonly world: World,
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
  ) {
    this.queue = new WorkQueue(world, 'daemonset', (key, done) => this.sync(key, done));
    this.later = new Requeue(world, this.queue);
    this.expectations = new Expectations(world);
    const enqueue = (ds: KubeObject): void => this.queue.add(objectKey(ds));
    this.daemonSets = new Informer(world, client, 'daemonsets', {
      onAdd: enqueue,
      onUpdate: (_old, ds) => enqueue(ds),
      onDelete: (ds) => {
        this.expectations.forget(objectKey(ds));
        enqueue(ds);
      },
    });
    this.pods = new Informer(world, client, 'pods', {
      onAdd: (p) => this.podChanged(p, p.metadata.deletionTimestamp === undefined ? 'add' : 'delete'),
      onUpdate: (old, p) => {
        if (p.metadata.deletionTimestamp !== undefined && old.metadata.deletionTimestamp === undefined) this.podChanged(p, 'delete');
        else this.podChanged(p, 'update', old);
      },
      onDelete: (p) => this.podChanged(p, old(p)),
    });
    // Any node change may change where daemon pods belong: every DaemonSet takes a look.
    const allDaemonSets = (): void => {
      for (const ds of this.daemonSets.list()) enqueue(ds);
    };
    this.nodes = new Informer(world, client, 'nodes', { onAdd: allDaemonSets, onUpdate: (a, b) => (nodeMatters(a, b) ? allDaemonSets() : undefined), onDelete: allDaemonSets });
    // A pod already marked for deletion was counted as deleted when the mark arrived.
    function old(p: KubeObject): 'delete' | 'gone' {
      return p.metadata.deletionTimestamp === undefined ? 'delete' : 'gone';
    }
  }

  start(): void {
    this.queue.start();
    this.daemonSets.start();
    this.nodes.start();
    this.pods.start();
  }

  stop(): void {
    this.pods.stop();
    this.nodes.stop();
    this.daemonSets.stop();
    this.later.stop();
    this.queue.stop();
  }

  // ---------------------------------------------------------------- events

  private owner(pod: KubeObject): KubeObject | undefined {
    const ref = controllerRefOf(pod);
    if (ref?.kind !== 'DaemonSet') return undefined;
    const ds = this.daemonSets.get(`${pod.metadata.namespace ?? 'default'}/${ref.name}`);
    return ds?.metadata.uid === ref.uid ? ds : undefined;
  }

  private podChanged(pod: KubeObject, how: 'add' | 'update' | 'delete' | 'gone', old?: KubeObject): void {
    const ds = this.owner(pod);
    if (ds === undefined) {
      // An orphan: any DaemonSet selecting it may adopt it.
      if (how === 'add' || how === 'update') for (const d of this.daemonSets.list()) if (d.metadata.namespace === pod.metadata.namespace && selectorMatches(dsSpec(d).selector, pod.metadata.labels)) this.queue.add(objectKey(d));
      return;
    }
    const key = objectKey(ds);
    if (how === 'add') this.expectations.observeCreate(key);
    if (how === 'delete') this.expectations.observeDelete(key, objectKey(pod));
    this.queue.add(key);
    const minReady = dsSpec(ds).minReadySeconds ?? 0;
    if (old !== undefined && !isPodReady(old) && isPodReady(pod) && minReady > 0) this.later.add(key, minReady * 1000 + 1000);
  }

  // ---------------------------------------------------------------- sync

  private sync(key: string, done: Done): void {
    if (!this.daemonSets.synced || !this.pods.synced || !this.nodes.synced) {
      this.later.add(key, SYNC_POLL_MS);
      return done(true);
    }
    const ds = this.daemonSets.get(key);
    if (ds === undefined) {
      this.expectations.forget(key);
      return done(true);
    }
    const selector = dsSpec(ds).selector;
    if (selector !== undefined && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
      this.recorder.record(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return done(true);
    }
    if (ds.metadata.deletionTimestamp !== undefined) return done(true);
    const hash = daemonSetHash(ds);
    const candidates = this.pods.list().filter((p) => p.metadata.namespace === ds.metadata.namespace);
    const plan = planClaims(ds, candidates, (p) => selectorMatches(selector, p.metadata.labels));
    applyClaims(this.client, ds, plan, (pods) => {
      if (pods === undefined) return done(false);
      if (!this.expectations.satisfied(key)) return this.updateStatus(ds, pods, hash, false, done);
      this.manage(ds, pods, hash, (ok) => {
        const afterRollout = (rolled: boolean): void => this.updateStatus(ds, this.ownedPods(ds), hash, true, (statusOk) => done(ok && rolled && statusOk));
        if (!this.expectations.satisfied(key) || isOnDelete(ds)) return afterRollout(true);
        const victims = rollingUpdateDeletions(ds, this.nodes.list(), podsByNode(this.ownedPods(ds)), hash, this.world.now);
        this.syncNodes(ds, [], victims, hash, afterRollout);
      });
    });
  }

  /** The DaemonSet's pods in the cache (after claiming). */
  private ownedPods(ds: KubeObject): KubeObject[] {
    return this.pods.list().filter((p) => p.metadata.namespace === ds.metadata.namespace && controllerRefOf(p)?.uid === ds.metadata.uid);
  }

  /** manage: a pod for every node that needs one, none where none belongs; failed pods replaced with back-off. */
  private manage(ds: KubeObject, pods: readonly KubeObject[], hash: string, done: Done): void {
    const plan = planNodes(ds, this.nodes.list(), podsByNode(pods));
    const toDelete = [...plan.delete];
    for (const { pod, node } of plan.failed) {
      const bkey = `${objectKey(ds)}/${node}`;
      const b = this.failedBackoff.get(bkey);
      if (b !== undefined && this.world.now < b.until) {
        this.later.add(objectKey(ds), b.until - this.world.now);
        continue;
      }
      const delay = b === undefined ? FAILED_BACKOFF_MIN_MS : Math.min(b.delay * 2, FAILED_BACKOFF_MAX_MS);
      this.failedBackoff.set(bkey, { until: this.world.now + delay, delay });
      this.recorder.record(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} on node ${node}, will try to kill it`);
      toDelete.push(pod);
    }
    this.syncNodes(ds, plan.create, toDelete, hash, done);
  }

  /** syncNodes: creates (in slow-start batches) and deletes, with expectations set first. */
  private syncNodes(ds: KubeObject, create: readonly string[], del: readonly KubeObject[], hash: string, done: Done): void {
    const key = objectKey(ds);
    const nodes = create.slice(0, BURST_REPLICAS);
    if (nodes.length === 0 && del.length === 0) return done(true);
    this.expectations.expect(key, nodes.length, del.map(objectKey));
    let ok = true;
    const deleteAll = (): void => {
      let pending = del.length;
      if (pending === 0) return done(ok);
      for (const pod of del) {
        const name = pod.metadata.name ?? '';
        this.client.request({ verb: 'delete', resource: 'pods', namespace: pod.metadata.namespace ?? 'default', name }, (r) => {
          if (answered(r) !== undefined) this.recorder.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
          else {
            this.expectations.observeDelete(key, objectKey(pod));
            if (!notFound(r)) {
              this.recorder.record(ds, 'Warning', 'FailedDelete', `Error deleting: ${errorText(r)}`);
              ok = false;
            }
          }
          if (--pending === 0) done(ok);
        });
      }
    };
    // Slow start: batches of 1, 2, 4, …; a failed batch ends the creating (the rest is not expected).
    const batch = (from: number, size: number): void => {
      if (from >= nodes.length) return deleteAll();
      const slice = nodes.slice(from, from + size);
      let pending = slice.length;
      let failed = false;
      for (const node of slice) {
        const body = daemonPodFor(ds, node, hash);
        this.client.request({ verb: 'create', namespace: body.metadata.namespace ?? 'default', body }, (r) => {
          const pod = answered(r);
          if (pod !== undefined) this.recorder.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`);
          else {
            this.expectations.observeCreate(key);
            this.recorder.record(ds, 'Warning', 'FailedCreate', `Error creating: ${errorText(r)}`);
            failed = true;
          }
          if (--pending > 0) return;
          if (!failed) return batch(from + size, size * 2);
          ok = false;
          for (let i = from + size; i < nodes.length; i++) this.expectations.observeCreate(key);
          deleteAll();
        });
      }
    };
    batch(0, 1);
  }

  /** updateDaemonSetStatus: counts, and observedGeneration when this sync acted on the spec. */
  private updateStatus(ds: KubeObject, pods: readonly KubeObject[], hash: string, observe: boolean, done: Done): void {
    const counts = daemonSetStatus(ds, this.nodes.list(), podsByNode(pods), hash, this.world.now);
    const minReady = dsSpec(ds).minReadySeconds ?? 0;
    if (minReady > 0 && counts.numberReady !== (counts.numberAvailable ?? 0)) this.later.add(objectKey(ds), minReady * 1000);
    if (!daemonSetStatusChanged(ds, counts, observe)) return done(true);
    const cur = (ds.status ?? {}) as Partial<DaemonSetStatus>;
    const generation = observe ? ds.metadata.generation : cur.observedGeneration;
    const status: DaemonSetStatus = {
      ...counts,
      ...(generation ? { observedGeneration: generation } : {}),
      ...(cur.collisionCount === undefined ? {} : { collisionCount: cur.collisionCount }),
    };
    const namespace = ds.metadata.namespace ?? 'default';
    const write = (current: KubeObject, retries: number): void => {
      this.client.request({ verb: 'update', subresource: 'status', namespace, body: { ...current, status } }, (r) => {
        if (answered(r) !== undefined) return done(true);
        if (retries === 0) return done(false);
        this.client.request({ verb: 'get', resource: 'daemonsets', namespace, name: ds.metadata.name ?? '' }, (g) => {
          const fresh = answered(g);
          if (fresh === undefined) return done(false);
          write(fresh, retries - 1);
        });
      });
    };
    write(ds, 1);
  }
}

/** Node changes that can move daemon pods: labels, taints, readiness aside (the taints follow it). */
function nodeMatters(a: KubeObject, b: KubeObject): boolean {
  const taints = (n: KubeObject): string => JSON.stringify((n.spec as { taints?: unknown } | undefined)?.taints ?? []);
  return JSON.stringify(a.metadata.labels ?? {}) !== JSON.stringify(b.metadata.labels ?? {}) || taints(a) !== taints(b) || (a.spec as { unschedulable?: boolean } | undefined)?.unschedulable !== (b.spec as { unschedulable?: boolean } | undefined)?.unschedulable;
}
