/**
 * The HorizontalPodAutoscaler's arithmetic, as kube-controller-manager v1.31 does it
 * (replica_calculator.go, horizontal.go): the replica count a CPU utilization target asks for,
 * the stabilization window and the scaling policies, and the status conditions.
 */

/** --horizontal-pod-autoscaler-tolerance: no scaling while the usage ratio is within 10% of 1. */
export const TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period. */
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay. */
export const INITIAL_READINESS_DELAY_MS = 30_000;
/** --horizontal-pod-autoscaler-downscale-stabilization, when the HPA sets no window of its own. */
export const DOWNSCALE_STABILIZATION_MS = 5 * 60_000;

export const CPU_METRIC_NAME = 'cpu resource utilization (percentage of request)';

export interface PodInfo {
  readonly name: string;
  readonly phase: string;
  readonly deleting: boolean;
  /** The Ready condition, if any. */
  readonly ready?: { readonly status: string; readonly lastTransitionTime: number };
  readonly startTime?: number;
  /** Per container: its cpu request in millicores, or undefined when it has none. */
  readonly requests: readonly { readonly container: string; readonly milli: number | undefined }[];
}

export interface PodCpu {
  /** Sum of the containers' CPU in millicores (each rounded up, as Quantity.MilliValue). */
  readonly milli: number;
  readonly timestamp: number;
  readonly windowMs: number;
}

export type ReplicaResult = { readonly replicas: number; readonly utilization: number; readonly averageMilli: number } | { readonly error: string };

/** Pods sorted into ready (counted), unready, missing (no metrics) and ignored (deleting, failed). */
function groupPods(pods: readonly PodInfo[], metrics: ReadonlyMap<string, PodCpu>, now: number) {
  let readyCount = 0;
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  for (const p of pods) {
    if (p.deleting || p.phase === 'Failed') {
      ignored.add(p.name);
      continue;
    }
    if (p.phase === 'Pending') {
      unready.add(p.name);
      continue;
    }
    const m = metrics.get(p.name);
    if (m === undefined) {
      missing.add(p.name);
      continue;
    }
    let isUnready: boolean;
    if (p.ready === undefined || p.startTime === undefined) isUnready = true;
    else if (p.startTime + CPU_INITIALIZATION_PERIOD_MS > now) {
      // Still starting: a sample taken before it became ready would count its start-up burst.
      isUnready = p.ready.status === 'False' || m.timestamp < p.ready.lastTransitionTime + m.windowMs;
    } else {
      isUnready = p.ready.status === 'False' && p.startTime + INITIAL_READINESS_DELAY_MS > p.ready.lastTransitionTime;
    }
    if (isUnready) unready.add(p.name);
    else readyCount++;
  }
  return { readyCount, unready, missing, ignored };
}

/** utilization = total usage / total requests of the pods with metrics, in whole percent. */
function utilizationRatio(metrics: ReadonlyMap<string, number>, requests: ReadonlyMap<string, number>, target: number): { ratio: number; utilization: number; average: number } | { error: string } {
  let used = 0;
  let requested = 0;
  let n = 0;
  for (const [pod, milli] of metrics) {
    const r = requests.get(pod);
    if (r === undefined) continue;
    used += milli;
    requested += r;
    n++;
  }
  if (requested === 0) return { error: 'no metrics returned matched known pods' };
  const utilization = Math.trunc((used * 100) / requested);
  return { ratio: utilization / target, utilization, average: Math.trunc(used / n) };
}

