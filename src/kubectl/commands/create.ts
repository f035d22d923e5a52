import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { resourceForKind } from '../../engine/apiserver/resources';
import { parseYaml } from '../../scenario/yamlSource';
import { fail, type KubectlCommand, type KubectlResult } from '../kubectlEnv';
import { formatStatus, objectRef } from '../printers';
import { clientFor } from './client';

/**
 * `kubectl create -f -`: creates every document of the manifests read from stdin, in order,
 * reporting each as kubectl does ("deployment.apps/web created") and going on after a failure.
 */
export const create: KubectlCommand = (env, _args, flags, stdin, done) => {
  if (flags.filenames.length === 0) return done(fail('error: must specify one of -f and -k'));
  const file = flags.filenames[0] as string;
  if (file !== '-' || stdin === undefined) return done(fail(`error: the path "${file}" does not exist`));
  const parsed = parseYaml(stdin);
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0] as (typeof parsed.errors)[number];
    return done(fail(`error: error parsing STDIN: error converting YAML to JSON: yaml: line ${e.line}: ${e.message}`));
  }
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  const dryRun = flags.dryRun ?? 'none';
  let stdout = '';
  let stderr = '';
  const finish = (): void => done({ exitCode: stderr === '' ? 0 : 1, stdout, stderr } satisfies KubectlResult);
  const next = (i: number): void => {
    const doc = parsed.documents[i];
    if (doc === undefined) return finish();
    const obj = doc.value as KubeObject;
    const type = typeof obj?.apiVersion === 'string' && typeof obj.kind === 'string' ? resourceForKind(obj.apiVersion, obj.kind) : { error: 'apiVersion and kind must be set' };
    const name = String(obj?.metadata?.name ?? '');
    if ('error' in type) {
      stderr += `error: resource mapping not found for name: "${name}" namespace: "${flags.namespace ?? ''}" from "STDIN": ${type.error}\nensure CRDs are installed first\n`;
      return next(i + 1);
    }
    if (dryRun === 'client') {
      stdout += `${objectRef(type, name)} created (dry run)\n`;
      return next(i + 1);
    }
    client.request({ verb: 'create', body: obj, ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }), ...(dryRun === 'server' ? { dryRun: true } : {}) }, (r) => {
      if (!r.ok) stderr += `${r.error}\n`;
      else if (!r.result.ok) stderr += formatStatus(r.result.status, 'error when creating "STDIN": ');
      else stdout += `${objectRef(type, name)} created${dryRun === 'server' ? ' (server dry run)' : ''}\n`;
      next(i + 1);
    });
  };
  next(0);
};
