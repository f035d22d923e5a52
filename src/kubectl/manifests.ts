import type { KubeObject } from '../engine/apiserver/apiObjects';
import { resourceForKind, type ResourceType } from '../engine/apiserver/resources';
import { parseYaml } from '../scenario/yamlSource';
import type { KubectlCommand, KubectlFlags } from './kubectlEnv';

/** A document of a manifest, mapped to its resource type; `source` is where it came from ("STDIN", "web.yaml"). */
export type ManifestDoc = { readonly object: KubeObject; readonly type: ResourceType; readonly name: string; readonly source: string } | { readonly error: string };

/**
 * The documents of every `-f`, in order: `-` is stdin, any other name a file of the env's
 * (`files`, by default the ones withFiles put on the flags). Each document is mapped to its
 * resource type, or to the error kubectl gives for it; a file that cannot be read or parsed
 * fails the whole command, as kubectl's builder does.
 */
export function readManifests(flags: KubectlFlags, stdin: string | undefined, files: ReadonlyMap<string, string> | undefined = flags.files): { docs: ManifestDoc[] } | { error: string } {
  if (flags.filenames.length === 0) return { error: 'error: must specify one of -f and -k' };
  const docs: ManifestDoc[] = [];
  for (const file of flags.filenames) {
    const text = file === '-' ? stdin : files?.get(file);
    if (text === undefined) return { error: `error: the path "${file}" does not exist` };
    const read = readSource(text, file === '-' ? 'STDIN' : file, flags.namespace);
    if ('error' in read) return read;
    docs.push(...read.docs);
  }
  return { docs };
}

function readSource(text: string, source: string, namespace: string | undefined): { docs: ManifestDoc[] } | { error: string } {
  const parsed = parseYaml(text);
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0] as (typeof parsed.errors)[number];
    return { error: `error: error parsing ${source}: error converting YAML to JSON: yaml: line ${e.line}: ${e.message}` };
  }
  const docs = parsed.documents
    .filter((d) => d.value !== null && d.value !== undefined)
    .map((d): ManifestDoc => {
      const obj = d.value as KubeObject;
      if (typeof obj !== 'object' || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
        return { error: `error: error validating "${source}": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false` };
      }
      const name = String(obj.metadata?.name ?? '');
      const own = obj.metadata?.namespace;
      const type = resourceForKind(obj.apiVersion, obj.kind);
      if ('error' in type) {
        return { error: `error: resource mapping not found for name: "${name}" namespace: "${own ?? ''}" from "${source}": ${type.error}\nensure CRDs are installed first` };
      }
      // An explicit -n must agree with the namespace the file names (kubectl's RequireNamespace).
      if (namespace !== undefined && type.namespaced && own !== undefined && own !== '' && own !== namespace) {
        return { error: `error: the namespace from the provided object "${own}" does not match the namespace "${namespace}". You must pass '--namespace=${own}' to perform this operation.` };
      }
      return { object: withoutNullTimestamps(obj), type, name, source };
    });
  return { docs };
}

/**
 * The object without the `creationTimestamp: null` that kubectl's `--dry-run=client -o yaml`
 * writes (so it is in every manifest scaffolded that way). The API server reads that null as
 * "not set"; this one's schema check refuses it, so it is dropped before sending.
 */
export function withoutNullTimestamps<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNullTimestamps) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === 'metadata' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const { creationTimestamp, ...rest } = v as Record<string, unknown>;
      out[k] = creationTimestamp === null ? withoutNullTimestamps(rest) : withoutNullTimestamps(v);
    } else out[k] = withoutNullTimestamps(v);
  }
  return out as T;
}

/** Runs a command with the env's files on its flags, so that readManifests finds `-f name` (for commands that do not pass them). */
export function withFiles(run: KubectlCommand): KubectlCommand {
  return (env, args, flags, stdin, done, afterDashes) => run(env, args, { ...flags, files: env.files }, stdin, done, afterDashes);
}
