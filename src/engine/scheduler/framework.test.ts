import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { Rng } from '../rng';
import { buildCycle, fitErrorMessage, numFeasibleNodesToFind, schedulePod, selectHost, type SchedulingInput } from './framework';

// ---------------------------------------------------------------- builders

interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
}

function node(name: string, o: NodeOpts = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: o.taints === undefined ? {} : { taints: o.taints },
    status: { allocatable: { cpu: o.cpu ?? '2', memory: o.memory ?? '4Gi', pods: o.pods ?? '110' } },
  };
}

const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const master = (name: string): KubeObject =>
  node(name, { labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [CONTROL_PLANE_TAINT] });

interface PodOpts {
  node?: string;
  labels?: Record<string, string>;
  cpu?: string;
  memory?: string;
  spec?: Record<string, unknown>;
}

function pod(name: string, o: PodOpts = {}): KubeObject {
  const requests: Record<string, string> = {};
  if (o.cpu !== undefined) requests.cpu = o.cpu;
  if (o.memory !== undefined) requests.memory = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: o.labels ?? {} },
    spec: {
      ...(o.node === undefined ? {} : { nodeName: o.node }),
      containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests } }],
      priority: 0,
      ...o.spec,
    },
    status: { phase: o.node === undefined ? 'Pending' : 'Running' },
  };
}

const schedule = (input: Partial<SchedulingInput> & { pod: KubeObject }, seed = 1) =>
  schedulePod({ nodes: [], pods: [], ...input }, new Rng(seed).fork('scheduler'));

const verdict = (d: ReturnType<typeof schedule>, name: string) => d.nodes.find((v) => v.node === name);

// ---------------------------------------------------------------- the FailedScheduling message

