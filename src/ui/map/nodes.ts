import type { ClusterSnapshot } from '../../engine';
import type { ClusterModel, NodeModel } from '../protocol';
import type { Role } from './layout';

/** A node as the map draws it: the host (from the snapshot, every frame) joined with its Node object (from the model). */
export interface MapNode {
  readonly name: string;
  readonly role: Role;
  readonly zone: string;
  readonly alive: boolean;
  readonly partitionGroup: number | null;
  /** The Node object as the API has it; null before the model has it. */
  readonly model: NodeModel | null;
  /** The etcd member on a master. */
  readonly etcd: { readonly role: string; readonly term: number; readonly commit: number } | null;
  /** This master holds the kube-scheduler / kube-controller-manager Lease. */
  readonly scheduler: boolean;
  readonly controllerManager: boolean;
}

export function joinNodes(snapshot: ClusterSnapshot, model: ClusterModel): MapNode[] {
  const models = new Map(model.nodes.map((n) => [n.name, n]));
  const etcd = new Map(snapshot.etcd.map((m) => [m.id, m]));
  return snapshot.nodes.map((n) => {
    const m = etcd.get(n.name);
    return {
      name: n.name,
      role: n.role,
      zone: n.zone,
      alive: n.alive,
      partitionGroup: n.partitionGroup,
      model: models.get(n.name) ?? null,
      etcd: m === undefined ? null : { role: m.alive ? m.role : 'down', term: m.term, commit: m.commit },
      scheduler: model.leases.scheduler === n.name,
      controllerManager: model.leases.controllerManager === n.name,
    };
  });
}

export type NodeStatus = 'Ready' | 'NotReady' | 'Unknown' | 'down' | 'not registered';

/** The Ready condition as kubectl's STATUS shows it; "down" when the host itself is off. */
export function nodeStatus(n: MapNode): NodeStatus {
  if (!n.alive) return 'down';
  const ready = n.model?.ready ?? null;
  if (ready === null) return 'not registered';
  return ready === 'True' ? 'Ready' : ready === 'False' ? 'NotReady' : 'Unknown';
}

/** Partition groups are lettered A, B, C… in the order the engine numbers them. */
export function groupLetter(group: number | null): string {
  return group === null ? '' : String.fromCharCode(65 + (group % 26));
}

/** A taint key without its well-known prefix: "node.kubernetes.io/unreachable" → "unreachable". */
export function shortTaint(key: string): string {
  const slash = key.lastIndexOf('/');
  return slash < 0 ? key : key.slice(slash + 1);
}

/** The facts under a node's name, most urgent first: "kubelet stopped", "SchedulingDisabled", taints. */
export function nodeNotes(n: MapNode): string[] {
  const notes: string[] = [];
  const m = n.model;
  if (n.alive && m !== null && !m.kubeletRunning) notes.push('kubelet stopped');
  if (m?.unschedulable === true) notes.push('SchedulingDisabled');
  const taints = m?.taints ?? [];
  // Cordoning adds the unschedulable taint; SchedulingDisabled already says so.
  const shown = taints.filter((t) => !(m?.unschedulable === true && t.key === 'node.kubernetes.io/unschedulable'));
  const first = shown[0];
  if (first !== undefined) notes.push(`${shortTaint(first.key)}:${first.effect}${shown.length > 1 ? ` +${shown.length - 1}` : ''}`);
  return notes;
}

/** The accessible name of a node's button: "worker-1, Ready, 3 pods". */
export function nodeLabel(n: MapNode, pods: number, podsListed: boolean): string {
  const parts = [n.name, nodeStatus(n), `${pods} pod${pods === 1 ? '' : 's'}${podsListed || pods === 0 ? '' : ' (not listed at this scale)'}`];
  parts.push(...nodeNotes(n));
  const taints = n.model?.taints ?? [];
  if (taints.length > 1) parts.push(`taints ${taints.map((t) => `${t.key}:${t.effect}`).join(' ')}`);
  if (n.partitionGroup !== null) parts.push(`partition group ${groupLetter(n.partitionGroup)}`);
  if (n.etcd !== null) parts.push(`etcd ${n.etcd.role}, term ${n.etcd.term}`);
  if (n.scheduler) parts.push('holds the kube-scheduler lease');
  if (n.controllerManager) parts.push('holds the kube-controller-manager lease');
  return parts.join(', ');
}
