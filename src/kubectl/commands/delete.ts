import type { PropagationPolicy } from '../../engine/apiserver/apiProtocol';
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { parseDuration } from '../../engine/duration';
import type { ResourceType } from '../../engine/apiserver/resources';
import { fail, flagBool, flagString, type KubectlCommand, type KubectlFlags, type KubectlResult } from '../kubectlEnv';
import { readManifests } from '../manifests';
import { formatStatus, kindRef } from '../printers';
import { clientFor } from './client';
import { fetchTargets, namespaceFor, parseTargets } from './resourceArgs';

/** One object to delete, and the file it was named in (for "error when deleting "web.yaml""). */
interface Doomed {
  readonly type: ResourceType;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly source: string;
}

interface DeleteOptions {
  readonly policy: PropagationPolicy;
  /** -1: the object's own grace period. */
  readonly grace: number;
  readonly dryRun: 'client' | 'server' | 'none';
  /** --wait (default true): wait until the objects are gone. */
  readonly wait: boolean;
  readonly waitMs: number;
}

const FORCE_WARNING = 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n';
const CLUSTER_SCOPE_WARNING = 'Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n';

/**
 * `kubectl delete` by TYPE NAME…, TYPE/NAME…, -f, -l / --field-selector or --all (-A for every
 * namespace), with --cascade, --grace-period, --now, --force and --dry-run: `deployment.apps
 * "web" deleted` per object. Then, as kubectl's --wait=true, it waits until every deleted object
 * is gone (a pod until its kubelet has stopped it): up to --timeout, or at most five virtual
 * minutes (kubectl's default is a week).
 */
export const del: KubectlCommand = (env, args, flags, stdin, done) => {
  const opts = deleteOptions(flags);
  if ('error' in opts) return done(fail(opts.error));
  let stderr = opts.warnings;
  const found = doomed(args, flags, stdin, env.files);
  if ('error' in found) return done(fail(`${stderr}${found.error}`));
  if (opts.force && opts.grace === 0) stderr += FORCE_WARNING;
  if (opts.force && opts.grace > 0) return done(fail(`${stderr}error: --force and --grace-period greater than 0 cannot be specified together`));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(`${stderr}${client.error}`));

  // The flag and --force warnings come before anything on stdout (and the cluster-scope one, when nothing was deleted before it).
  let stderrFirst = stderr.length;
  let stdout = '';
  let failed = false;
  let warnClusterScope = flags.namespace !== undefined && !flags.allNamespaces;
  const deleted: { d: Doomed; uid: string }[] = [];
  const finish = (count: number): void => {
    if (count === 0 && !failed) stdout += 'No resources found\n';
    const end = (timedOut: string | undefined): void => {
      if (timedOut !== undefined) {
        stderr += `error: timed out waiting for the condition on ${timedOut}\n`;
        failed = true;
      }
      done({ exitCode: failed ? 1 : 0, stdout, stderr, ...(stderrFirst > 0 ? { stderrFirst } : {}) } satisfies KubectlResult);
    };
    if (!opts.wait || opts.dryRun !== 'none' || deleted.length === 0) return end(undefined);
    waitGone(env.world, client, deleted, opts.waitMs, end);
  };
  const run = (items: readonly Doomed[], ignoreNotFound: boolean): void => {
    const next = (i: number): void => {
      const d = items[i];
      if (d === undefined) return finish(items.length);
      if (warnClusterScope && !d.type.namespaced) {
        stderr += CLUSTER_SCOPE_WARNING;
        if (stdout === '') stderrFirst = stderr.length;
        warnClusterScope = false;
      }
      const line = `${kindRef(d.type)} "${d.name}" ${opts.grace === 0 ? 'force deleted' : 'deleted'}${opts.dryRun === 'client' ? ' (dry run)' : opts.dryRun === 'server' ? ' (server dry run)' : ''}\n`;
      if (opts.dryRun === 'client') {
        stdout += line;
        return next(i + 1);
      }
      const req = {
        verb: 'delete' as const,
        resource: d.type.plural,
        name: d.name,
        ...(d.namespace === undefined ? {} : { namespace: d.namespace }),
        propagationPolicy: opts.policy,
        ...(opts.grace >= 0 ? { gracePeriodSeconds: opts.grace } : {}),
        ...(opts.dryRun === 'server' ? { dryRun: true } : {}),
      };
      client.request(req, (r) => {
        if (!r.ok) {
          stderr += `${r.error}\n`;
          failed = true;
        } else if (!r.result.ok) {
          if (!(ignoreNotFound && r.result.status.code === 404)) {
            stderr += formatStatus(r.result.status, d.source === '' ? '' : `error when deleting "${d.source}": `);
            failed = true;
          }
        } else {
          stdout += line;
          deleted.push({ d, uid: (r.result.value as KubeObject | undefined)?.metadata?.uid ?? '' });
        }
        next(i + 1);
      });
    };
    next(0);
  };

  if (found.kind === 'items') {
    // A document kubectl cannot map is reported; the others are still deleted.
    for (const p of found.problems ?? []) stderr += `${p}\n`;
    if ((found.problems ?? []).length > 0) failed = true;
    return run(found.items, false);
  }
  const selectors = { ...(flags.selector ? { labelSelector: flags.selector } : {}), ...(found.fieldSelector ? { fieldSelector: found.fieldSelector } : {}) };
  fetchTargets(client, { kind: 'list', types: found.types }, flags, selectors, ({ fetched, errors }) => {
    for (const e of errors) stderr += `${e}\n`;
    if (errors.length > 0) failed = true;
    const items = fetched.flatMap((f) => f.objects.map((x) => ({ type: f.type, name: x.metadata.name ?? '', namespace: x.metadata.namespace, source: '' })));
    // -l, --field-selector and --all ignore objects that vanish before their turn.
    run(items, true);
  });
};