describe('FailedScheduling message', () => {
  it('counts reasons over nodes, sorts "<count> <reason>" strings and appends the preemption verdict', () => {
    // The message a kubeadm cluster shows for a pod that fits no worker: three masters tainted,
    // three workers too small. Taints are UnschedulableAndUnresolvable (preemption cannot help),
    // Insufficient cpu is Unschedulable but every pod has priority 0: no victims.
    const nodes = [master('master-1'), master('master-2'), master('master-3'), node('worker-1'), node('worker-2'), node('worker-3')];
    const d = schedule({ pod: pod('big', { cpu: '4' }), nodes });
    expect(d.node).toBeNull();
    expect(d.message).toBe(
      '0/6 nodes are available: 3 Insufficient cpu, 3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. ' +
        'preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.',
    );
    expect(verdict(d, 'master-1')?.filter).toEqual({
      plugin: 'TaintToleration',
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
    });
    expect(verdict(d, 'worker-2')?.filter).toEqual({ plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu'] });
    expect(d.nodes.map((v) => v.node)).toEqual(['master-1', 'master-2', 'master-3', 'worker-1', 'worker-2', 'worker-3']);
  });

  it('sorts the histogram as strings, so a larger count can come first', () => {
    expect(fitErrorMessage(12, [...Array<string[]>(10).fill(['b']), ['a'], ['a']])).toBe('0/12 nodes are available: 10 b, 2 a.');
  });

  it('says no nodes are available in a cluster without nodes', () => {
    expect(schedule({ pod: pod('p') }).message).toBe('no nodes available to schedule pods');
  });

  it('reports a PreFilter rejection once, not per node', () => {
    const claim = { ...pod('db'), spec: { ...(pod('db').spec as object), volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } };
    const d = schedule({ pod: claim, nodes: [node('a'), node('b')] });
    expect(d.message).toBe(
      '0/2 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
    expect(verdict(d, 'a')?.filter.plugin).toBe('VolumeBinding');
  });
});

// ---------------------------------------------------------------- filters

describe('NodeUnschedulable and NodeName', () => {
  it('keeps pods off a cordoned node unless they tolerate node.kubernetes.io/unschedulable', () => {
    const cordoned = { ...node('a'), spec: { unschedulable: true } };
    expect(schedule({ pod: pod('p'), nodes: [cordoned] }).message).toBe(
      '0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    const tolerant = pod('ds', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
    expect(schedule({ pod: tolerant, nodes: [cordoned] }).node).toBe('a');
  });

  it('fits a pod that names a node only there', () => {
    const d = schedule({ pod: pod('p', { spec: { nodeName: 'b' } }), nodes: [node('a'), node('b')] });
    expect(verdict(d, 'a')?.filter.reasons).toEqual(["node(s) didn't match the requested node name"]);
    expect(d.node).toBe('b');
  });
});

describe('TaintToleration', () => {
  const tainted = node('t', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] });

  it('rejects NoSchedule and NoExecute taints the pod does not tolerate, naming key and value', () => {
    expect(verdict(schedule({ pod: pod('p'), nodes: [tainted] }), 't')?.filter.reasons).toEqual(['node(s) had untolerated taint {dedicated: gpu}']);
  });

  it('accepts matching tolerations: Equal on the value, Exists on the key, an empty key with Exists on everything', () => {
    for (const t of [
      { key: 'dedicated', operator: 'Equal', value: 'gpu' },
      { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' },
      { operator: 'Exists' },
    ]) {
      expect(schedule({ pod: pod('p', { spec: { tolerations: [t] } }), nodes: [tainted] }).node).toBe('t');
    }
    expect(schedule({ pod: pod('p', { spec: { tolerations: [{ key: 'dedicated', value: 'cpu' }] } }), nodes: [tainted] }).node).toBeNull();
  });

  it('lets a tolerating pod land on a master', () => {
    const controlPlaneOnly = {
      nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
    };
    const nodes = [master('master-1'), node('worker-1'), node('worker-2'), node('worker-3')];
    expect(schedule({ pod: pod('etcd-backup', { spec: controlPlaneOnly }), nodes }).node).toBe('master-1');
    // Without the toleration the master fails on the taint (the first filter to reject), the workers on the selector.
    const untolerated = schedule({ pod: pod('x', { spec: { nodeSelector: controlPlaneOnly.nodeSelector } }), nodes });
    expect(untolerated.message).toBe(
      "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. " +
        'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
    );
  });

  it('scores PreferNoSchedule taints: the fewest untolerated wins 100, the most 0', () => {
    const soft = node('soft', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] });
    const d = schedule({ pod: pod('p'), nodes: [soft, node('plain')] });
    const score = (n: string) => verdict(d, n)?.scores?.find((s) => s.plugin === 'TaintToleration');
    expect(score('plain')).toMatchObject({ raw: 0, score: 100, weight: 3, weighted: 300 });
    expect(score('soft')).toMatchObject({ raw: 1, score: 0 });
    expect(d.node).toBe('plain');
  });
});

describe('NodeAffinity', () => {
  const nodes = [node('a', { labels: { disktype: 'ssd', cores: '8' } }), node('b', { labels: { disktype: 'hdd', cores: '4' } }), node('c')];
  const required = (exprs: unknown[]) => ({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: exprs }] } } },
  });

  it('rejects nodes a nodeSelector does not match', () => {
    const d = schedule({ pod: pod('p', { spec: { nodeSelector: { disktype: 'nvme' } } }), nodes });
    expect(d.message).toBe(
      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    expect(schedule({ pod: pod('p', { spec: { nodeSelector: { disktype: 'ssd' } } }), nodes }).node).toBe('a');
  });

  it('evaluates In, NotIn, Exists and Gt expressions', () => {
    const feasible = (exprs: unknown[]) =>
      schedule({ pod: pod('p', { spec: required(exprs) }), nodes })
        .nodes.filter((v) => v.filter.code === 'Success')
        .map((v) => v.node);
    expect(feasible([{ key: 'disktype', operator: 'In', values: ['ssd', 'hdd'] }])).toEqual(['a', 'b']);
    expect(feasible([{ key: 'disktype', operator: 'NotIn', values: ['ssd'] }])).toEqual(['b', 'c']);
    expect(feasible([{ key: 'cores', operator: 'Exists' }])).toEqual(['a', 'b']);
    expect(feasible([{ key: 'cores', operator: 'Gt', values: ['4'] }])).toEqual(['a']);
  });

  it('narrows a pod pinned by metadata.name (a DaemonSet pod) to its node before filtering', () => {
    const pinned = {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }] },
        },
      },
    };
    const d = schedule({ pod: pod('ds', { cpu: '3', spec: pinned }), nodes: [node('a'), node('b')] });
    expect(d.message).toBe(
      "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't satisfy plugin(s) [NodeAffinity]. " +
        'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    );
  });

  it('scores preferred terms by summed weight, scaled against the best node', () => {
    const preferred = {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 80, preference: { matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] } },
            { weight: 20, preference: { matchExpressions: [{ key: 'disktype', operator: 'In', values: ['hdd'] }] } },
          ],
        },
      },
    };
    const d = schedule({ pod: pod('p', { spec: preferred }), nodes });
    const score = (n: string) => verdict(d, n)?.scores?.find((s) => s.plugin === 'NodeAffinity')?.score;
    expect([score('a'), score('b'), score('c')]).toEqual([100, 25, 0]);
    expect(d.node).toBe('a');
  });
});

