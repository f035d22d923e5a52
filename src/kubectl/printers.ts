import { stringify } from 'yaml';
import type { KubeObject, Status } from '../engine/apiserver/apiObjects';
import type { ResourceType } from '../engine/apiserver/resources';
import { humanDuration } from '../engine/duration';
import { parseRfc3339 } from '../engine/virtualTime';
import { evaluateJsonPath } from './jsonpath';
import { tabular } from './tabular';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const none = (v: unknown): string => (typeof v === 'string' && v !== '' ? v : '<none>');

/** "deployment.apps/web": how kubectl names an object in messages and -o name. */
export function objectRef(t: ResourceType, name: string): string {
  return `${t.singular}${t.group === '' ? '' : `.${t.group}`}/${name}`;
}

/** `Error from server (Reason): message`, as kubectl prints a failed API call. */
export function formatStatus(s: Status, prefix = ''): string {
  if (s.reason === 'Invalid') return `The ${s.details?.kind ?? ''} "${s.details?.name ?? ''}" is invalid: ${s.message.slice(s.message.indexOf(' is invalid: ') + 13)}\n`;
  return `Error from server${s.reason ? ` (${s.reason})` : ''}: ${prefix}${s.message}\n`;
}

function age(obj: KubeObject, now: number): string {
  const created = parseRfc3339(obj.metadata.creationTimestamp ?? '');
  return created === undefined ? '<unknown>' : humanDuration(now - created);
}

function selectorText(sel: unknown): string {
  const labels = o(o(sel).matchLabels);
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${String(labels[k])}`).join(',');
}

function containers(podSpec: unknown): { names: string; images: string } {
  const cs = arr(o(podSpec).containers);
  return { names: cs.map((c) => String(c.name)).join(','), images: cs.map((c) => String(c.image)).join(',') };
}

/** The columns `kubectl get` prints for a kind (server-side printing in real clusters), with the -o wide extras. */
function columns(t: ResourceType): { head: string[]; wide: string[]; row: (x: KubeObject, now: number) => { cells: string[]; wide: string[] } } {
  switch (t.kind) {
    case 'Pod':
      return {
        head: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
        wide: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
        row: (x, now) => {
          const status = o(x.status);
          const statuses = arr(status.containerStatuses);
          const total = arr(o(x.spec).containers).length;
          const ready = statuses.filter((c) => c.ready === true).length;
          const restarts = statuses.reduce((n, c) => n + num(c.restartCount), 0);
          return {
            cells: [String(x.metadata.name), `${ready}/${total}`, x.metadata.deletionTimestamp ? 'Terminating' : String(status.phase ?? 'Pending'), String(restarts), age(x, now)],
            wide: [none(status.podIP), none(o(x.spec).nodeName), '<none>', '<none>'],
          };
        },
      };
    case 'Deployment':
      return {
        head: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
        wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
        row: (x, now) => {
          const s = o(x.status);
          const c = containers(o(o(x.spec).template).spec);
          return {
            cells: [String(x.metadata.name), `${num(s.readyReplicas)}/${num(o(x.spec).replicas)}`, String(num(s.updatedReplicas)), String(num(s.availableReplicas)), age(x, now)],
            wide: [c.names, c.images, selectorText(o(x.spec).selector)],
          };
        },
      };
    case 'ReplicaSet':
      return {
        head: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
        wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
        row: (x, now) => {
          const s = o(x.status);
          const c = containers(o(o(x.spec).template).spec);
          return {
            cells: [String(x.metadata.name), String(num(o(x.spec).replicas)), String(num(s.replicas)), String(num(s.readyReplicas)), age(x, now)],
            wide: [c.names, c.images, selectorText(o(x.spec).selector)],
          };
        },
      };
    case 'Service':
      return {
        head: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
        wide: ['SELECTOR'],
        row: (x, now) => {
          const spec = o(x.spec);
          const ports = arr(spec.ports).map((p) => `${String(p.port)}${p.nodePort ? `:${String(p.nodePort)}` : ''}/${String(p.protocol ?? 'TCP')}`);
          const sel = o(spec.selector);
          return {
            cells: [String(x.metadata.name), String(spec.type ?? 'ClusterIP'), none(spec.clusterIP), '<none>', ports.join(',') || '<none>', age(x, now)],
            wide: [Object.keys(sel).length === 0 ? '<none>' : Object.keys(sel).sort().map((k) => `${k}=${String(sel[k])}`).join(',')],
          };
        },
      };
    case 'ConfigMap':
      return { head: ['NAME', 'DATA', 'AGE'], wide: [], row: (x, now) => ({ cells: [String(x.metadata.name), String(Object.keys(o(x.data)).length + Object.keys(o(x.binaryData)).length), age(x, now)], wide: [] }) };
    case 'Secret':
      return { head: ['NAME', 'TYPE', 'DATA', 'AGE'], wide: [], row: (x, now) => ({ cells: [String(x.metadata.name), String(x.type ?? 'Opaque'), String(Object.keys(o(x.data)).length), age(x, now)], wide: [] }) };
    case 'Namespace':
      return { head: ['NAME', 'STATUS', 'AGE'], wide: [], row: (x, now) => ({ cells: [String(x.metadata.name), String(o(x.status).phase ?? 'Active'), age(x, now)], wide: [] }) };
    default:
      return { head: ['NAME', 'AGE'], wide: [], row: (x, now) => ({ cells: [String(x.metadata.name), age(x, now)], wide: [] }) };
  }
}

export interface PrintOptions {
  readonly output: string | undefined;
  readonly allNamespaces: boolean;
  readonly now: number;
}

/** Objects as `kubectl get` prints them: table (default or wide), name, yaml or json. */
export function printObjects(t: ResourceType, objects: readonly KubeObject[], asList: boolean, opts: PrintOptions): string {
  const out = opts.output ?? '';
  if (out.startsWith('jsonpath=')) {
    const data = asList ? { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } } : objects[0];
    return evaluateJsonPath(out.slice('jsonpath='.length), data);
  }
  if (out === 'name') return objects.map((x) => `${objectRef(t, String(x.metadata.name))}\n`).join('');
  if (out === 'json' || out === 'yaml') {
    // kubectl prints unstructured objects: keys in sorted order, 4-space JSON, YAML that quotes
    // strings YAML 1.1 would read as something else (timestamps, numbers, yes/no).
    const value = sortKeys(asList ? { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } } : objects[0]);
    return out === 'json' ? `${JSON.stringify(value, null, 4)}\n` : stringify(value, { version: '1.1', indentSeq: false });
  }
  const cols = columns(t);
  const wide = out === 'wide';
  const head = [...(opts.allNamespaces ? ['NAMESPACE'] : []), ...cols.head, ...(wide ? cols.wide : [])];
  const rows = objects.map((x) => {
    const r = cols.row(x, opts.now);
    return [...(opts.allNamespaces ? [String(x.metadata.namespace ?? '')] : []), ...r.cells, ...(wide ? r.wide : [])];
  });
  return tabular([head, ...rows]);
}

export const OUTPUT_FORMATS = ['', 'wide', 'name', 'yaml', 'json'];

/** Whether `-o` names a format kubectl get can print. */
export function isOutputFormat(o: string | undefined): boolean {
  return OUTPUT_FORMATS.includes(o ?? '') || (o ?? '').startsWith('jsonpath=');
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v as Obj).sort().map((k) => [k, sortKeys((v as Obj)[k])]));
}
