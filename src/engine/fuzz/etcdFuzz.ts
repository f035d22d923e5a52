import { applyFault, describeFault, type Fault } from '../faults';
import type { Rng } from '../rng';
import type { Entry } from '../raft/types';
import { EtcdClient, type ClientOutcome } from '../store/etcdClient';
import { EtcdCluster } from '../store/etcdCluster';
import type { EtcdEntry, WatchEvents } from '../store/etcdProtocol';
import type { TxnRequest, WatchEvent } from '../store/kvStore';
import { World } from '../world';
import { checkPartitioned, type KvInput, kvModel, type KvOutput, type Operation } from './linearizability';

/**
 * Randomised fault schedules against the replicated store (a simulation test in
 * the manner of FoundationDB and TigerBeetle's VOPR). One seed decides the
 * group size, the zones, the faults and the clients' operations, so a failing
 * seed replays exactly: `npm run fuzz -- --seed N`.
 *
 * Checked after every event: at most one leader per term; every applied entry
 * equals the entry every other member applied at that index; committed entries
 * are never lost (each member's commit stays within the one agreed log, also
 * after a restart) and every new leader holds all of them. Checked each virtual
 * second and at the end: log matching between every pair of members. At the
 * end: client histories are linearizable, per key; every watcher saw every
 * revision of its keys once, in order; and after all faults healed, a leader was
 * elected within 10 election timeouts and every member caught up.
 */
export interface FuzzOptions {
  /** Virtual length of the run; the last `settleMs` of it are fault-free. */
  durationMs: number;
  settleMs: number;
  /** Stop at the first violation (the CI sweep) or collect them all (replay). */
  stopAtFirst: boolean;
  /** Bound on the linearizability search per key. */
  maxSearchSteps?: number;
  /** Records a line per fault and outcome, for replays. */
  log?: (line: string) => void;
}

export const DEFAULT_FUZZ_OPTIONS: FuzzOptions = { durationMs: 150_000, settleMs: 25_000, stopAtFirst: true };

export interface FuzzReport {
  readonly seed: number;
  readonly members: number;
  readonly violations: readonly string[];
  readonly stats: {
    readonly events: number;
    readonly operations: number;
    readonly okOperations: number;
    readonly faults: number;
    readonly elections: number;
    readonly watchEvents: number;
    readonly committed: number;
  };
}

const KEYS = ['/k/a', '/k/b', '/k/c', '/k/d'];
const ZONES = ['zone-a', 'zone-b', 'zone-c'];
const PROCESSES_PER_CLIENT = 2;
/** A key no operation writes: deletes carry their tag in a compare on it. */
const TAG_KEY = '/fuzz/tag';

class Violation extends Error {}

