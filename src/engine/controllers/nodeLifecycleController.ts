import type { ApiCallResult, ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import { Informer, objectKey } from '../client/informer';
import type { EventRecorder } from '../client/eventRecorder';
import type { ScheduledEvent } from '../eventQueue';
import { parseRfc3339, rfc3339 } from '../virtualTime';
import type { World } from '../world';
import {
  computeZoneState,
  conditionsOf,
  findCondition,
  NODE_LIFECYCLE_DEFAULTS,
  NOT_READY_NO_EXECUTE,
  nodeNameOf,
  noScheduleDiff,
  observeNodeHealth,
  podNotReadyConditions,
  RateLimitedTimedQueue,
  silencedConditions,
  swapTaints,
  taintExists,
  taintsOf,
  UNREACHABLE_NO_EXECUTE,
  zoneKey,
  zoneName,
  zoneTaintRate,
  type Condition,
  type NodeHealth,
  type NodeLifecycleTimings,
  type Taint,
  type ZoneState,
} from './nodeLifecycleUtil';
import { inSequence } from './sequence';
import { WorkQueue } from './workQueue';

export interface NodeLifecycleOptions extends Partial<NodeLifecycleTimings> {
  /** Where the controller's log lines go (kube-controller-manager's klog), with their key/values. */
  log?: (message: string, fields?: Readonly<Record<string, string>>) => void;
}

/** How often the controller looks again for synced caches (client-go's WaitForCacheSync). */
const SYNC_POLL_MS = 100;
/** Attempts at writing a node's status (re-reading it in between), within 100 ms, before skipping it this pass. */
const NODE_HEALTH_UPDATE_RETRY = 5;
const NODE_HEALTH_UPDATE_WINDOW_MS = 100;
/** Attempts at a taint patch that keeps losing to other writers (UpdateTaintBackoff). */
const TAINT_UPDATE_RETRY = 5;
/** A tainting attempt on a node with no Ready condition yet is retried this much later. */
const NO_CONDITION_RETRY_MS = 50;
/** Nodes carrying this label never count towards a zone's disruption state. */
const EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption';

type Done = (ok: boolean) => void;
type ZoneReady = Map<string, (string | undefined)[]>;
interface Updated {
  node: KubeObject;
  /** The Ready condition as the pass found it (a stand-in Unknown one when the kubelet never posted). */
  observed: Condition;
  /** The Ready condition after the pass (undefined: still none, the startup grace period runs). */
  current: Condition | undefined;
}

const succeeded = (r: ApiCallResult): boolean => r.ok && r.result.ok;
const notFound = (r: ApiCallResult): boolean => r.ok && !r.result.ok && r.result.status.code === 404;
const conflict = (r: ApiCallResult): boolean => r.ok && !r.result.ok && r.result.status.code === 409;
const nameOf = (o: KubeObject): string => o.metadata.name ?? '';
/** The object reference Kubernetes records node events against (no resourceVersion). */
const nodeRef = (n: KubeObject): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: nameOf(n), uid: n.metadata.uid ?? '' } });

/**
 * kube-controller-manager's node lifecycle controller (v1.31). Every nodeMonitorPeriod it looks
 * at each node's heartbeats (its Ready condition's lastHeartbeatTime and its Lease in
 * kube-node-lease), timed by its own clock; a node silent for the grace period gets its
 * conditions set Unknown ("Kubelet stopped posting node status.") and its pods marked not ready.
 * Not-ready and unreachable nodes are tainted NoExecute through a rate-limited queue per zone
 * (the taint eviction controller then evicts their pods), and untainted when Ready again; when
 * every zone is fully disrupted it assumes the problem is its own and stops tainting.
 * It also keeps each node's NoSchedule condition taints and the unschedulable (cordon) taint.
 */
export class NodeLifecycleController {
  private readonly t: NodeLifecycleTimings;
  private readonly nodes: Informer;
  private readonly leases: Informer;
  private readonly pods: Informer;
  private readonly noScheduleQueue: WorkQueue;
  private readonly podQueue: WorkQueue;
  private readonly known = new Map<string, KubeObject>();
  private readonly health = new Map<string, NodeHealth>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly tainters = new Map<string, RateLimitedTimedQueue>();
  /** Nodes whose pods could not all be marked not ready (nodesToRetry). */
  private readonly retryPods = new Set<string>();
  private monitorTimer: ScheduledEvent | undefined;
  private taintTimer: ScheduledEvent | undefined;
  private taintBusy = false;
  private running = false;

