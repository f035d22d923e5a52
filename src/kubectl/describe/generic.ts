/**
 * kubectl's generic describer, for kinds without a describer of their own: name,
 * namespace, labels and annotations, then every field of the object as a tree with
 * "smart" labels (apiVersion → "API Version"), then the events.
 */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { type DescribeWriter, type Obj, byteOrder, meta, str, writeAnnotations, writeLabels } from './format';

const ACRONYMS = ['API', 'URL', 'UID', 'OSB', 'GUID'];

/** fatih/camelcase.Split: runs of lower, upper, digit, other; an upper run gives its last letter to a following lower run. */
function camelSplit(s: string): string[] {
  const classOf = (c: string): number => (/\p{Ll}/u.test(c) ? 1 : /\p{Lu}/u.test(c) ? 2 : /\p{Nd}/u.test(c) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const c of s) {
    const cls = classOf(c);
    if (cls === last) (runs[runs.length - 1] as string[]).push(c);
    else runs.push([c]);
    last = cls;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    const cur = runs[i] as string[];
    const next = runs[i + 1] as string[];
    if (cur.length > 0 && classOf(cur[0] as string) === 2 && classOf(next[0] as string) === 1) next.unshift(cur.pop() as string);
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

/** kubectl 1.31's smartLabelFor: "creationTimestamp" → "Creation Timestamp", "uid" → "UID"; fields with other characters stay as they are. */
export function smartLabel(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) => (ACRONYMS.includes(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}

/** %v of a JSON value as Go prints an unstructured one (non-integral floats use %g: 1.5e+06). */
function goScalar(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number' && !Number.isInteger(v) && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-4)) {
    return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  if (Array.isArray(v)) return `[${v.map(goScalar).join(' ')}]`;
  if (typeof v === 'object') return `map[${Object.keys(v as Obj).sort(byteOrder).map((k) => `${k}:${goScalar((v as Obj)[k])}`).join(' ')}]`;
  return String(v);
}

const SKIP = ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations'];

function writeTree(w: DescribeWriter, level: number, content: Obj, prefix: string): void {
  for (const field of Object.keys(content).sort(byteOrder)) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (SKIP.includes(path)) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      writeTree(w, level + 1, value as Obj, path);
    } else if (Array.isArray(value)) {
      // List items follow one another with nothing between them, as in kubectl.
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of value) {
        if (child !== null && typeof child === 'object' && !Array.isArray(child)) writeTree(w, level + 1, child as Obj, path);
        else w.write(level + 1, `${goScalar(child)}\n`);
      }
    } else {
      w.write(level, `${smartLabel(field)}:\t${goScalar(value)}\n`);
    }
  }
}

export function describeGeneric(w: DescribeWriter, o: KubeObject): void {
  const md = meta(o);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  writeTree(w, 0, o as Obj, '');
}