describe('NodePorts', () => {
  const withPort = (name: string, hostPort: number, hostIP?: string, nodeName?: string) =>
    pod(name, {
      ...(nodeName === undefined ? {} : { node: nodeName }),
      spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80, hostPort, ...(hostIP === undefined ? {} : { hostIP }) }] }] },
    });

  it('rejects a node where the host port is taken (preemption could free it)', () => {
    const d = schedule({ pod: withPort('new', 8080), nodes: [node('a')], pods: [withPort('old', 8080, undefined, 'a')] });
    expect(verdict(d, 'a')?.filter).toEqual({ plugin: 'NodePorts', code: 'Unschedulable', reasons: ["node(s) didn't have free ports for the requested pod ports"] });
  });

  it('lets two pods bind the same port on different host addresses', () => {
    const d = schedule({ pod: withPort('new', 8080, '10.0.0.2'), nodes: [node('a')], pods: [withPort('old', 8080, '10.0.0.1', 'a')] });
    expect(d.node).toBe('a');
  });
});

describe('NodeResourcesFit', () => {
  it('keeps every failing reason: pod count, memory, extended resources', () => {
    const full = node('a', { pods: '1', memory: '1Gi' });
    const p = pod('p', { memory: '2Gi' });
    (p.spec as { containers: { resources: { requests: Record<string, string> } }[] }).containers[0]!.resources.requests['nvidia.com/gpu'] = '1';
    const d = schedule({ pod: p, nodes: [full], pods: [pod('other', { node: 'a' })] });
    expect(verdict(d, 'a')?.filter.reasons).toEqual(['Too many pods', 'Insufficient memory', 'Insufficient nvidia.com/gpu']);
  });

  it('counts what the node’s pods request, not what they use', () => {
    const pods = [pod('x', { node: 'a', cpu: '1500m' })];
    expect(verdict(schedule({ pod: pod('p', { cpu: '600m' }), nodes: [node('a')], pods }), 'a')?.filter.reasons).toEqual(['Insufficient cpu']);
    expect(schedule({ pod: pod('p', { cpu: '500m' }), nodes: [node('a')], pods }).node).toBe('a');
  });

  it('does not count finished pods', () => {
    const done = { ...pod('job', { node: 'a', cpu: '2' }), status: { phase: 'Succeeded' } };
    expect(schedule({ pod: pod('p', { cpu: '1' }), nodes: [node('a')], pods: [done] }).node).toBe('a');
  });

  it('prefers the emptier node (LeastAllocated), with balanced cpu/memory use as a second opinion', () => {
    const nodes = [node('busy'), node('idle')];
    const pods = [pod('x', { node: 'busy', cpu: '1', memory: '1Gi' })];
    const d = schedule({ pod: pod('p', { cpu: '500m', memory: '512Mi' }), nodes, pods });
    const score = (n: string, plugin: string) => verdict(d, n)?.scores?.find((s) => s.plugin === plugin)?.score;
    // idle: cpu (2000-500)/2000 → 75, memory (4096-512)/4096 → 87; busy: 25 and 62 (integer arithmetic).
    expect(score('idle', 'NodeResourcesFit')).toBe(81);
    expect(score('busy', 'NodeResourcesFit')).toBe(43);
    // Balanced: 100 × (1 − |cpu share − memory share| / 2).
    expect(score('idle', 'NodeResourcesBalancedAllocation')).toBe(93);
    expect(score('busy', 'NodeResourcesBalancedAllocation')).toBe(81);
    expect(d.node).toBe('idle');
    expect(verdict(d, 'idle')?.total).toBe(verdict(d, 'idle')?.scores?.reduce((s, p) => s + p.weighted, 0));
  });
});