  constructor(
    private readonly world: World,
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
    private readonly options: NodeLifecycleOptions = {},
  ) {
    const { log: _log, ...timings } = options;
    this.t = { ...NODE_LIFECYCLE_DEFAULTS, ...timings };
    this.noScheduleQueue = new WorkQueue(world, 'node_lifecycle_controller', (name, done) => this.syncNoSchedule(name, done));
    this.podQueue = new WorkQueue(world, 'node_lifecycle_controller_pods', (key, done) => this.syncPod(key, done));
    const nodeChanged = (n: KubeObject): void => this.noScheduleQueue.add(nameOf(n));
    this.nodes = new Informer(world, client, 'nodes', { onAdd: nodeChanged, onUpdate: (_old, n) => nodeChanged(n) });
    this.leases = new Informer(world, client, 'leases', {}, { namespace: 'kube-node-lease' });
    // Only pods newly assigned to a node need a look of their own; the monitor pass covers the rest.
    const podAssigned = (old: KubeObject | undefined, p: KubeObject): void => {
      if (nodeNameOf(p) !== '' && (old === undefined || nodeNameOf(old) !== nodeNameOf(p))) this.podQueue.add(objectKey(p));
    };
    this.pods = new Informer(world, client, 'pods', { onAdd: (p) => podAssigned(undefined, p), onUpdate: podAssigned });
  }

  start(): void {
    this.running = true;
    this.noScheduleQueue.start();
    this.podQueue.start();
    for (const i of [this.nodes, this.leases, this.pods]) i.start();
    this.scheduleMonitor(0);
  }

  stop(): void {
    this.running = false;
    for (const i of [this.nodes, this.leases, this.pods]) i.stop();
    this.noScheduleQueue.stop();
    this.podQueue.stop();
    for (const timer of [this.monitorTimer, this.taintTimer]) if (timer) this.world.cancel(timer);
    this.monitorTimer = undefined;
    this.taintTimer = undefined;
  }

  private log(message: string, fields?: Record<string, string>): void {
    this.options.log?.(message, fields);
  }

  // ---------------------------------------------------------------- the monitor pass

  private scheduleMonitor(delayMs: number): void {
    if (!this.running) return;
    this.monitorTimer = this.world.schedule(delayMs, 'node-lifecycle monitor', () => {
      this.monitorTimer = undefined;
      if (!this.nodes.synced || !this.leases.synced || !this.pods.synced) return this.scheduleMonitor(SYNC_POLL_MS);
      // The period runs from the end of a pass, as wait.Until's does.
      this.monitorNodeHealth(() => this.scheduleMonitor(this.t.nodeMonitorPeriodMs));
    });
  }

  private monitorNodeHealth(done: () => void): void {
    const nodes = this.nodes.list();
    this.classifyNodes(nodes, () => {
      if (!this.running) return;
      const zoneReady: ZoneReady = new Map();
      let pending = nodes.length;
      const finished = (): void => {
        if (--pending > 0 || !this.running) return;
        this.handleDisruption(zoneReady, nodes, done);
      };
      if (pending === 0) return this.handleDisruption(zoneReady, nodes, done);
      // Nodes are looked at in parallel, as the real controller's workers do.
      for (const node of nodes) {
        this.updateNode(node, (entry) => {
          if (entry !== undefined) zoneReady.set(entry.zone, [...(zoneReady.get(entry.zone) ?? []), entry.status]);
          finished();
        });
      }
    });
  }

