import type { ScheduledEvent } from '../eventQueue';
import { hashString } from '../hash';
import type { Message } from '../network';
import { RaftMember } from '../raft/raft';
import { MessageType, type RaftMessage, type RaftStorage, emptyStorage } from '../raft/types';
import type { World } from '../world';
import { CompactedError, KvStore } from './kvStore';
import {
  describeTxn,
  ETCD_VERSION,
  type EtcdEntry,
  type MemberStatus,
  EtcdError,
  EtcdMsg,
  type EtcdResponse,
  type RangeCall,
  type TxnCall,
  type WatchCall,
  type WatchEvents,
} from './etcdProtocol';

/** etcd's defaults: 100 ms heartbeat, 1,000 ms election timeout, request timeout 5 s + 2 × election timeout. */
export interface EtcdSettings {
  tickMs: number;
  heartbeatTicks: number;
  electionTicks: number;
  requestTimeoutMs: number;
  preVote: boolean;
  checkQuorum: boolean;
  maxEntriesPerMsg: number;
  /** How often a member tells its watchers its revision when nothing changed. */
  watchProgressMs: number;
  /** Watch history each member keeps. */
  maxHistory: number;
}

export const DEFAULT_ETCD_SETTINGS: EtcdSettings = {
  tickMs: 100,
  heartbeatTicks: 1,
  electionTicks: 10,
  requestTimeoutMs: 7_000,
  preVote: true,
  checkQuorum: true,
  maxEntriesPerMsg: 64,
  watchProgressMs: 1_000,
  maxHistory: 100_000,
};

const RAFT_TYPES = new Set<string>(Object.values(MessageType));

/** "host:port" → [host, port]. */
function splitAddress(address: string): [string, string] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), address.slice(i + 1)];
}

/** A member's ID as etcd prints it (16 hex digits), derived from its name so runs agree. */
export function memberId(name: string): string {
  return hashString(`etcd-member/${name}`);
}

/** What a member keeps on disk: survives a kill. */
export interface MemberDisk {
  raft: RaftStorage<EtcdEntry>;
  /** Restarts so far; part of request ids so a restarted member never confuses old and new requests. */
  incarnation: number;
}

export function emptyDisk(): MemberDisk {
  return { raft: emptyStorage<EtcdEntry>(), incarnation: 0 };
}

interface Waiter {
  readonly reqId: number;
  readonly client: string;
  readonly timeout: ScheduledEvent;
}

interface PendingRead {
  readonly call: RangeCall;
  readonly client: string;
  timeout: ScheduledEvent | undefined;
  /** Answered (or timed out). */
  done: boolean;
}

/** The reads one ReadIndex request confirms together (etcd's linearizableReadLoop). */
interface ReadBatch {
  readonly ctx: number;
  readonly reads: PendingRead[];
  retry: ScheduledEvent | undefined;
}

/** How long etcd waits for a ReadIndex answer before asking again (readIndexRetryTime). */
const READ_INDEX_RETRY_MS = 500;

interface Watcher {
  readonly call: WatchCall;
  readonly client: string;
  seq: number;
  /**
   * The next revision this watcher is owed. A member that lags behind the
   * revision a client resumes from must not send it the older changes it
   * applies while catching up.
   */
  nextRevision: number;
}


export interface EtcdMemberSnapshot {
  readonly id: string;
  readonly alive: boolean;
  readonly role: string;
  readonly term: number;
  readonly vote: string;
  readonly lead: string;
  readonly commit: number;
  readonly applied: number;
  readonly lastIndex: number;
  readonly revision: number;
  readonly logTail: readonly { readonly index: number; readonly term: number; readonly label: string }[];
}

/**
 * An etcd member on a master host: a Raft member, the key/value store it
 * applies to, and the client API (transactions, reads, watches) on top.
 * Writes are proposed through the leader (a follower forwards them) and
 * answered only once committed and applied here. Linearizable reads use
 * ReadIndex; serializable reads are answered from the local store.
 */
export class EtcdMember {
  readonly id: string;
  private raft: RaftMember<EtcdEntry> | undefined;
  private store = new KvStore();
  private tickEvent: ScheduledEvent | undefined;
  private progressEvent: ScheduledEvent | undefined;
  private nextId = 0;
  private readonly waiters = new Map<string, Waiter>();
  /** Linearizable reads: waiting for the next ReadIndex, the batch whose ReadIndex is in flight, and confirmed batches waiting for their index to be applied. */
  private readQueue: PendingRead[] = [];
  private readBatch: ReadBatch | undefined;
  private confirmedReads: { index: number; reads: PendingRead[] }[] = [];
  /** The applied index the confirmed reads were last checked against. */
  private servedAt = -1;
  private readonly watchers = new Map<string, Watcher>();
  /**
   * Requests Raft dropped because no leader was known (during an election, say):
   * proposed again on every tick until a leader appears or the request times out.
   */
  private waitingForLeader: { id: string; txn: TxnCall['txn'] }[] = [];

