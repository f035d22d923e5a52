import { resolveResource } from '../../engine/apiserver/resources';
import { fail, type KubectlCommand, ok } from '../kubectlEnv';
import { objectRef } from '../printers';
import { clientFor } from './client';
import { modifyObject } from './modify';

/**
 * `kubectl label <resource> <name> key=value… key-… [--overwrite]` (and `annotate`, the same
 * on metadata.annotations): "pod/web labeled". A key that has a value already is refused
 * without --overwrite, in kubectl's words.
 */
function labelLike(field: 'labels' | 'annotations', verb: 'labeled' | 'annotated'): KubectlCommand {
  return (env, args, flags, _stdin, done) => {
    const [first, ...rest] = args;
    const [what, name, changes] = first?.includes('/') ? [...(first.split('/', 2) as [string, string]), rest] : [first, rest[0], rest.slice(1)];
    if (what === undefined || name === undefined) return done(fail('error: resource(s) were provided, but no name was specified'));
    if (changes.length === 0) return done(fail(`error: at least one ${field === 'labels' ? 'label' : 'annotation'} update is required`));
    const set: Record<string, string> = {};
    const remove: string[] = [];
    for (const c of changes) {
      if (c.endsWith('-') && !c.includes('=')) remove.push(c.slice(0, -1));
      else if (c.includes('=')) set[c.slice(0, c.indexOf('='))] = c.slice(c.indexOf('=') + 1);
      else return done(fail(`error: invalid ${field === 'labels' ? 'label' : 'annotation'} spec: ${c}`));
    }
    const type = resolveResource(what);
    if ('error' in type) return done(fail(`error: ${type.error}`));
    const client = clientFor(env, flags);
    if ('error' in client) return done(fail(client.error));
    const namespace = type.namespaced ? (flags.namespace ?? 'default') : undefined;
    modifyObject(
      client,
      type,
      namespace,
      name,
      (obj) => {
        const current = { ...((obj.metadata[field] as Record<string, string> | undefined) ?? {}) };
        for (const [k, v] of Object.entries(set)) {
          if (current[k] !== undefined && current[k] !== v && !flags.overwrite) {
            return { refuse: fail(`error: '${k}' already has a value (${current[k]}), and --overwrite is false`) };
          }
          current[k] = v;
        }
        for (const k of remove) delete current[k];
        return { object: { ...obj, metadata: { ...obj.metadata, [field]: current } } };
      },
      (r) => done('updated' in r ? ok(`${objectRef(type, name)} ${Object.keys(set).length === 0 ? `un${verb}` : verb}\n`) : r),
    );
  };
}

export const label = labelLike('labels', 'labeled');
export const annotate = labelLike('annotations', 'annotated');
