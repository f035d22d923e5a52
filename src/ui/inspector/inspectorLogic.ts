import { objectString } from '../objectRef';
import { RESOURCES, resolveResource } from '../../engine/apiserver/resources';
import type { ClusterModel, ObjectRef } from '../protocol';

/** The inspector asks the engine at most this often while the cluster changes (4 per second). */
export const REFETCH_GAP_MS = 250;

/** How long to wait before the next fetch so that fetches stay REFETCH_GAP_MS apart; 0 for a new selection. */
export function fetchDelay(lastFetchAt: number, now: number, newSelection: boolean): number {
  return newSelection ? 0 : Math.max(0, lastFetchAt + REFETCH_GAP_MS - now);
}

/** A stable key for a ref: effects and replies compare these, not object identity. */
export const refKey = (ref: ObjectRef | null): string => (ref === null ? '' : objectString(ref));

/** "Deployment default/web", "Node worker-1". */
export const refLabel = (ref: ObjectRef): string => `${ref.kind} ${ref.namespace === '' ? '' : `${ref.namespace}/`}${ref.name}`;

/**
 * What the name box offers, as kubectl writes an object: `deployment/web`, with
 * ` -n NAMESPACE` outside default, cluster-scoped ones bare (`node/worker-1`).
 */
export function nameSuggestions(names: ClusterModel['names']): string[] {
  const out: string[] = [];
  for (const t of RESOURCES) {
    const byNs = names[t.plural];
    if (byNs === undefined) continue;
    for (const ns of Object.keys(byNs).sort(byDefaultFirst)) {
      const suffix = !t.namespaced || ns === 'default' ? '' : ` -n ${ns}`;
      for (const name of byNs[ns] ?? []) out.push(`${t.singular}/${name}${suffix}`);
    }
  }
  return out;
}

const byDefaultFirst = (a: string, b: string): number => (a === 'default' ? -1 : b === 'default' ? 1 : a < b ? -1 : a > b ? 1 : 0);

/**
 * A typed object as kubectl takes it: `TYPE/NAME` or `TYPE NAME`, with `-n NS`,
 * `--namespace NS` or `--namespace=NS`; TYPE as kubectl knows it (deploy, po, nodes, …). It
 * must be one of `names` (what the cluster holds).
 */
export function parseObjectQuery(text: string, names: ClusterModel['names']): ObjectRef | { error: string } {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  let namespace: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '-n' || w === '--namespace') namespace = words[++i];
    else if (w.startsWith('--namespace=') || w.startsWith('-n=')) namespace = w.slice(w.indexOf('=') + 1);
    else rest.push(w);
  }
  const [first = '', second] = rest;
  const slash = first.indexOf('/');
  const [typeName, name] = slash >= 0 ? [first.slice(0, slash), first.slice(slash + 1)] : [first, second];
  if (typeName === '' || name === undefined || name === '' || rest.length > (slash >= 0 ? 1 : 2)) return { error: 'Type it as kubectl does: deployment/web, or pod/NAME -n kube-system.' };
  const type = resolveResource(typeName);
  if ('error' in type) return { error: type.error };
  const ns = type.namespaced ? (namespace ?? 'default') : '';
  if (!(names[type.plural]?.[ns] ?? []).includes(name)) {
    return { error: type.namespaced ? `No ${type.singular} "${name}" in namespace ${ns}.` : `No ${type.singular} "${name}".` };
  }
  return { kind: type.kind, namespace: ns, name };
}

/** A desired-vs-observed row is highlighted while status has not caught up. */
export const differs = (row: { readonly desired: string; readonly observed: string }): boolean => row.desired !== row.observed;
