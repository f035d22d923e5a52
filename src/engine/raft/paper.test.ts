/**
 * Paper tests: one test per rule of the Raft paper (Ongaro & Ousterhout, "In Search
 * of an Understandable Consensus Algorithm", extended version) and, where noted, of
 * Ongaro's thesis ("Consensus: Bridging Theory and Practice", 2014), each naming its
 * section. Modelled on etcd-io/raft's raft_paper_test.go: set a member up in a plain
 * way, drive it with messages and ticks, check what it sends and keeps.
 *
 * Members are named "1", "2", ... and the election timeout is T ticks (the harness's
 * default), with a heartbeat every tick unless a test says otherwise.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import type { RaftMember } from './raft';
import { type Data, RaftHarness } from './raftHarness';
import { type Entry, message, MessageType, None, type RaftConfig, type RaftMessage, Role } from './types';

const T = 10;

type Options = Partial<Omit<RaftConfig, 'id' | 'peers'>>;
type Fields = Partial<RaftMessage<Data>> & Pick<RaftMessage<Data>, 'type' | 'from' | 'to'>;

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i + 1));

function group(n: number, options: Options = {}, seed = 1): RaftHarness {
  return new RaftHarness(ids(n), options, seed);
}

/** Entries with the given terms at indexes first, first + 1, ... */
function entriesFrom(first: number, ...terms: number[]): Entry<Data>[] {
  return terms.map((term, i) => ({ term, index: first + i, data: `t${term}i${first + i}`, label: `PUT t${term}i${first + i}` }));
}

/** A whole log: entry i + 1 has term terms[i]. */
const log = (...terms: number[]): Entry<Data>[] => entriesFrom(1, ...terms);

const termsOf = (h: RaftHarness, id: string): number[] => h.member(id).storage.entries.map((e) => e.term);

/** Hands a message straight to its recipient and collects what that sends. */
function send(h: RaftHarness, fields: Fields): void {
  h.stepMessage(message<Data>(fields));
}

/** A filter on message type and, optionally, sender and recipient. */
function is(type: MessageType, from?: string, to?: string): (m: RaftMessage<Data>) => boolean {
  return (m) => m.type === type && (from === undefined || m.from === from) && (to === undefined || m.to === to);
}

const all = (): boolean => true;

/** Removes every pending message and returns them. */
const takeAll = (h: RaftHarness): RaftMessage<Data>[] => h.drop(all);

/** Elects `id` with every message delivered, and checks it won. */
function elect(h: RaftHarness, id: string): void {
  h.campaign(id);
  h.stabilize();
  expect(h.leaders()).toEqual([id]);
}

/** Ticks the given members once each and delivers everything, until `done` holds (at most maxTicks rounds). */
function tickUntil(h: RaftHarness, members: readonly string[], done: () => boolean, maxTicks = 20 * T): number {
  for (let t = 1; t <= maxTicks; t++) {
    for (const id of members) if (!h.isDown(id)) h.tick(id);
    h.stabilize();
    if (done()) return t;
  }
  throw new Error(`condition not reached after ${maxTicks} ticks`);
}

const reads = (h: RaftHarness, id: string) => h.readStates.get(id) ?? [];
const applied = (h: RaftHarness, id: string) => h.applied.get(id) ?? [];

// ---- §5.1 ----------------------------------------------------------------------------

describe('§5.1 Raft basics: terms', () => {
  /** Puts member 1 of a three-member group in a role, at a known term. */
  const roles: { role: Role; options: Options; setUp: (h: RaftHarness) => void }[] = [
    { role: Role.Follower, options: {}, setUp: (h) => send(h, { type: MessageType.MsgHeartbeat, from: '2', to: '1', term: 1 }) },
    { role: Role.PreCandidate, options: { preVote: true }, setUp: (h) => h.campaign('1') },
    { role: Role.Candidate, options: {}, setUp: (h) => h.campaign('1') },
    { role: Role.Leader, options: {}, setUp: (h) => elect(h, '1') },
  ];
  const cases = roles.flatMap((r) =>
    [MessageType.MsgApp, MessageType.MsgHeartbeat, MessageType.MsgVote].map((type) => ({ ...r, type })),
  );

  it.each(cases)(
    'a $role that sees a higher term in a $type adopts that term, forgets its vote and becomes a follower',
    ({ role, options, setUp, type }) => {
      // "If one server's current term is smaller than the other's, then it updates its current
      // term to the larger value. If a candidate or leader discovers that its term is out of
      // date, it immediately reverts to follower state."
      const h = group(3, options);
      setUp(h);
      const m = h.member('1');
      expect(m.role).toBe(role);
      const term = m.term;
      takeAll(h);

      send(h, { type, from: '3', to: '1', term: term + 1 });

      expect(m.term).toBe(term + 1);
      expect(m.role).toBe(Role.Follower);
      // Only a leader sends MsgApp and MsgHeartbeat: it is now the known leader. A vote request names none.
      expect(m.lead).toBe(type === MessageType.MsgVote ? None : '3');
      if (type !== MessageType.MsgVote) expect(m.vote).toBe(None);
    },
  );

  it('a member ignores a request from a stale term: its term, leader, vote, log and commit stay as they were', () => {
    // "If a server receives a request with a stale term number, it rejects the request." Like etcd,
    // without check-quorum or pre-vote the member drops it rather than answering.
    const stale: Fields[] = [
      // From an old leader, an entry that conflicts with ours: taking it would cut our log.
      { type: MessageType.MsgApp, from: '3', to: '1', term: 1, index: 1, logTerm: 1, entries: entriesFrom(2, 1), commit: 2 },
      { type: MessageType.MsgHeartbeat, from: '3', to: '1', term: 1, commit: 2 },
      { type: MessageType.MsgVote, from: '3', to: '1', term: 1, index: 5, logTerm: 1 },
    ];
    for (const fields of stale) {
      const h = group(3);
      h.load('1', { term: 2, entries: log(1, 2) });
      send(h, { type: MessageType.MsgHeartbeat, from: '2', to: '1', term: 2 });
      takeAll(h);
      const m = h.member('1');

      send(h, fields);

      expect({ term: m.term, lead: m.lead, vote: m.vote, log: termsOf(h, '1'), commit: m.commit }, fields.type).toEqual({
        term: 2,
        lead: '2',
        vote: None,
        log: [1, 2],
        commit: 0,
      });
      expect(h.mailbox, fields.type).toEqual([]);
    }
  });

  it.each([
    ['check-quorum', { checkQuorum: true }],
    ['pre-vote', { preVote: true }],
  ] as [string, Options][])('with %s, a member answers a stale leader with its term, and that leader steps down', (_, options) => {
    // The reply carries currentTerm "for leader to update itself" (Figure 2). etcd answers only
    // when check-quorum or pre-vote is on: those are the cases where a stale leader (or a
    // member whose term did not rise while it was cut off) could otherwise stay stuck.
    const h = group(3, options);
    elect(h, '1');
    h.isolate('1');
    tickUntil(h, ['2', '3'], () => h.leaders().includes('2') || h.leaders().includes('3'));
    const newLeader = h.leaders().find((id) => id !== '1') as string;
    const newTerm = h.member(newLeader).term;
    expect(h.member('1').role).toBe(Role.Leader);
    h.heal();

    // The old leader's heartbeat reaches a member of the new term.
    h.tick('1');
    expect(h.deliver(is(MessageType.MsgHeartbeat, '1')).length).toBe(2);
    const replies = h.mailbox.filter((m) => m.to === '1');
    expect(replies).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: MessageType.MsgAppResp, term: newTerm })]),
    );
    h.deliver((m) => m.to === '1');
    expect(h.member('1').role).toBe(Role.Follower);
    expect(h.member('1').term).toBe(newTerm);
  });

  it('a member rejects a stale pre-vote request with its own term', () => {
    const h = group(3, { preVote: true });
    h.load('1', { term: 5 });
    send(h, { type: MessageType.MsgPreVote, from: '2', to: '1', term: 3 });
    expect(takeAll(h)).toEqual([message<Data>({ type: MessageType.MsgPreVoteResp, from: '1', to: '2', term: 5, reject: true })]);
    expect(h.member('1').term).toBe(5);
  });
});

