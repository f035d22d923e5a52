import type { Rng } from '../rng';
import {
  type Entry,
  message,
  MessageType,
  None,
  type RaftConfig,
  type RaftMessage,
  type RaftStorage,
  type ReadState,
  Role,
} from './types';

/** Replication progress of one follower, as the leader tracks it. */
interface Progress {
  /** Highest index known to be replicated on the follower. */
  match: number;
  /** Next index to send. */
  next: number;
  /**
   * probe: send one MsgApp at a time until the follower's log matches;
   * replicate: stream entries optimistically.
   */
  state: 'probe' | 'replicate';
  /** In probe state, a MsgApp is outstanding: wait for its answer or the next heartbeat. */
  probeSent: boolean;
  /** Heard from since the last check-quorum round. */
  recentActive: boolean;
  /** The highest commit index sent to this follower, so the leader knows when to tell it of a newer one. */
  sentCommit: number;
}

interface PendingRead {
  readonly context: number;
  readonly index: number;
  /** Who asked: this member, or a follower that forwarded the read. */
  readonly from: string;
  readonly acks: Set<string>;
}

export interface Ready<T> {
  /**
   * Log entries written since the last ready (appended, or overwriting a conflicting tail), and
   * the hard state if it changed: what etcd would fsync before sending. Storage already holds
   * them — the simulated disk is the storage object, written before any message leaves.
   */
  readonly entries: Entry<T>[];
  readonly hardState: { readonly term: number; readonly vote: string; readonly commit: number } | undefined;
  /** Messages to send, in order. */
  readonly messages: RaftMessage<T>[];
  /** Entries newly committed, to apply in order. */
  readonly committed: Entry<T>[];
  /** Reads that became safe to serve once `index` is applied. */
  readonly readStates: ReadState[];
}

/** Thrown for an impossible transition: a bug, never a normal outcome. */
export class RaftInvariantError extends Error {
  override readonly name = 'RaftInvariantError';
}

/**
 * One member of a Raft group, as a pure state machine in the manner of etcd's
 * raft: `step(message)` and `tick()` go in; `ready()` hands out messages to
 * send, committed entries and safe reads. No I/O, no clock and no randomness of
 * its own: election jitter comes from the PRNG stream the host passes in.
 *
 * Storage (term, vote, log, commit) is the object passed in and is written
 * before any message that depends on it leaves: the host keeps it across a kill
 * and builds a new member from it on restart.
 *
 * Reads use ReadIndex, not a leader lease: the leader confirms it is still
 * leader with a heartbeat round before a read is served, so safety never rests
 * on clocks (ours are virtual and faithful, but a lesson should show the safe way).
 */
export class RaftMember<T> {
  readonly id: string;
  readonly peers: readonly string[];
  private readonly cfg: RaftConfig;
  private readonly rng: Rng;
  readonly storage: RaftStorage<T>;

  role: Role = Role.Follower;
  lead = None;
  private applied: number;
  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;
  private readonly votes = new Map<string, boolean>();
  private readonly prs = new Map<string, Progress>();
  private msgs: RaftMessage<T>[] = [];
  private readStates: ReadState[] = [];
  private pendingReads: PendingRead[] = [];
  /** Reads that arrived before this leader committed an entry of its own term. */
  private deferredReads: { context: number; from: string }[] = [];
  /** First log index written since the last ready(). */
  private unstableFrom: number;
  private lastHardState: { term: number; vote: string; commit: number };

  constructor(cfg: RaftConfig, storage: RaftStorage<T>, rng: Rng) {
    if (!cfg.peers.includes(cfg.id)) throw new RaftInvariantError(`member ${cfg.id} is not in its own peer list`);
    if (cfg.electionTicks <= cfg.heartbeatTicks) {
      throw new RaftInvariantError('the election timeout must be longer than the heartbeat interval');
    }
    this.id = cfg.id;
    this.peers = [...cfg.peers].sort();
    this.cfg = cfg;
    this.rng = rng;
    this.storage = storage;
    // Volatile state starts empty: committed entries are applied again from the log.
    this.applied = 0;
    this.unstableFrom = storage.entries.length + 1;
    this.lastHardState = { term: storage.term, vote: storage.vote, commit: storage.commit };
    this.becomeFollower(storage.term, None);
  }

  // ---- read-only views --------------------------------------------------------

