/** A JSON Schema node, loosely typed: the generated definitions are plain JSON. */
export type Schema = { [key: string]: unknown };

/** The shape of src/generated/kubernetes-schemas.full.json. */
export interface GeneratedSchemas {
  /** "apps/v1/Deployment" → { $ref: "#/definitions/apps_v1_Deployment" }. */
  readonly kinds: Readonly<Record<string, { readonly $ref: string }>>;
  readonly definitions: Readonly<Record<string, Schema>>;
}

export interface KindKey {
  readonly apiVersion: string;
  readonly kind: string;
}

/** "apps/v1/Deployment" → apps/v1 + Deployment; "v1/Pod" → v1 + Pod. */
export function splitKindKey(key: string): KindKey {
  const slash = key.lastIndexOf('/');
  return { apiVersion: key.slice(0, slash), kind: key.slice(slash + 1) };
}

/**
 * One schema for every document of a manifest file. Each document is checked against the
 * schema of its own apiVersion and kind (an `if`/`then` per kind inside `allOf`), so a
 * multi-document file mixes kinds freely. A kind we do not serve gets no schema and no
 * warning here: the API server's answer says what is wrong with it. `kind` and
 * `apiVersion` are completed from the served kinds; once `kind` is written, an
 * `apiVersion` that does not serve it is flagged.
 */
export function buildEditorSchema(generated: GeneratedSchemas): Schema {
  const keys = Object.keys(generated.kinds).map(splitKindKey);
  const kinds = unique(keys.map((k) => k.kind));
  const versionRules = kinds.map((kind) => ({
    if: { properties: { kind: { const: kind } }, required: ['kind'] },
    then: { properties: { apiVersion: { enum: keys.filter((k) => k.kind === kind).map((k) => k.apiVersion) } } },
  }));
  const kindRules = Object.entries(generated.kinds).map(([key, ref]) => {
    const { apiVersion, kind } = splitKindKey(key);
    return {
      if: { properties: { apiVersion: { const: apiVersion }, kind: { const: kind } }, required: ['apiVersion', 'kind'] },
      then: { $ref: ref.$ref },
    };
  });
  const top = topLevelProperties(generated);
  return {
    title: 'Kubernetes API',
    description: 'A Kubernetes object. Its apiVersion and kind choose the schema the rest is checked against.',
    properties: {
      apiVersion: { type: 'string', description: top.apiVersion, examples: unique(keys.map((k) => k.apiVersion)) },
      kind: { type: 'string', description: top.kind, examples: kinds },
    },
    allOf: [...versionRules, ...kindRules],
    definitions: generated.definitions,
  };
}

/** Follows `$ref`s inside the generated definitions. */
export function resolveRef(generated: GeneratedSchemas, schema: Schema): Schema {
  let s = schema;
  for (let hops = 0; typeof s.$ref === 'string' && hops < 32; hops++) {
    const name = s.$ref.replace('#/definitions/', '');
    const next = generated.definitions[name];
    if (next === undefined) break;
    s = next;
  }
  return s;
}

/** The Kubernetes descriptions of apiVersion and kind (the same in every kind), for hover. */
function topLevelProperties(generated: GeneratedSchemas): { apiVersion: string; kind: string } {
  const first = Object.values(generated.kinds)[0];
  const props = (first === undefined ? {} : (resolveRef(generated, first).properties ?? {})) as Record<string, Schema | undefined>;
  const text = (s: Schema | undefined): string => (typeof s?.description === 'string' ? s.description : '');
  return { apiVersion: text(props.apiVersion), kind: text(props.kind) };
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