// ---- §5.2 ----------------------------------------------------------------------------

/** Ticks a member until it sends something (its election timer fired); returns how many ticks that took. */
function ticksUntilItSends(m: RaftMember<Data>): number {
  for (let t = 1; t <= 4 * T; t++) {
    m.tick();
    if (m.ready().messages.length > 0) return t;
  }
  throw new Error(`${m.id} never timed out`);
}

describe('§5.2 Leader election', () => {
  it('members start as followers, on first boot and when restarted from storage', () => {
    // "When servers start up, they begin as followers."
    const h = group(3);
    for (const id of h.ids) {
      expect(h.member(id).role).toBe(Role.Follower);
      expect(h.member(id).term).toBe(0);
      expect(h.member(id).lead).toBe(None);
    }
    h.load('2', { term: 7, vote: '3', entries: log(1, 7) });
    expect(h.member('2').role).toBe(Role.Follower);
    expect(h.member('2').term).toBe(7);
  });

  it('a leader sends an empty heartbeat to every follower each heartbeat interval', () => {
    // "Leaders send periodic heartbeats (AppendEntries RPCs that carry no log entries) to all
    // followers in order to maintain their authority."
    const h = group(3, { heartbeatTicks: 3 });
    elect(h, '1');
    h.tick('1', 2);
    expect(h.mailbox).toEqual([]);
    h.tick('1');
    expect(takeAll(h)).toEqual([
      message<Data>({ type: MessageType.MsgHeartbeat, from: '1', to: '2', term: 1, commit: 1 }),
      message<Data>({ type: MessageType.MsgHeartbeat, from: '1', to: '3', term: 1, commit: 1 }),
    ]);
  });

  it('followers that keep hearing from the leader never start an election', () => {
    // "A server remains in follower state as long as it receives valid RPCs from a leader."
    const h = group(3);
    elect(h, '1');
    for (let t = 0; t < 10 * T; t++) {
      for (const id of h.ids) h.tick(id);
      h.stabilize();
    }
    expect(h.leaders()).toEqual(['1']);
    expect(h.ids.map((id) => h.member(id).term)).toEqual([1, 1, 1]);
  });

  it.each([Role.Follower, Role.Candidate])(
    'a %s that hears from no leader for an election timeout starts an election: term + 1, a vote for itself, RequestVote to every other member',
    (role) => {
      // "If a follower receives no communication over a period of time called the election
      // timeout, ... it increments its current term and transitions to candidate state. It then
      // votes for itself and issues RequestVote RPCs in parallel to each of the other servers."
      // And for a candidate: "if many followers become candidates at the same time, votes could
      // be split ... each candidate will time out and start a new election by incrementing its
      // term and initiating another round of RequestVote RPCs."
      const h = group(3);
      if (role === Role.Follower) send(h, { type: MessageType.MsgHeartbeat, from: '2', to: '1', term: 1 });
      else h.campaign('1');
      expect(h.member('1').role).toBe(role);
      takeAll(h);

      h.tick('1', T - 1);
      expect(h.member('1').role).toBe(role);
      expect(h.mailbox).toEqual([]);
      h.tick('1', T);

      const m = h.member('1');
      expect(m.role).toBe(Role.Candidate);
      expect(m.term).toBe(2);
      expect(m.vote).toBe('1');
      expect(takeAll(h)).toEqual([
        message<Data>({ type: MessageType.MsgVote, from: '1', to: '2', term: 2, index: 0, logTerm: 0 }),
        message<Data>({ type: MessageType.MsgVote, from: '1', to: '3', term: 2, index: 0, logTerm: 0 }),
      ]);
    },
  );

  it.each([Role.Follower, Role.Candidate])('%s election timeouts are drawn from [T, 2T): both ends occur and nothing outside', (role) => {
    // "Raft uses randomized election timeouts ... chosen randomly from a fixed interval."
    // Many members (one per seed), many terms: a new timeout is drawn at each change of term.
    const seen = new Set<number>();
    for (let seed = 1; seed <= 50; seed++) {
      const m = group(3, {}, seed).member('1');
      for (let round = 0; round < 10; round++) {
        if (role === Role.Follower) m.step(message<Data>({ type: MessageType.MsgHeartbeat, from: '2', to: '1', term: m.term + 1 }));
        else m.step(message<Data>({ type: MessageType.MsgHup, from: '1', to: '1' }));
        expect(m.role).toBe(role);
        m.ready();
        seen.add(ticksUntilItSends(m));
      }
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: T }, (_, i) => T + i));
  });

  it('randomized timeouts make split votes rare: in most rounds a single member times out first', () => {
    // "Randomized election timeouts ... ensure that split votes are rare." Five members whose
    // timers restart together: the first to fire is alone on its tick in most rounds.
    const h = group(5, {}, 7);
    const members = h.ids.map((id) => h.member(id));
    let ties = 0;
    const rounds = 1000;
    for (let round = 0; round < rounds; round++) {
      for (const m of members) {
        m.step(message<Data>({ type: MessageType.MsgHup, from: m.id, to: m.id }));
        m.ready();
      }
      let firing = 0;
      for (let t = 0; firing === 0 && t < 2 * T; t++) {
        for (const m of members) {
          m.tick();
          if (m.ready().messages.length > 0) firing++;
        }
      }
      if (firing > 1) ties++;
    }
    expect(ties / rounds).toBeLessThanOrEqual(0.3);
  });

  // [group size, votes from the others (true = granted), role after them]
  const oneRound: [number, Record<string, boolean>, Role][] = [
    // "A candidate wins an election if it receives votes from a majority of the servers in the full cluster."
    [1, {}, Role.Leader],
    [3, { 2: true, 3: true }, Role.Leader],
    [3, { 2: true }, Role.Leader],
    [5, { 2: true, 3: true, 4: true, 5: true }, Role.Leader],
    [5, { 2: true, 3: true, 4: true }, Role.Leader],
    [5, { 2: true, 3: true }, Role.Leader],
    // A majority of refusals: it cannot win this term (etcd returns to follower at once).
    [3, { 2: false, 3: false }, Role.Follower],
    [5, { 2: false, 3: false, 4: false, 5: false }, Role.Follower],
    [5, { 2: true, 3: false, 4: false, 5: false }, Role.Follower],
    // Neither: it waits, still a candidate.
    [3, {}, Role.Candidate],
    [3, { 2: false }, Role.Candidate],
    [5, { 2: true }, Role.Candidate],
    [5, { 2: false, 3: false }, Role.Candidate],
    [5, { 2: true, 3: false }, Role.Candidate],
    [5, {}, Role.Candidate],
  ];
  it.each(oneRound)('in a group of %i, a candidate with votes %o becomes %s', (size, votes, expected) => {
    const h = group(size);
    h.campaign('1');
    takeAll(h);
    for (const [from, granted] of Object.entries(votes)) {
      send(h, { type: MessageType.MsgVoteResp, from, to: '1', term: 1, reject: !granted });
    }
    expect(h.member('1').role).toBe(expected);
    expect(h.member('1').term).toBe(1);
  });

  it.each([
    // [vote already cast this term, candidate asking, refused?]
    [None, '2', false],
    [None, '3', false],
    ['2', '2', false],
    ['3', '3', false],
    ['2', '3', true],
    ['3', '2', true],
  ])('a follower that voted for "%s" in the term is asked by %s: refused %s', (vote, candidate, refused) => {
    // "Each server will vote for at most one candidate in a given term, on a first-come-first-served basis."
    const h = group(3);
    h.load('1', { term: 1, vote });
    send(h, { type: MessageType.MsgVote, from: candidate, to: '1', term: 1 });
    expect(takeAll(h)).toEqual([
      message<Data>({ type: MessageType.MsgVoteResp, from: '1', to: candidate, term: 1, reject: refused }),
    ]);
    expect(h.member('1').vote).toBe(vote === None ? candidate : vote);
  });

  it('two candidates in one term: the voter grants the first request and refuses the second, so only one wins', () => {
    const h = group(3);
    h.campaign('1');
    h.campaign('2');
    // 3 hears from 1 first.
    h.deliver((m) => m.to === '3');
    expect(h.mailbox.filter((m) => m.from === '3')).toEqual([
      message<Data>({ type: MessageType.MsgVoteResp, from: '3', to: '1', term: 1 }),
      message<Data>({ type: MessageType.MsgVoteResp, from: '3', to: '2', term: 1, reject: true }),
    ]);
    h.stabilize();
    expect(h.leaders()).toEqual(['1']);
    expect(h.member('2').role).toBe(Role.Follower);
  });

  it.each([
    ['the same term', 1],
    ['a higher term', 2],
  ])('a candidate that receives AppendEntries from a leader of %s recognises it and becomes its follower', (_, term) => {
    // "If the leader's term is at least as large as the candidate's current term, then the
    // candidate recognizes the leader as legitimate and returns to follower state."
    for (const type of [MessageType.MsgApp, MessageType.MsgHeartbeat]) {
      const h = group(3);
      h.campaign('1');
      send(h, { type, from: '2', to: '1', term });
      expect(h.member('1').role, type).toBe(Role.Follower);
      expect(h.member('1').term, type).toBe(term);
      expect(h.member('1').lead, type).toBe('2');
    }
    // "If the term in the RPC is smaller than the candidate's current term, then the candidate
    // rejects the RPC and continues in candidate state."
    const h = group(3);
    h.load('1', { term: 1 });
    h.campaign('1');
    send(h, { type: MessageType.MsgApp, from: '2', to: '1', term: 1 });
    expect(h.member('1').role).toBe(Role.Candidate);
    expect(h.member('1').term).toBe(2);
  });

  it('after a split vote no one leads that term, and a later election (randomized timeouts) produces one leader', () => {
    const h = group(4);
    h.campaign('1');
    h.campaign('2');
    h.deliver((m) => m.from === '1' && m.to === '3');
    h.deliver((m) => m.from === '2' && m.to === '4');
    h.stabilize();
    // Two votes each of four: no majority in term 1.
    expect(h.leaders()).toEqual([]);
    expect(h.ids.map((id) => h.member(id).term)).toEqual([1, 1, 1, 1]);

    tickUntil(h, h.ids, () => h.leaders().length > 0, 4 * T);
    expect(h.leaders().length).toBe(1);
    const leader = h.member(h.leaders()[0] as string);
    expect(leader.term).toBeGreaterThan(1);
    h.stabilize();
    for (const id of h.ids) expect(h.member(id).lead).toBe(leader.id);
  });
});

