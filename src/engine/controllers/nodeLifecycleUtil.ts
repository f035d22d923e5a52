/**
 * The pure parts of kube-controller-manager's node lifecycle and taint eviction controllers
 * (pkg/controller/nodelifecycle, pkg/controller/tainteviction, pkg/util/taints in v1.31): taint
 * and toleration arithmetic, the health a controller infers from heartbeats, zone states and the
 * rate-limited queue that spaces out NoExecute taints. Times are virtual milliseconds.
 */

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface Condition {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const NOT_READY_NO_EXECUTE: Taint = { key: TAINT_NOT_READY, effect: 'NoExecute' };
export const UNREACHABLE_NO_EXECUTE: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute' };

/** Which condition status earns which taint key (the NoSchedule pass uses all of them). */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
const CONDITION_TAINT_KEYS = new Set(Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)));

/** kube-controller-manager v1.32 defaults (--node-monitor-period, --node-monitor-grace-period, …). */
export interface NodeLifecycleTimings {
  nodeMonitorPeriodMs: number;
  /** 50 s since v1.32 (40 s before). */
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
  /** Nodes per second tainted NoExecute in a healthy zone (--node-eviction-rate). */
  evictionRate: number;
  secondaryEvictionRate: number;
  largeClusterSizeThreshold: number;
  unhealthyZoneThreshold: number;
}

export const NODE_LIFECYCLE_DEFAULTS: NodeLifecycleTimings = {
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 50_000,
  nodeStartupGracePeriodMs: 60_000,
  evictionRate: 0.1,
  secondaryEvictionRate: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};

// ---------------------------------------------------------------- taints and tolerations

/** Same key and effect: how Kubernetes decides two taints are "the same taint". */
export const matchTaint = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;

export const taintExists = (taints: readonly Taint[], t: Taint): boolean => taints.some((x) => matchTaint(x, t));

export const noExecuteTaints = (taints: readonly Taint[]): Taint[] => taints.filter((t) => t.effect === 'NoExecute');

const sameTaint = (a: Taint, b: Taint): boolean => matchTaint(a, b) && (a.value ?? '') === (b.value ?? '') && a.timeAdded === b.timeAdded;

/** Equal lists of taints, field for field (what the taint eviction controller compares). */
export const sameTaints = (a: readonly Taint[], b: readonly Taint[]): boolean => a.length === b.length && a.every((t, i) => sameTaint(t, b[i] as Taint));

/**
 * Adds taints (stamped with timeAdded) and removes others, as SwapNodeControllerTaint does: a
 * taint already there with another value or time is replaced in place, a new one appended.
 * Returns undefined when nothing changes.
 */
export function swapTaints(current: readonly Taint[], add: readonly Taint[], remove: readonly Taint[], timeAdded: string): Taint[] | undefined {
  let next = [...current];
  let changed = false;
  for (const t of add) {
    const stamped: Taint = { ...t, timeAdded };
    const i = next.findIndex((x) => matchTaint(x, t));
    if (i < 0) next.push(stamped);
    else if (!sameTaint(next[i] as Taint, stamped)) next[i] = stamped;
    else continue;
    changed = true;
  }
  for (const t of remove) {
    if (!taintExists(next, t)) continue;
    next = next.filter((x) => !matchTaint(x, t));
    changed = true;
  }
  return changed ? next : undefined;
}

/** The NoSchedule taints a node's conditions and spec.unschedulable call for. */
export function wantedNoScheduleTaints(conditions: readonly Condition[], unschedulable: boolean): Taint[] {
  const out: Taint[] = [];
  for (const c of conditions) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key !== undefined) out.push({ key, effect: 'NoSchedule' });
  }
  if (unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  return out;
}

/** The NoSchedule taints this controller owns on a node, to add and to remove. */
export function noScheduleDiff(conditions: readonly Condition[], unschedulable: boolean, taints: readonly Taint[]): { add: Taint[]; remove: Taint[] } {
  const wanted = wantedNoScheduleTaints(conditions, unschedulable);
  const owned = taints.filter((t) => t.effect === 'NoSchedule' && (t.key === TAINT_UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(t.key)));
  return { add: wanted.filter((t) => !taintExists(owned, t)), remove: owned.filter((t) => !taintExists(wanted, t)) };
}

