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
  /** The nodes and the pods on them: a snapshot the scheduler cache keeps up to date, or built here from `nodes` and `pods`. */
  snapshot?: Snapshot;
  nodes?: KubeObject[];
  /** Every pod bound or assumed to a node (spec.nodeName set), all namespaces, not terminated. */
  pods?: KubeObject[];
  /** Where the search for feasible nodes starts in the snapshot's node list (kube-scheduler's nextStartNodeIndex). */
  startIndex?: number;
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
  /** The nodes the cycle looked at, sorted by name: every node in a cluster of fewer than 100, otherwise
   *  as many as it took to find numFeasibleNodesToFind feasible ones (percentageOfNodesToScore). */
  nodes: NodeVerdict[];
  /** How many nodes the filters ran on: the next cycle starts that much further on. */
  evaluated: number;
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
  /** Has pod affinity or anti-affinity terms of any kind (InterPodAffinity looks at these pods only). */
  readonly hasAffinity: boolean;
  /** Has required anti-affinity terms (every incoming pod is checked against them). */
  readonly hasRequiredAntiAffinity: boolean;
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
  /** node.status.images: size by image name. */
  readonly images: ReadonlyMap<string, number>;
  readonly podsWithAffinity: readonly PodInfo[];
  readonly podsWithRequiredAntiAffinity: readonly PodInfo[];
}

/** The nodes, sorted by name, with the pods on them; how many nodes hold each image (ImageLocality's spread). */
export interface Snapshot {
  readonly nodes: readonly NodeInfo[];
  readonly imageSpread: ReadonlyMap<string, number>;
}

export interface Cycle {
  readonly pod: PodInfo;
  /** All nodes, sorted by name. */
  readonly nodes: readonly NodeInfo[];
  readonly imageSpread: ReadonlyMap<string, number>;
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
    hasAffinity: spec.affinity?.podAffinity !== undefined || spec.affinity?.podAntiAffinity !== undefined,
    hasRequiredAntiAffinity: (spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length > 0,
  };
}

