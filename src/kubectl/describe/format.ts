/**
 * The building blocks every describer shares: reading plain JSON, kubectl's PrefixWriter
 * (two spaces per level, then the tabwriter), label/annotation/toleration lists, label
 * selectors, and timestamps as Go prints them.
 */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { humanDuration } from '../../engine/duration';
import { civilFromDays, parseRfc3339, VIRTUAL_EPOCH_MS } from '../../engine/virtualTime';
import { tabwrite } from './tabwriter';

export type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
export const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as unknown[]).map(obj) : []);
export const strings = (v: unknown): string[] => (Array.isArray(v) ? (v as unknown[]).map(str) : []);
/** Whether a field is set: neither absent nor JSON null (Go's nil pointer). */
export const isSet = (v: unknown): boolean => v !== undefined && v !== null;
export const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
export const strMap = (v: unknown): Record<string, string> => Object.fromEntries(Object.entries(obj(v)).map(([k, x]) => [k, str(x)]));
export const meta = (o: KubeObject | Obj): Obj => obj(o.metadata);
export const spec = (o: KubeObject | Obj): Obj => obj(o.spec);
export const status = (o: KubeObject | Obj): Obj => obj(o.status);
/** Go's byte-wise string order (sort.Strings), not localeCompare. */
export const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** An IntOrString as Go's String(): "25%" or "1". */
export const intOrString = (v: unknown): string => (typeof v === 'number' ? String(v) : str(v));
/** %v of a []string: "[a b]". */
export const goList = (v: readonly string[]): string => `[${v.join(' ')}]`;
/** %v of a bool. */
export const goBool = (v: unknown): string => String(v === true);

/**
 * kubectl's PrefixWriter: each write is prefixed by two spaces per level (only at the start
 * of the written text), and everything goes through the tabwriter at the end.
 */
export class DescribeWriter {
  private readonly parts: string[] = [];

  write(level: number, text: string): void {
    this.parts.push('  '.repeat(level) + text);
  }

  toString(): string {
    return tabwrite(this.parts.join(''));
  }
}

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_ANNOTATION_LEN = 140;

/** `Title:\tk=v` then `\tk2=v2` lines, sorted by key, or `<none>`. */
export function writeLabels(w: DescribeWriter, title: string, labels: unknown, initialIndent = ''): void {
  const map = strMap(labels);
  const keys = Object.keys(map).sort(byteOrder);
  w.write(0, `${initialIndent}${title}:\t`);
  if (keys.length === 0) return w.write(0, '<none>\n');
  keys.forEach((k, i) => {
    if (i > 0) w.write(0, `${initialIndent}\t`);
    w.write(0, `${k}=${map[k] as string}\n`);
  });
}