/** Toleration.ToleratesTaint: an empty effect or key matches any; the operator defaults to Equal. */
export function toleratesTaint(tol: Toleration, taint: Taint): boolean {
  if ((tol.effect ?? '') !== '' && tol.effect !== taint.effect) return false;
  if ((tol.key ?? '') !== '' && tol.key !== taint.key) return false;
  const op = tol.operator ?? '';
  if (op === '' || op === 'Equal') return (tol.value ?? '') === (taint.value ?? '');
  return op === 'Exists';
}

/** For each taint, the first toleration that tolerates it; undefined when some taint is not tolerated. */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[]): Toleration[] | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const tol = tolerations.find((t) => toleratesTaint(t, taint));
    if (tol === undefined) return undefined;
    used.push(tol);
  }
  return used;
}

/**
 * How long after the taint controller notices a pod's NoExecute taints it deletes the pod:
 * 0 if some taint is not tolerated (or a toleration allows ≤ 0 s), the smallest
 * tolerationSeconds otherwise, Infinity if every matching toleration is forever.
 */
export function evictionDelayMs(taints: readonly Taint[], tolerations: readonly Toleration[]): number {
  const used = matchingTolerations(taints, tolerations);
  if (used === undefined || used.length === 0) return 0;
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds * 1000);
  }
  return min;
}

// ---------------------------------------------------------------- conditions

export const findCondition = (conditions: readonly Condition[], type: string): Condition | undefined => conditions.find((c) => c.type === type);

/** The conditions the controller turns Unknown when the kubelet has gone quiet (NetworkUnavailable is left alone). */
const SILENCED = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/**
 * What the controller writes when a node's grace period has run out: every kubelet condition
 * Unknown ("Kubelet stopped posting node status."), or added as Unknown when the kubelet never
 * posted it. A condition already Unknown is left as it is.
 */
export function silencedConditions(conditions: readonly Condition[], nowIso: string, creationTimestamp: string | undefined): Condition[] {
  const out = conditions.map((c) => ({ ...c }));
  for (const type of SILENCED) {
    const c = out.find((x) => x.type === type);
    if (c === undefined) {
      out.push({
        type,
        status: 'Unknown',
        ...(creationTimestamp === undefined ? {} : { lastHeartbeatTime: creationTimestamp }),
        lastTransitionTime: nowIso,
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
      });
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: nowIso });
    }
  }
  return out;
}

const sameCondition = (a: Condition, b: Condition): boolean =>
  a.status === b.status && a.reason === b.reason && a.message === b.message && (a.lastProbeTime ?? null) === (b.lastProbeTime ?? null) && a.lastTransitionTime === b.lastTransitionTime;

/**
 * UpdatePodCondition: sets a condition (new transition time only when its status changes) and
 * returns the new list, or undefined if nothing changed.
 */
export function setPodCondition(conditions: readonly Condition[], wanted: Omit<Condition, 'lastTransitionTime'>, nowIso: string): Condition[] | undefined {
  const i = conditions.findIndex((c) => c.type === wanted.type);
  const old = conditions[i];
  const next: Condition = { ...wanted, lastTransitionTime: old !== undefined && old.status === wanted.status ? (old.lastTransitionTime ?? nowIso) : nowIso };
  if (old !== undefined && sameCondition(old, next)) return undefined;
  return old === undefined ? [...conditions, next] : conditions.map((c, j) => (j === i ? next : c));
}

/** MarkPodsNotReady for one pod: its Ready condition False; undefined when it has none or it is False already. */
export function podNotReadyConditions(conditions: readonly Condition[], nowIso: string): Condition[] | undefined {
  const ready = findCondition(conditions, 'Ready');
  if (ready === undefined) return undefined;
  return setPodCondition(conditions, { ...ready, status: 'False' }, nowIso);
}

/** The condition the taint eviction controller puts on a pod just before deleting it. */
export const TAINT_DISRUPTION_CONDITION = {
  type: 'DisruptionTarget',
  status: 'True',
  reason: 'DeletionByTaintManager',
  message: 'Taint manager: deleting due to NoExecute taint',
} as const;

