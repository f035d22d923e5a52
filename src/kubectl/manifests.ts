import type { KubeObject } from '../engine/apiserver/apiObjects';
import { resourceForKind, type ResourceType } from '../engine/apiserver/resources';
import { parseYaml } from '../scenario/yamlSource';
import type { KubectlFlags } from './kubectlEnv';

export type ManifestDoc = { readonly object: KubeObject; readonly type: ResourceType; readonly name: string } | { readonly error: string };

/**
 * The documents of `-f -` (the only file a browser tab has is what it is handed), each mapped
 * to its resource type or to the error kubectl gives for it.
 */
export function readManifests(flags: KubectlFlags, stdin: string | undefined): { docs: ManifestDoc[] } | { error: string } {
  if (flags.filenames.length === 0) return { error: 'error: must specify one of -f and -k' };
  const file = flags.filenames[0] as string;
  if (file !== '-' || stdin === undefined) return { error: `error: the path "${file}" does not exist` };
  const parsed = parseYaml(stdin);
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0] as (typeof parsed.errors)[number];
    return { error: `error: error parsing STDIN: error converting YAML to JSON: yaml: line ${e.line}: ${e.message}` };
  }
  const docs = parsed.documents.map((d): ManifestDoc => {
    const obj = d.value as KubeObject | null;
    if (obj === null || typeof obj !== 'object' || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      return { error: 'error: error validating "STDIN": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false' };
    }
    const name = String(obj.metadata?.name ?? '');
    const type = resourceForKind(obj.apiVersion, obj.kind);
    if ('error' in type) {
      return { error: `error: resource mapping not found for name: "${name}" namespace: "${flags.namespace ?? ''}" from "STDIN": ${type.error}\nensure CRDs are installed first` };
    }
    return { object: obj, type, name };
  });
  return { docs };
}