/** --cascade, --grace-period, --now and --force, read and reconciled as kubectl's Complete does. */
function deleteOptions(flags: KubectlFlags): (DeleteOptions & { force: boolean; warnings: string }) | { error: string } {
  const cascade = flagString(flags, 'cascade') ?? 'background';
  const policies: Record<string, PropagationPolicy> = { background: 'Background', foreground: 'Foreground', orphan: 'Orphan' };
  let policy = policies[cascade];
  let warnings = '';
  if (policy === undefined) {
    // The boolean values kubectl still takes: true means background, false orphan.
    const bool = parseGoBool(cascade);
    if (bool === undefined) return { error: `error: invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan"` };
    policy = bool ? 'Background' : 'Orphan';
    warnings += `warning: --cascade=${cascade} is deprecated (boolean value) and can be replaced with --cascade=${bool ? 'background' : 'orphan'}.\n`;
  }
  const graceText = flagString(flags, 'grace-period');
  let grace = -1;
  if (graceText !== undefined) {
    if (!/^[+-]?\d+$/.test(graceText)) {
      return { error: `error: invalid argument "${graceText}" for "--grace-period" flag: strconv.ParseInt: parsing "${graceText}": invalid syntax\nSee 'kubectl delete --help' for usage.` };
    }
    grace = Number(graceText);
  }
  const force = flagBool(flags, 'force');
  if (flagBool(flags, 'now')) {
    if (grace !== -1) return { error: 'error: --now and --grace-period cannot be specified together' };
    grace = 1;
  }
  // --grace-period=0 without --force means 1 (kubectl guards against accidental immediate deletion).
  if (grace === 0 && !force) grace = 1;
  if (force && grace < 0) grace = 0;
  const wait = flags.values.get('wait') !== false;
  const timeoutText = flagString(flags, 'timeout');
  let waitMs = DELETE_WAIT_MS_MAX;
  if (timeoutText !== undefined) {
    let t: number;
    try {
      t = parseDuration(timeoutText);
    } catch {
      return { error: `error: invalid argument "${timeoutText}" for "--timeout" flag: time: invalid duration "${timeoutText}"` };
    }
    if (t > 0) waitMs = Math.min(t, DELETE_WAIT_MS_MAX);
  }
  return { policy, grace, force, warnings, dryRun: flags.dryRun ?? 'none', wait, waitMs };
}

/** How long delete waits at most in virtual time (kubectl would wait a week; a lesson would not). */
const DELETE_WAIT_MS_MAX = 300_000;
/** kubectl watches; polling this often looks the same in a transcript. */
const DELETE_POLL_MS = 250;

/** Waits until each object is gone (or replaced by a new one of the same name); names the first still there at the deadline. */
function waitGone(world: Parameters<KubectlCommand>[0]['world'], client: Exclude<ReturnType<typeof clientFor>, { error: string }>, items: readonly { d: Doomed; uid: string }[], limitMs: number, done: (timedOut: string | undefined) => void): void {
  const deadline = world.now + limitMs;
  const look = (i: number): void => {
    const item = items[i];
    if (item === undefined) return done(undefined);
    const { d, uid } = item;
    client.request({ verb: 'get', resource: d.type.plural, name: d.name, ...(d.namespace === undefined ? {} : { namespace: d.namespace }) }, (r) => {
      const gone = r.ok && (!r.result.ok ? r.result.status.code === 404 : (r.result.value as KubeObject).metadata.uid !== uid);
      if (gone) return look(i + 1);
      if (world.now >= deadline) return done(`${d.type.plural}${d.type.group === '' ? '' : `.${d.type.group}`}/${d.name}`);
      world.schedule(DELETE_POLL_MS, 'kubectl delete --wait', () => look(i));
    });
  };
  look(0);
}

/** strconv.ParseBool. */
function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** What to delete: named objects (by argument or file), or the types whose objects a selector or --all picks. */
function doomed(
  args: readonly string[],
  flags: KubectlFlags,
  stdin: string | undefined,
  files: ReadonlyMap<string, string> | undefined,
): { kind: 'items'; items: Doomed[]; problems?: string[] } | { kind: 'select'; types: readonly ResourceType[]; fieldSelector?: string } | { error: string } {
  const fieldSelector = flagString(flags, 'field-selector');
  const all = flagBool(flags, 'all');
  if (all && (flags.selector || fieldSelector)) return { error: "error: setting 'all' parameter but found a non empty selector. " };
  if (flags.filenames.length > 0) {
    const read = readManifests(flags, stdin, files);
    if ('error' in read) return read;
    if (args.length > 0) return { error: 'error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well' };
    const problems = read.docs.flatMap((d) => ('error' in d ? [d.error] : []));
    const items = read.docs.flatMap((d) =>
      'error' in d ? [] : [{ type: d.type, name: d.name, namespace: d.type.namespaced ? (flags.namespace ?? d.object.metadata.namespace ?? 'default') : undefined, source: d.source }],
    );
    return { kind: 'items', items, problems };
  }
  const selecting = Boolean(flags.selector) || Boolean(fieldSelector) || all;
  const targets = parseTargets(args, { selecting, listWithoutSelector: false });
  if ('error' in targets) return targets;
  if (targets.kind === 'list') return { kind: 'select', types: targets.types, ...(fieldSelector ? { fieldSelector } : {}) };
  if (flags.allNamespaces && targets.items.some((i) => i.type.namespaced)) return { error: 'error: a resource cannot be retrieved by name across all namespaces' };
  return { kind: 'items', items: targets.items.map(({ type, name }) => ({ type, name, namespace: namespaceFor(type, { ...flags, allNamespaces: false }), source: '' })) };
}
