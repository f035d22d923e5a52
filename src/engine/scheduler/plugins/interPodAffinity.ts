import type { Cycle, NodeInfo, Plugin, PodAffinityTerm, PodInfo, PodSpec } from '../framework';
import { labelSelector, MAX_NODE_SCORE, selects, unresolvable, unschedulable, type Labels, type Selector } from './helpers';

/**
 * InterPodAffinity. Filter: the pod's required affinity (some matching pod in the node's
 * topology domain), its required anti-affinity (none there), and the required anti-affinity of
 * pods already running (the pod must not land in a domain whose pods shun it). Score: preferred
 * terms both ways, plus existing pods' required affinity towards the pod (weight 1).
 */

interface Term {
  namespaces: Set<string>;
  nsSelector: Selector;
  selector: Selector;
  topologyKey: string;
}

interface WeightedTerm {
  term: Term;
  weight: number;
}

/** An affinity term with no namespaces and no namespaceSelector applies to its own pod's namespace. */
function parseTerm(namespace: string, t: PodAffinityTerm): Term {
  const listed = t.namespaces ?? [];
  const nsSelector = t.namespaceSelector === undefined || t.namespaceSelector === null ? null : labelSelector(t.namespaceSelector);
  return {
    namespaces: new Set(listed.length === 0 && nsSelector === null ? [namespace] : listed),
    nsSelector,
    selector: labelSelector(t.labelSelector),
    topologyKey: t.topologyKey,
  };
}

interface PodTerms {
  affinity: Term[];
  antiAffinity: Term[];
  preferredAffinity: WeightedTerm[];
  preferredAntiAffinity: WeightedTerm[];
}

// Specs are never modified: parse each pod's terms once (preemption re-runs the filters often).
const parsed = new WeakMap<PodSpec, Map<string, PodTerms>>();

function terms(spec: PodSpec, namespace: string): PodTerms {
  const byNamespace = parsed.get(spec) ?? new Map<string, PodTerms>();
  parsed.set(spec, byNamespace);
  const cached = byNamespace.get(namespace);
  if (cached !== undefined) return cached;
  const t = parseTerms(spec, namespace);
  byNamespace.set(namespace, t);
  return t;
}

