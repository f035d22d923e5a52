import { resolveResource } from '../../engine/apiserver/resources';
import { fail, type KubectlCommand, ok } from '../kubectlEnv';
import { objectRef } from '../printers';
import { clientFor } from './client';
import { modifyObject } from './modify';

const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

/** `kubectl scale deployment web --replicas=5` (also `deployment/web`): sets spec.replicas. */
export const scale: KubectlCommand = (env, args, flags, _stdin, done) => {
  if (flags.replicas === undefined) return done(fail('error: required flag(s) "replicas" not set'));
  if (!/^-?\d+$/.test(flags.replicas)) return done(fail(`error: invalid argument "${flags.replicas}" for "--replicas" flag: strconv.ParseInt: parsing "${flags.replicas}": invalid syntax`));
  const replicas = Number(flags.replicas);
  if (replicas < 0) return done(fail('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0'));
  const [first, second] = args;
  const [what, name] = first?.includes('/') ? (first.split('/', 2) as [string, string]) : [first, second];
  if (what === undefined || name === undefined) return done(fail('error: resource(s) were provided, but no name was specified'));
  const type = resolveResource(what);
  if ('error' in type) return done(fail(`error: ${type.error}`));
  if (!SCALABLE.has(type.kind)) return done(fail(`error: no objects passed to scale: ${type.plural} cannot be scaled`));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  modifyObject(client, type, flags.namespace ?? 'default', name, (obj) => ({ object: { ...obj, spec: { ...(obj.spec as object), replicas } } }), (r) =>
    done('updated' in r ? ok(`${objectRef(type, name)} scaled\n`) : r),
  );
};
