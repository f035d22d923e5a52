import { milliCpu, bytes } from '../quantity';
import type { FieldError, KubeObject } from './apiObjects';
import { canonical } from './canonical';

/**
 * What each kind's REST strategy in kube-apiserver does beyond validation: which kinds keep a
 * generation, which have a status subresource (so the main resource cannot write status, and
 * /status cannot write anything else), what a new object's status starts as, and the fields
 * that may not change after creation.
 */
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** Kinds whose metadata.generation counts spec changes (pods do not have one before 1.33). */
const GENERATION_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']);

/** Kinds served with a status subresource. */
export const STATUS_KINDS = new Set([
  'Pod',
  'Node',
  'Namespace',
  'Service',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
]);

/** Status counters without omitempty in the Go types: a new object shows them as 0. */
const ZERO_STATUS_FIELDS: Record<string, readonly string[]> = {
  ReplicaSet: ['replicas'],
  StatefulSet: ['replicas', 'availableReplicas'],
  DaemonSet: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
  HorizontalPodAutoscaler: ['desiredReplicas'],
  PodDisruptionBudget: ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'],
};

export function hasGeneration(kind: string): boolean {
  return GENERATION_KINDS.has(kind);
}

/** PrepareForCreate: status is the server's, not the client's (nodes register with theirs). */
export function prepareForCreate(o: KubeObject): void {
  if (hasGeneration(o.kind)) o.metadata.generation = 1;
  switch (o.kind) {
    case 'Pod':
      o.status = { phase: 'Pending', qosClass: qosClass(obj(o.spec)) };
      break;
    case 'Namespace':
      o.spec = { finalizers: ['kubernetes'] };
      o.status = { phase: 'Active' };
      break;
    case 'Service':
      o.status = { loadBalancer: {} };
      break;
    case 'PersistentVolume':
    case 'PersistentVolumeClaim':
      o.status = { phase: 'Pending' };
      break;
    case 'Node':
      break;
    default:
      // The zero status, with the counters Go always serialises (no omitempty) present as 0.
      if (STATUS_KINDS.has(o.kind)) o.status = Object.fromEntries((ZERO_STATUS_FIELDS[o.kind] ?? []).map((f) => [f, 0]));
  }
}

/**
 * PrepareForUpdate of the main resource, then ValidateUpdate: keeps status (for kinds with a
 * status subresource) and what only the server sets, and refuses changes to immutable fields.
 */
