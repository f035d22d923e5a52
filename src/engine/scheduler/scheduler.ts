import type { ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import { EventRecorder } from '../client/eventRecorder';
import { Informer, objectKey } from '../client/informer';
import { LeaderElector, type LeaderElectionTimings } from '../client/leaderElection';
import type { ScheduledEvent } from '../eventQueue';
import type { Rng } from '../rng';
import { uuidV4 } from '../uuid';
import { rfc3339 } from '../virtualTime';
import type { World } from '../world';
import { schedulePod, type SchedulingDecision } from './framework';

/** kube-scheduler's queue defaults: back-off 1 s doubling to 10 s; unschedulable pods are retried after 5 min at the latest. */
export const SCHEDULER_DEFAULTS = {
  podInitialBackoffMs: 1_000,
  podMaxBackoffMs: 10_000,
  podMaxInUnschedulablePodsDurationMs: 300_000,
};

const SCHEDULER_NAME = 'default-scheduler';

type Obj = Record<string, unknown>;

interface QueuedPod {
  attempts: number;
  /** Not before this time (back-off). */
  readyAt: number;
  /** Set while it waits for the cluster to change. */
  unschedulableSince?: number;
}

/**
 * kube-scheduler on one master: it acts only while it holds the kube-system/kube-scheduler
 * Lease. It takes pending pods one at a time, runs the filter and score plugins over its
 * informer caches, assumes the pod on the chosen node and binds it through the API. A pod no
 * node fits stays Pending with a FailedScheduling event and PodScheduled=False, and is tried
 * again when a node or pod changes (or after 5 minutes); failed binds back off 1 s to 10 s.
 */
export class Scheduler {
  readonly identity: string;
  private readonly elector: LeaderElector;
  private readonly recorder: EventRecorder;
  private informers: Record<'pods' | 'nodes' | 'pvcs' | 'pvs' | 'classes' | 'namespaces' | 'services' | 'replicaSets' | 'statefulSets', Informer> | undefined;
  private readonly queue = new Map<string, QueuedPod>();
  /** Pods bound by this scheduler but not yet seen bound in the informer: the scheduler cache's assumed pods. */
  private readonly assumed = new Map<string, KubeObject>();
  private timer: ScheduledEvent | undefined;
  private flushTimer: ScheduledEvent | undefined;
  private busy = false;
  /** The last decision per pod UID, for the UI ("why is my pod Pending"). */
  readonly decisions = new Map<string, SchedulingDecision & { at: number }>();

  constructor(
    private readonly world: World,
    private readonly client: ApiClient,
    readonly host: string,
    private readonly rng: Rng,
    timings?: LeaderElectionTimings,
  ) {
    this.identity = `${host}_${uuidV4(rng)}`;
    this.recorder = new EventRecorder(world, client, SCHEDULER_NAME, host);
    this.elector = new LeaderElector(
      world,
      client,
      { namespace: 'kube-system', name: 'kube-scheduler' },
      this.identity,
      { onStartedLeading: () => this.lead(), onStoppedLeading: () => this.standDown() },
      timings,
    );
  }

  get isLeader(): boolean {
    return this.elector.isLeader;
  }

  start(): void {
    this.elector.start();
  }

  stop(): void {
    this.elector.stop();
    this.standDown();
    this.client.stop();
  }

  private lead(): void {
    const onPod = (p: KubeObject): void => this.podChanged(p);
    const clusterChanged = (): void => this.moveAllToActive();
    this.informers = {
      pods: new Informer(this.world, this.client, 'pods', {
        onAdd: onPod,
        onUpdate: (_o, p) => onPod(p),
        onDelete: (p) => {
          this.queue.delete(objectKey(p));
          this.assumed.delete(objectKey(p));
          // Space freed on a node: pods waiting for room may fit now.
          if (nodeName(p) !== undefined) clusterChanged();
        },
      }),
      nodes: new Informer(this.world, this.client, 'nodes', { onAdd: clusterChanged, onUpdate: (o, n) => nodeMatters(o, n) && clusterChanged(), onDelete: clusterChanged }),
      pvcs: new Informer(this.world, this.client, 'persistentvolumeclaims', { onAdd: clusterChanged, onUpdate: clusterChanged }),
      pvs: new Informer(this.world, this.client, 'persistentvolumes', { onAdd: clusterChanged, onUpdate: clusterChanged }),
      classes: new Informer(this.world, this.client, 'storageclasses', {}),
      namespaces: new Informer(this.world, this.client, 'namespaces', {}),
      // Owners and Services give pods the default topology spreading.
      services: new Informer(this.world, this.client, 'services', {}),
      replicaSets: new Informer(this.world, this.client, 'replicasets', {}),
      statefulSets: new Informer(this.world, this.client, 'statefulsets', {}),
    };
    for (const i of Object.values(this.informers)) i.start();
    this.flushTimer = this.world.schedule(30_000, `kube-scheduler ${this.host} flush`, () => this.flushUnschedulable());
    this.kick();
  }

  private standDown(): void {
    if (this.informers) for (const i of Object.values(this.informers)) i.stop();
    this.informers = undefined;
    this.queue.clear();
    this.assumed.clear();
    if (this.timer) this.world.cancel(this.timer);
    if (this.flushTimer) this.world.cancel(this.flushTimer);
    this.timer = undefined;
    this.flushTimer = undefined;
    this.busy = false;
  }

  private podChanged(p: KubeObject): void {
    const key = objectKey(p);
    if (nodeName(p) !== undefined) {
      this.queue.delete(key);
      this.assumed.delete(key);
      return;
    }
    if (!this.wantsPod(p)) {
      this.queue.delete(key);
      return;
    }
    if (!this.queue.has(key)) this.queue.set(key, { attempts: 0, readyAt: this.world.now });
    this.kick();
  }

  private wantsPod(p: KubeObject): boolean {
    const spec = (p.spec ?? {}) as { schedulerName?: string };
    const phase = (p.status as Obj | undefined)?.phase;
    return p.metadata.deletionTimestamp === undefined && (spec.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME && phase !== 'Succeeded' && phase !== 'Failed';
  }

  /** A cluster event that may make unschedulable pods fit: they move to the back-off queue (their back-off still applies). */
  private moveAllToActive(): void {
    let moved = false;
    for (const q of this.queue.values()) {
      if (q.unschedulableSince === undefined) continue;
      q.unschedulableSince = undefined;
      moved = true;
    }
    if (moved) this.kick();
  }

  /** Every 30 s, pods that have waited 5 minutes are tried again even if nothing changed. */
  private flushUnschedulable(): void {
    for (const q of this.queue.values()) {
      if (q.unschedulableSince !== undefined && this.world.now - q.unschedulableSince >= SCHEDULER_DEFAULTS.podMaxInUnschedulablePodsDurationMs) q.unschedulableSince = undefined;
    }
    this.flushTimer = this.world.schedule(30_000, `kube-scheduler ${this.host} flush`, () => this.flushUnschedulable());
    this.kick();
  }

  /** Plans the next scheduling cycle: the earliest ready pod, in order of arrival. */
  private kick(): void {
    if (this.busy || this.informers === undefined) return;
    let best: { key: string; at: number } | undefined;
    for (const [key, q] of this.queue) {
      if (q.unschedulableSince !== undefined) continue;
      if (best === undefined || q.readyAt < best.at) best = { key, at: q.readyAt };
    }
    if (best === undefined) return;
    const delay = Math.max(0, best.at - this.world.now);
    if (this.timer !== undefined && this.timer.time <= this.world.now + delay) return;
    if (this.timer) this.world.cancel(this.timer);
    this.timer = this.world.schedule(delay, `kube-scheduler ${this.host} cycle`, () => {
      this.timer = undefined;
      this.cycle();
    });
  }

  private cycle(): void {
    const informers = this.informers;
    if (informers === undefined || !informers.pods.synced || !informers.nodes.synced) {
      this.timer = this.world.schedule(100, `kube-scheduler ${this.host} cycle`, () => {
        this.timer = undefined;
        this.cycle();
      });
      return;
    }
    const now = this.world.now;
    const ready = [...this.queue].filter(([, q]) => q.unschedulableSince === undefined && q.readyAt <= now).sort(([ka, a], [kb, b]) => a.readyAt - b.readyAt || (ka < kb ? -1 : 1));
    const next = ready[0];
    if (next === undefined) return this.kick();
    const [key, q] = next;
    const pod = informers.pods.get(key);
    if (pod === undefined || nodeName(pod) !== undefined || !this.wantsPod(pod)) {
      this.queue.delete(key);
      return this.kick();
    }
    const assigned = new Map<string, KubeObject>();
    for (const p of informers.pods.list()) {
      const phase = (p.status as Obj | undefined)?.phase;
      if (nodeName(p) !== undefined && phase !== 'Succeeded' && phase !== 'Failed') assigned.set(objectKey(p), p);
    }
    for (const [k, p] of this.assumed) assigned.set(k, p);
    const decision = schedulePod(
      {
        pod,
        nodes: informers.nodes.list(),
        pods: [...assigned.values()],
        pvcs: informers.pvcs.list(),
        pvs: informers.pvs.list(),
        storageClasses: informers.classes.list(),
        namespaces: informers.namespaces.list(),
        services: informers.services.list(),
        replicaSets: informers.replicaSets.list(),
        statefulSets: informers.statefulSets.list(),
      },
      this.rng,
    );
    this.decisions.set(pod.metadata.uid ?? '', { ...decision, at: now });
    q.attempts++;
    if (decision.node === null) {
      q.unschedulableSince = now;
      q.readyAt = now + this.backoff(q.attempts);
      this.recorder.record(pod, 'Warning', 'FailedScheduling', decision.message);
      this.markUnschedulable(pod, decision.message);
      return this.kick();
    }
    const target = decision.node;
    const bound: KubeObject = { ...pod, spec: { ...(pod.spec as Obj), nodeName: target } };
    this.assumed.set(key, bound);
    this.queue.delete(key);
    this.busy = false;
    const binding: KubeObject = { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? 'default', uid: pod.metadata.uid ?? '' }, target: { apiVersion: 'v1', kind: 'Node', name: target } };
    this.client.request({ verb: 'create', resource: 'pods', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '', subresource: 'binding', body: binding }, (r) => {
      if (r.ok && r.result.ok) {
        this.recorder.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''} to ${target}`);
        return;
      }
      // The bind failed (conflict, no quorum, timeout): forget the assumption and try again after a back-off.
      this.assumed.delete(key);
      const current = this.informers?.pods.get(key);
      if (current !== undefined && nodeName(current) === undefined && this.wantsPod(current)) {
        this.queue.set(key, { attempts: q.attempts, readyAt: this.world.now + this.backoff(q.attempts) });
        this.kick();
      }
    });
    this.kick();
  }

  private backoff(attempts: number): number {
    return Math.min(SCHEDULER_DEFAULTS.podInitialBackoffMs * 2 ** Math.max(0, attempts - 1), SCHEDULER_DEFAULTS.podMaxBackoffMs);
  }

  /** PodScheduled=False, reason Unschedulable, as the scheduler writes it to the pod's status. */
  private markUnschedulable(pod: KubeObject, message: string): void {
    const conditions = (((pod.status as Obj | undefined)?.conditions ?? []) as Obj[]).filter((c) => c.type !== 'PodScheduled');
    const old = (((pod.status as Obj | undefined)?.conditions ?? []) as Obj[]).find((c) => c.type === 'PodScheduled');
    if (old !== undefined && old.status === 'False' && old.message === message) return;
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: old !== undefined && old.status === 'False' ? old.lastTransitionTime : rfc3339(this.world.now),
      reason: 'Unschedulable',
      message,
    };
    const patch = JSON.stringify({ status: { conditions: [...conditions, condition] } });
    this.client.request({ verb: 'patch', resource: 'pods', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '', subresource: 'status', patchType: 'merge', patch }, () => undefined);
  }
}

function nodeName(p: KubeObject): string | undefined {
  const n = (p.spec as { nodeName?: string } | undefined)?.nodeName;
  return n === undefined || n === '' ? undefined : n;
}

/** Node changes a pod's fit can depend on (not heartbeats): labels, taints, unschedulable, allocatable, readiness. */
function nodeMatters(a: KubeObject, b: KubeObject): boolean {
  const view = (n: KubeObject): string =>
    JSON.stringify([n.metadata.labels, (n.spec as Obj | undefined)?.taints, (n.spec as Obj | undefined)?.unschedulable, (n.status as Obj | undefined)?.allocatable]);
  return view(a) !== view(b);
}
