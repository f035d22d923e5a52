import { type KubectlCommand, KUBERNETES_VERSION, ok } from '../kubectlEnv';
import { clientFor } from './client';

/** `kubectl version`: the client's version, and the server's if one answers. */
export const version: KubectlCommand = (env, _args, flags, _stdin, done) => {
  const client = `Client Version: ${KUBERNETES_VERSION}\nKustomize Version: v5.5.0\n`;
  const api = clientFor(env, flags);
  if ('error' in api) return done({ exitCode: 1, stdout: client, stderr: `${api.error}\n` });
  // Any request proves a server answers; the version itself is the cluster's.
  api.request({ verb: 'list', resource: 'namespaces' }, (r) => {
    if (!r.ok) return done({ exitCode: 1, stdout: client, stderr: `${r.error}\n` });
    done(ok(`${client}Server Version: ${KUBERNETES_VERSION}\n`));
  });
};