export function prepareForUpdate(next: KubeObject, current: KubeObject): FieldError[] {
  const m = current.metadata;
  next.metadata = { ...next.metadata, uid: m.uid, creationTimestamp: m.creationTimestamp };
  for (const k of ['deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
    if (m[k] === undefined) delete next.metadata[k];
    else (next.metadata as Record<string, unknown>)[k] = m[k];
  }
  if (STATUS_KINDS.has(next.kind)) {
    if (current.status === undefined) delete next.status;
    else next.status = current.status;
  }
  if (next.kind === 'Namespace') next.spec = current.spec;
  if (hasGeneration(next.kind)) {
    const changed = canonical(current.spec) !== canonical(next.spec);
    next.metadata.generation = (m.generation ?? 1) + (changed ? 1 : 0);
  } else delete next.metadata.generation;
  if (next.kind === 'Service') keepAllocations(obj(next.spec), obj(current.spec));
  return validateUpdate(next, current);
}

/** A status update (the /status subresource): only status changes. */
export function statusUpdate(next: KubeObject, current: KubeObject): KubeObject {
  return { ...current, metadata: { ...current.metadata }, status: next.status };
}

/** A Service update that leaves out its cluster IP or node ports keeps the allocated ones. */
function keepAllocations(spec: Obj, old: Obj): void {
  for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) if (spec[k] === undefined && old[k] !== undefined) spec[k] = old[k];
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    for (const p of list(spec.ports)) {
      if (p.nodePort !== undefined) continue;
      const was = list(old.ports).find((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      if (was?.nodePort !== undefined) p.nodePort = was.nodePort;
    }
  }
}

function validateUpdate(next: KubeObject, current: KubeObject): FieldError[] {
  const spec = obj(next.spec);
  const old = obj(current.spec);
  const errors: FieldError[] = [];
  const immutable = (field: string, a: unknown, b: unknown, shown?: string): void => {
    if (canonical(a) !== canonical(b)) errors.push({ field, type: 'Invalid value', ...(shown === undefined ? { value: a } : { goValue: shown }), detail: 'field is immutable' });
  };
  switch (next.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
      immutable('spec.selector', spec.selector, old.selector, goLabelSelector(spec.selector));
      break;
    case 'StatefulSet': {
      const mutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
      const strip = (s: Obj): Obj => Object.fromEntries(Object.entries(s).filter(([k]) => !mutable.includes(k)));
      if (canonical(strip(spec)) !== canonical(strip(old))) {
        errors.push({
          field: 'spec',
          type: 'Forbidden',
          detail:
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        });
      }
      break;
    }
    case 'Job':
      immutable('spec.selector', spec.selector, old.selector, goLabelSelector(spec.selector));
      if (canonical(spec.template) !== canonical(old.template)) errors.push({ field: 'spec.template', type: 'Invalid value', goValue: 'core.PodTemplateSpec{…}', detail: 'field is immutable' });
      immutable('spec.completions', spec.completions, old.completions);
      break;
    case 'Service':
      if (old.clusterIP !== undefined && spec.clusterIP !== old.clusterIP) {
        errors.push({ field: 'spec.clusterIPs[0]', type: 'Invalid value', goValue: `[]string{${JSON.stringify(spec.clusterIP ?? '')}}`, detail: 'may not change once set' });
      }
      break;
    case 'Pod':
      if (!podUpdateAllowed(spec, old)) {
        errors.push({
          field: 'spec',
          type: 'Forbidden',
          detail:
            'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
        });
      }
      break;
    case 'PersistentVolumeClaim': {
      // The PV controller binds by writing volumeName once, while it is still empty.
      const binding = old.volumeName === undefined || old.volumeName === '';
      const strip = (s: Obj): Obj => ({ ...s, resources: { ...obj(s.resources), requests: undefined }, volumeAttributesClassName: undefined, ...(binding ? { volumeName: undefined } : {}) });
      if (canonical(strip(spec)) !== canonical(strip(old))) {
        errors.push({ field: 'spec', type: 'Forbidden', detail: 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims' });
      }
      break;
    }
  }
  return errors;
}

/** Pod specs may change only in images, activeDeadlineSeconds and added tolerations. */
function podUpdateAllowed(spec: Obj, old: Obj): boolean {
  const strip = (s: Obj): Obj => ({
    ...s,
    containers: list(s.containers).map((c) => ({ ...c, image: undefined })),
    initContainers: list(s.initContainers).map((c) => ({ ...c, image: undefined })),
    activeDeadlineSeconds: undefined,
    tolerations: undefined,
    // nodeName is set once, by the binding subresource.
    nodeName: old.nodeName === undefined ? undefined : s.nodeName,
  });
  const kept = list(old.tolerations).every((t) => list(spec.tolerations).some((u) => canonical(u) === canonical(t)));
  return kept && canonical(strip(spec)) === canonical(strip(old));
}

/** The pod's QoS class, as the API server computes it on create. */
export function qosClass(spec: Obj): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...list(spec.containers), ...list(spec.initContainers)];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const requests = obj(obj(c.resources).requests);
    const limits = obj(obj(c.resources).limits);
    if (Object.keys(requests).length > 0 || Object.keys(limits).length > 0) any = true;
    for (const [res, amount] of [
      ['cpu', milliCpu],
      ['memory', bytes],
    ] as const) {
      const lim = limits[res] as string | number | undefined;
      const req = (requests[res] ?? lim) as string | number | undefined;
      if (lim === undefined || req === undefined || amount(req) !== amount(lim)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** A label selector as Go's %#v prints it in "field is immutable" errors. */
function goLabelSelector(sel: unknown): string {
  const labels = obj(obj(sel).matchLabels);
  const keys = Object.keys(labels).sort();
  const ml = keys.length === 0 ? 'map[string]string(nil)' : `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(labels[k])}`).join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`;
}

/**
 * The Job strategy's selector generation (manualSelector unset): the selector is the Job's own
 * UID, and the template gets the labels that select it, old and new names.
 */
export function generateJobSelector(o: KubeObject): void {
  if (o.kind !== 'Job') return;
  const spec = (o.spec ?? {}) as { manualSelector?: boolean; selector?: unknown; template?: { metadata?: { labels?: Record<string, string> } } };
  if (spec.manualSelector === true) return;
  const uid = o.metadata.uid ?? '';
  const name = o.metadata.name ?? '';
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  const template = (spec.template ??= {});
  const metadata = (template.metadata ??= {});
  metadata.labels = { ...metadata.labels, 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': name, 'controller-uid': uid, 'job-name': name };
  o.spec = spec;
}
