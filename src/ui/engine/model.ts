import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { RESOURCES } from '../../engine/apiserver/resources';
import type { Cluster } from '../../engine/cluster';
import type { ClusterView } from '../../engine/clusterView';
import { bytes, milliCpu } from '../../engine/quantity';
import { podRequests } from '../../engine/scheduler/resources';
import { parseRfc3339 } from '../../engine/virtualTime';
import { podCells } from '../../kubectl/printers';
import type { ClusterModel, ConditionStatus, NodeModel, ObjectNames, PodModel, WorkloadModel } from '../protocol';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as unknown[]).map(o) : []);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * What the views draw, read from the observer's view of the stored objects plus the hosts'
 * state: nodes with their Ready condition and what is requested of them, pods with kubectl's
 * STATUS, workloads with desired vs observed, the leader-election Lease holders.
 */
export function buildModel(cluster: Cluster, view: ClusterView, now: number): ClusterModel {
  const pods = view.list('pods');
  const replicaSets = new Map(view.list('replicasets').map((rs) => [`${str(rs.metadata.namespace)}/${str(rs.metadata.name)}`, rs]));
  const podModels = pods.map((p) => podModel(p, replicaSets, now));
  return {
    revision: view.revision,
    nodes: nodeModels(cluster, view, pods),
    pods: podModels,
    workloads: workloadModels(view),
    leases: { scheduler: leaseHolder(view, 'kube-scheduler', now), controllerManager: leaseHolder(view, 'kube-controller-manager', now) },
    names: objectNames(view),
  };
}

function nodeModels(cluster: Cluster, view: ClusterView, pods: readonly KubeObject[]): NodeModel[] {
  const requested = new Map<string, { cpu: number; memory: number; count: number }>();
  for (const p of pods) {
    const node = str(o(p.spec).nodeName);
    const phase = str(o(p.status).phase);
    if (node === '' || phase === 'Succeeded' || phase === 'Failed') continue;
    const r = podRequests(p);
    const sum = requested.get(node) ?? { cpu: 0, memory: 0, count: 0 };
    sum.cpu += r.milliCpu;
    sum.memory += r.memory;
    sum.count += 1;
    requested.set(node, sum);
  }
  const net = cluster.world.net;
  return cluster.nodes.map((spec) => {
    const node = view.get('nodes', undefined, spec.name);
    const status = o(node?.status);
    const alloc = o(status.allocatable);
    const ready = arr(status.conditions).find((c) => c.type === 'Ready');
    const sum = requested.get(spec.name) ?? { cpu: 0, memory: 0, count: 0 };
    const quantity = (q: unknown, parse: (s: string | number) => number, fallback: number): number => {
      if (typeof q !== 'string' && typeof q !== 'number') return fallback;
      try {
        return parse(q);
      } catch {
        return fallback;
      }
    };
    return {
      name: spec.name,
      role: spec.role,
      zone: spec.zone,
      alive: net.isAlive(spec.name),
      kubeletRunning: cluster.kubelets.has(spec.name),
      ready: ready === undefined ? null : (str(ready.status) as ConditionStatus),
      unschedulable: o(node?.spec).unschedulable === true,
      taints: arr(o(node?.spec).taints).map((t) => ({ key: str(t.key), ...(typeof t.value === 'string' && t.value !== '' ? { value: t.value } : {}), effect: str(t.effect) })),
      cpu: { requested: sum.cpu, allocatable: quantity(alloc.cpu, milliCpu, milliCpu(spec.cpu)) },
      memory: { requested: sum.memory, allocatable: quantity(alloc.memory, bytes, bytes(spec.memory)) },
      pods: { count: sum.count, allocatable: quantity(alloc.pods, (q) => Number(q), spec.maxPods) },
      partitionGroup: net.groupOf(spec.name),
    };
  });
}

function podModel(p: KubeObject, replicaSets: ReadonlyMap<string, KubeObject>, now: number): PodModel {
  const cells = podCells(p, now);
  const status = o(p.status);
  const ready = arr(status.conditions).some((c) => c.type === 'Ready' && c.status === 'True');
  return {
    namespace: str(p.metadata.namespace),
    name: str(p.metadata.name),
    uid: str(p.metadata.uid),
    nodeName: str(o(p.spec).nodeName),
    phase: str(status.phase) || 'Pending',
    status: cells.reason,
    ready,
    readyText: cells.ready,
    restarts: Number.parseInt(cells.restarts, 10) || 0,
    owner: ownerOf(p, replicaSets),
    deleting: p.metadata.deletionTimestamp !== undefined,
  };
}

