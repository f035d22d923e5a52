import { stderrAhead } from '../commandResult';
import type { ApiClient } from '../../engine/apiserver/apiClient';
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { EXEC_LIMIT_MS, type ExecResult } from '../../engine/apiserver/apiProtocol';
import { humanDuration } from '../../engine/duration';
import { parseRfc3339 } from '../../engine/virtualTime';
import type { FlagSpec } from '../flags';
import { fail, flagBool, flagString, type KubectlCommand, type KubectlResult } from '../kubectlEnv';
import { formatStatus } from '../printers';
import { clientFor } from './client';
import { fetchList, fetchObject, isResult, parseTarget } from './target';

/** The flags `kubectl exec` declares (besides -n and --context). */
export const EXEC_FLAGS: readonly FlagSpec[] = [
  { name: 'container', short: 'c', kind: 'string' },
  { name: 'stdin', short: 'i', kind: 'bool' },
  { name: 'tty', short: 't', kind: 'bool' },
  { name: 'quiet', short: 'q', kind: 'bool' },
];

const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container';
const DEPRECATED_FORM = 'kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n';
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

type Obj = Record<string, unknown>;

/**
 * `kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [args...]`: runs the command
 * in a running container (through the API server's pods/exec, proxied to the pod's kubelet) and
 * prints its output; a failing command's exit code becomes kubectl's. There is no terminal here,
 * so an interactive shell is refused with a hint to run commands one at a time.
 */
export const exec: KubectlCommand = (env, args, flags, _stdin, done, afterDashes) => {
  const quiet = flagBool(flags, 'quiet');
  const notes: string[] = [];
  // Without `--`, the words after the pod are the command (still accepted, with a warning).
  const command = afterDashes.length > 0 ? afterDashes : args.slice(1);
  if (afterDashes.length === 0 && args.length > 1 && !quiet) notes.push(DEPRECATED_FORM);
  // Its notes (the deprecated form, the defaulted container) come before the command's output.
  const finish = (r: KubectlResult): void => done(stderrAhead(r, notes.join('')));
  const [resource] = args;
  if (resource === undefined) return finish(fail('error: pod, type/name or --filename must be specified'));
  if (command.length === 0) return finish(fail('error: you must specify at least one command for the container'));
  if ((flagBool(flags, 'stdin') || flagBool(flags, 'tty')) && interactiveShell(command)) {
    const ns = flags.namespace === undefined ? '' : ` -n ${flags.namespace}`;
    return finish(fail(`error: interactive shells are not available in this playground: run one command at a time instead, e.g. kubectl exec ${resource}${ns} -- ls /`));
  }
  const target = parseTarget(resource.includes('/') ? [resource] : ['pod', resource]);
  if ('error' in target) return finish(fail(target.error));
  const client = clientFor(env, flags);
  if ('error' in client) return finish(fail(client.error));
  const namespace = flags.namespace ?? 'default';

  const inPod = (pod: KubeObject): void => {
    const phase = ((pod.status ?? {}) as { phase?: string }).phase;
    if (phase === 'Succeeded' || phase === 'Failed') return finish(fail(`error: cannot exec into a container in a completed pod; current phase is ${phase}`));
    const container = flagString(flags, 'container') ?? defaultContainer(pod, quiet, notes);
    const exec = { ...(container === undefined ? {} : { container }), command };
    // The stream lasts as long as the command runs (kubectl sets no request time-out on it); the
    // deadline only ends a stream whose answer was lost.
    client.request(
      { verb: 'create', resource: 'pods', subresource: 'exec', namespace, name: pod.metadata.name ?? '', exec },
      (r) => {
        if (!r.ok) return finish(fail(r.error));
        if (!r.result.ok) return finish(fail(formatStatus(r.result.status)));
        finish(execOutcome(r.result.value as ExecResult, command));
      },
      { timeoutMs: EXEC_LIMIT_MS + 60_000 },
    );
  };

  fetchObject(client, target.type, namespace, target.name, (object) => {
    if (isResult(object)) return finish(object);
    if (target.type.kind === 'Pod') return inPod(object);
    firstPod(client, namespace, object, (pod) => (isResult(pod) ? finish(pod) : inPod(pod)));
  });
};

/** A shell with no script to run (`sh`, `bash -il`): it would wait for a terminal. */
function interactiveShell(command: readonly string[]): boolean {
  const [prog = '', ...rest] = command;
  return SHELLS.has(prog.slice(prog.lastIndexOf('/') + 1)) && !rest.includes('-c');
}

