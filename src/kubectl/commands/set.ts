import { fail, type KubectlCommand, ok } from '../kubectlEnv';
import { setImage, splitImageArgs } from '../setImage';
import { clientFor } from './client';
import { modifyObject } from './modify';
import { namespaceFor, parseTarget } from './target';

/** `kubectl set image KIND/NAME container=image …` (the only `set` subcommand here). */
export const set: KubectlCommand = (env, args, flags, _stdin, done) => {
  const [sub, ...rest] = args;
  if (sub !== 'image') {
    return done(fail(sub === undefined ? 'error: Required subcommand not specified: image' : `error: unknown command "${sub}" for "kubectl set" (this playground knows set image)`));
  }
  const split = splitImageArgs(rest);
  if ('error' in split) return done(fail(split.error));
  if (split.assignments.length === 0) return done(fail('error: at least one image update is required'));
  const target = parseTarget(split.resources);
  if ('error' in target) return done(fail(target.error));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  let message = '';
  let stderr = '';
  modifyObject(client, target.type, namespaceFor(target.type, flags), target.name, (obj) => {
    const r = setImage(obj, split.assignments);
    stderr = r.error === undefined ? '' : `${r.error}\n`;
    message = r.message ?? '';
    // Nothing changed: kubectl sends nothing and prints nothing.
    return r.object === undefined ? { refuse: { exitCode: stderr === '' ? 0 : 1, stdout: '', stderr } } : { object: r.object };
  }, (r) => done('updated' in r ? { ...ok(`${message}\n`), stderr, exitCode: stderr === '' ? 0 : 1 } : r));
};
