import { Rng } from '../rng';
import { RaftMember } from './raft';
import { emptyStorage, type Entry, type RaftConfig, type RaftMessage, type RaftStorage, type ReadState } from './types';

export type Data = string;

/**
 * A synchronous test bed for Raft members, like the `network` of etcd's raft
 * tests: messages wait in a mailbox until delivered, dropped or cut off; no
 * clock but ticks. Used by the paper tests and the transcript tests.
 */
export class RaftHarness {
  readonly members = new Map<string, RaftMember<Data>>();
  readonly storages = new Map<string, RaftStorage<Data>>();
  /** Messages sent and not yet delivered, in sending order. */
  mailbox: RaftMessage<Data>[] = [];
  /** Entries each member has applied, in order. */
  readonly applied = new Map<string, Entry<Data>[]>();
  /** Reads each member was told are safe to serve, in order. */
  readonly readStates = new Map<string, ReadState[]>();
  /** Pairs that cannot talk ("a>b"), and members that are down. */
  private readonly cut = new Set<string>();
  private readonly down = new Set<string>();
  private readonly rng: Rng;

  constructor(
    readonly ids: readonly string[],
    readonly config: Partial<Omit<RaftConfig, 'id' | 'peers'>> = {},
    seed = 1,
  ) {
    this.rng = new Rng(seed);
    for (const id of ids) {
      this.storages.set(id, emptyStorage<Data>());
      this.applied.set(id, []);
      this.boot(id);
    }
  }

  /** The configuration a member boots with: the defaults, overridden by `config`. */
  configFor(id: string): RaftConfig {
    return {
      id,
      peers: this.ids,
      electionTicks: 10,
      heartbeatTicks: 1,
      preVote: false,
      checkQuorum: false,
      maxEntriesPerMsg: 64,
      ...this.config,
    };
  }

  private boot(id: string): void {
    this.members.set(id, new RaftMember<Data>(this.configFor(id), this.storages.get(id) as RaftStorage<Data>, this.rng.fork(id)));
    this.applied.set(id, []);
    this.readStates.set(id, []);
  }

  member(id: string): RaftMember<Data> {
    const m = this.members.get(id);
    if (m === undefined) throw new Error(`no member ${id}`);
    return m;
  }

  /** Collects what a member wants to send and apply. */
  private collect(id: string): void {
    const rd = this.member(id).ready();
    this.mailbox.push(...rd.messages);
    (this.applied.get(id) as Entry<Data>[]).push(...rd.committed);
    (this.readStates.get(id) as ReadState[]).push(...rd.readStates);
  }

  collectAll(): void {
    for (const id of this.ids) if (!this.down.has(id)) this.collect(id);
  }

  tick(id: string, n = 1): void {
    for (let i = 0; i < n; i++) this.member(id).tick();
    this.collect(id);
  }

  /** Makes a member's election timer fire now. */
  campaign(id: string): void {
    this.member(id).step({ type: 'MsgHup', from: id, to: id, term: 0, logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0, context: 0 });
    this.collect(id);
  }

  propose(id: string, data: Data): boolean {
    const ok = this.member(id).propose(data, `PUT ${data}`);
    this.collect(id);
    return ok;
  }

  /** Asks a member for a linearizable read; false if it had to drop the request. */
  readIndex(id: string, context: number): boolean {
    const ok = this.member(id).readIndex(context);
    this.collect(id);
    return ok;
  }

  /** Why a message cannot arrive now, or undefined if it can. */
  blocked(m: RaftMessage<Data>): 'down' | 'partition' | undefined {
    if (this.down.has(m.to) || this.down.has(m.from)) return 'down';
    if (this.cut.has(`${m.from}>${m.to}`)) return 'partition';
    return undefined;
  }

  /** Hands one message to its recipient, unchecked, and collects what it sends and applies. */
  stepMessage(m: RaftMessage<Data>): void {
    this.member(m.to).step(m);
    this.collect(m.to);
  }

  /** Delivers pending messages (all, or those matching), returning what was delivered. */
  deliver(filter: (m: RaftMessage<Data>) => boolean = () => true): RaftMessage<Data>[] {
    const now = this.mailbox.filter(filter);
    this.mailbox = this.mailbox.filter((m) => !filter(m));
    const delivered: RaftMessage<Data>[] = [];
    for (const m of now) {
      if (this.blocked(m) !== undefined) continue;
      delivered.push(m);
      this.stepMessage(m);
    }
    return delivered;
  }

  /** Drops pending messages matching the filter. */
  drop(filter: (m: RaftMessage<Data>) => boolean): RaftMessage<Data>[] {
    const dropped = this.mailbox.filter(filter);
    this.mailbox = this.mailbox.filter((m) => !filter(m));
    return dropped;
  }

  /** Delivers until no message is pending; returns how many rounds it took. */
  stabilize(maxRounds = 1000): number {
    for (let round = 0; round < maxRounds; round++) {
      if (this.mailbox.length === 0) return round;
      this.deliver();
    }
    throw new Error(`not stable after ${maxRounds} rounds`);
  }

  /** Cuts both directions between a and each of others. */
  partition(groups: readonly (readonly string[])[]): void {
    this.cut.clear();
    const groupOf = new Map<string, number>();
    groups.forEach((g, i) => g.forEach((id) => groupOf.set(id, i)));
    for (const a of this.ids) for (const b of this.ids) {
      if ((groupOf.get(a) ?? -1) !== (groupOf.get(b) ?? -1)) this.cut.add(`${a}>${b}`);
    }
  }

  isolate(id: string): void {
    this.partition([[id], this.ids.filter((x) => x !== id)]);
  }

  heal(): void {
    this.cut.clear();
  }

  /** Stops a member: its volatile state is lost, its storage kept. */
  kill(id: string): void {
    this.down.add(id);
    this.mailbox = this.mailbox.filter((m) => m.to !== id && m.from !== id);
  }

  /** Brings a member back from its storage, as a fresh follower. */
  restart(id: string): void {
    this.down.delete(id);
    this.boot(id);
    this.collect(id);
  }

  /**
   * Replaces what a member has on disk (term, vote, commit, log) and reboots it
   * from that, as after a crash: how tests set up the logs of the paper's figures.
   */
  load(id: string, disk: Partial<RaftStorage<Data>>): void {
    const storage = this.storages.get(id) as RaftStorage<Data>;
    Object.assign(storage, disk);
    // The member appends to its log in place: never share the caller's array.
    storage.entries = [...storage.entries];
    this.kill(id);
    this.restart(id);
  }

  isDown(id: string): boolean {
    return this.down.has(id);
  }

  leaders(): string[] {
    return this.ids.filter((id) => !this.down.has(id) && this.member(id).role === 'leader');
  }
}
