import type { KubeObject } from '../apiserver/apiObjects';
import { imageSpread, nodeImages, nodeInfo, occupiesNode, podInfo, type NodeInfo, type PodInfo, type Snapshot } from './framework';
import { compare } from './plugins/helpers';

/**
 * kube-scheduler's cache: the nodes and the pods bound (or assumed) to them, kept up to date from
 * the informers' events, and a snapshot taken before each cycle in which only the nodes that
 * changed since the last one are rebuilt (UpdateSnapshot with node generations). A scheduling
 * cycle then costs what its plugins look at, not a rebuild of the whole cluster.
 */
export class SchedulerCache {
  private readonly nodes = new Map<string, KubeObject>();
  private readonly images = new Map<string, { key: string; images: Map<string, number> }>();
  /** Pod key (uid) → the node it occupies and what the plugins read from it. */
  private readonly pods = new Map<string, { node: string; info: PodInfo }>();
  private readonly podsOnNode = new Map<string, Map<string, PodInfo>>();
  private readonly infos = new Map<string, NodeInfo>();
  private readonly dirty = new Set<string>();
  private list: NodeInfo[] = [];
  private index = new Map<string, number>();
  private orderChanged = true;
  private spread: Map<string, number> | undefined;

  setNode(node: KubeObject): void {
    const name = node.metadata.name ?? '';
    if (!this.nodes.has(name)) this.orderChanged = true;
    this.nodes.set(name, node);
    // Heartbeat-only status updates keep the parsed image list (and the cluster-wide spread).
    const imageList = (node.status as { images?: unknown } | undefined)?.images;
    const key = JSON.stringify(imageList ?? []);
    if (this.images.get(name)?.key !== key) {
      this.images.set(name, { key, images: nodeImages(node) });
      this.spread = undefined;
    }
    this.dirty.add(name);
  }

  removeNode(name: string): void {
    if (!this.nodes.delete(name)) return;
    this.images.delete(name);
    this.infos.delete(name);
    this.dirty.delete(name);
    this.spread = undefined;
    this.orderChanged = true;
  }

  /** A pod as last seen (or assumed): it occupies its node while bound and not finished. */
  setPod(pod: KubeObject): void {
    const info = podInfo(pod);
    if (!occupiesNode(pod)) return this.removePod(info.key);
    const node = String((pod.spec as { nodeName: string }).nodeName);
    const old = this.pods.get(info.key);
    if (old !== undefined && old.node !== node) this.detach(info.key, old.node);
    this.pods.set(info.key, { node, info });
    const onNode = this.podsOnNode.get(node) ?? new Map<string, PodInfo>();
    onNode.set(info.key, info);
    this.podsOnNode.set(node, onNode);
    this.dirty.add(node);
  }

  removePod(key: string): void {
    const old = this.pods.get(key);
    if (old === undefined) return;
    this.pods.delete(key);
    this.detach(key, old.node);
  }

  private detach(key: string, node: string): void {
    const onNode = this.podsOnNode.get(node);
    onNode?.delete(key);
    if (onNode?.size === 0) this.podsOnNode.delete(node);
    this.dirty.add(node);
  }

  /** The nodes sorted by name with their pods. The arrays handed out are never changed afterwards. */
  snapshot(): Snapshot {
    if (this.orderChanged) {
      const names = [...this.nodes.keys()].sort(compare);
      this.index = new Map(names.map((n, i) => [n, i]));
      this.list = names.map((n) => this.infos.get(n) ?? this.rebuild(n));
      this.orderChanged = false;
    } else if (this.dirty.size > 0) {
      this.list = this.list.slice();
    }
    for (const name of this.dirty) {
      const i = this.index.get(name);
      if (i !== undefined && this.nodes.has(name)) this.list[i] = this.rebuild(name);
    }
    this.dirty.clear();
    this.spread ??= imageSpread([...this.images.values()].map((i) => ({ images: i.images })));
    return { nodes: this.list, imageSpread: this.spread };
  }

  private rebuild(name: string): NodeInfo {
    const node = this.nodes.get(name) as KubeObject;
    const pods = [...(this.podsOnNode.get(name)?.values() ?? [])].sort((a, b) => compare(a.key, b.key));
    const info = nodeInfo(node, pods, this.images.get(name)?.images ?? new Map());
    this.infos.set(name, info);
    return info;
  }
}
