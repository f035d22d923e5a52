/**
 * The client-side logic of `kubectl rollout status|history|undo|restart|pause|resume`
 * (k8s.io/kubectl/pkg/polymorphichelpers and pkg/cmd/rollout), as pure functions over
 * objects the caller has fetched. Every `error` is the text kubectl writes to stderr
 * (without the final newline); every `message` is one stdout line without its newline,
 * except rolloutStatus's and rolloutHistory's, which are given exactly as printed.
 */
import type { KubeObject } from '../engine/apiserver/apiObjects';
import { qualifiedName, RESOURCES, type ResourceType } from '../engine/apiserver/resources';
import { objectRef } from './printers';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export type Failure = { error: string };
/** The pod-template part of `kubectl describe` ("Pod Template:\n  Labels: ..."), ending with a newline. */
export type DescribeTemplate = (template: Obj) => string;

const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
const HASH_LABEL = 'pod-template-hash';
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** Kinds kubectl's apps visitor knows but that are not in RESOURCES, with their API group. */
const OTHER_VISITED: Record<string, string> = { ReplicationController: '', CronJob: 'batch' };
const VISITED = new Set(['DaemonSet', 'Deployment', 'Job', 'Pod', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'CronJob']);

const typeOf = (kind: string): ResourceType | undefined => RESOURCES.find((t) => t.kind === kind);
const groupOf = (kind: string): string => typeOf(kind)?.group ?? OTHER_VISITED[kind] ?? '';
/** schema.GroupKind.String(): "ReplicaSet.apps", "Pod". */
const groupKind = (kind: string): string => (groupOf(kind) === '' ? kind : `${kind}.${groupOf(kind)}`);
/** "deployment.apps/web", as kubectl's name printer writes it. */
const ref = (kind: string, name: string): string => {
  const t = typeOf(kind);
  return t ? objectRef(t, name) : `${kind.toLowerCase()}${groupOf(kind) === '' ? '' : `.${groupOf(kind)}`}/${name}`;
};
/** "deployments.apps", the resource as rollout pause/resume/restart name it in errors. */
const resourceName = (kind: string): string => {
  const t = typeOf(kind);
  return t ? qualifiedName(t) : `${kind.toLowerCase()}s`;
};

/** Why a helper does not exist for a kind, worded as polymorphichelpers does for `what` ("history", "rollbacker"). */
function noHelper(kind: string, what: 'history viewer' | 'rollbacker'): Failure {
  if (!VISITED.has(kind)) {
    // GroupKindElement has no String method, so Go prints the struct: "{ Service}".
    const verb = what === 'history viewer' ? 'history' : 'rollbacker';
    return { error: `error: error retrieving ${verb} for "${groupKind(kind)}", no visitor method exists for {${groupOf(kind)} ${kind}}` };
  }
  return { error: `error: no ${what} has been implemented for "${groupKind(kind)}"` };
}

/** deploymentutil.Revision: a missing annotation is revision 0, an unparsable one is no revision. */
function revisionOf(x: KubeObject): number | undefined {
  const v = x.metadata.annotations?.[REVISION];
  if (v === undefined) return 0;
  return /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

// ---------------------------------------------------------------- status

export type RolloutStatus = { done: boolean; message: string } | Failure;

/** One evaluation of `kubectl rollout status` (rollout_status.go); the caller repeats it while watching. */
export function rolloutStatus(obj: KubeObject, revision = 0): RolloutStatus {
  switch (obj.kind) {
    case 'Deployment':
      return deploymentStatus(obj, revision);
    case 'DaemonSet':
      return daemonSetStatus(obj);
    case 'StatefulSet':
      return statefulSetStatus(obj);
    default:
      return { error: `error: no status viewer has been implemented for ${groupKind(obj.kind)}` };
  }
}

function deploymentStatus(d: KubeObject, revision: number): RolloutStatus {
  const name = d.metadata.name ?? '';
  const spec = o(d.spec);
  const status = o(d.status);
  if (revision > 0) {
    const running = revisionOf(d);
    if (running === undefined) {
      const v = d.metadata.annotations?.[REVISION] ?? '';
      return { error: `error: cannot get the revision of deployment "${name}": strconv.ParseInt: parsing "${v}": invalid syntax` };
    }
    if (running !== revision) return { error: `error: desired revision (${revision}) is different from the running revision (${running})` };
  }
  if (num(d.metadata.generation) > num(status.observedGeneration)) {
    return { done: false, message: 'Waiting for deployment spec update to be observed...\n' };
  }
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Obj[]) : [];
  if (conditions.find((c) => c.type === 'Progressing')?.reason === 'ProgressDeadlineExceeded') {
    return { error: `error: deployment "${name}" exceeded its progress deadline` };
  }
  const waiting = (what: string): RolloutStatus => ({ done: false, message: `Waiting for deployment "${name}" rollout to finish: ${what}...\n` });
  const updated = num(status.updatedReplicas);
  if (typeof spec.replicas === 'number' && updated < spec.replicas) return waiting(`${updated} out of ${spec.replicas} new replicas have been updated`);
  if (num(status.replicas) > updated) return waiting(`${num(status.replicas) - updated} old replicas are pending termination`);
  if (num(status.availableReplicas) < updated) return waiting(`${num(status.availableReplicas)} of ${updated} updated replicas are available`);
  return { done: true, message: `deployment "${name}" successfully rolled out\n` };
}