/** The top controller: a ReplicaSet's Deployment when it has one. */
function ownerOf(p: KubeObject, replicaSets: ReadonlyMap<string, KubeObject>): string {
  const ref = (p.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (ref === undefined) return '';
  if (ref.kind === 'ReplicaSet') {
    const rs = replicaSets.get(`${str(p.metadata.namespace)}/${ref.name}`);
    const up = (rs?.metadata.ownerReferences ?? []).find((r) => r.controller === true);
    if (up !== undefined) return `${up.kind}/${up.name}`;
  }
  return `${ref.kind}/${ref.name}`;
}

function workloadModels(view: ClusterView): WorkloadModel[] {
  const out: WorkloadModel[] = [];
  /** `finished`: a Job that completed or failed has nothing left to converge to. */
  const add = (kind: WorkloadModel['kind'], x: KubeObject, desired: number, current: number, ready: number, updated: number, available: number, finished = false): void => {
    const generationSeen = num(o(x.status).observedGeneration) >= num(x.metadata.generation);
    out.push({
      kind,
      namespace: str(x.metadata.namespace),
      name: str(x.metadata.name),
      desired,
      current,
      ready,
      updated,
      available,
      converging: !finished && (!generationSeen || current !== desired || ready !== desired || updated !== desired || available !== desired),
    });
  };
  for (const d of view.list('deployments')) {
    const s = o(d.status);
    const desired = typeof o(d.spec).replicas === 'number' ? num(o(d.spec).replicas) : 1;
    add('Deployment', d, desired, num(s.replicas), num(s.readyReplicas), num(s.updatedReplicas), num(s.availableReplicas));
  }
  for (const x of view.list('statefulsets')) {
    const s = o(x.status);
    const desired = typeof o(x.spec).replicas === 'number' ? num(o(x.spec).replicas) : 1;
    add('StatefulSet', x, desired, num(s.replicas), num(s.readyReplicas), num(s.updatedReplicas), num(s.availableReplicas));
  }
  for (const x of view.list('daemonsets')) {
    const s = o(x.status);
    add('DaemonSet', x, num(s.desiredNumberScheduled), num(s.currentNumberScheduled), num(s.numberReady), num(s.updatedNumberScheduled), num(s.numberAvailable));
  }
  for (const x of view.list('replicasets')) {
    // A Deployment's ReplicaSets are drawn through their Deployment.
    if ((x.metadata.ownerReferences ?? []).some((r) => r.controller === true)) continue;
    const s = o(x.status);
    const desired = typeof o(x.spec).replicas === 'number' ? num(o(x.spec).replicas) : 1;
    add('ReplicaSet', x, desired, num(s.replicas), num(s.readyReplicas), desired, num(s.availableReplicas));
  }
  for (const x of view.list('jobs')) {
    const s = o(x.status);
    const completions = typeof o(x.spec).completions === 'number' ? num(o(x.spec).completions) : 1;
    const done = num(s.succeeded);
    const finished = arr(s.conditions).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    add('Job', x, completions, done + num(s.active), done, done, done, finished);
  }
  return out;
}

/** The holder of a kube-system leader-election Lease, as the master's name; null when it lapsed. */
function leaseHolder(view: ClusterView, name: string, now: number): string | null {
  const lease = view.get('leases', 'kube-system', name);
  const spec = o(lease?.spec);
  const holder = str(spec.holderIdentity);
  if (holder === '') return null;
  const renewed = parseRfc3339(str(spec.renewTime));
  const duration = num(spec.leaseDurationSeconds) * 1000;
  if (renewed !== undefined && duration > 0 && renewed + duration < now) return null;
  // kube-scheduler and kube-controller-manager identify as "<hostname>_<uuid>".
  const underscore = holder.indexOf('_');
  return underscore > 0 ? holder.slice(0, underscore) : holder;
}

function objectNames(view: ClusterView): Record<string, ObjectNames> {
  const out: Record<string, ObjectNames> = {};
  for (const t of RESOURCES) {
    if (t.plural === 'events' || view.count(t.plural) === 0) continue;
    const byNs: Record<string, string[]> = {};
    for (const x of view.list(t.plural)) {
      const ns = t.namespaced ? str(x.metadata.namespace) : '';
      (byNs[ns] ??= []).push(str(x.metadata.name));
    }
    for (const names of Object.values(byNs)) names.sort();
    out[t.plural] = byNs;
  }
  return out;
}
