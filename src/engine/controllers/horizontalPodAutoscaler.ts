import type { ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import { METRICS_RESOURCES } from '../apiserver/apiProtocol';
import type { EventRecorder } from '../client/eventRecorder';
import { Informer, objectKey } from '../client/informer';
import { milliCpu, parseQuantity } from '../quantity';
import { parseRfc3339, rfc3339 } from '../virtualTime';
import type { World } from '../world';
import {
  behaviorOf,
  type Condition,
  CPU_METRIC_NAME,
  cpuReplicas,
  type HpaMemory,
  mergeConditions,
  normalizeWithBehavior,
  type PodCpu,
  type PodInfo,
  recordScale,
  type StatusCondition,
} from './hpaUtil';
import { selectorMatches } from './podUtil';
import { WorkQueue } from './workQueue';

/** --horizontal-pod-autoscaler-sync-period. */
export const HPA_SYNC_PERIOD_MS = 15_000;

type Obj = Record<string, unknown>;
type LabelSelector = Parameters<typeof selectorMatches>[0];

interface HpaSpec {
  scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string };
  minReplicas?: number;
  maxReplicas?: number;
  metrics?: { type?: string; resource?: { name?: string; target?: { type?: string; averageUtilization?: number } } }[];
  behavior?: unknown;
}

const TARGETS: Readonly<Record<string, string>> = { Deployment: 'deployments', ReplicaSet: 'replicasets', StatefulSet: 'statefulsets' };

/**
 * The horizontal-pod-autoscaler controller: every 15 s per HPA it reads the target's scale,
 * the pods' CPU from the Metrics API, computes the replica count the utilization target asks
 * for (with the tolerance, the unready and missing pods, the stabilization window and the rate
 * policies), writes the target's spec.replicas when it changes, and the HPA's status.
 */
export class HorizontalPodAutoscalerController {
  private readonly hpas: Informer;
  private readonly pods: Informer;
  private readonly queue: WorkQueue;
  /** Recommendations and scale events per HPA: in memory only, as in the real controller. */
  private readonly memory = new Map<string, HpaMemory>();

  constructor(
    private readonly world: World,
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
  ) {
    this.queue = new WorkQueue(world, 'horizontalpodautoscaler', (key, done) => this.sync(key, done));
    this.hpas = new Informer(world, client, 'horizontalpodautoscalers', {
      onAdd: (o) => this.queue.add(objectKey(o)),
      // Its own status writes come back as updates: only a spec change is looked at at once.
      onUpdate: (old, o) => {
        if (old.metadata.generation !== o.metadata.generation) this.queue.add(objectKey(o));
      },
      onDelete: (o) => this.memory.delete(objectKey(o)),
    });
    this.pods = new Informer(world, client, 'pods', {});
  }

  start(): void {
    this.queue.start();
    this.pods.start();
    this.hpas.start();
  }

  stop(): void {
    this.hpas.stop();
    this.pods.stop();
    this.queue.stop();
  }

  private sync(key: string, done: (ok: boolean) => void): void {
    const hpa = this.hpas.get(key);
    if (hpa === undefined || !this.pods.synced) {
      if (hpa !== undefined) this.queue.addAfter(key, 1_000);
      return done(true);
    }
    this.queue.addAfter(key, HPA_SYNC_PERIOD_MS);
    this.reconcile(key, hpa, done);
  }