  get term(): number {
    return this.storage.term;
  }
  get vote(): string {
    return this.storage.vote;
  }
  get commit(): number {
    return this.storage.commit;
  }
  get appliedIndex(): number {
    return this.applied;
  }
  get lastIndex(): number {
    return this.storage.entries.length;
  }
  get lastTerm(): number {
    return this.termAt(this.lastIndex);
  }
  get quorum(): number {
    return Math.floor(this.peers.length / 2) + 1;
  }
  /** Term of the entry at index (0 for index 0); undefined past the end. */
  termAt(index: number): number {
    if (index === 0) return 0;
    const e = this.storage.entries[index - 1];
    if (e === undefined) throw new RaftInvariantError(`${this.id}: no entry at index ${index} (last is ${this.lastIndex})`);
    return e.term;
  }
  entry(index: number): Entry<T> | undefined {
    return this.storage.entries[index - 1];
  }
  /** Replication progress as the leader sees it (empty on non-leaders). */
  progress(): { id: string; match: number; next: number; state: string }[] {
    return [...this.prs.entries()].map(([id, p]) => ({ id, match: p.match, next: p.next, state: p.state }));
  }

  // ---- inputs ------------------------------------------------------------------

  /** One tick of the logical clock (the host ticks every heartbeat interval). */
  tick(): void {
    if (this.role === Role.Leader) {
      this.heartbeatElapsed++;
      this.electionElapsed++;
      if (this.electionElapsed >= this.cfg.electionTicks) {
        this.electionElapsed = 0;
        if (this.cfg.checkQuorum) this.step(this.local(MessageType.MsgCheckQuorum));
        if (this.role !== Role.Leader) return;
      }
      if (this.heartbeatElapsed >= this.cfg.heartbeatTicks) {
        this.heartbeatElapsed = 0;
        this.step(this.local(MessageType.MsgBeat));
      }
    } else {
      this.electionElapsed++;
      if (this.electionElapsed >= this.randomizedElectionTimeout) {
        this.electionElapsed = 0;
        this.step(this.local(MessageType.MsgHup));
      }
    }
  }

  /**
   * Proposes an entry. Returns false when the proposal is dropped: no leader is
   * known, or this member is campaigning. The caller's request then times out,
   * as a client of etcd would see it.
   */
  propose(data: T, label: string): boolean {
    return this.step(message<T>({ type: MessageType.MsgProp, from: this.id, to: this.id, entries: [{ term: 0, index: 0, data, label }] }));
  }

  /** Asks for a linearizable read; a ReadState with this context comes out of ready() when it is safe. */
  readIndex(context: number): boolean {
    return this.step(message<T>({ type: MessageType.MsgReadIndex, from: this.id, to: this.id, context }));
  }

  /** Feeds one message in. Returns false if it was a proposal or read that had to be dropped. */
  step(m: RaftMessage<T>): boolean {
    const isLocal = m.type === MessageType.MsgHup || m.type === MessageType.MsgBeat || m.type === MessageType.MsgCheckQuorum;
    const isRequest = m.type === MessageType.MsgProp || m.type === MessageType.MsgReadIndex;
    if (!isLocal && !isRequest) {
      if (m.term > this.term) {
        if (m.type === MessageType.MsgVote || m.type === MessageType.MsgPreVote) {
          // Check-quorum lease (§9.6 and etcd's leader stickiness): a member that heard from a
          // leader within the election timeout does not help anyone depose it.
          if (this.cfg.checkQuorum && this.lead !== None && this.electionElapsed < this.cfg.electionTicks) return true;
        }
        if (m.type === MessageType.MsgPreVote) {
          // A pre-vote never changes our term.
        } else if (m.type === MessageType.MsgPreVoteResp && !m.reject) {
          // A granted pre-vote carries the term we would campaign in; our term moves when we campaign.
        } else {
          const fromLeader = m.type === MessageType.MsgApp || m.type === MessageType.MsgHeartbeat;
          this.becomeFollower(m.term, fromLeader ? m.from : None);
        }
      } else if (m.term < this.term) {
        if ((this.cfg.checkQuorum || this.cfg.preVote) && (m.type === MessageType.MsgHeartbeat || m.type === MessageType.MsgApp)) {
          // A stale leader (e.g. just back from a partition) learns of the newer term from our answer.
          this.send(message<T>({ type: MessageType.MsgAppResp, from: this.id, to: m.from, term: this.term }));
        } else if (m.type === MessageType.MsgPreVote) {
          this.send(message<T>({ type: MessageType.MsgPreVoteResp, from: this.id, to: m.from, term: this.term, reject: true }));
        }
        return true;
      }
    }

    switch (m.type) {
      case MessageType.MsgHup:
        if (this.role !== Role.Leader) this.campaign(this.cfg.preVote ? 'pre' : 'real');
        return true;
      case MessageType.MsgVote:
      case MessageType.MsgPreVote: {
        const canVote =
          this.vote === m.from ||
          (this.vote === None && this.lead === None) ||
          (m.type === MessageType.MsgPreVote && m.term > this.term);
        const respType = m.type === MessageType.MsgVote ? MessageType.MsgVoteResp : MessageType.MsgPreVoteResp;
        if (canVote && this.isUpToDate(m.logTerm, m.index)) {
          // The response carries the candidate's term, so a granted pre-vote is not mistaken for a stale one.
          this.send(message<T>({ type: respType, from: this.id, to: m.from, term: m.term }));
          if (m.type === MessageType.MsgVote) {
            this.electionElapsed = 0;
            this.storage.vote = m.from;
          }
        } else {
          this.send(message<T>({ type: respType, from: this.id, to: m.from, term: this.term, reject: true }));
        }
        return true;
      }
    }

    switch (this.role) {
      case Role.Leader:
        return this.stepLeader(m);
      case Role.Candidate:
      case Role.PreCandidate:
        return this.stepCandidate(m);
      default:
        return this.stepFollower(m);
    }
  }