  /** New nodes are registered (and their NoExecute taints cleared); vanished ones forgotten. */
  private classifyNodes(nodes: readonly KubeObject[], done: () => void): void {
    const present = new Set(nodes.map(nameOf));
    for (const n of nodes) if (this.known.has(nameOf(n)) && !this.zoneStates.has(zoneKey(n.metadata.labels))) this.addZone(n);
    const added = nodes.filter((n) => !this.known.has(nameOf(n)));
    inSequence(
      added,
      (n, next) => {
        this.recorder.record(nodeRef(n), 'Normal', 'RegisteredNode', `Node ${nameOf(n)} event: Registered Node ${nameOf(n)} in Controller`);
        this.known.set(nameOf(n), n);
        this.addZone(n);
        this.markNodeAsReachable(n, () => next());
      },
      () => {
        for (const [name, n] of [...this.known].filter(([name]) => !present.has(name))) {
          this.recorder.record(nodeRef(n), 'Normal', 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`);
          this.known.delete(name);
        }
        done();
      },
    );
  }

  private addZone(node: KubeObject): void {
    const zone = zoneKey(node.metadata.labels);
    if (this.zoneStates.has(zone)) return;
    this.zoneStates.set(zone, 'Initial');
    this.tainters.set(zone, new RateLimitedTimedQueue(this.t.evictionRate, this.world.now));
    this.log('Initializing eviction metric for zone', { zone: zoneName(zone) });
  }

  /** One node's pass: its health, its zone entry, its NoExecute taint, its pods' readiness. */
  private updateNode(node: KubeObject, done: (entry: { zone: string; status: string | undefined } | undefined) => void): void {
    this.tryUpdateNodeHealth(node, 1, this.world.now + NODE_HEALTH_UPDATE_WINDOW_MS, (u) => {
      if (u === undefined || !this.running) return done(undefined);
      const name = nameOf(u.node);
      const excluded = u.node.metadata.labels?.[EXCLUDE_DISRUPTION] !== undefined;
      const entry = excluded ? undefined : { zone: zoneKey(u.node.metadata.labels), status: u.current?.status };
      const current = u.current;
      if (current === undefined) return done(entry);
      this.processTaintBaseEviction(u.node, u.observed, () => {
        const needsRetry = this.retryPods.has(name);
        const becameNotReady = current.status !== 'True' && u.observed.status === 'True';
        if (becameNotReady) this.recorder.record(nodeRef(u.node), 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
        if (!becameNotReady && !(needsRetry && u.observed.status !== 'True')) {
          this.retryPods.delete(name);
          return done(entry);
        }
        this.markPodsNotReady(this.podsOn(name), name, (ok) => {
          if (ok) this.retryPods.delete(name);
          else this.retryPods.add(name);
          done(entry);
        });
      });
    });
  }

  /**
   * Takes in the node's heartbeats and, past the grace period, writes its conditions Unknown.
   * A refused write is retried on a fresh copy of the node; after a few the node is skipped this pass.
   */
  private tryUpdateNodeHealth(node: KubeObject, attempt: number, deadline: number, done: (u: Updated | undefined) => void): void {
    const name = nameOf(node);
    const conditions = conditionsOf(node);
    const ready = findCondition(conditions, 'Ready');
    const created = node.metadata.creationTimestamp;
    const observed: Condition = ready ?? { type: 'Ready', status: 'Unknown', ...(created === undefined ? {} : { lastHeartbeatTime: created, lastTransitionTime: created }) };
    const renewTime = (this.leases.get(`kube-node-lease/${name}`)?.spec as { renewTime?: string } | undefined)?.renewTime;
    const leaseRenewMs = renewTime === undefined ? undefined : parseRfc3339(renewTime);
    const now = this.world.now;
    const seen = observeNodeHealth(this.health.get(name), ready, created === undefined ? now : (parseRfc3339(created) ?? now), leaseRenewMs, now, this.t);
    this.health.set(name, seen.health);
    if (!seen.expired) return done({ node, observed, current: ready });
    const silenced = silencedConditions(conditions, rfc3339(now), created);
    const current = findCondition(silenced, 'Ready');
    if (JSON.stringify(current) === JSON.stringify(observed)) return done({ node, observed, current });
    const body: KubeObject = { ...node, status: { ...(node.status as object), conditions: silenced } };
    this.client.request({ verb: 'update', resource: 'nodes', name, subresource: 'status', body }, (r) => {
      if (!this.running) return done(undefined);
      if (r.ok && r.result.ok) {
        this.health.set(name, { ...seen.health, ready: current, readyTransitionMs: this.world.now, leaseRenewMs });
        return done({ node: r.result.value as KubeObject, observed, current });
      }
      if (notFound(r) || attempt >= NODE_HEALTH_UPDATE_RETRY || this.world.now >= deadline) {
        this.log('Update health of Node from Controller error, Skipping - no pods will be evicted', { node: name });
        return done(undefined);
      }
      this.client.request({ verb: 'get', resource: 'nodes', name }, (g) => {
        if (!g.ok || !g.result.ok || !this.running) return done(undefined);
        this.tryUpdateNodeHealth(g.result.value as KubeObject, attempt + 1, deadline, done);
      });
    });
  }

  /** NoExecute taints follow the Ready condition the pass found: queued (rate-limited) or swapped at once. */
  private processTaintBaseEviction(node: KubeObject, observed: Condition, done: () => void): void {
    const taints = taintsOf(node);
    const name = nameOf(node);
    if (observed.status === 'False' || observed.status === 'Unknown') {
      const [wanted, opposite] = observed.status === 'False' ? [NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE] : [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE];
      // Already tainted the other way: the node has been evicting for a while, swap without waiting.
      if (taintExists(taints, opposite)) return this.patchTaints(name, [wanted], [opposite], () => done());
      this.markNodeForTainting(node, wanted);
      return done();
    }
    if (observed.status === 'True') return this.markNodeAsReachable(node, () => done());
    done();
  }

  private markNodeForTainting(node: KubeObject, wanted: Taint): void {
    const zone = zoneKey(node.metadata.labels);
    if (!this.tainters.has(zone)) this.addZone(node);
    const queue = this.tainters.get(zone) as RateLimitedTimedQueue;
    if (!taintExists(taintsOf(node), wanted)) queue.remove(nameOf(node));
    if (queue.add(nameOf(node), node.metadata.uid ?? '', this.world.now)) this.kickTainting();
  }

  /** Removes both NoExecute taints (if the node has one) and takes the node off its zone's queue. */
  private markNodeAsReachable(node: KubeObject, done: Done): void {
    const forget = (): void => {
      this.tainters.get(zoneKey(node.metadata.labels))?.remove(nameOf(node));
    };
    const taints = taintsOf(node);
    if (!taintExists(taints, UNREACHABLE_NO_EXECUTE) && !taintExists(taints, NOT_READY_NO_EXECUTE)) {
      forget();
      return done(true);
    }
    this.patchTaints(nameOf(node), [], [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE], (ok) => {
      if (ok) forget();
      done(ok);
    });
  }

  /** The Ready condition of each pod on the node set False (so endpoints drop them), with a NodeNotReady event. */
  private markPodsNotReady(pods: readonly KubeObject[], nodeName: string, done: Done): void {
    let failed = false;
    inSequence(
      pods.filter((p) => nodeNameOf(p) === nodeName),
      (pod, next) => {
        const conditions = podNotReadyConditions(conditionsOf(pod), rfc3339(this.world.now));
        if (conditions === undefined || !this.running) return next();
        const body: KubeObject = { ...pod, status: { ...(pod.status as object), conditions } };
        this.client.request({ verb: 'update', resource: 'pods', namespace: pod.metadata.namespace ?? 'default', name: nameOf(pod), subresource: 'status', body }, (r) => {
          if (notFound(r)) return next();
          if (!succeeded(r)) failed = true;
          this.recorder.record(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
          next();
        });
      },
      () => done(!failed),
    );
  }

  private podsOn(nodeName: string): KubeObject[] {
    return this.pods.list().filter((p) => nodeNameOf(p) === nodeName);
  }

  // ---------------------------------------------------------------- zones

  private handleDisruption(zoneReady: ZoneReady, nodes: readonly KubeObject[], done: () => void): void {
    const zones = [...zoneReady.keys()].sort();
    const newStates = new Map<string, ZoneState>();
    for (const zone of zones) {
      newStates.set(zone, computeZoneState(zoneReady.get(zone) ?? [], this.t.unhealthyZoneThreshold).state);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, 'Initial');
    }
    for (const zone of [...this.zoneStates.keys()]) if (!zoneReady.has(zone)) this.zoneStates.delete(zone);
    const allAre = [...newStates.values()].every((s) => s === 'FullDisruption');
    const allWere = [...this.zoneStates.values()].every((s) => s === 'FullDisruption');
    if (allAre && allWere) return done();
    const known = [...this.zoneStates.keys()].sort();
    if (allAre) {
      this.log('Controller detected that all Nodes are not-Ready. Entering master disruption mode');
      for (const zone of known) {
        this.tainters.get(zone)?.swapRate(0, this.world.now);
        this.zoneStates.set(zone, 'FullDisruption');
      }
      return inSequence(nodes, (n, next) => this.markNodeAsReachable(n, () => next()), done);
    }
    if (allWere) {
      this.log('Controller detected that some Nodes are Ready. Exiting master disruption mode');
      // Every node gets a fresh grace period: their silence was the control plane's, not theirs.
      for (const n of nodes) {
        const h = this.health.get(nameOf(n));
        if (h !== undefined) this.health.set(nameOf(n), { ...h, probeMs: this.world.now, readyTransitionMs: this.world.now });
      }
    }
    for (const zone of known) {
      const state = newStates.get(zone) ?? 'Normal';
      if (!allWere && this.zoneStates.get(zone) === state) continue;
      if (!allWere) this.log('Controller detected that zone is now in new state', { zone: zoneName(zone), newState: state });
      const qps = state === 'FullDisruption' ? this.t.evictionRate : zoneTaintRate(state, zoneReady.get(zone)?.length ?? 0, this.t);
      this.tainters.get(zone)?.swapRate(qps, this.world.now);
      this.zoneStates.set(zone, state);
    }
    this.kickTainting();
    done();
  }

  // ---------------------------------------------------------------- the NoExecute tainting pass

  /** Wakes the tainting pass when some zone could taint next (a token and a due node). */
  private kickTainting(): void {
    if (!this.running || this.taintBusy) return;
    const now = this.world.now;
    let at = Infinity;
    for (const q of this.tainters.values()) {
      const head = q.head();
      if (head !== undefined) at = Math.min(at, Math.max(head.processAt, q.limiter.nextTokenAt(now), now));
    }
    if (at === Infinity) return;
    if (this.taintTimer !== undefined) {
      if (this.taintTimer.time <= at) return;
      this.world.cancel(this.taintTimer);
    }
    this.taintTimer = this.world.at(at, 'node-lifecycle taint pass', () => {
      this.taintTimer = undefined;
      this.taintBusy = true;
      const zones = [...this.tainters.keys()].sort();
      inSequence(
        zones,
        (zone, next) => this.taintZone(this.tainters.get(zone) as RateLimitedTimedQueue, next),
        () => {
          this.taintBusy = false;
          this.kickTainting();
        },
      );
    });
  }

  /** Taints the zone's due nodes while its rate limiter allows, one write at a time. */
  private taintZone(queue: RateLimitedTimedQueue, done: () => void): void {
    const now = this.world.now;
    const head = queue.head();
    if (!this.running || head === undefined || !queue.limiter.tryAccept(now) || now < head.processAt) return done();
    const again = (): void => this.taintZone(queue, done);
    const node = this.nodes.get(head.value);
    if (node === undefined) {
      queue.done(head.value);
      return again();
    }
    const ready = findCondition(conditionsOf(node), 'Ready');
    if (ready === undefined) {
      queue.retryAt(head.value, now + NO_CONDITION_RETRY_MS);
      return again();
    }
    if (ready.status !== 'False' && ready.status !== 'Unknown') {
      queue.done(head.value);
      return again();
    }
    const [add, remove] = ready.status === 'False' ? [NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE] : [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE];
    this.patchTaints(head.value, [add], [remove], (ok) => {
      if (ok) queue.done(head.value);
      else queue.retryAt(head.value, this.world.now);
      again();
    });
  }

  // ---------------------------------------------------------------- NoSchedule taints and pods

  /** doNoScheduleTaintingPass: NoSchedule taints for the node's conditions and for spec.unschedulable. */
  private syncNoSchedule(name: string, done: Done): void {
    const node = this.nodes.get(name);
    if (node === undefined) return done(true);
    const { add, remove } = noScheduleDiff(conditionsOf(node), (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true, taintsOf(node));
    if (add.length === 0 && remove.length === 0) return done(true);
    this.patchTaints(name, add, remove, done);
  }

  /** A pod newly bound to a node the controller knows as not ready is marked not ready at once. */
  private syncPod(key: string, done: Done): void {
    const pod = this.pods.get(key);
    if (pod === undefined) return done(true);
    const nodeName = nodeNameOf(pod);
    const ready = this.health.get(nodeName)?.ready;
    if (!this.health.has(nodeName)) return done(true);
    if (this.nodes.get(nodeName) === undefined) return done(false);
    if (ready === undefined || ready.status === 'True') return done(true);
    this.markPodsNotReady([pod], nodeName, done);
  }

  /**
   * Adds and removes taints on a node, read fresh and written back with its resourceVersion
   * (a conflict means someone else wrote first: read again). A node that is gone needs nothing.
   */
  private patchTaints(name: string, add: readonly Taint[], remove: readonly Taint[], done: Done): void {
    const attempt = (n: number): void => {
      this.client.request({ verb: 'get', resource: 'nodes', name }, (g) => {
        if (notFound(g)) return done(true);
        if (!g.ok || !g.result.ok || !this.running) return done(false);
        const node = g.result.value as KubeObject;
        const taints = swapTaints(taintsOf(node), add, remove, rfc3339(this.world.now));
        if (taints === undefined) return done(true);
        const patch = JSON.stringify({ metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { taints: taints.length === 0 ? null : taints } });
        this.client.request({ verb: 'patch', resource: 'nodes', name, patchType: 'merge', patch }, (r) => {
          if (conflict(r) && n < TAINT_UPDATE_RETRY && this.running) return attempt(n + 1);
          done(succeeded(r) || notFound(r));
        });
      });
    };
    attempt(1);
  }
}
