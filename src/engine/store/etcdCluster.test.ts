import { describe, expect, it } from 'vitest';
import { World } from '../world';
import { EtcdClient, type ClientOutcome } from './etcdClient';
import { EtcdCluster } from './etcdCluster';
import type { WatchEvents } from './etcdProtocol';
import type { TxnRequest } from './kvStore';

/** Three members a/a/b (as the default cluster's masters) and a client in each zone. */
function setup(seed = 1) {
  const world = new World({ seed });
  for (const [id, zone] of [
    ['master-1', 'zone-a'],
    ['master-2', 'zone-a'],
    ['master-3', 'zone-b'],
    ['client-a', 'zone-a'],
    ['client-b', 'zone-b'],
  ] as const) {
    world.net.addHost(id, zone);
  }
  const etcd = new EtcdCluster(world, ['master-1', 'master-2', 'master-3']);
  const clientA = new EtcdClient(world, 'client-a');
  const clientB = new EtcdClient(world, 'client-b');
  return { world, etcd, clientA, clientB };
}

const put = (key: string, value: string): TxnRequest => ({ compare: [], success: [{ op: 'put', key, value }], failure: [] });

/** Runs a request to completion and returns its outcome and how long it took. */
function call(world: World, start: (done: (o: ClientOutcome) => void) => void): { outcome: ClientOutcome; tookMs: number } {
  const t0 = world.now;
  const outcome = world.runUntilDone(start, 60_000);
  if (outcome === undefined) throw new Error('request never finished');
  return { outcome, tookMs: world.now - t0 };
}

const valueOf = (o: ClientOutcome): string | undefined =>
  o.ok && o.result.kind === 'range' ? o.result.range.kvs[0]?.value : undefined;

describe('etcd on three masters', () => {
  it('elects a leader within the randomised election timeout and commits the new leader’s empty entry', () => {
    const { world, etcd } = setup();
    world.runUntil(3_000);
    const leader = etcd.leader();
    expect(leader).toBeDefined();
    for (const m of etcd.members()) {
      expect(m.raftMember?.lead).toBe(leader?.id);
      expect(m.snapshot().logTail[0]?.label).toBe(`leader ${leader?.id} elected for term 1`);
    }
  });

  it('answers a write sent to a follower once it is committed and applied, and every member applies it', () => {
    const { world, etcd, clientB } = setup();
    world.runUntil(3_000);
    const follower = etcd.members().find((m) => m.raftMember?.role === 'follower')?.id as string;
    const { outcome, tookMs } = call(world, (done) => clientB.txn(follower, put('/registry/pods/default/web-1', 'v1'), done));
    expect(outcome.ok).toBe(true);
    expect(tookMs).toBeLessThan(50);
    world.runFor(500);
    for (const m of etcd.members()) {
      expect(m.kv.get('/registry/pods/default/web-1')?.value).toBe('v1');
      expect(m.snapshot().logTail.at(-1)?.label).toBe('PUT /registry/pods/default/web-1');
    }
  });

  it('refuses writes on the minority side of a zone split with etcd’s error, applies nothing, and keeps serving the majority', () => {
    const { world, etcd, clientA, clientB } = setup(2);
    world.runUntil(3_000);
    world.net.partition([['zone-a'], ['zone-b']]);
    // The minority member lost its leader: after the request timeout it says so.
    const minority = call(world, (done) => clientB.txn('master-3', put('/x', 'from-b'), done));
    expect(minority.outcome).toEqual({ ok: false, error: 'etcdserver: no leader' });
    expect(minority.tookMs).toBeGreaterThanOrEqual(7_000);
    expect(minority.tookMs).toBeLessThan(7_020);
    // A linearizable read there fails the same way; a serializable one answers from the local (stale) store.
    expect(call(world, (done) => clientB.range('master-3', '/x', {}, done)).outcome).toMatchObject({ ok: false, error: 'etcdserver: no leader' });
    expect(call(world, (done) => clientB.range('master-3', '/x', { serializable: true }, done)).outcome.ok).toBe(true);
    // The majority elects (or keeps) a leader and writes.
    const majority = call(world, (done) => clientA.txn('master-1', put('/x', 'from-a'), done));
    expect(majority.outcome.ok).toBe(true);
    expect(etcd.leader()?.id).not.toBe('master-3');
    // After the heal the minority catches up; the refused write never appears.
    world.net.heal();
    world.runFor(5_000);
    for (const m of etcd.members()) expect(m.kv.get('/x')?.value).toBe('from-a');
    expect(valueOf(call(world, (done) => clientB.range('master-3', '/x', {}, done)).outcome)).toBe('from-a');
  });

  it('times out with "request timed out" when a leader is known but no quorum answers', () => {
    const { world, etcd, clientA } = setup(3);
    world.runUntil(3_000);
    const leader = etcd.leader()?.id as string;
    const follower = etcd.members().find((m) => m.id !== leader)?.id as string;
    // Cut the leader off: the follower still believes in it until the next election timeout.
    world.net.addLinkFault({ between: [leader, '*'], lossProbability: 1 });
    const r = call(world, (done) => clientA.txn(follower, put('/y', '1'), done));
    expect(r.outcome.ok).toBe(false);
    expect(['etcdserver: request timed out', 'etcdserver: no leader']).toContain((r.outcome as { error: string }).error);
    // The two remaining members elect a new leader among themselves and serve writes again.
    world.runFor(3_000);
    expect(call(world, (done) => clientA.txn(follower, put('/y', '2'), done)).outcome.ok).toBe(true);
    expect(etcd.leader()?.id).not.toBe(leader);
  });

  it('survives the leader’s death: a new leader within two election timeouts; the old one restarts with its term and log and catches up', () => {
    const { world, etcd, clientA } = setup(4);
    world.runUntil(3_000);
    expect(call(world, (done) => clientA.txn('master-1', put('/before', '1'), done)).outcome.ok).toBe(true);
    const old = etcd.leader();
    if (old === undefined) throw new Error('no leader');
    const termBefore = old.disk.raft.term;
    const logBefore = old.disk.raft.entries.length;
    world.net.kill(old.id);
    const killedAt = world.now;
    while (etcd.leader() === undefined || etcd.leader() === old) world.step();
    expect(world.now - killedAt).toBeLessThan(2 * 2_000 + 500);
    const other = etcd.members().find((m) => m.id !== old.id)?.id as string;
    expect(call(world, (done) => clientA.txn(other, put('/after', '2'), done)).outcome.ok).toBe(true);
    world.net.restart(old.id);
    // Restarted: term and log survived on disk; volatile state is rebuilt (store replayed from the log).
    expect(old.disk.raft.term).toBeGreaterThanOrEqual(termBefore);
    expect(old.disk.raft.entries.length).toBeGreaterThanOrEqual(logBefore);
    world.runFor(3_000);
    expect(old.kv.get('/before')?.value).toBe('1');
    expect(old.kv.get('/after')?.value).toBe('2');
    expect(old.raftMember?.appliedIndex).toBe(etcd.leader()?.raftMember?.commit);
  });

  it('serves a client on the member\'s own host, on another port (as kube-apiserver talks to its local etcd)', () => {
    const { world, etcd } = setup(6);
    world.runUntil(3_000);
    const local = new EtcdClient(world, 'master-2', 8_000, undefined, 'apiserver');
    const r = call(world, (done) => local.txn('master-2', put('/registry/pods/default/a', '1'), done));
    expect(r.outcome.ok).toBe(true);
    // The member kept working through it: its own port is untouched.
    world.runFor(1_000);
    expect(etcd.member('master-2').kv.get('/registry/pods/default/a')?.value).toBe('1');
    expect(etcd.member('master-2').raftMember?.lead).toBe(etcd.leader()?.id);
  });

  it('streams a watch from a past revision: history first, then live changes, in order', () => {
    const { world, clientA } = setup(5);
    world.runUntil(3_000);
    for (const v of ['1', '2']) call(world, (done) => clientA.txn('master-1', put('/w/a', v), done));
    const seen: string[] = [];
    clientA.watch('master-2', { key: '/w/', prefix: true, startRevision: 1 }, (ev: WatchEvents) => {
      for (const e of ev.events) seen.push(`${e.revision}:${e.event.type}:${e.event.kv.value}`);
    });
    world.runFor(100);
    call(world, (done) => clientA.txn('master-3', { compare: [], success: [{ op: 'delete', key: '/w/a' }], failure: [] }, done));
    world.runFor(100);
    expect(seen).toEqual(['1:PUT:1', '2:PUT:2', '3:DELETE:']);
  });
});

