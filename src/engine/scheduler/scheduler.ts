import type { ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import { Informer, objectKey } from '../client/informer';
import { LeaderElectedComponent, type LeaderElectionTimings } from '../client/leaderElection';
import type { ScheduledEvent } from '../eventQueue';
import type { Rng } from '../rng';
import { rfc3339 } from '../virtualTime';
import type { World } from '../world';
import { ANN_SELECTED_NODE, classOf, findBestMatch, volumeBoundTo } from '../controllers/pvUtil';
import { MinHeap } from '../heap';
import { SchedulerCache } from './cache';
import { podKey, schedulePod, type SchedulingDecision } from './framework';
import { checkBindings, type VolumeWrites } from './plugins/volumes';

/** kube-scheduler's queue defaults: back-off 1 s doubling to 10 s; unschedulable pods are retried after 5 min at the latest. */
export const SCHEDULER_DEFAULTS = {
  podInitialBackoffMs: 1_000,
  podMaxBackoffMs: 10_000,
  podMaxInUnschedulablePodsDurationMs: 300_000,
};

const SCHEDULER_NAME = 'default-scheduler';
/** VolumeBinding's bindTimeoutSeconds: how long PreBind waits for the claims to be bound. */
const BIND_TIMEOUT_MS = 600_000;

type Obj = Record<string, unknown>;

interface QueuedPod {
  attempts: number;
  /** Not before this time (back-off). */
  readyAt: number;
  /** Set while it waits for the cluster to change. */
  unschedulableSince?: number;
  /** Which of the pod's entries in the active heap is current (older ones are skipped). */
  stamp: number;
}

/** An entry of the active queue: pods in order of when they may be tried, then by key. */
interface Ready {
  key: string;
  readyAt: number;
  stamp: number;
}

/** Decisions kept for the UI: the newest, at most this many, and at most this many node verdicts in all (a large cluster's take room). */
const DECISIONS_KEPT = 1_000;
const DECISION_VERDICTS_KEPT = 200_000;

/**
 * kube-scheduler on one master: it acts only while it holds the kube-system/kube-scheduler
 * Lease. It takes pending pods one at a time, runs the filter and score plugins over its
 * informer caches, assumes the pod on the chosen node and binds it through the API. A pod no
 * node fits stays Pending with a FailedScheduling event and PodScheduled=False, and is tried
 * again when a node or pod changes (or after 5 minutes); failed binds back off 1 s to 10 s.
 */
export class Scheduler extends LeaderElectedComponent {
  private informers: Record<'pods' | 'nodes' | 'pvcs' | 'pvs' | 'classes' | 'namespaces' | 'services' | 'replicaSets' | 'statefulSets', Informer> | undefined;
  private readonly queue = new Map<string, QueuedPod>();
  private readonly active = new MinHeap<Ready>((a, b) => a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.key < b.key));
  private readonly unschedulable = new Set<string>();
  private stamps = 0;
  private cache = new SchedulerCache();
  /** Where the next cycle's search for feasible nodes starts. */
  private nextStartNodeIndex = 0;
  /** Pods bound by this scheduler but not yet seen bound in the informer: the scheduler cache's assumed pods. */
  private readonly assumed = new Map<string, KubeObject>();
  /** Pods waiting in VolumeBinding's PreBind for their claims to be bound. */
  private readonly preBinding = new Set<string>();
  private timer: ScheduledEvent | undefined;
  private flushTimer: ScheduledEvent | undefined;
  /** The last decision per pod UID, for the UI ("why is my pod Pending"). */
  readonly decisions = new Map<string, SchedulingDecision & { at: number; weight: number }>();
  private keptVerdicts = 0;

  constructor(
    world: World,
    client: ApiClient,
    host: string,
    /** Tie-breaks between equally good nodes (after the identity's draw). */
    private readonly rng: Rng,
    timings?: LeaderElectionTimings,
  ) {
    super(world, client, host, rng, { lease: 'kube-scheduler', eventSource: SCHEDULER_NAME }, timings);
  }

  protected lead(): void {
    const onPod = (p: KubeObject): void => this.podChanged(p);
    const clusterChanged = (): void => this.moveAllToActive();
    this.informers = {
      pods: new Informer(this.world, this.client, 'pods', {
        onAdd: onPod,
        onUpdate: (_o, p) => onPod(p),
        onDelete: (p) => {
          this.dequeue(objectKey(p));
          this.assumed.delete(objectKey(p));
          this.cache.removePod(podKey(p));
          this.forgetDecision(p.metadata.uid ?? '');
          // Space freed on a node: pods waiting for room may fit now.
          if (nodeName(p) !== undefined) clusterChanged();
        },
      }),
      nodes: new Informer(this.world, this.client, 'nodes', {
        onAdd: (n) => {
          this.cache.setNode(n);
          clusterChanged();
        },
        onUpdate: (o, n) => {
          this.cache.setNode(n);
          if (nodeMatters(o, n)) clusterChanged();
        },
        onDelete: (n) => {
          this.cache.removeNode(n.metadata.name ?? '');
          clusterChanged();
        },
      }),
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

  protected standDown(): void {
    if (this.informers) for (const i of Object.values(this.informers)) i.stop();
    this.informers = undefined;
    this.queue.clear();
    this.active.clear();
    this.unschedulable.clear();
    this.cache = new SchedulerCache();
    this.assumed.clear();
    this.preBinding.clear();
    if (this.timer) this.world.cancel(this.timer);
    if (this.flushTimer) this.world.cancel(this.flushTimer);
    this.timer = undefined;
    this.flushTimer = undefined;
  }

  private podChanged(p: KubeObject): void {
    const key = objectKey(p);
    if (this.preBinding.has(key) && nodeName(p) === undefined) return;
    if (nodeName(p) !== undefined) {
      this.dequeue(key);
      this.assumed.delete(key);
      this.cache.setPod(p);
      return;
    }
    if (!this.assumed.has(key)) this.cache.removePod(podKey(p));
    if (!this.wantsPod(p)) {
      this.dequeue(key);
      return;
    }
    if (!this.queue.has(key)) this.enqueue(key, { attempts: 0, readyAt: this.world.now, stamp: 0 });
    this.kick();
  }

  /** Into the active queue (or back into it), to be tried from q.readyAt. */
  private enqueue(key: string, q: QueuedPod): void {
    q.stamp = ++this.stamps;
    q.unschedulableSince = undefined;
    this.queue.set(key, q);
    this.unschedulable.delete(key);
    this.active.push({ key, readyAt: q.readyAt, stamp: q.stamp });
  }

  private dequeue(key: string): void {
    this.queue.delete(key);
    this.unschedulable.delete(key);
  }

  /** The active queue's first pod, dropping entries that are no longer current. */
  private peekActive(): Ready | undefined {
    for (let top = this.active.peek(); top !== undefined; top = this.active.peek()) {
      const q = this.queue.get(top.key);
      if (q !== undefined && q.stamp === top.stamp && q.unschedulableSince === undefined) return top;
      this.active.pop();
    }
    return undefined;
  }

  private forgetDecision(uid: string): void {
    const old = this.decisions.get(uid);
    if (old === undefined) return;
    this.keptVerdicts -= old.weight;
    this.decisions.delete(uid);
  }

  /** The last decision per pod, for the newest pods: the oldest go first when the budget is spent. */
  private keepDecision(uid: string, decision: SchedulingDecision, numNodes: number): void {
    this.forgetDecision(uid);
    // A PreFilter rejection evaluates no node but gives every node a verdict.
    const weight = decision.evaluated === 0 ? numNodes : decision.evaluated;
    this.decisions.set(uid, Object.assign(decision, { at: this.world.now, weight }));
    this.keptVerdicts += weight;
    for (const [old, d] of this.decisions) {
      if (this.decisions.size <= 1 || (this.decisions.size <= DECISIONS_KEPT && this.keptVerdicts <= DECISION_VERDICTS_KEPT)) break;
      this.keptVerdicts -= d.weight;
      this.decisions.delete(old);
    }
  }

  private wantsPod(p: KubeObject): boolean {
    const spec = (p.spec ?? {}) as { schedulerName?: string };
    const phase = (p.status as Obj | undefined)?.phase;
    return p.metadata.deletionTimestamp === undefined && (spec.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME && phase !== 'Succeeded' && phase !== 'Failed';
  }

  /** A cluster event that may make unschedulable pods fit: they move to the back-off queue (their back-off still applies). */
  private moveAllToActive(): void {
    if (this.unschedulable.size === 0) return;
    for (const key of [...this.unschedulable].sort()) {
      const q = this.queue.get(key);
      if (q !== undefined) this.enqueue(key, q);
    }
    this.unschedulable.clear();
    this.kick();
  }

  /** Every 30 s, pods that have waited 5 minutes are tried again even if nothing changed. */
  private flushUnschedulable(): void {
    for (const key of [...this.unschedulable].sort()) {
      const q = this.queue.get(key);
      if (q === undefined) this.unschedulable.delete(key);
      else if (this.world.now - (q.unschedulableSince ?? 0) >= SCHEDULER_DEFAULTS.podMaxInUnschedulablePodsDurationMs) this.enqueue(key, q);
    }
    this.flushTimer = this.world.schedule(30_000, `kube-scheduler ${this.host} flush`, () => this.flushUnschedulable());
    this.kick();
  }

  /** Plans the next scheduling cycle: the earliest ready pod, in order of arrival. */
  private kick(): void {
    if (this.informers === undefined) return;
    const best = this.peekActive();
    if (best === undefined) return;
    const delay = Math.max(0, best.readyAt - this.world.now);
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
    const next = this.peekActive();
    if (next === undefined || next.readyAt > now) return this.kick();
    this.active.pop();
    const key = next.key;
    const q = this.queue.get(key) as QueuedPod;
    const pod = informers.pods.get(key);
    if (pod === undefined || nodeName(pod) !== undefined || !this.wantsPod(pod)) {
      this.dequeue(key);
      return this.kick();
    }
    const snapshot = this.cache.snapshot();
    const decision = schedulePod(
      {
        pod,
        snapshot,
        startIndex: this.nextStartNodeIndex,
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
    this.keepDecision(pod.metadata.uid ?? '', decision, snapshot.nodes.length);
    if (snapshot.nodes.length > 0) this.nextStartNodeIndex = (this.nextStartNodeIndex + decision.evaluated) % snapshot.nodes.length;
    q.attempts++;
    if (decision.node === null) {
      q.unschedulableSince = now;
      q.readyAt = now + this.backoff(q.attempts);
      this.unschedulable.add(key);
      this.recorder.record(pod, 'Warning', 'FailedScheduling', decision.message);
      this.markUnschedulable(pod, decision.message);
      return this.kick();
    }
    const target = decision.node;
    const bound: KubeObject = { ...pod, spec: { ...(pod.spec as Obj), nodeName: target } };
    this.assumed.set(key, bound);
    this.cache.setPod(bound);
    this.dequeue(key);
    this.bindVolumes(key, pod, target, () => this.bind(key, pod, target, q.attempts), (message) => this.preBindFailed(key, pod, q.attempts, message));
    this.kick();
  }

  private bind(key: string, pod: KubeObject, target: string, attempts: number): void {
    const binding: KubeObject = { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? 'default', uid: pod.metadata.uid ?? '' }, target: { apiVersion: 'v1', kind: 'Node', name: target } };
    this.client.request({ verb: 'create', resource: 'pods', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '', subresource: 'binding', body: binding }, (r) => {
      if (r.ok && r.result.ok) {
        this.recorder.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''} to ${target}`);
        return;
      }
      // The bind failed (conflict, no quorum, timeout): forget the assumption and try again after a back-off.
      this.requeue(key, attempts);
    });
  }

  /** Forgets the assumption and tries the pod again after a back-off, if it still waits for a node. */
  private requeue(key: string, attempts: number): void {
    this.forgetAssumed(key);
    const current = this.informers?.pods.get(key);
    if (current !== undefined && nodeName(current) === undefined && this.wantsPod(current)) {
      this.enqueue(key, { attempts, readyAt: this.world.now + this.backoff(attempts), stamp: 0 });
      this.kick();
    }
  }

  /** Drops an assumption: the cache goes back to what the informer shows. */
  private forgetAssumed(key: string): void {
    const assumed = this.assumed.get(key);
    if (assumed === undefined) return;
    this.assumed.delete(key);
    this.cache.removePod(podKey(assumed));
    const current = this.informers?.pods.get(key);
    if (current !== undefined) this.cache.setPod(current);
  }

  /**
   * VolumeBinding's PreBind: the pod's unbound WaitForFirstConsumer claims get a volume on the
   * chosen node: a fitting static PV is pre-bound to the claim (its claimRef), otherwise the claim
   * is annotated with the node for its provisioner. Then it waits, polling each second, until the
   * PV controller has bound every claim (bindTimeoutSeconds 600).
   */
  private bindVolumes(key: string, pod: KubeObject, target: string, bound: () => void, failed: (message: string) => void): void {
    const informers = this.informers;
    if (informers === undefined) return;
    const claims = podClaimNames(pod).map((n) => informers.pvcs.get(`${pod.metadata.namespace ?? 'default'}/${n}`));
    const delayed = claims.filter((c): c is KubeObject => c !== undefined && claimVolumeName(c) === '' && waitsForConsumer(c, informers.classes.list()));
    if (delayed.length === 0) return bound();
    this.preBinding.add(key);
    const node = informers.nodes.get(target);
    const taken = new Set<string>();
    // What the writes returned: the wait reads the caches back only once they have caught up with them.
    const written = { volumes: [] as KubeObject[], claims: [] as KubeObject[] } satisfies VolumeWrites;
    const writes = delayed.map((claim) => {
      const pv = findBestMatch(claim, informers.pvs.list().filter((v) => !taken.has(v.metadata.name ?? '')), true, node?.metadata.labels ?? {});
      if (pv !== undefined) {
        taken.add(pv.metadata.name ?? '');
        const body = volumeBoundTo(pv, claim);
        if (body === undefined) written.volumes.push(pv);
        return body === undefined ? undefined : { verb: 'update' as const, resource: 'persistentvolumes', name: pv.metadata.name ?? '', body };
      }
      const patch = JSON.stringify({ metadata: { annotations: { [ANN_SELECTED_NODE]: target } } });
      return { verb: 'patch' as const, resource: 'persistentvolumeclaims', namespace: claim.metadata.namespace ?? 'default', name: claim.metadata.name ?? '', patchType: 'merge' as const, patch };
    });
    const deadline = this.world.now + BIND_TIMEOUT_MS;
    const stop = (): void => void this.preBinding.delete(key);
    const cache = { volume: (name: string) => informers.pvs.get(name), claim: (ns: string, name: string) => informers.pvcs.get(`${ns}/${name}`) };
    const outcome = (): (() => void) | undefined => {
      if (informers.pods.get(key)?.metadata.uid !== pod.metadata.uid) return () => this.forgetAssumed(key);
      const check = checkBindings(written, cache, { name: target, labels: node?.metadata.labels ?? {} });
      if (check === true) return bound;
      if (typeof check === 'string') return () => failed(`running PreBind plugin "VolumeBinding": binding volumes: ${check}`);
      if (this.world.now >= deadline) return () => failed('running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded');
      return undefined;
    };
    const poll = (): void => {
      if (this.informers !== informers || !this.preBinding.has(key)) return;
      const then = outcome();
      if (then === undefined) return void this.world.schedule(1_000, `kube-scheduler ${this.host} volume binding ${key}`, poll);
      stop();
      then();
    };
    const next = (i: number): void => {
      if (this.informers !== informers) return;
      if (i >= writes.length) return poll();
      const req = writes[i];
      if (req === undefined) return next(i + 1);
      this.client.request(req, (r) => {
        if (r.ok && r.result.ok) {
          (req.resource === 'persistentvolumes' ? written.volumes : written.claims).push(r.result.value as KubeObject);
          return next(i + 1);
        }
        stop();
        failed(`running PreBind plugin "VolumeBinding": binding volumes: ${!r.ok ? String(r.error) : r.result.ok ? '' : r.result.status.message}`);
      });
    };
    next(0);
  }

  private preBindFailed(key: string, pod: KubeObject, attempts: number, message: string): void {
    this.recorder.record(pod, 'Warning', 'FailedScheduling', message);
    this.requeue(key, attempts);
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

/** The claims a pod mounts, generic ephemeral volumes' included. */
function podClaimNames(p: KubeObject): string[] {
  const volumes = ((p.spec as Obj | undefined)?.volumes ?? []) as { name?: string; persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown }[];
  return volumes.flatMap((v) => (v.persistentVolumeClaim !== undefined ? [v.persistentVolumeClaim.claimName ?? ''] : v.ephemeral !== undefined ? [`${p.metadata.name ?? ''}-${v.name ?? ''}`] : []));
}

const claimVolumeName = (c: KubeObject): string => String((c.spec as Obj | undefined)?.volumeName ?? '');
const waitsForConsumer = (c: KubeObject, classes: readonly KubeObject[]): boolean => classes.find((s) => s.metadata.name === classOf(c))?.volumeBindingMode === 'WaitForFirstConsumer';

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
