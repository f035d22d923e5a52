import { parseRfc3339 } from '../../virtualTime';
import type { Cycle, FilterVerdict, NodeInfo, PodInfo } from '../framework';
import { compare } from './helpers';

/**
 * DefaultPreemption (PostFilter), run when no node fits. On each node a plugin rejected as
 * Unschedulable it removes every lower-priority pod and re-runs the filters: if the pod then fits,
 * it gives back as many of those pods as still leave room (most important first); the rest are
 * the victims. With nothing to win it explains, node by node, why preemption would not help.
 */

export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';

export type PreemptionOutcome =
  | { notEligible: string }
  /** Why preemption cannot help, per node in the cycle's order: the FitError it reports. */
  | { nodeReasons: string[][] }
  | { candidate: { node: string; victims: string[] } };

/** Re-runs PreFilter and Filter for one node without the given pods (by key). */
export type DryRun = (node: string, without: ReadonlySet<string>) => FilterVerdict;

interface Candidate {
  node: string;
  victims: PodInfo[];
}

/** When a pod started; one that has not started counts as starting now, after all the others. */
const startTime = (p: PodInfo): number => {
  const t = (p.pod.status as { startTime?: string } | undefined)?.startTime;
  return (t === undefined ? undefined : parseRfc3339(t)) ?? Number.POSITIVE_INFINITY;
};

/** util.MoreImportantPod: higher priority first, then the one that started earlier. */
const moreImportantFirst = (a: PodInfo, b: PodInfo): number => b.priority - a.priority || startTime(a) - startTime(b);

function terminatingByPreemption(p: PodInfo): boolean {
  const conditions = (p.pod.status as { conditions?: { type: string; status: string; reason?: string }[] } | undefined)?.conditions ?? [];
  return p.terminating && conditions.some((c) => c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === 'PreemptionByScheduler');
}

/** PodEligibleToPreemptOthers: the reason the pod may not preempt, if any. */
function ineligibility(cycle: Cycle, verdicts: ReadonlyMap<string, FilterVerdict>): string | undefined {
  const pod = cycle.pod;
  if (pod.spec.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  const nominated = (pod.pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName ?? '';
  if (nominated === '' || verdicts.get(nominated)?.code === 'UnschedulableAndUnresolvable') return undefined;
  const node = cycle.nodes.find((n) => n.name === nominated);
  if (node?.pods.some((p) => p.priority < pod.priority && terminatingByPreemption(p))) {
    return 'not eligible due to a terminating pod on the nominated node.';
  }
  return undefined;
}

/** SelectVictimsOnNode: the victims, or why removing lower-priority pods does not make room. */
function selectVictims(cycle: Cycle, node: NodeInfo, dryRun: DryRun): { victims: PodInfo[] } | { reasons: string[] } {
  const lower = node.pods.filter((p) => p.priority < cycle.pod.priority).sort(moreImportantFirst);
  if (lower.length === 0) return { reasons: [NO_VICTIMS] };
  const removed = new Set(lower.map((p) => p.key));
  const verdict = dryRun(node.name, removed);
  if (verdict.code !== 'Success') return { reasons: verdict.reasons };
  const victims: PodInfo[] = [];
  for (const p of lower) {
    removed.delete(p.key);
    if (dryRun(node.name, removed).code === 'Success') continue;
    removed.add(p.key);
    victims.push(p);
  }
  return { victims };
}

/** pickOneNodeForPreemption (no PodDisruptionBudgets here): each criterion narrows the ties; then the first by name. */
function pick(candidates: readonly Candidate[]): Candidate {
  const highest = (c: Candidate): number => c.victims[0]?.priority ?? 0;
  const criteria: ((c: Candidate) => number)[] = [
    (c) => -highest(c),
    (c) => -c.victims.reduce((s, p) => s + p.priority + 2 ** 31, 0),
    (c) => -c.victims.length,
    (c) => Math.min(...c.victims.filter((p) => p.priority === highest(c)).map(startTime)),
  ];
  let left = [...candidates].sort((a, b) => compare(a.node, b.node));
  for (const score of criteria) {
    const best = Math.max(...left.map(score));
    left = left.filter((c) => score(c) === best);
    if (left.length === 1) break;
  }
  return left[0] ?? (candidates[0] as Candidate);
}

export function defaultPreemption(cycle: Cycle, verdicts: ReadonlyMap<string, FilterVerdict>, dryRun: DryRun): PreemptionOutcome {
  const reason = ineligibility(cycle, verdicts);
  if (reason !== undefined) return { notEligible: reason };
  const candidates: Candidate[] = [];
  const nodeReasons = cycle.nodes.map((node) => {
    // Only a node rejected as Unschedulable could be freed up by evicting pods.
    if (verdicts.get(node.name)?.code !== 'Unschedulable') return [NOT_HELPFUL];
    const result = selectVictims(cycle, node, dryRun);
    if ('reasons' in result) return result.reasons;
    if (result.victims.length > 0) candidates.push({ node: node.name, victims: result.victims });
    return [];
  });
  if (candidates.length === 0) return { nodeReasons };
  const best = pick(candidates);
  return { candidate: { node: best.node, victims: best.victims.map((p) => `${p.namespace}/${p.name}`) } };
}
