import { matchesSelector, type Requirement } from '../../apiserver/labelSelector';
import type { Status } from '../framework';

/** What the plugins share: selectors, node affinity terms, tolerations, score normalization. */

export const MAX_NODE_SCORE = 100;

export type Labels = Readonly<Record<string, string>>;

/** Byte order, as Go's sort.Strings. */
export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons });

// ---------------------------------------------------------------- label selectors

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A parsed metav1.LabelSelector; null is a nil selector, which selects nothing. */
export type Selector = readonly Requirement[] | null;

const OPS: Readonly<Record<string, Requirement['op']>> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!exists' };

/** LabelSelectorAsSelector: nil selects nothing, {} everything; an unknown operator selects nothing. */
export function labelSelector(sel: LabelSelectorSpec | null | undefined): Selector {
  if (sel === null || sel === undefined) return null;
  const reqs: Requirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, op: 'in', values: [v] }));
  for (const e of sel.matchExpressions ?? []) {
    const op = OPS[e.operator];
    if (op === undefined) return null;
    reqs.push(op === 'in' || op === 'notin' ? { key: e.key, op, values: e.values ?? [] } : { key: e.key, op });
  }
  return reqs;
}

export const selects = (sel: Selector, labels: Labels | undefined): boolean => sel !== null && matchesSelector(sel, labels);

/** A selector with extra `key=value` requirements (PodTopologySpread's matchLabelKeys). */
export const withLabels = (sel: Selector, extra: Labels): Selector =>
  sel === null ? null : [...Object.entries(extra).map(([key, v]): Requirement => ({ key, op: 'in', values: [v] })), ...sel];

// ---------------------------------------------------------------- node selectors (node affinity)

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface NodeRef {
  readonly name: string;
  readonly labels: Labels;
}

function integer(s: string | undefined): number | undefined {
  return s !== undefined && /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const have = integer(value);
      const want = integer(values[0]);
      if (have === undefined || want === undefined || values.length !== 1) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/** One node selector term: its expressions on labels and its fields (metadata.name) all hold; an empty term matches nothing. */
export function termMatches(term: NodeSelectorTerm, node: NodeRef): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const label = (k: string): string | undefined => (Object.prototype.hasOwnProperty.call(node.labels, k) ? node.labels[k] : undefined);
  return (
    exprs.every((r) => requirementMatches(r, label(r.key))) &&
    fields.every((r) => r.key === 'metadata.name' && (r.operator === 'In' || r.operator === 'NotIn') && requirementMatches(r, node.name))
  );
}

interface AffinitySpec {
  nodeSelector?: Record<string, string>;
  affinity?: {
    nodeAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
      preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
    };
  };
}

/** The pod's nodeSelector and required node affinity (terms ORed), as GetRequiredNodeAffinity matches them. */
export function requiredNodeAffinity(spec: AffinitySpec): (node: NodeRef) => boolean {
  const selector = Object.entries(spec.nodeSelector ?? {});
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return (node) =>
    selector.every(([k, v]) => Object.prototype.hasOwnProperty.call(node.labels, k) && node.labels[k] === v) &&
    (required === undefined || (required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node)));
}

export function preferredNodeAffinity(spec: AffinitySpec): { weight: number; preference: NodeSelectorTerm }[] {
  return (spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).filter((t) => t.weight !== 0);
}

// ---------------------------------------------------------------- taints and tolerations

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/** ToleratesTaint: an empty effect or key matches any; Exists ignores the value. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if ((t.effect ?? '') !== '' && t.effect !== taint.effect) return false;
  if ((t.key ?? '') !== '' && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export const toleratedBy = (tolerations: readonly Toleration[], taint: Taint): boolean => tolerations.some((t) => tolerates(t, taint));

/** The first NoSchedule or NoExecute taint no toleration covers (FindMatchingUntoleratedTaint). */
export function untoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint | undefined {
  return taints.find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !toleratedBy(tolerations, t));
}

// ---------------------------------------------------------------- scores

/** helper.DefaultNormalizeScore: scale to 0–100 against the highest; `reverse` flips it. Integer arithmetic, as in Go. */
export function defaultNormalizeScore(scores: readonly number[], reverse: boolean): number[] {
  const top = Math.max(0, ...scores);
  if (top === 0) return scores.map((s) => (reverse ? MAX_NODE_SCORE : s));
  return scores.map((s) => {
    const scaled = Math.trunc((MAX_NODE_SCORE * s) / top);
    return reverse ? MAX_NODE_SCORE - scaled : scaled;
  });
}
