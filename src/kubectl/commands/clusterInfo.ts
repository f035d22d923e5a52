import { CONTROL_PLANE_ENDPOINT, fail, type KubectlCommand, ok } from '../kubectlEnv';
import { clientFor } from './client';

/** `kubectl cluster-info`: where the control plane answers (CoreDNS is listed once the cluster runs it). */
export const clusterInfo: KubectlCommand = (env, args, flags, _stdin, done) => {
  if (args.length > 0) return done(fail(`error: unknown command "${args[0]}" for "kubectl cluster-info"`));
  const api = clientFor(env, flags);
  if ('error' in api) return done(fail(api.error));
  api.request({ verb: 'list', resource: 'namespaces' }, (r) => {
    if (!r.ok) {
      return done({ exitCode: 1, stdout: "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n", stderr: `${r.error}\n` });
    }
    const endpoint = flags.context !== undefined && flags.context !== env.defaultContext && env.clients.has(flags.context) ? `the API server of ${flags.context}` : CONTROL_PLANE_ENDPOINT;
    done(ok(`Kubernetes control plane is running at ${endpoint}\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`));
  });
};
