import type { NodeInfo, Plugin } from '../framework';
import type { Resources } from '../resources';
import { compare, MAX_NODE_SCORE, unschedulable } from './helpers';

/** The reasons NodeResourcesFit gives when the pod's requests do not fit what the node has left. */
export function insufficientResources(pod: Resources, node: NodeInfo, scalars: readonly string[] = Object.keys(pod.scalar).sort(compare)): string[] {
  const reasons: string[] = [];
  if (node.pods.length + 1 > node.allocatable.pods) reasons.push('Too many pods');
  if (pod.milliCpu === 0 && pod.memory === 0 && pod.ephemeralStorage === 0 && scalars.length === 0) return reasons;
  const { allocatable: alloc, requested: used } = node;
  if (pod.milliCpu > 0 && pod.milliCpu > alloc.milliCpu - used.milliCpu) reasons.push('Insufficient cpu');
  if (pod.memory > 0 && pod.memory > alloc.memory - used.memory) reasons.push('Insufficient memory');
  if (pod.ephemeralStorage > 0 && pod.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) reasons.push('Insufficient ephemeral-storage');
  for (const name of scalars) {
    const want = pod.scalar[name] ?? 0;
    if (want > 0 && want > (alloc.scalar[name] ?? 0) - (used.scalar[name] ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

/** LeastAllocated for one resource: the share left after placing the pod, 0–100. */
const leastAllocated = (requested: number, allocatable: number): number =>
  requested > allocatable ? 0 : Math.floor(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);

/**
 * Filter: pods count, cpu, memory, ephemeral-storage and extended resources against
 * status.allocatable minus what the node's pods request (all failing reasons are kept).
 * Score (LeastAllocated): the share of cpu and memory left after placing the pod, counting
 * 100m / 200Mi for containers that request nothing, averaged.
 */
export const nodeResourcesFit: Plugin = {
  name: 'NodeResourcesFit',
  preFilter: (cycle) => {
    const scalars = Object.keys(cycle.pod.requests.scalar).sort(compare);
    return {
      filter: (node) => {
        const reasons = insufficientResources(cycle.pod.requests, node, scalars);
        return reasons.length === 0 ? undefined : unschedulable(...reasons);
      },
    };
  },
  // cpu and memory, weight 1 each (the default ScoringStrategy); a resource the node has none of is left out.
  preScore: (cycle) => ({
    score: (node) => {
      const cpu = node.allocatable.milliCpu;
      const memory = node.allocatable.memory;
      let sum = 0;
      let n = 0;
      if (cpu > 0) {
        sum += leastAllocated(node.nonZeroRequested.milliCpu + cycle.pod.nonZeroRequests.milliCpu, cpu);
        n++;
      }
      if (memory > 0) {
        sum += leastAllocated(node.nonZeroRequested.memory + cycle.pod.nonZeroRequests.memory, memory);
        n++;
      }
      return n === 0 ? 0 : Math.floor(sum / n);
    },
  }),
};

/**
 * NodeResourcesBalancedAllocation: favours nodes whose cpu and memory would be used in equal
 * shares after placing the pod (1 − the fractions' standard deviation). It counts plain
 * requests, without the 100m / 200Mi defaults.
 */
export const balancedAllocation: Plugin = {
  name: 'NodeResourcesBalancedAllocation',
  preScore: (cycle) => ({
    score: (node) => {
      const cpu = node.allocatable.milliCpu;
      const memory = node.allocatable.memory;
      // With cpu and memory only, the standard deviation of two fractions is half their difference.
      let std = 0;
      if (cpu > 0 && memory > 0) {
        const fc = Math.min(1, (node.requested.milliCpu + cycle.pod.requests.milliCpu) / cpu);
        const fm = Math.min(1, (node.requested.memory + cycle.pod.requests.memory) / memory);
        std = Math.abs((fc - fm) / 2);
      }
      return Math.trunc((1 - std) * MAX_NODE_SCORE);
    },
  }),
};