// ---- Figure 3 safety properties under random faults ----------------------------------

/**
 * Runs a five-member group through a seeded random schedule (reordered, lost and
 * delayed messages, partitions, crashes, proposals) and checks Figure 3's properties
 * after every step; then, with the faults gone, checks that the group recovers.
 * Throws on a violation (the caller names the seed).
 */
function chaos(seed: number, options: Options, steps = 3000): void {
  const h = group(5, options, seed);
  const rng = new Rng(`paper-chaos-${seed}`);
  const same = (a: Entry<Data> | undefined, b: Entry<Data> | undefined): boolean =>
    a !== undefined && b !== undefined && a.index === b.index && a.term === b.term && a.data === b.data;
  const leaderOfTerm = new Map<number, string>();
  /** Committed entries by index, and the highest term any member had when it was first seen applied. */
  const committed = new Map<number, { entry: Entry<Data>; seenAtTerm: number }>();
  let proposals = 0;

  const check = (step: number): void => {
    const maxTerm = Math.max(...h.ids.map((id) => h.member(id).term));
    // Election Safety: at most one leader can be elected in a given term.
    for (const id of h.leaders()) {
      const term = h.member(id).term;
      const known = leaderOfTerm.get(term);
      if (known !== undefined && known !== id) throw new Error(`step ${step}: ${known} and ${id} both lead term ${term}`);
      leaderOfTerm.set(term, id);
    }
    // Log Matching: two logs with an entry of the same index and term are identical up to it.
    for (const a of h.ids) for (const b of h.ids) {
      if (a >= b) continue;
      const la = h.member(a).storage.entries;
      const lb = h.member(b).storage.entries;
      let i = Math.min(la.length, lb.length);
      while (i > 0 && la[i - 1]?.term !== lb[i - 1]?.term) i--;
      for (let j = 0; j < i; j++) {
        if (!same(la[j], lb[j])) throw new Error(`step ${step}: logs of ${a} and ${b} differ at ${j + 1}`);
      }
    }
    // State Machine Safety: no two members apply different entries at one index.
    for (const id of h.ids) {
      for (const e of applied(h, id)) {
        const known = committed.get(e.index);
        if (known === undefined) committed.set(e.index, { entry: e, seenAtTerm: maxTerm });
        else if (!same(known.entry, e)) throw new Error(`step ${step}: ${id} applied a different entry at ${e.index}`);
      }
    }
    // Leader Completeness: a leader of a later term holds every entry committed before it.
    for (const id of h.leaders()) {
      const m = h.member(id);
      for (const { entry, seenAtTerm } of committed.values()) {
        if (seenAtTerm < m.term && !same(m.entry(entry.index), entry)) {
          throw new Error(`step ${step}: leader ${id} of term ${m.term} lacks committed entry ${entry.index}`);
        }
      }
    }
  };

  for (let step = 0; step < steps; step++) {
    const live = h.ids.filter((id) => !h.isDown(id));
    const pick = (from: readonly string[]): string => from[rng.int(from.length)] as string;
    const r = rng.int(100);
    if (r < 40) h.tick(pick(live));
    else if (r < 80) {
      // A network round: each pending message arrives (in a shuffled order), is lost, or waits.
      const pending = [...h.mailbox];
      for (let i = pending.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [pending[i], pending[j]] = [pending[j] as RaftMessage<Data>, pending[i] as RaftMessage<Data>];
      }
      for (const m of pending) {
        const fate = rng.int(100);
        if (fate < 5) h.drop((x) => x === m);
        else if (fate < 70) h.deliver((x) => x === m);
      }
    } else if (r < 90) h.propose(pick(live), `v${++proposals}`);
    else if (r < 93) h.partition([h.ids.filter(() => rng.int(2) === 0)]);
    else if (r < 96) h.heal();
    else if (r < 98) {
      // Leaders crash more often than chance would have it: that is where the rules are tested.
      const leaders = h.leaders();
      if (live.length > 3) h.kill(leaders.length > 0 && rng.int(2) === 0 ? pick(leaders) : pick(live));
    } else {
      const down = h.ids.filter((id) => h.isDown(id));
      if (down.length > 0) h.restart(pick(down));
    }
    check(step);
  }

  // Liveness once the faults stop: one leader, and a last write reaches every member.
  h.heal();
  for (const id of h.ids) if (h.isDown(id)) h.restart(id);
  tickUntil(h, h.ids, () => h.leaders().length === 1, 40 * T);
  const leader = h.leaders()[0] as string;
  expect(h.propose(leader, 'last')).toBe(true);
  tickUntil(h, h.ids, () => h.ids.every((id) => applied(h, id).at(-1)?.data === 'last'), 10 * T);
  check(steps);
}