  /** Takes what the host must do now: send messages, apply committed entries, serve reads. */
  ready(): Ready<T> {
    const s = this.storage;
    const committed = s.entries.slice(this.applied, s.commit);
    this.applied = s.commit;
    const entries = this.unstableFrom <= s.entries.length ? s.entries.slice(this.unstableFrom - 1) : [];
    this.unstableFrom = s.entries.length + 1;
    const h = this.lastHardState;
    const changed = h.term !== s.term || h.vote !== s.vote || h.commit !== s.commit;
    const hardState = changed ? { term: s.term, vote: s.vote, commit: s.commit } : undefined;
    if (hardState) this.lastHardState = hardState;
    const out: Ready<T> = { entries, hardState, messages: this.msgs, committed, readStates: this.readStates };
    this.msgs = [];
    this.readStates = [];
    return out;
  }

  // ---- roles -----------------------------------------------------------------------

  private reset(term: number): void {
    if (term !== this.storage.term) {
      this.storage.term = term;
      this.storage.vote = None;
    }
    this.lead = None;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.cfg.electionTicks + this.rng.int(this.cfg.electionTicks);
    this.votes.clear();
    this.prs.clear();
    this.pendingReads = [];
    this.deferredReads = [];
  }

  private becomeFollower(term: number, lead: string): void {
    this.reset(term);
    this.role = Role.Follower;
    this.lead = lead;
  }

  private becomePreCandidate(): void {
    if (this.role === Role.Leader) throw new RaftInvariantError(`${this.id}: leader cannot become pre-candidate`);
    // Pre-candidates change neither term nor vote: a failed pre-vote leaves no trace.
    this.votes.clear();
    this.role = Role.PreCandidate;
    this.lead = None;
  }

  private becomeCandidate(): void {
    if (this.role === Role.Leader) throw new RaftInvariantError(`${this.id}: leader cannot become candidate`);
    this.reset(this.term + 1);
    this.storage.vote = this.id;
    this.role = Role.Candidate;
  }

  private becomeLeader(): void {
    if (this.role === Role.Follower) throw new RaftInvariantError(`${this.id}: follower cannot become leader without an election`);
    this.reset(this.term);
    this.role = Role.Leader;
    this.lead = this.id;
    for (const p of this.peers) {
      this.prs.set(p, { match: 0, next: this.lastIndex + 1, state: 'probe', probeSent: false, recentActive: p === this.id, sentCommit: 0 });
    }
    // An empty entry of the new term: committing it commits everything before it (§5.4.2)
    // and tells reads that this leader knows the latest commit index (§8).
    this.appendEntries([{ term: 0, index: 0, data: null, label: `leader ${this.id} elected for term ${this.term}` }]);
  }

  private campaign(kind: 'pre' | 'real'): void {
    let voteType: MessageType;
    let term: number;
    if (kind === 'pre') {
      this.becomePreCandidate();
      voteType = MessageType.MsgPreVote;
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      voteType = MessageType.MsgVote;
      term = this.term;
    }
    if (this.poll(this.id, true) === 'won') {
      // A group of one wins at once.
      if (kind === 'pre') this.campaign('real');
      else this.becomeLeader();
      return;
    }
    for (const p of this.peers) {
      if (p === this.id) continue;
      this.send(message<T>({ type: voteType, from: this.id, to: p, term, index: this.lastIndex, logTerm: this.lastTerm }));
    }
  }

