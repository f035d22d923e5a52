import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Message, NetworkConfig } from './network';
import { World } from './world';

/** A world with hosts a1, a2 in zone-a, b1, b2 in zone-b and c1 in zone-c, recording deliveries. */
function makeWorld(seed = 1, network: Partial<NetworkConfig> = {}) {
  const w = new World({ seed, network });
  const delivered: Message[] = [];
  for (const [id, zone] of [
    ['a1', 'zone-a'],
    ['a2', 'zone-a'],
    ['b1', 'zone-b'],
    ['b2', 'zone-b'],
    ['c1', 'zone-c'],
  ] as const) {
    w.net.addHost(id, zone, (m) => delivered.push(m));
  }
  return { w, net: w.net, delivered };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('Network latency', () => {
  it('is sub-millisecond inside a zone and a few milliseconds across zones, on average', () => {
    const { w, net, delivered } = makeWorld();
    for (let i = 0; i < 2000; i++) {
      net.send('a1', 'a2', 'Same', i);
      net.send('a1', 'b1', 'Cross', i);
      net.send('a1', 'a1', 'Self', i);
      w.runFor(10);
    }
    const lat = (type: string) => mean(delivered.filter((m) => m.type === type).map((m) => m.deliverAt - m.sentAt));
    expect(lat('Self')).toBeLessThan(0.2);
    expect(lat('Same')).toBeGreaterThan(0.3);
    expect(lat('Same')).toBeLessThan(0.7);
    expect(lat('Cross')).toBeGreaterThan(2.5);
    expect(lat('Cross')).toBeLessThan(3.5);
    // Every message arrived, at exactly the time it was due.
    expect(delivered.length).toBe(6000);
  });

  it('adds configured latency on faulted links, in both directions', () => {
    const { w, net, delivered } = makeWorld();
    net.addLinkFault({ between: ['b1', 'zone-a'], extraLatencyMs: 100 });
    net.send('a1', 'b1', 'X', 0);
    net.send('b1', 'a2', 'X', 0);
    net.send('b2', 'a1', 'X', 0);
    w.runFor(1000);
    const byPair = new Map(delivered.map((m) => [`${m.from}>${m.to}`, m.deliverAt - m.sentAt]));
    expect(byPair.get('a1>b1')).toBeGreaterThanOrEqual(100);
    expect(byPair.get('b1>a2')).toBeGreaterThanOrEqual(100);
    expect(byPair.get('b2>a1')).toBeLessThan(10);
  });
});

describe('Network ordering, loss and duplication', () => {
  it('delivers each link first-in first-out when reordering is off', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 200 }), (seed, gaps) => {
        const { w, net, delivered } = makeWorld(seed, { crossZone: { meanMs: 5, jitterMs: 5 } });
        gaps.forEach((gap, i) => {
          net.send('a1', 'b1', 'Seq', i);
          w.runFor(gap);
        });
        w.runFor(1000);
        expect(delivered.map((m) => m.payload)).toEqual(gaps.map((_, i) => i));
      }),
      { numRuns: 50 },
    );
  });

  it('reorders messages on a link when reordering is on', () => {
    const { w, net, delivered } = makeWorld(3, { reorder: true, reorderWindowMs: 10 });
    for (let i = 0; i < 200; i++) net.send('a1', 'b1', 'Seq', i);
    w.runFor(1000);
    const order = delivered.map((m) => m.payload as number);
    expect(order.length).toBe(200);
    expect(order).not.toEqual([...order].sort((x, y) => x - y));
  });

  it('loses about the configured share of messages on a lossy link, and only there', () => {
    const { w, net, delivered } = makeWorld(4);
    net.addLinkFault({ between: ['zone-a', 'zone-b'], lossProbability: 0.3 });
    for (let i = 0; i < 5000; i++) {
      net.send('a1', 'b1', 'Lossy', i);
      net.send('a1', 'c1', 'Clean', i);
    }
    w.runFor(100);
    const lossy = delivered.filter((m) => m.type === 'Lossy').length;
    expect(lossy / 5000).toBeGreaterThan(0.66);
    expect(lossy / 5000).toBeLessThan(0.74);
    expect(delivered.filter((m) => m.type === 'Clean').length).toBe(5000);
    expect(net.getStats().dropped).toBe(5000 - lossy);
    net.clearLinkFaults();
    net.send('a1', 'b1', 'After', 0);
    w.runFor(100);
    expect(delivered.at(-1)?.type).toBe('After');
  });

  it('duplicates about the configured share of messages', () => {
    const { w, net, delivered } = makeWorld(5, { duplicateProbability: 0.2 });
    for (let i = 0; i < 5000; i++) net.send('a1', 'a2', 'Dup', i);
    w.runFor(100);
    const copies = delivered.filter((m) => m.copy === 1).length;
    expect(copies / 5000).toBeGreaterThan(0.17);
    expect(copies / 5000).toBeLessThan(0.23);
    expect(net.getStats().duplicated).toBe(copies);
  });
});

