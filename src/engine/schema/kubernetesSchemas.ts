import { KUBERNETES_SCHEMAS } from '../../generated/kubernetes-schemas';
import { type JsonSchema, refName, type SchemaError, validateSchema } from './jsonSchema';

/**
 * The JSON Schemas of the kinds Kubeplay serves, generated at build time from the
 * official Kubernetes types (the kubernetes-types package; see
 * scripts/generate-schemas.mjs), never written by hand.
 */
const root = KUBERNETES_SCHEMAS as { generatedFrom: string; kinds: Record<string, JsonSchema>; definitions: Record<string, JsonSchema> };

/** Where the schemas came from, e.g. "kubernetes-types@1.30.0 …". */
export const SCHEMA_SOURCE = root.generatedFrom;

/** "apps/v1/Deployment", …: every apiVersion/kind pair with a schema. */
export function knownKinds(): string[] {
  return Object.keys(root.kinds);
}

export function schemaFor(apiVersion: string, kind: string): JsonSchema | undefined {
  return root.kinds[`${apiVersion}/${kind}`];
}

/** Validates an object against the schema of its kind; undefined if the kind has no schema. */
export function validateAgainstKind(apiVersion: string, kind: string, value: unknown): SchemaError[] | undefined {
  const schema = schemaFor(apiVersion, kind);
  if (schema === undefined) return undefined;
  return validateSchema(schema, value, root as unknown as JsonSchema, { nullAsUnset: true });
}

/** Integer fields that are int64 in the Go types (the rest of the served kinds' integers are int32). */
const INT64_FIELDS = new Set([
  'activeDeadlineSeconds',
  'deletionGracePeriodSeconds',
  'expirationSeconds',
  'fsGroup',
  'generation',
  'observedGeneration',
  'runAsGroup',
  'runAsUser',
  'startingDeadlineSeconds',
  'terminationGracePeriodSeconds',
  'tolerationSeconds',
]);

/** The Go type of a field, as encoding/json names it in an UnmarshalTypeError. */
function goType(schema: JsonSchema, field: string): string {
  const name = refName(schema, root as unknown as JsonSchema);
  if (name === 'Quantity') return 'resource.Quantity';
  if (name === 'Time' || name === 'MicroTime') return 'string';
  const s = name === undefined ? schema : (root.definitions[name] ?? schema);
  if (s['x-kubernetes-int-or-string'] || (Array.isArray(s.type) && s.type.includes('integer') && s.type.includes('string'))) return 'intstr.IntOrString';
  if (name !== undefined && s.type === 'object') return `${name.startsWith('HorizontalPodAutoscaler') || name.startsWith('HPA') || name.startsWith('Metric') ? 'v2' : 'v1'}.${name.replace(/^.*[._]/, '')}`;
  switch (Array.isArray(s.type) ? s.type[0] : s.type) {
    case 'integer':
      return INT64_FIELDS.has(field) ? 'int64' : 'int32';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'array':
      return `[]${s.items === undefined ? 'interface {}' : goType(s.items, field)}`;
    case 'object':
      return `map[string]${typeof s.additionalProperties === 'object' ? goType(s.additionalProperties, field) : 'interface {}'}`;
    default:
      return 'interface {}';
  }
}

/**
 * kube-apiserver's decoding error for a value of the wrong type, in Go's words:
 * `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`.
 * Undefined when the error is not a type mismatch.
 */
export function goDecodeError(e: SchemaError): string | undefined {
  const m = e.mismatch;
  if (m === undefined || m.owner === undefined) return undefined;
  const fields = e.path.filter((p): p is string => typeof p === 'string');
  const field = fields.at(-1) ?? '';
  const value = m.got === 'integer' || m.got === 'number' ? (Number.isInteger(m.value) ? 'number' : `number ${String(m.value)}`) : m.got === 'boolean' ? 'bool' : m.got;
  const owner = m.owner.replace(/^.*[._]/, '');
  return `json: cannot unmarshal ${value} into Go struct field ${owner}.${fields.join('.')} of type ${goType(m.want, field)}`;
}
