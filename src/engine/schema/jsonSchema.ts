/**
 * A small JSON Schema validator (the draft-07 subset that the Scenario schema
 * and the Kubernetes schemas use): type, properties, required,
 * additionalProperties, items, enum, const, pattern, minimum/maximum,
 * minLength/maxLength, minItems/maxItems, anyOf/oneOf, $ref into `definitions`, and
 * Kubernetes' x-kubernetes-int-or-string. Errors carry the path of the value
 * they are about, so the YAML layer can point at line and column.
 */
export type JsonSchema = {
  $ref?: string;
  type?: SchemaType | SchemaType[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  definitions?: Record<string, JsonSchema>;
  description?: string;
  default?: unknown;
  'x-kubernetes-int-or-string'?: boolean;
  [extension: `x-${string}`]: unknown;
};

export type SchemaType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export type JsonPath = readonly (string | number)[];

export interface SchemaError {
  readonly path: JsonPath;
  readonly message: string;
  /** For a value of the wrong type: what it is, the field's schema, and the definition of the object holding the field (Go's struct). */
  readonly mismatch?: { readonly got: SchemaType; readonly value: unknown; readonly want: JsonSchema; readonly owner?: string };
}

/** Limits the errors reported for one value: the first few are what a person reads. */
const MAX_ERRORS = 50;

/**
 * Validates `value`. With `nullAsUnset`, a null reads as an absent field, as Go's JSON decoder
 * takes it (Kubernetes objects carry `creationTimestamp: null` and `lastProbeTime: null`).
 */
export function validateSchema(schema: JsonSchema, value: unknown, root: JsonSchema = schema, options: { nullAsUnset?: boolean } = {}): SchemaError[] {
  const errors: SchemaError[] = [];
  nullAsUnset = options.nullAsUnset === true;
  check(schema, value, [], root, errors);
  nullAsUnset = false;
  return errors.slice(0, MAX_ERRORS);
}

/** The path as Kubernetes writes it in errors: spec.template.spec.containers[0].image. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

export function typeOf(value: unknown): SchemaType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as SchemaType;
}

/** The name of the definition a schema refers to (the last of a chain of $refs). */
export function refName(schema: JsonSchema, root: JsonSchema): string | undefined {
  let name: string | undefined;
  let s: JsonSchema | undefined = schema;
  for (let hops = 0; s?.$ref !== undefined && hops < 32; hops++) {
    name = decodeURIComponent(/^#\/definitions\/(.+)$/.exec(s.$ref)?.[1] ?? '');
    s = root.definitions?.[name];
  }
  return name;
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let s = schema;
  for (let hops = 0; s.$ref !== undefined; hops++) {
    if (hops > 32) throw new Error(`schema: $ref loop at ${s.$ref}`);
    const m = /^#\/definitions\/(.+)$/.exec(s.$ref);
    const target = m ? root.definitions?.[decodeURIComponent(m[1] as string)] : undefined;
    if (target === undefined) throw new Error(`schema: cannot resolve $ref ${s.$ref}`);
    s = target;
  }
  return s;
}

function typeMatches(want: SchemaType, value: unknown): boolean {
  const got = typeOf(value);
  return want === got || (want === 'number' && got === 'integer');
}

function describeType(value: unknown): string {
  const t = typeOf(value);
  return t === 'integer' ? 'number' : t;
}

/** Set for the duration of one validateSchema call (validation is synchronous). */
let nullAsUnset = false;

function check(schemaIn: JsonSchema, value: unknown, path: JsonPath, root: JsonSchema, errors: SchemaError[], owner?: string): void {
  if (errors.length >= MAX_ERRORS || (value === null && nullAsUnset)) return;
  const schema = resolve(schemaIn, root);
  const mismatch = { got: typeOf(value), value, want: schemaIn, ...(owner === undefined ? {} : { owner }) };
  // The definition this (object) value is an instance of: the owner of its fields.
  const self = refName(schemaIn, root) ?? owner;

  if (schema['x-kubernetes-int-or-string']) {
    if (!(typeMatches('integer', value) || typeof value === 'string')) {
      errors.push({ path, message: `must be an integer or a string, got ${describeType(value)}`, mismatch });
    }
    return;
  }

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(t, value))) {
      const want = types.join(' or ');
      errors.push({ path, message: `must be ${article(want)} ${want}, got ${describeType(value)}${value === null ? '' : ` ${preview(value)}`}`, mismatch });
      return;
    }
  }

  if (schema.const !== undefined && !equal(schema.const, value)) {
    errors.push({ path, message: `must be ${JSON.stringify(schema.const)}` });
    return;
  }
  if (schema.enum !== undefined && !schema.enum.some((e) => equal(e, value))) {
    errors.push({ path, message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${preview(value)}` });
    return;
  }

  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      errors.push({ path, message: schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters` });
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      errors.push({ path, message: `must be no more than ${schema.maxLength} characters` });
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      errors.push({ path, message: `${preview(value)} does not match ${schema.pattern}` });
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push({ path, message: `must be ≥ ${schema.minimum}, got ${value}` });
    if (schema.maximum !== undefined && value > schema.maximum) errors.push({ path, message: `must be ≤ ${schema.maximum}, got ${value}` });
  }

  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      errors.push({ path, message: `must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}` });
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      errors.push({ path, message: `must have at most ${schema.maxItems} item${schema.maxItems === 1 ? '' : 's'}` });
    }
    if (schema.items !== undefined) value.forEach((item, i) => check(schema.items as JsonSchema, item, [...path, i], root, errors, owner));
  } else if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const req of schema.required ?? []) {
      if (obj[req] === undefined || (obj[req] === null && nullAsUnset)) errors.push({ path: [...path, req], message: 'Required value' });
    }
    for (const [key, v] of Object.entries(obj)) {
      const prop = schema.properties?.[key];
      if (prop !== undefined) check(prop, v, [...path, key], root, errors, self);
      else if (schema.additionalProperties === false) {
        const known = Object.keys(schema.properties ?? {});
        const near = closest(key, known);
        errors.push({ path: [...path, key], message: `unknown field "${key}"${near ? ` (did you mean "${near}"?)` : ''}` });
      } else if (typeof schema.additionalProperties === 'object') check(schema.additionalProperties, v, [...path, key], root, errors, owner);
    }
  }

  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives !== undefined) {
    // Alternatives told apart by which field is present (a fault is { kill: … } or { partition: … }):
    // when the value has none of those fields, say which ones it could have.
    const resolved = alternatives.map((alt) => resolve(alt, root));
    const keys = resolved.map((alt) => alt.required?.find((r) => !(alt.properties?.[r] && 'const' in (alt.properties[r] as JsonSchema)) && r !== 'at'));
    if (typeOf(value) === 'object' && keys.every((k) => k !== undefined) && new Set(keys).size === keys.length) {
      const obj = value as Record<string, unknown>;
      if (!keys.some((k) => obj[k as string] !== undefined)) {
        const strangers = Object.keys(obj).filter((k) => !resolved.some((alt) => alt.properties?.[k] !== undefined));
        const list = keys.join(', ');
        errors.push(
          strangers.length > 0
            ? { path: [...path, strangers[0] as string], message: `unknown field "${strangers[0]}": expected one of ${list}` }
            : { path, message: `needs one of the fields ${list}` },
        );
        return;
      }
    }
    const attempts = alternatives.map((alt) => {
      const e: SchemaError[] = [];
      check(alt, value, path, root, e);
      return e;
    });
    if (!attempts.some((e) => e.length === 0)) {
      // Report the alternative that came closest: the one with the fewest (and deepest) errors.
      const best = attempts.sort((a, b) => a.length - b.length || depth(b) - depth(a))[0] ?? [];
      errors.push(...best);
    }
  }
}

function depth(errors: SchemaError[]): number {
  return Math.max(0, ...errors.map((e) => e.path.length));
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function preview(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The known name closest to a misspelt one (edit distance ≤ 2, or a case-only difference). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = c.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= 2 ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}
