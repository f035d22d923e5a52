import { objectString } from '../objectRef';
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { matchesFields, parseFieldSelector } from '../../engine/apiserver/fieldSelector';
import { matchesSelector, parseLabelSelector } from '../../engine/apiserver/labelSelector';
import { etcdKey, RESOURCES } from '../../engine/apiserver/resources';
import type { ClusterView } from '../../engine/clusterView';
import type { SchedulingDecision } from '../../engine/scheduler/framework';
import { parseRfc3339 } from '../../engine/virtualTime';
import { describeObject, relatedQueries, type DescribeContext } from '../../kubectl/describe';
import { involves } from '../../kubectl/describe/events';
import { printData } from '../../kubectl/printers';
import type { EventRecord, Inspection, NodeVerdictView, ObjectRef } from '../protocol';

/** What an inspection reads: the observer's view of the objects, the virtual time, the scheduler's last word on a pod. */
export interface InspectContext {
  readonly view: ClusterView;
  readonly now: number;
  decisionOf(podUid: string): (SchedulingDecision & { at: number }) | undefined;
}

type Obj = Record<string, unknown>;
type DesiredVsObserved = NonNullable<Inspection['desiredVsObserved']>;

const o = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * Everything the inspector shows about one object: `kubectl get -o yaml`, `kubectl describe`
 * (with the same related lists kubectl fetches, read from the view instead of the API, so the
 * text is the same and looking changes nothing), its events, spec next to status for
 * workloads, and the scheduler's per-node verdicts for a pod.
 */
export function inspect(ctx: InspectContext, ref: ObjectRef): Inspection {
  const type = RESOURCES.find((t) => t.kind === ref.kind);
  const object = type === undefined ? undefined : ctx.view.get(type.plural, type.namespaced ? ref.namespace : undefined, ref.name);
  const target: KubeObject = object ?? { apiVersion: '', kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace === '' ? {} : { namespace: ref.namespace }) } };
  const events = eventsAbout(ctx.view, target);
  return {
    ref,
    yaml: object === undefined ? null : printData('yaml', object),
    describe: object === undefined ? null : describeObject(object, describeContext(ctx, object, events)),
    events: events
      .map(toEventRecord)
      .filter((e): e is EventRecord => e !== undefined)
      .sort((a, b) => a.atMs - b.atMs),
    desiredVsObserved: object === undefined ? null : desiredVsObserved(object),
    scheduling: object?.kind === 'Pod' ? scheduling(ctx, object) : null,
  };
}

// ---- describe: kubectl's requests, answered from the view ----------------------------------------

/** What the describe command fills in from its requests (src/kubectl/commands/describe.ts). */
function describeContext(ctx: InspectContext, object: KubeObject, events: readonly KubeObject[]): DescribeContext {
  const out: { -readonly [K in keyof DescribeContext]: DescribeContext[K] } = { now: ctx.now, events, showEvents: true };
  for (const q of relatedQueries(object)) {
    if (q.verb === 'get') {
      if (q.into === 'lease') out.lease = ctx.view.get(q.resource, q.namespace, q.name ?? '') ?? null;
      continue;
    }
    if (q.into === 'lease') continue;
    out[q.into] = listLike(ctx.view, q.resource, q);
  }
  return out;
}

/**
 * A LIST as the API server answers it: one namespace or all, label and field selectors, in
 * etcd key order (kubectl keeps that order, and describe's tables and ties follow it).
 */
