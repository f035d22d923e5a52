import type { KubeObject } from '../../apiserver/apiObjects';
import type { Cycle, NodeInfo, Plugin, Status, TopologySpreadConstraint } from '../framework';
import {
  labelSelector,
  MAX_NODE_SCORE,
  requiredNodeAffinity,
  selects,
  unresolvable,
  unschedulable,
  untoleratedTaint,
  withLabels,
  type Labels,
  type LabelSelectorSpec,
  type Selector,
} from './helpers';

/**
 * PodTopologySpread: the pod's topologySpreadConstraints. DoNotSchedule ones filter (a node is
 * out when placing the pod there would make its domain exceed the least-loaded domain by more
 * than maxSkew); ScheduleAnyway ones score. A pod with no constraints of its own that belongs to
 * a Service, ReplicaSet, StatefulSet or ReplicationController gets the system defaults
 * (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway).
 */

const HOSTNAME = 'kubernetes.io/hostname';
const ERR_CONSTRAINTS = "node(s) didn't match pod topology spread constraints";
const ERR_MISSING_LABEL = `${ERR_CONSTRAINTS} (missing required label)`;
const MAX_INT32 = 2 ** 31 - 1;

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  /** The namespace and selector as text: what per-node counts are remembered under. */
  countKey: string;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorTaints: boolean;
}

const SYSTEM_DEFAULTS: readonly { topologyKey: string; maxSkew: number }[] = [
  { topologyKey: HOSTNAME, maxSkew: 3 },
  { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 5 },
];

function fromSpec(c: TopologySpreadConstraint, podLabels: Labels): Constraint {
  // matchLabelKeys: the pod's own values for those keys narrow the selector.
  const extra = Object.fromEntries((c.matchLabelKeys ?? []).filter((k) => podLabels[k] !== undefined).map((k) => [k, podLabels[k] ?? '']));
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector: withLabels(labelSelector(c.labelSelector), extra),
    countKey: '',
    minDomains: c.minDomains ?? 1,
    honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
    honorTaints: c.nodeTaintsPolicy === 'Honor',
  };
}

const sameNamespace = (list: readonly KubeObject[] | undefined, ns: string): KubeObject[] => (list ?? []).filter((o) => o.metadata.namespace === ns);

