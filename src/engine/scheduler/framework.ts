import type { KubeObject } from '../apiserver/apiObjects';
import type { Rng } from '../rng';
import { defaultPreemption } from './plugins/defaultPreemption';
import { compare, type Labels, type LabelSelectorSpec, type NodeSelectorTerm, type Taint, type Toleration } from './plugins/helpers';
import { imageLocality } from './plugins/imageLocality';
import { interPodAffinity } from './plugins/interPodAffinity';
import { nodeAffinity } from './plugins/nodeAffinity';
import { nodeName } from './plugins/nodeName';
import { nodePorts } from './plugins/nodePorts';
import { balancedAllocation, nodeResourcesFit } from './plugins/nodeResources';
import { nodeUnschedulable } from './plugins/nodeUnschedulable';
import { podTopologySpread } from './plugins/podTopologySpread';
import { taintToleration } from './plugins/taintToleration';
import { volumeBinding, volumeZone } from './plugins/volumes';
import { add, emptyResources, nodeAllocatable, podRequests, type Allocatable, type Resources } from './resources';

/**
 * kube-scheduler v1.31's scheduling framework with the default profile, as pure code: one
 * scheduling cycle for one pod against a snapshot of nodes and the pods bound to them. PreFilter
 * plugins run once (any rejection fails the pod on every node), Filter plugins run per node in
 * the profile's order and the first rejection decides, DefaultPreemption explains (or finds
 * victims) when nothing fits, Score plugins rank the feasible nodes and selectHost picks the best,
 * ties broken by reservoir sampling on the caller's rng.
 */

// ---------------------------------------------------------------- input and output

/**
 * What one cycle looks at. Objects are only read, and must not be modified afterwards: what the
 * scheduler reads from a pod is kept with the object (informer caches replace, never mutate).
 */
export interface SchedulingInput {
  pod: KubeObject;
  nodes: KubeObject[];
  /** Every pod bound or assumed to a node (spec.nodeName set), all namespaces, not terminated. */
  pods: KubeObject[];
  /** For pod (anti-)affinity namespaceSelector. */
  namespaces?: KubeObject[];
  pvcs?: KubeObject[];
  pvs?: KubeObject[];
  storageClasses?: KubeObject[];
  /** Services, ReplicaSets, StatefulSets and ReplicationControllers give a pod without
   *  topologySpreadConstraints the system default spreading (by hostname and zone). */
  services?: KubeObject[];
  replicaSets?: KubeObject[];
  statefulSets?: KubeObject[];
  replicationControllers?: KubeObject[];
}

export type Code = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable';

/** A plugin's rejection. Unschedulable: preemption might help; UnschedulableAndUnresolvable: it cannot. */
export interface Status {
  code: Exclude<Code, 'Success'>;
  reasons: string[];
}

/** Why a node was (not) feasible: the plugin that rejected it, or Success with plugin null. */
export interface FilterVerdict {
  plugin: string | null;
  code: Code;
  reasons: string[];
}

export interface PluginScore {
  plugin: string;
  /** What the plugin's Score returned. */
  raw: number;
  /** After the plugin's NormalizeScore: 0–100. */
  score: number;
  weight: number;
  weighted: number;
}

export interface NodeVerdict {
  node: string;
  filter: FilterVerdict;
  /** Feasible nodes, when scoring ran (it does not with a single feasible node). */
  scores?: PluginScore[];
  total?: number;
}

export interface SchedulingDecision {
  node: string | null;
  /** Every node, sorted by name. */
  nodes: NodeVerdict[];
  /** The FailedScheduling event (and PodScheduled condition) message when node is null. */
  message: string;
  /** Score plugins whose PreScore skipped this pod (nothing for them to weigh). */
  skippedScorePlugins: string[];
  /** DefaultPreemption found room: delete the victims ("namespace/name") and nominate the node. */
  preemption?: { node: string; victims: string[] };
}

// ---------------------------------------------------------------- the snapshot a cycle works on

export interface Container {
  name?: string;
  image?: string;
  restartPolicy?: string;
  ports?: { containerPort?: number; hostPort?: number; hostIP?: string; protocol?: string }[];
}

