import type { KubeObject } from './apiObjects';

/**
 * Field selectors (`--field-selector spec.nodeName=worker-1,status.phase!=Running`). Like the
 * API server, only the fields each kind registers can be selected on; every kind has
 * metadata.name and metadata.namespace.
 */
export interface FieldRequirement {
  readonly field: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

type Getter = (o: KubeObject) => string;
type Obj = Record<string, unknown>;
const at = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Obj)[k] : undefined), o);
const str = (...path: string[]): Getter => (o) => {
  const v = at(o, ...path);
  return v === undefined || v === null ? '' : String(v);
};

/** The selectable fields per kind (the field-label conversion functions each API group registers). */
const FIELDS: Record<string, Record<string, Getter>> = {
  Pod: {
    'spec.nodeName': str('spec', 'nodeName'),
    'spec.restartPolicy': str('spec', 'restartPolicy'),
    'spec.schedulerName': str('spec', 'schedulerName'),
    'spec.serviceAccountName': str('spec', 'serviceAccountName'),
    'spec.hostNetwork': (o) => String(at(o, 'spec', 'hostNetwork') === true),
    'status.phase': str('status', 'phase'),
    'status.podIP': str('status', 'podIP'),
    'status.nominatedNodeName': str('status', 'nominatedNodeName'),
  },
  Event: {
    'involvedObject.kind': str('involvedObject', 'kind'),
    'involvedObject.namespace': str('involvedObject', 'namespace'),
    'involvedObject.name': str('involvedObject', 'name'),
    'involvedObject.uid': str('involvedObject', 'uid'),
    'involvedObject.apiVersion': str('involvedObject', 'apiVersion'),
    'involvedObject.resourceVersion': str('involvedObject', 'resourceVersion'),
    'involvedObject.fieldPath': str('involvedObject', 'fieldPath'),
    reason: str('reason'),
    reportingComponent: str('reportingComponent'),
    source: str('source', 'component'),
    type: str('type'),
  },
  Node: { 'spec.unschedulable': (o) => String(at(o, 'spec', 'unschedulable') === true) },
  Namespace: { 'status.phase': str('status', 'phase') },
  Secret: { type: str('type') },
  ReplicaSet: { 'status.replicas': str('status', 'replicas') },
  Job: { 'status.successful': str('status', 'succeeded') },
};

export function parseFieldSelector(kind: string, text: string): FieldRequirement[] | { error: string } {
  const reqs: FieldRequirement[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (m === null) return { error: `invalid selector: '${text}'; can't understand '${part}'` };
    const field = m[1] as string;
    if (field !== 'metadata.name' && field !== 'metadata.namespace' && FIELDS[kind]?.[field] === undefined) {
      return { error: `field label not supported: ${field}` };
    }
    reqs.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3] as string });
  }
  return reqs;
}

export function matchesFields(reqs: readonly FieldRequirement[], o: KubeObject): boolean {
  return reqs.every((r) => {
    const get = r.field === 'metadata.name' ? str('metadata', 'name') : r.field === 'metadata.namespace' ? str('metadata', 'namespace') : FIELDS[o.kind]?.[r.field];
    const value = get === undefined ? '' : get(o);
    return r.op === '=' ? value === r.value : value !== r.value;
  });
}
