/**
 * The Events section every describer ends with (DescribeEvents in kubectl), and which
 * events belong to the described object.
 */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { type DescribeWriter, isSet, obj, parseTime, since, str } from './format';

/**
 * Whether an event is about `target`, as kubectl's field selector on involvedObject picks
 * them: same name and namespace, same kind (except for pods, whose events kubectl finds
 * without the kind), same UID. Node events carry either the node's UID (controllers) or
 * its name (the kubelet), so both count.
 */
export function involves(event: KubeObject, target: KubeObject): boolean {
  const inv = obj(event.involvedObject);
  if (str(inv.name) !== str(target.metadata.name)) return false;
  if (str(inv.namespace) !== str(target.metadata.namespace)) return false;
  if (target.kind !== 'Pod' && isSet(inv.kind) && str(inv.kind) !== target.kind) return false;
  const uid = str(inv.uid);
  const targetUid = str(target.metadata.uid);
  if (uid === '' || targetUid === '') return true;
  return uid === targetUid || (target.kind === 'Node' && uid === str(target.metadata.name));
}

/** lastTimestamp as a number; unset sorts first, like Go's zero time. */
const lastSeen = (e: KubeObject): number => parseTime(e.lastTimestamp) ?? Number.NEGATIVE_INFINITY;

/** When the event happened and how often: `12s`, or `2m (x3 over 5m)` for a repeated one. */
function age(e: KubeObject, now: number): string {
  const first = parseTime(e.eventTime) !== undefined ? since(e.eventTime, now) : since(e.firstTimestamp, now);
  const series = obj(e.series);
  if (isSet(e.series)) return `${since(series.lastObservedTime, now)} (x${str(series.count)} over ${first})`;
  const count = typeof e.count === 'number' ? e.count : 0;
  if (count > 1) return `${since(e.lastTimestamp, now)} (x${count} over ${first})`;
  return first;
}

/** `Events:\t<none>`, or the table of events oldest first (by last occurrence). */
export function writeEvents(w: DescribeWriter, events: readonly KubeObject[], now: number): void {
  if (events.length === 0) return w.write(0, 'Events:\t<none>\n');
  const sorted = [...events].sort((a, b) => (lastSeen(a) < lastSeen(b) ? -1 : lastSeen(a) > lastSeen(b) ? 1 : 0));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const from = str(obj(e.source).component) || str(e.reportingComponent);
    w.write(1, `${str(e.type)}\t${str(e.reason)}\t${age(e, now)}\t${from}\t${str(e.message).trim()}\n`);
  }
}

/** The events of ctx that concern `target`. */
export const eventsFor = (events: readonly KubeObject[], target: KubeObject): KubeObject[] => events.filter((e) => involves(e, target));
