import { Cluster } from './cluster';
import type { Fault } from './faults';
import { installPingMesh } from './workloads/pingMesh';

/** The fault script of the probe: every kind of fault the kernel knows, in virtual time. */
export const PROBE_FAULTS: readonly { atMs: number; fault: Fault }[] = [
  { atMs: 1_000, fault: { loss: { between: ['zone-a', 'zone-b'], probability: 0.2 } } },
  { atMs: 2_000, fault: { latency: { between: ['worker-2', '*'], extraMs: 7 } } },
  { atMs: 3_000, fault: { partition: [['zone-a'], ['zone-b']] } },
  { atMs: 4_000, fault: { kill: 'worker-1' } },
  { atMs: 5_000, fault: { heal: 'all' } },
  { atMs: 5_500, fault: { duplicate: 0.1 } },
  { atMs: 6_000, fault: { reorder: true } },
  { atMs: 6_500, fault: { isolate: 'master-3' } },
  { atMs: 7_000, fault: { restart: 'worker-1' } },
  { atMs: 8_000, fault: { kill: 'zone-b' } },
  { atMs: 9_000, fault: { restart: 'zone-b' } },
  { atMs: 9_500, fault: { heal: 'all' } },
];

export interface ProbeResult {
  /** The world's state hash at the end of the run. */
  stateHash: string;
  /** Hash of every send, delivery and drop. */
  traceHash: string;
  eventsProcessed: number;
  messagesSent: number;
}

/**
 * A fixed scripted run — default topology, a ping mesh, every fault kind — whose
 * hashes must be the same on every run and every platform. Tests run it in Node
 * and inside Chromium and compare.
 */
export function runDeterminismProbe(seed: number | string, untilMs = 12_000): ProbeResult {
  const cluster = new Cluster({ seed });
  const world = cluster.world;
  // Workers ping each other; masters run etcd, so the probe covers Raft too.
  const workers = cluster.nodes.filter((n) => n.role === 'worker').map((n) => n.name);
  installPingMesh(world, { hosts: workers, intervalMs: 20, untilMs });
  for (const { atMs, fault } of PROBE_FAULTS) {
    if (atMs <= untilMs) world.at(atMs, `fault ${JSON.stringify(fault)}`, () => cluster.applyFault(fault));
  }
  world.runUntil(untilMs);
  return {
    stateHash: cluster.stateHash(),
    traceHash: world.net.traceHash(),
    eventsProcessed: world.eventsProcessed,
    messagesSent: world.net.getStats().sent,
  };
}