  private reconcile(key: string, hpa: KubeObject, done: (ok: boolean) => void): void {
    const spec = (hpa.spec ?? {}) as HpaSpec;
    const ref = spec.scaleTargetRef ?? {};
    const namespace = hpa.metadata.namespace ?? 'default';
    const resource = TARGETS[ref.kind ?? ''];
    const oldStatus = (hpa.status ?? {}) as Obj;
    const conditions: Condition[] = [];
    const writeStatus = (status: Obj): void => {
      const conds = mergeConditions((oldStatus.conditions ?? []) as StatusCondition[], conditions, rfc3339(this.world.now));
      const next: Obj = { ...oldStatus, ...status, conditions: conds };
      if (JSON.stringify(next) === JSON.stringify(oldStatus)) return done(true);
      this.client.request({ verb: 'patch', resource: 'horizontalpodautoscalers', namespace, name: hpa.metadata.name ?? '', subresource: 'status', patchType: 'merge', patch: JSON.stringify({ status: next }) }, (r) =>
        done(r.ok && (r.result.ok || r.result.status.code === 404)),
      );
    };
    const failScale = (message: string): void => {
      this.recorder.record(hpa, 'Warning', 'FailedGetScale', message);
      conditions.push({ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${message}` });
      writeStatus({});
    };
    if (resource === undefined) return failScale(`no matches for kind "${ref.kind ?? ''}" in group "${(ref.apiVersion ?? '').split('/')[0] ?? ''}"`);
    this.client.request({ verb: 'get', resource, namespace, name: ref.name ?? '' }, (r) => {
      if (!r.ok) return done(false);
      if (!r.result.ok) return failScale(r.result.status.message);
      const target = r.result.value as KubeObject;
      const current = ((target.spec as Obj | undefined)?.replicas as number | undefined) ?? 1;
      conditions.push({ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" });
      const min = spec.minReplicas ?? 1;
      const max = spec.maxReplicas ?? 1;
      if (current === 0 && min !== 0) {
        conditions.push({ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
        return writeStatus({ currentReplicas: current, desiredReplicas: 0 });
      }
      // A new HPA (or a new leader) starts its history with the current size, so it never scales down at once.
      const memory = this.memoryOf(key);
      if (memory.recommendations.length === 0) memory.recommendations.push({ replicas: current, at: this.world.now });
      if (current > max) return this.rescale(key, hpa, target, resource, current, max, 'Current number of replicas above Spec.MaxReplicas', [], writeStatus, conditions);
      if (current < min) return this.rescale(key, hpa, target, resource, current, min, 'Current number of replicas below Spec.MinReplicas', [], writeStatus, conditions);
      this.cpuProposal(hpa, target, current, (proposal) => {
        if ('error' in proposal) {
          this.recorder.record(hpa, 'Warning', 'FailedGetResourceMetric', proposal.error);
          this.recorder.record(hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${proposal.error}`);
          conditions.push({ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${proposal.error}` });
          // A metric that could not be read is an empty status entry, which kubectl shows as <unknown>.
          return writeStatus({ currentReplicas: current, desiredReplicas: (oldStatus.desiredReplicas as number | undefined) ?? 0, currentMetrics: [{ type: '' }] });
        }
        conditions.push({ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${CPU_METRIC_NAME}` });
        const reason = proposal.replicas > current ? `${CPU_METRIC_NAME} above target` : 'All metrics below target';
        const normalized = normalizeWithBehavior(memory, { current, desired: proposal.replicas, min, max, behavior: behaviorOf(spec as Parameters<typeof behaviorOf>[0]) }, this.world.now);
        conditions.push(...normalized.conditions);
        this.rescale(key, hpa, target, resource, current, normalized.replicas, reason, proposal.metrics, writeStatus, conditions);
      });
    });
  }

  private memoryOf(key: string): HpaMemory {
    let m = this.memory.get(key);
    if (m === undefined) {
      m = { recommendations: [], scaleUps: [], scaleDowns: [] };
      this.memory.set(key, m);
    }
    return m;
  }

  /** Writes the target's new size (if it changes) and then the HPA's status. */
  private rescale(key: string, hpa: KubeObject, target: KubeObject, resource: string, current: number, desired: number, reason: string, metrics: Obj[], writeStatus: (s: Obj) => void, conditions: Condition[]): void {
    const status: Obj = { currentReplicas: current, desiredReplicas: desired, ...(metrics.length > 0 ? { currentMetrics: metrics } : {}) };
    if (desired === current) return writeStatus(status);
    const patch = JSON.stringify({ spec: { replicas: desired } });
    this.client.request({ verb: 'patch', resource, namespace: target.metadata.namespace ?? 'default', name: target.metadata.name ?? '', patchType: 'merge', patch }, (r) => {
      if (!r.ok || !r.result.ok) {
        const why = r.ok && !r.result.ok ? r.result.status.message : r.ok ? '' : r.error;
        this.recorder.record(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${why}`);
        conditions.push({ type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${why}` });
        return writeStatus({ ...status, desiredReplicas: current });
      }
      conditions.push({ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desired}` });
      this.recorder.record(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
      recordScale(this.memoryOf(key), behaviorOf((hpa.spec ?? {}) as Parameters<typeof behaviorOf>[0]), current, desired, this.world.now);
      writeStatus({ ...status, lastScaleTime: rfc3339(this.world.now) });
    });
  }

  /** The CPU metric's proposal: pod metrics from the Metrics API, the target's pods from the cache. */
  private cpuProposal(hpa: KubeObject, target: KubeObject, current: number, done: (p: { replicas: number; metrics: Obj[] } | { error: string }) => void): void {
    const spec = (hpa.spec ?? {}) as HpaSpec;
    const metric = (spec.metrics ?? []).find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
    const utilization = metric?.resource?.target?.averageUtilization;
    if (utilization === undefined) return done({ error: 'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set' });
    const namespace = target.metadata.namespace ?? 'default';
    const selector = (target.spec as { selector?: LabelSelector } | undefined)?.selector;
    const pods = this.pods.list().filter((p) => p.metadata.namespace === namespace && selectorMatches(selector, p.metadata.labels));
    const labelSelector = Object.entries(selector?.matchLabels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    this.client.request({ verb: 'list', resource: METRICS_RESOURCES.pods, namespace, ...(labelSelector === '' ? {} : { labelSelector }) }, (r) => {
      const fail = (why: string): void => done({ error: `failed to get cpu utilization: unable to get metrics for resource cpu: ${why}` });
      if (!r.ok) return fail(r.error);
      if (!r.result.ok) return fail(r.result.status.message);
      const items = ((r.result.value as { items?: KubeObject[] }).items ?? []).filter((m) => pods.some((p) => p.metadata.name === m.metadata.name));
      const metrics = new Map<string, PodCpu>(items.map((m) => [m.metadata.name ?? '', podCpu(m)]));
      const result = cpuReplicas(current, utilization, pods.map(podInfo), metrics, this.world.now);
      if ('error' in result) return done({ error: `failed to get cpu utilization: ${result.error}` });
      done({
        replicas: result.replicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: result.utilization, averageValue: milliQuantity(result.averageMilli) } } }],
      });
    });
  }
}

/** A pod's CPU as the HPA's metrics client reads it: the containers' MilliValue summed. */
function podCpu(m: KubeObject): PodCpu {
  const containers = (m.containers ?? []) as { usage?: { cpu?: string } }[];
  const milli = containers.reduce((s, c) => s + Math.ceil(Math.round(parseQuantity(c.usage?.cpu ?? '0').value * 1e9) / 1e6), 0);
  const window = String(m.window ?? '0s');
  return { milli, timestamp: parseRfc3339(String(m.timestamp ?? '')) ?? 0, windowMs: goDurationMs(window) };
}

function podInfo(p: KubeObject): PodInfo {
  const status = (p.status ?? {}) as { phase?: string; startTime?: string; conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  const containers = ((p.spec as Obj | undefined)?.containers ?? []) as { name: string; resources?: { requests?: { cpu?: string } } }[];
  const start = status.startTime === undefined ? undefined : parseRfc3339(status.startTime);
  return {
    name: p.metadata.name ?? '',
    phase: status.phase ?? 'Pending',
    deleting: p.metadata.deletionTimestamp !== undefined,
    ...(ready === undefined ? {} : { ready: { status: ready.status, lastTransitionTime: parseRfc3339(ready.lastTransitionTime ?? '') ?? 0 } }),
    ...(start === undefined ? {} : { startTime: start }),
    requests: containers.map((c) => ({ container: c.name, milli: c.resources?.requests?.cpu === undefined ? undefined : milliCpu(c.resources.requests.cpu) })),
  };
}

/** resource.NewMilliQuantity(v, DecimalSI).String(): "250m", "1". */
function milliQuantity(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** "20.05s", "1m5s", "750ms" → milliseconds. */
function goDurationMs(text: string): number {
  let ms = 0;
  for (const m of text.matchAll(/([\d.]+)(h|ms|m|s)/g)) {
    const v = Number(m[1]);
    ms += m[2] === 'h' ? v * 3_600_000 : m[2] === 'm' ? v * 60_000 : m[2] === 's' ? v * 1000 : v;
  }
  return Math.round(ms);
}