describe('Network partitions and dead hosts', () => {
  it('cuts traffic between groups, keeps it inside them, and resumes it after heal', () => {
    const { w, net, delivered } = makeWorld();
    net.partition([['zone-a'], ['b1']]);
    // Groups: {a1, a2} | {b1} | {b2, c1} (hosts named nowhere are grouped together).
    const pairs = [
      ['a1', 'a2'],
      ['a1', 'b1'],
      ['b1', 'b2'],
      ['b2', 'c1'],
      ['c1', 'a2'],
    ] as const;
    for (const [x, y] of pairs) net.send(x, y, 'P', `${x}>${y}`);
    w.runFor(100);
    expect(delivered.map((m) => m.payload).sort()).toEqual(['a1>a2', 'b2>c1']);
    expect(net.partitionGroups()).toEqual([['zone-a'], ['b1']]);
    net.heal();
    for (const [x, y] of pairs) net.send(x, y, 'P', `${x}>${y}`);
    w.runFor(100);
    expect(delivered.length).toBe(2 + pairs.length);
  });

  it('drops messages already in flight across a new partition', () => {
    const { w, net, delivered } = makeWorld(1, { crossZone: { meanMs: 50, jitterMs: 0 } });
    net.send('a1', 'b1', 'Flying', 0);
    w.runFor(10);
    net.partition([['zone-a'], ['zone-b']]);
    w.runFor(100);
    expect(delivered).toEqual([]);
    expect(net.trace().at(-1)).toMatchObject({ kind: 'drop', reason: 'partition', from: 'a1', to: 'b1' });
  });

  it('isolates one host from all others', () => {
    const { w, net, delivered } = makeWorld();
    net.isolate('b2');
    net.send('b1', 'b2', 'X', 1);
    net.send('b2', 'c1', 'X', 2);
    net.send('b2', 'b2', 'X', 3);
    net.send('a1', 'c1', 'X', 4);
    w.runFor(50);
    expect(delivered.map((m) => m.payload)).toEqual([3, 4]);
  });

  it('rejects unknown names and a host placed in two groups, naming the problem', () => {
    const { net } = makeWorld();
    expect(() => net.partition([['zone-x']])).toThrow(/no host or zone named "zone-x".*zones: zone-a, zone-b, zone-c/);
    expect(() => net.partition([['zone-a'], ['a1']])).toThrow(/host a1 is in partition groups 1 and 2/);
    expect(() => net.partition([[]])).toThrow(/group 1 is empty/);
    expect(() => net.send('a1', 'nope', 'X', 0)).toThrow(/no host named "nope"/);
    expect(() => net.addHost('zone-a', 'zone-q')).toThrow(/already the name of a zone/);
  });

  it('a dead host neither sends nor receives, loses what was in flight to it, and is reachable again after restart', () => {
    const { w, net, delivered } = makeWorld(1, { crossZone: { meanMs: 50, jitterMs: 0 } });
    net.send('a1', 'b1', 'ToDying', 1);
    net.send('b1', 'a1', 'FromDying', 2);
    w.runFor(10);
    net.kill('b1');
    expect(net.send('b1', 'a1', 'WhileDead', 3)).toBeUndefined();
    net.send('a1', 'b1', 'ToDead', 4);
    w.runFor(200);
    // A message already on the wire from the dying host still arrives.
    expect(delivered.map((m) => m.payload)).toEqual([2]);
    const reasons = net.trace().filter((r) => r.kind === 'drop').map((r) => `${r.type}:${r.reason}`);
    expect(reasons).toEqual(['ToDying:receiver-down', 'WhileDead:sender-down', 'ToDead:receiver-down']);
    net.restart('b1');
    net.send('a1', 'b1', 'Back', 5);
    net.send('b1', 'a1', 'Back', 6);
    w.runFor(200);
    expect(delivered.map((m) => m.payload)).toEqual([2, 5, 6]);
  });

  it('never cuts an external host (the learner\'s machine) off with a partition', () => {
    const { w, net, delivered } = makeWorld();
    net.addHost('laptop', 'outside', (m) => delivered.push(m), { external: true });
    net.partition([['zone-a'], ['zone-b']]);
    net.send('laptop', 'a1', 'Get', 1);
    net.send('laptop', 'b1', 'Get', 2);
    net.send('b2', 'laptop', 'Reply', 3);
    w.runFor(50);
    expect(delivered.map((m) => m.payload)).toEqual([1, 2, 3]);
    // It belongs to no zone the cluster's faults name, and "*" means the cluster's hosts.
    expect(net.resolve('*')).not.toContain('laptop');
    expect(() => net.resolve('outside')).toThrow(/no host or zone named "outside"/);
    expect(net.groupOf('laptop')).toBeNull();
    // A link fault that names it still applies.
    net.addLinkFault({ between: ['laptop', '*'], lossProbability: 1 });
    net.send('laptop', 'a1', 'Lost', 4);
    w.runFor(50);
    expect(delivered.map((m) => m.payload)).toEqual([1, 2, 3]);
  });

  it('delivers to the process listening on the message\'s port, and to no other', () => {
    const { w, net, delivered } = makeWorld();
    const api: Message[] = [];
    net.setHandler('b1', (m) => api.push(m), '6443');
    net.send('a1', 'b1', 'Get', 1, '6443');
    net.send('a1', 'b1', 'MsgApp', 2);
    net.send('a1', 'b1', 'Nobody', 3, '9999');
    w.runFor(50);
    expect(api.map((m) => m.payload)).toEqual([1]);
    expect(delivered.map((m) => m.payload)).toEqual([2]);
    net.setHandler('b1', undefined, '6443');
    net.send('a1', 'b1', 'Get', 4, '6443');
    w.runFor(50);
    expect(api).toHaveLength(1);
  });

  it('tells status listeners when a host dies or comes back, once per change', () => {
    const { net } = makeWorld();
    const seen: string[] = [];
    net.onHostStatus((id, alive) => seen.push(`${id}:${alive ? 'up' : 'down'}`));
    net.kill('a1');
    net.kill('a1');
    net.restart('a1');
    net.restart('a1');
    expect(seen).toEqual(['a1:down', 'a1:up']);
  });

  it('reports each host\'s partition group, the unnamed rest last', () => {
    const { net } = makeWorld();
    expect(net.groupOf('a1')).toBeNull();
    net.partition([['b1'], ['zone-a']]);
    expect(['a1', 'a2', 'b1', 'b2', 'c1'].map((h) => net.groupOf(h))).toEqual([1, 1, 0, 2, 2]);
  });

  it('never delivers across a partition or to a host that died during the flight (random fault schedules)', () => {
    type Op =
      | { op: 'send'; from: number; to: number }
      | { op: 'partition'; groups: number[] }
      | { op: 'heal' }
      | { op: 'kill'; host: number }
      | { op: 'restart'; host: number }
      | { op: 'wait'; ms: number };
    const host = fc.integer({ min: 0, max: 4 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 8, arbitrary: fc.record({ op: fc.constant('send' as const), from: host, to: host }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('partition' as const), groups: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 5, maxLength: 5 }) }) },
      { weight: 1, arbitrary: fc.constant({ op: 'heal' as const }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('kill' as const), host }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('restart' as const), host }) },
      { weight: 4, arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 8 }) }) },
    );
    const ids = ['a1', 'a2', 'b1', 'b2', 'c1'];

    fc.assert(
      fc.property(fc.integer(), fc.array(op, { maxLength: 150 }), fc.boolean(), (seed, ops, reorder) => {
        const w = new World({ seed, network: { reorder, duplicateProbability: 0.1 } });
        // The test's own model: the history of (group per host, alive per host), one entry per change.
        const history: { group: number[]; alive: boolean[] }[] = [{ group: [0, 0, 0, 0, 0], alive: [true, true, true, true, true] }];
        const current = () => history[history.length - 1]!;
        const violations: string[] = [];
        ids.forEach((id, i) =>
          w.net.addHost(id, ['zone-a', 'zone-a', 'zone-b', 'zone-b', 'zone-c'][i]!, (m) => {
            const sentEpoch = m.payload as number;
            const f = ids.indexOf(m.from);
            for (const s of history.slice(sentEpoch)) {
              if (s.group[f] !== s.group[i]) violations.push(`msg ${m.id} ${m.from}→${m.to} crossed a partition`);
              if (!s.alive[i]) violations.push(`msg ${m.id} ${m.from}→${m.to} reached a host that died meanwhile`);
            }
            if (!history[sentEpoch]!.alive[f]) violations.push(`msg ${m.id} was sent by a dead host`);
          }),
        );
        for (const o of ops) {
          const s = current();
          if (o.op === 'send') w.net.send(ids[o.from]!, ids[o.to]!, 'M', history.length - 1);
          else if (o.op === 'wait') w.runFor(o.ms);
          else if (o.op === 'partition') {
            const groups = [0, 1, 2].map((g) => ids.filter((_, i) => o.groups[i] === g)).filter((g) => g.length > 0);
            w.net.partition(groups);
            const groupIndex = ids.map((id) => groups.findIndex((g) => g.includes(id)));
            history.push({ group: groupIndex, alive: s.alive });
          } else if (o.op === 'heal') {
            w.net.heal();
            history.push({ group: [0, 0, 0, 0, 0], alive: s.alive });
          } else if (o.op === 'kill') {
            w.net.kill(ids[o.host]!);
            history.push({ group: s.group, alive: s.alive.map((a, i) => (i === o.host ? false : a)) });
          } else {
            w.net.restart(ids[o.host]!);
            history.push({ group: s.group, alive: s.alive.map((a, i) => (i === o.host ? true : a)) });
          }
        }
        w.runFor(100);
        expect(violations).toEqual([]);
        // Nothing is left on the wire, and every message sent is accounted for.
        const st = w.net.getStats();
        expect(w.net.inFlight()).toEqual([]);
        expect(st.delivered + st.dropped).toBe(st.sent + st.duplicated);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Network trace', () => {
  it('records send, deliver and drop with times, and keeps only the newest records', () => {
    const { w, net } = makeWorld(1, { traceCapacity: 4 });
    net.send('a1', 'b1', 'One', 0);
    w.runFor(20);
    net.kill('c1');
    net.send('a1', 'c1', 'Two', 0);
    w.runFor(20);
    const kinds = net.trace().map((r) => `${r.kind}:${r.type}`);
    // A message to a dead host is dropped at once.
    expect(kinds).toEqual(['send:One', 'deliver:One', 'send:Two', 'drop:Two']);
    expect(net.trace(2).map((r) => r.seq)).toEqual([3, 4]);
    // Two more records push the two oldest out.
    net.send('a1', 'a2', 'Three', 0);
    w.runFor(20);
    expect(net.trace().map((r) => `${r.kind}:${r.type}`)).toEqual(['send:Two', 'drop:Two', 'send:Three', 'deliver:Three']);
  });

  it('hashes the whole trace: equal runs agree, a different run does not', () => {
    const run = (seed: number) => {
      const { w, net } = makeWorld(seed, { duplicateProbability: 0.1, reorder: true });
      for (let i = 0; i < 100; i++) net.send('a1', i % 2 ? 'b1' : 'c1', 'H', i);
      w.runFor(100);
      return net.traceHash();
    };
    expect(run(1)).toBe(run(1));
    expect(run(2)).not.toBe(run(1));
  });
});