  private poll(from: string, granted: boolean): 'won' | 'lost' | 'pending' {
    if (!this.votes.has(from)) this.votes.set(from, granted);
    let yes = 0;
    let no = 0;
    for (const v of this.votes.values()) {
      if (v) yes++;
      else no++;
    }
    if (yes >= this.quorum) return 'won';
    if (no > this.peers.length - this.quorum) return 'lost';
    return 'pending';
  }

  private stepLeader(m: RaftMessage<T>): boolean {
    switch (m.type) {
      case MessageType.MsgBeat:
        // Carry the newest pending read's context, as etcd's bcastHeartbeat does: if the round sent
        // for a read is lost, the next regular round confirms it (and every read before it).
        // With 0 here, such a read would wait for a later read to come along, or forever.
        this.broadcastHeartbeat(this.pendingReads.at(-1)?.context ?? 0);
        return true;
      case MessageType.MsgCheckQuorum: {
        let active = 0;
        for (const [id, pr] of this.prs) {
          if (id === this.id || pr.recentActive) active++;
          if (id !== this.id) pr.recentActive = false;
        }
        if (active < this.quorum) this.becomeFollower(this.term, None);
        return true;
      }
      case MessageType.MsgProp:
        this.appendEntries(m.entries);
        this.broadcastAppend();
        return true;
      case MessageType.MsgReadIndex:
        this.handleReadIndex(m.context, m.from);
        return true;
    }
    const pr = this.prs.get(m.from);
    if (pr === undefined) return true;
    switch (m.type) {
      case MessageType.MsgAppResp:
        pr.recentActive = true;
        if (m.reject) {
          // The follower's hint (index, term) points below its conflicting tail; skip to the last
          // index where our log's term is no greater (etcd's findConflictByTerm), so a whole
          // conflicting term is skipped in one round trip instead of one entry at a time.
          const probe = m.logTerm > 0 ? this.findConflictByTerm(m.rejectHint, m.logTerm) : m.rejectHint;
          if (this.backOff(pr, m.index, probe)) {
            if (pr.state === 'replicate') pr.state = 'probe';
            pr.probeSent = false;
            this.sendAppend(m.from);
          }
        } else {
          // etcd's MaybeUpdate: a success for an index we already knew is stale, unless it unblocks a probe.
          const updated = m.index > pr.match;
          if (updated) pr.match = m.index;
          if (m.index + 1 > pr.next) pr.next = m.index + 1;
          if (updated || (pr.match === m.index && pr.state === 'probe')) {
            if (pr.state === 'probe') {
              pr.state = 'replicate';
              pr.next = pr.match + 1;
            }
            pr.probeSent = false;
            if (this.maybeCommit()) this.broadcastAppend();
            else if (pr.next <= this.lastIndex || this.canBumpCommit(pr)) this.sendAppend(m.from);
          }
        }
        return true;
      case MessageType.MsgHeartbeatResp:
        pr.recentActive = true;
        pr.probeSent = false;
        if (pr.match < this.lastIndex) this.sendAppend(m.from);
        if (m.context !== 0) this.ackRead(m.context, m.from);
        return true;
    }
    return true;
  }

  private stepCandidate(m: RaftMessage<T>): boolean {
    const myVoteResp = this.role === Role.PreCandidate ? MessageType.MsgPreVoteResp : MessageType.MsgVoteResp;
    switch (m.type) {
      case MessageType.MsgProp:
      case MessageType.MsgReadIndex:
        return false;
      case MessageType.MsgApp:
        this.becomeFollower(m.term, m.from);
        this.handleAppend(m);
        return true;
      case MessageType.MsgHeartbeat:
        this.becomeFollower(m.term, m.from);
        this.handleHeartbeat(m);
        return true;
      case myVoteResp: {
        const result = this.poll(m.from, !m.reject);
        if (result === 'won') {
          if (this.role === Role.PreCandidate) this.campaign('real');
          else {
            this.becomeLeader();
            this.broadcastAppend();
          }
        } else if (result === 'lost') {
          this.becomeFollower(this.term, None);
        }
        return true;
      }
    }
    return true;
  }