export interface PodAffinityTerm {
  labelSelector?: LabelSelectorSpec | null;
  namespaces?: string[];
  namespaceSelector?: LabelSelectorSpec | null;
  topologyKey: string;
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: string;
  labelSelector?: LabelSelectorSpec | null;
  minDomains?: number;
  nodeAffinityPolicy?: string;
  nodeTaintsPolicy?: string;
  matchLabelKeys?: string[];
}

/** The parts of a PodSpec the plugins read. */
export interface PodSpec {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  containers?: Container[];
  initContainers?: Container[];
  volumes?: { name: string; persistentVolumeClaim?: { claimName: string }; ephemeral?: unknown }[];
  topologySpreadConstraints?: TopologySpreadConstraint[];
  priority?: number;
  preemptionPolicy?: string;
  affinity?: {
    nodeAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
      preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
    };
    podAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
      preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; podAffinityTerm: PodAffinityTerm }[];
    };
    podAntiAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
      preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; podAffinityTerm: PodAffinityTerm }[];
    };
  };
}

export interface PodInfo {
  readonly pod: KubeObject;
  /** uid, or namespace/name for a pod not yet stored. */
  readonly key: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly spec: PodSpec;
  readonly priority: number;
  /** Being deleted: spreading does not count it. */
  readonly terminating: boolean;
  readonly requests: Resources;
  /** Requests with 100m / 200Mi for containers that request no cpu / memory (LeastAllocated). */
  readonly nonZeroRequests: Resources;
}

export interface NodeInfo {
  readonly node: KubeObject;
  readonly name: string;
  readonly labels: Labels;
  readonly taints: readonly Taint[];
  readonly unschedulable: boolean;
  readonly pods: readonly PodInfo[];
  readonly requested: Resources;
  readonly nonZeroRequested: Resources;
  readonly allocatable: Allocatable;
  /** node.status.images by name: size and on how many nodes of the cluster it is. */
  readonly images: ReadonlyMap<string, { size: number; numNodes: number }>;
}

export interface Cycle {
  readonly pod: PodInfo;
  /** All nodes, sorted by name. */
  readonly nodes: readonly NodeInfo[];
  readonly input: SchedulingInput;
  namespaceLabels(namespace: string): Labels | undefined;
}

// ---------------------------------------------------------------- plugins

export type Filter = (node: NodeInfo) => Status | undefined;

/** PreFilter's outcome: nothing to check ('skip'), a rejection for every node, or a per-node filter
 *  (optionally restricted to some node names, as NodeAffinity does for metadata.name fields). */
export type PreFilterResult = 'skip' | { status: Status } | { filter: Filter; nodeNames?: ReadonlySet<string> };

export interface Scorer {
  score(node: NodeInfo): number;
  normalize?(scores: number[], nodes: readonly NodeInfo[]): number[];
}

export interface Plugin {
  readonly name: string;
  preFilter?(cycle: Cycle): PreFilterResult;
  preScore?(cycle: Cycle, feasible: readonly NodeInfo[]): Scorer | 'skip';
}

/** The default profile's Filter plugins, in order (VolumeRestrictions and NodeVolumeLimits have nothing to check here). */
export const FILTER_PLUGINS: readonly Plugin[] = [
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
  volumeBinding,
  volumeZone,
  podTopologySpread,
  interPodAffinity,
];

/** The default profile's Score plugins and weights. */
export const SCORE_PLUGINS: readonly { plugin: Plugin; weight: number }[] = [
  { plugin: taintToleration, weight: 3 },
  { plugin: nodeAffinity, weight: 2 },
  { plugin: nodeResourcesFit, weight: 1 },
  { plugin: podTopologySpread, weight: 2 },
  { plugin: interPodAffinity, weight: 2 },
  { plugin: balancedAllocation, weight: 1 },
  { plugin: imageLocality, weight: 1 },
];

// ---------------------------------------------------------------- building the snapshot

const rec = (x: unknown): Record<string, unknown> => (x !== null && typeof x === 'object' ? (x as Record<string, unknown>) : {});