  constructor(
    private readonly world: World,
    id: string,
    private readonly peers: readonly string[],
    private readonly settings: EtcdSettings,
    readonly disk: MemberDisk,
  ) {
    this.id = id;
  }

  get running(): boolean {
    return this.raft !== undefined;
  }

  /** The Raft member (undefined while the host is down). */
  get raftMember(): RaftMember<EtcdEntry> | undefined {
    return this.raft;
  }

  /** This member's store (rebuilt from the log after a restart). */
  get kv(): KvStore {
    return this.store;
  }

  /** Starts the member's processes: on boot and after the host restarts. */
  start(): void {
    if (this.raft !== undefined) return;
    const s = this.settings;
    this.disk.incarnation++;
    this.store = new KvStore({ maxHistory: s.maxHistory });
    this.raft = new RaftMember<EtcdEntry>(
      {
        id: this.id,
        peers: this.peers,
        electionTicks: s.electionTicks,
        heartbeatTicks: s.heartbeatTicks,
        preVote: s.preVote,
        checkQuorum: s.checkQuorum,
        maxEntriesPerMsg: s.maxEntriesPerMsg,
      },
      this.disk.raft,
      this.world.rng.fork('raft').fork(this.id),
    );
    this.world.net.setHandler(this.id, (m) => this.receive(m));
    // Members boot at different moments: a random phase keeps their ticks from lining up.
    const phase = this.world.rng.fork('raft').fork(this.id).int(s.tickMs);
    this.tickEvent = this.world.schedule(phase, `raft tick ${this.id}`, () => this.tick());
    this.progressEvent = this.world.schedule(s.watchProgressMs, `watch progress ${this.id}`, () => this.progress());
    // Committed entries from before the restart are applied again: the store is rebuilt from the log.
    this.handleReady();
  }

  /** Stops everything volatile: the host died. Clients waiting on it will time out. */
  stop(): void {
    if (this.raft === undefined) return;
    if (this.tickEvent) this.world.cancel(this.tickEvent);
    if (this.progressEvent) this.world.cancel(this.progressEvent);
    for (const w of this.waiters.values()) this.world.cancel(w.timeout);
    for (const r of [...this.readQueue, ...(this.readBatch?.reads ?? []), ...this.confirmedReads.flatMap((b) => b.reads)]) if (r.timeout) this.world.cancel(r.timeout);
    if (this.readBatch?.retry) this.world.cancel(this.readBatch.retry);
    this.waiters.clear();
    this.readQueue = [];
    this.readBatch = undefined;
    this.confirmedReads = [];
    this.watchers.clear();
    this.waitingForLeader = [];
    this.raft = undefined;
    this.world.net.setHandler(this.id, undefined);
  }

  /** etcd's Status RPC: local knowledge only, so it answers even without a quorum. */
  status(): MemberStatus {
    const r = this.raft;
    const d = this.disk.raft;
    return {
      name: this.id,
      id: memberId(this.id),
      version: ETCD_VERSION,
      dbSize: this.store.approximateDbSize(),
      leader: r?.lead ? memberId(r.lead) : '',
      raftTerm: d.term,
      raftIndex: d.commit,
      raftAppliedIndex: r?.appliedIndex ?? 0,
      isLearner: false,
      errors: [],
    };
  }

  snapshot(tail = 8): EtcdMemberSnapshot {
    const r = this.raft;
    const entries = this.disk.raft.entries;
    return {
      id: this.id,
      alive: r !== undefined,
      role: r?.role ?? 'down',
      term: this.disk.raft.term,
      vote: this.disk.raft.vote,
      lead: r?.lead ?? '',
      commit: this.disk.raft.commit,
      applied: r?.appliedIndex ?? 0,
      lastIndex: entries.length,
      revision: this.store.revision,
      logTail: entries.slice(-tail).map((e) => ({ index: e.index, term: e.term, label: e.label })),
    };
  }

  // ---- event handlers ---------------------------------------------------------------

