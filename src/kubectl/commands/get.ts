import type { KubeObject } from '../../engine/apiserver/apiObjects';
import type { ListObject } from '../../engine/apiserver/apiServer';
import { resolveResource } from '../../engine/apiserver/resources';
import { fail, type KubectlCommand, ok } from '../kubectlEnv';
import { JsonPathError } from '../jsonpath';
import { formatStatus, isOutputFormat, printObjects } from '../printers';
import { clientFor } from './client';

/** `kubectl get <resource> [name] [-n ns | -A] [-o wide|name|yaml|json]`. */
export const get: KubectlCommand = (env, args, flags, _stdin, done) => {
  const [what, name, ...extra] = args;
  if (what === undefined) {
    return done(fail('You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples'));
  }
  if (extra.length > 0) return done(fail('error: only one name is supported by this playground\'s kubectl get'));
  if (!isOutputFormat(flags.output)) {
    return done(fail(`error: unable to match a printer suitable for the output format "${flags.output}", allowed formats are: json,jsonpath,name,wide,yaml`));
  }
  const type = resolveResource(what);
  if ('error' in type) return done(fail(`error: ${type.error}`));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  const namespace = type.namespaced ? (flags.allNamespaces ? undefined : (flags.namespace ?? 'default')) : undefined;
  const opts = { output: flags.output, allNamespaces: flags.allNamespaces && type.namespaced && name === undefined, now: env.world.now };
  if (name !== undefined) {
    return client.request({ verb: 'get', resource: type.plural, name, ...(namespace === undefined ? {} : { namespace }) }, (r) => {
      if (!r.ok) return done(fail(r.error));
      if (!r.result.ok) return done(fail(formatStatus(r.result.status)));
      const object = r.result.value as KubeObject;
      done(print(flags.output, () => printObjects(type, [object], false, opts)));
    });
  }
  const selector = flags.selector === undefined ? {} : { labelSelector: flags.selector };
  client.request({ verb: 'list', resource: type.plural, ...(namespace === undefined ? {} : { namespace }), ...selector }, (r) => {
    if (!r.ok) return done(fail(r.error));
    if (!r.result.ok) return done(fail(formatStatus(r.result.status)));
    const items = (r.result.value as ListObject).items;
    if (items.length === 0 && ['', 'wide'].includes(flags.output ?? '')) {
      return done({ exitCode: 0, stdout: '', stderr: namespace === undefined ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n` });
    }
    done(print(flags.output, () => printObjects(type, items, true, opts)));
  });
};

/** Printing can fail only on a jsonpath kubectl cannot read: its error, as kubectl words it. */
function print(output: string | undefined, render: () => string): ReturnType<typeof ok> {
  try {
    return ok(render());
  } catch (err) {
    if (!(err instanceof JsonPathError)) throw err;
    return fail(`error: error parsing jsonpath ${(output ?? '').slice('jsonpath='.length)}, ${err.message}`);
  }
}