function terminal(pod: KubeObject): boolean {
  const phase = rec(pod.status).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Whether a pod takes room on its node: bound (or assumed) and not finished. */
export function occupiesNode(p: KubeObject): boolean {
  const nodeName = rec(p.spec).nodeName;
  return typeof nodeName === 'string' && nodeName !== '' && !terminal(p);
}

/** A snapshot built from lists (tests, and callers without a scheduler cache), leaving out the pod being scheduled. */
export function snapshotOf(nodes: readonly KubeObject[], pods: readonly KubeObject[], exclude?: string): Snapshot {
  const byNode = new Map<string, PodInfo[]>();
  for (const p of pods) {
    if (!occupiesNode(p) || podKey(p) === exclude) continue;
    const nodeName = String(rec(p.spec).nodeName);
    const list = byNode.get(nodeName) ?? [];
    list.push(podInfo(p));
    byNode.set(nodeName, list);
  }
  const infos = [...nodes]
    .sort((a, b) => compare(a.metadata.name ?? '', b.metadata.name ?? ''))
    .map((node) => nodeInfo(node, byNode.get(node.metadata.name ?? '') ?? [], nodeImages(node)));
  return { nodes: infos, imageSpread: imageSpread(infos) };
}

/** On how many nodes each image name is. */
export function imageSpread(nodes: Iterable<{ readonly images: ReadonlyMap<string, number> }>): Map<string, number> {
  const spread = new Map<string, number>();
  for (const n of nodes) for (const name of n.images.keys()) spread.set(name, (spread.get(name) ?? 0) + 1);
  return spread;
}

const builtSnapshots = new WeakMap<SchedulingInput, Snapshot>();

/** The cycle's snapshot: nodes with the pods on them, leaving out the pods in `without` (preemption's dry runs). */
export function buildCycle(input: SchedulingInput, without: ReadonlySet<string> = new Set()): Cycle {
  const pod = podInfo(input.pod);
  let snapshot = input.snapshot ?? builtSnapshots.get(input);
  if (snapshot === undefined) {
    snapshot = snapshotOf(input.nodes ?? [], input.pods ?? [], pod.key);
    builtSnapshots.set(input, snapshot);
  }
  // Only the nodes that lose pods are rebuilt; the rest are shared with the snapshot.
  const nodes =
    without.size === 0
      ? snapshot.nodes
      : snapshot.nodes.map((n) => (n.pods.some((p) => without.has(p.key)) ? nodeInfo(n.node, n.pods.filter((p) => !without.has(p.key)), n.images) : n));
  const nsLabels = new Map((input.namespaces ?? []).map((ns) => [ns.metadata.name ?? '', ns.metadata.labels ?? {}]));
  return { pod, nodes, imageSpread: snapshot.imageSpread, input, namespaceLabels: (ns) => nsLabels.get(ns) };
}

// Node objects are never modified either: parse the allocatable quantities once per version.
const allocatables = new WeakMap<KubeObject, Allocatable>();

function allocatableOf(node: KubeObject): Allocatable {
  let a = allocatables.get(node);
  if (a === undefined) {
    a = nodeAllocatable(node);
    allocatables.set(node, a);
  }
  return a;
}

export function nodeImages(node: KubeObject): Map<string, number> {
  const list = (rec(node.status).images as { names?: string[]; sizeBytes?: number }[] | undefined) ?? [];
  return new Map(list.flatMap((i) => (i.names ?? []).map((name) => [name, i.sizeBytes ?? 0] as const)));
}

export function nodeInfo(node: KubeObject, pods: readonly PodInfo[], images: ReadonlyMap<string, number>): NodeInfo {
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
    allocatable: allocatableOf(node),
    images,
    podsWithAffinity: pods.filter((p) => p.hasAffinity),
    podsWithRequiredAntiAffinity: pods.filter((p) => p.hasRequiredAntiAffinity),
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

interface PluginScores {
  readonly plugin: string;
  readonly weight: number;
  /** Per feasible node, in the order of `feasible`. */
  readonly raw: readonly number[];
  readonly normalized: readonly number[];
}

interface Scored {
  readonly feasible: readonly NodeInfo[];
  readonly plugins: readonly PluginScores[];
  readonly totals: readonly number[];
}

function scoreNodes(cycle: Cycle, feasible: readonly NodeInfo[]): { scored: Scored; skipped: string[] } {
  const plugins: PluginScores[] = [];
  const skipped: string[] = [];
  const totals = feasible.map(() => 0);
  for (const { plugin, weight } of SCORE_PLUGINS) {
    const scorer = plugin.preScore?.(cycle, feasible) ?? 'skip';
    if (scorer === 'skip') {
      skipped.push(plugin.name);
      continue;
    }
    const raw = feasible.map((n) => scorer.score(n));
    const normalized = scorer.normalize?.(raw, feasible) ?? raw;
    for (let i = 0; i < totals.length; i++) totals[i] = (totals[i] ?? 0) + (normalized[i] ?? 0) * weight;
    plugins.push({ plugin: plugin.name, weight, raw, normalized });
  }
  return { scored: { feasible, plugins, totals }, skipped };
}

/** Every looked-at node's verdict, sorted by name, with the scores of the feasible ones. */
function verdictList(verdicts: ReadonlyMap<string, FilterVerdict>, scored?: Scored): NodeVerdict[] {
  const scores = new Map<string, { scores: PluginScore[]; total: number }>();
  scored?.feasible.forEach((n, i) => {
    const list = scored.plugins.map((p) => {
      const score = p.normalized[i] ?? 0;
      return { plugin: p.plugin, raw: p.raw[i] ?? 0, score, weight: p.weight, weighted: score * p.weight };
    });
    scores.set(n.name, { scores: list, total: scored.totals[i] ?? 0 });
  });
  return [...verdicts.keys()].sort(compare).map((node) => {
    const filter = verdicts.get(node) ?? success;
    const s = scores.get(node);
    return s === undefined ? { node, filter } : { node, filter, ...s };
  });
}

/** A decision whose per-node verdicts are only put together when someone looks (the UI, tests). */
function decisionOf(base: Omit<SchedulingDecision, 'nodes'>, verdicts: ReadonlyMap<string, FilterVerdict>, scored?: Scored): SchedulingDecision {
  let nodes: NodeVerdict[] | undefined;
  return {
    ...base,
    get nodes(): NodeVerdict[] {
      nodes ??= verdictList(verdicts, scored);
      return nodes;
    },
  };
}

/**
 * selectHost: the highest total wins; among equal totals each later one replaces the pick with
 * probability 1/k (reservoir sampling), so the choice is uniform and depends only on the rng.
 */
export function selectHost(totals: readonly { node: string; total: number }[], rng: Rng): string | null {
  let bestTotal = Number.NEGATIVE_INFINITY;
  let best: string[] = [];
  for (const t of totals) {
    if (t.total > bestTotal) {
      bestTotal = t.total;
      best = [t.node];
    } else if (t.total === bestTotal) best.push(t.node);
  }
  best.sort(compare);
  let chosen = best[0];
  if (chosen === undefined) return null;
  for (let k = 2; k <= best.length; k++) if (rng.int(k) === 0) chosen = best[k - 1] as string;
  return chosen;
}

// ---------------------------------------------------------------- the cycle

/** Below this many nodes every node is filtered; above, kube-scheduler stops once it has found enough feasible ones. */
const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** numFeasibleNodesToFind with the default (adaptive) percentageOfNodesToScore: 50% less 1% per 125 nodes, at least 5% and 100 nodes. */
export function numFeasibleNodesToFind(numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  const percentage = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - Math.trunc(numAllNodes / 125));
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.trunc((numAllNodes * percentage) / 100));
}

