import { resolveResource } from '../../engine/apiserver/resources';
import { fail, type KubectlCommand, ok } from '../kubectlEnv';
import { formatStatus } from '../printers';
import { clientFor } from './client';

/** `kubectl delete <resource> <name>`: "deployment.apps "web" deleted". */
export const del: KubectlCommand = (env, args, flags, _stdin, done) => {
  const [what, name] = args;
  if (what === undefined || name === undefined) return done(fail('error: resource(s) were provided, but no name was specified'));
  const type = resolveResource(what);
  if ('error' in type) return done(fail(`error: ${type.error}`));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  const namespace = type.namespaced ? (flags.namespace ?? 'default') : undefined;
  client.request({ verb: 'delete', resource: type.plural, name, ...(namespace === undefined ? {} : { namespace }) }, (r) => {
    if (!r.ok) return done(fail(r.error));
    if (!r.result.ok) return done(fail(formatStatus(r.result.status)));
    done(ok(`${type.singular}${type.group === '' ? '' : `.${type.group}`} "${name}" deleted\n`));
  });
};
