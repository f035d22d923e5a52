import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../engine/apiserver/apiObjects';
import {
  applyTaints,
  drainedMessage,
  evictedMessage,
  evictingMessage,
  evictionRetryMessage,
  parseTaints,
  planDrain,
  setUnschedulable,
  splitTaintArgs,
  type ParsedTaints,
  type Taint,
} from './nodeOps';

type Obj = Record<string, unknown>;
const USAGE = "\nSee 'kubectl taint -h' for help and examples";
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const node = (spec: Obj = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' }, spec });

function parsed(specs: string[]): ParsedTaints {
  const p = parseTaints(specs);
  if ('error' in p) throw new Error(p.error);
  return p;
}

describe('splitTaintArgs', () => {
  it('separates the node from the taint changes, which must come last', () => {
    expect(splitTaintArgs(['node', 'worker-1', 'dedicated=gpu:NoSchedule', 'spot-'])).toEqual({ resources: ['node', 'worker-1'], specs: ['dedicated=gpu:NoSchedule', 'spot-'] });
    expect(splitTaintArgs(['node', 'a:NoSchedule', 'worker-1'])).toEqual({ error: 'error: all resources must be specified before taint changes: worker-1' });
    expect(splitTaintArgs(['node', 'worker-1'])).toEqual({ error: 'error: at least one taint update is required' });
    expect(splitTaintArgs(['a:NoSchedule'])).toEqual({ error: 'error: one or more resources must be specified as <resource> <name>' });
  });
});

describe('parseTaints', () => {
  it('reads additions and removals in all their forms', () => {
    expect(parseTaints(['dedicated=gpu:NoSchedule', 'spot:NoExecute', 'old-', 'x:PreferNoSchedule-', 'y=ignored:NoSchedule-'])).toEqual({
      add: [
        { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
        { key: 'spot', effect: 'NoExecute' },
      ],
      remove: [{ key: 'old' }, { key: 'x', effect: 'PreferNoSchedule' }, { key: 'y', effect: 'NoSchedule' }],
    });
    expect(parseTaints(['example.com/role=db:NoSchedule'])).toEqual({ add: [{ key: 'example.com/role', value: 'db', effect: 'NoSchedule' }], remove: [] });
  });

  it('rejects unknown effects and malformed specs as usage errors', () => {
    expect(parseTaints(['foo=bar:NoRun'])).toEqual({ error: `error: invalid taint effect: NoRun, unsupported taint effect${USAGE}` });
    expect(parseTaints(['foo:'])).toEqual({ error: `error: invalid taint effect: , unsupported taint effect${USAGE}` });
    expect(parseTaints(['a=b=c:NoSchedule'])).toEqual({ error: `error: invalid taint spec: a=b=c:NoSchedule${USAGE}` });
    expect(parseTaints(['a:b:NoSchedule'])).toEqual({ error: `error: invalid taint spec: a:b:NoSchedule${USAGE}` });
    // Without an effect "key=value" is read as a key, which then is no qualified name.
    expect(parseTaints(['foo=bar'])).toEqual({ error: `error: invalid taint spec: foo=bar, ${NAME_PART}${USAGE}` });
  });

  it('validates keys and values as Kubernetes does', () => {
    expect(parseTaints(['-foo:NoSchedule'])).toEqual({ error: `error: invalid taint spec: -foo:NoSchedule, ${NAME_PART}${USAGE}` });
    expect(parseTaints(['Example.com/foo:NoSchedule'])).toEqual({
      error:
        "error: invalid taint spec: Example.com/foo:NoSchedule, prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')" +
        USAGE,
    });
    expect(parseTaints(['a=-x:NoSchedule'])).toEqual({
      error:
        "error: invalid taint spec: a=-x:NoSchedule, a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')" +
        USAGE,
    });
    expect(parseTaints([`${'k'.repeat(64)}:NoSchedule`])).toEqual({ error: `error: invalid taint spec: ${'k'.repeat(64)}:NoSchedule, name part must be no more than 63 characters${USAGE}` });
  });

  it('rejects the same key and effect twice, and changing what is being removed', () => {
    expect(parseTaints(['a=1:NoSchedule', 'a=2:NoSchedule'])).toEqual({ error: `error: duplicated taints with the same key and effect: {a 2 NoSchedule <nil>}${USAGE}` });
    expect(parseTaints(['a=1:NoSchedule', 'a=2:NoExecute'])).not.toHaveProperty('error');
    expect(parseTaints(['dedicated=x:NoSchedule', 'dedicated-', 'spot:NoExecute', 'spot:NoExecute-'])).toEqual({
      error: 'error: can not both modify and remove the following taint(s) in the same command: {"dedicated":""}, {"spot":"NoExecute"}',
    });
  });
});

describe('applyTaints', () => {
  const NOW = '2025-01-01T00:10:00Z';
  const dedicated: Taint = { key: 'dedicated', value: 'db', effect: 'NoSchedule' };

  it('adds taints: "tainted", new ones first, NoExecute ones stamped', () => {
    const r = applyTaints(node({ taints: [dedicated] }), parsed(['spot:NoExecute', 'gpu=yes:PreferNoSchedule']), false, NOW);
    expect(r).toEqual({
      node: node({
        taints: [{ key: 'spot', effect: 'NoExecute', timeAdded: NOW }, { key: 'gpu', value: 'yes', effect: 'PreferNoSchedule' }, dedicated],
      }),
      message: 'node/worker-1 tainted',
    });
  });

  it('refuses to replace a taint without --overwrite, and says "modified" with it', () => {
    const n = node({ taints: [dedicated] });
    expect(applyTaints(n, parsed(['dedicated=web:NoSchedule']), false, NOW)).toEqual({
      error: 'error: node worker-1 already has dedicated taint(s) with same effect(s) and --overwrite is false',
    });
    expect(applyTaints(n, parsed(['dedicated=web:NoSchedule']), true, NOW)).toEqual({
      node: node({ taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }] }),
      message: 'node/worker-1 modified',
    });
  });

  it('removes by key or by key and effect: "untainted"', () => {
    const n = node({ taints: [dedicated, { key: 'dedicated', effect: 'NoExecute' }, { key: 'spot', effect: 'NoSchedule' }] });
    expect(applyTaints(n, parsed(['dedicated-']), false, NOW)).toEqual({ node: node({ taints: [{ key: 'spot', effect: 'NoSchedule' }] }), message: 'node/worker-1 untainted' });
    expect(applyTaints(n, parsed(['dedicated:NoExecute-', 'spot-']), false, NOW)).toEqual({ node: node({ taints: [dedicated] }), message: 'node/worker-1 untainted' });
    expect(applyTaints(node({ taints: [dedicated] }), parsed(['dedicated-']), false, NOW)).toEqual({ node: node({}), message: 'node/worker-1 untainted' });
  });

  it('says "modified" when adding and removing at once', () => {
    const r = applyTaints(node({ taints: [dedicated] }), parsed(['spot:NoSchedule', 'dedicated-']), false, NOW);
    expect(r).toEqual({ node: node({ taints: [{ key: 'spot', effect: 'NoSchedule' }] }), message: 'node/worker-1 modified' });
  });

  it('fails on taints that are not there, listing each when several', () => {
    const n = node({ taints: [dedicated] });
    expect(applyTaints(n, parsed(['foo-']), false, NOW)).toEqual({ error: 'error: taint "foo" not found' });
    expect(applyTaints(n, parsed(['foo-', 'dedicated:NoExecute-']), false, NOW)).toEqual({ error: 'taint "foo" not found\ntaint "dedicated:NoExecute" not found' });
  });
});

