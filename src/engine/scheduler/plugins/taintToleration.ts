import type { Plugin } from '../framework';
import { defaultNormalizeScore, toleratedBy, unresolvable, untoleratedTaint } from './helpers';

/**
 * Filter: a NoSchedule or NoExecute taint the pod does not tolerate rules the node out.
 * Score: fewer PreferNoSchedule taints the pod does not tolerate is better (count, then reversed).
 */
export const taintToleration: Plugin = {
  name: 'TaintToleration',
  preFilter: (cycle) => {
    const tolerations = cycle.pod.spec.tolerations ?? [];
    return {
      filter: (node) => {
        const taint = untoleratedTaint(node.taints, tolerations);
        return taint === undefined ? undefined : unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
      },
    };
  },
  preScore: (cycle) => {
    // Only tolerations that can cover a PreferNoSchedule taint count here.
    const tolerations = (cycle.pod.spec.tolerations ?? []).filter((t) => (t.effect ?? '') === '' || t.effect === 'PreferNoSchedule');
    return {
      score: (node) => node.taints.filter((t) => t.effect === 'PreferNoSchedule' && !toleratedBy(tolerations, t)).length,
      normalize: (scores: number[]) => defaultNormalizeScore(scores, true),
    };
  },
};
