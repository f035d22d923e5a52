import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { resolveResource, type ResourceType } from '../../engine/apiserver/resources';
import type { KubectlFlags } from '../kubectlEnv';
import { printTables } from './get';
import { parseTargets } from './resourceArgs';

const type = (name: string): ResourceType => {
  const t = resolveResource(name);
  if ('error' in t) throw new Error(t.error);
  return t;
};
const DEPLOY = type('deployments');
const SVC = type('services');
const NS = type('namespaces');
const PODS = type('pods');

// Objects made 30s before "now" (virtual time 0 is 2025-01-01T00:00:00Z).
const NOW = 60_000;
const meta = (name: string, extra: object = {}): KubeObject['metadata'] => ({ name, namespace: 'default', creationTimestamp: '2025-01-01T00:00:30Z', ...extra });
const deploy = (name: string, ready: number, replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta(name, { labels: { app: name } }),
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  status: { readyReplicas: ready, updatedReplicas: ready, availableReplicas: ready },
});
const svc = (name: string, ip: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta(name),
  spec: { type: 'ClusterIP', clusterIPs: [ip], ports: [{ port: 80, protocol: 'TCP' }] },
});
const pod = (name: string, namespace: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta(name, { namespace }), spec: { containers: [{ name: 'c' }] }, status: { phase: 'Pending' } });
const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, creationTimestamp: '2025-01-01T00:00:30Z' }, status: { phase: 'Active' } });

const flags = (over: Partial<KubectlFlags> = {}, values: [string, string | boolean][] = []): KubectlFlags => ({ allNamespaces: false, filenames: [], values: new Map(values), ...over });

describe('kubectl get: several kinds in one command', () => {
  it('prints one table per kind, each with its own widths, a blank line between, names prefixed with the kind', () => {
    const out = printTables(
      [
        { type: DEPLOY, objects: [deploy('web', 1, 3)] },
        { type: SVC, objects: [svc('kubernetes', '10.96.0.1'), svc('web', '10.100.200.17')] },
      ],
      flags(),
      NOW,
    );
    expect(out.stdout).toBe(
      [
        'NAME                  READY   UP-TO-DATE   AVAILABLE   AGE',
        'deployment.apps/web   1/3     1            1           30s',
        '',
        'NAME                 TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE',
        'service/kubernetes   ClusterIP   10.96.0.1       <none>        80/TCP    30s',
        'service/web          ClusterIP   10.100.200.17   <none>        80/TCP    30s',
        '',
      ].join('\n'),
    );
    expect(out.stderr).toBeUndefined();
  });

  it('prints no header and no blank line for a kind with nothing, but still names the kinds of the others (get all)', () => {
    const out = printTables(
      [
        { type: PODS, objects: [] },
        { type: SVC, objects: [svc('kubernetes', '10.96.0.1')] },
        { type: DEPLOY, objects: [] },
      ],
      flags(),
      NOW,
    );
    expect(out.stdout).toBe(['NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE', 'service/kubernetes   ClusterIP   10.96.0.1    <none>        80/TCP    30s', ''].join('\n'));
  });

  it('keeps one kind in one table (get deploy a b), and starts a new table when the kind changes back', () => {
    const same = printTables(
      [
        { type: DEPLOY, objects: [deploy('a', 0, 1)] },
        { type: DEPLOY, objects: [deploy('longer-name', 2, 2)] },
      ],
      flags(),
      NOW,
    );
    expect(same.stdout).toBe(['NAME          READY   UP-TO-DATE   AVAILABLE   AGE', 'a             0/1     0            0           30s', 'longer-name   2/2     2            2           30s', ''].join('\n'));
    const mixed = printTables(
      [
        { type: DEPLOY, objects: [deploy('a', 0, 1)] },
        { type: SVC, objects: [svc('b', '10.0.0.1')] },
        { type: DEPLOY, objects: [deploy('c', 0, 1)] },
      ],
      flags(),
      NOW,
    );
    expect(mixed.stdout.split('\n').filter((l) => l.startsWith('NAME'))).toHaveLength(3);
    expect(mixed.stdout).toContain('deployment.apps/c   0/1');
  });

  it('with --no-headers: rows only, no blank line, each kind still aligned on its own', () => {
    const out = printTables(
      [
        { type: DEPLOY, objects: [deploy('web', 1, 3)] },
        { type: SVC, objects: [svc('web', '10.0.0.9')] },
      ],
      flags({}, [['no-headers', true]]),
      NOW,
    );
    expect(out.stdout).toBe(['deployment.apps/web   1/3   1     1     30s', 'service/web   ClusterIP   10.0.0.9   <none>   80/TCP   30s', ''].join('\n'));
  });

  it('with -A: a NAMESPACE column for namespaced kinds only', () => {
    const out = printTables(
      [
        { type: NS, objects: [ns('default')] },
        { type: PODS, objects: [pod('debug', 'tools')] },
      ],
      flags({ allNamespaces: true }),
      NOW,
    );
    expect(out.stdout).toBe(
      [
        'NAME                STATUS   AGE',
        'namespace/default   Active   30s',
        '',
        'NAMESPACE   NAME        READY   STATUS    RESTARTS   AGE',
        'tools       pod/debug   0/1     Pending   0          30s',
        '',
      ].join('\n'),
    );
  });

  it('puts LABELS after the -o wide columns with --show-labels', () => {
    const out = printTables([{ type: DEPLOY, objects: [deploy('web', 1, 1)] }], flags({ output: 'wide' }, [['show-labels', true]]), NOW);
    expect(out.stdout).toBe(['NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES   SELECTOR   LABELS', 'web    1/1     1            1           30s   c            nginx    app=web    app=web', ''].join('\n'));
  });

  it('says where nothing was found: the namespace for namespaced kinds, nothing more for -A or cluster-scoped kinds', () => {
    expect(printTables([{ type: PODS, objects: [] }], flags({ namespace: 'tools' }), NOW)).toEqual({ stdout: '', stderr: 'No resources found in tools namespace.\n' });
    expect(printTables([{ type: PODS, objects: [] }], flags({ allNamespaces: true }), NOW).stderr).toBe('No resources found\n');
    expect(printTables([{ type: type('nodes'), objects: [] }], flags(), NOW).stderr).toBe('No resources found\n');
    expect(printTables([{ type: PODS, objects: [] }], flags(), NOW, true).stderr).toBeUndefined();
  });
});

