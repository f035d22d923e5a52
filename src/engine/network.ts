import type { ScheduledEvent } from './eventQueue';
import { Hasher } from './hash';
import type { Rng } from './rng';

export type HostId = string;

/** What the network needs from the world: the clock and the event queue. */
export interface Scheduler {
  readonly now: number;
  at(timeMs: number, label: string, run: () => void): ScheduledEvent;
  cancel(ev: ScheduledEvent): boolean;
}

/** Latency of one class of link: uniform in [mean − jitter, mean + jitter], never below 0. */
export interface LinkLatency {
  meanMs: number;
  jitterMs: number;
}

export interface NetworkConfig {
  /** Between two processes on the same host (loopback). */
  sameHost: LinkLatency;
  /** Between hosts in the same availability zone. */
  sameZone: LinkLatency;
  /** Between hosts in different zones. */
  crossZone: LinkLatency;
  /** Probability that a message is delivered twice (independent latency for the copy). */
  duplicateProbability: number;
  /**
   * Off (the default): each link is first-in first-out, like a TCP connection.
   * On: every message also waits a random extra delay in [0, reorderWindowMs], so
   * later messages may overtake earlier ones.
   */
  reorder: boolean;
  reorderWindowMs: number;
  /** How many trace records are kept for the UI (the trace hash covers all of them). */
  traceCapacity: number;
}

export const DEFAULT_NETWORK_CONFIG: NetworkConfig = {
  sameHost: { meanMs: 0.05, jitterMs: 0.02 },
  sameZone: { meanMs: 0.5, jitterMs: 0.25 },
  crossZone: { meanMs: 3, jitterMs: 1 },
  duplicateProbability: 0,
  reorder: false,
  reorderWindowMs: 5,
  traceCapacity: 5_000,
};

/** A fault on the links between two sets of hosts (each a host, a zone or "*"), both directions. */
export interface LinkFault {
  between: readonly [string, string];
  /** Probability in [0, 1] that a message on these links is lost. */
  lossProbability?: number;
  /** Latency added to every message on these links. */
  extraLatencyMs?: number;
}

export interface Message<P = unknown> {
  readonly id: number;
  /** 0 for the original, 1 for a duplicate the network made. */
  readonly copy: number;
  readonly from: HostId;
  readonly to: HostId;
  /** Protocol message type, e.g. "MsgApp": shown in traces and the UI. */
  readonly type: string;
  /** Which process on the receiving host gets it ("" is the host's main process). */
  readonly port: string;
  readonly payload: P;
  readonly sentAt: number;
  readonly deliverAt: number;
}

export type MessageHandler = (msg: Message) => void;

export type DropReason = 'loss' | 'partition' | 'sender-down' | 'receiver-down';

export interface TraceRecord {
  readonly seq: number;
  readonly kind: 'send' | 'deliver' | 'drop' | 'duplicate';
  /** Virtual time the record was made. */
  readonly at: number;
  readonly msgId: number;
  readonly copy: number;
  readonly from: HostId;
  readonly to: HostId;
  readonly type: string;
  /** For send and duplicate: when the message is due. */
  readonly deliverAt?: number;
  readonly reason?: DropReason;
}

export interface NetworkStats {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
}

export interface HostInfo {
  readonly id: HostId;
  readonly zone: string;
  readonly alive: boolean;
}

interface HostRec {
  readonly id: HostId;
  readonly index: number;
  readonly zone: string;
  /** Outside the cluster's network (the learner's machine): partitions never cut it off. */
  readonly external: boolean;
  alive: boolean;
  /** One process per port; "" is the host's main process. */
  readonly handlers: Map<string, MessageHandler>;
}

interface InFlight {
  readonly msg: Message;
  readonly event: ScheduledEvent;
}

interface LinkParams {
  readonly latency: LinkLatency;
  readonly lossProbability: number;
  readonly extraLatencyMs: number;
}

const MAX_HOSTS = 0x10000;