  private stepFollower(m: RaftMessage<T>): boolean {
    switch (m.type) {
      case MessageType.MsgProp:
      case MessageType.MsgReadIndex:
        // Forward our own requests to the leader; a request forwarded to us by a member that
        // thought we lead is dropped (its client times out) rather than bounced around.
        if (this.lead === None || m.from !== this.id) return false;
        this.send({ ...m, to: this.lead });
        return true;
      case MessageType.MsgApp:
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleAppend(m);
        return true;
      case MessageType.MsgHeartbeat:
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleHeartbeat(m);
        return true;
      case MessageType.MsgReadIndexResp:
        this.readStates.push({ index: m.index, context: m.context });
        return true;
    }
    return true;
  }

  // ---- replication ---------------------------------------------------------------------

  private appendEntries(entries: readonly Entry<T>[]): void {
    let index = this.lastIndex;
    for (const e of entries) {
      index++;
      this.storage.entries.push({ term: this.term, index, data: e.data, label: e.label });
      this.unstableFrom = Math.min(this.unstableFrom, index);
    }
    const self = this.prs.get(this.id);
    if (self !== undefined) {
      self.match = index;
      self.next = index + 1;
    }
    this.maybeCommit();
  }

  /** Advances commit to the highest index a quorum holds, but only for an entry of this term (§5.4.2). */
  private maybeCommit(): boolean {
    const matches = [...this.prs.values()].map((p) => p.match).sort((a, b) => b - a);
    const candidate = matches[this.quorum - 1] ?? 0;
    if (candidate > this.commit && this.termAt(candidate) === this.term) {
      this.storage.commit = candidate;
      this.releaseDeferredReads();
      return true;
    }
    return false;
  }

  private broadcastAppend(): void {
    for (const p of this.peers) if (p !== this.id) this.sendAppend(p);
  }

  private sendAppend(to: string): void {
    const pr = this.prs.get(to);
    if (pr === undefined || (pr.state === 'probe' && pr.probeSent)) return;
    const prevIndex = pr.next - 1;
    const entries = this.storage.entries.slice(prevIndex, prevIndex + this.cfg.maxEntriesPerMsg);
    this.send(
      message<T>({
        type: MessageType.MsgApp,
        from: this.id,
        to,
        term: this.term,
        index: prevIndex,
        logTerm: this.termAt(prevIndex),
        entries,
        commit: this.commit,
      }),
    );
    pr.sentCommit = Math.max(pr.sentCommit, Math.min(this.commit, prevIndex + entries.length));
    if (pr.state === 'replicate') {
      if (entries.length > 0) pr.next = (entries[entries.length - 1] as Entry<T>).index + 1;
    } else {
      pr.probeSent = true;
    }
  }

  /** etcd's maybeDecrTo: returns false for a stale rejection that must be ignored. */
  private backOff(pr: Progress, rejected: number, matchHint: number): boolean {
    if (pr.state === 'replicate') {
      if (rejected <= pr.match) return false;
      pr.next = pr.match + 1;
      return true;
    }
    if (pr.next - 1 !== rejected) return false;
    pr.next = Math.max(pr.match + 1, Math.min(rejected, matchHint + 1));
    return true;
  }

  /**
   * The last index ≤ `index` whose entry's term is ≤ `term` (0 if none): where two logs
   * that disagree at `index` may still agree.
   */
  private findConflictByTerm(index: number, term: number): number {
    let i = Math.min(index, this.lastIndex);
    while (i > 0 && this.termAt(i) > term) i--;
    return i;
  }

  /** Whether the follower holds entries we committed but has not been told so (etcd's CanBumpCommit). */
  private canBumpCommit(pr: Progress): boolean {
    return pr.sentCommit < this.commit && pr.sentCommit < pr.next - 1;
  }

  private broadcastHeartbeat(context: number): void {
    for (const p of this.peers) {
      if (p === this.id) continue;
      const pr = this.prs.get(p) as Progress;
      // Never tell a follower to commit past what it is known to hold.
      const commit = Math.min(pr.match, this.commit);
      pr.sentCommit = Math.max(pr.sentCommit, commit);
      this.send(message<T>({ type: MessageType.MsgHeartbeat, from: this.id, to: p, term: this.term, commit, context }));
    }
  }