  private tick(): void {
    const r = this.raft;
    if (r === undefined) return;
    r.tick();
    this.retryWaitingForLeader();
    this.handleReady();
    this.tickEvent = this.world.schedule(this.settings.tickMs, `raft tick ${this.id}`, () => this.tick());
  }

  private receive(m: Message): void {
    const r = this.raft;
    if (r === undefined) return;
    if (RAFT_TYPES.has(m.type)) {
      // Raft copes with lost, duplicated and reordered messages by design.
      r.step(m.payload as RaftMessage<EtcdEntry>);
    } else if (m.copy > 0) {
      // Client requests travel over TCP in etcd (gRPC): a copy the network made is what TCP would discard.
      return;
    } else {
      // Answers go back to the host and port the request came from ("host:port").
      const client = `${m.from}:${(m.payload as { replyPort?: string }).replyPort ?? ''}`;
      if (m.type === EtcdMsg.Txn) this.handleTxn(m.payload as TxnCall, client);
      else if (m.type === EtcdMsg.Range) this.handleRange(m.payload as RangeCall, client);
      else if (m.type === EtcdMsg.Status) this.reply(client, { reqId: (m.payload as { reqId: number }).reqId, result: { kind: 'status', status: this.status() } });
      else if (m.type === EtcdMsg.Watch) this.handleWatch(m.payload as WatchCall, client);
      else if (m.type === EtcdMsg.WatchCancel) this.watchers.delete(`${client}/${(m.payload as { watchId: number }).watchId}`);
    }
    this.handleReady();
  }

  private handleTxn(call: TxnCall, client: string): void {
    const r = this.raft as RaftMember<EtcdEntry>;
    const id = `${this.id}#${this.disk.incarnation}.${++this.nextId}`;
    const timeout = this.world.schedule(this.settings.requestTimeoutMs, `etcd request timeout ${id}`, () => {
      this.waiters.delete(id);
      this.reply(client, { reqId: call.reqId, error: this.raft?.lead ? EtcdError.Timeout : EtcdError.NoLeader });
    });
    this.waiters.set(id, { reqId: call.reqId, client, timeout });
    if (!r.propose({ id, txn: call.txn }, describeTxn(call.txn))) this.waitingForLeader.push({ id, txn: call.txn });
  }

  private retryWaitingForLeader(): void {
    const r = this.raft;
    if (r === undefined || r.lead === '' || this.waitingForLeader.length === 0) return;
    const waiting = this.waitingForLeader;
    this.waitingForLeader = [];
    for (const w of waiting) {
      // Requests that timed out meanwhile were answered already: drop them.
      if (this.waiters.has(w.id) && !r.propose({ id: w.id, txn: w.txn }, describeTxn(w.txn))) this.waitingForLeader.push(w);
    }
  }

  private handleRange(call: RangeCall, client: string): void {
    if (call.serializable) {
      this.reply(client, { reqId: call.reqId, result: { kind: 'range', range: this.store.range(call.key, call.prefix) } });
      return;
    }
    const read: PendingRead = { call, client, timeout: undefined, done: false };
    read.timeout = this.world.schedule(this.settings.requestTimeoutMs, `etcd read timeout ${this.id}`, () => {
      read.done = true;
      this.reply(client, { reqId: call.reqId, error: this.raft?.lead ? EtcdError.Timeout : EtcdError.NoLeader });
    });
    this.readQueue.push(read);
    if (this.readBatch === undefined) this.startReadBatch();
  }

  /** One ReadIndex for every read queued since the last one. */
  private startReadBatch(): void {
    const reads = this.readQueue.filter((r) => !r.done);
    this.readQueue = [];
    if (reads.length === 0) return;
    const batch: ReadBatch = { ctx: this.readContext(), reads, retry: undefined };
    this.readBatch = batch;
    this.requestReadIndex(batch);
  }

  /** Asks Raft (again) to confirm the batch; without an answer in 500 ms, asks again (same context, as etcd does). */
  private requestReadIndex(batch: ReadBatch): void {
    // No leader known: the retry asks again.
    this.raft?.readIndex(batch.ctx);
    batch.retry = this.world.schedule(READ_INDEX_RETRY_MS, `etcd read index retry ${this.id}`, () => {
      if (this.readBatch !== batch) return;
      if (batch.reads.every((r) => r.done)) {
        this.readBatch = undefined;
        this.startReadBatch();
      } else this.requestReadIndex(batch);
    });
  }

