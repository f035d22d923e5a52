import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { evaluateJsonPath } from '../jsonpath';
import { fail, flagBool, flagString, type KubectlCommand, type KubectlFlags } from '../kubectlEnv';
import { asList, isOutputFormat, outputFormatError, printTable, tryPrintData } from '../printers';
import { clientFor } from './client';
import { fetchTargets, type Fetched, parseTargets, type Targets } from './resourceArgs';

const NO_TYPE =
  'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples';

/**
 * `kubectl get TYPE[,TYPE…] [NAME…] | TYPE/NAME… | all` with -n/-A, -l, --field-selector,
 * --show-labels, --no-headers, --sort-by and -o wide|name|yaml|json|jsonpath=….
 */
export const get: KubectlCommand = (env, args, flags, _stdin, done) => {
  const output = flags.output ?? '';
  if (args.length === 0) return done(fail(NO_TYPE));
  if (!isOutputFormat(output)) return done(fail(outputFormatError(output)));
  if (flagBool(flags, 'show-labels') && output !== '' && output !== 'wide') return done(fail(`error: --show-labels option cannot be used with ${output} printer`));
  if (flagBool(flags, 'watch')) return done(fail('error: --watch is not available in this playground: run the command again to see what changed'));
  const fieldSelector = flagString(flags, 'field-selector');
  const targets = parseTargets(args, { selecting: Boolean(flags.selector) || Boolean(fieldSelector), listWithoutSelector: true });
  if ('error' in targets) return done(fail(targets.error));
  if (targets.kind === 'names' && flags.allNamespaces && targets.items.some((i) => i.type.namespaced)) {
    return done(fail('error: a resource cannot be retrieved by name across all namespaces'));
  }
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  const selectors = { ...(flags.selector ? { labelSelector: flags.selector } : {}), ...(fieldSelector ? { fieldSelector } : {}) };
  fetchTargets(client, targets, flags, selectors, ({ fetched, errors }) => {
    const sortBy = flagString(flags, 'sort-by');
    const sorted = sortBy ? fetched.map((f) => ({ ...f, objects: sortObjects(f.objects, sortBy) })) : fetched;
    const stderr = errors.map((e) => `${e}\n`).join('');
    const result = output === '' || output === 'wide' ? printTables(sorted, flags, env.world.now, errors.length > 0) : printGeneric(sorted, targets, output);
    if ('error' in result) return done(fail(`${stderr}${result.error}`));
    done({ exitCode: errors.length > 0 ? 1 : 0, stdout: result.stdout, stderr: `${result.stderr ?? ''}${stderr}` });
  });
};

/**
 * Tables as kubectl prints them: one per run of objects of a kind, each with its own column
 * widths and header, a blank line between (none under --no-headers); names carry the kind when
 * the answer holds several kinds. With nothing to show and nothing failed, "No resources found"
 * on stderr.
 */
export function printTables(fetched: readonly Fetched[], flags: KubectlFlags, now: number, failed = false): { stdout: string; stderr?: string } {
  const withKind = new Set(fetched.map((f) => f.type)).size > 1;
  const noHeaders = flagBool(flags, 'no-headers');
  const runs: Fetched[] = [];
  for (const f of fetched) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.type === f.type) runs[runs.length - 1] = { type: f.type, objects: [...last.objects, ...f.objects] };
    else runs.push(f);
  }
  let stdout = '';
  for (const run of runs) {
    const table = printTable(run.type, run.objects, {
      wide: flags.output === 'wide',
      withNamespace: flags.allNamespaces && run.type.namespaced,
      withKind,
      showLabels: flagBool(flags, 'show-labels'),
      noHeaders,
      now,
    });
    if (table === '') continue;
    stdout += `${stdout !== '' && !noHeaders ? '\n' : ''}${table}`;
  }
  if (stdout !== '' || failed) return { stdout };
  const allNamespaced = !flags.allNamespaces && fetched.every((f) => f.type.namespaced);
  return { stdout, stderr: allNamespaced ? `No resources found in ${flags.namespace ?? 'default'} namespace.\n` : 'No resources found\n' };
}

/**
 * -o name|yaml|json|jsonpath: one object when one was asked for by name, otherwise a List of
 * everything found. A single named object that could not be got prints only its error.
 */
function printGeneric(fetched: readonly Fetched[], targets: Targets, output: string): { stdout: string; stderr?: string } | { error: string } {
  const objects = fetched.flatMap((f) => f.objects);
  const single = targets.kind === 'names' && targets.items.length === 1;
  if (single && objects.length === 0) return { stdout: '' };
  return tryPrintData(output, single ? objects[0] : asList(objects));
}

/** --sort-by: objects ordered by the value at a JSONPath (`.metadata.name` or `{.metadata.name}`); numbers by value. */
function sortObjects(objects: readonly KubeObject[], sortBy: string): KubeObject[] {
  const path = sortBy.startsWith('{') ? sortBy : `{${sortBy.startsWith('.') ? '' : '.'}${sortBy}}`;
  const key = (x: KubeObject): string => {
    try {
      return evaluateJsonPath(path, x);
    } catch {
      return '';
    }
  };
  const keyed = objects.map((x) => ({ x, k: key(x) }));
  const numeric = keyed.every(({ k }) => k !== '' && !Number.isNaN(Number(k)));
  return keyed
    .sort((a, b) => (numeric ? Number(a.k) - Number(b.k) : a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ x }) => x);
}