/** The API server always defaults updateStrategy.type to RollingUpdate; read an undefaulted object the same way. */
const strategyType = (spec: Obj): unknown => o(spec.updateStrategy).type ?? 'RollingUpdate';

function daemonSetStatus(ds: KubeObject): RolloutStatus {
  const name = ds.metadata.name ?? '';
  const status = o(ds.status);
  // kubectl names the StatefulSet constant here; both read "RollingUpdate".
  if (strategyType(o(ds.spec)) !== 'RollingUpdate') return { error: 'error: rollout status is only available for RollingUpdate strategy type' };
  if (num(ds.metadata.generation) > num(status.observedGeneration)) {
    return { done: false, message: 'Waiting for daemon set spec update to be observed...\n' };
  }
  const desired = num(status.desiredNumberScheduled);
  const updated = num(status.updatedNumberScheduled);
  const available = num(status.numberAvailable);
  if (updated < desired) return { done: false, message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...\n` };
  if (available < desired) return { done: false, message: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...\n` };
  return { done: true, message: `daemon set "${name}" successfully rolled out\n` };
}

function statefulSetStatus(sts: KubeObject): RolloutStatus {
  const spec = o(sts.spec);
  const status = o(sts.status);
  if (strategyType(spec) !== 'RollingUpdate') return { error: 'error: rollout status is only available for RollingUpdate strategy type' };
  const observed = num(status.observedGeneration);
  if (observed === 0 || num(sts.metadata.generation) > observed) return { done: false, message: 'Waiting for statefulset spec update to be observed...\n' };
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : undefined;
  const ready = num(status.readyReplicas);
  if (replicas !== undefined && ready < replicas) return { done: false, message: `Waiting for ${replicas - ready} pods to be ready...\n` };
  const updated = num(status.updatedReplicas);
  // apps/v1 defaulting always fills rollingUpdate.partition (0), so kubectl always takes its
  // partitioned branch (the currentRevision/updateRevision one needs rollingUpdate to be nil).
  const partition = num(o(o(spec.updateStrategy).rollingUpdate).partition);
  if (replicas !== undefined && updated < replicas - partition) {
    return { done: false, message: `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...\n` };
  }
  return { done: true, message: `partitioned roll out complete: ${updated} new pods have been updated...\n` };
}

// ---------------------------------------------------------------- history

/** Go's tabwriter as history.go configures it (padding 2): every cell but the last padded to its column. */
function tabbed(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.slice(0, -1).forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length + 2)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('') + '\n').join('');
}

/** A ControllerRevision's pod template: its data is a patch `{"spec":{"template":{..., "$patch":"replace"}}}`. */
function revisionTemplate(cr: KubeObject): Obj {
  const { $patch: _ignored, ...template } = o(o(o(cr.data).spec).template);
  return template;
}

/**
 * `kubectl rollout history KIND/NAME [--revision=N]`: the whole stdout text, or the error.
 * `revisions` are the ReplicaSets a Deployment owns, or the ControllerRevisions of a
 * StatefulSet or DaemonSet. `describeTemplate` is needed only with a revision.
 */
