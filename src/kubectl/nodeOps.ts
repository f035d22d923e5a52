/**
 * The client-side logic of `kubectl taint`, `cordon`, `uncordon` and `drain`
 * (k8s.io/kubectl/pkg/cmd/taint, pkg/cmd/drain, pkg/drain), as pure functions over objects
 * the caller has fetched. Every `error` is the text kubectl writes to stderr (without the
 * final newline); every `message` is one stdout line without its newline.
 */
import type { KubeObject } from '../engine/apiserver/apiObjects';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

export type Failure = { error: string };
export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  timeAdded?: string;
}
export interface TaintRemoval {
  key: string;
  effect?: TaintEffect;
}
export interface ParsedTaints {
  add: Taint[];
  remove: TaintRemoval[];
}

const EFFECTS: readonly string[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const nodeRef = (node: KubeObject): string => `node/${node.metadata.name ?? ''}`;

// ---------------------------------------------------------------- taint

/** Splits `kubectl taint` arguments into resources (node NAME...) and taint specs, as Complete does. */
export function splitTaintArgs(args: readonly string[]): { resources: string[]; specs: string[] } | Failure {
  const resources: string[] = [];
  const specs: string[] = [];
  for (const s of args) {
    const isTaint = s.includes('=') || s.includes(':') || s.endsWith('-');
    if (isTaint) specs.push(s);
    else if (specs.length > 0) return { error: `error: all resources must be specified before taint changes: ${s}` };
    else resources.push(s);
  }
  if (resources.length < 1) return { error: 'error: one or more resources must be specified as <resource> <name>' };
  if (specs.length < 1) return { error: 'error: at least one taint update is required' };
  return { resources, specs };
}

// apimachinery's validation messages (RegexError puts ", " after each example).
const QNAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const QNAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** validation.IsQualifiedName. */
function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) return [`a qualified name ${QNAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  const errs: string[] = [];
  const name = parts.length === 2 ? (parts[1] as string) : value;
  if (parts.length === 2) {
    const prefix = parts[0] as string;
    if (prefix === '') errs.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
      if (!SUBDOMAIN.test(prefix)) errs.push(`prefix part ${SUBDOMAIN_MSG}`);
    }
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (!QNAME.test(name)) errs.push(`name part ${QNAME_MSG}`);
  return errs;
}

function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) errs.push(LABEL_VALUE_MSG);
  return errs;
}

/** parseTaint: `key=value:effect`, `key:effect` or `key`; the effect is '' when absent. */
function parseTaint(spec: string): { key: string; value: string; effect: string } | string {
  const parts = spec.split(':');
  let key = spec;
  let value = '';
  let effect = '';
  if (parts.length === 2) {
    effect = parts[1] as string;
    if (!EFFECTS.includes(effect)) return `invalid taint effect: ${effect}, unsupported taint effect`;
    const kv = (parts[0] as string).split('=');
    if (kv.length > 2) return `invalid taint spec: ${spec}`;
    key = kv[0] as string;
    if (kv.length === 2) {
      value = kv[1] as string;
      const errs = labelValueErrors(value);
      if (errs.length > 0) return `invalid taint spec: ${spec}, ${errs.join('; ')}`;
    }
  } else if (parts.length > 2) return `invalid taint spec: ${spec}`;
  const errs = qualifiedNameErrors(key);
  if (errs.length > 0) return `invalid taint spec: ${spec}, ${errs.join('; ')}`;
  return { key, value, effect };
}

/** kubectl wraps parse errors in a usage error. */
const usageError = (msg: string): Failure => ({ error: `error: ${msg}\nSee 'kubectl taint -h' for help and examples` });

/**
 * The taint specs of `kubectl taint` (`key=value:Effect`, `key:Effect`, `key:Effect-`, `key-`),
 * with kubectl's parse errors and its check that no taint is both changed and removed.
 */
export function parseTaints(specs: readonly string[]): ParsedTaints | Failure {
  const add: Taint[] = [];
  const remove: TaintRemoval[] = [];
  for (const spec of specs) {
    const removing = spec.endsWith('-');
    const parsed = parseTaint(removing ? spec.slice(0, -1) : spec);
    if (typeof parsed === 'string') return usageError(parsed);
    const effect = parsed.effect === '' ? undefined : (parsed.effect as TaintEffect);
    if (removing) {
      remove.push(effect ? { key: parsed.key, effect } : { key: parsed.key });
      continue;
    }
    if (effect === undefined) return usageError(`invalid taint spec: ${spec}`);
    // Go prints the Taint struct with %v: {key value effect <nil>}.
    if (add.some((t) => t.key === parsed.key && t.effect === effect)) {
      return usageError(`duplicated taints with the same key and effect: {${parsed.key} ${parsed.value} ${effect} <nil>}`);
    }
    add.push(parsed.value === '' ? { key: parsed.key, effect } : { key: parsed.key, value: parsed.value, effect });
  }
  const conflicts = add.flatMap((a) => remove.filter((r) => r.key === a.key && (r.effect === undefined || r.effect === a.effect)).map((r) => `{"${r.key}":"${r.effect ?? ''}"}`));
  if (conflicts.length > 0) return { error: `error: can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}` };
  return { add, remove };
}

const nodeTaints = (node: KubeObject): Taint[] => (Array.isArray(o(node.spec).taints) ? (o(node.spec).taints as Taint[]) : []);
const sameTaint = (a: { key: string; effect?: string }, b: { key: string; effect?: string }): boolean => a.key === b.key && a.effect === b.effect;
/** Taint.ToString() of a removal: "key" or "key:Effect". */
const removalText = (r: TaintRemoval): string => (r.effect ? `${r.key}:${r.effect}` : r.key);

/**
 * Applies parsed taint changes to a node (updateTaints/reorganizeTaints): the new taints
 * come first, then the old ones they do not replace. NoExecute taints record when they were added.
 */
export function applyTaints(node: KubeObject, parsed: ParsedTaints, overwrite: boolean, nowRfc3339: string): { node: KubeObject; message: string } | Failure {
  const old = nodeTaints(node);
  const name = node.metadata.name ?? '';
  if (!overwrite) {
    const existing = parsed.add.flatMap((t) => old.filter((x) => sameTaint(t, x)).map(() => t.key));
    if (existing.length > 0) return { error: `error: node ${name} already has ${existing.join(',')} taint(s) with same effect(s) and --overwrite is false` };
  }
  let taints: Taint[] = parsed.add.map((t) => (t.effect === 'NoExecute' ? { ...t, timeAdded: nowRfc3339 } : { ...t }));
  taints.push(...old.filter((x) => !taints.some((t) => sameTaint(t, x))));
  const added = old.length !== taints.length;
  const missing: string[] = [];
  let removed = false; // as in kubectl, only the last removal decides "untainted" vs "modified"
  for (const r of parsed.remove) {
    const kept = taints.filter((t) => (r.effect ? !sameTaint(r, t) : t.key !== r.key));
    removed = kept.length !== taints.length;
    if (!removed) missing.push(`taint "${removalText(r)}" not found`);
    taints = kept;
  }
  if (missing.length === 1) return { error: `error: ${missing[0] as string}` };
  // Several errors: kubectl prints each on its own line, without the "error: " prefix.
  if (missing.length > 1) return { error: missing.join('\n') };
  const operation = (added && removed) || overwrite ? 'modified' : added ? 'tainted' : 'untainted';
  const spec: Obj = { ...o(node.spec), taints };
  if (taints.length === 0) delete spec.taints;
  return { node: { ...node, spec }, message: `${nodeRef(node)} ${operation}` };
}

// ---------------------------------------------------------------- cordon

/** `kubectl cordon` (on) / `uncordon` (off). `changed` false: nothing to write. */
export function setUnschedulable(node: KubeObject, on: boolean): { node: KubeObject; changed: boolean; message: string } {
  const spec = o(node.spec);
  const verb = on ? 'cordoned' : 'uncordoned';
  if ((spec.unschedulable === true) === on) return { node, changed: false, message: `${nodeRef(node)} already ${verb}` };
  // unschedulable is omitempty: uncordoning drops the field.
  const { unschedulable: _old, ...rest } = spec;
  return { node: { ...node, spec: on ? { ...rest, unschedulable: true } : rest }, changed: true, message: `${nodeRef(node)} ${verb}` };
}

// ---------------------------------------------------------------- drain

export interface DrainOptions {
  ignoreDaemonsets: boolean;
  deleteEmptydirData: boolean;
  force: boolean;
  /** --disable-eviction: delete pods instead of evicting them (no PodDisruptionBudget check). */
  disableEviction?: boolean;
  /** Whether a DaemonSet still exists (pods of a deleted one are orphans); assumed true when absent. */
  daemonSetExists?: (namespace: string, name: string) => boolean;
}

export type DrainPlan =
  | {
      /** The pods to evict (or delete, see usingEviction), in the order given. */
      evict: KubeObject[];
      usingEviction: boolean;
      /** The stderr line "Warning: ignoring DaemonSet-managed Pods: ...", when there is one. */
      warning?: string;
    }
  | Failure;

type Verdict = { delete: boolean; kind: 'okay' | 'skip' | 'warning' | 'error'; message?: string };
const okay: Verdict = { delete: true, kind: 'okay' };

const finished = (pod: KubeObject): boolean => ['Succeeded', 'Failed'].includes(String(o(pod.status).phase));
const controllerOf = (pod: KubeObject): { kind: string; name: string } | undefined => pod.metadata.ownerReferences?.find((r) => r.controller === true);

/** The filters of pkg/drain/filters.go, in their order; the first that refuses a pod has the last word. */
function drainFilters(opts: DrainOptions): ((pod: KubeObject) => Verdict)[] {
  const daemonSet = (pod: KubeObject): Verdict => {
    const ref = controllerOf(pod);
    if (ref?.kind !== 'DaemonSet' || finished(pod)) return okay;
    if (opts.daemonSetExists && !opts.daemonSetExists(pod.metadata.namespace ?? 'default', ref.name)) {
      const notFound = `daemonsets.apps "${ref.name}" not found`;
      return opts.force ? { delete: true, kind: 'warning', message: notFound } : { delete: false, kind: 'error', message: notFound };
    }
    if (!opts.ignoreDaemonsets) return { delete: false, kind: 'error', message: 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)' };
    return { delete: false, kind: 'warning', message: 'ignoring DaemonSet-managed Pods' };
  };
  const mirror = (pod: KubeObject): Verdict => (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined ? { delete: false, kind: 'skip' } : okay);
  const localStorage = (pod: KubeObject): Verdict => {
    const volumes = Array.isArray(o(pod.spec).volumes) ? (o(pod.spec).volumes as Obj[]) : [];
    if (!volumes.some((v) => v.emptyDir !== undefined) || finished(pod)) return okay;
    if (!opts.deleteEmptydirData) return { delete: false, kind: 'error', message: 'Pods with local storage (use --delete-emptydir-data to override)' };
    return { delete: true, kind: 'warning', message: 'deleting Pods with local storage' };
  };
  const unreplicated = (pod: KubeObject): Verdict => {
    if (finished(pod) || controllerOf(pod) !== undefined) return okay;
    if (opts.force) return { delete: true, kind: 'warning', message: 'deleting Pods that declare no controller' };
    return { delete: false, kind: 'error', message: 'cannot delete Pods that declare no controller (use --force to override)' };
  };
  return [daemonSet, mirror, localStorage, unreplicated];
}

/** Pods grouped by message, in order of first appearance (kubectl iterates a Go map: random order). */
function groupByMessage(entries: { message: string; pod: KubeObject }[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const { message, pod } of entries) groups.set(message, [...(groups.get(message) ?? []), `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`]);
  return groups;
}

/**
 * What `kubectl drain NODE` does with the pods on the node (GetPodsForDeletion), after it has
 * cordoned it: the pods to evict and the warning, or the stderr text when some pod blocks
 * the drain. `pods` may be all pods; those not bound to the node are ignored.
 */
export function planDrain(node: KubeObject, pods: readonly KubeObject[], opts: DrainOptions): DrainPlan {
  const name = node.metadata.name ?? '';
  const filters = drainFilters(opts);
  const verdicts = pods
    .filter((p) => o(p.spec).nodeName === name)
    .map((pod) => {
      let verdict = okay;
      for (const filter of filters) {
        verdict = filter(pod);
        if (!verdict.delete) break;
      }
      return { pod, verdict };
    });
  const pick = (kind: Verdict['kind']) => verdicts.filter((v) => v.verdict.kind === kind).map((v) => ({ message: v.verdict.message ?? '', pod: v.pod }));
  const failed = groupByMessage(pick('error'));
  if (failed.size > 0) {
    // kubectl v1.31 prefixes every message with "cannot delete ", even one that already starts so.
    const errors = [...failed].map(([msg, refs]) => `cannot delete ${msg}: ${refs.join(', ')}`);
    const aggregate = errors.length === 1 ? (errors[0] as string) : `[${errors.join(', ')}]`;
    return {
      error: [`error: unable to drain node "${name}" due to error: ${aggregate}, continuing command...`, 'There are pending nodes to be drained:', ` ${name}`, ...errors].join('\n'),
    };
  }
  const warnings = [...groupByMessage(pick('warning'))].map(([msg, refs]) => `${msg}: ${refs.join(', ')}`);
  return {
    evict: verdicts.filter((v) => v.verdict.delete).map((v) => v.pod),
    usingEviction: opts.disableEviction !== true,
    ...(warnings.length > 0 ? { warning: `Warning: ${warnings.join('; ')}` } : {}),
  };
}

const podName = (pod: KubeObject): string => pod.metadata.name ?? '';
const podNamespace = (pod: KubeObject): string => pod.metadata.namespace ?? 'default';

/** stdout, before each eviction request (not printed when pods are deleted instead). */
export const evictingMessage = (pod: KubeObject): string => `evicting pod ${podNamespace(pod)}/${podName(pod)}`;

/** stdout, once the pod is gone. */
export const evictedMessage = (pod: KubeObject, usingEviction: boolean): string => `pod/${podName(pod)} ${usingEviction ? 'evicted' : 'deleted'}`;

/** stderr, when the API server refuses an eviction with 429 (a PodDisruptionBudget); kubectl retries after 5 s. */
export const evictionRetryMessage = (pod: KubeObject, reason = "Cannot evict pod as it would violate the pod's disruption budget."): string =>
  `error when evicting pods/"${podName(pod)}" -n "${podNamespace(pod)}" (will retry after 5s): ${reason}`;

/** stdout, when every pod is gone. */
export const drainedMessage = (node: KubeObject): string => `${nodeRef(node)} drained`;
