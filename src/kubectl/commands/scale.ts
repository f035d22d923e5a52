import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { resolveResource } from '../../engine/apiserver/resources';
import { fail, type KubectlCommand, ok } from '../kubectlEnv';
import { formatStatus, objectRef } from '../printers';
import { clientFor } from './client';

const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

/** `kubectl scale deployment web --replicas=5` (also `deployment/web`): sets spec.replicas. */
export const scale: KubectlCommand = (env, args, flags, _stdin, done) => {
  if (flags.replicas === undefined) return done(fail('error: required flag(s) "replicas" not set'));
  const replicas = Number(flags.replicas);
  if (!/^-?\d+$/.test(flags.replicas)) return done(fail(`error: invalid argument "${flags.replicas}" for "--replicas" flag: strconv.ParseInt: parsing "${flags.replicas}": invalid syntax`));
  if (replicas < 0) return done(fail('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0'));
  const [first, second] = args;
  const [what, name] = first?.includes('/') ? (first.split('/', 2) as [string, string]) : [first, second];
  if (what === undefined || name === undefined) return done(fail('error: resource(s) were provided, but no name was specified'));
  const type = resolveResource(what);
  if ('error' in type) return done(fail(`error: ${type.error}`));
  if (!SCALABLE.has(type.kind)) return done(fail(`error: no objects passed to scale: ${type.plural} cannot be scaled`));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  const namespace = flags.namespace ?? 'default';
  const attempt = (tries: number): void => {
    client.request({ verb: 'get', resource: type.plural, name, namespace }, (got) => {
      if (!got.ok) return done(fail(got.error));
      if (!got.result.ok) return done(fail(formatStatus(got.result.status)));
      const obj = got.result.value as KubeObject;
      const next = { ...obj, spec: { ...(obj.spec as object), replicas } };
      client.request({ verb: 'update', body: next, namespace }, (r) => {
        if (!r.ok) return done(fail(r.error));
        if (!r.result.ok && r.result.status.reason === 'Conflict' && tries < 4) return attempt(tries + 1);
        if (!r.result.ok) return done(fail(formatStatus(r.result.status)));
        done(ok(`${objectRef(type, name)} scaled\n`));
      });
    });
  };
  attempt(0);
};