const utf8Length = (s: string): number => {
  let n = 0;
  for (const c of s) {
    const cp = c.codePointAt(0) as number;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
};

/**
 * `Title:\tk: v` lines, sorted, without the last-applied-configuration annotation. A value
 * too long (over 140 bytes with its key) or spanning lines is printed under its key,
 * each line cut at 138 bytes with "...".
 */
export function writeAnnotations(w: DescribeWriter, title: string, annotations: unknown): void {
  const map = strMap(annotations);
  const keys = Object.keys(map)
    .filter((k) => k !== LAST_APPLIED)
    .sort(byteOrder);
  w.write(0, `${title}:\t`);
  if (keys.length === 0) return w.write(0, '<none>\n');
  keys.forEach((k, i) => {
    if (i > 0) w.write(0, '\t');
    const value = (map[k] as string).replace(/\n$/, '');
    if (utf8Length(value) + utf8Length(k) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${k}:\n`);
      for (const line of value.split('\n')) {
        w.write(0, `\t  ${line.length > MAX_ANNOTATION_LEN - 2 ? `${line.slice(0, MAX_ANNOTATION_LEN - 2)}...` : line}\n`);
      }
    } else {
      w.write(0, `${k}: ${value}\n`);
    }
  });
}

/** Tolerations sorted by key: `key=value:Effect op=Exists for 300s`. */
export function writeTolerations(w: DescribeWriter, title: string, tolerations: unknown, initialIndent = ''): void {
  const items = [...list(tolerations)].sort((a, b) => byteOrder(str(a.key), str(b.key)));
  w.write(0, `${initialIndent}${title}:\t`);
  if (items.length === 0) return w.write(0, '<none>\n');
  items.forEach((t, i) => {
    if (i > 0) w.write(0, `${initialIndent}\t`);
    const key = str(t.key);
    const value = str(t.value);
    const effect = str(t.effect);
    let text = key + (value ? `=${value}` : '') + (effect ? `:${effect}` : '');
    // operator Exists with no key and no effect tolerates everything.
    if (str(t.operator) === 'Exists' && value === '') text += key !== '' || effect !== '' ? ' op=Exists' : 'op=Exists';
    if (typeof t.tolerationSeconds === 'number') text += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${text}\n`);
  });
}

/** Taints sorted by effect then key: `key=value:Effect`. */
export function writeTaints(w: DescribeWriter, title: string, taints: unknown): void {
  const sortKey = (t: Obj): string => `${str(t.effect)},${str(t.key)}`;
  const items = [...list(taints)].sort((a, b) => byteOrder(sortKey(a), sortKey(b)));
  w.write(0, `${title}:\t`);
  if (items.length === 0) return w.write(0, '<none>\n');
  items.forEach((t, i) => {
    if (i > 0) w.write(0, '\t');
    const value = str(t.value);
    w.write(0, `${str(t.key)}${value ? `=${value}` : ''}:${str(t.effect)}\n`);
  });
}

/** labels.FormatLabels: `a=1,b=2` sorted, or `<none>`. */
export function formatLabels(labels: unknown): string {
  const map = strMap(labels);
  const keys = Object.keys(map).sort(byteOrder);
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${map[k] as string}`).join(',');
}

/**
 * A LabelSelector as LabelSelectorAsSelector(...).String() writes it: requirements sorted
 * by key, `k=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`; "" for an empty or absent one.
 */
export function selectorString(selector: unknown): string {
  const sel = obj(selector);
  const reqs: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(strMap(sel.matchLabels))) reqs.push({ key, text: `${key}=${value}` });
  for (const e of list(sel.matchExpressions)) {
    const key = str(e.key);
    const values = strings(e.values).sort(byteOrder).join(',');
    const op = str(e.operator);
    const text = op === 'In' ? `${key} in (${values})` : op === 'NotIn' ? `${key} notin (${values})` : op === 'Exists' ? key : `!${key}`;
    reqs.push({ key, text });
  }
  return reqs
    .sort((a, b) => byteOrder(a.key, b.key))
    .map((r) => r.text)
    .join(',');
}

/** metav1.FormatLabelSelector: the selector, or `<none>` when it selects by nothing. */
export const formatLabelSelector = (selector: unknown): string => selectorString(selector) || '<none>';

/** `Kind/name` of the owner marked controller: true, or "". */
export function controllerOf(o: KubeObject | Obj): { kind: string; name: string; uid: string } | undefined {
  const ref = list(meta(o).ownerReferences).find((r) => r.controller === true);
  return ref === undefined ? undefined : { kind: str(ref.kind), name: str(ref.name), uid: str(ref.uid) };
}

/** Whether `o` is controlled by `owner` (by UID, or by kind and name when UIDs are missing). */
export function isControlledBy(o: KubeObject | Obj, owner: KubeObject): boolean {
  const ref = controllerOf(o);
  if (ref === undefined) return false;
  const uid = str(owner.metadata.uid);
  return uid !== '' && ref.uid !== '' ? ref.uid === uid : ref.kind === owner.kind && ref.name === str(owner.metadata.name);
}

// --- Time ------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Go's zero time.Time, which describe prints for a timestamp that is not set. */
const ZERO_TIME = 'Mon, 01 Jan 0001 00:00:00 +0000';

/** Virtual milliseconds of an RFC 3339 timestamp (metav1.Time or MicroTime), or undefined. */
export function parseTime(v: unknown): number | undefined {
  return parseRfc3339(str(v));
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** time.RFC1123Z in UTC, as kubectl shows timestamps: `Wed, 01 Jan 2025 00:00:05 +0000`. */
export function rfc1123z(v: unknown): string {
  const t = parseTime(v);
  if (t === undefined) return ZERO_TIME;
  const unixMs = t + VIRTUAL_EPOCH_MS;
  const days = Math.floor(unixMs / DAY_MS);
  const secs = Math.floor((unixMs - days * DAY_MS) / 1000);
  const [y, m, d] = civilFromDays(days);
  const weekday = WEEKDAYS[(((days + 4) % 7) + 7) % 7] as string; // 1970-01-01 was a Thursday
  const clock = `${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor((secs % 3600) / 60))}:${pad2(secs % 60)}`;
  return `${weekday}, ${pad2(d)} ${MONTHS[m - 1] as string} ${String(y).padStart(4, '0')} ${clock} +0000`;
}

/** translateTimestampSince: how long ago, or `<unknown>` for a timestamp that is not set. */
export function since(v: unknown, now: number): string {
  const t = parseTime(v);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}