describe('Figure 3: Election Safety, Log Matching, Leader Completeness and State Machine Safety hold under random faults', () => {
  it.each([
    { preVote: false, checkQuorum: false },
    { preVote: true, checkQuorum: true },
    { preVote: false, checkQuorum: true, maxEntriesPerMsg: 2 },
  ])('with %o, over 30 seeds', (options) => {
    for (let seed = 1; seed <= 30; seed++) {
      try {
        chaos(seed, options);
      } catch (e) {
        // The seed and options replay the run exactly: chaos(seed, options).
        throw new Error(`chaos(${seed}, ${JSON.stringify(options)}): ${(e as Error).message}`, { cause: e });
      }
    }
  });
});

// ---- §5.3 ----------------------------------------------------------------------------

describe('§5.3 Log replication', () => {
  it('the leader appends a proposal to its log and sends it to every follower with the index and term of the entry before it', () => {
    // "The leader appends the command to its log as a new entry, then issues AppendEntries RPCs in
    // parallel to each of the other servers ... the leader includes the index and term of the
    // entry in its log that immediately precedes the new entries."
    const h = group(3);
    elect(h, '1');
    const leader = h.member('1');
    const li = leader.lastIndex;

    expect(h.propose('1', 'x')).toBe(true);

    expect(leader.lastIndex).toBe(li + 1);
    expect(leader.commit).toBe(li);
    const x = leader.entry(li + 1);
    expect(x).toMatchObject({ term: 1, index: li + 1, data: 'x' });
    expect(takeAll(h)).toEqual(
      ['2', '3'].map((to) => message<Data>({ type: MessageType.MsgApp, from: '1', to, term: 1, index: li, logTerm: 1, entries: [x as Entry<Data>], commit: li })),
    );
  });

  it.each([
    // [group size, followers that accept, committed?]
    [1, [], true],
    [3, [], false],
    [3, ['2'], true],
    [3, ['2', '3'], true],
    [5, [], false],
    [5, ['2'], false],
    [5, ['2', '3'], true],
    [5, ['2', '3', '4'], true],
    [5, ['2', '3', '4', '5'], true],
  ] as [number, string[], boolean][])(
    'in a group of %i with %o accepting, the entry is committed: %s',
    (size, acceptors, wantCommitted) => {
      // "A log entry is committed once the leader that created the entry has replicated it on a
      // majority of the servers." Then the leader applies it.
      const h = group(size);
      elect(h, '1');
      const li = h.member('1').lastIndex;
      h.propose('1', 'x');
      h.deliver((m) => m.type === MessageType.MsgApp && acceptors.includes(m.to));
      h.deliver(is(MessageType.MsgAppResp));

      expect(h.member('1').commit > li).toBe(wantCommitted);
      expect(applied(h, '1').some((e) => e.data === 'x')).toBe(wantCommitted);
    },
  );

  it('the leader sends the new commit index in its next AppendEntries, and followers then apply the entry', () => {
    // "The leader keeps track of the highest index it knows to be committed, and it includes that
    // index in future AppendEntries RPCs ... Once a follower learns that a log entry is committed,
    // it applies the entry to its local state machine (in log order)."
    const h = group(3);
    elect(h, '1');
    h.propose('1', 'x');
    h.deliver(is(MessageType.MsgApp));
    expect(applied(h, '2').map((e) => e.data)).toEqual([null]);
    h.deliver(is(MessageType.MsgAppResp));
    const commit = h.member('1').commit;
    expect(commit).toBe(2);
    const next = h.mailbox.filter(is(MessageType.MsgApp, '1'));
    expect(next.map((m) => [m.to, m.commit])).toEqual([
      ['2', 2],
      ['3', 2],
    ]);
    h.stabilize();
    for (const id of h.ids) expect(applied(h, id).map((e) => e.data)).toEqual([null, 'x']);
  });

  it.each([[[]], [[2]], [[1, 2]], [[1]]])('a leader elected over a log of terms %o commits those older entries with its own, and applies them in order', (terms) => {
    // "When the leader commits an entry, it also commits all preceding entries in the leader's log,
    // including entries created by previous leaders."
    const h = group(3);
    for (const id of h.ids) h.load(id, { term: 2, entries: log(...terms) });
    h.campaign('1');
    h.deliver(is(MessageType.MsgVote));
    h.deliver(is(MessageType.MsgVoteResp));
    h.propose('1', 'x');
    h.stabilize();
    expect(applied(h, '1').map((e) => [e.index, e.term, e.data])).toEqual([
      ...log(...terms).map((e) => [e.index, e.term, e.data]),
      [terms.length + 1, 3, null],
      [terms.length + 2, 3, 'x'],
    ]);
  });

  it.each([
    [log(1), 1],
    [log(1, 1), 2],
    [log(1, 1), 1],
  ])('a follower sent entries %o with commit %i applies exactly the committed prefix, in order', (entries, commit) => {
    const h = group(3);
    send(h, { type: MessageType.MsgApp, from: '2', to: '1', term: 1, entries, commit });
    expect(h.member('1').commit).toBe(commit);
    expect(applied(h, '1')).toEqual(entries.slice(0, commit));
  });

  it('a follower commits no further than the last entry the leader’s message vouches for, even if its own log is longer', () => {
    // Figure 2, AppendEntries: "set commitIndex = min(leaderCommit, index of last new entry)". The
    // follower's entries 3 and 4 (term 2) have not been checked against the leader's log yet.
    const h = group(3);
    h.load('1', { term: 2, entries: log(1, 1, 2, 2) });
    send(h, { type: MessageType.MsgApp, from: '2', to: '1', term: 3, index: 2, logTerm: 1, commit: 5 });
    expect(h.member('1').commit).toBe(2);
    expect(applied(h, '1').map((e) => e.term)).toEqual([1, 1]);
  });

  it.each([
    // [prev term, prev index, answer index, refused, hint index, hint term]
    // Matches a committed entry (or precedes the log): the answer is the commit index.
    [0, 0, 1, false, 0, 0],
    [1, 1, 1, false, 0, 0],
    // Matches an uncommitted entry.
    [2, 2, 2, false, 0, 0],
    // Index present with another term: refused; the hint skips our entries of terms newer than the
    // leader's (they cannot match), pointing at the last entry whose term is no greater (etcd's findConflictByTerm).
    [1, 2, 2, true, 1, 1],
    // Index past the end: refused, hinting at our last entry.
    [3, 3, 3, true, 2, 2],
  ])(
    'a follower whose log is [t1, t2] (commit 1) answers AppendEntries with prev (term %i, index %i): index %i, refused %s, hint %i at term %i',
    (logTerm, index, wantIndex, wantReject, wantHint, wantHintTerm) => {
      // "If the follower does not find an entry in its log with the same index and term, then it
      // refuses the new entries" (the consistency check behind the Log Matching Property).
      const h = group(3);
      h.load('1', { term: 2, commit: 1, entries: log(1, 2) });
      send(h, { type: MessageType.MsgApp, from: '2', to: '1', term: 2, logTerm, index });
      expect(takeAll(h)).toEqual([
        message<Data>({ type: MessageType.MsgAppResp, from: '1', to: '2', term: 2, index: wantIndex, reject: wantReject, rejectHint: wantHint, logTerm: wantHintTerm }),
      ]);
      expect(termsOf(h, '1')).toEqual([1, 2]);
    },
  );

  it.each([
    // [prev index, prev term, entries, log after]
    [2, 2, entriesFrom(3, 3), [1, 2, 3]],
    [1, 1, entriesFrom(2, 3, 4), [1, 3, 4]],
    [0, 0, entriesFrom(1, 1), [1, 2]],
    [0, 0, entriesFrom(1, 3), [3]],
  ])('a follower with log [t1, t2] sent entries after (index %i, term %i) ends with terms %o', (index, logTerm, entries, want) => {
    // "If an existing entry conflicts with a new one (same index but different terms), delete the
    // existing entry and all that follow it; append any new entries not already in the log."
    // An entry that matches is kept, and so is everything after it.
    const h = group(3);
    h.load('1', { term: 2, entries: log(1, 2) });
    send(h, { type: MessageType.MsgApp, from: '2', to: '1', term: 2, index, logTerm, entries });
    expect(termsOf(h, '1')).toEqual(want);
  });

  // Figure 7: the leader's log for term 8, and six follower logs it can meet.
  const figure7Leader = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
  const figure7: [string, number[]][] = [
    ['a (missing an entry)', [1, 1, 1, 4, 4, 5, 5, 6, 6]],
    ['b (missing many)', [1, 1, 1, 4]],
    ['c (an extra uncommitted entry)', [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6]],
    ['d (extra entries of a later term)', [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7]],
    ['e (missing entries, extra entries of term 4)', [1, 1, 1, 4, 4, 4, 4]],
    ['f (entries of terms 2 and 3 no one else has)', [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3]],
  ];
  it.each(figure7)('Figure 7 %s: the new leader backs off nextIndex until the logs match, then overwrites the rest', (_, followerTerms) => {
    // "When AppendEntries consistency check fails, the leader decrements nextIndex and retries
    // ... Eventually nextIndex will reach a point where the leader and follower logs match."
    // Member 3 holds the leader's log so that 1 can win even when 2's log is more up to date.
    const h = group(3);
    h.load('1', { term: 8, entries: log(...figure7Leader) });
    h.load('2', { term: 7, entries: log(...followerTerms) });
    h.load('3', { term: 7, entries: log(...figure7Leader) });
    h.campaign('1');
    h.deliver(is(MessageType.MsgVote));
    h.deliver(is(MessageType.MsgVoteResp));
    h.propose('1', 'x');
    let refusals = 0;
    for (let round = 0; h.mailbox.length > 0; round++) {
      if (round > 100) throw new Error('not stable');
      refusals += h.deliver().filter((m) => m.type === MessageType.MsgAppResp && m.from === '2' && m.reject).length;
    }

    expect(h.leaders()).toEqual(['1']);
    expect(termsOf(h, '1')).toEqual([...figure7Leader, 9, 9]);
    expect(h.member('2').storage.entries).toEqual(h.member('1').storage.entries);
    expect(applied(h, '2')).toEqual(applied(h, '1'));
    expect(applied(h, '2').length).toBe(12);
    // Only a follower whose log already holds the leader's last-but-new entry needs no back-off.
    const holdsLeadersLog = followerTerms.length >= figure7Leader.length && followerTerms[figure7Leader.length - 1] === 6;
    if (holdsLeadersLog) expect(refusals).toBe(0);
    else expect(refusals).toBeGreaterThan(0);
  });
});

