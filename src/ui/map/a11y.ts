import type { ClusterSnapshot } from '../../engine';
import type { ClusterModel, PodModel } from '../protocol';
import type { MapLayout } from './layout';
import { groupLetter, joinNodes, nodeLabel, nodeStatus, type MapNode } from './nodes';
import { chipBox, createPodView, podArea, podLabel, type PodView } from './pods';

/** Past this many nodes or pods the accessible layer lists nodes only: the DOM must stay cheap. */
export const LIST_PODS_MAX_NODES = 300;
export const LIST_PODS_MAX_PODS = 3_000;

/** One node's button: its card's box relative to its zone, and what tests and screen readers read. */
export interface A11yNode {
  readonly name: string;
  readonly role: string;
  readonly zone: string;
  readonly alive: boolean;
  /** The Ready condition's status ('' before the Node is registered). */
  readonly ready: string;
  readonly status: string;
  readonly unschedulable: boolean;
  readonly kubelet: 'running' | 'stopped' | '';
  readonly group: string;
  readonly raftRole: string;
  readonly term: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface A11yPod {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  readonly node: string;
  readonly phase: string;
  readonly status: string;
  readonly ready: boolean;
  readonly owner: string;
  readonly label: string;
  /** The chip's box relative to its zone (unused for unscheduled pods). */
  readonly x: number;
  readonly y: number;
  readonly size: number;
}

export interface A11yZone {
  readonly name: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** Each node followed by the pods drawn on it. */
  readonly nodes: readonly { readonly node: A11yNode; readonly pods: readonly A11yPod[] }[];
}

export interface A11yMap {
  readonly zones: readonly A11yZone[];
  readonly podsListed: boolean;
}

function podEntry(p: PodModel, x: number, y: number, size: number): A11yPod {
  return {
    uid: p.uid,
    name: p.name,
    namespace: p.namespace,
    node: p.nodeName,
    phase: p.phase,
    status: p.status,
    ready: p.ready,
    owner: p.owner,
    label: podLabel(p),
    x,
    y,
    size,
  };
}

export function unscheduledEntries(pods: readonly PodModel[]): A11yPod[] {
  return pods.map((p) => podEntry(p, 0, 0, 0));
}

function nodeEntry(n: MapNode, box: { x: number; y: number; w: number; h: number }, pods: number, podsListed: boolean): A11yNode {
  return {
    name: n.name,
    role: n.role,
    zone: n.zone,
    alive: n.alive,
    ready: n.model?.ready ?? '',
    status: nodeStatus(n),
    unschedulable: n.model?.unschedulable ?? false,
    kubelet: n.model === null ? '' : n.model.kubeletRunning ? 'running' : 'stopped',
    group: groupLetter(n.partitionGroup),
    raftRole: n.etcd?.role ?? '',
    term: n.etcd === null ? '' : String(n.etcd.term),
    label: nodeLabel(n, pods, podsListed),
    ...box,
  };
}

/** The accessible mirror of the map: zones, their nodes' cards, the pods drawn on them. */
export function buildA11y(layout: MapLayout, nodes: ReadonlyMap<string, MapNode>, pods: PodView, podCount: number): A11yMap {
  const podsListed = layout.cards.length <= LIST_PODS_MAX_NODES && podCount <= LIST_PODS_MAX_PODS;
  const zones = layout.zones.map((z) => {
    const entries = z.cards.flatMap((card) => {
      const n = nodes.get(card.name);
      if (n === undefined) return [];
      const onNode = pods.grouped.byNode.get(card.name) ?? [];
      const box = { x: card.x - z.x, y: card.y - z.y, w: card.w, h: card.h };
      const node = nodeEntry(n, box, onNode.length, podsListed);
      if (!podsListed) return [{ node, pods: [] }];
      const area = podArea(card.role);
      const chips = pods.slotsOf(card).slots.flatMap((p, i) => {
        if (p === null) return [];
        const chip = chipBox(card, area, i);
        return [podEntry(p, chip.x - z.x, chip.y - z.y, chip.w)];
      });
      return [{ node, pods: chips }];
    });
    const ready = entries.filter((e) => e.node.status === 'Ready').length;
    return { name: z.name, label: `Zone ${z.name}: ${ready} of ${entries.length} nodes Ready`, x: z.x, y: z.y, w: z.w, h: z.h, nodes: entries };
  });
  return { zones, podsListed };
}

/**
 * Derived data the canvas and the accessible layer share, recomputed only when what it is
 * derived from changes (the store publishes new objects each frame, so identity is the test).
 */
export function createSceneCache() {
  let snap: ClusterSnapshot | undefined;
  let model: ClusterModel | undefined;
  let nodes: ReadonlyMap<string, MapNode> = new Map();
  let pods: readonly PodModel[] | undefined;
  let view: PodView = createPodView([]);
  return {
    nodes(s: ClusterSnapshot, m: ClusterModel): ReadonlyMap<string, MapNode> {
      if (s !== snap || m !== model) {
        snap = s;
        model = m;
        nodes = new Map(joinNodes(s, m).map((n) => [n.name, n]));
      }
      return nodes;
    },
    pods(m: ClusterModel): PodView {
      if (m.pods !== pods) {
        pods = m.pods;
        view = createPodView(m.pods, new Set(m.nodes.map((n) => n.name)));
      }
      return view;
    },
  };
}

export type SceneCache = ReturnType<typeof createSceneCache>;
