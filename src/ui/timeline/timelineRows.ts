import { commandLine } from '../commands';
import { objectString, parseObjectRef } from '../objectRef';
import type { EventRecord, LoggedAction, ObjectRef } from '../protocol';

/** One line of the timeline: a Kubernetes Event, or something the learner did. */
export type TimelineRow =
  | { readonly kind: 'event'; readonly key: string; readonly atMs: number; readonly event: EventRecord }
  | { readonly kind: 'action'; readonly key: string; readonly atMs: number; readonly sigil: '$' | '!'; readonly text: string };

export type ActionRow = Extract<TimelineRow, { kind: 'action' }>;

export interface TimelineFilter {
  /** Words that must all appear in the object, reason or type (or the action's command line). */
  readonly text: string;
  /** Only rows about this object; null for all. */
  readonly selected: ObjectRef | null;
}

/** As `kubectl get events` shows an object: "pod/web-1" (the namespace is a column of its own there). */
export function kubectlObject(object: string): string {
  const ref = parseObjectRef(object);
  return ref === null ? object : `${ref.kind.toLowerCase()}/${ref.name}`;
}

/**
 * What the learner did, as they would have typed it: "$" for kubectl and etcdctl, "!" for a
 * fault. Playback (play, pause, speed, step, skip) is not shown: it changes when, not what.
 */
export function actionRow(entry: LoggedAction, i: number): ActionRow | null {
  const a = entry.action;
  if (a.type === 'kubectl' || a.type === 'etcdctl') return { kind: 'action', key: `a${i}`, atMs: entry.atMs, sigil: '$', text: commandLine(a) };
  if (a.type === 'fault' || a.type === 'crashContainer') return { kind: 'action', key: `a${i}`, atMs: entry.atMs, sigil: '!', text: commandLine(a) };
  return null;
}

/** Events and actions in time order (an action before the events it caused at the same ms), filtered. */
export function timelineRows(events: readonly EventRecord[], log: readonly LoggedAction[], filter: TimelineFilter): TimelineRow[] {
  const terms = filter.text.toLowerCase().split(/\s+/).filter((t) => t !== '');
  const selected = filter.selected === null ? null : objectString(filter.selected);
  const actions: ActionRow[] = [];
  log.forEach((entry, i) => {
    const row = actionRow(entry, i);
    if (row !== null && actionMatches(row.text, terms, filter.selected)) actions.push(row);
  });
  const out: TimelineRow[] = [];
  let next = 0;
  for (const event of events) {
    if (selected !== null && event.object !== selected) continue;
    if (!eventMatches(event, terms)) continue;
    while (next < actions.length && (actions[next]?.atMs ?? 0) <= event.atMs) out.push(actions[next++] as ActionRow);
    out.push({ kind: 'event', key: event.id, atMs: event.atMs, event });
  }
  out.push(...actions.slice(next));
  return out;
}

function eventMatches(event: EventRecord, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const haystack = `${event.object} ${kubectlObject(event.object)} ${event.reason} ${event.type}`.toLowerCase();
  return terms.every((t) => haystack.includes(t));
}

/** An action is about the selected object when its command names it (`kill worker-2`, `scale deployment/web`). */
function actionMatches(text: string, terms: readonly string[], selected: ObjectRef | null): boolean {
  const lower = text.toLowerCase();
  if (!terms.every((t) => lower.includes(t))) return false;
  return selected === null || text.split(/[\s/=,]+/).includes(selected.name);
}

/** Virtual time, compact for a narrow column: "42s", "1m05s", "2h07m". */
export function formatCompact(ms: number): string {
  const totalSeconds = Math.floor(Math.max(0, ms) / 1000);
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes}m${pad2(totalSeconds % 60)}s`;
  return `${Math.floor(minutes / 60)}h${pad2(minutes % 60)}m`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The rows a scrolled list of fixed-height rows must render, with `overscan` extra on each side. */
export function visibleRange(count: number, rowHeight: number, scrollTop: number, viewportHeight: number, overscan = 6): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight);
  return { start: Math.max(0, Math.min(count, first - overscan)), end: Math.min(count, last + overscan) };
}

export { objectString, parseObjectRef };