// ---------------------------------------------------------------- node health

/** What the controller remembers of a node: when it last heard from it, by its own clock. */
export interface NodeHealth {
  probeMs: number;
  readyTransitionMs: number;
  /** The Ready condition of the status last taken in (undefined: the kubelet never posted one). */
  ready: Condition | undefined;
  /** The Lease renewTime last taken in, in ms. */
  leaseRenewMs: number | undefined;
}

export interface HealthObservation {
  health: NodeHealth;
  /** The grace period that applies: the startup one until the kubelet has posted a Ready condition. */
  gracePeriodMs: number;
  /** The heartbeats are older than the grace period: the conditions must go Unknown. */
  expired: boolean;
}

/**
 * tryUpdateNodeHealth's bookkeeping: a new heartbeat (Ready's lastHeartbeatTime changed) or a
 * renewed Lease moves the probe time to now, the controller's now, never the kubelet's clock.
 * A node first seen with no status counts from its creation; one first seen with a status, from now.
 */
export function observeNodeHealth(
  prev: NodeHealth | undefined,
  ready: Condition | undefined,
  creationMs: number,
  leaseRenewMs: number | undefined,
  now: number,
  timings: Pick<NodeLifecycleTimings, 'nodeMonitorGracePeriodMs' | 'nodeStartupGracePeriodMs'>,
): HealthObservation {
  let health: NodeHealth;
  const savedLease = prev?.leaseRenewMs;
  if (ready === undefined) {
    health = prev === undefined ? { probeMs: creationMs, readyTransitionMs: creationMs, ready: undefined, leaseRenewMs: undefined } : { ...prev, ready: undefined };
  } else if (prev === undefined || prev.ready === undefined) {
    health = { probeMs: now, readyTransitionMs: now, ready, leaseRenewMs: undefined };
  } else if (prev.ready.lastHeartbeatTime !== ready.lastHeartbeatTime) {
    const transitioned = prev.ready.lastTransitionTime !== ready.lastTransitionTime;
    // As in Kubernetes, taking in a new status forgets the saved Lease (its next look counts it as renewed).
    health = { probeMs: now, readyTransitionMs: transitioned ? now : prev.readyTransitionMs, ready, leaseRenewMs: undefined };
  } else health = { ...prev };
  if (leaseRenewMs !== undefined && (savedLease === undefined || savedLease < leaseRenewMs)) {
    health.leaseRenewMs = leaseRenewMs;
    health.probeMs = now;
  }
  const gracePeriodMs = ready === undefined ? timings.nodeStartupGracePeriodMs : timings.nodeMonitorGracePeriodMs;
  return { health, gracePeriodMs, expired: now > health.probeMs + gracePeriodMs };
}

// ---------------------------------------------------------------- zones

