import type { Plugin } from '../framework';
import { defaultNormalizeScore, preferredNodeAffinity, requiredNodeAffinity, termMatches, unresolvable, type NodeRef } from './helpers';

/**
 * Filter: spec.nodeSelector and requiredDuringSchedulingIgnoredDuringExecution. Terms that pin
 * metadata.name (as DaemonSet pods do) also narrow the nodes at PreFilter: the others are not
 * filtered at all and read "didn't satisfy plugin(s) [NodeAffinity]".
 * Score: the summed weights of the preferred terms a node matches, scaled to 0–100.
 */
export const nodeAffinity: Plugin = {
  name: 'NodeAffinity',
  preFilter: (cycle) => {
    const spec = cycle.pod.spec;
    const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (required === undefined && spec.nodeSelector === undefined) return 'skip';
    const matches = requiredNodeAffinity(spec);
    const filter = (node: NodeRef) => (matches(node) ? undefined : unresolvable("node(s) didn't match Pod's node affinity/selector"));
    const nodeNames = pinnedNodeNames(required?.nodeSelectorTerms ?? []);
    if (nodeNames === undefined) return { filter };
    if (nodeNames.size === 0) return { status: unresolvable('pod affinity terms conflict') };
    return { filter, nodeNames };
  },
  preScore: (cycle) => {
    const terms = preferredNodeAffinity(cycle.pod.spec);
    if (terms.length === 0) return 'skip';
    return {
      score: (node) => terms.reduce((sum, t) => sum + (termMatches(t.preference, node) ? t.weight : 0), 0),
      normalize: (scores: number[]) => defaultNormalizeScore(scores, false),
    };
  },
};

/** Node names every term pins with `metadata.name In`; undefined when some term pins none (terms are ORed). */
function pinnedNodeNames(terms: readonly { matchFields?: { key: string; operator: string; values?: string[] }[] }[]): Set<string> | undefined {
  if (terms.length === 0) return undefined;
  const union = new Set<string>();
  for (const term of terms) {
    let names: Set<string> | undefined;
    for (const r of term.matchFields ?? []) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      const values = new Set(r.values ?? []);
      names = names === undefined ? values : new Set([...names].filter((n) => values.has(n)));
    }
    if (names === undefined) return undefined;
    for (const n of names) union.add(n);
  }
  return union;
}
