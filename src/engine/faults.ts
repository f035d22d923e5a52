import type { World } from './world';

/**
 * Faults are data: each is one entry of a scenario's action log, and the UI,
 * the console, lessons and tests all apply them through applyFault. A target
 * names a host or a whole zone.
 */
export type Fault =
  | { kill: string }
  | { restart: string }
  | { partition: string[][] }
  | { isolate: string }
  | { heal: 'all' | 'partitions' | 'links' }
  | { loss: { between: [string, string]; probability: number } }
  | { latency: { between: [string, string]; extraMs: number } }
  | { duplicate: number }
  | { reorder: boolean }
  /** systemctl stop kubelet on a node (or every node of a zone): its containers keep running. */
  | { stopKubelet: string }
  | { startKubelet: string };

export function applyFault(world: World, fault: Fault): void {
  const net = world.net;
  if ('kill' in fault) for (const id of net.resolve(fault.kill)) net.kill(id);
  else if ('restart' in fault) for (const id of net.resolve(fault.restart)) net.restart(id);
  else if ('partition' in fault) net.partition(fault.partition);
  else if ('isolate' in fault) net.isolate(fault.isolate);
  else if ('heal' in fault) {
    if (fault.heal !== 'links') net.heal();
    if (fault.heal !== 'partitions') net.clearLinkFaults();
  } else if ('loss' in fault) {
    net.addLinkFault({ between: fault.loss.between, lossProbability: fault.loss.probability });
  } else if ('latency' in fault) {
    net.addLinkFault({ between: fault.latency.between, extraLatencyMs: fault.latency.extraMs });
  } else if ('duplicate' in fault) net.configure({ duplicateProbability: fault.duplicate });
  else if ('reorder' in fault) net.configure({ reorder: fault.reorder });
  // Kubelet faults act on processes, which the Cluster owns (Cluster.applyFault).
}

/** One line for logs and the timeline: "kill worker-2", "partition [zone-a] | [zone-b]". */
export function describeFault(fault: Fault): string {
  if ('kill' in fault) return `kill ${fault.kill}`;
  if ('restart' in fault) return `restart ${fault.restart}`;
  if ('partition' in fault) return `partition ${fault.partition.map((g) => `[${g.join(', ')}]`).join(' | ')}`;
  if ('isolate' in fault) return `isolate ${fault.isolate}`;
  if ('heal' in fault) return `heal ${fault.heal}`;
  if ('loss' in fault) return `loss ${fault.loss.probability * 100}% between ${fault.loss.between.join(' and ')}`;
  if ('latency' in fault) return `latency +${fault.latency.extraMs}ms between ${fault.latency.between.join(' and ')}`;
  if ('duplicate' in fault) return `duplicate ${fault.duplicate * 100}% of messages`;
  if ('stopKubelet' in fault) return `stop kubelet on ${fault.stopKubelet}`;
  if ('startKubelet' in fault) return `start kubelet on ${fault.startKubelet}`;
  return fault.reorder ? 'reorder messages' : 'stop reordering messages';
}