describe('volumes', () => {
  const claim = (name: string, spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
    ...(status === undefined ? {} : { status }),
  });
  const sc = (name: string, volumeBindingMode: string, provisioner = 'rancher.io/local-path'): KubeObject => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name },
    provisioner,
    volumeBindingMode,
  });
  const pv = (name: string, extra: Partial<KubeObject>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, ...(extra.metadata ?? {}) },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], ...((extra.spec as object) ?? {}) },
  });
  const user = pod('db', { spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } });
  const zoned = [node('a', { labels: { 'topology.kubernetes.io/zone': 'zone-a' } }), node('b', { labels: { 'topology.kubernetes.io/zone': 'zone-b' } })];

  it('rejects the pod while an Immediate claim is unbound', () => {
    const d = schedule({ pod: user, nodes: zoned, pvcs: [claim('data', { storageClassName: 'standard' })], storageClasses: [sc('standard', 'Immediate')] });
    expect(d.message).toBe(
      '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
  });

  it('schedules a pod whose claim waits for its first consumer', () => {
    const d = schedule({ pod: user, nodes: zoned, pvcs: [claim('data', { storageClassName: 'local' })], storageClasses: [sc('local', 'WaitForFirstConsumer')] });
    expect(d.node).not.toBeNull();
  });

  it('needs an available volume when the waiting class cannot provision', () => {
    const d = schedule({
      pod: user,
      nodes: zoned,
      pvcs: [claim('data', { storageClassName: 'manual' })],
      storageClasses: [sc('manual', 'WaitForFirstConsumer', 'kubernetes.io/no-provisioner')],
    });
    expect(verdict(d, 'a')?.filter.reasons).toEqual(["node(s) didn't find available persistent volumes to bind"]);
  });

  it("follows a bound volume's node affinity and zone labels", () => {
    const bound = claim('data', { storageClassName: 'standard', volumeName: 'pv-1' }, { phase: 'Bound' });
    const affinity = pv('pv-1', {
      spec: {
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a'] }] }] } },
      },
    });
    const d = schedule({ pod: user, nodes: zoned, pvcs: [bound], pvs: [affinity] });
    expect(verdict(d, 'b')?.filter).toEqual({ plugin: 'VolumeBinding', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had volume node affinity conflict'] });
    expect(d.node).toBe('a');
    const labelled = pv('pv-1', { metadata: { name: 'pv-1', labels: { 'topology.kubernetes.io/zone': 'zone-b' } } });
    const z = schedule({ pod: user, nodes: zoned, pvcs: [bound], pvs: [labelled] });
    expect(verdict(z, 'a')?.filter).toEqual({ plugin: 'VolumeZone', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had no available volume zone'] });
    expect(z.node).toBe('b');
  });
});

describe('PodTopologySpread', () => {
  const spread = (extra: Record<string, unknown> = {}) => ({
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...extra },
    ],
  });
  const zone = (name: string, z: string, o: NodeOpts = {}) => node(name, { ...o, labels: { 'topology.kubernetes.io/zone': z } });
  const web = (name: string, nodeName?: string) => pod(name, { labels: { app: 'web' }, ...(nodeName === undefined ? {} : { node: nodeName }), spec: spread() });

  it('spreads across zones with maxSkew 1', () => {
    const nodes = [zone('a1', 'zone-a'), zone('a2', 'zone-a'), zone('b1', 'zone-b')];
    const d = schedule({ pod: web('web-2'), nodes, pods: [web('web-1', 'a1')] });
    expect(verdict(d, 'a2')?.filter).toEqual({ plugin: 'PodTopologySpread', code: 'Unschedulable', reasons: ["node(s) didn't match pod topology spread constraints"] });
    expect(d.node).toBe('b1');
    // One in each zone: any node will do.
    const next = schedule({ pod: web('web-3'), nodes, pods: [web('web-1', 'a1'), web('web-2', 'b1')] });
    expect(next.nodes.every((v) => v.filter.code === 'Success')).toBe(true);
  });

  it('fails when the only zone that would keep the skew is full', () => {
    const nodes = [zone('a1', 'zone-a'), zone('a2', 'zone-a'), zone('b1', 'zone-b', { cpu: '100m' })];
    const d = schedule({ pod: { ...web('web-3'), spec: { ...(web('web-3').spec as object), containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '500m' } } }] } }, nodes, pods: [web('web-1', 'a1'), web('web-2', 'a2')] });
    expect(d.message).toBe(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match pod topology spread constraints. " +
        'preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    );
  });

  it('rules out nodes without the topology label', () => {
    const d = schedule({ pod: web('web-1'), nodes: [zone('a1', 'zone-a'), node('bare')] });
    expect(verdict(d, 'bare')?.filter.reasons).toEqual(["node(s) didn't match pod topology spread constraints (missing required label)"]);
  });

  it('treats the global minimum as 0 while fewer than minDomains zones exist', () => {
    const nodes = [zone('a1', 'zone-a'), zone('a2', 'zone-a')];
    expect(schedule({ pod: web('web-2'), nodes, pods: [web('web-1', 'a1')] }).node).not.toBeNull();
    const d = schedule({ pod: { ...web('web-2'), spec: { ...(web('web-2').spec as object), ...spread({ minDomains: 2 }) } }, nodes, pods: [web('web-1', 'a1')] });
    expect(d.node).toBeNull();
  });

  it("spreads a ReplicaSet's pods by hostname by default", () => {
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-7d4b9', namespace: 'default', uid: 'rs-uid' },
      spec: { selector: { matchLabels: { app: 'web' } } },
    };
    const owned = (name: string, nodeName?: string): KubeObject => {
      const p = pod(name, { labels: { app: 'web' }, ...(nodeName === undefined ? {} : { node: nodeName }) });
      p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9', uid: 'rs-uid', controller: true }];
      return p;
    };
    const d = schedule({ pod: owned('web-3'), nodes: [node('a'), node('b')], pods: [owned('web-1', 'a'), owned('web-2', 'a')], replicaSets: [rs] });
    const score = (n: string) => verdict(d, n)?.scores?.find((s) => s.plugin === 'PodTopologySpread')?.score;
    expect(score('b')).toBe(100);
    // a: round(2 × ln 4 + (3 − 1)) = 5, b: 2; normalized 100 × (5 + 2 − s) / 5.
    expect(score('a')).toBe(40);
    expect(d.node).toBe('b');
    // Without the owner (and no Service) there is no default spreading.
    expect(schedule({ pod: pod('lone'), nodes: [node('a'), node('b')] }).skippedScorePlugins).toContain('PodTopologySpread');
  });
});