/** helper.DefaultSelector: the pod's Services' selectors, and its controlling ReplicaSet's / StatefulSet's / RC's. */
function defaultSelector(cycle: Cycle): Selector {
  const pod = cycle.pod;
  let merged: Record<string, string> = {};
  for (const svc of sameNamespace(cycle.input.services, pod.namespace)) {
    const sel = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector;
    if (sel === undefined || sel === null) continue; // a Service without a selector matches nothing
    if (Object.entries(sel).every(([k, v]) => pod.labels[k] === v)) merged = { ...merged, ...sel };
  }
  let selector: Selector = Object.entries(merged).map(([key, v]) => ({ key, op: 'in' as const, values: [v] }));
  const owner = (pod.pod.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  const find = (list: readonly KubeObject[] | undefined): KubeObject | undefined =>
    sameNamespace(list, pod.namespace).find((o) => o.metadata.name === owner?.name);
  if (owner?.apiVersion === 'apps/v1' && (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet')) {
    const set = find(owner.kind === 'ReplicaSet' ? cycle.input.replicaSets : cycle.input.statefulSets);
    const own = set === undefined ? null : labelSelector((set.spec as { selector?: LabelSelectorSpec } | undefined)?.selector);
    if (own !== null) selector = [...selector, ...own];
  } else if (owner?.apiVersion === 'v1' && owner.kind === 'ReplicationController') {
    const rc = find(cycle.input.replicationControllers);
    const sel = (rc?.spec as { selector?: Record<string, string> } | undefined)?.selector;
    if (rc !== undefined) selector = Object.entries({ ...merged, ...sel }).map(([key, v]) => ({ key, op: 'in' as const, values: [v] }));
  }
  return selector;
}

/** The constraints for one action; the system defaults only for a pod that has none at all. */
function constraintsFor(cycle: Cycle, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  return constraintsOf(cycle, action).map((c) => ({ ...c, countKey: `${cycle.pod.namespace}\0${JSON.stringify(c.selector)}` }));
}

function constraintsOf(cycle: Cycle, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const own = cycle.pod.spec.topologySpreadConstraints ?? [];
  if (own.length > 0) return own.filter((c) => c.whenUnsatisfiable === action).map((c) => fromSpec(c, cycle.pod.labels));
  if (action === 'DoNotSchedule') return [];
  const selector = defaultSelector(cycle);
  if (selector === null || selector.length === 0) return [];
  return SYSTEM_DEFAULTS.map((d) => ({ ...d, selector, countKey: '', minDomains: 1, honorNodeAffinity: true, honorTaints: false }));
}

const hasAllKeys = (node: NodeInfo, cs: readonly Constraint[]): boolean => cs.every((c) => node.labels[c.topologyKey] !== undefined);

/** Whether a node's pods count for a constraint (nodeAffinityPolicy / nodeTaintsPolicy). */
function includes(c: Constraint, cycle: Cycle, affinity: (n: NodeInfo) => boolean, node: NodeInfo): boolean {
  if (c.honorNodeAffinity && !affinity(node)) return false;
  return !(c.honorTaints && untoleratedTaint(node.taints, cycle.pod.spec.tolerations ?? []) !== undefined);
}

// A NodeInfo is replaced whenever its pods change, so what was counted on one stays true: a cluster
// of thousands of nodes recounts only the nodes that changed since the last cycle.
const counted = new WeakMap<NodeInfo, Map<string, number>>();

/** Pods on the node in the incoming pod's namespace the selector picks, leaving out those being deleted. */
function countMatching(node: NodeInfo, c: Constraint, namespace: string): number {
  let memo = counted.get(node);
  if (memo === undefined) {
    memo = new Map();
    counted.set(node, memo);
  }
  const key = c.countKey;
  let n = memo.get(key);
  if (n === undefined) {
    n = 0;
    for (const p of node.pods) if (!p.terminating && p.namespace === namespace && selects(c.selector, p.labels)) n++;
    memo.set(key, n);
  }
  return n;
}

function filterFor(cycle: Cycle, constraints: readonly Constraint[]): (node: NodeInfo) => Status | undefined {
  const affinity = requiredNodeAffinity(cycle.pod.spec);
  const counts = constraints.map(() => new Map<string, number>());
  for (const node of cycle.nodes) {
    if (!hasAllKeys(node, constraints)) continue;
    constraints.forEach((c, i) => {
      if (!includes(c, cycle, affinity, node)) return;
      const value = node.labels[c.topologyKey] ?? '';
      counts[i]?.set(value, (counts[i]?.get(value) ?? 0) + countMatching(node, c, cycle.pod.namespace));
    });
  }
  return (node) => {
    for (const [i, c] of constraints.entries()) {
      const value = node.labels[c.topologyKey];
      if (value === undefined) return unresolvable(ERR_MISSING_LABEL);
      const domains = counts[i] ?? new Map<string, number>();
      // Fewer eligible domains than minDomains: the global minimum counts as 0.
      const min = domains.size < c.minDomains ? 0 : Math.min(MAX_INT32, ...domains.values());
      const self = selects(c.selector, cycle.pod.labels) ? 1 : 0;
      if ((domains.get(value) ?? 0) + self - min > c.maxSkew) return unschedulable(ERR_CONSTRAINTS);
    }
    return undefined;
  };
}

export const podTopologySpread: Plugin = {
  name: 'PodTopologySpread',
  preFilter: (cycle) => {
    const constraints = constraintsFor(cycle, 'DoNotSchedule');
    return constraints.length === 0 ? 'skip' : { filter: filterFor(cycle, constraints) };
  },
  preScore: (cycle, feasible) => {
    const constraints = constraintsFor(cycle, 'ScheduleAnyway');
    if (constraints.length === 0) return 'skip';
    // The system defaults let a node without a zone label still spread by hostname.
    const requireAll = (cycle.pod.spec.topologySpreadConstraints ?? []).length > 0;
    const ignored = new Set(feasible.filter((n) => requireAll && !hasAllKeys(n, constraints)).map((n) => n.name));
    const counts = constraints.map(() => new Map<string, number>());
    for (const node of feasible) {
      if (ignored.has(node.name)) continue;
      constraints.forEach((c, i) => {
        if (c.topologyKey !== HOSTNAME) counts[i]?.set(node.labels[c.topologyKey] ?? '', 0);
      });
    }
    const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? feasible.length - ignored.size : (counts[i]?.size ?? 0)) + 2));
    const affinity = requiredNodeAffinity(cycle.pod.spec);
    for (const node of cycle.nodes) {
      if (requireAll && !hasAllKeys(node, constraints)) continue;
      constraints.forEach((c, i) => {
        const value = node.labels[c.topologyKey] ?? '';
        const domain = counts[i];
        if (!includes(c, cycle, affinity, node) || domain?.get(value) === undefined) return;
        domain.set(value, (domain.get(value) ?? 0) + countMatching(node, c, cycle.pod.namespace));
      });
    }
    return {
      score: (node) => {
        if (ignored.has(node.name)) return 0;
        let score = 0;
        constraints.forEach((c, i) => {
          const value = node.labels[c.topologyKey];
          if (value === undefined) return;
          const cnt = c.topologyKey === HOSTNAME ? countMatching(node, c, cycle.pod.namespace) : (counts[i]?.get(value) ?? 0);
          score += cnt * (weights[i] ?? 0) + (c.maxSkew - 1);
        });
        return Math.round(score);
      },
      // Fewer matching pods is better: flip the counts against the extremes.
      normalize: (scores, nodes) => {
        const live = scores.filter((_, i) => !ignored.has(nodes[i]?.name ?? ''));
        const min = Math.min(...live);
        const max = Math.max(0, ...live);
        return scores.map((s, i) => {
          if (ignored.has(nodes[i]?.name ?? '')) return 0;
          return max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - s)) / max);
        });
      },
    };
  },
};