export function rolloutHistory(
  kind: string,
  name: string,
  _owner: KubeObject,
  revisions: readonly KubeObject[],
  revision = 0,
  describeTemplate?: DescribeTemplate,
): { output: string } | Failure {
  if (revision < 0) return { error: `error: revision must be a positive integer: ${revision}` };
  if (kind !== 'Deployment' && kind !== 'StatefulSet' && kind !== 'DaemonSet') return noHelper(kind, 'history viewer');
  const history = kind === 'Deployment' ? deploymentHistory(revisions) : controllerHistory(revisions);
  const print = (text: string): { output: string } => ({ output: `${ref(kind, name)} ${revision > 0 ? `with revision #${revision}` : ''}\n${text}\n` });
  if (history.size === 0) return print('No rollout history found.');
  if (revision > 0) {
    const entry = history.get(revision);
    if (entry === undefined) return { error: 'error: unable to find the specified revision' };
    if (describeTemplate === undefined) throw new Error('rolloutHistory: describeTemplate is required to print a revision');
    return print(describeTemplate(entry.template));
  }
  const numbers = [...history.keys()].sort((a, b) => a - b);
  if (kind === 'StatefulSet') return print(tabbed([['REVISION'], ...numbers.map((n) => [String(n)])]));
  return print(tabbed([['REVISION', 'CHANGE-CAUSE'], ...numbers.map((n) => [String(n), history.get(n)?.changeCause || '<none>'])]));
}

type HistoryEntry = { template: Obj; changeCause: string };

/** Revision → template of each ReplicaSet; the change-cause is copied onto the template, as history.go does. */
function deploymentHistory(replicaSets: readonly KubeObject[]): Map<number, HistoryEntry> {
  const history = new Map<number, HistoryEntry>();
  for (const rs of replicaSets) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    const template = o(o(rs.spec).template);
    const changeCause = rs.metadata.annotations?.[CHANGE_CAUSE] ?? '';
    const meta = o(template.metadata);
    const annotations = { ...(o(meta.annotations) as Record<string, string>), ...(changeCause ? { [CHANGE_CAUSE]: changeCause } : {}) };
    history.set(v, { template: { ...template, metadata: { ...meta, annotations } }, changeCause: annotations[CHANGE_CAUSE] ?? '' });
  }
  return history;
}

function controllerHistory(crs: readonly KubeObject[]): Map<number, HistoryEntry> {
  const history = new Map<number, HistoryEntry>();
  for (const cr of crs) history.set(num(cr.revision), { template: revisionTemplate(cr), changeCause: cr.metadata.annotations?.[CHANGE_CAUSE] ?? '' });
  return history;
}

// ---------------------------------------------------------------- undo

/** Annotations a rollback keeps from the Deployment instead of copying them from the ReplicaSet. */
const KEPT_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

const isZero = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as Obj).length === 0);

/** apiequality.Semantic.DeepEqual over JSON: an absent field equals its zero value, nil equals empty. */
function semanticEqual(a: unknown, b: unknown): boolean {
  if (isZero(a) && isZero(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => semanticEqual((a as Obj)[k], (b as Obj)[k]));
  }
  return a === b;
}

function withoutHashLabel(template: Obj): Obj {
  const meta = o(template.metadata);
  if (meta.labels === undefined) return template;
  const { [HASH_LABEL]: _hash, ...labels } = o(meta.labels);
  return { ...template, metadata: { ...meta, labels } };
}

export type UndoResult = { object?: KubeObject; message: string } | Failure;

/**
 * `kubectl rollout undo KIND/NAME [--to-revision=N]` (rollback.go). For a Deployment
 * `revisions` are its ReplicaSets; for a StatefulSet or DaemonSet its ControllerRevisions.
 * Without `object` nothing is to be written (the rollback was skipped).
 */
export function rolloutUndo(obj: KubeObject, revisions: readonly KubeObject[], toRevision = 0): UndoResult {
  if (obj.kind !== 'Deployment' && obj.kind !== 'StatefulSet' && obj.kind !== 'DaemonSet') return noHelper(obj.kind, 'rollbacker');
  if (toRevision < 0) return notInHistory(toRevision);
  return obj.kind === 'Deployment' ? undoDeployment(obj, revisions, toRevision) : undoFromControllerRevision(obj, revisions, toRevision);
}

const notInHistory = (r: number): Failure => ({ error: `error: unable to find specified revision ${r} in history` });
const skipped = (obj: KubeObject, r: number): UndoResult => ({
  message: `${ref(obj.kind, obj.metadata.name ?? '')} skipped rollback (current template already matches revision ${r})`,
});

/** The ReplicaSet to go back to: the given revision, or with 0 the second newest. */
function pickReplicaSet(d: KubeObject, replicaSets: readonly KubeObject[], toRevision: number): { rs: KubeObject } | Failure {
  let latest: { v: number; rs?: KubeObject } = { v: -1 };
  let previous: { v: number; rs?: KubeObject } = { v: -1 };
  for (const rs of replicaSets) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    if (toRevision > 0) {
      if (v === toRevision) return { rs };
    } else if (latest.v < v) {
      previous = latest;
      latest = { v, rs };
    } else if (previous.v < v) previous = { v, rs };
  }
  if (toRevision > 0) return notInHistory(toRevision);
  return previous.rs ? { rs: previous.rs } : { error: `error: no rollout history found for deployment "${d.metadata.name ?? ''}"` };
}