/** GetResourceReplicas for cpu: the replica count for a target average utilization (percent of request). */
export function cpuReplicas(currentReplicas: number, target: number, pods: readonly PodInfo[], podMetrics: ReadonlyMap<string, PodCpu>, now: number): ReplicaResult {
  if (podMetrics.size === 0) return { error: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API' };
  if (pods.length === 0) return { error: 'no pods returned by selector while calculating replica count' };
  const { readyCount, unready, missing, ignored } = groupPods(pods, podMetrics, now);
  const metrics = new Map<string, number>();
  for (const [name, m] of podMetrics) if (!unready.has(name) && !ignored.has(name) && pods.some((p) => p.name === name)) metrics.set(name, m.milli);
  const requests = new Map<string, number>();
  for (const p of pods) {
    let sum = 0;
    for (const c of p.requests) {
      if (c.milli === undefined) return { error: `missing request for cpu in container ${c.container} of Pod ${p.name}` };
      sum += c.milli;
    }
    requests.set(p.name, sum);
  }
  if (metrics.size === 0) return { error: 'did not receive metrics for targeted pods (pods might be unready)' };
  const first = utilizationRatio(metrics, requests, target);
  if ('error' in first) return first;
  const { ratio, utilization, average } = first;
  const scaleUpWithUnready = unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing.size === 0) {
    if (Math.abs(1 - ratio) <= TOLERANCE) return { replicas: currentReplicas, utilization, averageMilli: average };
    return { replicas: Math.ceil(ratio * readyCount), utilization, averageMilli: average };
  }
  // Assume the worst for the pods we could not measure: idle on a scale-up, at target (or full) on a scale-down.
  if (missing.size > 0) {
    for (const name of missing) {
      const r = requests.get(name) ?? 0;
      if (ratio < 1) metrics.set(name, Math.trunc((r * Math.max(100, target)) / 100));
      else if (ratio > 1) metrics.set(name, 0);
    }
  }
  if (scaleUpWithUnready) for (const name of unready) metrics.set(name, 0);
  const again = utilizationRatio(metrics, requests, target);
  if ('error' in again) return again;
  const newRatio = again.ratio;
  const keep = { replicas: currentReplicas, utilization, averageMilli: average };
  if (Math.abs(1 - newRatio) <= TOLERANCE || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return keep;
  const replicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) return keep;
  return { replicas, utilization, averageMilli: average };
}

// ---- behavior: stabilization and scaling policies ----

export interface Policy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

export interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly Policy[];
}

export interface Behavior {
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
}

interface RulesSpec {
  stabilizationWindowSeconds?: number;
  selectPolicy?: string;
  policies?: Policy[];
}

/** The HPA's behavior with the API's defaults filled in (scale up: 4 pods or 100% per 15 s; down: 100% per 15 s after 300 s). */
export function behaviorOf(spec: { behavior?: { scaleUp?: RulesSpec; scaleDown?: RulesSpec } } | undefined): Behavior {
  const up = spec?.behavior?.scaleUp;
  const down = spec?.behavior?.scaleDown;
  return {
    scaleUp: {
      stabilizationWindowSeconds: up?.stabilizationWindowSeconds ?? 0,
      selectPolicy: (up?.selectPolicy as ScalingRules['selectPolicy'] | undefined) ?? 'Max',
      policies: up?.policies ?? [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    },
    scaleDown: {
      stabilizationWindowSeconds: down?.stabilizationWindowSeconds ?? DOWNSCALE_STABILIZATION_MS / 1000,
      selectPolicy: (down?.selectPolicy as ScalingRules['selectPolicy'] | undefined) ?? 'Max',
      policies: down?.policies ?? [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    },
  };
}

export interface Recommendation {
  readonly replicas: number;
  readonly at: number;
}

export interface ScaleEvent {
  readonly change: number;
  readonly at: number;
}

/** What the controller remembers per HPA between syncs (in memory: a new leader starts empty). */
export interface HpaMemory {
  recommendations: Recommendation[];
  scaleUps: ScaleEvent[];
  scaleDowns: ScaleEvent[];
}

export interface Condition {
  readonly type: 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
}

function changeInPeriod(periodSeconds: number, events: readonly ScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.filter((e) => e.at > cutoff).reduce((s, e) => s + e.change, 0);
}

function scaleUpLimit(current: number, ups: readonly ScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(p.periodSeconds, ups, now);
    result = pick(result, p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100)));
  }
  return result;
}

function scaleDownLimit(current: number, downs: readonly ScaleEvent[], ups: readonly ScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(p.periodSeconds, ups, now) + changeInPeriod(p.periodSeconds, downs, now);
    result = pick(result, p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100)));
  }
  return result;
}

/**
 * normalizeDesiredReplicasWithBehaviors: the stabilized recommendation (remembered in `memory`),
 * then the scaling rate and min/max limits, with the AbleToScale and ScalingLimited conditions.
 */
