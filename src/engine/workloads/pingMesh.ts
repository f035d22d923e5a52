import type { HostId, Message } from '../network';
import type { World } from '../world';

export interface PingMeshOptions {
  /** Hosts taking part (default: every host in the world). */
  hosts?: readonly HostId[];
  /** Each live host sends a Ping every intervalMs (± half, drawn from the PRNG). */
  intervalMs: number;
  /** Stop sending at this virtual time. */
  untilMs: number;
}

export interface PingMeshStats {
  pings: number;
  pongs: number;
}

/**
 * A synthetic workload for the kernel: every live host pings a random other host
 * at a jittered interval and answers pings with pongs. It drives the network for
 * the determinism probe, the property tests and the benchmark before real
 * protocols (Raft, kubelets) exist.
 */
export function installPingMesh(world: World, options: PingMeshOptions): PingMeshStats {
  const rng = world.rng.fork('ping-mesh');
  const net = world.net;
  const hosts = [...(options.hosts ?? net.hosts().map((h) => h.id))];
  if (hosts.length < 2) throw new Error('a ping mesh needs at least 2 hosts');
  if (!Number.isInteger(options.intervalMs) || options.intervalMs < 2) {
    throw new RangeError(`intervalMs must be a whole number ≥ 2, got ${options.intervalMs}`);
  }
  const stats: PingMeshStats = { pings: 0, pongs: 0 };
  const half = options.intervalMs >> 1;

  for (const host of hosts) {
    net.setHandler(host, (msg: Message) => {
      if (msg.type === 'Ping') {
        stats.pings++;
        net.send(host, msg.from, 'Pong', msg.payload);
      } else if (msg.type === 'Pong') {
        stats.pongs++;
      }
    });
    const tick = (): void => {
      if (world.now >= options.untilMs) return;
      if (net.isAlive(host)) {
        let to = rng.pick(hosts);
        if (to === host) to = hosts[(hosts.indexOf(host) + 1) % hosts.length] as HostId;
        net.send(host, to, 'Ping', world.now);
      }
      world.schedule(options.intervalMs - half + rng.int(2 * half + 1), `ping-mesh tick ${host}`, tick);
    };
    world.schedule(rng.int(options.intervalMs), `ping-mesh tick ${host}`, tick);
  }
  return stats;
}
