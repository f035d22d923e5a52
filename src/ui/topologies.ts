import type { ClusterSpec } from '../engine';

/** The cluster shapes the topology picker offers; the first is the default cluster. */
export interface TopologyPreset {
  readonly id: string;
  readonly label: string;
  /** What it teaches, in a line. */
  readonly hint: string;
  readonly spec: ClusterSpec;
}

const NODE = { masterCpu: '2', masterMemory: '4Gi', workerCpu: '4', workerMemory: '8Gi', maxPods: 110 };

/**
 * A cluster of `masters` control-plane nodes and `workers` workers over `zones` zones
 * (zone-a, zone-b, …): masters and workers are dealt round-robin over the zones, as a cloud
 * installer spreads them.
 */
export function customSpec(masters: number, workers: number, zones: number, masterZones?: readonly string[]): ClusterSpec {
  const names = Array.from({ length: zones }, (_, i) => `zone-${String.fromCharCode(97 + i)}`);
  return {
    zones: names,
    masters: { count: masters, zones: masterZones === undefined ? Array.from({ length: masters }, (_, i) => names[i % zones] as string) : [...masterZones], cpu: NODE.masterCpu, memory: NODE.masterMemory },
    workers: { count: workers, spread: names, cpu: NODE.workerCpu, memory: NODE.workerMemory, maxPods: NODE.maxPods },
  };
}

export const TOPOLOGY_PRESETS: readonly TopologyPreset[] = [
  {
    id: 'default',
    label: '3 masters in zones a, a, b · 3 workers',
    hint: 'Lose zone b and the control plane keeps quorum; lose zone a and it does not.',
    spec: customSpec(3, 3, 2, ['zone-a', 'zone-a', 'zone-b']),
  },
  { id: 'single', label: '1 master · 3 workers', hint: 'No redundancy: kill the master and nothing can change.', spec: customSpec(1, 3, 1) },
  { id: 'three-zones', label: '3 masters in 3 zones · 3 workers', hint: 'Any one zone can fail and the control plane still commits.', spec: customSpec(3, 3, 3) },
  {
    id: 'five-two',
    label: '5 masters across 2 zones · 4 workers',
    hint: 'Three masters in zone a: cut zone a off and zone b loses quorum.',
    spec: customSpec(5, 4, 2, ['zone-a', 'zone-a', 'zone-a', 'zone-b', 'zone-b']),
  },
];

/** The cluster a new page starts with. */
export const DEFAULT_TOPOLOGY: ClusterSpec = (TOPOLOGY_PRESETS[0] as TopologyPreset).spec;

export const MASTER_COUNTS = [1, 3, 5, 7] as const;
export const MAX_WORKERS = 1_000;