export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** nodetopology.GetZoneKey: region and zone (beta labels first), "" for a node without either. */
export function zoneKey(labels: Readonly<Record<string, string>> | undefined): string {
  const l = labels ?? {};
  const zone = l['failure-domain.beta.kubernetes.io/zone'] ?? l['topology.kubernetes.io/zone'] ?? '';
  const region = l['failure-domain.beta.kubernetes.io/region'] ?? l['topology.kubernetes.io/region'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\u0000:${zone}`;
}

/** The zone part of a zone key, for messages. */
export const zoneName = (key: string): string => key.slice(key.lastIndexOf(':') + 1);

/**
 * ComputeZoneState over the Ready statuses of a zone's nodes (undefined: no Ready condition):
 * no node ready is a full disruption; more than two not ready and at least the threshold's
 * share of them, a partial one.
 */
export function computeZoneState(readyStatuses: readonly (string | undefined)[], unhealthyZoneThreshold: number): { unhealthy: number; state: ZoneState } {
  const ready = readyStatuses.filter((s) => s === 'True').length;
  const unhealthy = readyStatuses.length - ready;
  if (ready === 0 && unhealthy > 0) return { unhealthy, state: 'FullDisruption' };
  if (unhealthy > 2 && unhealthy / readyStatuses.length >= unhealthyZoneThreshold) return { unhealthy, state: 'PartialDisruption' };
  return { unhealthy, state: 'Normal' };
}

/** The tainting rate of a zone in a state: slower (or none, in a small zone) when partly disrupted. */
export function zoneTaintRate(state: ZoneState, zoneSize: number, t: Pick<NodeLifecycleTimings, 'evictionRate' | 'secondaryEvictionRate' | 'largeClusterSizeThreshold'>): number {
  if (state === 'PartialDisruption') return zoneSize > t.largeClusterSizeThreshold ? t.secondaryEvictionRate : 0;
  return t.evictionRate;
}

// ---------------------------------------------------------------- rate limiting

/** client-go's token bucket with a burst of 1; a rate of 0 never lets anything through. */
export class TokenBucket {
  private tokens = 1;
  private last: number;

  constructor(
    readonly qps: number,
    now: number,
  ) {
    this.last = now;
  }

  private refill(now: number): void {
    this.tokens = Math.min(1, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
  }

  tryAccept(now: number): boolean {
    if (this.qps <= 0) return false;
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** When the next token is there (Infinity for a rate of 0). */
  nextTokenAt(now: number): number {
    if (this.qps <= 0) return Infinity;
    this.refill(now);
    return this.tokens >= 1 ? now : now + Math.ceil(((1 - this.tokens) * 1000) / this.qps);
  }
}

interface TimedValue {
  value: string;
  uid: string;
  processAt: number;
  seq: number;
}

/**
 * RateLimitedTimedQueue: a node is queued at most once until it is removed explicitly (taken
 * items stay remembered, so a node is tainted once per outage); items are taken in processAt
 * order, each only when the zone's token bucket allows.
 */
export class RateLimitedTimedQueue {
  private items: TimedValue[] = [];
  private readonly remembered = new Set<string>();
  private seq = 0;
  limiter: TokenBucket;

  constructor(qps: number, now: number) {
    this.limiter = new TokenBucket(qps, now);
  }

  /** Queues a node unless it is queued or already handled; true if added. */
  add(value: string, uid: string, now: number): boolean {
    if (this.remembered.has(value)) return false;
    this.remembered.add(value);
    this.items.push({ value, uid, processAt: now, seq: this.seq++ });
    return true;
  }

  /** Forgets a node entirely, so it may be queued again; true if it was known. */
  remove(value: string): boolean {
    const had = this.remembered.delete(value);
    this.items = this.items.filter((i) => i.value !== value);
    return had;
  }

  head(): TimedValue | undefined {
    let best: TimedValue | undefined;
    for (const i of this.items) if (best === undefined || i.processAt < best.processAt || (i.processAt === best.processAt && i.seq < best.seq)) best = i;
    return best;
  }

  /** Done with a node: out of the queue, still remembered. */
  done(value: string): void {
    this.items = this.items.filter((i) => i.value !== value);
  }

  /** Try a node again later. */
  retryAt(value: string, at: number): void {
    for (const i of this.items) if (i.value === value) Object.assign(i, { processAt: at, seq: this.seq++ });
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * SwapLimiter: a new bucket at another rate; when the old one was empty the new one starts
   * empty too (a burst of 1 must not let an extra node through on a rate change).
   */
  swapRate(qps: number, now: number): void {
    if (this.limiter.qps === qps) return;
    const wasEmpty = !this.limiter.tryAccept(now);
    this.limiter = new TokenBucket(qps, now);
    if (wasEmpty) this.limiter.tryAccept(now);
  }
}

// ---------------------------------------------------------------- reading objects

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

export const taintsOf = (node: Obj): Taint[] => list<Taint>(obj(node.spec).taints);
export const conditionsOf = (o: Obj): Condition[] => list<Condition>(obj(o.status).conditions);
export const tolerationsOf = (pod: Obj): Toleration[] => list<Toleration>(obj(pod.spec).tolerations);
export const nodeNameOf = (pod: Obj): string => {
  const n = obj(pod.spec).nodeName;
  return typeof n === 'string' ? n : '';
};
