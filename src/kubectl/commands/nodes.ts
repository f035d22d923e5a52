import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { resolveResource } from '../../engine/apiserver/resources';
import { rfc3339 } from '../../engine/virtualTime';
import { fail, flagBool, flagString, type KubectlCommand, type KubectlResult, ok } from '../kubectlEnv';
import { applyTaints, drainedMessage, evictedMessage, evictingMessage, evictionRetryMessage, parseTaints, planDrain, setUnschedulable, splitTaintArgs } from '../nodeOps';
import { formatStatus } from '../printers';
import { clientFor } from './client';
import { modifyObject } from './modify';
import { fetchList, fetchObject, isResult } from './target';

const NODES = resolveResource('nodes') as Exclude<ReturnType<typeof resolveResource>, { error: string }>;
/** kubectl drain retries a refused eviction after this long. */
const EVICTION_RETRY_MS = 5_000;
/** How often drain looks whether an evicted pod is gone. */
const GONE_POLL_MS = 1_000;
/** The longest drain waits in a console that has no Ctrl+C (kubectl's --timeout=0 waits for ever). */
const DRAIN_WAIT_MS_MAX = 300_000;

/** The node names a node command was given: `worker-1`, `node/worker-1`, `nodes worker-1`. */
function nodeNames(args: readonly string[]): string[] | { error: string } {
  if (args.length === 0) return { error: 'error: USAGE: cordon NODE [flags]\nSee \'kubectl cordon -h\' for help and examples' };
  const [first, ...rest] = args;
  const type = first === undefined || first.includes('/') || rest.length === 0 ? undefined : resolveResource(first);
  if (type !== undefined && !('error' in type) && type.kind === 'Node') return rest;
  return args.map((a) => (a.includes('/') ? a.slice(a.indexOf('/') + 1) : a));
}

/** `kubectl cordon NODE` / `kubectl uncordon NODE`: sets spec.unschedulable. */
function cordonLike(on: boolean): KubectlCommand {
  return (env, args, flags, _stdin, done) => {
    const names = nodeNames(args);
    if ('error' in names) return done(fail(names.error.replace('cordon', on ? 'cordon' : 'uncordon')));
    const client = clientFor(env, flags);
    if ('error' in client) return done(fail(client.error));
    let stdout = '';
    const next = (i: number): void => {
      const name = names[i];
      if (name === undefined) return done(ok(stdout));
      let message = '';
      modifyObject(client, NODES, undefined, name, (node) => {
        const r = setUnschedulable(node, on);
        message = r.message;
        return r.changed && flags.dryRun !== 'client' ? { object: r.node } : { refuse: ok('') };
      }, (r) => {
        if ('updated' in r || r.exitCode === 0) {
          stdout += `${message}${flags.dryRun === 'client' ? ' (dry run)' : ''}\n`;
          return next(i + 1);
        }
        done({ ...r, stdout: stdout + r.stdout });
      });
    };
    next(0);
  };
}

export const cordon = cordonLike(true);
export const uncordon = cordonLike(false);

/** `kubectl taint nodes NODE key=value:Effect | key:Effect- | key-`. */
export const taint: KubectlCommand = (env, args, flags, _stdin, done) => {
  const split = splitTaintArgs(args);
  if ('error' in split) return done(fail(split.error));
  const parsed = parseTaints(split.specs);
  if ('error' in parsed) return done(fail(parsed.error));
  const [kind, ...rest] = split.resources;
  const names = kind?.includes('/') ? split.resources.map((r) => r.slice(r.indexOf('/') + 1)) : rest;
  if (kind === undefined || names.length === 0) return done(fail('error: at least one taint update is required'));
  const type = resolveResource(kind.includes('/') ? kind.slice(0, kind.indexOf('/')) : kind);
  if ('error' in type) return done(fail(`error: ${type.error}`));
  if (type.kind !== 'Node') return done(fail(`error: invalid resource type ${kind}, only node types are supported`));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  let stdout = '';
  const next = (i: number): void => {
    const name = names[i];
    if (name === undefined) return done(ok(stdout));
    let message = '';
    modifyObject(client, NODES, undefined, name, (node) => {
      const r = applyTaints(node, parsed, flags.overwrite === true, rfc3339(env.world.now));
      if ('error' in r) return { refuse: fail(r.error) };
      message = r.message;
      return { object: r.node };
    }, (r) => {
      if (!('updated' in r)) return done({ ...r, stdout: stdout + r.stdout });
      stdout += `${message}\n`;
      next(i + 1);
    });
  };
  next(0);
};