export function listLike(view: ClusterView, plural: string, q: { namespace?: string | undefined; labelSelector?: string | undefined; fieldSelector?: string | undefined }): KubeObject[] {
  const type = RESOURCES.find((t) => t.plural === plural);
  if (type === undefined) return [];
  const labels = q.labelSelector ? parseLabelSelector(q.labelSelector) : [];
  const fields = q.fieldSelector ? parseFieldSelector(type.kind, q.fieldSelector) : [];
  // kubectl would print the API server's 400 instead; an empty list is the closest a view can say.
  if ('error' in labels || 'error' in fields) return [];
  const key = (x: KubeObject): string => etcdKey(type, x.metadata.namespace, x.metadata.name ?? '');
  return view
    .list(plural)
    .filter((x) => (q.namespace === undefined || !type.namespaced || x.metadata.namespace === q.namespace) && matchesSelector(labels, x.metadata.labels) && matchesFields(fields, x))
    .sort((a, b) => byteOrder(key(a), key(b)));
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The events describe fetches: the object's namespace (all for a cluster-scoped one), by
 * involvedObject name, kind and uid (not for a Node: the kubelet names it by name in the uid),
 * then kept as describe keeps them. An object that is gone is matched without a uid.
 */
function eventsAbout(view: ClusterView, target: KubeObject): KubeObject[] {
  const uid = target.kind === 'Node' || target.metadata.uid === undefined ? '' : `,involvedObject.uid=${target.metadata.uid}`;
  const fieldSelector = `involvedObject.name=${target.metadata.name ?? ''},involvedObject.kind=${target.kind}${uid}`;
  return listLike(view, 'events', { namespace: target.metadata.namespace, fieldSelector }).filter((e) => involves(e, target));
}

// ---- events --------------------------------------------------------------------------------------

/** A core/v1 Event as the timeline and the inspector list it; undefined for anything else. */
export function toEventRecord(e: KubeObject): EventRecord | undefined {
  if (e.kind !== 'Event') return undefined;
  const inv = o(e.involvedObject);
  const series = o(e.series);
  const when = [e.lastTimestamp, series.lastObservedTime, e.eventTime, e.firstTimestamp, e.metadata.creationTimestamp]
    .map((t) => (typeof t === 'string' ? parseRfc3339(t) : undefined))
    .find((t) => t !== undefined);
  const ns = str(inv.namespace);
  const count = typeof e.count === 'number' ? e.count : typeof series.count === 'number' ? series.count : 1;
  return {
    id: `${e.metadata.uid ?? `${e.metadata.namespace ?? ''}/${e.metadata.name ?? ''}`}:${count}`,
    atMs: when ?? 0,
    type: e.type === 'Warning' ? 'Warning' : 'Normal',
    reason: str(e.reason),
    object: objectString({ kind: str(inv.kind), namespace: ns, name: str(inv.name) }),
    message: str(e.message).trim(),
    count,
    source: str(o(e.source).component) || str(e.reportingComponent) || str(e.reportingController),
  };
}

// ---- desired vs observed ---------------------------------------------------------------------------

/** spec.replicas, defaulted to 1 as the API server does. */
const replicasOf = (x: KubeObject): number => (typeof o(x.spec).replicas === 'number' ? num(o(x.spec).replicas) : 1);

/** Rows named by the status field, each against what the spec asks for. */
function rows(desired: number, status: Obj, fields: readonly string[]): DesiredVsObserved {
  return fields.map((field) => ({ field, desired: String(desired), observed: String(num(status[field])) }));
}

/** The controller has seen the latest spec when status.observedGeneration reaches metadata.generation. */
function generationRow(x: KubeObject): DesiredVsObserved[number] {
  return { field: 'observedGeneration', desired: String(num(x.metadata.generation)), observed: String(num(o(x.status).observedGeneration)) };
}

/** Spec next to status for workloads; null for other kinds. */
export function desiredVsObserved(x: KubeObject): DesiredVsObserved | null {
  const status = o(x.status);
  switch (x.kind) {
    case 'Deployment':
      return [...rows(replicasOf(x), status, ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas']), generationRow(x)];
    case 'ReplicaSet':
      return [...rows(replicasOf(x), status, ['replicas', 'readyReplicas', 'availableReplicas']), generationRow(x)];
    case 'StatefulSet':
      return [...rows(replicasOf(x), status, ['replicas', 'readyReplicas', 'updatedReplicas', 'availableReplicas']), generationRow(x)];
    case 'DaemonSet':
      // A DaemonSet's "desired" is the controller's own count of nodes that should run it.
      return [...rows(num(status.desiredNumberScheduled), status, ['currentNumberScheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable']), generationRow(x)];
    case 'Job':
      return jobRows(x);
    default:
      return null;
  }
}

/** succeeded against completions; active against what the Job controller would run now (none once finished). */
function jobRows(x: KubeObject): DesiredVsObserved {
  const spec = o(x.spec);
  const status = o(x.status);
  const completions = typeof spec.completions === 'number' ? spec.completions : 1;
  const parallelism = typeof spec.parallelism === 'number' ? spec.parallelism : 1;
  const finished = (Array.isArray(status.conditions) ? (status.conditions as unknown[]) : []).map(o).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  const wantActive = finished ? 0 : Math.max(0, Math.min(parallelism, completions - num(status.succeeded)));
  return [
    { field: 'succeeded', desired: String(completions), observed: String(num(status.succeeded)) },
    { field: 'active', desired: String(wantActive), observed: String(num(status.active)) },
  ];
}

// ---- scheduling ----------------------------------------------------------------------------------

function scheduling(ctx: InspectContext, pod: KubeObject): Inspection['scheduling'] {
  const decision = pod.metadata.uid === undefined ? undefined : ctx.decisionOf(pod.metadata.uid);
  if (decision === undefined) return null;
  const verdicts: NodeVerdictView[] = decision.nodes.map((v) => ({
    node: v.node,
    reason: v.filter.code === 'Success' ? '' : v.filter.reasons.join(', ') || (v.filter.plugin ?? v.filter.code),
    ...(v.total === undefined ? {} : { score: v.total }),
  }));
  return { atMs: decision.at, node: decision.node, message: decision.message, verdicts };
}