export function normalizeWithBehavior(
  memory: HpaMemory,
  args: { current: number; desired: number; min: number; max: number; behavior: Behavior },
  now: number,
): { replicas: number; conditions: Condition[] } {
  const { current, desired, min, max, behavior } = args;
  const up = desired >= current;
  const delay = (up ? behavior.scaleUp : behavior.scaleDown).stabilizationWindowSeconds * 1000;
  const longest = Math.max(behavior.scaleUp.stabilizationWindowSeconds, behavior.scaleDown.stabilizationWindowSeconds) * 1000;
  let stabilized = desired;
  let oldIndex = -1;
  memory.recommendations.forEach((r, i) => {
    if (r.at > now - delay) stabilized = up ? Math.min(stabilized, r.replicas) : Math.max(stabilized, r.replicas);
    if (r.at < now - longest) oldIndex = i;
  });
  if (oldIndex >= 0) memory.recommendations[oldIndex] = { replicas: desired, at: now };
  else memory.recommendations.push({ replicas: desired, at: now });
  const conditions: Condition[] = [];
  if (stabilized !== desired) {
    conditions.push(
      up
        ? { type: 'AbleToScale', status: 'True', reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
        : { type: 'AbleToScale', status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' },
    );
  } else conditions.push({ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' });
  const limited = limitRate(memory, { current, desired: stabilized, min, max, behavior }, now);
  conditions.push({ type: 'ScalingLimited', status: limited.replicas === stabilized ? 'False' : 'True', reason: limited.reason, message: limited.message });
  return { replicas: limited.replicas, conditions };
}

function limitRate(memory: HpaMemory, args: { current: number; desired: number; min: number; max: number; behavior: Behavior }, now: number): { replicas: number; reason: string; message: string } {
  const { current, desired, min, max, behavior } = args;
  if (desired > current) {
    const limit = Math.max(current, scaleUpLimit(current, memory.scaleUps, behavior.scaleUp, now));
    const rateBound = max > limit;
    const allowed = rateBound ? limit : max;
    if (desired > allowed) {
      return rateBound
        ? { replicas: allowed, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
        : { replicas: allowed, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    }
  } else if (desired < current) {
    const limit = Math.min(current, scaleDownLimit(current, memory.scaleDowns, memory.scaleUps, behavior.scaleDown, now));
    const rateBound = min < limit;
    const allowed = rateBound ? limit : min;
    if (desired < allowed) {
      return rateBound
        ? { replicas: allowed, reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }
        : { replicas: allowed, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    }
  }
  return { replicas: desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}

/** Records a rescale for the rate limits, dropping events older than the longest policy period. */
export function recordScale(memory: HpaMemory, behavior: Behavior, from: number, to: number, now: number): void {
  const longest = Math.max(0, ...[...behavior.scaleUp.policies, ...behavior.scaleDown.policies].map((p) => p.periodSeconds)) * 1000;
  const fresh = (e: ScaleEvent): boolean => e.at > now - longest;
  memory.scaleUps = memory.scaleUps.filter(fresh);
  memory.scaleDowns = memory.scaleDowns.filter(fresh);
  if (to > from) memory.scaleUps.push({ change: to - from, at: now });
  else if (to < from) memory.scaleDowns.push({ change: from - to, at: now });
}

export interface StatusCondition extends Condition {
  readonly lastTransitionTime: string;
}

/** Sets conditions by type, keeping the transition time when the status did not change and the order they first appeared in. */
export function mergeConditions(existing: readonly StatusCondition[], updates: readonly Condition[], nowText: string): StatusCondition[] {
  const out = existing.map((c) => ({ ...c }));
  for (const u of updates) {
    const i = out.findIndex((c) => c.type === u.type);
    const old = out[i];
    const lastTransitionTime = old !== undefined && old.status === u.status ? old.lastTransitionTime : nowText;
    const next: StatusCondition = { type: u.type, status: u.status, lastTransitionTime, reason: u.reason, message: u.message };
    if (i >= 0) out[i] = next;
    else out.push(next);
  }
  return out;
}