export function podKey(pod: KubeObject): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

// Input objects are never modified, so what is read from a pod can be kept with it across cycles.
const podInfoCache = new WeakMap<KubeObject, PodInfo>();

export function podInfo(pod: KubeObject): PodInfo {
  const cached = podInfoCache.get(pod);
  if (cached !== undefined) return cached;
  const info = readPod(pod);
  podInfoCache.set(pod, info);
  return info;
}

function readPod(pod: KubeObject): PodInfo {
  const spec = rec(pod.spec) as PodSpec;
  return {
    pod,
    key: podKey(pod),
    name: pod.metadata.name ?? '',
    namespace: pod.metadata.namespace ?? 'default',
    labels: pod.metadata.labels ?? {},
    spec,
    priority: typeof spec.priority === 'number' ? spec.priority : 0,
    terminating: pod.metadata.deletionTimestamp !== undefined,
    requests: podRequests(pod),
    nonZeroRequests: podRequests(pod, true),
  };
}

function terminal(pod: KubeObject): boolean {
  const phase = rec(pod.status).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The cycle's snapshot: nodes with the pods on them, leaving out the pods in `without` (preemption's dry runs). */
export function buildCycle(input: SchedulingInput, without: ReadonlySet<string> = new Set()): Cycle {
  const pod = podInfo(input.pod);
  const byNode = new Map<string, PodInfo[]>();
  for (const p of input.pods) {
    const nodeName = rec(p.spec).nodeName;
    const key = podKey(p);
    if (typeof nodeName !== 'string' || nodeName === '' || key === pod.key || without.has(key) || terminal(p)) continue;
    const list = byNode.get(nodeName) ?? [];
    list.push(podInfo(p));
    byNode.set(nodeName, list);
  }
  // Image name → size, per node; then how many nodes hold each name (ImageLocality's spread).
  const imagesOf = new Map(input.nodes.map((n) => [n, nodeImages(n)]));
  const numNodes = new Map<string, number>();
  for (const images of imagesOf.values()) for (const name of images.keys()) numNodes.set(name, (numNodes.get(name) ?? 0) + 1);
  const nodes = [...input.nodes]
    .sort((a, b) => compare(a.metadata.name ?? '', b.metadata.name ?? ''))
    .map((node) => {
      const images = new Map([...(imagesOf.get(node) ?? [])].map(([name, size]) => [name, { size, numNodes: numNodes.get(name) ?? 1 }]));
      return nodeInfo(node, byNode.get(node.metadata.name ?? '') ?? [], images);
    });
  const nsLabels = new Map((input.namespaces ?? []).map((ns) => [ns.metadata.name ?? '', ns.metadata.labels ?? {}]));
  return { pod, nodes, input, namespaceLabels: (ns) => nsLabels.get(ns) };
}

function nodeImages(node: KubeObject): Map<string, number> {
  const list = (rec(node.status).images as { names?: string[]; sizeBytes?: number }[] | undefined) ?? [];
  return new Map(list.flatMap((i) => (i.names ?? []).map((name) => [name, i.sizeBytes ?? 0] as const)));
}

function nodeInfo(node: KubeObject, pods: PodInfo[], images: NodeInfo['images']): NodeInfo {
  const spec = rec(node.spec);
  const requested = emptyResources();
  const nonZeroRequested = emptyResources();
  for (const p of pods) {
    add(requested, p.requests);
    add(nonZeroRequested, p.nonZeroRequests);
  }
  return {
    node,
    name: node.metadata.name ?? '',
    labels: node.metadata.labels ?? {},
    taints: (spec.taints as Taint[] | undefined) ?? [],
    unschedulable: spec.unschedulable === true,
    pods,
    requested,
    nonZeroRequested,
    allocatable: nodeAllocatable(node),
    images,
  };
}

// ---------------------------------------------------------------- filtering

type PreFilterOutcome =
  | { rejected: { plugin: string; status: Status } }
  | { filters: { plugin: string; filter: Filter }[]; nodeNames?: { names: ReadonlySet<string>; plugins: string[] } };