  private handleAppend(m: RaftMessage<T>): void {
    if (m.index < this.commit) {
      // Already committed here: tell the leader how far we are.
      this.send(message<T>({ type: MessageType.MsgAppResp, from: this.id, to: m.from, term: this.term, index: this.commit }));
      return;
    }
    if (m.index <= this.lastIndex && this.termAt(m.index) === m.logTerm) {
      // Log matching (§5.3): keep what agrees, cut at the first conflict, append the rest.
      const entries = this.storage.entries;
      let lastNew = m.index;
      for (const e of m.entries) {
        const have = entries[e.index - 1];
        if (have !== undefined && have.term !== e.term) {
          if (e.index <= this.commit) {
            throw new RaftInvariantError(`${this.id}: leader ${m.from} conflicts with committed entry ${e.index}`);
          }
          entries.length = e.index - 1;
        }
        if (entries.length === e.index - 1) {
          entries.push(e);
          this.unstableFrom = Math.min(this.unstableFrom, e.index);
        }
        lastNew = e.index;
      }
      const commit = Math.min(m.commit, lastNew);
      if (commit > this.commit) this.storage.commit = commit;
      this.send(message<T>({ type: MessageType.MsgAppResp, from: this.id, to: m.from, term: this.term, index: lastNew }));
    } else {
      // Hint where our log may still match: at most our last index, and below any entries of a
      // term newer than the leader's entry at m.index (they cannot match it).
      const hintIndex = this.findConflictByTerm(Math.min(m.index, this.lastIndex), m.logTerm);
      this.send(
        message<T>({
          type: MessageType.MsgAppResp,
          from: this.id,
          to: m.from,
          term: this.term,
          index: m.index,
          reject: true,
          rejectHint: hintIndex,
          logTerm: this.termAt(hintIndex),
        }),
      );
    }
  }

  private handleHeartbeat(m: RaftMessage<T>): void {
    if (m.commit > this.commit) {
      if (m.commit > this.lastIndex) throw new RaftInvariantError(`${this.id}: heartbeat commit ${m.commit} past last index ${this.lastIndex}`);
      this.storage.commit = m.commit;
    }
    this.send(message<T>({ type: MessageType.MsgHeartbeatResp, from: this.id, to: m.from, term: this.term, context: m.context }));
  }

  // ---- reads (ReadIndex, §8 of the Raft thesis) ------------------------------------------

  private committedInCurrentTerm(): boolean {
    return this.commit > 0 && this.termAt(this.commit) === this.term;
  }

  private handleReadIndex(context: number, from: string): void {
    if (!this.committedInCurrentTerm()) {
      // Until an entry of our term commits we do not know the true commit index.
      this.deferredReads.push({ context, from });
      return;
    }
    if (this.peers.length === 1) {
      this.releaseRead({ context, index: this.commit, from, acks: new Set() });
      return;
    }
    this.pendingReads.push({ context, index: this.commit, from, acks: new Set([this.id]) });
    this.broadcastHeartbeat(context);
  }

  private releaseDeferredReads(): void {
    if (this.role !== Role.Leader || this.deferredReads.length === 0 || !this.committedInCurrentTerm()) return;
    const deferred = this.deferredReads;
    this.deferredReads = [];
    for (const r of deferred) this.handleReadIndex(r.context, r.from);
  }

  private ackRead(context: number, from: string): void {
    const i = this.pendingReads.findIndex((r) => r.context === context);
    if (i < 0) return;
    const read = this.pendingReads[i] as PendingRead;
    read.acks.add(from);
    if (read.acks.size < this.quorum) return;
    // A quorum confirmed us as leader after this read arrived, so every read queued before it is safe too.
    const done = this.pendingReads.splice(0, i + 1);
    for (const r of done) this.releaseRead(r);
  }

  private releaseRead(r: PendingRead): void {
    if (r.from === this.id) this.readStates.push({ index: r.index, context: r.context });
    else {
      this.send(message<T>({ type: MessageType.MsgReadIndexResp, from: this.id, to: r.from, term: this.term, index: r.index, context: r.context }));
    }
  }

  // ---- helpers ---------------------------------------------------------------------------

  /** §5.4.1: a voter grants only to a candidate whose log is at least as up to date as its own. */
  private isUpToDate(lastTerm: number, lastIndex: number): boolean {
    return lastTerm > this.lastTerm || (lastTerm === this.lastTerm && lastIndex >= this.lastIndex);
  }

  private local(type: MessageType): RaftMessage<T> {
    return message<T>({ type, from: this.id, to: this.id });
  }

  private send(m: RaftMessage<T>): void {
    this.msgs.push(m);
  }
}
