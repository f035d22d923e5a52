import { apiVersionOf, qualifiedName, RESOURCES, resolveResource, type ResourceType } from '../engine/apiserver/resources';
import type { KubectlResult } from './kubectlEnv';

/**
 * `kubectl explain`, rendered the way kubectl 1.31 renders its default OpenAPI v3 "plaintext"
 * template (staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl), from the JSON
 * Schemas in src/generated/kubernetes-schemas.full.json.
 *
 * Those schemas put a field's description next to its `$ref`, where the served OpenAPI v3 wraps
 * the `$ref` in a one-element `allOf`; both mean "this field's description, then the referenced
 * type's", and the functions below read them that way.
 */

/** The shape of kubernetes-schemas.full.json (only what explain reads). */
export interface ExplainSchemas {
  /** "apps/v1/Deployment" → `{ $ref: "#/definitions/..." }`. */
  readonly kinds: Readonly<Record<string, unknown>>;
  readonly definitions: Readonly<Record<string, unknown>>;
}

export interface ExplainOptions {
  /** --recursive: the field tree with types only. */
  readonly recursive: boolean;
  /** --api-version (group/version); empty or absent means the resource's served version. */
  readonly apiVersion?: string;
}

interface Schema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly additionalProperties?: Schema | boolean;
  readonly enum?: readonly unknown[];
}

const asSchema = (v: unknown): Schema => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Schema) : {});
const fail = (stderr: string, stdout = ''): KubectlResult => ({ exitCode: 1, stdout, stderr });

/**
 * What `kubectl explain <target> [--recursive] [--api-version=...]` prints. `target` is the one
 * argument after `explain` (undefined when none was given): a resource as kubectl resolves it,
 * optionally followed by a dotted field path ("deploy.spec.template.spec.containers").
 */
export function explain(schemas: ExplainSchemas, target: string | undefined, opts: ExplainOptions): KubectlResult {
  if (target === undefined || target === '') {
    return fail('error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n');
  }
  const parsed = parseTarget(target, opts.apiVersion ?? '');
  if ('error' in parsed) return fail(`error: ${parsed.error}\n`);
  const { type, fields } = parsed;
  const root = definitionOf(schemas, schemas.kinds[`${apiVersionOf(type)}/${type.kind}`]);
  if (root === undefined) return fail(`error: GVR (${gvrString(type.group, type.version, type.plural)}) not found in OpenAPI schema\n`);

  let out = header(type);
  let node = root;
  for (const [i, name] of fields.entries()) {
    const next = child(schemas, node, name);
    // kubectl names the last field of the path, whichever one was missing.
    if (next === undefined) return fail(`error: field "${fields[fields.length - 1] ?? name}" does not exist\n`, out);
    node = next;
    if (i === fields.length - 1) out += `FIELD: ${name} <${typeGuess(schemas, node)}>\n${longEnum(node)}\n\n`;
  }
  out += `DESCRIPTION:\n${indent(4, wrap(descriptions(schemas, node) || '<empty>', 76))}\n`;
  const list = fieldList(schemas, node, 1, opts.recursive, new Set());
  if (list !== '') out += `FIELDS:\n${list}`;
  return { exitCode: 0, stdout: `${out}\n`, stderr: '' };
}

/**
 * The resource and field path, split as kubectl splits them: the first dot-separated word names
 * the resource; "deployments.apps.spec" is the apps group's deployments only when typed with the
 * plural and group (kubectl's prefix match). With --api-version every later word is a field.
 */
