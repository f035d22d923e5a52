import { fail, type KubectlCommand } from '../kubectlEnv';

/**
 * `kubectl top nodes|pods`. kubectl first asks the API which groups it serves; without the
 * metrics.k8s.io group (no metrics-server installed) it stops with its own error, as on a
 * fresh kubeadm cluster.
 */
export const top: KubectlCommand = (_env, args, _flags, _stdin, done) => {
  const [what] = args;
  if (what === undefined) return done(fail('error: Required resource not specified.\nSee \'kubectl top -h\' for help and examples'));
  if (!['node', 'nodes', 'no', 'pod', 'pods', 'po'].includes(what)) return done(fail(`error: unknown command "${what}" for "kubectl top"`));
  // Discovery finds no metrics.k8s.io group (metrics-server needs kubelets to scrape): kubectl's own error.
  done(fail('error: Metrics API not available'));
};
