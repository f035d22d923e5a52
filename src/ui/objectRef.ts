import type { ObjectRef } from './protocol';

/**
 * How the playground names an object in one string: "Kind/namespace/name", or "Kind/name" for
 * a cluster-scoped one. EventRecord.object, the replica chart's workload keys and the
 * inspector's request keys all use it.
 */
export function objectString(ref: ObjectRef): string {
  return ref.namespace === '' ? `${ref.kind}/${ref.name}` : `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** The inverse of objectString; null when the text is not one. */
export function parseObjectRef(object: string): ObjectRef | null {
  const parts = object.split('/');
  if (parts.some((p) => p === '')) return null;
  if (parts.length === 3) return { kind: parts[0] as string, namespace: parts[1] as string, name: parts[2] as string };
  if (parts.length === 2) return { kind: parts[0] as string, namespace: '', name: parts[1] as string };
  return null;
}