describe('InterPodAffinity', () => {
  const antiAffinity = {
    affinity: {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }],
      },
    },
  };
  const replica = (name: string, nodeName?: string) => pod(name, { labels: { app: 'web' }, spec: antiAffinity, ...(nodeName === undefined ? {} : { node: nodeName }) });

  it('spreads three anti-affine replicas over three hostnames and fails the fourth', () => {
    const nodes = [node('a'), node('b'), node('c')];
    const placed: KubeObject[] = [];
    for (const name of ['web-1', 'web-2', 'web-3']) {
      const d = schedule({ pod: replica(name), nodes, pods: placed });
      expect(d.node).not.toBeNull();
      placed.push(replica(name, d.node ?? ''));
    }
    expect(new Set(placed.map((p) => (p.spec as { nodeName: string }).nodeName)).size).toBe(3);
    const fourth = schedule({ pod: replica('web-4'), nodes, pods: placed });
    expect(fourth.message).toBe(
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
    );
  });

  it("honours running pods' anti-affinity against the incoming pod", () => {
    const d = schedule({ pod: pod('newcomer', { labels: { app: 'web' } }), nodes: [node('a'), node('b')], pods: [replica('web-1', 'a')] });
    expect(verdict(d, 'a')?.filter.reasons).toEqual(["node(s) didn't satisfy existing pods anti-affinity rules"]);
    expect(d.node).toBe('b');
  });

  it('requires a matching pod in the topology domain, except for the first pod of a self-attracted group', () => {
    const withDb = {
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }],
        },
      },
    };
    const d = schedule({ pod: pod('api', { spec: withDb }), nodes: [node('a'), node('b')], pods: [pod('db-0', { node: 'b', labels: { app: 'db' } })] });
    expect(verdict(d, 'a')?.filter).toEqual({ plugin: 'InterPodAffinity', code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match pod affinity rules"] });
    expect(d.node).toBe('b');
    expect(schedule({ pod: pod('api', { spec: withDb }), nodes: [node('a')] }).node).toBeNull();
    expect(schedule({ pod: pod('db-1', { labels: { app: 'db' }, spec: withDb }), nodes: [node('a')] }).node).toBe('a');
  });

  it('scores preferred affinity towards the domain holding matching pods', () => {
    const preferred = {
      affinity: {
        podAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 50, podAffinityTerm: { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' } },
          ],
        },
      },
    };
    const d = schedule({ pod: pod('api', { spec: preferred }), nodes: [node('a'), node('b')], pods: [pod('cache-0', { node: 'b', labels: { app: 'cache' } })] });
    const score = (n: string) => verdict(d, n)?.scores?.find((s) => s.plugin === 'InterPodAffinity');
    expect(score('b')).toMatchObject({ raw: 50, score: 100, weight: 2 });
    expect(score('a')).toMatchObject({ raw: 0, score: 0 });
    expect(d.node).toBe('b');
  });
});

