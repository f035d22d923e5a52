import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster';
import { describeFault, type Fault } from './faults';
import { runDeterminismProbe } from './determinismProbe';

describe('Cluster and faults', () => {
  it('snapshots the default cluster as plain data', () => {
    const c = new Cluster({ seed: 1 });
    c.world.runUntil(1234);
    const s = c.snapshot();
    expect(s.now).toBe(1234);
    expect(s.zones).toEqual(['zone-a', 'zone-b']);
    expect(s.nodes.filter((n) => n.role === 'control-plane').map((n) => n.name)).toEqual(['master-1', 'master-2', 'master-3']);
    expect(s.nodes.every((n) => n.alive)).toBe(true);
    expect(structuredClone(s)).toEqual(s);
  });

  it('shows each master\'s Raft state and the Raft messages on the wire', () => {
    const c = new Cluster({ seed: 1, network: { crossZone: { meanMs: 40, jitterMs: 0 } } });
    c.world.runUntil(5_000);
    const s = c.snapshot();
    expect(s.etcd.map((m) => m.id)).toEqual(['master-1', 'master-2', 'master-3']);
    expect(s.etcd.filter((m) => m.role === 'leader')).toHaveLength(1);
    expect(new Set(s.etcd.map((m) => m.term)).size).toBe(1);
    // With 40 ms across zones, heartbeats between zone-a and zone-b (and followers' ReadIndex requests) are always in flight.
    while (c.snapshot().raftInFlight.length === 0) c.world.step();
    const m = c.snapshot().raftInFlight[0];
    expect(m?.type).toMatch(/^Msg(Heartbeat|App|ReadIndex)(Resp)?$/);
    expect(m && m.deliverAt > c.world.now).toBe(true);
  });

  it('kills and restarts a whole zone by name', () => {
    const c = new Cluster({ seed: 1 });
    c.applyFault({ kill: 'zone-a' });
    const alive = (cl: Cluster) => cl.snapshot().nodes.filter((n) => n.alive).map((n) => n.name);
    expect(alive(c)).toEqual(['master-3', 'worker-2']);
    c.applyFault({ restart: 'zone-a' });
    expect(alive(c)).toHaveLength(6);
  });

  it('heals partitions and link faults separately or together', () => {
    const c = new Cluster({ seed: 1 });
    const lossy: Fault = { loss: { between: ['zone-a', 'zone-b'], probability: 1 } };
    c.applyFault({ partition: [['zone-a'], ['zone-b']] });
    c.applyFault(lossy);
    c.applyFault({ heal: 'partitions' });
    expect(c.snapshot().partition).toBeNull();
    expect(c.world.net.send('master-1', 'master-3', 'X', 0)).toBeUndefined();
    c.applyFault({ heal: 'links' });
    expect(c.world.net.send('master-1', 'master-3', 'X', 0)).toBeDefined();
    c.applyFault({ isolate: 'worker-2' });
    c.applyFault(lossy);
    c.applyFault({ heal: 'all' });
    expect(c.snapshot().partition).toBeNull();
    expect(c.world.net.send('worker-2', 'master-1', 'X', 0)).toBeDefined();
  });

  it('describes faults in one line for the timeline', () => {
    expect(describeFault({ partition: [['zone-a'], ['zone-b', 'worker-9']] })).toBe('partition [zone-a] | [zone-b, worker-9]');
    expect(describeFault({ loss: { between: ['zone-a', '*'], probability: 0.25 } })).toBe('loss 25% between zone-a and *');
  });
});

describe('Determinism', () => {
  it('gives the same hashes for the same seed and scripted faults, run twice', () => {
    const a = runDeterminismProbe(7);
    const b = runDeterminismProbe(7);
    expect(b).toEqual(a);
    // The run does real work: thousands of messages, some of them dropped by the faults.
    expect(a.messagesSent).toBeGreaterThan(3000);
  });

  it('gives different hashes for different seeds', () => {
    const hashes = new Set([1, 2, 3, 'kubeplay'].map((s) => runDeterminismProbe(s, 3000).stateHash));
    expect(hashes.size).toBe(4);
  });
});
