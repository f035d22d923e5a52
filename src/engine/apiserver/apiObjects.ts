import type { ResourceType } from './resources';
import { qualifiedName } from './resources';

/** Any Kubernetes object, as plain JSON data. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }[];
  finalizers?: string[];
  [field: string]: unknown;
}

/** metav1.StatusReason values, as the API server sends them ("" for an unclassified error). */
export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Forbidden'
  | 'TooManyRequests'
  | 'Expired'
  | 'MethodNotAllowed'
  | 'ServiceUnavailable'
  | 'InternalError'
  | 'Timeout'
  | '';

export interface FieldCause {
  readonly reason: string;
  readonly message: string;
  readonly field: string;
}

/** A metav1.Status failure: what kubectl prints as "Error from server (Reason): message". */
export interface Status {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: StatusReason;
  readonly details?: { readonly name?: string; readonly group?: string; readonly kind?: string; readonly causes?: readonly FieldCause[] };
  readonly code: number;
}

export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: Status };

function status(code: number, reason: StatusReason, message: string, details?: Status['details']): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

export const notFound = (t: ResourceType, name: string): Status =>
  status(404, 'NotFound', `${qualifiedName(t)} "${name}" not found`, { name, group: t.group, kind: t.plural });

export const alreadyExists = (t: ResourceType, name: string): Status =>
  status(409, 'AlreadyExists', `${qualifiedName(t)} "${name}" already exists`, { name, group: t.group, kind: t.plural });

export const conflict = (t: ResourceType, name: string): Status =>
  status(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(t)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: t.group, kind: t.plural },
  );

export const badRequest = (message: string): Status => status(400, 'BadRequest', message);

/** 403: `namespaces "default" is forbidden: this namespace may not be deleted`. */
export const forbidden = (t: ResourceType, name: string, why: string): Status =>
  status(403, 'Forbidden', `${qualifiedName(t)} "${name}" is forbidden: ${why}`, { name, group: t.group, kind: t.plural });

/** 429 with the cause kubectl drain shows: an eviction a PodDisruptionBudget refuses. */
export const tooManyRequests = (message: string, cause?: FieldCause): Status =>
  status(429, 'TooManyRequests', message, cause === undefined ? undefined : { causes: [cause] });

/** 410 Gone: a watch or list from a resourceVersion etcd has compacted away. */
export const expired = (message: string): Status => status(410, 'Expired', message);

export const methodNotAllowed = (message: string): Status => status(405, 'MethodNotAllowed', message);

export const serviceUnavailable = (message: string): Status => status(503, 'ServiceUnavailable', message);

/** An error from etcd, passed on as kube-apiserver does: "Error from server: etcdserver: request timed out". */
export const storageError = (message: string): Status => status(500, '', message);

/** A field error as Kubernetes words it: "spec.replicas: Invalid value: -1: must be greater than or equal to 0". */
export interface FieldError {
  readonly field: string;
  readonly type: 'Required value' | 'Invalid value' | 'Duplicate value' | 'Unsupported value' | 'Forbidden';
  readonly value?: unknown;
  /** The value already written as Go prints it (a struct: `v1.LabelSelector{…}`), used instead of value. */
  readonly goValue?: string;
  readonly detail?: string;
}

export function formatFieldError(e: FieldError): string {
  if (e.type === 'Required value') return `${e.field}: Required value${e.detail ? `: ${e.detail}` : ''}`;
  const value = e.goValue !== undefined ? `${e.goValue}: ` : 'value' in e ? `${goValue(e.value)}: ` : '';
  return `${e.field}: ${e.type}: ${value}${e.detail ?? ''}`.replace(/: $/, '');
}

/** `Deployment.apps "web" is invalid: field: …`, or `[…, …]` for several. */
export function invalid(t: ResourceType, name: string, errors: readonly FieldError[]): Status {
  const kindName = t.group === '' ? t.kind : `${t.kind}.${t.group}`;
  const listed = errors.map(formatFieldError);
  const body = listed.length === 1 ? listed[0] : `[${listed.join(', ')}]`;
  return status(422, 'Invalid', `${kindName} "${name}" is invalid: ${body}`, {
    name,
    group: t.group,
    kind: t.kind,
    causes: errors.map((e) => ({ reason: `Field${e.type.replace(/ value$/, 'Value').replace(/ /g, '')}`, message: formatFieldError(e).slice(e.field.length + 2), field: e.field })),
  });
}

/** Values as Go's %#v prints them in API errors: "web", 3, map[string]string{"app":"web"}. */
export function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[]interface {}{${v.map(goValue).join(', ')}}`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    if (entries.every(([, x]) => typeof x === 'string')) return `map[string]string{${entries.map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`).join(', ')}}`;
    return `map[string]interface {}{${entries.map(([k, x]) => `${JSON.stringify(k)}:${goValue(x)}`).join(', ')}}`;
  }
  return String(v);
}