describe('ImageLocality', () => {
  it('favours the node that already has the image, scaled by how many nodes have it', () => {
    const withImage = node('cached');
    (withImage.status as Record<string, unknown>).images = [{ names: ['nginx:1.27'], sizeBytes: 500 * 2 ** 20 }];
    const d = schedule({ pod: pod('p'), nodes: [withImage, node('cold')] });
    const score = (n: string) => verdict(d, n)?.scores?.find((s) => s.plugin === 'ImageLocality')?.score;
    // 500 MiB on 1 of 2 nodes → 250 MiB; 100 × (250 − 23) / (1000 − 23) = 23.
    expect(score('cached')).toBe(23);
    expect(score('cold')).toBe(0);
  });
});

// ---------------------------------------------------------------- preemption and selectHost

describe('DefaultPreemption', () => {
  it('finds lower-priority victims and nominates their node; the event then has no preemption part', () => {
    const started = (p: KubeObject, at: string): KubeObject => ({ ...p, status: { phase: 'Running', startTime: at } });
    const important = pod('critical', { cpu: '1', spec: { priority: 1000 } });
    const low1 = pod('low-1', { node: 'a', cpu: '1' });
    const low2 = pod('low-2', { node: 'a', cpu: '500m' });
    // Pods are given back most important first (same priority: the earlier start): whichever
    // comes first fits back beside the preemptor, the other one is the victim.
    const d = schedule({ pod: important, nodes: [node('a')], pods: [started(low1, '2025-01-01T00:00:00Z'), started(low2, '2025-01-01T00:01:00Z')] });
    expect(d.node).toBeNull();
    expect(d.message).toBe('0/1 nodes are available: 1 Insufficient cpu.');
    expect(d.preemption).toEqual({ node: 'a', victims: ['default/low-2'] });
    const e = schedule({ pod: important, nodes: [node('a')], pods: [started(low1, '2025-01-01T00:01:00Z'), started(low2, '2025-01-01T00:00:00Z')] });
    expect(e.preemption).toEqual({ node: 'a', victims: ['default/low-1'] });
  });

  it('prefers the node whose victims have the lowest priority', () => {
    const d = schedule({
      pod: pod('critical', { cpu: '2', spec: { priority: 1000 } }),
      nodes: [node('a'), node('b')],
      pods: [pod('mid', { node: 'a', cpu: '1', spec: { priority: 500 } }), pod('low', { node: 'b', cpu: '1' })],
    });
    expect(d.preemption).toEqual({ node: 'b', victims: ['default/low'] });
  });

  it('does not preempt for a pod with preemptionPolicy Never', () => {
    const d = schedule({ pod: pod('p', { cpu: '4', spec: { priority: 1000, preemptionPolicy: 'Never' } }), nodes: [node('a')], pods: [pod('low', { node: 'a', cpu: '1' })] });
    expect(d.message).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
    expect(d.preemption).toBeUndefined();
  });

  it('explains a node where even removing every lower-priority pod would not help', () => {
    const d = schedule({ pod: pod('p', { cpu: '4', spec: { priority: 1000 } }), nodes: [node('a')], pods: [pod('low', { node: 'a', cpu: '1' })] });
    expect(d.message).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.');
  });
});

