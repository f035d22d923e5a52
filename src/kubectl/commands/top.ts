import type { ApiClient } from '../../engine/apiserver/apiClient';
import type { KubeObject, Status } from '../../engine/apiserver/apiObjects';
import { METRICS_RESOURCES } from '../../engine/apiserver/apiProtocol';
import { goDuration } from '../../engine/metrics/metricsStorage';
import { parseRfc3339 } from '../../engine/virtualTime';
import { fail, flagBool, flagString, type KubectlCommand, type KubectlEnv, type KubectlFlags, type KubectlResult } from '../kubectlEnv';
import { formatStatus } from '../printers';
import { type NodeRow, type PodRow, printNodeMetrics, printPodMetrics, type SortBy, type Usage } from '../topPrinter';
import { clientFor } from './client';

/** kubectl top pod: pods younger than this without metrics are "not available yet", older ones are reported. */
const METRICS_CREATION_DELAY_MS = 2 * 60_000;

type Request = Parameters<ApiClient['request']>[0];
type Answer = { ok: true; value: unknown } | { ok: false; result: KubectlResult };

/**
 * `kubectl top nodes|pods [NAME]`: usage from the Metrics API (metrics.k8s.io, served by
 * metrics-server through the API servers). Without that API kubectl stops with its own error.
 */
export const top: KubectlCommand = (env, args, flags, _stdin, done) => {
  const [what, name, extra] = args;
  if (what === undefined) return done(fail("error: Required resource not specified.\nSee 'kubectl top -h' for help and examples"));
  const nodes = ['node', 'nodes', 'no'].includes(what);
  if (!nodes && !['pod', 'pods', 'po'].includes(what)) return done(fail(`error: unknown command "${what}" for "kubectl top"`));
  const use = nodes ? 'node [NAME | -l label]' : 'pod [NAME | -l label]';
  if (extra !== undefined) return done(fail(`error: ${use}\nSee 'kubectl top ${nodes ? 'node' : 'pod'} -h' for help and examples`));
  const sortBy = flagString(flags, 'sort-by') ?? '';
  if (sortBy !== '' && sortBy !== 'cpu' && sortBy !== 'memory') return done(fail('error: --sort-by accepts only cpu or memory'));
  if (name !== undefined && flags.selector !== undefined) return done(fail(`error: only one of NAME or ${nodes ? '--selector' : 'selector'} can be provided`));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  if (nodes) topNodes(client, name, flags, sortBy, done);
  else topPods(env, client, name, flags, sortBy, done);
};

function call(client: ApiClient, req: Request, done: (a: Answer) => void): void {
  client.request(req, (r) => {
    if (!r.ok) return done({ ok: false, result: fail(r.error) });
    if (!r.result.ok) return done({ ok: false, result: fail(metricsError(r.result.status)) });
    done({ ok: true, value: r.result.value });
  });
}

/** A bare 404 for the group means discovery does not list metrics.k8s.io: no metrics-server. */
function metricsError(s: Status): string {
  if (s.code === 404 && s.details === undefined) return 'error: Metrics API not available';
  return formatStatus(s);
}

function items(value: unknown): KubeObject[] {
  const v = value as { items?: KubeObject[] };
  return v.items ?? [value as KubeObject];
}

function topNodes(client: ApiClient, name: string | undefined, flags: KubectlFlags, sortBy: SortBy, done: (r: KubectlResult) => void): void {
  const selector = flags.selector === undefined ? {} : { labelSelector: flags.selector };
  const byName = name === undefined ? { verb: 'list' as const, ...selector } : { verb: 'get' as const, name };
  call(client, { ...byName, resource: METRICS_RESOURCES.nodes }, (m) => {
    if (!m.ok) return done(m.result);
    const metrics: NodeRow[] = items(m.value).map((o) => ({ name: o.metadata.name ?? '', usage: (o.usage ?? {}) as Usage }));
    if (metrics.length === 0) return done(fail('error: metrics not available yet'));
    client.request({ ...byName, resource: 'nodes' }, (r) => {
      if (!r.ok) return done(fail(r.error));
      if (!r.result.ok) return done(fail(formatStatus(r.result.status)));
      const allocatable = new Map(items(r.result.value).map((n) => [n.metadata.name ?? '', ((n.status as { allocatable?: Usage } | undefined)?.allocatable ?? {}) as Usage]));
      done({ exitCode: 0, stdout: printNodeMetrics(metrics, allocatable, sortBy, flagBool(flags, 'no-headers')), stderr: '' });
    });
  });
}

function topPods(env: KubectlEnv, client: ApiClient, name: string | undefined, flags: KubectlFlags, sortBy: SortBy, done: (r: KubectlResult) => void): void {
  const namespace = flags.namespace ?? 'default';
  const selector = flags.selector === undefined ? {} : { labelSelector: flags.selector };
  const req: Request =
    name === undefined
      ? { verb: 'list', resource: METRICS_RESOURCES.pods, ...(flags.allNamespaces ? {} : { namespace }), ...selector }
      : { verb: 'get', resource: METRICS_RESOURCES.pods, namespace, name };
  call(client, req, (m) => {
    if (!m.ok) return done(m.result);
    const metrics: PodRow[] = items(m.value).map((o) => ({
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name ?? '',
      containers: ((o.containers ?? []) as { name: string; usage?: Usage }[]).map((c) => ({ name: c.name, usage: c.usage ?? {} })),
    }));
    const print = (stderr: string): void =>
      done({ exitCode: 0, stdout: printPodMetrics(metrics, { containers: flagBool(flags, 'containers'), withNamespace: flags.allNamespaces, noHeaders: flagBool(flags, 'no-headers'), sortBy }), stderr });
    if (metrics.length > 0) return print('');
    // No metrics at all: kubectl looks at the pods (in the current namespace, even with -A) to say why.
    client.request({ verb: 'list', resource: 'pods', namespace, ...selector }, (r) => {
      if (!r.ok) return done(fail(r.error));
      if (!r.result.ok) return done(fail(formatStatus(r.result.status)));
      const pods = items(r.result.value);
      if (pods.length === 0) return print(flags.allNamespaces ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`);
      for (const p of pods) {
        const age = env.world.now - (parseRfc3339(p.metadata.creationTimestamp ?? '') ?? env.world.now);
        if (age > METRICS_CREATION_DELAY_MS) return done(fail(`error: Metrics not available for pod ${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}, age: ${goDuration(age)}`));
      }
      done(fail('error: metrics not available yet'));
    });
  });
}
