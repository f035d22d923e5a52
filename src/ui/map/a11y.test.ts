import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot, NodeSnapshot } from '../../engine';
import { EMPTY_MODEL, EMPTY_SNAPSHOT } from '../store';
import type { ClusterModel, NodeModel, PodModel } from '../protocol';
import { buildA11y, LIST_PODS_MAX_NODES } from './a11y';
import { layoutMap } from './layout';
import { joinNodes, nodeLabel, nodeNotes, nodeStatus } from './nodes';
import { createPodView } from './pods';

function host(name: string, role: 'control-plane' | 'worker', zone: string, alive = true): NodeSnapshot {
  return { name, role, zone, cpu: '4', memory: '8Gi', maxPods: 110, internalIP: '10.0.1.10', alive, partitionGroup: null };
}

function nodeModel(name: string, over: Partial<NodeModel> = {}): NodeModel {
  return {
    name, role: 'worker', zone: 'a', alive: true, kubeletRunning: true, ready: 'True', unschedulable: false, taints: [],
    cpu: { requested: 0, allocatable: 4000 }, memory: { requested: 0, allocatable: 8 * 2 ** 30 }, pods: { count: 0, allocatable: 110 }, partitionGroup: null, ...over,
  };
}

function pod(name: string, node: string): PodModel {
  return { namespace: 'default', name, uid: name, nodeName: node, phase: 'Running', status: 'Running', ready: true, readyText: '1/1', restarts: 0, owner: 'Deployment/web', deleting: false };
}

function scene(hosts: NodeSnapshot[], models: NodeModel[], pods: PodModel[], etcd: ClusterSnapshot['etcd'] = []) {
  const snapshot: ClusterSnapshot = { ...EMPTY_SNAPSHOT, zones: ['a', 'b'], nodes: hosts, etcd };
  const model: ClusterModel = { ...EMPTY_MODEL, nodes: models, pods, leases: { scheduler: 'master-1', controllerManager: null } };
  const layout = layoutMap(snapshot.zones, hosts, { width: 520, height: 400 });
  const nodes = new Map(joinNodes(snapshot, model).map((n) => [n.name, n]));
  return { layout, nodes, pods: createPodView(pods), count: pods.length };
}

function at(s: ReturnType<typeof scene>, name: string) {
  const n = s.nodes.get(name);
  if (n === undefined) throw new Error(`no node ${name}`);
  return n;
}

describe('nodes as the map names them', () => {
  it('reads the Ready condition like kubectl, "down" for a killed host', () => {
    const s = scene([host('w1', 'worker', 'a'), host('w2', 'worker', 'a', false), host('w3', 'worker', 'b')], [nodeModel('w1'), nodeModel('w2', { ready: 'Unknown' })], []);
    expect(nodeStatus(at(s, 'w1'))).toBe('Ready');
    expect(nodeStatus(at(s, 'w2'))).toBe('down');
    expect(nodeStatus(at(s, 'w3'))).toBe('not registered');
  });

  it('labels a node button "worker-1, Ready, 3 pods", with what else is true of it', () => {
    const s = scene([host('worker-1', 'worker', 'a')], [nodeModel('worker-1')], [pod('a', 'worker-1'), pod('b', 'worker-1'), pod('c', 'worker-1')]);
    expect(nodeLabel(at(s, 'worker-1'), 3, true)).toBe('worker-1, Ready, 3 pods');
    const cordoned = scene([host('w', 'worker', 'a')], [nodeModel('w', { unschedulable: true, kubeletRunning: false, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] })], []);
    expect(nodeNotes(at(cordoned, 'w'))).toEqual(['kubelet stopped', 'SchedulingDisabled', 'unreachable:NoExecute']);
  });

  it('gives a master its etcd member and the leases it holds', () => {
    const etcd = [{ id: 'master-1', alive: true, role: 'leader', term: 4, vote: 'master-1', lead: 'master-1', commit: 90, applied: 90, lastIndex: 90, revision: 40, logTail: [] }];
    const s = scene([host('master-1', 'control-plane', 'a')], [nodeModel('master-1', { role: 'control-plane' })], [], etcd);
    const m = s.nodes.get('master-1');
    expect(m?.etcd).toEqual({ role: 'leader', term: 4, commit: 90 });
    expect(m?.scheduler).toBe(true);
    expect(m?.controllerManager).toBe(false);
    expect(nodeLabel(at(s, 'master-1'), 0, true)).toContain('etcd leader, term 4');
  });
});

describe('buildA11y', () => {
  it('mirrors zones, nodes and pods, with boxes relative to the zone', () => {
    const s = scene([host('w1', 'worker', 'a'), host('w2', 'worker', 'b')], [nodeModel('w1'), nodeModel('w2')], [pod('p1', 'w1'), pod('p2', 'w2')]);
    const a = buildA11y(s.layout, s.nodes, s.pods, s.count);
    expect(a.podsListed).toBe(true);
    expect(a.zones.map((z) => [z.name, z.nodes.map((e) => [e.node.name, e.pods.map((p) => p.name)])])).toEqual([
      ['a', [['w1', ['p1']]]],
      ['b', [['w2', ['p2']]]],
    ]);
    const zoneB = a.zones[1];
    const card = s.layout.byName.get('w2');
    expect(zoneB?.nodes[0]?.node.x).toBe((card?.x ?? 0) - (zoneB?.x ?? 0));
    expect(zoneB?.label).toBe('Zone b: 1 of 1 nodes Ready');
  });

  it('stops listing pods at scale, and says so on each node', () => {
    const hosts = Array.from({ length: LIST_PODS_MAX_NODES + 1 }, (_, i) => host(`w${i}`, 'worker', 'a'));
    const s = scene(hosts, hosts.map((h) => nodeModel(h.name)), [pod('p', 'w0')]);
    const a = buildA11y(s.layout, s.nodes, s.pods, s.count);
    expect(a.podsListed).toBe(false);
    expect(a.zones[0]?.nodes[0]?.pods).toEqual([]);
    expect(a.zones[0]?.nodes[0]?.node.label).toContain('1 pod (not listed at this scale)');
  });
});