describe('cordon and uncordon', () => {
  it('marks the node unschedulable, or says it already is', () => {
    const cordoned = setUnschedulable(node({ podCIDR: '10.244.1.0/24' }), true);
    expect(cordoned).toEqual({ node: node({ podCIDR: '10.244.1.0/24', unschedulable: true }), changed: true, message: 'node/worker-1 cordoned' });
    expect(setUnschedulable(cordoned.node, true)).toMatchObject({ changed: false, message: 'node/worker-1 already cordoned' });
    expect(setUnschedulable(cordoned.node, false)).toEqual({ node: node({ podCIDR: '10.244.1.0/24' }), changed: true, message: 'node/worker-1 uncordoned' });
    expect(setUnschedulable(node(), false)).toMatchObject({ changed: false, message: 'node/worker-1 already uncordoned' });
  });
});

describe('planDrain', () => {
  const pod = (namespace: string, name: string, extra: { owner?: string; spec?: Obj; phase?: string; annotations?: Record<string, string>; nodeName?: string } = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
      ...(extra.owner
        ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: extra.owner.split('/')[0] as string, name: extra.owner.split('/')[1] as string, uid: 'u', controller: true }] }
        : {}),
    },
    spec: { nodeName: extra.nodeName ?? 'worker-1', containers: [{ name: 'c', image: 'i' }], ...extra.spec },
    status: { phase: extra.phase ?? 'Running' },
  });
  const emptyDir = { volumes: [{ name: 'cache', emptyDir: {} }] };
  const kubeProxy = pod('kube-system', 'kube-proxy-abcde', { owner: 'DaemonSet/kube-proxy' });
  const kindnet = pod('kube-system', 'kindnet-x7k2p', { owner: 'DaemonSet/kindnet' });
  const web = pod('default', 'web-7d4b9c-x2x9z', { owner: 'ReplicaSet/web-7d4b9c', spec: emptyDir });
  const bare = pod('default', 'nginx');
  const mirror = pod('kube-system', 'etcd-worker-1', { owner: 'Node/worker-1', annotations: { 'kubernetes.io/config.mirror': 'abc' } });
  const done = pod('default', 'job-done', { phase: 'Succeeded', spec: emptyDir });
  const elsewhere = pod('default', 'api-1', { owner: 'ReplicaSet/api', nodeName: 'worker-2' });
  const all = [kubeProxy, kindnet, web, bare, mirror, done, elsewhere];

  it('lists every blocking pod, grouped by reason, as kubectl v1.31 prints it', () => {
    expect(planDrain(node(), all, { ignoreDaemonsets: false, deleteEmptydirData: false, force: false })).toEqual({
      error: [
        'error: unable to drain node "worker-1" due to error: [cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/kube-proxy-abcde, kube-system/kindnet-x7k2p, cannot delete Pods with local storage (use --delete-emptydir-data to override): default/web-7d4b9c-x2x9z, cannot delete cannot delete Pods that declare no controller (use --force to override): default/nginx], continuing command...',
        'There are pending nodes to be drained:',
        ' worker-1',
        'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/kube-proxy-abcde, kube-system/kindnet-x7k2p',
        'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/web-7d4b9c-x2x9z',
        'cannot delete cannot delete Pods that declare no controller (use --force to override): default/nginx',
      ].join('\n'),
    });
  });

  it('prints a single reason without brackets', () => {
    expect(planDrain(node(), all, { ignoreDaemonsets: true, deleteEmptydirData: true, force: false })).toEqual({
      error: [
        'error: unable to drain node "worker-1" due to error: cannot delete cannot delete Pods that declare no controller (use --force to override): default/nginx, continuing command...',
        'There are pending nodes to be drained:',
        ' worker-1',
        'cannot delete cannot delete Pods that declare no controller (use --force to override): default/nginx',
      ].join('\n'),
    });
  });

  it('with every flag: evicts the rest, skips DaemonSet and mirror pods, warns', () => {
    expect(planDrain(node(), all, { ignoreDaemonsets: true, deleteEmptydirData: true, force: true })).toEqual({
      evict: [web, bare, done],
      usingEviction: true,
      warning: 'Warning: ignoring DaemonSet-managed Pods: kube-system/kube-proxy-abcde, kube-system/kindnet-x7k2p; deleting Pods that declare no controller: default/nginx',
    });
  });

  it('needs no flag for managed pods and finished ones; deletes instead with --disable-eviction', () => {
    const api = pod('default', 'api-5f6d-k2v', { owner: 'ReplicaSet/api-5f6d' });
    const plan = planDrain(node(), [api, done, elsewhere], { ignoreDaemonsets: false, deleteEmptydirData: false, force: false, disableEviction: true });
    expect(plan).toEqual({ evict: [api, done], usingEviction: false });
  });

  it('treats pods of a deleted DaemonSet as orphans: an error, or deleted with --force', () => {
    const orphan = pod('default', 'agent-q8', { owner: 'DaemonSet/agent' });
    const opts = { ignoreDaemonsets: true, deleteEmptydirData: false, force: false, daemonSetExists: () => false };
    expect(planDrain(node(), [orphan], opts)).toMatchObject({
      error: expect.stringContaining('\ncannot delete daemonsets.apps "agent" not found: default/agent-q8') as unknown,
    });
    expect(planDrain(node(), [orphan], { ...opts, force: true })).toEqual({ evict: [orphan], usingEviction: true });
  });

  it('words the per-pod and final lines as kubectl does', () => {
    expect(evictingMessage(web)).toBe('evicting pod default/web-7d4b9c-x2x9z');
    expect(evictedMessage(web, true)).toBe('pod/web-7d4b9c-x2x9z evicted');
    expect(evictedMessage(web, false)).toBe('pod/web-7d4b9c-x2x9z deleted');
    expect(evictionRetryMessage(web)).toBe(
      'error when evicting pods/"web-7d4b9c-x2x9z" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.',
    );
    expect(drainedMessage(node())).toBe('node/worker-1 drained');
  });
});