function undoDeployment(d: KubeObject, replicaSets: readonly KubeObject[], toRevision: number): UndoResult {
  const name = d.metadata.name ?? '';
  const picked = pickReplicaSet(d, replicaSets, toRevision);
  if ('error' in picked) return picked;
  const target = o(o(picked.rs.spec).template);
  if (o(d.spec).paused === true) {
    return { error: `error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again` };
  }
  if (semanticEqual(withoutHashLabel(target), withoutHashLabel(o(o(d.spec).template)))) return skipped(d, toRevision);
  // The Deployment's annotations are replaced: its bookkeeping ones stay, the rest come from the ReplicaSet.
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (KEPT_ANNOTATIONS.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries(picked.rs.metadata.annotations ?? {})) if (!KEPT_ANNOTATIONS.has(k)) annotations[k] = v;
  const object: KubeObject = { ...d, metadata: { ...d.metadata, annotations }, spec: { ...o(d.spec), template: withoutHashLabel(target) } };
  return { object, message: `${ref(d.kind, name)} rolled back` };
}

function undoFromControllerRevision(obj: KubeObject, crs: readonly KubeObject[], toRevision: number): UndoResult {
  if (toRevision === 0 && crs.length <= 1) return { error: 'error: no last revision to roll back to' };
  const sorted = [...crs].sort((a, b) => num(a.revision) - num(b.revision));
  const target = toRevision === 0 ? sorted[sorted.length - 2] : crs.find((cr) => num(cr.revision) === toRevision);
  if (target === undefined) return notInHistory(toRevision);
  const template = revisionTemplate(target);
  if (semanticEqual(template, o(o(obj.spec).template))) return skipped(obj, toRevision);
  return { object: { ...obj, spec: { ...o(obj.spec), template } }, message: `${ref(obj.kind, obj.metadata.name ?? '')} rolled back` };
}

// ---------------------------------------------------------------- restart, pause, resume

export type RolloutChange = { object: KubeObject; message: string } | Failure;

/** The error rollout pause/resume/restart print for one object: `error: deployments.apps "web" is already paused`. */
const objectError = (obj: KubeObject, what: string): Failure => ({ error: `error: ${resourceName(obj.kind)} "${obj.metadata.name ?? ''}" ${what}` });

/** `kubectl rollout restart`: stamps the pod template so that the controller rolls every pod. */
export function restartedAt(obj: KubeObject, nowRfc3339: string): RolloutChange {
  if (obj.kind !== 'Deployment' && obj.kind !== 'DaemonSet' && obj.kind !== 'StatefulSet') return objectError(obj, 'restarting is not supported');
  const spec = o(obj.spec);
  if (obj.kind === 'Deployment' && spec.paused === true) return objectError(obj, "can't restart paused deployment (run rollout resume first)");
  const template = o(spec.template);
  const meta = o(template.metadata);
  const annotations = { ...o(meta.annotations), [RESTARTED_AT]: nowRfc3339 };
  const object = { ...obj, spec: { ...spec, template: { ...template, metadata: { ...meta, annotations } } } };
  return { object, message: `${ref(obj.kind, obj.metadata.name ?? '')} restarted` };
}

/** `kubectl rollout pause`: only Deployments can be paused. */
export function rolloutPause(obj: KubeObject): RolloutChange {
  return setPaused(obj, true);
}

/** `kubectl rollout resume`. */
export function rolloutResume(obj: KubeObject): RolloutChange {
  return setPaused(obj, false);
}

function setPaused(obj: KubeObject, paused: boolean): RolloutChange {
  if (obj.kind !== 'Deployment') return objectError(obj, paused ? 'pausing is not supported' : 'resuming is not supported');
  const spec = o(obj.spec);
  if ((spec.paused === true) === paused) return objectError(obj, paused ? 'is already paused' : 'is not paused');
  // spec.paused is omitempty: resuming drops the field.
  const { paused: _old, ...rest } = spec;
  const object = { ...obj, spec: paused ? { ...rest, paused: true } : rest };
  return { object, message: `${ref(obj.kind, obj.metadata.name ?? '')} ${paused ? 'paused' : 'resumed'}` };
}