/**
 * The simulated network between hosts. Messages are delivered as events after a
 * latency drawn for their link class; they can be lost, duplicated, reordered,
 * cut by partitions, and they die with the host they were going to.
 *
 * The clock counts whole milliseconds while links inside a zone are faster than
 * that: a latency is drawn as a real number and rounded stochastically (0.3 ms
 * becomes 1 ms three times in ten and 0 ms otherwise), so mean latencies stay
 * true. Messages due at the same millisecond keep their sending order.
 *
 * Invariants (checked by the property tests):
 * - no message is delivered between hosts that are in different partition groups
 *   at any moment of its flight: a partition drops what is in flight across it;
 * - a dead host sends nothing and receives nothing; killing a host loses what
 *   was in flight to it;
 * - with reordering off, each (from, to) link delivers in sending order.
 */
export class Network {
  private config: NetworkConfig;
  private readonly hostsById = new Map<HostId, HostRec>();
  private readonly hostList: HostRec[] = [];
  private readonly zoneNames = new Set<string>();
  /** Partition group per host index; undefined when the network is whole. */
  private groupOf_: Int32Array | undefined;
  private partitionSpec: string[][] | undefined;
  private linkFaults: LinkFault[] = [];
  private readonly linkCache = new Map<number, LinkParams>();
  /** Last delivery time per (from, to) link, for first-in first-out delivery. */
  private readonly lastDeliverAt = new Map<number, number>();
  private readonly inFlightByKey = new Map<number, InFlight>();
  private nextMsgId = 1;
  private traceSeq = 0;
  /** Circular buffer of the newest trace records; traceHead is where the next one goes. */
  private traceRing: TraceRecord[] = [];
  private traceHead = 0;
  private readonly traceHasher = new Hasher();
  private readonly interned = new Map<string, number>();
  private readonly statusListeners: ((id: HostId, alive: boolean) => void)[] = [];
  private readonly stats: NetworkStats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0 };

  constructor(
    private readonly sched: Scheduler,
    private readonly rng: Rng,
    config: Partial<NetworkConfig> = {},
  ) {
    this.config = { ...DEFAULT_NETWORK_CONFIG, ...config };
    validateConfig(this.config);
  }

  // ---- hosts ---------------------------------------------------------------

  /**
   * Adds a host. An `external` host stands for a machine outside the cluster, such as the
   * learner's laptop running kubectl: partitions of the cluster never cut it off (link faults
   * that name it still apply), and it is not part of any zone the cluster's faults name.
   */
  addHost(id: HostId, zone: string, handler?: MessageHandler, options: { external?: boolean } = {}): void {
    if (this.hostsById.has(id)) throw new Error(`host ${id} already exists`);
    if (this.zoneNames.has(id)) throw new Error(`host name ${id} is already the name of a zone`);
    if (this.hostsById.has(zone)) throw new Error(`zone name ${zone} is already the name of a host`);
    if (id === '*' || zone === '*') throw new Error('"*" is reserved: it means every host');
    if (this.hostList.length >= MAX_HOSTS) throw new Error(`at most ${MAX_HOSTS} hosts`);
    const external = options.external ?? false;
    const rec: HostRec = { id, index: this.hostList.length, zone, external, alive: true, handlers: new Map() };
    if (handler !== undefined) rec.handlers.set('', handler);
    this.hostsById.set(id, rec);
    this.hostList.push(rec);
    if (!external) this.zoneNames.add(zone);
    if (this.groupOf_ !== undefined) {
      // A host that joins during a partition lands in the implicit "everyone else" group.
      const grown = new Int32Array(this.hostList.length);
      grown.set(this.groupOf_);
      grown[rec.index] = (this.partitionSpec ?? []).length;
      this.groupOf_ = grown;
    }
    this.linkCache.clear();
  }

  /**
   * Sets (or replaces, or with undefined removes) the process that receives a host's messages
   * on a port. Several processes share a host this way (an etcd member and an API server on a
   * master); a message to a port nobody listens on is delivered and ignored, as a closed port drops it.
   */
  setHandler(id: HostId, handler: MessageHandler | undefined, port = ''): void {
    const handlers = this.host(id).handlers;
    if (handler === undefined) handlers.delete(port);
    else handlers.set(port, handler);
  }

  hosts(): HostInfo[] {
    return this.hostList.map(({ id, zone, alive }) => ({ id, zone, alive }));
  }

  zones(): string[] {
    return [...this.zoneNames];
  }

  isAlive(id: HostId): boolean {
    return this.host(id).alive;
  }

  /** Whether a host of that name exists (a Node object may name a machine that does not). */
  hasHost(id: HostId): boolean {
    return this.hostsById.has(id);
  }

  /**
   * Resolves a name to hosts: a host id, a zone name (every host in it) or "*".
   * Unknown names are an error naming what exists, never an empty match.
   */
  resolve(name: string): HostId[] {
    if (name === '*') return this.hostList.filter((h) => !h.external).map((h) => h.id);
    if (this.hostsById.has(name)) return [name];
    if (this.zoneNames.has(name)) return this.hostList.filter((h) => h.zone === name && !h.external).map((h) => h.id);
    throw new Error(
      `no host or zone named "${name}" (hosts: ${this.hostList.map((h) => h.id).join(', ')}; zones: ${[...this.zoneNames].join(', ')})`,
    );
  }

  /** Kills a host: it stops sending and receiving, and everything in flight to it is lost. */
  kill(id: HostId): void {
    const rec = this.host(id);
    if (!rec.alive) return;
    rec.alive = false;
    this.dropInFlight((m) => m.to === id, 'receiver-down');
    for (const l of this.statusListeners) l(id, false);
  }

  /** Brings a killed host back; the processes on it (listening through onHostStatus) start afresh. */
  restart(id: HostId): void {
    const rec = this.host(id);
    if (rec.alive) return;
    rec.alive = true;
    for (const l of this.statusListeners) l(id, true);
  }

  /** Calls `listener` whenever a host dies or comes back, in the order listeners were added. */
  onHostStatus(listener: (id: HostId, alive: boolean) => void): void {
    this.statusListeners.push(listener);
  }

  // ---- partitions and link faults -------------------------------------------

  /**
   * Splits the network into groups; traffic flows only inside a group. Each group
   * lists host ids and/or zone names; hosts named in no group form one more group
   * together. Replaces any earlier partition. Messages in flight across the new
   * cuts are dropped.
   */
  partition(groups: readonly (readonly string[])[]): void {
    const groupOf = new Int32Array(this.hostList.length).fill(groups.length);
    const seen = new Map<HostId, number>();
    groups.forEach((group, g) => {
      if (group.length === 0) throw new Error(`partition group ${g + 1} is empty`);
      for (const name of group) {
        for (const id of this.resolve(name)) {
          const before = seen.get(id);
          if (before !== undefined && before !== g) {
            throw new Error(`host ${id} is in partition groups ${before + 1} and ${g + 1}; a host can be in only one`);
          }
          seen.set(id, g);
          groupOf[this.host(id).index] = g;
        }
      }
    });
    this.groupOf_ = groupOf;
    this.partitionSpec = groups.map((g) => [...g]);
    this.dropInFlight((m) => !this.linked(m.from, m.to), 'partition');
  }

  /** Cuts one host off from every other host (it can still talk to itself). */
  isolate(id: HostId): void {
    this.partition([[id]]);
  }

  /** Removes every partition. Link faults (loss, latency) stay until cleared. */
  heal(): void {
    this.groupOf_ = undefined;
    this.partitionSpec = undefined;
  }

  /** Whether the partition lets traffic flow between two hosts (ignores liveness and loss). */
  linked(a: HostId, b: HostId): boolean {
    if (this.groupOf_ === undefined) return true;
    const x = this.host(a);
    const y = this.host(b);
    if (x.external || y.external) return true;
    return this.groupOf_[x.index] === this.groupOf_[y.index];
  }

  /** A host's partition group: its index in the groups given, groups.length for the unnamed rest; null when whole. */
  groupOf(id: HostId): number | null {
    if (this.groupOf_ === undefined || this.host(id).external) return null;
    return this.groupOf_[this.host(id).index] as number;
  }

  /** The current partition as given (null when whole). */
  partitionGroups(): string[][] | null {
    return this.partitionSpec === undefined ? null : this.partitionSpec.map((g) => [...g]);
  }

  /** Adds loss and/or extra latency on the links between two sets of hosts, both ways. */
  addLinkFault(fault: LinkFault): void {
    const loss = fault.lossProbability ?? 0;
    const extra = fault.extraLatencyMs ?? 0;
    if (!(loss >= 0 && loss <= 1)) throw new RangeError(`lossProbability must be in [0, 1], got ${loss}`);
    if (!(extra >= 0 && Number.isFinite(extra))) throw new RangeError(`extraLatencyMs must be ≥ 0, got ${extra}`);
    this.resolve(fault.between[0]);
    this.resolve(fault.between[1]);
    this.linkFaults.push({ between: [fault.between[0], fault.between[1]], lossProbability: loss, extraLatencyMs: extra });
    this.linkCache.clear();
  }

  clearLinkFaults(): void {
    this.linkFaults = [];
    this.linkCache.clear();
  }

  configure(patch: Partial<NetworkConfig>): void {
    const next = { ...this.config, ...patch };
    validateConfig(next);
    if (next.traceCapacity !== this.config.traceCapacity) {
      const kept = this.trace();
      this.traceRing = next.traceCapacity === 0 ? [] : kept.slice(-next.traceCapacity);
      this.traceHead = 0;
    }
    this.config = next;
    this.linkCache.clear();
  }

  getConfig(): NetworkConfig {
    return { ...this.config };
  }

  // ---- messages -----------------------------------------------------------

  /**
   * Sends a message. Returns it (with its due time) if it is on the wire, or
   * undefined if it was dropped at once (sender down, partition, loss); either
   * way the trace records what happened.
   */
  send<P>(from: HostId, to: HostId, type: string, payload: P, port = ''): Message<P> | undefined {
    const src = this.host(from);
    const dst = this.host(to);
    const now = this.sched.now;
    const msg: Message<P> = {
      id: this.nextMsgId++,
      copy: 0,
      from,
      to,
      type,
      port,
      payload,
      sentAt: now,
      deliverAt: now,
    };
    this.stats.sent++;
    if (!src.alive) return this.dropNow(msg, 'sender-down');
    // Nobody answers for a dead host: what is sent to it is lost, even if it comes back before it would have arrived.
    if (!dst.alive) return this.dropNow(msg, 'receiver-down');
    if (!this.linked(from, to)) return this.dropNow(msg, 'partition');
    const link = this.linkParams(src, dst);
    if (this.rng.chance(link.lossProbability)) return this.dropNow(msg, 'loss');

    const sent = this.put({ ...msg, deliverAt: this.dueTime(src, dst, link, now) }, 'send');
    if (this.rng.chance(this.config.duplicateProbability)) {
      this.stats.duplicated++;
      this.put({ ...msg, copy: 1, deliverAt: this.dueTime(src, dst, link, now) }, 'duplicate');
    }
    return sent;
  }

  /** Messages on the wire, in the order they will arrive. */
  inFlight(): Message[] {
    return [...this.inFlightByKey.values()]
      .map((f) => f.msg)
      .sort((a, b) => a.deliverAt - b.deliverAt || a.id - b.id || a.copy - b.copy);
  }

  getStats(): NetworkStats {
    return { ...this.stats };
  }

  /** Trace records kept for the UI, oldest first, optionally only those after a sequence number. */
  trace(afterSeq = 0): TraceRecord[] {
    const ring = this.traceRing;
    const ordered = ring.length < this.config.traceCapacity ? ring : [...ring.slice(this.traceHead), ...ring.slice(0, this.traceHead)];
    return ordered.filter((r) => r.seq > afterSeq);
  }

  /** Hash of every trace record ever made (not just the kept ones). */
  traceHash(): string {
    return this.traceHasher.digest();
  }

  /** Everything that decides the network's future behaviour, for the world's state hash. */
  hashInto(h: Hasher): void {
    const c = this.config;
    for (const l of [c.sameHost, c.sameZone, c.crossZone]) h.num(l.meanMs).num(l.jitterMs);
    h.num(c.duplicateProbability).bool(c.reorder).num(c.reorderWindowMs);
    h.u32(this.hostList.length);
    for (const rec of this.hostList) h.str(rec.id).str(rec.zone).bool(rec.alive).bool(rec.external);
    h.bool(this.groupOf_ !== undefined);
    if (this.groupOf_ !== undefined) for (const g of this.groupOf_) h.u32(g);
    h.u32(this.linkFaults.length);
    for (const f of this.linkFaults) {
      h.str(f.between[0]).str(f.between[1]).num(f.lossProbability ?? 0).num(f.extraLatencyMs ?? 0);
    }
    const fifo = [...this.lastDeliverAt.entries()].sort((a, b) => a[0] - b[0]);
    h.u32(fifo.length);
    for (const [k, t] of fifo) h.num(k).num(t);
    const flying = this.inFlight();
    h.u32(flying.length);
    for (const m of flying) h.num(m.id).u32(m.copy).str(m.from).str(m.to).str(m.type).str(m.port).num(m.sentAt).num(m.deliverAt);
    h.num(this.nextMsgId).num(this.traceSeq).str(this.traceHash());
    h.num(this.stats.sent).num(this.stats.delivered).num(this.stats.dropped).num(this.stats.duplicated);
  }

  // ---- internals ------------------------------------------------------------

  private host(id: HostId): HostRec {
    const rec = this.hostsById.get(id);
    if (rec === undefined) throw new Error(`no host named "${id}"`);
    return rec;
  }

  private linkParams(src: HostRec, dst: HostRec): LinkParams {
    const key = src.index * MAX_HOSTS + dst.index;
    let p = this.linkCache.get(key);
    if (p === undefined) {
      const latency =
        src === dst ? this.config.sameHost : src.zone === dst.zone ? this.config.sameZone : this.config.crossZone;
      let keep = 1;
      let extra = 0;
      for (const f of this.linkFaults) {
        if (this.faultCovers(f, src, dst)) {
          keep *= 1 - (f.lossProbability ?? 0);
          extra += f.extraLatencyMs ?? 0;
        }
      }
      p = { latency, lossProbability: 1 - keep, extraLatencyMs: extra };
      this.linkCache.set(key, p);
    }
    return p;
  }

  private faultCovers(f: LinkFault, a: HostRec, b: HostRec): boolean {
    const [x, y] = f.between;
    return (this.matches(x, a) && this.matches(y, b)) || (this.matches(x, b) && this.matches(y, a));
  }

  private matches(name: string, h: HostRec): boolean {
    return name === h.id || (!h.external && (name === '*' || name === h.zone));
  }

  /** Due time for a message on a link: sampled latency, stochastic rounding, FIFO unless reordering. */
  private dueTime(src: HostRec, dst: HostRec, link: LinkParams, now: number): number {
    const { meanMs, jitterMs } = link.latency;
    let ms = meanMs + jitterMs * (2 * this.rng.next() - 1);
    ms = Math.max(0, ms) + link.extraLatencyMs;
    if (this.config.reorder) ms += this.rng.uniform(0, this.config.reorderWindowMs);
    const whole = Math.floor(ms);
    let due = now + whole + (this.rng.next() < ms - whole ? 1 : 0);
    if (!this.config.reorder) {
      const key = src.index * MAX_HOSTS + dst.index;
      const last = this.lastDeliverAt.get(key);
      if (last !== undefined && last > due) due = last;
      this.lastDeliverAt.set(key, due);
    }
    return due;
  }

  private put<P>(msg: Message<P>, kind: 'send' | 'duplicate'): Message<P> {
    this.record(kind, msg, msg.deliverAt);
    const key = msg.id * 2 + msg.copy;
    const event = this.sched.at(msg.deliverAt, `deliver ${msg.type} ${msg.from}→${msg.to}`, () => {
      this.inFlightByKey.delete(key);
      this.deliver(msg);
    });
    this.inFlightByKey.set(key, { msg, event });
    return msg;
  }

  private deliver(msg: Message): void {
    const dst = this.host(msg.to);
    if (!dst.alive || !this.linked(msg.from, msg.to)) {
      // kill() and partition() drop what is in flight to a dead host or across a new cut, so this cannot happen.
      throw new Error(`network invariant broken: message ${msg.id} ${msg.from}→${msg.to} outlived its link or its receiver`);
    }
    this.stats.delivered++;
    this.record('deliver', msg);
    dst.handlers.get(msg.port)?.(msg);
  }

  private dropNow(msg: Message, reason: DropReason): undefined {
    this.record('send', msg);
    this.stats.dropped++;
    this.record('drop', msg, undefined, reason);
    return undefined;
  }

  private dropInFlight(pred: (m: Message) => boolean, reason: DropReason): void {
    // Map iteration is insertion order: the order messages were sent, so deterministic.
    for (const [key, f] of this.inFlightByKey) {
      if (!pred(f.msg)) continue;
      this.sched.cancel(f.event);
      this.inFlightByKey.delete(key);
      this.stats.dropped++;
      this.record('drop', f.msg, undefined, reason);
    }
  }

  /** A small number per distinct string, in order of first use (deterministic, so fit for hashing). */
  private intern(s: string): number {
    let n = this.interned.get(s);
    if (n === undefined) {
      n = this.interned.size + 1;
      this.interned.set(s, n);
      this.traceHasher.str(s);
    }
    return n;
  }

  private record(kind: TraceRecord['kind'], msg: Message, deliverAt?: number, reason?: DropReason): void {
    const seq = ++this.traceSeq;
    const at = this.sched.now;
    const h = this.traceHasher;
    // Hosts by index and names by interned number: the same information as the strings, far cheaper per message.
    h.u32(seq).u32(this.intern(kind)).num(at).num(msg.id).u32(msg.copy);
    h.u32(this.host(msg.from).index).u32(this.host(msg.to).index).u32(this.intern(msg.type));
    h.num(deliverAt ?? -1).u32(reason === undefined ? 0 : this.intern(reason));
    const cap = this.config.traceCapacity;
    if (cap <= 0) return;
    const rec: TraceRecord = {
      seq,
      kind,
      at,
      msgId: msg.id,
      copy: msg.copy,
      from: msg.from,
      to: msg.to,
      type: msg.type,
      ...(deliverAt === undefined ? {} : { deliverAt }),
      ...(reason === undefined ? {} : { reason }),
    };
    if (this.traceRing.length < cap) {
      this.traceRing.push(rec);
    } else {
      this.traceRing[this.traceHead] = rec;
      this.traceHead = (this.traceHead + 1) % cap;
    }
  }
}

function validateConfig(c: NetworkConfig): void {
  for (const [name, l] of [
    ['sameHost', c.sameHost],
    ['sameZone', c.sameZone],
    ['crossZone', c.crossZone],
  ] as const) {
    if (!(l.meanMs >= 0 && l.jitterMs >= 0 && Number.isFinite(l.meanMs) && Number.isFinite(l.jitterMs))) {
      throw new RangeError(`${name} latency needs meanMs ≥ 0 and jitterMs ≥ 0`);
    }
  }
  if (!(c.duplicateProbability >= 0 && c.duplicateProbability <= 1)) {
    throw new RangeError(`duplicateProbability must be in [0, 1], got ${c.duplicateProbability}`);
  }
  if (!(c.reorderWindowMs >= 0)) throw new RangeError('reorderWindowMs must be ≥ 0');
  if (!(Number.isInteger(c.traceCapacity) && c.traceCapacity >= 0)) {
    throw new RangeError('traceCapacity must be a whole number ≥ 0');
  }
}
