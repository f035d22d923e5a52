import { fail, type KubectlCommand, ok } from '../kubectlEnv';
import { tabular } from '../tabular';

/**
 * `kubectl config get-contexts | current-context | use-context NAME`. The contexts are the
 * cluster's (through the load balancer) and one per master, pinned to its API server.
 */
export const config: KubectlCommand = (env, args, _flags, _stdin, done) => {
  const [sub, name] = args;
  if (sub === 'current-context') return done(ok(`${env.defaultContext}\n`));
  if (sub === 'get-contexts') {
    const rows = [...env.clients.keys()].map((c) => [c === env.defaultContext ? '*' : '', c, 'kubeplay', 'kubernetes-admin', '']);
    return done(ok(tabular([['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'], ...rows])));
  }
  if (sub === 'use-context') {
    if (name === undefined) return done(fail('error: Unexpected args: []\nSee \'kubectl config use-context -h\' for help and examples'));
    if (!env.clients.has(name)) return done(fail(`error: no context exists with the name: "${name}"`));
    env.defaultContext = name;
    return done(ok(`Switched to context "${name}".\n`));
  }
  done(fail(`error: unknown command "${sub ?? ''}" for "kubectl config" (this playground knows get-contexts, current-context, use-context)`));
};