// ---- §5.4 ----------------------------------------------------------------------------

describe('§5.4.1 Election restriction', () => {
  it.each([
    [log(1), 2],
    [log(1, 2), 3],
  ])('a candidate with log %o asks for votes in term %i with the index and term of its last entry', (entries, wantTerm) => {
    // "The RequestVote RPC ... includes information about the candidate's log."
    const h = group(3);
    h.load('1', { term: wantTerm - 1, entries });
    h.campaign('1');
    const last = entries[entries.length - 1] as Entry<Data>;
    expect(takeAll(h)).toEqual(
      ['2', '3'].map((to) => message<Data>({ type: MessageType.MsgVote, from: '1', to, term: wantTerm, index: last.index, logTerm: last.term })),
    );
  });

  it.each([
    // [voter's log, candidate's last term, candidate's last index, refused]
    // Same last term: the longer (or equal) log is at least as up to date.
    [log(1), 1, 1, false],
    [log(1), 1, 2, false],
    [log(1, 1), 1, 1, true],
    // The candidate's last term is higher: up to date whatever the lengths.
    [log(1), 2, 1, false],
    [log(1), 2, 2, false],
    [log(1, 1), 2, 1, false],
    // The voter's last term is higher: refused whatever the lengths.
    [log(2), 1, 1, true],
    [log(2), 1, 2, true],
    [log(2, 2), 1, 1, true],
    [log(1, 1), 1, 1, true],
  ])('a voter with log %o refuses a candidate whose log ends at (term %i, index %i): %s', (entries, logTerm, index, refused) => {
    // "The voter denies its vote if its own log is more up-to-date than that of the candidate ...
    // If the logs have last entries with different terms, then the log with the later term is more
    // up-to-date. If the logs end with the same term, then whichever log is longer is more up-to-date."
    const h = group(2);
    h.load('1', { entries });
    send(h, { type: MessageType.MsgVote, from: '2', to: '1', term: 3, logTerm, index });
    const [answer, ...rest] = takeAll(h);
    expect(rest).toEqual([]);
    expect(answer).toMatchObject({ type: MessageType.MsgVoteResp, to: '2', reject: refused });
    expect(h.member('1').vote).toBe(refused ? None : '2');
  });

  it('a member that missed committed entries cannot be elected; one that has them can', () => {
    const h = group(3);
    elect(h, '1');
    h.partition([['1', '2'], ['3']]);
    h.propose('1', 'x');
    h.propose('1', 'y');
    h.stabilize();
    expect(h.member('1').commit).toBe(3);
    h.heal();
    h.kill('1');

    h.campaign('3');
    h.stabilize();
    expect(h.member('3').role).not.toBe(Role.Leader);
    expect(h.member('2').vote).not.toBe('3');

    h.campaign('2');
    h.stabilize();
    expect(h.leaders()).toEqual(['2']);
    expect(h.member('3').storage.entries.map((e) => e.data)).toEqual([null, 'x', 'y', null]);
  });
});