  private handleWatch(call: WatchCall, client: string): void {
    const key = `${client}/${call.watchId}`;
    const w: Watcher = { call, client, seq: 0, nextRevision: call.startRevision };
    if (!this.raft?.lead) {
      this.sendWatch(w, [], EtcdError.NoLeader);
      return;
    }
    try {
      const events = this.store.eventsSince(call.startRevision, call.key, call.prefix);
      this.watchers.set(key, w);
      w.nextRevision = Math.max(call.startRevision, this.store.revision + 1);
      this.sendWatch(w, events);
    } catch (err) {
      if (!(err instanceof CompactedError)) throw err;
      this.sendWatch(w, [], EtcdError.Compacted);
    }
  }

  private progress(): void {
    if (this.raft === undefined) return;
    // Like etcd's WithRequireLeader: a member that lost its leader ends its watches so clients move on.
    const lead = this.raft.lead;
    for (const [key, w] of this.watchers) {
      if (lead) this.sendWatch(w, []);
      else {
        this.watchers.delete(key);
        this.sendWatch(w, [], EtcdError.NoLeader);
      }
    }
    this.progressEvent = this.world.schedule(this.settings.watchProgressMs, `watch progress ${this.id}`, () => this.progress());
  }

  /** Does what Raft asks: send, apply, serve reads. */
  private handleReady(): void {
    const r = this.raft;
    if (r === undefined) return;
    const rd = r.ready();
    for (const m of rd.messages) this.world.net.send(this.id, m.to, m.type, m);
    const before = this.store.revision;
    for (const e of rd.committed) {
      if (e.data === null) continue;
      const result = this.store.txn(e.data.txn);
      const w = this.waiters.get(e.data.id);
      if (w !== undefined) {
        this.waiters.delete(e.data.id);
        this.world.cancel(w.timeout);
        this.reply(w.client, { reqId: w.reqId, result: { kind: 'txn', txn: result } });
      }
    }
    if (this.store.revision > before) this.notifyWatchers(before + 1);
    for (const rs of rd.readStates) {
      const batch = this.readBatch;
      if (batch === undefined || rs.context !== batch.ctx) continue;
      if (batch.retry) this.world.cancel(batch.retry);
      this.readBatch = undefined;
      this.confirmedReads.push({ index: rs.index, reads: batch.reads });
    }
    if (this.readBatch === undefined && this.readQueue.length > 0) this.startReadBatch();
    // Reads wait for their index to be applied: only a new confirmation or a newer apply can release one.
    if (rd.readStates.length > 0 || r.appliedIndex !== this.servedAt) this.serveReads(r.appliedIndex);
  }

  private serveReads(applied: number): void {
    this.servedAt = applied;
    if (this.confirmedReads.length === 0) return;
    const waiting: { index: number; reads: PendingRead[] }[] = [];
    for (const batch of this.confirmedReads) {
      if (batch.index > applied) {
        waiting.push(batch);
        continue;
      }
      for (const read of batch.reads) {
        if (read.done) continue;
        read.done = true;
        if (read.timeout) this.world.cancel(read.timeout);
        this.reply(read.client, { reqId: read.call.reqId, result: { kind: 'range', range: this.store.range(read.call.key, read.call.prefix) } });
      }
    }
    this.confirmedReads = waiting;
  }

  private notifyWatchers(fromRevision: number): void {
    for (const w of this.watchers.values()) {
      const from = Math.max(fromRevision, w.nextRevision);
      if (from > this.store.revision) continue;
      const events = this.store.eventsSince(from, w.call.key, w.call.prefix);
      w.nextRevision = this.store.revision + 1;
      if (events.length > 0) this.sendWatch(w, events);
    }
  }

  private readContext(): number {
    // Unique across the group and across restarts: the leader matches read acks by context alone.
    const member = this.peers.indexOf(this.id);
    return ((this.disk.incarnation * 0x100000 + ++this.nextId) * 8 + member) % Number.MAX_SAFE_INTEGER;
  }

  private reply(client: string, resp: EtcdResponse): void {
    const [host, port] = splitAddress(client);
    this.world.net.send(this.id, host, EtcdMsg.Response, resp, port);
  }

  private sendWatch(w: Watcher, events: WatchEvents['events'], canceled?: EtcdError): void {
    const ev: WatchEvents = {
      watchId: w.call.watchId,
      seq: ++w.seq,
      events,
      revision: this.store.revision,
      ...(canceled === undefined ? {} : { canceled }),
    };
    const [host, port] = splitAddress(w.client);
    this.world.net.send(this.id, host, EtcdMsg.WatchEvents, ev, port);
  }
}
