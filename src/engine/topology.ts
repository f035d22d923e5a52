/**
 * The cluster's shape as a scenario writes it (`cluster:` in a Scenario), and the
 * nodes it makes. Names and labels follow kubeadm: masters are `master-1…N` with
 * the control-plane role, workers `worker-1…N`; with a `spread`, worker i goes to
 * zone (i − 1) mod (number of zones in the spread).
 */
export interface ClusterSpec {
  zones: string[];
  masters: { count: number; zones?: string[]; cpu?: string; memory?: string };
  workers: { count: number; spread?: string[]; cpu?: string; memory?: string; maxPods?: number };
}

export type NodeRole = 'control-plane' | 'worker';

export interface NodeSpec {
  readonly name: string;
  readonly role: NodeRole;
  readonly zone: string;
  /** Kubernetes quantities, as in a Node's status.capacity. */
  readonly cpu: string;
  readonly memory: string;
  readonly maxPods: number;
  /** The node's InternalIP: masters 10.0.0.10+, workers 10.0.1.10+ (more /24s past 245). */
  readonly internalIP: string;
}

/** Deterministic node addresses, as a cloud's subnet would hand them out. */
export function nodeIP(role: NodeRole, i: number): string {
  const base = role === 'control-plane' ? 0 : 1;
  return `10.0.${base + 2 * Math.floor(i / 245)}.${10 + (i % 245)}`;
}

/**
 * The first three octets of node i's pod CIDR: 10.244.i.0/24 as flannel's default /16 carves it,
 * continuing through 10.253.x (2,816 nodes), then into 172.16.0.0/12 for the largest clusters.
 */
export function podNet(i: number): string {
  if (i < 2_816) return `10.${244 + Math.floor(i / 256)}.${i % 256}`;
  const j = i - 2_816;
  return `172.${16 + Math.floor(j / 256)}.${j % 256}`;
}

export const MAX_MASTERS = 7;
export const MAX_WORKERS = 5_000;
/** The kubelet's default --max-pods. */
export const DEFAULT_MAX_PODS = 110;

/** 3 masters in zones a/a/b (so losing zone-b keeps quorum, losing zone-a does not), 3 workers over both zones. */
export const DEFAULT_CLUSTER_SPEC: ClusterSpec = {
  zones: ['zone-a', 'zone-b'],
  masters: { count: 3, zones: ['zone-a', 'zone-a', 'zone-b'], cpu: '2', memory: '4Gi' },
  workers: { count: 3, spread: ['zone-a', 'zone-b'], cpu: '4', memory: '8Gi', maxPods: DEFAULT_MAX_PODS },
};

/** A cluster spec that cannot be built; the message names the field, as `cluster.masters.count`. */
export class TopologyError extends Error {
  override readonly name = 'TopologyError';
  /** The field the message names, as a path: ['cluster', 'masters', 'zones', 0]. */
  readonly path: (string | number)[];

  constructor(message: string) {
    super(message);
    const field = message.slice(0, Math.max(0, message.indexOf(': ')));
    this.path = [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] === undefined ? (m[1] as string) : Number(m[2])));
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function buildTopology(spec: ClusterSpec): NodeSpec[] {
  const { zones, masters, workers } = spec;
  if (zones.length === 0) throw new TopologyError('cluster.zones: at least one zone is needed');
  zones.forEach((z, i) => {
    if (!DNS_LABEL.test(z) || z.length > 63) {
      throw new TopologyError(`cluster.zones[${i}]: "${z}" is not a valid zone name (lower-case letters, digits and "-")`);
    }
  });
  if (new Set(zones).size !== zones.length) throw new TopologyError('cluster.zones: zone names must be unique');
  const knownZone = (field: string, z: string): string => {
    if (!zones.includes(z)) throw new TopologyError(`${field}: zone "${z}" is not in cluster.zones (${zones.join(', ')})`);
    return z;
  };

  if (!Number.isInteger(masters.count) || masters.count < 1 || masters.count > MAX_MASTERS) {
    throw new TopologyError(`cluster.masters.count: must be a whole number from 1 to ${MAX_MASTERS}, got ${masters.count}`);
  }
  if (!Number.isInteger(workers.count) || workers.count < 0 || workers.count > MAX_WORKERS) {
    throw new TopologyError(`cluster.workers.count: must be a whole number from 0 to ${MAX_WORKERS}, got ${workers.count}`);
  }
  if (masters.zones !== undefined && masters.zones.length !== masters.count) {
    throw new TopologyError(
      `cluster.masters.zones: lists ${masters.zones.length} zones for ${masters.count} masters; give one zone per master`,
    );
  }
  const spread = workers.spread ?? zones;
  if (spread.length === 0) throw new TopologyError('cluster.workers.spread: at least one zone is needed');
  const maxPods = workers.maxPods ?? DEFAULT_MAX_PODS;
  if (!Number.isInteger(maxPods) || maxPods < 1) {
    throw new TopologyError(`cluster.workers.maxPods: must be a whole number ≥ 1, got ${maxPods}`);
  }

  const nodes: NodeSpec[] = [];
  for (let i = 0; i < masters.count; i++) {
    const zone = masters.zones
      ? knownZone(`cluster.masters.zones[${i}]`, masters.zones[i] as string)
      : (zones[i % zones.length] as string);
    nodes.push({
      name: `master-${i + 1}`,
      role: 'control-plane',
      zone,
      cpu: masters.cpu ?? '2',
      memory: masters.memory ?? '4Gi',
      maxPods: DEFAULT_MAX_PODS,
      internalIP: nodeIP('control-plane', i),
    });
  }
  for (let i = 0; i < workers.count; i++) {
    const zone = knownZone(`cluster.workers.spread[${i % spread.length}]`, spread[i % spread.length] as string);
    nodes.push({
      name: `worker-${i + 1}`,
      role: 'worker',
      zone,
      cpu: workers.cpu ?? '4',
      memory: workers.memory ?? '8Gi',
      maxPods,
      internalIP: nodeIP('worker', i),
    });
  }
  return nodes;
}
