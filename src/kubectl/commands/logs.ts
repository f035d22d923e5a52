import { stderrAhead } from '../commandResult';
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { fail, flagBool, flagString, type KubectlCommand, type KubectlResult } from '../kubectlEnv';
import { formatStatus } from '../printers';
import { clientFor } from './client';
import { fetchList, fetchObject, isResult, parseTarget } from './target';

const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container';

/**
 * `kubectl logs POD|TYPE/NAME [-c CONTAINER] [--previous] [--tail N] [--timestamps]`. Without -c
 * a pod of several containers logs its default one and says so on stderr, as kubectl does; a
 * Deployment, ReplicaSet, StatefulSet or Job logs one of its pods.
 */
export const logs: KubectlCommand = (env, args, flags, _stdin, done) => {
  if (args.length === 0) return done(fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples"));
  const target = parseTarget(args[0]?.includes('/') ? args : ['pod', ...args]);
  if ('error' in target) return done(fail(target.error));
  const tail = flagString(flags, 'tail');
  if (tail !== undefined && !/^-?\d+$/.test(tail)) return done(fail(`error: invalid argument "${tail}" for "--tail" flag: strconv.ParseInt: parsing "${tail}": invalid syntax`));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  const namespace = flags.namespace ?? 'default';
  const notes: string[] = [];

  const fromPod = (pod: KubeObject): void => {
    const spec = (pod.spec ?? {}) as { containers?: { name: string }[]; initContainers?: { name: string }[] };
    const names = (spec.containers ?? []).map((c) => c.name);
    const inits = (spec.initContainers ?? []).map((c) => c.name);
    const all = flagBool(flags, 'all-containers') ? [...inits, ...names] : undefined;
    let container = flagString(flags, 'container');
    if (container === undefined && all === undefined && names.length > 1) {
      const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER];
      container = annotated !== undefined && names.includes(annotated) ? annotated : names[0];
      notes.push(`Defaulted container "${container}" out of: ${[...names, ...inits.map((i) => `${i} (init)`)].join(', ')}\n`);
    }
    const containers = all ?? [container];
    let stdout = '';
    const next = (i: number): void => {
      if (i >= containers.length) return done(stderrAhead({ exitCode: 0, stdout, stderr: '' }, notes.join('')));
      const c = containers[i];
      const log = { ...(c === undefined ? {} : { container: c }), ...(flagBool(flags, 'previous') ? { previous: true } : {}), ...(tail === undefined ? {} : { tailLines: Number(tail) }), ...(flagBool(flags, 'timestamps') ? { timestamps: true } : {}) };
      client.request({ verb: 'get', resource: 'pods', subresource: 'log', namespace, name: pod.metadata.name ?? '', log }, (r) => {
        if (!r.ok) return finish(fail(r.error));
        if (!r.result.ok) return finish(fail(formatStatus(r.result.status)));
        stdout += String(r.result.value);
        next(i + 1);
      });
    };
    const finish = (f: KubectlResult): void => done(stderrAhead({ exitCode: f.exitCode, stdout: stdout + f.stdout, stderr: f.stderr }, notes.join('')));
    next(0);
  };

  const { type, name } = target;
  if (type.kind === 'Pod') {
    return fetchObject(client, type, namespace, name, (pod) => (isResult(pod) ? done(pod) : fromPod(pod)));
  }
  if (!['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'].includes(type.kind)) return done(fail(`error: cannot get the logs from ${type.plural}${type.group === '' ? '' : `.${type.group}`}`));
  fetchObject(client, type, namespace, name, (owner) => {
    if (isResult(owner)) return done(owner);
    const labels = ((owner.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels ?? {}) as Record<string, string>;
    const labelSelector = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    fetchList(client, 'pods', { namespace, labelSelector }, (pods) => {
      if (isResult(pods)) return done(pods);
      // kubectl prefers a running pod; the oldest first among equals.
      const sorted = [...pods].sort((a, b) => running(b) - running(a) || String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) || String(a.metadata.name).localeCompare(String(b.metadata.name)));
      const pod = sorted[0];
      if (pod === undefined) return done(fail(`error: timed out waiting for the condition`));
      if (sorted.length > 1) notes.push(`Found ${sorted.length} pods, using pod/${pod.metadata.name ?? ''}\n`);
      fromPod(pod);
    });
  });
};

const running = (p: KubeObject): number => ((p.status as { phase?: string } | undefined)?.phase === 'Running' ? 1 : 0);
