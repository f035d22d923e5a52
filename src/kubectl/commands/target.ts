import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { resolveResource, type ResourceType } from '../../engine/apiserver/resources';
import type { ApiClient } from '../../engine/apiserver/apiClient';
import { fail, type KubectlFlags, type KubectlResult } from '../kubectlEnv';
import { formatStatus } from '../printers';

/** `deployment web` or `deployment/web`: the resource type and name a command acts on, and the words after. */
export function parseTarget(args: readonly string[]): { type: ResourceType; name: string; rest: string[] } | { error: string } {
  const [first, second, ...more] = args;
  if (first === undefined) return { error: 'error: required resource not specified' };
  const slash = first.indexOf('/');
  const [what, name, rest] = slash >= 0 ? [first.slice(0, slash), first.slice(slash + 1), args.slice(1)] : [first, second, more];
  if (name === undefined || name === '') return { error: 'error: resource(s) were provided, but no name was specified' };
  const type = resolveResource(what);
  if ('error' in type) return { error: `error: ${type.error}` };
  return { type, name, rest: [...rest] };
}

/** The namespace a namespaced command works in (-n, else default); undefined for cluster-scoped kinds. */
export function namespaceFor(type: ResourceType, flags: KubectlFlags): string | undefined {
  return type.namespaced ? (flags.namespace ?? 'default') : undefined;
}

/** GET one object; failures come back as the result kubectl prints. */
export function fetchObject(client: ApiClient, type: ResourceType, namespace: string | undefined, name: string, done: (r: KubeObject | KubectlResult) => void): void {
  client.request({ verb: 'get', resource: type.plural, name, ...(namespace === undefined ? {} : { namespace }) }, (r) => {
    if (!r.ok) return done(fail(r.error));
    if (!r.result.ok) return done(fail(formatStatus(r.result.status)));
    done(r.result.value as KubeObject);
  });
}

/** LIST objects (label and field selectors optional). */
export function fetchList(
  client: ApiClient,
  resource: string,
  opts: { namespace?: string; labelSelector?: string; fieldSelector?: string },
  done: (r: KubeObject[] | KubectlResult) => void,
): void {
  client.request({ verb: 'list', resource, ...opts }, (r) => {
    if (!r.ok) return done(fail(r.error));
    if (!r.result.ok) return done(fail(formatStatus(r.result.status)));
    done((r.result.value as { items: KubeObject[] }).items);
  });
}

export const isResult = (v: unknown): v is KubectlResult => typeof v === 'object' && v !== null && 'exitCode' in v;
