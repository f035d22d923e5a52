import type { ClusterSpec } from '../../engine';
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import type { ExplainSchemas } from '../../kubectl/explain';
import type { CommandResult } from '../../kubectl/commandResult';
import { podCells } from '../../kubectl/printers';
import { Session, type Command } from '../../scenario/session';
import { completeLine, type CompletionSource } from '../console/completion';
import { objectString } from '../objectRef';
import { SPEEDS, type Speed } from '../speeds';
import { isSessionAction, type ActionOutcome, type ClusterModel, type EventRecord, type Frame, type LoggedAction, type ReplicaSample, type Reply, type Request, type SessionAction, type TimeAction, type TrafficSample } from '../protocol';
import { inspect, toEventRecord, type InspectContext } from './inspect';
import { buildModel } from './model';

/** The wall clock of whoever hosts the server (the worker's performance.now; tests pass a fake). */
export interface WallClock {
  now(): number;
}

/** "Skip ahead" gives up after this much virtual time with nothing to show. */
export const SKIP_LIMIT_MS = 10 * 60_000;
/** "Step" gives up after this much virtual time without a committed write. */
export const STEP_LIMIT_MS = 60_000;
/** The boot runs at most this long before the learner sees the cluster. */
export const BOOT_LIMIT_MS = 60_000;
/** Above this many pods the model is rebuilt at most every MODEL_INTERVAL_MS of wall time. */
const LARGE_CLUSTER_PODS = 2_000;
const MODEL_INTERVAL_MS = 250;
/** Engine events run between two looks at the wall clock. */
const CHUNK_EVENTS = 500;

/**
 * The engine side of the playground: one Session (the cluster and its console), the
 * playback clock, and the frames the page draws. The Web Worker (worker.ts) only carries
 * messages and calls `tick` in a loop; everything here is plain code a test can drive.
 *
 * Wall time enters only here, as the anchor of playback: while playing, virtual time should be
 * `anchor virtual + (wall now − anchor wall) × speed`. `tick` runs the world toward that within a
 * wall-time budget; when it cannot keep up it re-anchors, so the clock slows instead of
 * freezing the page. Which actions run at which virtual time is all the log records, so a
 * replay does not depend on how fast this machine was.
 */
export class EngineServer {
  private session!: Session;
  private log: LoggedAction[] = [];
  private unsentLog: LoggedAction[] = [];
  private playing = true;
  private speed = 1;
  private anchorVirtual = 0;
  private anchorWall = 0;
  private model: ClusterModel | undefined;
  private modelSent = false;
  private modelBuiltAt = -Infinity;
  private modelBuiltAtVirtual = -Infinity;
  private newEvents: EventRecord[] = [];
  private eventCounts = new Map<string, number>();
  private lastSample = new Map<string, ReplicaSample>();
  private newSamples: Record<string, ReplicaSample[]> = {};
  /** Per traffic series, the start of the newest second sent to the page. */
  private trafficSent = new Map<string, number>();
  private newTraffic: Record<string, TrafficSample[]> = {};
  private engineError: string | null = null;
  private achieved: { wall: number; virtual: number }[] = [];
  private explain: ExplainSchemas | undefined;
  /** Which cluster this is: bumped by every reset, so the page can drop frames of the old one. */
  private epoch = 0;
  /** A restore under way: the log, the next entry to run, and where it ends. */
  private restoring: { readonly log: readonly LoggedAction[]; next: number; readonly untilMs: number } | null = null;
  /** Keys the view reported changed that `observe` has not looked at yet. */
  private unobserved = new Set<string>();

  constructor(
    spec: ClusterSpec,
    seed: number | string,
    private readonly clock: WallClock,
  ) {
    this.start(spec, seed);
  }

