import type { ApiClient } from '../../engine/apiserver/apiClient';
import type { KubeObject, Status } from '../../engine/apiserver/apiObjects';
import type { ListObject } from '../../engine/apiserver/apiServer';
import { resolveResource, type ResourceType } from '../../engine/apiserver/resources';
import { formatStatus } from '../printers';

/**
 * What the words after a command name, as kubectl's resource builder reads them:
 * `TYPE[,TYPE…]` (list each type), `TYPE NAME…`, `TYPE,TYPE NAME…` and `TYPE/NAME…` (get each).
 */
export type Targets = { readonly kind: 'list'; readonly types: readonly ResourceType[] } | { readonly kind: 'names'; readonly items: readonly { readonly type: ResourceType; readonly name: string }[] };

export interface TargetOptions {
  /** A label or field selector, or --all, was given: only types may be named. */
  readonly selecting: boolean;
  /** `get TYPE` lists everything; delete and patch need a name or a selector. */
  readonly listWithoutSelector: boolean;
}

/** The resources of kubectl's "all" category, in discovery order. */
const ALL = ['pods', 'services', 'daemonsets.apps', 'deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'horizontalpodautoscalers.autoscaling', 'jobs.batch'];

export const MISSING_RESOURCE = `error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

/** The words split on commas, duplicates dropped (SplitResourceArgument), "all" expanded. */
function splitTypes(word: string): string[] {
  const expanded = word.split(',').flatMap((w) => (w === 'all' ? ALL : [w]));
  return [...new Set(expanded)];
}

function resolve(word: string): ResourceType | { error: string } {
  const t = resolveResource(word);
  return 'error' in t ? { error: `error: ${t.error}` } : t;
}

export function parseTargets(args: readonly string[], opts: TargetOptions): Targets | { error: string } {
  // "deploy,svc web" means deploy/web and svc/web.
  let words = [...args];
  const [first, ...names] = words;
  if (first !== undefined && names.length > 0 && first.split(',').length > 1) words = splitTypes(first).flatMap((t) => names.map((n) => `${t}/${n}`));

  const slashed = words.filter((w) => w.includes('/')).length;
  if (slashed > 0) {
    if (slashed !== words.length) {
      return {
        error:
          "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
      };
    }
    if (opts.selecting) return { error: 'error: selectors and the all flag cannot be used when passing resource/name arguments' };
    const items: { type: ResourceType; name: string }[] = [];
    for (const w of words) {
      const parts = w.split('/');
      if (parts.length !== 2) return { error: 'error: arguments in resource/name form may not have more than one slash' };
      const [res = '', name = ''] = parts;
      if (res === '' || name === '' || res.split(',').length !== 1) return { error: 'error: arguments in resource/name form must have a single resource and name' };
      const type = resolve(res);
      if ('error' in type) return type;
      items.push({ type, name });
    }
    return { kind: 'names', items };
  }

  if (first === undefined) return { error: MISSING_RESOURCE };
  const types: ResourceType[] = [];
  for (const w of splitTypes(first)) {
    const type = resolve(w);
    if ('error' in type) return type;
    // Two spellings of one type (pods,po) list it once.
    if (!types.includes(type)) types.push(type);
  }
  if (opts.selecting) {
    if (names.length > 0) return { error: 'error: name cannot be provided when a selector is specified' };
    return { kind: 'list', types };
  }
  if (names.length > 0) return { kind: 'names', items: names.map((name) => ({ type: types[0] as ResourceType, name })) };
  if (opts.listWithoutSelector) return { kind: 'list', types };
  return { error: 'error: resource(s) were provided, but no name was specified' };
}

/** The namespace a request for a type goes to: none for cluster-scoped types and for -A lists. */
export function namespaceFor(type: ResourceType, flags: { readonly namespace?: string; readonly allNamespaces: boolean }): string | undefined {
  if (!type.namespaced || flags.allNamespaces) return undefined;
  return flags.namespace ?? 'default';
}

/** One answer of the API: a type's list, or one object got by name. */
export interface Fetched {
  readonly type: ResourceType;
  readonly objects: readonly KubeObject[];
}

export interface Selectors {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

/**
 * Lists each type, or gets each name, one request after another, as kubectl's builder visits
 * them; a failure is kept (as kubectl prints it) and the rest still fetched.
 */
export function fetchTargets(
  client: ApiClient,
  targets: Targets,
  flags: { readonly namespace?: string; readonly allNamespaces: boolean },
  selectors: Selectors,
  done: (r: { readonly fetched: Fetched[]; readonly errors: string[] }) => void,
): void {
  const fetched: Fetched[] = [];
  const errors: string[] = [];
  const requests =
    targets.kind === 'list'
      ? targets.types.map((type) => ({ type, req: { verb: 'list' as const, resource: type.plural, ...ns(namespaceFor(type, flags)), ...selectors } }))
      : targets.items.map(({ type, name }) => ({ type, req: { verb: 'get' as const, resource: type.plural, name, ...ns(namespaceFor(type, flags)) } }));
  const next = (i: number): void => {
    const r = requests[i];
    if (r === undefined) return done({ fetched, errors });
    client.request(r.req, (got) => {
      if (!got.ok) {
        // An unreachable server is said once, not once per type.
        if (!errors.includes(got.error)) errors.push(got.error);
      } else if (!got.result.ok) errors.push(formatStatus(r.req.verb === 'list' ? enhanceListError(got.result.status, r.type, selectors) : got.result.status).trimEnd());
      else fetched.push({ type: r.type, objects: r.req.verb === 'list' ? (got.result.value as ListObject).items : [got.result.value as KubeObject] });
      next(i + 1);
    });
  };
  next(0);
}

const ns = (namespace: string | undefined): { namespace?: string } => (namespace === undefined ? {} : { namespace });

/** kubectl's EnhanceListError: a refused list says which resource and selectors it was for. */
function enhanceListError(s: Status, type: ResourceType, sel: Selectors): Status {
  if (s.reason !== 'BadRequest' && s.reason !== 'NotFound') return s;
  const gvr = `${type.group}/${type.version}, Resource=${type.plural}`;
  const message =
    !sel.labelSelector && !sel.fieldSelector
      ? `Unable to list "${gvr}": ${s.message}`
      : `Unable to find "${gvr}" that match label selector "${sel.labelSelector ?? ''}", field selector "${sel.fieldSelector ?? ''}": ${s.message}`;
  return { ...s, message };
}