function parseTarget(target: string, apiVersion: string): { type: ResourceType; fields: string[] } | { error: string } {
  const input = target.endsWith('.') ? target.slice(0, -1) : target;
  const words = input.split('.');
  const found = resolveResource(words[0] ?? '');
  if ('error' in found) return found;
  let fields = words.slice(1);
  if (apiVersion === '') {
    const prefix = qualifiedName(found);
    if (input.startsWith(prefix)) fields = input.slice(prefix.length).split('.').slice(1);
    return { type: found, fields };
  }
  const parts = apiVersion.split('/');
  if (parts.length > 2) return { error: `unexpected GroupVersion string: ${apiVersion}` };
  const [group, version] = parts.length === 2 ? [parts[0] ?? '', parts[1] ?? ''] : ['', parts[0] ?? ''];
  const gvr = gvrString(group, version, found.plural);
  if (!RESOURCES.some((t) => t.group === group && t.version === version)) return { error: `couldn't find resource for "${gvr}"` };
  const type = RESOURCES.find((t) => t.group === group && t.version === version && t.plural === found.plural);
  return type === undefined ? { error: `GVR (${gvr}) not found in OpenAPI schema` } : { type, fields };
}

/** Go's GroupVersionResource.String(). */
const gvrString = (group: string, version: string, resource: string): string => `${group}/${version}, Resource=${resource}`;

function header(t: ResourceType): string {
  return `${t.group === '' ? '' : `GROUP:      ${t.group}\n`}KIND:       ${t.kind}\nVERSION:    ${t.version}\n\n`;
}

/** The definition a `$ref` names (last path segment of "#/definitions/Name"). */
function lookup(schemas: ExplainSchemas, ref: string): { name: string; schema: Schema } | undefined {
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  return Object.prototype.hasOwnProperty.call(schemas.definitions, name) ? { name, schema: asSchema(schemas.definitions[name]) } : undefined;
}

/** A kind's definition: its entry in `kinds` is an alias that refers to the real type. */
function definitionOf(schemas: ExplainSchemas, entry: unknown): Schema | undefined {
  let node = entry === undefined ? undefined : asSchema(entry);
  for (let hops = 0; node?.$ref !== undefined && hops < 8; hops++) node = lookup(schemas, node.$ref)?.schema;
  return node;
}

/** The schema whose properties a node offers: the referenced type's, or the node's own. */
const resolved = (schemas: ExplainSchemas, node: Schema): Schema => (node.$ref === undefined ? node : (lookup(schemas, node.$ref)?.schema ?? node));

const mapValues = (node: Schema): Schema | undefined => (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);

const hasProperty = (node: Schema, name: string): boolean => node.properties !== undefined && Object.prototype.hasOwnProperty.call(node.properties, name);

/** One step down the field path: a property, looking through arrays and maps to their items. */
function child(schemas: ExplainSchemas, node: Schema, name: string): Schema | undefined {
  const r = resolved(schemas, node);
  if (hasProperty(r, name)) return r.properties?.[name];
  if (r.items !== undefined) return child(schemas, r.items, name);
  const values = mapValues(r);
  return values === undefined ? undefined : child(schemas, values, name);
}

/**
 * The type in angle brackets: `[]T` for arrays, `map[string]T` for maps, the referenced type's
 * name when it is an object (or string-or-number, like Quantity), its primitive type otherwise,
 * and `Object` for inline objects.
 */
function typeGuess(schemas: ExplainSchemas, node: Schema): string {
  if (node.items !== undefined) return `[]${typeGuess(schemas, node.items)}`;
  const values = mapValues(node);
  if (values !== undefined) return `map[string]${typeGuess(schemas, values)}`;
  if (node.$ref !== undefined) {
    const target = lookup(schemas, node.$ref);
    const t = target?.schema.type;
    if (typeof t === 'string' && t !== 'object') return t;
    return target === undefined ? 'Object' : (target.name.split('.').pop() ?? 'Object');
  }
  // IntOrString is inlined by the generator as ["integer", "string"]; the served schema names it.
  if (Array.isArray(node.type)) return node.type.includes('integer') && node.type.includes('string') ? 'IntOrString' : 'Object';
  return typeof node.type === 'string' && node.type !== 'object' ? node.type : 'Object';
}

/** The description block: the field's own, then its type's, its items' and its map values'. */
function descriptions(schemas: ExplainSchemas, node: Schema): string {
  let text = node.description ? `${node.description}\n` : '';
  if (node.$ref !== undefined) {
    const target = lookup(schemas, node.$ref);
    if (target !== undefined) text += descriptions(schemas, target.schema);
  }
  if (node.items !== undefined) text += descriptions(schemas, node.items);
  const values = mapValues(node);
  if (values !== undefined) text += descriptions(schemas, values);
  return text;
}