export function schedulePod(input: SchedulingInput, rng: Rng): SchedulingDecision {
  const cycle = buildCycle(input);
  if (cycle.nodes.length === 0) return { node: null, nodes: [], evaluated: 0, message: NO_NODES_AVAILABLE, skippedScorePlugins: [] };
  const pre = runPreFilters(cycle);
  const verdicts = new Map<string, FilterVerdict>();

  // A pod nominated by an earlier preemption goes to that node if it fits there now (evaluateNominatedNode).
  const nominated = rec(input.pod.status).nominatedNodeName;
  const nominatedNode = typeof nominated === 'string' ? cycle.nodes.find((n) => n.name === nominated) : undefined;
  if (nominatedNode !== undefined && !('rejected' in pre)) {
    const verdict = filterNode(pre, nominatedNode);
    verdicts.set(nominatedNode.name, verdict);
    if (verdict.code === 'Success') return decisionOf({ node: nominatedNode.name, evaluated: 1, message: '', skippedScorePlugins: [] }, verdicts);
  }

  const { feasible, evaluated } = findFeasible(cycle, pre, verdicts, input.startIndex ?? 0);
  if (feasible.length === 0) return { ...unschedulableDecision(cycle, pre, verdicts, verdictList(verdicts)), evaluated };
  const only = feasible.length === 1 ? feasible[0] : undefined;
  if (only !== undefined) return decisionOf({ node: only.name, evaluated, message: '', skippedScorePlugins: [] }, verdicts);

  const { scored, skipped } = scoreNodes(cycle, feasible);
  const node = selectHost(
    feasible.map((n, i) => ({ node: n.name, total: scored.totals[i] ?? 0 })),
    rng,
  );
  return decisionOf({ node, evaluated, message: '', skippedScorePlugins: skipped }, verdicts, scored);
}

/**
 * findNodesThatPassFilters: the filters run on the nodes in turn from `start`, until
 * numFeasibleNodesToFind of them pass. A PreFilter's rejection applies to every node; nodes a
 * PreFilter left out get the framework's status without being filtered.
 */
function findFeasible(cycle: Cycle, pre: PreFilterOutcome, verdicts: Map<string, FilterVerdict>, start: number): { feasible: NodeInfo[]; evaluated: number } {
  if ('rejected' in pre) {
    for (const n of cycle.nodes) verdicts.set(n.name, filterNode(pre, n));
    return { feasible: [], evaluated: 0 };
  }
  let nodes = cycle.nodes;
  const allowed = pre.nodeNames;
  if (allowed !== undefined) {
    for (const n of nodes) if (!allowed.names.has(n.name)) verdicts.set(n.name, filterNode(pre, n));
    nodes = nodes.filter((n) => allowed.names.has(n.name));
  }
  const wanted = numFeasibleNodesToFind(nodes.length);
  const feasible: NodeInfo[] = [];
  let evaluated = 0;
  for (let i = 0; i < nodes.length && feasible.length < wanted; i++) {
    const node = nodes[(start + i) % nodes.length] as NodeInfo;
    const verdict = verdicts.get(node.name) ?? filterNode(pre, node);
    verdicts.set(node.name, verdict);
    evaluated++;
    if (verdict.code === 'Success') feasible.push(node);
  }
  return { feasible, evaluated };
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
  const decision: SchedulingDecision = { node: null, nodes, evaluated: nodes.length, message, skippedScorePlugins: [] };
  if ('candidate' in outcome) decision.preemption = outcome.candidate;
  return decision;
}