describe('how many members a group can lose', () => {
  // A write needs a majority: floor(n/2) + 1. So 4 members tolerate no more failures than 3.
  const cases: [members: number, canLose: number][] = [
    [1, 0],
    [2, 0],
    [3, 1],
    [4, 1],
    [5, 2],
    [6, 2],
    [7, 3],
  ];
  it.each(cases)('%i members keep accepting writes with %i down, and refuse them with one more down', (members, canLose) => {
    const world = new World({ seed: members });
    const ids = Array.from({ length: members }, (_, i) => `master-${i + 1}`);
    ids.forEach((id) => world.net.addHost(id, 'zone-a'));
    world.net.addHost('client', 'zone-a');
    const etcd = new EtcdCluster(world, ids);
    const client = new EtcdClient(world, 'client');
    world.runUntil(3_000);
    const survivor = ids[ids.length - 1] as string;
    const write = (v: string) => call(world, (done) => client.txn(survivor, put('/q', v), done)).outcome.ok;
    // Kill members other than the one the client talks to, leader first to force elections.
    const victims = [etcd.leader()?.id, ...ids].filter((id, i, all): id is string => id !== undefined && id !== survivor && all.indexOf(id) === i);
    expect(write('all up')).toBe(true);
    for (let down = 1; down <= canLose; down++) {
      world.net.kill(victims[down - 1] as string);
      world.runFor(5_000);
      expect(write(`with ${down} down`), `${members} members, ${down} down`).toBe(true);
    }
    if (members > 1) {
      world.net.kill(victims[canLose] as string);
      world.runFor(5_000);
      expect(write('one too many')).toBe(false);
      expect(survivorsSee(etcd, '/q')).not.toContain('one too many');
    }
  });
});

function survivorsSee(etcd: EtcdCluster, key: string): (string | undefined)[] {
  return etcd.members().filter((m) => m.running).map((m) => m.kv.get(key)?.value);
}