const success: FilterVerdict = { plugin: null, code: 'Success', reasons: [] };

/** RunPreFilterPlugins: the first rejection aborts; node name restrictions intersect. */
function runPreFilters(cycle: Cycle): PreFilterOutcome {
  const filters: { plugin: string; filter: Filter }[] = [];
  let nodeNames: { names: ReadonlySet<string>; plugins: string[] } | undefined;
  for (const plugin of FILTER_PLUGINS) {
    const r = plugin.preFilter?.(cycle) ?? 'skip';
    if (r === 'skip') continue;
    if ('status' in r) return { rejected: { plugin: plugin.name, status: r.status } };
    filters.push({ plugin: plugin.name, filter: r.filter });
    if (r.nodeNames === undefined) continue;
    const names = nodeNames === undefined ? r.nodeNames : new Set([...nodeNames.names].filter((n) => r.nodeNames?.has(n)));
    nodeNames = { names, plugins: [...(nodeNames?.plugins ?? []), plugin.name].sort(compare) };
    if (names.size === 0) {
      const msg =
        nodeNames.plugins.length === 1
          ? `node(s) didn't satisfy plugin ${nodeNames.plugins[0] ?? ''}`
          : `node(s) didn't satisfy plugin(s) [${nodeNames.plugins.join(' ')}] simultaneously`;
      return { rejected: { plugin: plugin.name, status: { code: 'UnschedulableAndUnresolvable', reasons: [msg] } } };
    }
  }
  return nodeNames === undefined ? { filters } : { filters, nodeNames };
}

/** RunFilterPlugins: the first plugin that rejects the node decides. */
function filterNode(pre: PreFilterOutcome, node: NodeInfo): FilterVerdict {
  if ('rejected' in pre) return { plugin: pre.rejected.plugin, ...pre.rejected.status };
  if (pre.nodeNames !== undefined && !pre.nodeNames.names.has(node.name)) {
    // Nodes a PreFilter ruled out are never filtered: they get the framework's own status.
    const reason = `node(s) didn't satisfy plugin(s) [${pre.nodeNames.plugins.join(' ')}]`;
    return { plugin: pre.nodeNames.plugins.join(', '), code: 'UnschedulableAndUnresolvable', reasons: [reason] };
  }
  for (const { plugin, filter } of pre.filters) {
    const status = filter(node);
    if (status !== undefined) return { plugin, ...status };
  }
  return success;
}

// ---------------------------------------------------------------- the FailedScheduling message

export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/**
 * FitError.Error(): "0/N nodes are available:" then the PreFilter message, or the reasons counted
 * over nodes as "<count> <reason>", sorted as strings and joined with ", "; then the PostFilter
 * (preemption) message.
 */
export function fitErrorMessage(numAllNodes: number, nodeReasons: readonly (readonly string[])[], preFilterMsg = '', postFilterMsg = ''): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (preFilterMsg !== '') {
    msg += ` ${preFilterMsg}.`;
  } else {
    const counts = new Map<string, number>();
    for (const reason of nodeReasons.flat()) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    const histogram = [...counts].map(([reason, n]) => `${n} ${reason}`).sort(compare);
    if (histogram.length > 0) msg += ` ${histogram.join(', ')}.`;
  }
  if (postFilterMsg !== '') msg += ` ${postFilterMsg}`;
  return msg;
}

// ---------------------------------------------------------------- scoring and selectHost

function scoreNodes(cycle: Cycle, feasible: readonly NodeInfo[]): { scores: Map<string, PluginScore[]>; skipped: string[] } {
  const scores = new Map<string, PluginScore[]>(feasible.map((n) => [n.name, []]));
  const skipped: string[] = [];
  for (const { plugin, weight } of SCORE_PLUGINS) {
    const scorer = plugin.preScore?.(cycle, feasible) ?? 'skip';
    if (scorer === 'skip') {
      skipped.push(plugin.name);
      continue;
    }
    const raw = feasible.map((n) => scorer.score(n));
    const normalized = scorer.normalize?.(raw, feasible) ?? raw;
    feasible.forEach((n, i) => {
      const score = normalized[i] ?? 0;
      scores.get(n.name)?.push({ plugin: plugin.name, raw: raw[i] ?? 0, score, weight, weighted: score * weight });
    });
  }
  return { scores, skipped };
}