describe('selectHost', () => {
  const nodes = [node('a'), node('b'), node('c')];

  it('breaks ties with the rng only: the same seed picks the same node, whatever the node order', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const first = schedule({ pod: pod('p'), nodes }, seed).node;
      expect(schedule({ pod: pod('p'), nodes: [...nodes].reverse() }, seed).node).toBe(first);
    }
    const picks = new Set(Array.from({ length: 30 }, (_, seed) => schedule({ pod: pod('p'), nodes }, seed).node));
    expect(picks).toEqual(new Set(['a', 'b', 'c']));
  });

  it('never draws when the best total is unique', () => {
    const rng = new Rng(7);
    expect(selectHost([{ node: 'x', total: 10 }, { node: 'y', total: 20 }], rng)).toBe('y');
    expect(rng.u32()).toBe(new Rng(7).u32());
  });

  it('skips scoring when a single node is feasible', () => {
    const d = schedule({ pod: pod('p', { spec: { nodeName: 'b' } }), nodes });
    expect(d.node).toBe('b');
    expect(verdict(d, 'b')?.scores).toBeUndefined();
  });
});

describe('snapshot', () => {
  it('groups bound pods by node and leaves out the pod being scheduled', () => {
    const me = pod('me', { node: 'a' });
    const cycle = buildCycle({ pod: me, nodes: [node('b'), node('a')], pods: [me, pod('x', { node: 'a' }), pod('y')] });
    expect(cycle.nodes.map((n) => [n.name, n.pods.map((p) => p.name)])).toEqual([
      ['a', ['x']],
      ['b', []],
    ]);
  });
});

describe('percentageOfNodesToScore', () => {
  it('finds every feasible node below 100 nodes, then 50% less 1% per 125 nodes, never under 100 nodes or 5%', () => {
    expect([10, 99, 100, 200, 1_000, 5_000, 6_000, 20_000].map(numFeasibleNodesToFind)).toEqual([10, 99, 100, 100, 420, 500, 300, 1_000]);
  });

  it('in a large cluster stops filtering once enough nodes fit, starting where the last cycle stopped', () => {
    const nodes = Array.from({ length: 300 }, (_, i) => node(`n-${String(i).padStart(3, '0')}`));
    const wanted = numFeasibleNodesToFind(300);
    expect(wanted).toBe(144);
    const first = schedule({ pod: pod('p'), nodes, startIndex: 0 });
    expect(first.evaluated).toBe(wanted);
    expect(first.nodes.map((v) => v.node)).toEqual(nodes.slice(0, wanted).map((n) => n.metadata.name));
    expect(first.nodes.every((v) => v.scores !== undefined)).toBe(true);
    // The next cycle goes on from node 144 and wraps round to the start.
    const next = schedule({ pod: pod('q'), nodes, startIndex: 250 });
    expect(next.nodes.map((v) => v.node)).toEqual([...nodes.slice(0, 94), ...nodes.slice(250)].map((n) => n.metadata.name));
    expect(next.node !== null && next.nodes.some((v) => v.node === next.node)).toBe(true);
  });

  it('looks at every node when too few fit, so the FailedScheduling message still counts them all', () => {
    const tainted = { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] };
    const nodes = Array.from({ length: 300 }, (_, i) => node(`n-${String(i).padStart(3, '0')}`, i % 100 === 7 ? {} : tainted));
    const d = schedule({ pod: pod('p'), nodes, startIndex: 17 });
    expect(d.evaluated).toBe(300);
    expect(d.nodes.filter((v) => v.filter.code === 'Success').map((v) => v.node)).toEqual(['n-007', 'n-107', 'n-207']);
    const none = schedule({ pod: pod('p'), nodes: nodes.filter((n) => !['n-007', 'n-107', 'n-207'].includes(n.metadata.name ?? '')) });
    expect(none.message).toBe('0/297 nodes are available: 297 node(s) had untolerated taint {dedicated: db}. preemption: 0/297 nodes are available: 297 Preemption is not helpful for scheduling.');
  });
});
