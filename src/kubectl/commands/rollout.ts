import type { ApiClient } from '../../engine/apiserver/apiClient';
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { parseDuration } from '../../engine/duration';
import { rfc3339 } from '../../engine/virtualTime';
import type { World } from '../../engine/world';
import { fail, flagString, type KubectlCommand, type KubectlResult, ok } from '../kubectlEnv';
import { describePodTemplate } from '../describe';
import { restartedAt, rolloutHistory, rolloutPause, rolloutResume, rolloutStatus, rolloutUndo } from '../rollout';
import { clientFor } from './client';
import { modifyObject } from './modify';
import { fetchList, fetchObject, isResult, namespaceFor, parseTarget } from './target';

/** How long `rollout status` watches when no --timeout is given (kubectl would wait for ever; a console needs an end). */
const STATUS_WAIT_MS_MAX = 300_000;
/** How often rollout status looks again. */
const STATUS_POLL_MS = 1_000;


const SUBCOMMANDS = ['history', 'pause', 'restart', 'resume', 'status', 'undo'];

/** `kubectl rollout status|history|undo|restart|pause|resume KIND/NAME`. */
export const rollout: KubectlCommand = (env, args, flags, _stdin, done) => {
  const [sub, ...rest] = args;
  if (sub === undefined || !SUBCOMMANDS.includes(sub)) {
    return done(fail(sub === undefined ? 'error: Required subcommand not specified: one of history, pause, restart, resume, status, undo' : `error: unknown command "${sub}" for "kubectl rollout"`));
  }
  const target = parseTarget(rest);
  if ('error' in target) return done(fail(target.error));
  const { type, name } = target;
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  const namespace = namespaceFor(type, flags);
  const revisionFlag = flagString(flags, sub === 'undo' ? 'to-revision' : 'revision') ?? '0';
  if (!/^-?\d+$/.test(revisionFlag)) return done(fail(`error: invalid argument "${revisionFlag}" for "--${sub === 'undo' ? 'to-revision' : 'revision'}" flag: strconv.ParseInt: parsing "${revisionFlag}": invalid syntax`));
  const revision = Number(revisionFlag);

  const change = (fn: (o: KubeObject) => { object: KubeObject; message: string } | { error: string }): void => {
    let message = '';
    modifyObject(client, type, namespace, name, (obj) => {
      const r = fn(obj);
      if ('error' in r) return { refuse: fail(r.error) };
      message = r.message;
      return { object: r.object };
    }, (r) => done('updated' in r ? ok(`${message}\n`) : r));
  };

  switch (sub) {
    case 'restart':
      return change((o) => restartedAt(o, rfc3339(env.world.now)));
    case 'pause':
      return change(rolloutPause);
    case 'resume':
      return change(rolloutResume);
    case 'status':
      return status(env.world, done, { client, type, namespace, name, revision, timeoutFlag: flagString(flags, 'timeout') });
  }
  fetchObject(client, type, namespace, name, (owner) => {
    if (isResult(owner)) return done(owner);
    ownedReplicaSets(client, owner, (revisions) => {
      if (isResult(revisions)) return done(revisions);
      if (sub === 'history') {
        const r = rolloutHistory(type.kind, name, owner, revisions, revision, describePodTemplate);
        return done('error' in r ? fail(r.error) : ok(r.output));
      }
      const undo = rolloutUndo(owner, revisions, revision);
      if ('error' in undo) return done(fail(undo.error));
      if (undo.object === undefined) return done(ok(`${undo.message}\n`));
      const restored = undo.object;
      modifyObject(client, type, namespace, name, (live) => ({ object: { ...live, spec: restored.spec } }), (r) => done('updated' in r ? ok(`${undo.message}\n`) : r));
    });
  });

  /** A Deployment's ReplicaSets (those it controls); StatefulSets and DaemonSets keep ControllerRevisions, which this API does not serve. */
  function ownedReplicaSets(api: ApiClient, owner: KubeObject, cb: (r: KubeObject[] | KubectlResult) => void): void {
    if (owner.kind !== 'Deployment') return cb([]);
    fetchList(api, 'replicasets', { ...(namespace === undefined ? {} : { namespace }) }, (items) => {
      if (isResult(items)) return cb(items);
      cb(items.filter((rs) => (rs.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid && r.controller === true)));
    });
  }
};

/**
 * `rollout status`: prints each new waiting message as the object changes, until the rollout
 * is done, fails (progress deadline exceeded), or the timeout passes.
 */
function status(
  world: World,
  done: (r: KubectlResult) => void,
  o: { client: Parameters<typeof fetchObject>[0]; type: Parameters<typeof fetchObject>[1]; namespace: string | undefined; name: string; revision: number; timeoutFlag: string | undefined },
): void {
  let timeoutMs = STATUS_WAIT_MS_MAX;
  if (o.timeoutFlag !== undefined) {
    let t: number;
    try {
      t = parseDuration(o.timeoutFlag);
    } catch {
      return done(fail(`error: invalid argument "${o.timeoutFlag}" for "--timeout" flag: time: invalid duration "${o.timeoutFlag}"`));
    }
    if (t > 0) timeoutMs = Math.min(t, STATUS_WAIT_MS_MAX);
  }
  const deadline = world.now + timeoutMs;
  let stdout = '';
  let last = '';
  const look = (): void => {
    fetchObject(o.client, o.type, o.namespace, o.name, (obj) => {
      if (isResult(obj)) return done({ ...obj, stdout: stdout + obj.stdout });
      const s = rolloutStatus(obj, o.revision);
      if ('error' in s) return done({ exitCode: 1, stdout, stderr: `${s.error}\n` });
      if (s.message !== last) stdout += s.message;
      last = s.message;
      if (s.done) return done(ok(stdout));
      if (world.now >= deadline) return done({ exitCode: 1, stdout, stderr: 'error: timed out waiting for the condition\n' });
      world.schedule(STATUS_POLL_MS, 'kubectl rollout status', look);
    });
  };
  look();
}