/** What kubectl prints for the stream's end: the output, then the exit code if it is not 0. */
function execOutcome(r: ExecResult, command: readonly string[]): KubectlResult {
  if ('streamError' in r) return fail(`error: ${r.streamError}`);
  if (r.wouldRunMs !== undefined) {
    return { exitCode: 1, stdout: r.stdout, stderr: `error: "${command.join(' ')}" would run for ${humanDuration(r.wouldRunMs)}; this playground waits at most ${humanDuration(EXEC_LIMIT_MS)} for kubectl exec: run a shorter command\n` };
  }
  if (r.endless === true) {
    return { exitCode: 1, stdout: r.stdout, stderr: `error: "${command.join(' ')}" keeps running until it is interrupted, which this playground cannot do: run a command that ends by itself\n` };
  }
  if (r.exitCode === 0) return { exitCode: 0, stdout: r.stdout, stderr: '' };
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: `command terminated with exit code ${r.exitCode}\n` };
}

/**
 * The container kubectl picks without -c: the one the default-container annotation names, else
 * the first — saying so on stderr when there was a choice.
 */
function defaultContainer(pod: KubeObject, quiet: boolean, notes: string[]): string | undefined {
  const spec = (pod.spec ?? {}) as { containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
  const names = (spec.containers ?? []).map((c) => c.name);
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER];
  if (annotated !== undefined && names.includes(annotated)) return annotated;
  const first = names[0];
  const ephemeral = (spec.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`);
  const inits = (spec.initContainers ?? []).map((c) => `${c.name} (init)`);
  if (first !== undefined && !quiet && (names.length > 1 || ephemeral.length > 0 || inits.length > 0)) {
    notes.push(`Defaulted container "${first}" out of: ${[...names, ...ephemeral, ...inits].join(', ')}\n`);
  }
  return first;
}

/**
 * The pod `exec TYPE/NAME` runs in: of the pods the object selects, the most active one (assigned,
 * running, ready the longest, restarted least, oldest), as kubectl's AttachablePodForObject picks.
 */
function firstPod(client: ApiClient, namespace: string, object: KubeObject, done: (r: KubeObject | KubectlResult) => void): void {
  const labelSelector = selectorOf(object);
  if (labelSelector === undefined) {
    const version = object.apiVersion.split('/').at(-1) ?? 'v1';
    return done(fail(`error: cannot attach to *${version}.${object.kind}: selector for *${version}.${object.kind} not implemented`));
  }
  fetchList(client, 'pods', { namespace, labelSelector }, (pods) => {
    if (isResult(pods)) return done(pods);
    const [best] = [...pods].sort(moreActive);
    done(best ?? fail('error: timed out waiting for the condition'));
  });
}

/** The object's pod selector as a label selector string; undefined for kinds that select no pods. */
function selectorOf(object: KubeObject): string | undefined {
  const spec = (object.spec ?? {}) as { selector?: unknown };
  if (object.kind === 'Service') {
    const sel = (spec.selector ?? {}) as Record<string, string>;
    return Object.entries(sel)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }
  if (!['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'].includes(object.kind)) return undefined;
  const sel = (spec.selector ?? {}) as { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  const exprs = (sel.matchExpressions ?? []).map((e) => {
    const values = (e.values ?? []).join(',');
    return { In: `${e.key} in (${values})`, NotIn: `${e.key} notin (${values})`, Exists: e.key, DoesNotExist: `!${e.key}` }[e.operator] ?? '';
  });
  return [...Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`), ...exprs].filter((x) => x !== '').join(',');
}

/** Sorts the most active pod first (kubectl sorts by ActivePods, reversed). */
function moreActive(a: KubeObject, b: KubeObject): number {
  const rank = (p: KubeObject): number[] => {
    const spec = (p.spec ?? {}) as { nodeName?: string };
    const status = (p.status ?? {}) as { phase?: string; conditions?: Obj[]; containerStatuses?: { restartCount?: number }[] };
    const ready = status.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
    const readySince = parseRfc3339(String(ready?.lastTransitionTime ?? ''));
    const restarts = Math.max(0, ...(status.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
    const created = parseRfc3339(String(p.metadata.creationTimestamp ?? ''));
    const phase = { Pending: 0, Unknown: 1, Running: 2 }[status.phase ?? ''] ?? 0;
    // Larger first: assigned, phase, ready, ready earlier, fewer restarts, created earlier.
    return [spec.nodeName ? 1 : 0, phase, ready ? 1 : 0, ready ? -(readySince ?? 0) : 0, -restarts, -(created ?? 0)];
  };
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i++) {
    const d = (rb[i] ?? 0) - (ra[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