function parseTerms(spec: PodSpec, namespace: string): PodTerms {
  const a = spec.affinity;
  const weighted = (list: { weight: number; podAffinityTerm: PodAffinityTerm }[] | undefined): WeightedTerm[] =>
    (list ?? []).map((w) => ({ term: parseTerm(namespace, w.podAffinityTerm), weight: w.weight }));
  return {
    affinity: (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => parseTerm(namespace, t)),
    antiAffinity: (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => parseTerm(namespace, t)),
    preferredAffinity: weighted(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: weighted(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
}

/** The incoming pod's namespaceSelector is resolved to namespace names up front (an empty selector stays: all namespaces). */
function resolveNamespaces(cycle: Cycle, t: Term): Term {
  if (t.nsSelector === null || t.nsSelector.length === 0) return t;
  const names = (cycle.input.namespaces ?? []).filter((ns) => selects(t.nsSelector, ns.metadata.labels)).map((ns) => ns.metadata.name ?? '');
  return { ...t, namespaces: new Set([...t.namespaces, ...names]), nsSelector: null };
}

function incomingTerms(cycle: Cycle): PodTerms {
  const own = terms(cycle.pod.spec, cycle.pod.namespace);
  const resolveWeighted = (ws: WeightedTerm[]) => ws.map((w) => ({ ...w, term: resolveNamespaces(cycle, w.term) }));
  return {
    affinity: own.affinity.map((t) => resolveNamespaces(cycle, t)),
    antiAffinity: own.antiAffinity.map((t) => resolveNamespaces(cycle, t)),
    preferredAffinity: resolveWeighted(own.preferredAffinity),
    preferredAntiAffinity: resolveWeighted(own.preferredAntiAffinity),
  };
}

/** AffinityTerm.Matches: the pod's namespace is in scope and its labels match. */
const termMatches = (t: Term, pod: PodInfo, nsLabels: Labels | undefined): boolean =>
  (t.namespaces.has(pod.namespace) || selects(t.nsSelector, nsLabels)) && selects(t.selector, pod.labels);

const allMatch = (ts: readonly Term[], pod: PodInfo): boolean => ts.length > 0 && ts.every((t) => termMatches(t, pod, undefined));

/** Counts per topology pair ("key=value"), as topologyToMatchedTermCount. */
class TopologyCounts {
  private readonly m = new Map<string, number>();
  add(node: NodeInfo, key: string, n: number): void {
    const value = node.labels[key];
    if (value === undefined) return;
    const pair = `${key}\0${value}`;
    this.m.set(pair, (this.m.get(pair) ?? 0) + n);
  }
  get(key: string, value: string): number {
    return this.m.get(`${key}\0${value}`) ?? 0;
  }
  get size(): number {
    return this.m.size;
  }
}

function filterState(cycle: Cycle) {
  const incoming = cycle.pod;
  const own = incomingTerms(cycle);
  const nsLabels = cycle.namespaceLabels(incoming.namespace);
  const existingAnti = new TopologyCounts();
  const affinity = new TopologyCounts();
  const anti = new TopologyCounts();
  const ownTerms = own.affinity.length > 0 || own.antiAffinity.length > 0;
  for (const node of cycle.nodes) {
    for (const p of node.podsWithRequiredAntiAffinity) {
      for (const t of terms(p.spec, p.namespace).antiAffinity) if (termMatches(t, incoming, nsLabels)) existingAnti.add(node, t.topologyKey, 1);
    }
    if (!ownTerms) continue;
    for (const p of node.pods) {
      if (allMatch(own.affinity, p)) for (const t of own.affinity) affinity.add(node, t.topologyKey, 1);
      for (const t of own.antiAffinity) if (termMatches(t, p, undefined)) anti.add(node, t.topologyKey, 1);
    }
  }
  return { own, existingAnti, affinity, anti };
}

export const interPodAffinity: Plugin = {
  name: 'InterPodAffinity',
  preFilter: (cycle) => {
    const s = filterState(cycle);
    if (s.existingAnti.size === 0 && s.own.affinity.length === 0 && s.own.antiAffinity.length === 0) return 'skip';
    return {
      filter: (node) => {
        let podsExist = true;
        for (const t of s.own.affinity) {
          const value = node.labels[t.topologyKey];
          if (value === undefined) return unresolvable("node(s) didn't match pod affinity rules");
          if (s.affinity.get(t.topologyKey, value) <= 0) podsExist = false;
        }
        // The first pod of a group that is attracted to itself may go anywhere with the topology labels.
        if (!podsExist && !(s.affinity.size === 0 && allMatch(s.own.affinity, cycle.pod))) return unresolvable("node(s) didn't match pod affinity rules");
        if (s.anti.size > 0 && s.own.antiAffinity.some((t) => s.anti.get(t.topologyKey, node.labels[t.topologyKey] ?? '\0') > 0)) {
          return unschedulable("node(s) didn't match pod anti-affinity rules");
        }
        if (s.existingAnti.size > 0 && Object.entries(node.labels).some(([k, v]) => s.existingAnti.get(k, v) > 0)) {
          return unschedulable("node(s) didn't satisfy existing pods anti-affinity rules");
        }
        return undefined;
      },
    };
  },
  preScore: (cycle) => {
    const incoming = cycle.pod;
    const own = incomingTerms(cycle);
    const nsLabels = cycle.namespaceLabels(incoming.namespace);
    // topologyKey → value → summed weight.
    const topo = new Map<string, Map<string, number>>();
    const add = (node: NodeInfo, key: string, w: number): void => {
      const value = node.labels[key];
      if (value === undefined) return;
      const byValue = topo.get(key) ?? new Map<string, number>();
      byValue.set(value, (byValue.get(value) ?? 0) + w);
      topo.set(key, byValue);
    };
    // Without preferred terms of its own, only pods with affinity terms can pull or push the pod.
    const ownPreferred = own.preferredAffinity.length > 0 || own.preferredAntiAffinity.length > 0;
    for (const node of cycle.nodes) {
      if (Object.keys(node.labels).length === 0) continue;
      for (const p of ownPreferred ? node.pods : node.podsWithAffinity) {
        for (const w of own.preferredAffinity) if (termMatches(w.term, p, undefined)) add(node, w.term.topologyKey, w.weight);
        for (const w of own.preferredAntiAffinity) if (termMatches(w.term, p, undefined)) add(node, w.term.topologyKey, -w.weight);
        const theirs = terms(p.spec, p.namespace);
        for (const t of theirs.affinity) if (termMatches(t, incoming, nsLabels)) add(node, t.topologyKey, 1);
        for (const w of theirs.preferredAffinity) if (termMatches(w.term, incoming, nsLabels)) add(node, w.term.topologyKey, w.weight);
        for (const w of theirs.preferredAntiAffinity) if (termMatches(w.term, incoming, nsLabels)) add(node, w.term.topologyKey, -w.weight);
      }
    }
    if (topo.size === 0) return 'skip';
    return {
      score: (node) => [...topo].reduce((sum, [key, byValue]) => sum + (byValue.get(node.labels[key] ?? '\0') ?? 0), 0),
      normalize: (scores: number[]) => {
        const min = Math.min(...scores);
        const diff = Math.max(...scores) - min;
        return scores.map((s) => (diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((s - min) / diff)) : 0));
      },
    };
  },
};