describe('§5.4.2 Committing entries from previous terms', () => {
  it.each([
    [1, 0],
    [2, 0],
    [3, 3],
  ])('a leader of term 3 whose follower acknowledges index %i commits up to %i: only an entry of its own term commits by counting', (ackIndex, wantCommit) => {
    // "Raft never commits log entries from previous terms by counting replicas. Only log entries
    // from the leader's current term are committed by counting replicas."
    const h = group(2);
    h.load('1', { term: 2, entries: log(1, 2) });
    h.load('2', { term: 2 });
    h.campaign('1');
    h.deliver(is(MessageType.MsgVote));
    h.deliver(is(MessageType.MsgVoteResp));
    expect(h.leaders()).toEqual(['1']);
    expect(termsOf(h, '1')).toEqual([1, 2, 3]);
    takeAll(h);

    send(h, { type: MessageType.MsgAppResp, from: '2', to: '1', term: 3, index: ackIndex });

    expect(h.member('1').commit).toBe(wantCommit);
  });

  /**
   * Figure 8 up to (c), with S1..S5 as members 1..5. (a) S1 led term 2 and put its entry at
   * index 2 on S2; (b) S5 was elected for term 3 by S3, S4 and itself and wrote a different
   * entry at index 2, then crashed. (c) S1 is elected for term 4 (by S2, S3 and S4), appends
   * its empty entry at index 3 and brings index 2 to S3, one entry per message; its messages to
   * S4 are lost. The message that would give S3 index 3 is left pending.
   */
  function figure8c(): RaftHarness {
    const h = group(5, { maxEntriesPerMsg: 1 });
    h.load('1', { term: 3, commit: 1, entries: log(1, 2) }); // back up, and it has heard of term 3
    h.load('2', { term: 2, vote: '1', commit: 1, entries: log(1, 2) });
    h.load('3', { term: 3, vote: '5', commit: 1, entries: log(1) });
    h.load('4', { term: 3, vote: '5', commit: 1, entries: log(1) });
    h.load('5', { term: 3, vote: '5', commit: 1, entries: log(1, 3) });
    h.kill('5');

    h.campaign('1');
    h.deliver(is(MessageType.MsgVote));
    h.deliver(is(MessageType.MsgVoteResp));
    expect(h.leaders()).toEqual(['1']);
    expect(h.member('1').term).toBe(4);
    // Held back: the message that would give S3 index 3, once S3 has index 2.
    const index3ToS3 = (m: RaftMessage<Data>): boolean => m.type === MessageType.MsgApp && m.to === '3' && m.index === 2 && h.member('3').lastIndex === 2;
    for (let round = 0; round < 100; round++) {
      h.drop((m) => m.to === '4');
      if (h.deliver((m) => !index3ToS3(m)).length === 0) break;
    }
    expect(h.mailbox.length).toBe(1);
    return h;
  }

  it('Figure 8 (c): the term-2 entry at index 2 is on a majority (S1, S2, S3) and still not committed', () => {
    const h = figure8c();
    const leader = h.member('1');
    const holders = leader.progress().filter((p) => p.match >= 2).map((p) => p.id);
    expect(holders).toEqual(['1', '2', '3']);
    expect(termsOf(h, '3')).toEqual([1, 2]);
    expect(leader.commit).toBe(1);
    expect(applied(h, '1').map((e) => e.index)).toEqual([1]);
  });

  it('Figure 8 (d): if S1 crashes now, S5 is elected and overwrites index 2 everywhere, which is safe because no one applied it', () => {
    const h = figure8c();
    h.kill('1');
    h.restart('5');
    // In term 4 the others have voted for S1 already; in term 5 S3 and S4 vote for S5 (its last
    // term, 3, beats their 2). S2 refuses: it has S1's term-4 entry.
    h.campaign('5');
    h.stabilize();
    h.campaign('5');
    h.stabilize();
    expect(h.leaders()).toEqual(['5']);
    expect(h.member('5').term).toBe(5);
    for (const id of ['2', '3', '4', '5']) expect(termsOf(h, id)).toEqual([1, 3, 5]);
    for (const id of h.ids) expect(applied(h, id).some((e) => e.term === 2)).toBe(false);
  });

  it('Figure 8 (e): once S1 replicates an entry of its own term on a majority, index 2 commits with it and S5 can no longer win', () => {
    const h = figure8c();
    for (let round = 0; round < 100; round++) {
      h.drop((m) => m.to === '4');
      if (h.deliver().length === 0) break;
    }
    expect(h.member('1').commit).toBe(3);
    expect(applied(h, '1').map((e) => [e.index, e.term])).toEqual([
      [1, 1],
      [2, 2],
      [3, 4],
    ]);

    h.kill('1');
    h.restart('5');
    h.campaign('5');
    h.stabilize();
    h.campaign('5');
    h.stabilize();
    expect(h.leaders()).toEqual([]);

    // A member that has the committed entries wins, and repairs S4 and S5 to them.
    h.campaign('2');
    h.stabilize();
    expect(h.leaders()).toEqual(['2']);
    for (const id of ['2', '3', '4', '5']) expect(termsOf(h, id).slice(0, 3)).toEqual([1, 2, 4]);
  });
});

// ---- §5.5 ----------------------------------------------------------------------------