/**
 * `kubectl drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force]`: cordons the
 * node, then evicts its pods through the eviction API (a PodDisruptionBudget may refuse: kubectl
 * retries every 5 s) and waits until each is gone.
 */
export const drain: KubectlCommand = (env, args, flags, _stdin, done) => {
  const names = nodeNames(args);
  if ('error' in names) return done(fail(names.error.replace('cordon', 'drain')));
  const name = names[0] as string;
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  let stdout = '';
  let stderr = '';
  const finish = (r?: KubectlResult): void => done(r === undefined ? { exitCode: stderr.includes('error') ? 1 : 0, stdout, stderr } : { exitCode: r.exitCode, stdout: stdout + r.stdout, stderr: stderr + r.stderr });
  const deadline = env.world.now + DRAIN_WAIT_MS_MAX;
  const graceFlag = flagString(flags, 'grace-period');
  if (graceFlag !== undefined && !/^-?\d+$/.test(graceFlag)) return done(fail(`error: invalid argument "${graceFlag}" for "--grace-period" flag: strconv.ParseInt: parsing "${graceFlag}": invalid syntax`));
  // -1 (the default) means each pod's own terminationGracePeriodSeconds.
  const grace = graceFlag === undefined || Number(graceFlag) < 0 ? {} : { gracePeriodSeconds: Number(graceFlag) };
  cordon(env, [name], flags, undefined, (c) => {
    if (c.exitCode !== 0) return done(c);
    stdout += c.stdout;
    fetchObject(client, NODES, undefined, name, (node) => {
      if (isResult(node)) return finish(node);
      fetchList(client, 'pods', { fieldSelector: `spec.nodeName=${name}` }, (pods) => {
        if (isResult(pods)) return finish(pods);
        const plan = planDrain(node, pods, {
          ignoreDaemonsets: flagBool(flags, 'ignore-daemonsets'),
          deleteEmptydirData: flagBool(flags, 'delete-emptydir-data'),
          force: flagBool(flags, 'force'),
          disableEviction: flagBool(flags, 'disable-eviction'),
        });
        if ('error' in plan) return finish(fail(plan.error));
        if (plan.warning !== undefined) stderr += `${plan.warning}\n`;
        const evictOne = (i: number): void => {
          const pod = plan.evict[i];
          if (pod === undefined) {
            stdout += `${drainedMessage(node)}\n`;
            return finish();
          }
          const namespace = pod.metadata.namespace ?? 'default';
          const podName = pod.metadata.name ?? '';
          if (plan.usingEviction) stdout += `${evictingMessage(pod)}\n`;
          const attempt = (): void => {
            const req = plan.usingEviction
              ? ({ verb: 'create', resource: 'pods', subresource: 'eviction', namespace, name: podName, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: podName, namespace }, ...(grace.gracePeriodSeconds === undefined ? {} : { deleteOptions: grace }) } as KubeObject } as const)
              : ({ verb: 'delete', resource: 'pods', namespace, name: podName, ...grace } as const);
            client.request(req, (r) => {
              if (!r.ok) return finish(fail(r.error));
              if (!r.result.ok && r.result.status.code === 429) {
                stderr += `${evictionRetryMessage(pod, r.result.status.message)}\n`;
                if (env.world.now >= deadline) return finish(fail(`error: error when evicting pods/"${podName}" -n "${namespace}": global timeout reached: ${DRAIN_WAIT_MS_MAX / 1000}s`));
                return void env.world.schedule(EVICTION_RETRY_MS, 'kubectl drain retry', attempt);
              }
              if (!r.result.ok && r.result.status.code !== 404) return finish(fail(formatStatus(r.result.status)));
              waitGone();
            });
          };
          const waitGone = (): void => {
            client.request({ verb: 'get', resource: 'pods', namespace, name: podName }, (g) => {
              const gone = g.ok && (!g.result.ok ? g.result.status.code === 404 : (g.result.value as KubeObject).metadata.uid !== pod.metadata.uid);
              if (gone) {
                stdout += `${evictedMessage(pod, plan.usingEviction)}\n`;
                return evictOne(i + 1);
              }
              if (env.world.now >= deadline) return finish(fail(`error: unable to drain node "${name}" due to error: global timeout reached: ${DRAIN_WAIT_MS_MAX / 1000}s, continuing command...\nThere are pending nodes to be drained:\n ${name}`));
              env.world.schedule(GONE_POLL_MS, 'kubectl drain wait', waitGone);
            });
          };
          attempt();
        };
        evictOne(0);
      });
    });
  }, []);
};
