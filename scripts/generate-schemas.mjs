// Generates the JSON Schemas of the Kubernetes kinds Kubeplay serves, from the official
// types in the kubernetes-types package (never hand-written per field), into
// src/generated/kubernetes-schemas.json. Runs before dev, build and test; skips the work when
// the output is newer than its inputs.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// The engine validates with the slim schemas (a TypeScript module, so every loader takes it);
// the full ones, with every field's description, are for kubectl explain and the editor.
const out = `${root}src/generated/kubernetes-schemas.ts`;
const fullOut = `${root}src/generated/kubernetes-schemas.full.json`;
const entry = `${root}src/generated/kinds.d.ts`;

/** apiVersion, kind, and the kubernetes-types module that declares it. */
export const KINDS = [
  ['v1', 'Namespace', 'core/v1'],
  ['v1', 'Node', 'core/v1'],
  ['v1', 'Pod', 'core/v1'],
  ['v1', 'Service', 'core/v1'],
  ['v1', 'Endpoints', 'core/v1'],
  ['v1', 'ConfigMap', 'core/v1'],
  ['v1', 'Secret', 'core/v1'],
  ['v1', 'PersistentVolume', 'core/v1'],
  ['v1', 'PersistentVolumeClaim', 'core/v1'],
  ['v1', 'Event', 'core/v1'],
  ['apps/v1', 'Deployment', 'apps/v1'],
  ['apps/v1', 'ReplicaSet', 'apps/v1'],
  ['apps/v1', 'StatefulSet', 'apps/v1'],
  ['apps/v1', 'DaemonSet', 'apps/v1'],
  ['batch/v1', 'Job', 'batch/v1'],
  ['discovery.k8s.io/v1', 'EndpointSlice', 'discovery/v1'],
  ['storage.k8s.io/v1', 'StorageClass', 'storage/v1'],
  ['networking.k8s.io/v1', 'NetworkPolicy', 'networking/v1'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', 'autoscaling/v2'],
  ['node.k8s.io/v1', 'RuntimeClass', 'node/v1'],
  ['policy/v1', 'PodDisruptionBudget', 'policy/v1'],
  ['coordination.k8s.io/v1', 'Lease', 'coordination/v1'],
];

const typesDir = `${root}node_modules/kubernetes-types`;
// Up to date when made by this very script from this very version of kubernetes-types.
const stamp = `kubernetes-types@${JSON.parse(readFileSync(`${typesDir}/package.json`, 'utf8')).version} ${createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url))).digest('hex').slice(0, 16)}`;
if (existsSync(out) && existsSync(fullOut) && readFileSync(out, 'utf8').includes(JSON.stringify(stamp))) process.exit(0);

// Loaded only when there is work to do: it brings a whole TypeScript compiler.
const { createGenerator } = await import('ts-json-schema-generator');
const started = Date.now();
mkdirSync(`${root}src/generated`, { recursive: true });
// One entry file naming every kind, so one TypeScript program serves them all.
writeFileSync(
  entry,
  KINDS.map(([, kind, mod]) => {
    const a = alias(mod, kind);
    return `import type { ${kind} as ${a}_ } from 'kubernetes-types/${mod}';\nexport type ${a} = ${a}_;`;
  }).join('\n') + '\n',
);
const generator = createGenerator({ path: entry, skipTypeCheck: true, expose: 'all', topRef: true, additionalProperties: false, jsDoc: 'extended' });

const definitions = {};
const kinds = {};
for (const [apiVersion, kind, mod] of KINDS) {
  let schema = generator.createSchema(alias(mod, kind));
  // Two API groups may each have a type of the same name (core's EndpointPort and discovery's):
  // the later one is renamed after its group, and references to it rewritten.
  const renames = Object.entries(schema.definitions ?? {})
    .filter(([name, def]) => definitions[name] !== undefined && JSON.stringify(definitions[name]) !== JSON.stringify(def))
    .map(([name]) => name);
  if (renames.length > 0) {
    let text = JSON.stringify(schema);
    for (const name of renames) text = text.split(`"#/definitions/${name}"`).join(`"#/definitions/${mod.replace(/\//g, '_')}.${name}"`);
    schema = JSON.parse(text);
    for (const name of renames) {
      schema.definitions[`${mod.replace(/\//g, '_')}.${name}`] = schema.definitions[name];
      delete schema.definitions[name];
    }
  }
  for (const [name, def] of Object.entries(schema.definitions ?? {})) {
    if (definitions[name] !== undefined && JSON.stringify(definitions[name]) !== JSON.stringify(def)) {
      throw new Error(`two different types are both called ${name}`);
    }
    definitions[name] = def;
  }
  kinds[`${apiVersion}/${kind}`] = { $ref: `#/definitions/${alias(mod, kind)}` };
}

// Kubernetes has no floating-point fields in these kinds: every number is an int32 or int64.
// Quantities are strings in the Go types but accept plain numbers too ("cpu: 2").
for (const def of Object.values(definitions)) visit(def);
if (definitions.Quantity) definitions.Quantity = { type: ['string', 'number'], description: definitions.Quantity.description };

const full = { generatedFrom: stamp, kinds, definitions };
writeFileSync(fullOut, JSON.stringify(full) + '\n');
const slim = JSON.stringify(full, (key, value) => (key === 'description' ? undefined : value));
writeFileSync(
  out,
  `// Generated by scripts/generate-schemas.mjs from ${stamp.split(' ')[0]}: do not edit.\n` +
    `// ${JSON.stringify(stamp)}\n` +
    `export const KUBERNETES_SCHEMAS: unknown = JSON.parse(${JSON.stringify(slim)});\n`,
);
console.log(
  `schemas: ${KINDS.length} kinds, ${Object.keys(definitions).length} definitions; ${(statSync(out).size / 1024).toFixed(0)} KB slim, ${(statSync(fullOut).size / 1024).toFixed(0)} KB with descriptions; ${Date.now() - started} ms`,
);

function alias(mod, kind) {
  return `${mod.replace(/\//g, '_')}_${kind}`;
}

function visit(node) {
  if (Array.isArray(node)) return node.forEach(visit);
  if (node === null || typeof node !== 'object') return;
  if (node.type === 'number') node.type = 'integer';
  if (Array.isArray(node.type)) node.type = node.type.map((t) => (t === 'number' ? 'integer' : t));
  for (const v of Object.values(node)) visit(v);
}