export function runEtcdFuzz(seed: number, options: Partial<FuzzOptions> = {}): FuzzReport {
  const opts = { ...DEFAULT_FUZZ_OPTIONS, ...options };
  const log = opts.log ?? (() => {});
  // The trace is hashed but not kept: nobody reads it here, and keeping it costs allocations.
  const world = new World({ seed, network: { traceCapacity: 0 } });
  const plan = world.rng.fork('fuzz-plan');
  const memberCount = plan.pick([3, 3, 4, 5, 5]);
  const zoneCount = plan.pick([2, 3]);
  const zones = ZONES.slice(0, zoneCount);
  const memberIds = Array.from({ length: memberCount }, (_, i) => `master-${i + 1}`);
  // Masters as the default topology places them: the first zone gets the extra one (a/a/b for 3 in 2 zones).
  memberIds.forEach((id, i) => world.net.addHost(id, zones[i % zoneCount] as string));
  const clientIds = ['client-1', 'client-2', 'client-3'];
  clientIds.forEach((id, i) => world.net.addHost(id, zones[i % zoneCount] as string));
  const etcd = new EtcdCluster(world, memberIds);
  const electionMs = etcd.settings.electionTicks * etcd.settings.tickMs;
  log(`seed ${seed}: ${memberCount} members in ${zoneCount} zones (${memberIds.map((id) => `${id}@${world.net.hosts().find((h) => h.id === id)?.zone}`).join(', ')})`);

  const violations: string[] = [];
  const fail = (msg: string): void => {
    violations.push(`t=${world.now}ms: ${msg}`);
    log(`VIOLATION ${msg}`);
    if (opts.stopAtFirst) throw new Violation(msg);
  };

  // ---- clients ------------------------------------------------------------------------
  let stamp = 0;
  const history: Operation<KvInput, KvOutput>[] = [];
  let okOperations = 0;
  const faultEndMs = opts.durationMs - opts.settleMs;
  const watchLogs = new Map<string, { startRev: number; seen: { revision: number; event: WatchEvent }[] }>();

  for (const host of clientIds) {
    // Clients give up long before the server would (a write after 3 s, a read after 1 s), so a
    // request stuck on an unreachable member does not keep the process quiet through a fault.
    const client = new EtcdClient(world, host, 3_000);
    // Each client host runs a few independent processes (each one sequential, as the checker
    // needs), so one request stuck on an unreachable member does not silence the host.
    for (let p = 1; p <= PROCESSES_PER_CLIENT; p++) {
      const clientId = `${host}/p${p}`;
      const rng = world.rng.fork('fuzz-client').fork(`${host}-p${p}`);
      startProcess(clientId, rng, client);
    }
    startWatcher(world, client, host, memberIds, world.rng.fork('fuzz-watch').fork(host), watchLogs, fail);
  }

  function startProcess(clientId: string, rng: Rng, client: EtcdClient): void {
    let n = 0;
    // Like a real client's connection, a process sticks to one member until a request to it
    // fails, then picks another: so a client cut off together with a deposed leader keeps using it.
    let member = rng.pick(memberIds);
    const next = (): void => {
      if (world.now >= opts.durationMs - 2 * etcd.settings.requestTimeoutMs) return;
      const key = rng.pick(KEYS);
      const roll = rng.int(10);
      const value = `${clientId}.${++n}`;
      const call = ++stamp;
      const done = (input: KvInput, output: KvOutput | undefined, definite: boolean): void => {
        if (definite || input.kind !== 'get') history.push({ clientId, input, output, call, ret: definite ? ++stamp : Infinity });
        if (!definite || rng.chance(0.05)) member = rng.pick(memberIds);
        world.schedule(rng.int(200), `fuzz think ${clientId}`, next);
      };
      if (roll < 4) {
        const input: KvInput = { kind: 'put', key, value };
        client.txn(member, { compare: [], success: [{ op: 'put', key, value }], failure: [] }, (o) => {
          if (o.ok) okOperations++;
          done(input, null, o.ok);
        });
      } else if (roll < 8) {
        const input: KvInput = { kind: 'get', key };
        client.range(member, key, { deadlineMs: 1_000 }, (o) => {
          if (o.ok) okOperations++;
          done(input, o.ok ? valueOf(o, key) : undefined, o.ok);
        });
      } else if (roll < 9) {
        // The always-true compare on a key nobody writes carries a unique tag, so the harness can
        // tell from the committed log whether a delete whose outcome the client never learnt happened.
        const input: KvInput = { kind: 'delete', key, tag: value };
        const tagged: TxnRequest = { compare: [{ key: TAG_KEY, target: 'value', result: '!=', operand: value }], success: [{ op: 'delete', key }], failure: [] };
        client.txn(member, tagged, (o) => {
          if (o.ok) okOperations++;
          done(input, null, o.ok);
        });
      } else {
        const from = `${rng.pick(clientIds)}/p${rng.intBetween(1, PROCESSES_PER_CLIENT)}.${rng.intBetween(1, Math.max(1, n))}`;
        const input: KvInput = { kind: 'cas', key, from, to: value };
        const txn: TxnRequest = { compare: [{ key, target: 'value', result: '=', operand: from }], success: [{ op: 'put', key, value }], failure: [] };
        client.txn(member, txn, (o) => {
          if (o.ok) okOperations++;
          done(input, o.ok && o.result.kind === 'txn' ? o.result.txn.succeeded : undefined, o.ok);
        });
      }
    };
    world.schedule(rng.int(500), `fuzz start ${clientId}`, next);
  }
  // ---- faults ---------------------------------------------------------------------------
  const faultRng = world.rng.fork('fuzz-faults');
  let faults = 0;
  const hosts = [...memberIds, ...clientIds];
  const scheduleFault = (): void => {
    const at = world.now + faultRng.intBetween(2_000, 10_000);
    if (at >= faultEndMs) return;
    world.at(at, 'fuzz fault', () => {
      const fault = randomFault(faultRng, memberIds, clientIds, zones, world, etcd.leader()?.id);
      faults++;
      log(`t=${world.now}ms fault: ${describeFault(fault)}`);
      applyFault(world, fault);
      scheduleFault();
    });
  };
  scheduleFault();
  world.at(faultEndMs, 'fuzz heal everything', () => {
    log(`t=${world.now}ms heal everything, restart every member`);
    for (const f of [{ heal: 'all' }, { duplicate: 0 }, { reorder: false }] as Fault[]) applyFault(world, f);
    for (const id of hosts) world.net.restart(id);
  });

  // A new leader commits what earlier leaders left uncommitted (§5.4.2, Figure 8 of the paper):
  // crashing it within its first few milliseconds is where that rule is put to the test.
  const crashNewLeader = (id: string): void => {
    world.schedule(faultRng.int(30), 'fuzz crash new leader', () => {
      if (world.now >= faultEndMs) return;
      faults++;
      log(`t=${world.now}ms fault: kill ${id} (new leader)`);
      world.net.kill(id);
      world.schedule(faultRng.intBetween(500, 5_000), 'fuzz restart crashed leader', () => world.net.restart(id));
    });
  };

  // ---- invariants after every event -------------------------------------------------------
  const leaderOfTerm = new Map<number, string>();
  /** The one log everybody agrees on: entries known committed, by index. */
  const agreed: Entry<EtcdEntry>[] = [];
  const lastCheckedApplied = new Map<string, number>();
  const lastLeaderTerm = new Map<string, number>();
  let elections = 0;
  let leaderAfterHealMs: number | undefined;

  const sameEntry = (a: Entry<EtcdEntry>, b: Entry<EtcdEntry>): boolean =>
    a.term === b.term && a.index === b.index && (a.data?.id ?? null) === (b.data?.id ?? null);

  const members = etcd.members();
  const checkStep = (): void => {
    for (const m of members) {
      const r = m.raftMember;
      const disk = m.disk.raft;
      // Committed entries are never lost: everything up to commit is the agreed log.
      for (let i = agreed.length + 1; i <= disk.commit; i++) agreed.push(disk.entries[i - 1] as Entry<EtcdEntry>);
      const checkFrom = Math.max(1, disk.commit - 2);
      for (let i = checkFrom; i <= disk.commit; i++) {
        const mine = disk.entries[i - 1];
        const truth = agreed[i - 1] as Entry<EtcdEntry>;
        if (mine === undefined || !sameEntry(mine, truth)) {
          fail(`${m.id} has commit ${disk.commit} but its entry ${i} (${mine?.label ?? 'missing'}, term ${mine?.term}) differs from the committed one (${truth.label}, term ${truth.term})`);
        }
      }
      if (r === undefined) continue;
      // Applied entries equal on every member: what it applied is the agreed log.
      const applied = r.appliedIndex;
      const from = (lastCheckedApplied.get(m.id) ?? 0) + 1;
      for (let i = from; i <= applied; i++) {
        const mine = disk.entries[i - 1] as Entry<EtcdEntry>;
        if (!sameEntry(mine, agreed[i - 1] as Entry<EtcdEntry>)) fail(`${m.id} applied entry ${i} (${mine.label}) that differs from what others applied`);
      }
      lastCheckedApplied.set(m.id, applied < from - 1 ? applied : applied);
      if (applied < (lastCheckedApplied.get(m.id) ?? 0)) lastCheckedApplied.set(m.id, applied);
      // Election safety and leader completeness.
      if (r.role === 'leader') {
        const holder = leaderOfTerm.get(r.term);
        if (holder === undefined) {
          leaderOfTerm.set(r.term, m.id);
          elections++;
          log(`t=${world.now}ms ${m.id} leads term ${r.term}`);
          if (world.now >= faultEndMs && leaderAfterHealMs === undefined) leaderAfterHealMs = world.now;
          else if (world.now < faultEndMs && faultRng.chance(0.3)) crashNewLeader(m.id);
        } else if (holder !== m.id) {
          fail(`two leaders in term ${r.term}: ${holder} and ${m.id}`);
        }
        if (lastLeaderTerm.get(m.id) !== r.term) {
          lastLeaderTerm.set(m.id, r.term);
          for (let i = 1; i <= agreed.length; i++) {
            const mine = disk.entries[i - 1];
            if (mine === undefined || !sameEntry(mine, agreed[i - 1] as Entry<EtcdEntry>)) {
              fail(`leader ${m.id} of term ${r.term} lacks committed entry ${i} (${(agreed[i - 1] as Entry<EtcdEntry>).label})`);
              break;
            }
          }
        }
      }
    }
  };

  const checkLogMatching = (): void => {
    const logs = members.map((m) => ({ id: m.id, entries: m.disk.raft.entries, commit: m.disk.raft.commit }));
    for (let a = 0; a < logs.length; a++) {
      for (let b = a + 1; b < logs.length; b++) {
        const x = logs[a] as (typeof logs)[number];
        const y = logs[b] as (typeof logs)[number];
        const n = Math.min(x.entries.length, y.entries.length);
        // Find the last index where both have the same term; everything before must be identical.
        let last = 0;
        for (let i = n; i >= 1; i--) {
          if ((x.entries[i - 1] as Entry<EtcdEntry>).term === (y.entries[i - 1] as Entry<EtcdEntry>).term) {
            last = i;
            break;
          }
        }
        // Entries up to both commit indexes were already checked against the agreed log.
        for (let i = Math.min(x.commit, y.commit) + 1; i <= last; i++) {
          if (!sameEntry(x.entries[i - 1] as Entry<EtcdEntry>, y.entries[i - 1] as Entry<EtcdEntry>)) {
            fail(`log matching: ${x.id} and ${y.id} agree on the term at ${last} but differ at ${i}`);
            return;
          }
        }
      }
    }
  };

  // ---- run ------------------------------------------------------------------------------------
  try {
    let nextMatchCheck = 1_000;
    while (world.step()) {
      checkStep();
      if (world.now >= nextMatchCheck) {
        checkLogMatching();
        nextMatchCheck += 1_000;
      }
      if (world.now >= opts.durationMs) break;
    }
    world.runUntil(Math.max(world.now, opts.durationMs));
    checkLogMatching();

    // Liveness: after the heal, a leader within 10 election timeouts, and everyone caught up.
    const leader = etcd.leader();
    if (leaderAfterHealMs === undefined && leader !== undefined) leaderAfterHealMs = faultEndMs;
    if (leader === undefined || leaderAfterHealMs === undefined || leaderAfterHealMs - faultEndMs > 10 * electionMs) {
      fail(`no leader within ${10 * electionMs} ms of healing (leader: ${leader?.id ?? 'none'})`);
    } else {
      const target = leader.disk.raft.commit;
      for (const m of etcd.members()) {
        const applied = m.raftMember?.appliedIndex ?? 0;
        if (applied !== target) fail(`${m.id} did not catch up after healing: applied ${applied}, leader committed ${target}`);
      }
    }

    // Linearizability of every client's history, per key. A write whose client never learnt the
    // outcome may have happened at any time after its call, or never. The simulation knows which:
    // a put or compare-and-swap whose (unique) value is in no committed entry never took effect, so
    // it leaves the history; the others stay open-ended. This keeps the search small without
    // deciding anything for the checker that the run did not settle.
    const written = new Set<string>();
    for (const e of agreed) {
      for (const op of e.data?.txn.success ?? []) if (op.op === 'put') written.add(op.value);
      for (const c of e.data?.txn.compare ?? []) if (c.key === TAG_KEY) written.add(String(c.operand));
    }
    const settled = history.filter((op) => {
      const value = writtenValue(op.input);
      return op.ret !== Infinity || value === undefined || written.has(value);
    });
    const lin = checkPartitioned(kvModel, settled, (i) => i.key, opts.maxSearchSteps);
    if (!lin.ok) fail(`history of ${lin.key} is ${lin.reason}: ${lin.detail}`);

    // Watches: every revision of the watched keys, once, in order, up to the end.
    const reference = referenceHistory(etcd);
    for (const [clientId, w] of watchLogs) {
      const expected = reference.filter((h) => h.revision >= w.startRev);
      const got = w.seen.map((h) => `${h.revision}:${h.event.type}:${h.event.kv.key}`);
      const want = expected.map((h) => `${h.revision}:${h.event.type}:${h.event.kv.key}`);
      if (got.join(',') !== want.join(',')) {
        const i = got.findIndex((g, k) => g !== want[k]);
        fail(`watcher on ${clientId} saw ${got.length} events, expected ${want.length}; first difference at #${i}: got ${got[i] ?? 'nothing'}, expected ${want[i] ?? 'nothing'}`);
      }
    }
  } catch (err) {
    if (!(err instanceof Violation)) {
      violations.push(`t=${world.now}ms: crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }

  return {
    seed,
    members: memberCount,
    violations,
    stats: {
      events: world.eventsProcessed,
      operations: history.length,
      okOperations,
      faults,
      elections,
      watchEvents: [...watchLogs.values()].reduce((a, w) => a + w.seen.length, 0),
      committed: agreed.length,
    },
  };
}

/** What identifies a write in the log: the (unique) value a put or compare-and-swap writes, a delete's tag. */
function writtenValue(input: KvInput): string | undefined {
  return input.kind === 'put' ? input.value : input.kind === 'cas' ? input.to : input.kind === 'delete' ? input.tag : undefined;
}

function valueOf(o: ClientOutcome, key: string): string | null {
  if (!o.ok || o.result.kind !== 'range') return null;
  return o.result.range.kvs.find((kv) => kv.key === key)?.value ?? null;
}

function randomFault(
  rng: Rng,
  members: readonly string[],
  clients: readonly string[],
  zones: readonly string[],
  world: World,
  leader: string | undefined,
): Fault {
  const hosts = [...members, ...clients];
  const down = members.filter((m) => !world.net.isAlive(m));
  const roll = rng.int(100);
  // The leader cut off together with a client: the old leader keeps believing it leads for up to
  // two election timeouts while the majority elects another: the window for stale reads and lost writes.
  if (leader !== undefined && roll < 12) return { partition: [[leader, rng.pick(clients)]] };
  if (roll < 24) return { kill: rng.pick(members) };
  if (roll < 35 && down.length > 0) return { restart: rng.pick(down) };
  if (roll < 45) {
    // Split the zones: with masters a/a/b this is the 2+1 split of the lessons.
    const cut = rng.intBetween(1, zones.length - 1);
    return { partition: [zones.slice(0, cut) as string[], zones.slice(cut) as string[]] };
  }
  if (roll < 55) {
    const groups: string[][] = [[], [], []];
    for (const h of hosts) (groups[rng.int(3)] as string[]).push(h);
    const nonEmpty = groups.filter((g) => g.length > 0);
    return nonEmpty.length > 1 ? { partition: nonEmpty } : { isolate: rng.pick(members) };
  }
  if (roll < 62) return { isolate: rng.pick(members) };
  if (roll < 70) return { heal: 'partitions' };
  if (roll < 77) return { loss: { between: [rng.pick(hosts), rng.pick([...zones, '*'])], probability: rng.pick([0.1, 0.3, 0.6]) } };
  if (roll < 83) return { latency: { between: [rng.pick(hosts), '*'], extraMs: rng.pick([5, 50, 300, 1500]) } };
  if (roll < 88) return { duplicate: rng.pick([0, 0.05, 0.2]) };
  if (roll < 93) return { reorder: rng.chance(0.5) };
  return { heal: 'links' };
}

/** One watcher per client on the /k/ prefix, that resumes on another member when its member fails it. */
function startWatcher(
  world: World,
  client: EtcdClient,
  clientId: string,
  members: readonly string[],
  rng: Rng,
  logs: Map<string, { startRev: number; seen: { revision: number; event: WatchEvent }[] }>,
  fail: (msg: string) => void,
): void {
  const seen: { revision: number; event: WatchEvent }[] = [];
  logs.set(clientId, { startRev: 1, seen });
  let current: { member: string; watchId: number } | undefined;
  let lastHeard = 0;
  const open = (): void => {
    const member = rng.pick(members);
    const startRevision = (seen[seen.length - 1]?.revision ?? 0) + 1;
    lastHeard = world.now;
    const watchId = client.watch(member, { key: '/k/', prefix: true, startRevision }, (ev: WatchEvents) => {
      if (current?.watchId !== watchId) return;
      lastHeard = world.now;
      for (const e of ev.events) {
        const prev = seen[seen.length - 1];
        if (prev !== undefined && e.revision <= prev.revision) {
          fail(`watcher on ${clientId} got revision ${e.revision} after ${prev.revision} from ${member}`);
        }
        seen.push(e);
      }
      if (ev.canceled !== undefined) reopen();
    });
    current = { member, watchId };
  };
  const reopen = (): void => {
    if (current) client.cancelWatch(current.member, current.watchId);
    current = undefined;
    world.schedule(200 + rng.int(300), `fuzz watch reopen ${clientId}`, open);
  };
  const patrol = (): void => {
    if (current !== undefined && world.now - lastHeard > 3_000) reopen();
    world.schedule(1_000, `fuzz watch patrol ${clientId}`, patrol);
  };
  world.schedule(rng.int(500), `fuzz watch ${clientId}`, open);
  world.schedule(1_000, `fuzz watch patrol ${clientId}`, patrol);
}

/** The /k/ history from the member that applied the most (all members' histories are prefixes of it). */
function referenceHistory(etcd: EtcdCluster): { revision: number; event: WatchEvent }[] {
  let best = etcd.members()[0];
  for (const m of etcd.members()) if (m.kv.revision > (best?.kv.revision ?? -1)) best = m;
  return best ? best.kv.eventsSince(1, '/k/', true) : [];
}