/**
 * The FIELDS list: each property as `name<TAB><type>`, indented two spaces per level, with its
 * wrapped description, or (recursive) its own fields beneath it. A type already being expanded
 * higher up the tree is not expanded again.
 */
function fieldList(schemas: ExplainSchemas, node: Schema, level: number, recursive: boolean, seen: ReadonlySet<string>): string {
  if (node.$ref !== undefined) {
    const target = lookup(schemas, node.$ref);
    if (target === undefined || seen.has(node.$ref)) return '';
    return fieldList(schemas, target.schema, level, recursive, new Set([...seen, node.$ref]));
  }
  let out = '';
  for (const name of Object.keys(node.properties ?? {}).sort()) {
    const field = node.properties?.[name] ?? {};
    out += fieldDetail(schemas, node, name, field, level, recursive);
    if (recursive) out += fieldList(schemas, field, level + 1, recursive, seen);
  }
  if (node.items !== undefined) out += fieldList(schemas, node.items, level, recursive, seen);
  const values = mapValues(node);
  if (values !== undefined) out += fieldList(schemas, values, level, recursive, seen);
  return out;
}

function fieldDetail(schemas: ExplainSchemas, parent: Schema, name: string, field: Schema, level: number, short: boolean): string {
  const pad = level * 2;
  const required = parent.required?.includes(name) ? ' -required-' : '';
  let out = `${' '.repeat(pad)}${name}\t<${typeGuess(schemas, field)}>${required}${shortEnum(field, pad)}\n`;
  if (!short) out += `${indent(pad + 2, wrap(field.description || '<no description>', 78 - pad))}\n\n`;
  return out;
}

const enumValue = (v: unknown): string => (v === '' ? '""' : String(v));

/** Under a FIELDS entry: `enum: A, B, C, D, ....` (four at most), on its own line. */
function shortEnum(field: Schema, pad: number): string {
  const values = field.enum ?? [];
  if (values.length === 0) return '';
  return `\n${' '.repeat(pad)}enum: ${values.slice(0, 4).map(enumValue).join(', ')}${values.length > 4 ? ', ....' : ''}`;
}

/** Under the FIELD line: every value, one per line. */
function longEnum(field: Schema): string {
  const values = field.enum ?? [];
  return values.length === 0 ? '' : `ENUM:${values.map((v) => `\n    ${enumValue(v)}`).join('')}`;
}

/** The template's indent: pad the first line and every line after a newline, empty ones too. */
function indent(amount: number, text: string): string {
  const pad = ' '.repeat(amount);
  return pad + text.split('\n').join(`\n${pad}`);
}

// Go's unicode.IsSpace, less the no-break space, which the word wrapper keeps inside words.
const SPACE = /^[\t\n\v\f\r \u0085\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

/**
 * Word wrapping as kubectl does it (github.com/mitchellh/go-wordwrap v1.0.1, widths in runes):
 * break at whitespace before a word that would pass the limit, dropping that whitespace; keep
 * explicit newlines; never split a word, so a word as long as the limit overflows on its own line.
 */
function wrap(text: string, limit: number): string {
  let out = '';
  let current = 0;
  let word = '';
  let space = '';
  let wordLen = 0;
  let spaceLen = 0;
  const flush = (): void => {
    current += spaceLen + wordLen;
    out += space + word;
    [space, word, spaceLen, wordLen] = ['', '', 0, 0];
  };
  for (const ch of text) {
    if (ch === '\n') {
      if (wordLen > 0 || current + spaceLen <= limit) flush();
      [space, spaceLen] = ['', 0];
      out += '\n';
      current = 0;
    } else if (SPACE.test(ch)) {
      if (spaceLen === 0 || wordLen > 0) flush();
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (current + spaceLen + wordLen > limit && wordLen < limit) {
        out += '\n';
        current = 0;
        [space, spaceLen] = ['', 0];
      }
    }
  }
  if (wordLen > 0 || current + spaceLen <= limit) out += space + word;
  return out;
}