describe('kubectl resource arguments', () => {
  const names = (args: string[], selecting = false) => {
    const t = parseTargets(args, { selecting, listWithoutSelector: true });
    if ('error' in t) return t.error;
    return t.kind === 'list' ? t.types.map((x) => x.plural) : t.items.map((i) => `${i.type.plural}/${i.name}`);
  };

  it('reads TYPE,TYPE as lists, TYPE NAME… and TYPE,TYPE NAME as names, and expands "all"', () => {
    expect(names(['deploy,svc'])).toEqual(['deployments', 'services']);
    expect(names(['po,pods'])).toEqual(['pods']);
    expect(names(['deploy', 'a', 'b'])).toEqual(['deployments/a', 'deployments/b']);
    expect(names(['deploy,svc', 'web'])).toEqual(['deployments/web', 'services/web']);
    expect(names(['deploy/web', 'svc/web'])).toEqual(['deployments/web', 'services/web']);
    expect(names(['all'])).toEqual(['pods', 'services', 'daemonsets', 'deployments', 'replicasets', 'statefulsets', 'horizontalpodautoscalers', 'jobs']);
  });

  it('refuses what kubectl refuses, in its words', () => {
    expect(names(['deploy', 'svc/web'])).toMatch(/^error: there is no need to specify a resource type as a separate argument/);
    expect(names(['deploy/web/x'])).toBe('error: arguments in resource/name form may not have more than one slash');
    expect(names(['deploy,svc/web'])).toBe('error: arguments in resource/name form must have a single resource and name');
    expect(names(['deploy', 'web'], true)).toBe('error: name cannot be provided when a selector is specified');
    expect(names(['deploy/web'], true)).toBe('error: selectors and the all flag cannot be used when passing resource/name arguments');
    expect(names(['deploy,nope'])).toBe('error: the server doesn\'t have a resource type "nope"');
    expect(parseTargets(['pods'], { selecting: false, listWithoutSelector: false })).toEqual({ error: 'error: resource(s) were provided, but no name was specified' });
  });
});