describe('§5.5 Follower and candidate crashes', () => {
  it('a restarted member keeps its term, vote and log, loses its volatile state, and catches up from the leader', () => {
    // Figure 2: currentTerm, votedFor and log[] are persistent; commitIndex, lastApplied and the
    // leader's nextIndex/matchIndex are volatile. (Like etcd, the commit index is kept too.)
    const h = group(3);
    elect(h, '1');
    h.propose('1', 'a');
    h.stabilize();
    const before = h.member('3');
    const kept = { term: before.term, vote: before.vote, log: [...before.storage.entries], commit: before.commit };

    h.kill('3');
    h.propose('1', 'b');
    h.stabilize();
    h.restart('3');

    const after = h.member('3');
    expect(after).not.toBe(before);
    expect({ term: after.term, vote: after.vote, log: after.storage.entries, commit: after.commit }).toEqual(kept);
    expect(after.role).toBe(Role.Follower);
    expect(after.lead).toBe(None);
    // The state machine is rebuilt by applying the committed entries again, from the first.
    expect(applied(h, '3').map((e) => e.data)).toEqual([null, 'a']);

    h.tick('1');
    h.stabilize();
    expect(after.storage.entries).toEqual(h.member('1').storage.entries);
    expect(applied(h, '3').map((e) => e.data)).toEqual([null, 'a', 'b']);
  });

  it('a restarted leader comes back as a follower with no replication progress', () => {
    const h = group(3);
    elect(h, '1');
    h.kill('1');
    h.restart('1');
    expect(h.member('1').role).toBe(Role.Follower);
    expect(h.member('1').progress()).toEqual([]);
    expect(h.member('1').term).toBe(1);
  });

  it('a member that voted in a term and restarts does not vote again in that term', () => {
    // Why votedFor is persistent: otherwise two candidates could each win the same term.
    const h = group(3);
    h.campaign('2');
    h.deliver(is(MessageType.MsgVote, '2', '1'));
    expect(h.member('1').vote).toBe('2');
    takeAll(h);
    h.kill('1');
    h.restart('1');

    h.campaign('3');
    expect(h.member('3').term).toBe(1);
    h.deliver(is(MessageType.MsgVote, '3', '1'));
    expect(h.mailbox.filter((m) => m.from === '1')).toEqual([
      message<Data>({ type: MessageType.MsgVoteResp, from: '1', to: '3', term: 1, reject: true }),
    ]);
  });

  it('AppendEntries is idempotent: a duplicated or late message changes nothing', () => {
    // "If a follower ... receives an AppendEntries request that includes log entries already
    // present in its log, it ignores those entries in the new request."
    const h = group(3);
    elect(h, '1');
    h.propose('1', 'x');
    const first = h.drop(is(MessageType.MsgApp, '1', '2'));
    h.propose('1', 'y');
    const second = h.drop(is(MessageType.MsgApp, '1', '2'));
    const follower = h.member('2');

    for (const m of [...first, ...second]) h.stepMessage(m);
    const answersBefore = h.drop((m) => m.from === '2');
    expect(follower.storage.entries.map((e) => e.data)).toEqual([null, 'x', 'y']);

    // The same messages again, and the first one last, as if it had been delayed.
    for (const m of [...second, ...first]) h.stepMessage(m);
    expect(follower.storage.entries.map((e) => e.data)).toEqual([null, 'x', 'y']);
    expect(h.drop((m) => m.from === '2').map((m) => [m.index, m.reject])).toEqual(
      [...answersBefore].reverse().map((m) => [m.index, m.reject]),
    );

    h.stabilize();
    for (const id of h.ids) expect(applied(h, id).map((e) => e.data)).toEqual([null, 'x', 'y']);
  });
});

// ---- Pre-vote (paper §9.6, thesis §9.6) ----------------------------------------------------------

/**
 * Elects 1 in a group of three, cuts 3 off for a while (it keeps timing out), optionally
 * commits a write without it, then reconnects it and lets it time out once more.
 */
function rejoin(options: Options, writeWhileAway: boolean): { h: RaftHarness; termAway: number } {
  const h = group(3, options);
  elect(h, '1');
  h.isolate('3');
  if (writeWhileAway) {
    h.propose('1', 'x');
    h.stabilize();
  }
  for (let t = 0; t < 5 * T; t++) {
    for (const id of h.ids) h.tick(id);
    h.stabilize();
  }
  const termAway = h.member('3').term;
  h.heal();
  // Only 3's election timer runs until it asks for votes; then every message is delivered.
  const asks = (m: RaftMessage<Data>): boolean => m.from === '3' && (m.type === MessageType.MsgVote || m.type === MessageType.MsgPreVote);
  for (let t = 0; !h.mailbox.some(asks); t++) {
    if (t > 2 * T) throw new Error('3 never campaigned');
    h.tick('3');
  }
  h.stabilize();
  return { h, termAway };
}

describe('§9.6 Preventing disruptions when a server rejoins the cluster (pre-vote)', () => {
  it('with pre-vote, a member rejoining from a partition has not raised its term and does not disrupt the leader', () => {
    // "In the Pre-Vote algorithm, a candidate only increments its term if it first learns from a
    // majority of the cluster that they would be willing to grant the server their votes."
    const { h, termAway } = rejoin({ preVote: true }, true);
    expect(termAway).toBe(1);
    expect(h.leaders()).toEqual(['1']);
    expect(h.ids.map((id) => h.member(id).term)).toEqual([1, 1, 1]);
    expect(h.member('3').role).toBe(Role.Follower);

    h.tick('1');
    h.stabilize();
    expect(termsOf(h, '3')).toEqual(termsOf(h, '1'));
  });

  it('without pre-vote, the same member comes back with a higher term and deposes the leader', () => {
    const { h, termAway } = rejoin({ preVote: false }, true);
    expect(termAway).toBeGreaterThan(1);
    expect(h.member('1').role).toBe(Role.Follower);
    expect(h.member('1').term).toBeGreaterThan(termAway);
    // It cannot win (its log lacks x), but the group has lost its leader all the same.
    expect(h.leaders()).toEqual([]);
  });

  it('with pre-vote and check-quorum, a rejoining member does not disrupt even when its log is up to date', () => {
    // Voters refuse while they hear from a leader (thesis §9.6: "if they have not received
    // heartbeats from a valid leader for at least a baseline election timeout"); in etcd, and here,
    // that half of the rule is the check-quorum lease.
    const { h } = rejoin({ preVote: true, checkQuorum: true }, false);
    expect(h.leaders()).toEqual(['1']);
    expect(h.ids.map((id) => h.member(id).term)).toEqual([1, 1, 1]);
  });

  it('with pre-vote alone, an up-to-date rejoining member still takes over (as in etcd: the lease needs check-quorum)', () => {
    const { h } = rejoin({ preVote: true, checkQuorum: false }, false);
    expect(h.leaders()).toEqual(['3']);
    expect(h.member('3').term).toBe(2);
  });
});

// ---- Check-quorum (thesis §6.2) --------------------------------------------------------------