  /** The running session (for tests and the benchmark). */
  get current(): Session {
    return this.session;
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  /** `kubectl explain`'s schemas, once the host has loaded them. */
  setExplainSchemas(schemas: ExplainSchemas): void {
    this.explain = schemas;
    this.session.setExplainSchemas(schemas);
  }

  handle(request: Request): Reply {
    try {
      switch (request.op) {
        case 'dispatch':
          return { op: 'dispatch', outcome: this.dispatch(request.action) };
        case 'time':
          this.time(request.action);
          return { op: 'time' };
        case 'inspect':
          this.refreshView();
          return { op: 'inspect', inspection: inspect(this.inspectContext(), request.ref) };
        case 'complete':
          this.refreshView();
          return { op: 'complete', completion: completeLine(request.line, request.cursor, this.completionSource(request.files ?? [])) };
        case 'reset':
          this.restoring = null;
          this.start(request.spec, request.seed);
          return { op: 'reset', epoch: this.epoch };
        case 'restore':
          this.restore(request.spec, request.seed, request.log, request.untilMs);
          return { op: 'restore', epoch: this.epoch };
      }
    } catch (err) {
      return { op: 'error', message: err instanceof Error ? err.message : String(err) };
    }
  }

  /**
   * Starts rebuilding a session from its log: a new cluster from the spec and seed, then (in
   * `tick`, a budget at a time, so the page stays live) each logged action at its virtual time,
   * then on to `untilMs`. Paused when done. Actions sent meanwhile are refused.
   */
  restore(spec: ClusterSpec, seed: number | string, log: readonly LoggedAction[], untilMs: number): void {
    let last = 0;
    for (const e of log) {
      if (!Number.isSafeInteger(e.atMs) || e.atMs < last) throw new RangeError(`the action log is not in time order at ${e.atMs} ms`);
      last = e.atMs;
    }
    if (!Number.isSafeInteger(untilMs) || untilMs < last) throw new RangeError(`cannot restore to ${untilMs} ms: the log goes on to ${last} ms`);
    this.start(spec, seed);
    this.log = [...log];
    this.unsentLog = [...log];
    this.playing = false;
    this.restoring = { log, next: 0, untilMs };
  }

  /**
   * Replays the restore's log for at most `budgetMs` of wall time. A slice may stop inside a
   * millisecond; actions run only once their millisecond is reached, as they did live.
   */
  private replaySlice(budgetMs: number): void {
    const r = this.restoring;
    if (r === null) return;
    const world = this.session.world;
    const started = this.clock.now();
    try {
      while (this.clock.now() - started < budgetMs) {
        const entry = r.log[r.next];
        const target = entry === undefined ? r.untilMs : Math.max(entry.atMs, world.now);
        if (!world.runUntil(target, { maxEvents: CHUNK_EVENTS }).reached) continue;
        if (entry === undefined) {
          this.restoring = null;
          break;
        }
        r.next++;
        const a = entry.action;
        if (isSessionAction(a)) {
          try {
            this.session.run(toCommand(a));
          } catch {
            // The live session turned the same throw into an error on the console.
          }
        } else if (a.type === 'speed' && SPEEDS.includes(a.speed as Speed)) this.speed = a.speed;
      }
    } catch (err) {
      this.engineError = err instanceof Error ? err.message : String(err);
      this.restoring = null;
    }
    this.reanchor();
  }

  /** Runs one action to its end, at the current virtual time, and logs it. */
  dispatch(action: SessionAction): ActionOutcome {
    if (this.restoring !== null) throw new Error('the cluster is still being restored; wait a moment');
    const world = this.session.world;
    const startedAtMs = world.now;
    this.record(action);
    let result: CommandResult;
    try {
      result = this.session.run(toCommand(action));
    } catch (err) {
      // A fault naming a host that does not exist, a runaway: the learner's mistake, not a crash.
      result = { exitCode: 1, stdout: '', stderr: `error: ${err instanceof Error ? err.message : String(err)}\n` };
    }
    this.reanchor();
    this.observe(true);
    return { ...result, startedAtMs, endedAtMs: world.now };
  }

  time(action: TimeAction): void {
    if (this.restoring !== null) throw new Error('the cluster is still being restored; wait a moment');
    if (action.type === 'speed' && !SPEEDS.includes(action.speed as Speed)) throw new RangeError(`speed must be one of ${SPEEDS.join(', ')}, got ${action.speed}`);
    this.record(action);
    switch (action.type) {
      case 'play':
        if (this.engineError === null) this.playing = true;
        break;
      case 'pause':
        this.playing = false;
        break;
      case 'speed':
        this.speed = action.speed;
        break;
      case 'step':
        this.playing = false;
        this.step();
        break;
      case 'skip':
        this.playing = false;
        this.skip();
        break;
    }
    this.reanchor();
    this.observe(true);
  }

  /**
   * Plays for at most `budgetMs` of wall time and returns the frame to post (null when paused
   * and nothing changed since the last frame).
   */
  tick(budgetMs: number): Frame | null {
    if (this.restoring !== null) {
      this.replaySlice(budgetMs);
      this.observe(false);
      return this.frame();
    }
    if (!this.playing || this.engineError !== null) return this.pendingFrame();
    const world = this.session.world;
    const started = this.clock.now();
    const target = this.anchorVirtual + Math.floor((started - this.anchorWall) * this.speed);
    try {
      while (world.now < target) {
        const r = world.runUntil(target, { maxEvents: CHUNK_EVENTS });
        if (r.reached) break;
        if (this.clock.now() - started >= budgetMs) {
          // Behind: let the clock slow down rather than owe a backlog. The millisecond under way is
          // finished first: actions are logged by millisecond, so they must run on a boundary.
          world.runUntil(world.now);
          this.reanchor();
          break;
        }
      }
    } catch (err) {
      this.engineError = err instanceof Error ? err.message : String(err);
      this.playing = false;
    }
    this.measure();
    this.observe(false);
    return this.frame();
  }

  private start(spec: ClusterSpec, seed: number | string): void {
    this.session = new Session({ seed, spec }, this.explain);
    this.epoch++;
    this.log = [];
    this.unsentLog = [];
    this.model = undefined;
    this.modelSent = false;
    this.modelBuiltAt = -Infinity;
    this.modelBuiltAtVirtual = -Infinity;
    this.newEvents = [];
    this.unobserved = new Set();
    this.eventCounts.clear();
    this.lastSample.clear();
    this.newSamples = {};
    this.trafficSent.clear();
    this.newTraffic = {};
    this.engineError = null;
    this.achieved = [];
    this.boot();
    this.reanchor();
    this.observe(true);
  }

  /**
   * A learner opens a cluster that is up, as a kubeadm cluster is by the time anyone uses it:
   * virtual time runs until etcd has a leader and every node's kubelet has registered Ready
   * (BOOT_LIMIT_MS at most). The boot is part of the run, so a replay goes through it too.
   */
  private boot(): void {
    const { world, view, cluster } = this.session;
    const limit = world.now + BOOT_LIMIT_MS;
    const up = (): boolean => {
      view.refresh();
      return cluster.nodes.every((n) => {
        const node = view.get('nodes', undefined, n.name);
        const conditions = ((node?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
        return !world.net.isAlive(n.name) || conditions.some((c) => c.type === 'Ready' && c.status === 'True');
      });
    };
    while (world.now < limit && !up()) world.runUntil(Math.min(limit, world.now + 500));
  }

  private record(action: SessionAction | TimeAction): void {
    const entry = { atMs: this.session.world.now, action };
    this.log.push(entry);
    this.unsentLog.push(entry);
  }

  private reanchor(): void {
    this.anchorVirtual = this.session.world.now;
    this.anchorWall = this.clock.now();
  }

  private measure(): void {
    const wall = this.clock.now();
    this.achieved.push({ wall, virtual: this.session.world.now });
    while (this.achieved.length > 2 && (this.achieved[0] as { wall: number }).wall < wall - 1_000) this.achieved.shift();
  }

  private achievedSpeed(): number {
    const first = this.achieved[0];
    const last = this.achieved[this.achieved.length - 1];
    if (first === undefined || last === undefined || last.wall - first.wall < 100) return this.playing ? this.speed : 0;
    return (last.virtual - first.virtual) / (last.wall - first.wall);
  }

  /** Until the next committed write changes the stored state (or STEP_LIMIT_MS). */
  private step(): void {
    const world = this.session.world;
    const before = this.storeRevision();
    const limit = world.now + STEP_LIMIT_MS;
    while (this.storeRevision() === before && world.now < limit) {
      if (!world.step()) break;
    }
    // The rest of that millisecond too: the next action starts on a boundary.
    world.runUntil(world.now);
  }

  /**
   * Until something a learner would notice: a new Kubernetes Event, a pod changing its STATUS
   * or readiness, a node's Ready condition changing (lease renewals and status heartbeats do
   * not count). At most SKIP_LIMIT_MS.
   */
  private skip(): void {
    const world = this.session.world;
    const view = this.session.view;
    this.refreshView();
    // What a learner sees of each pod and node, kept per etcd key and updated only where the store changed.
    const seen = new Map<string, string>();
    for (const p of view.list('pods')) seen.set(`/registry/pods/${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`, podSignature(p, world.now));
    for (const n of view.list('nodes')) seen.set(`/registry/minions/${n.metadata.name ?? ''}`, nodeSignature(n));
    const limit = world.now + SKIP_LIMIT_MS;
    while (world.now < limit) {
      world.runUntil(Math.min(limit, world.now + 100));
      const changed = this.refreshView();
      let noticed = false;
      for (const key of changed) {
        if (key.startsWith('/registry/events/')) noticed = true;
        const pod = key.startsWith('/registry/pods/');
        if (!pod && !key.startsWith('/registry/minions/')) continue;
        const o = view.atKey(key);
        const sig = o === undefined ? 'gone' : pod ? podSignature(o, world.now) : nodeSignature(o);
        if (seen.get(key) !== sig) noticed = true;
        seen.set(key, sig);
      }
      if (noticed) break;
    }
  }

  private storeRevision(): number {
    let rev = 0;
    for (const m of this.session.cluster.etcd.members()) if (m.running) rev = Math.max(rev, m.kv.revision);
    return rev;
  }

  /** Refreshes the view; the keys it reports wait in `unobserved` until `observe` reads them. */
  private refreshView(): Set<string> {
    const changed = this.session.view.refresh();
    for (const k of changed) this.unobserved.add(k);
    return changed;
  }

  /** Reads what changed: events, samples, the model (throttled at scale unless `force`). */
  private observe(force: boolean): void {
    const view = this.session.view;
    this.refreshView();
    const changed = this.unobserved;
    this.unobserved = new Set();
    for (const key of changed) {
      if (!key.startsWith('/registry/events/')) continue;
      const ev = view.atKey(key);
      const rec = ev === undefined ? undefined : toEventRecord(ev);
      if (rec === undefined) {
        // Expired (the API server keeps Events an hour) or deleted.
        this.eventCounts.delete(key);
        continue;
      }
      if (this.eventCounts.get(key) === rec.count) continue;
      this.eventCounts.set(key, rec.count);
      this.newEvents.push(rec);
    }
    // Lease holders lapse with time alone, so a model older than a virtual second is stale too.
    const now = this.session.world.now;
    const stale = this.model === undefined || changed.size > 0 || now - this.modelBuiltAtVirtual >= 1_000;
    const wall = this.clock.now();
    const large = (this.model?.pods.length ?? 0) > LARGE_CLUSTER_PODS;
    if (stale && (force || !large || wall - this.modelBuiltAt >= MODEL_INTERVAL_MS)) {
      this.model = buildModel(this.session.cluster, view, now);
      this.modelBuiltAt = wall;
      this.modelBuiltAtVirtual = now;
      this.modelSent = false;
      this.sample(this.model);
    }
    this.collectTraffic();
  }

  /** Seconds of traffic that ended since the last look; the second under way waits, so a chart never shows half a second as a dip. */
  private collectTraffic(): void {
    const now = this.session.world.now;
    for (const [key, series] of this.session.cluster.dataPlane.allSeries()) {
      const sent = this.trafficSent.get(key) ?? -Infinity;
      const all = series.since();
      let i = all.length;
      while (i > 0 && (all[i - 1] as TrafficSample).t > sent) i--;
      for (; i < all.length; i++) {
        const s = all[i] as TrafficSample;
        if (s.t + 1_000 > now) break;
        (this.newTraffic[key] ??= []).push({ t: s.t, requests: s.requests, ok: s.ok, dns: s.dns, refused: s.refused, timeout: s.timeout, error: s.error });
        this.trafficSent.set(key, s.t);
      }
    }
  }

  private sample(model: ClusterModel): void {
    const now = this.session.world.now;
    const present = new Set(model.workloads.map(objectString));
    for (const key of this.lastSample.keys()) if (!present.has(key)) this.lastSample.delete(key);
    for (const w of model.workloads) {
      const key = objectString(w);
      const last = this.lastSample.get(key);
      if (last !== undefined && last.desired === w.desired && last.ready === w.ready) continue;
      const s = { atMs: now, desired: w.desired, ready: w.ready };
      this.lastSample.set(key, s);
      (this.newSamples[key] ??= []).push(s);
    }
  }

  private quorum(): boolean {
    const cluster = this.session.cluster;
    const leader = cluster.etcd.leader();
    if (leader === undefined) return false;
    const net = cluster.world.net;
    const members = cluster.etcd.members();
    const reachable = members.filter((m) => m.running && (m.id === leader.id || net.linked(leader.id, m.id))).length;
    return reachable >= Math.floor(members.length / 2) + 1;
  }

  private pendingFrame(): Frame | null {
    if (this.modelSent && this.newEvents.length === 0 && this.unsentLog.length === 0 && Object.keys(this.newSamples).length === 0 && Object.keys(this.newTraffic).length === 0) return null;
    return this.frame();
  }

  /** The frame with everything not yet sent. */
  frame(): Frame {
    const frame: Frame = {
      epoch: this.epoch,
      snapshot: this.session.cluster.snapshot(),
      ...(this.modelSent || this.model === undefined ? {} : { model: this.model }),
      newEvents: this.newEvents,
      quorum: this.quorum(),
      playing: this.playing,
      speed: this.speed,
      achievedSpeed: this.achievedSpeed(),
      newSamples: this.newSamples,
      newTraffic: this.newTraffic,
      newLog: this.unsentLog,
      engineError: this.engineError,
      restoring: this.restoring === null ? null : { atMs: this.session.world.now, untilMs: this.restoring.untilMs },
    };
    this.modelSent = true;
    this.newEvents = [];
    this.newSamples = {};
    this.newTraffic = {};
    this.unsentLog = [];
    return frame;
  }

  /** Every action so far (the share-link issue builds on this). */
  actionLog(): readonly LoggedAction[] {
    return this.log;
  }

  private inspectContext(): InspectContext {
    const cluster = this.session.cluster;
    return {
      view: this.session.view,
      now: cluster.world.now,
      decisionOf: (uid) => cluster.schedulingDecision(uid),
    };
  }

  private completionSource(files: readonly string[]): CompletionSource {
    const session = this.session;
    const view = session.view;
    return {
      names: (plural, namespace) =>
        view
          .list(plural)
          .filter((o) => namespace === undefined || o.metadata.namespace === undefined || o.metadata.namespace === namespace)
          .map((o) => o.metadata.name ?? '')
          .sort(),
      namespaces: () => view.list('namespaces').map((o) => o.metadata.name ?? ''),
      contexts: () => session.contexts(),
      nodes: () => session.cluster.nodes.map((n) => n.name),
      zones: () => [...session.cluster.spec.zones],
      files: () => [...files],
    };
  }
}

export function toCommand(action: SessionAction): Command {
  switch (action.type) {
    case 'kubectl':
      return { kind: 'kubectl', command: action.command, ...(action.stdin === undefined ? {} : { stdin: action.stdin }), ...(action.files === undefined ? {} : { files: action.files }) };
    case 'etcdctl':
    case 'curl':
    case 'load':
      return { kind: action.type, command: action.command };
    case 'fault':
      return { kind: 'fault', fault: action.fault };
    case 'crashContainer':
      return { kind: 'crashContainer', namespace: action.namespace, pod: action.pod, ...(action.container === undefined ? {} : { container: action.container }) };
  }
}

/** A pod as kubectl get pods shows it, without its age: STATUS, READY and where it runs. */
function podSignature(p: KubeObject, now: number): string {
  const cells = podCells(p, now);
  return `${cells.reason} ${cells.ready} ${(p.spec as { nodeName?: string } | undefined)?.nodeName ?? ''}`;
}

/** A node's Ready condition and whether it takes new pods. */
function nodeSignature(n: KubeObject): string {
  const status = n.status as { conditions?: { type?: string; status?: string }[] } | undefined;
  const ready = status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '';
  return `${ready} ${(n.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true}`;
}
