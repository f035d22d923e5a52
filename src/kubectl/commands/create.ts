import { fail, type KubectlCommand, type KubectlResult } from '../kubectlEnv';
import { readManifests } from '../manifests';
import { formatStatus, objectRef } from '../printers';
import { clientFor } from './client';

/**
 * `kubectl create -f -`: creates every document of the manifests read from stdin, in order,
 * reporting each as kubectl does ("deployment.apps/web created") and going on after a failure.
 */
export const create: KubectlCommand = (env, _args, flags, stdin, done) => {
  const read = readManifests(flags, stdin);
  if ('error' in read) return done(fail(read.error));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  const dryRun = flags.dryRun ?? 'none';
  let stdout = '';
  let stderr = '';
  const finish = (): void => done({ exitCode: stderr === '' ? 0 : 1, stdout, stderr } satisfies KubectlResult);
  const next = (i: number): void => {
    const doc = read.docs[i];
    if (doc === undefined) return finish();
    if ('error' in doc) {
      stderr += `${doc.error}\n`;
      return next(i + 1);
    }
    const { object, type, name } = doc;
    if (dryRun === 'client') {
      stdout += `${objectRef(type, name)} created (dry run)\n`;
      return next(i + 1);
    }
    client.request({ verb: 'create', body: object, ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }), ...(dryRun === 'server' ? { dryRun: true } : {}) }, (r) => {
      if (!r.ok) stderr += `${r.error}\n`;
      else if (!r.result.ok) stderr += formatStatus(r.result.status, 'error when creating "STDIN": ');
      else stdout += `${objectRef(type, name)} created${dryRun === 'server' ? ' (server dry run)' : ''}\n`;
      next(i + 1);
    });
  };
  next(0);
};
