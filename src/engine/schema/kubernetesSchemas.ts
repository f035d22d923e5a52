import { KUBERNETES_SCHEMAS } from '../../generated/kubernetes-schemas';
import { type JsonSchema, type SchemaError, validateSchema } from './jsonSchema';

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
  return validateSchema(schema, value, root as unknown as JsonSchema);
}