describe('thesis §6.2 Check-quorum and leader stickiness', () => {
  it('a leader that hears from no majority for an election timeout steps down (and then refuses proposals)', () => {
    // "A leader steps down if an election timeout elapses without a successful round of heartbeats
    // to a majority of its cluster."
    const h = group(3, { checkQuorum: true });
    elect(h, '1');
    h.isolate('1');
    // The first window still counts the answers to its election; the second hears nothing.
    h.tick('1', T);
    expect(h.member('1').role).toBe(Role.Leader);
    h.tick('1', T);
    expect(h.member('1').role).toBe(Role.Follower);
    expect(h.member('1').term).toBe(1);
    expect(h.propose('1', 'x')).toBe(false);
  });

  it('without check-quorum, the isolated leader stays leader', () => {
    const h = group(3);
    elect(h, '1');
    h.isolate('1');
    h.tick('1', 10 * T);
    expect(h.member('1').role).toBe(Role.Leader);
  });

  it('a leader that hears from a majority stays leader window after window', () => {
    const h = group(3, { checkQuorum: true });
    elect(h, '1');
    h.isolate('3');
    for (let t = 0; t < 10 * T; t++) {
      h.tick('1');
      h.stabilize();
    }
    expect(h.member('1').role).toBe(Role.Leader);
  });

  it('with check-quorum, followers that heard from the leader within the timeout ignore a vote request of a higher term', () => {
    // Thesis §4.2.3: "if a server receives a RequestVote request within the minimum election
    // timeout of hearing from a current leader, it does not update its term or grant its vote."
    const h = group(3, { checkQuorum: true });
    elect(h, '1');
    h.campaign('3');
    expect(h.member('3').term).toBe(2);
    h.deliver((m) => m.from === '3');
    expect(h.mailbox).toEqual([]);
    for (const id of ['1', '2']) {
      expect(h.member(id).term).toBe(1);
      expect(h.member(id).vote).toBe('1');
    }
    expect(h.member('1').role).toBe(Role.Leader);
  });

  it('without check-quorum, the same request raises their term and elects the disruptor', () => {
    const h = group(3);
    elect(h, '1');
    h.campaign('3');
    h.stabilize();
    expect(h.leaders()).toEqual(['3']);
    expect(h.member('1').term).toBe(2);
  });
});

// ---- ReadIndex (thesis §6.4) ---------------------------------------------------------------

describe('thesis §6.4 Processing read-only queries (ReadIndex)', () => {
  it('the leader releases a read only after a heartbeat round confirms a majority, at the commit index it had when the read arrived', () => {
    // "The leader needs to make sure it hasn't been superseded ... it sends a new round of
    // heartbeats and waits for their acknowledgments from a majority of the cluster."
    const h = group(5);
    elect(h, '1');
    const commit = h.member('1').commit;
    expect(h.readIndex('1', 7)).toBe(true);
    expect(h.mailbox.map((m) => [m.type, m.to, m.context])).toEqual(
      ['2', '3', '4', '5'].map((to) => [MessageType.MsgHeartbeat, to, 7]),
    );
    expect(reads(h, '1')).toEqual([]);

    // The leader and one follower are two of five: not yet.
    h.deliver((m) => m.to === '2');
    h.deliver(is(MessageType.MsgHeartbeatResp));
    expect(reads(h, '1')).toEqual([]);

    h.deliver((m) => m.to === '3');
    h.deliver(is(MessageType.MsgHeartbeatResp));
    expect(reads(h, '1')).toEqual([{ index: commit, context: 7 }]);
  });

  it('a read whose confirming heartbeats are lost is confirmed by the next heartbeat round', () => {
    // etcd's leader puts the last pending read's context on every heartbeat; a read must not hang
    // because one round was lost.
    const h = group(3);
    elect(h, '1');
    h.readIndex('1', 7);
    takeAll(h);
    h.tick('1');
    h.stabilize();
    expect(reads(h, '1')).toEqual([{ index: 1, context: 7 }]);
  });

  it('a new leader defers reads until an entry of its own term commits: before that, its commit index may be stale', () => {
    // "The leader must have the latest information on which entries are committed ... Raft handles
    // this by having each leader commit a blank no-op entry into the log at the start of its term."
    const h = group(3);
    elect(h, '1');
    h.propose('1', 'x');
    h.deliver(is(MessageType.MsgApp));
    h.deliver(is(MessageType.MsgAppResp));
    expect(h.member('1').commit).toBe(2);
    takeAll(h); // 2 and 3 never hear that x committed
    h.kill('1');
    h.campaign('2');
    h.deliver(is(MessageType.MsgVote));
    h.deliver(is(MessageType.MsgVoteResp));
    expect(h.leaders()).toEqual(['2']);
    expect(h.member('2').commit).toBe(1);

    expect(h.readIndex('2', 42)).toBe(true);
    expect(h.mailbox.filter((m) => m.context === 42)).toEqual([]);
    h.deliver(is(MessageType.MsgApp));
    expect(reads(h, '2')).toEqual([]);

    h.stabilize();
    // Served at the new leader's empty entry, past x: a read there cannot miss x.
    expect(reads(h, '2')).toEqual([{ index: 3, context: 42 }]);
  });

  it.each([{}, { checkQuorum: true }, { preVote: true, checkQuorum: true }])(
    'with %o, a leader cut off from the majority never releases a read, before or after it learns it was deposed',
    (options) => {
      const h = group(3, options);
      elect(h, '1');
      h.isolate('1');
      expect(h.readIndex('1', 9)).toBe(true);
      tickUntil(h, h.ids, () => h.leaders().some((id) => id !== '1'));
      const newLeader = h.leaders().find((id) => id !== '1') as string;
      h.propose(newLeader, 'y');
      h.stabilize();
      expect(applied(h, newLeader).at(-1)?.data).toBe('y');
      h.heal();
      tickUntil(h, h.ids, () => h.member('1').role === Role.Follower, 4 * T);
      for (let t = 0; t < 2 * T; t++) {
        for (const id of h.ids) h.tick(id);
        h.stabilize();
      }
      expect(reads(h, '1')).toEqual([]);
    },
  );

  it('a deposed leader forgets the reads it had not released: elected again, it does not release them at their stale index', () => {
    const h = group(3);
    elect(h, '1');
    h.isolate('1');
    h.readIndex('1', 9);
    h.campaign('2');
    h.stabilize();
    h.propose('2', 'y');
    h.stabilize();
    h.heal();
    h.tick('2');
    h.stabilize();
    expect(h.member('1').role).toBe(Role.Follower);

    h.campaign('1');
    h.stabilize();
    expect(h.leaders()).toEqual(['1']);
    h.tick('1', 3);
    h.stabilize();
    expect(reads(h, '1')).toEqual([]);
    // A new read is served, at an index that covers y.
    h.readIndex('1', 10);
    h.stabilize();
    expect(reads(h, '1')).toEqual([{ index: h.member('1').commit, context: 10 }]);
    expect(h.member('1').entry(h.member('1').commit - 1)?.data).toBe('y');
  });

  it('a follower forwards a read to the leader and is given the leader’s commit index, to serve once it has applied that far', () => {
    const h = group(3);
    elect(h, '1');
    h.propose('1', 'x');
    h.drop(is(MessageType.MsgApp, '1', '2'));
    h.deliver(is(MessageType.MsgApp, '1', '3'));
    h.deliver(is(MessageType.MsgAppResp));
    expect(h.member('1').commit).toBe(2);
    takeAll(h);
    expect(h.member('2').commit).toBe(1);

    expect(h.readIndex('2', 5)).toBe(true);
    expect(h.mailbox).toEqual([message<Data>({ type: MessageType.MsgReadIndex, from: '2', to: '1', context: 5 })]);
    h.stabilize();
    expect(reads(h, '2')).toEqual([{ index: 2, context: 5 }]);
  });

  it('a member that knows no leader drops a read, and a group of one serves it at once', () => {
    expect(group(3).readIndex('1', 1)).toBe(false);
    const h = group(1);
    h.campaign('1');
    expect(h.readIndex('1', 1)).toBe(true);
    expect(reads(h, '1')).toEqual([{ index: 1, context: 1 }]);
  });
});