/**
 * selectHost: the highest total wins; among equal totals each later one replaces the pick with
 * probability 1/k (reservoir sampling), so the choice is uniform and depends only on the rng.
 */
export function selectHost(totals: readonly { node: string; total: number }[], rng: Rng): string | null {
  const sorted = [...totals].sort((a, b) => b.total - a.total || compare(a.node, b.node));
  const best = sorted[0];
  if (best === undefined) return null;
  let chosen = best.node;
  let tied = 1;
  for (const t of sorted.slice(1)) {
    if (t.total !== best.total) break;
    tied++;
    if (rng.int(tied) === 0) chosen = t.node;
  }
  return chosen;
}

// ---------------------------------------------------------------- the cycle

export function schedulePod(input: SchedulingInput, rng: Rng): SchedulingDecision {
  const cycle = buildCycle(input);
  if (cycle.nodes.length === 0) return { node: null, nodes: [], message: NO_NODES_AVAILABLE, skippedScorePlugins: [] };
  const pre = runPreFilters(cycle);
  const verdicts = new Map(cycle.nodes.map((n) => [n.name, filterNode(pre, n)]));
  const verdictList = (extra?: Map<string, PluginScore[]>): NodeVerdict[] =>
    cycle.nodes.map((n) => {
      const scores = extra?.get(n.name);
      const filter = verdicts.get(n.name) ?? success;
      return scores === undefined ? { node: n.name, filter } : { node: n.name, filter, scores, total: scores.reduce((s, p) => s + p.weighted, 0) };
    });
  const feasible = cycle.nodes.filter((n) => verdicts.get(n.name)?.code === 'Success');

  // A pod nominated by an earlier preemption goes to that node if it fits there now.
  const nominated = rec(input.pod.status).nominatedNodeName;
  if (typeof nominated === 'string' && feasible.some((n) => n.name === nominated)) {
    return { node: nominated, nodes: verdictList(), message: '', skippedScorePlugins: [] };
  }
  if (feasible.length === 0) return unschedulableDecision(cycle, pre, verdicts, verdictList());
  const only = feasible.length === 1 ? feasible[0] : undefined;
  if (only !== undefined) return { node: only.name, nodes: verdictList(), message: '', skippedScorePlugins: [] };

  const { scores, skipped } = scoreNodes(cycle, feasible);
  const nodes = verdictList(scores);
  const totals = nodes.flatMap((v) => (v.total === undefined ? [] : [{ node: v.node, total: v.total }]));
  return { node: selectHost(totals, rng), nodes, message: '', skippedScorePlugins: skipped };
}

function unschedulableDecision(cycle: Cycle, pre: PreFilterOutcome, verdicts: Map<string, FilterVerdict>, nodes: NodeVerdict[]): SchedulingDecision {
  const preFilterMsg = 'rejected' in pre ? pre.rejected.status.reasons.join(', ') : '';
  const dryRun = (node: string, without: ReadonlySet<string>): FilterVerdict => {
    const trial = buildCycle(cycle.input, without);
    const target = trial.nodes.find((n) => n.name === node);
    return target === undefined ? success : filterNode(runPreFilters(trial), target);
  };
  const outcome = defaultPreemption(cycle, verdicts, dryRun);
  let postFilterMsg = '';
  if ('notEligible' in outcome) postFilterMsg = `preemption: ${outcome.notEligible}`;
  else if ('nodeReasons' in outcome) postFilterMsg = `preemption: ${fitErrorMessage(cycle.nodes.length, outcome.nodeReasons)}`;
  const message = fitErrorMessage(cycle.nodes.length, nodes.map((v) => v.filter.reasons), preFilterMsg, postFilterMsg);
  const decision: SchedulingDecision = { node: null, nodes, message, skippedScorePlugins: [] };
  if ('candidate' in outcome) decision.preemption = outcome.candidate;
  return decision;
}
