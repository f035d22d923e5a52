import type { NodeInfo, Plugin } from '../framework';
import type { Resources } from '../resources';
import { compare, MAX_NODE_SCORE, unschedulable } from './helpers';

/** The reasons NodeResourcesFit gives when the pod's requests do not fit what the node has left. */
export function insufficientResources(pod: Resources, node: NodeInfo): string[] {
  const reasons: string[] = [];
  if (node.pods.length + 1 > node.allocatable.pods) reasons.push('Too many pods');
  const scalars = Object.keys(pod.scalar).sort(compare);
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

/** cpu and memory, weight 1 each: the default ScoringStrategy resources. */
function cpuMemory(node: NodeInfo, nodeRequested: Resources, podRequests: Resources): { requested: number; allocatable: number }[] {
  return [
    { requested: nodeRequested.milliCpu + podRequests.milliCpu, allocatable: node.allocatable.milliCpu },
    { requested: nodeRequested.memory + podRequests.memory, allocatable: node.allocatable.memory },
  ].filter((r) => r.allocatable > 0);
}

/**
 * Filter: pods count, cpu, memory, ephemeral-storage and extended resources against
 * status.allocatable minus what the node's pods request (all failing reasons are kept).
 * Score (LeastAllocated): the share of cpu and memory left after placing the pod, counting
 * 100m / 200Mi for containers that request nothing, averaged.
 */
export const nodeResourcesFit: Plugin = {
  name: 'NodeResourcesFit',
  preFilter: (cycle) => ({
    filter: (node) => {
      const reasons = insufficientResources(cycle.pod.requests, node);
      return reasons.length === 0 ? undefined : unschedulable(...reasons);
    },
  }),
  preScore: (cycle) => ({
    score: (node) => {
      const rs = cpuMemory(node, node.nonZeroRequested, cycle.pod.nonZeroRequests);
      if (rs.length === 0) return 0;
      const sum = rs.reduce(
        (s, r) => s + (r.requested > r.allocatable ? 0 : Math.floor(((r.allocatable - r.requested) * MAX_NODE_SCORE) / r.allocatable)),
        0,
      );
      return Math.floor(sum / rs.length);
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
      const fractions = cpuMemory(node, node.requested, cycle.pod.requests).map((r) => Math.min(1, r.requested / r.allocatable));
      let std = 0;
      if (fractions.length === 2) {
        std = Math.abs(((fractions[0] ?? 0) - (fractions[1] ?? 0)) / 2);
      } else if (fractions.length > 2) {
        const mean = fractions.reduce((s, f) => s + f, 0) / fractions.length;
        std = Math.sqrt(fractions.reduce((s, f) => s + (f - mean) * (f - mean), 0) / fractions.length);
      }
      return Math.trunc((1 - std) * MAX_NODE_SCORE);
    },
  }),
};
