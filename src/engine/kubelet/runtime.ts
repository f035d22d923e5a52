import type { ScheduledEvent } from '../eventQueue';
import type { Rng } from '../rng';
import type { World } from '../world';
import { imageDigest, type ImageRef, pullError } from './images';
import { leakOomAfterMs, programEnd, type Program } from './process';
import { type ContainerFs, VolumeData } from './volumes';

/** Registry download speed for the simulated pulls (bytes per virtual ms: 25 MB/s). */
const PULL_BYTES_PER_MS = 25_000;
/** Resolving the reference and unpacking, on top of the download. */
const PULL_OVERHEAD_MS = 400;
/** Creating the pod sandbox (pause container, network namespace, CNI). */
export const SANDBOX_MS = 800;
/** How long nginx-like servers take to exit after SIGTERM. */
const SIGTERM_EXIT_MS = 100;

/** Extra container start cost per RuntimeClass handler: gVisor and Kata boot a sandbox kernel. */
export const HANDLER_START_MS: Readonly<Record<string, number>> = { runc: 150, runsc: 1_200, kata: 3_000 };

export type ExitReason = 'Completed' | 'Error' | 'OOMKilled' | 'StartError' | 'ContainerCannotRun';

export interface ContainerRecord {
  /** 64 hex characters, as containerd's IDs. */
  readonly id: string;
  readonly podUid: string;
  readonly name: string;
  readonly attempt: number;
  readonly image: ImageRef;
  readonly imageID: string;
  readonly program: Program;
  /** The container's files: its own layer under its volume mounts. */
  readonly files?: ContainerFs;
  readonly createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: ExitReason;
  message?: string;
  /** Set once a stop was asked (SIGTERM sent). */
  stopping?: boolean;
  /**
   * Lines the program wrote about what happened to it on the network (a load generator's
   * results, wget's answer), added by the traffic model as it happens: virtual time, text.
   */
  appLog?: { readonly at: number; readonly line: string }[];
  timer?: ScheduledEvent;
}

export interface Sandbox {
  readonly podUid: string;
  readonly ip: string;
  readonly createdAt: number;
  readonly readyAt: number;
}

/**
 * containerd on one node: the image store, pod sandboxes and containers. It outlives the
 * kubelet (stopping the kubelet leaves containers running, as on a real node) and dies with
 * the host; images are on disk and survive a reboot. It tells its listener (the kubelet's
 * PLEG) when a container exits.
 */
export class ContainerRuntime {
  private readonly images = new Map<string, { repository: string; id: string; sizeBytes: number }>();
  private readonly pulls = new Map<string, { done: ((err: string | undefined) => void)[] }>();
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly containers = new Map<string, ContainerRecord>();
  /** The files of each pod's volumes that live on this node (emptyDir, ConfigMap…), by pod UID and volume name. */
  private readonly volumes = new Map<string, Map<string, VolumeData>>();
  /** The host's own directories, which hostPath volumes mount: on disk, they outlive pods and reboots. */
  readonly hostFiles = new VolumeData();
  private readonly timers = new Set<ScheduledEvent>();
  private nextIp = 2;
  listener: ((c: ContainerRecord) => void) | undefined;
  /** Told, after the kubelet, when a container starts or ends (the traffic model watches for clients). */
  readonly observers = new Set<(c: ContainerRecord) => void>();

  constructor(
    private readonly world: World,
    readonly node: string,
    /** The node's pod CIDR prefix ("10.244.3"), pod IPs are .2 to .254. */
    private readonly podNet: string,
    private readonly rng: Rng,
    preloaded: readonly ImageRef[] = [],
  ) {
    for (const ref of preloaded) this.images.set(ref.canonical, { repository: ref.repository, id: imageDigest(ref), sizeBytes: 0 });
  }

  hasImage(ref: ImageRef): boolean {
    return this.images.has(ref.canonical);
  }

