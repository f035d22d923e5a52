import { Rng } from '../rng';
import { RaftMember } from './raft';
import { emptyStorage, type Entry, type RaftConfig, type RaftMessage, type RaftStorage } from './types';

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

  private boot(id: string): void {
    const cfg: RaftConfig = {
      id,
      peers: this.ids,
      electionTicks: 10,
      heartbeatTicks: 1,
      preVote: false,
      checkQuorum: false,
      maxEntriesPerMsg: 64,
      ...this.config,
    };
    this.members.set(id, new RaftMember<Data>(cfg, this.storages.get(id) as RaftStorage<Data>, this.rng.fork(id)));
    this.applied.set(id, []);
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

  /** Delivers pending messages (all, or those matching), returning what was delivered. */
  deliver(filter: (m: RaftMessage<Data>) => boolean = () => true): RaftMessage<Data>[] {
    const now = this.mailbox.filter(filter);
    this.mailbox = this.mailbox.filter((m) => !filter(m));
    const delivered: RaftMessage<Data>[] = [];
    for (const m of now) {
      if (this.down.has(m.to) || this.down.has(m.from) || this.cut.has(`${m.from}>${m.to}`)) continue;
      delivered.push(m);
      this.member(m.to).step(m);
      this.collect(m.to);
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

  isDown(id: string): boolean {
    return this.down.has(id);
  }

  leaders(): string[] {
    return this.ids.filter((id) => !this.down.has(id) && this.member(id).role === 'leader');
  }
}