  /** Images present on the node, as node.status.images lists them. */
  imageList(): { names: string[]; sizeBytes: number }[] {
    return [...this.images.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      // As containerd lists them: by digest (repository@sha256:…), then by the name it was pulled as.
      .map(([name, i]) => ({ names: [`${i.repository}@${i.id}`, name], sizeBytes: i.sizeBytes }));
  }

  /** Pulls an image; concurrent pulls of one image share the download. Calls back with containerd's error on failure. */
  pull(ref: ImageRef, sizeBytes: number, done: (err: string | undefined, ms: number) => void): void {
    const startedAt = this.world.now;
    const finish = (err: string | undefined): void => done(err, this.world.now - startedAt);
    const running = this.pulls.get(ref.canonical);
    if (running !== undefined) {
      running.done.push(finish);
      return;
    }
    const entry = { done: [finish] };
    this.pulls.set(ref.canonical, entry);
    const err = pullError(ref);
    const ms = err === undefined ? PULL_OVERHEAD_MS + Math.round(sizeBytes / PULL_BYTES_PER_MS) + this.rng.int(400) : 300 + this.rng.int(500);
    this.later(ms, `pull ${ref.canonical} on ${this.node}`, () => {
      this.pulls.delete(ref.canonical);
      if (err === undefined && !this.images.has(ref.canonical)) this.images.set(ref.canonical, { repository: ref.repository, id: imageDigest(ref), sizeBytes });
      for (const d of entry.done) d(err);
    });
  }

  sandbox(podUid: string): Sandbox | undefined {
    return this.sandboxes.get(podUid);
  }

  runSandbox(podUid: string): Sandbox {
    const existing = this.sandboxes.get(podUid);
    if (existing !== undefined) return existing;
    const ip = `${this.podNet}.${this.nextIp}`;
    this.nextIp = this.nextIp >= 254 ? 2 : this.nextIp + 1;
    const s: Sandbox = { podUid, ip, createdAt: this.world.now, readyAt: this.world.now + SANDBOX_MS };
    this.sandboxes.set(podUid, s);
    return s;
  }

  /** A pod's volume on this node, made (empty) the first time it is asked for. */
  podVolume(podUid: string, name: string, tmpfs: boolean): VolumeData {
    let pod = this.volumes.get(podUid);
    if (pod === undefined) this.volumes.set(podUid, (pod = new Map()));
    let data = pod.get(name);
    if (data === undefined) pod.set(name, (data = new VolumeData(tmpfs)));
    return data;
  }

  /** Removes a pod's sandbox, its volumes and every container of it (all must have exited). */
  removePod(podUid: string): void {
    this.sandboxes.delete(podUid);
    this.volumes.delete(podUid);
    for (const [id, c] of this.containers) if (c.podUid === podUid) this.containers.delete(id);
  }

  podsWithState(): string[] {
    const uids = new Set<string>([...this.sandboxes.keys(), ...this.volumes.keys()]);
    for (const c of this.containers.values()) uids.add(c.podUid);
    return [...uids].sort();
  }

  /** Every attempt of the pod's containers, oldest first. */
  containersOf(podUid: string): ContainerRecord[] {
    return [...this.containers.values()].filter((c) => c.podUid === podUid);
  }

  /**
   * Creates and starts a container. It starts after the handler's start cost; it ends by
   * itself when its program does, or is OOM-killed when it needs more memory than its limit.
   */
  start(podUid: string, name: string, attempt: number, image: ImageRef, program: Program, opts: { memoryLimitMiB?: number; handler?: string; files?: ContainerFs }): ContainerRecord {
    const id = this.containerId();
    const c: ContainerRecord = { id, podUid, name, attempt, image, imageID: `${image.repository}@${imageDigest(image)}`, program, ...(opts.files === undefined ? {} : { files: opts.files }), createdAt: this.world.now };
    this.containers.set(id, c);
    const startMs = HANDLER_START_MS[opts.handler ?? 'runc'] ?? HANDLER_START_MS.runc ?? 0;
    if (program.startError !== undefined) {
      this.later(startMs, `start ${name} on ${this.node}`, () => this.exit(c, 128, 'StartError', program.startError));
      return c;
    }
    c.timer = this.later(startMs, `start ${name} on ${this.node}`, () => {
      c.startedAt = this.world.now;
      const end = programEnd(program);
      const oom = opts.memoryLimitMiB !== undefined && program.memoryMiB > opts.memoryLimitMiB;
      // A leak reaches the cgroup's limit at a time known from the start: the OOM killer acts then.
      const leakOom = opts.memoryLimitMiB === undefined ? undefined : leakOomAfterMs(program, opts.memoryLimitMiB);
      if (oom) {
        c.timer = this.later(Math.max(50, program.startupMs), `oom ${name} on ${this.node}`, () => this.exit(c, 137, 'OOMKilled'));
      } else if (leakOom !== undefined && (end.exit === undefined || leakOom < end.exit.afterMs)) {
        c.timer = this.later(leakOom, `oom ${name} on ${this.node}`, () => this.exit(c, 137, 'OOMKilled'));
      } else if (end.exit !== undefined) {
        const { afterMs } = end.exit;
        c.timer = this.later(afterMs, `exit ${name} on ${this.node}`, () => {
          // A script ending in `cat` exits with its status, known once the file has been read.
          const code = programEnd(program, c.files?.forProgram(c.startedAt ?? this.world.now)).exit?.code ?? 0;
          this.exit(c, code, code === 0 ? 'Completed' : 'Error');
        });
      } else c.timer = undefined;
      this.listener?.(c);
      for (const o of this.observers) o(c);
    });
    return c;
  }

  /** SIGTERM, then SIGKILL after `graceMs`: a process that handles SIGTERM exits 0 at once, others are killed (137). */
  stop(id: string, graceMs: number): void {
    const c = this.containers.get(id);
    if (c === undefined || c.finishedAt !== undefined || c.stopping) return;
    c.stopping = true;
    if (c.timer) this.cancel(c.timer);
    if (c.startedAt === undefined) {
      c.timer = this.later(0, `stop ${c.name} on ${this.node}`, () => this.exit(c, 137, 'Error'));
      return;
    }
    const prompt = c.program.handlesSigterm;
    const ms = prompt ? Math.min(c.program.drainMs ?? SIGTERM_EXIT_MS, graceMs) : graceMs;
    c.timer = this.later(ms, `stop ${c.name} on ${this.node}`, () => this.exit(c, prompt && ms < graceMs ? 0 : 137, prompt && ms < graceMs ? 'Completed' : 'Error'));
  }

  /** Most lines kept per container in its network log (kubelet's log rotation, simplified). */
  static readonly APP_LOG_LIMIT = 5_000;

  /** The program writes a line to its log now (what its requests got, told by the traffic model). */
  appendLog(id: string, line: string): void {
    const c = this.containers.get(id);
    if (c === undefined || c.startedAt === undefined || c.finishedAt !== undefined) return;
    const log = (c.appLog ??= []);
    log.push({ at: this.world.now, line });
    if (log.length > ContainerRuntime.APP_LOG_LIMIT) log.splice(0, log.length - ContainerRuntime.APP_LOG_LIMIT);
  }

  /** The program ends by itself now with this code (a one-shot `wget` that got its answer). */
  finish(id: string, code: number): void {
    const c = this.containers.get(id);
    if (c === undefined || c.finishedAt !== undefined || c.startedAt === undefined || c.stopping === true) return;
    if (c.timer) this.cancel(c.timer);
    this.exit(c, code, code === 0 ? 'Completed' : 'Error');
  }

  /** Every container on the node that has started and not finished, in start order. */
  running(): ContainerRecord[] {
    return [...this.containers.values()].filter((c) => c.startedAt !== undefined && c.finishedAt === undefined);
  }

  /** The main process dies at once (a crash, or `kill -9 1` inside): exit 137, as containerd reports a SIGKILL. */
  crash(id: string): void {
    const c = this.containers.get(id);
    if (c === undefined || c.finishedAt !== undefined || c.startedAt === undefined) return;
    if (c.timer) this.cancel(c.timer);
    this.exit(c, 137, 'Error');
  }

  /** The host died: every process is gone, and what was in memory (tmpfs volumes); images and disk volumes stay. */
  wipe(): void {
    for (const t of this.timers) this.world.cancel(t);
    this.timers.clear();
    for (const p of this.pulls.values()) for (const d of p.done) d('context canceled');
    this.pulls.clear();
    this.sandboxes.clear();
    // The processes stopped now: what they wrote to volumes ends here.
    for (const c of this.containers.values()) if (c.startedAt !== undefined) c.finishedAt ??= this.world.now;
    this.containers.clear();
    for (const [uid, pod] of this.volumes) {
      for (const [name, data] of pod) if (data.tmpfs) pod.delete(name);
      if (pod.size === 0) this.volumes.delete(uid);
    }
  }

  private exit(c: ContainerRecord, code: number, reason: ExitReason, message?: string): void {
    if (c.finishedAt !== undefined) return;
    c.timer = undefined;
    c.finishedAt = this.world.now;
    c.exitCode = code;
    c.reason = reason;
    if (message !== undefined) c.message = message;
    this.listener?.(c);
    for (const o of this.observers) o(c);
  }

  private containerId(): string {
    let s = '';
    for (let i = 0; i < 8; i++) s += this.rng.u32().toString(16).padStart(8, '0');
    return s;
  }

  private later(ms: number, label: string, fn: () => void): ScheduledEvent {
    const ev = this.world.schedule(ms, label, () => {
      this.timers.delete(ev);
      fn();
    });
    this.timers.add(ev);
    return ev;
  }

  private cancel(ev: ScheduledEvent): void {
    this.timers.delete(ev);
    this.world.cancel(ev);
  }
}
