import { ApiClient } from './apiserver/apiClient';
import { ApiServer } from './apiserver/apiServer';
import { ControllerManager } from './controllers/controllerManager';
import { MetricsServer } from './metrics/metricsServer';
import type { SchedulingDecision } from './scheduler/framework';
import { Scheduler } from './scheduler/scheduler';
import type { Disk } from './storage/provisioner';
import { applyFault, type Fault } from './faults';
import { Hasher } from './hash';
import { Kubelet } from './kubelet/kubelet';
import { DataPlane } from './dataplane/dataPlane';
import { ContainerRuntime } from './kubelet/runtime';
import type { VolumeData } from './kubelet/volumes';
import type { NetworkConfig, NetworkStats } from './network';
import { MessageType } from './raft/types';
import { EtcdCluster } from './store/etcdCluster';
import type { EtcdMemberSnapshot, EtcdSettings } from './store/etcdMember';
import { buildTopology, DEFAULT_CLUSTER_SPEC, podNet, type ClusterSpec, type NodeSpec } from './topology';
import { uuidV4 } from './uuid';
import { World, type WorldLimits } from './world';

export interface ClusterOptions {
  seed: number | string;
  spec?: ClusterSpec;
  network?: Partial<NetworkConfig>;
  limits?: Partial<WorldLimits>;
  /** Overrides of etcd's default timings (heartbeat, election timeout, request timeout). */
  etcd?: Partial<EtcdSettings>;
  /** Only etcd and the API servers: no controller manager, scheduler or kubelets (for tests of the API alone). */
  apiServersOnly?: boolean;
}

export interface NodeSnapshot extends NodeSpec {
  readonly alive: boolean;
  /** Which side of a partition the node is on (index into the groups; the unnamed rest last); null when whole. */
  readonly partitionGroup: number | null;
}

/**
 * Everything the UI draws, as plain data (structured-clonable, so it can cross
 * a Web Worker boundary). Views read snapshots; they never reach into the engine.
 */
export interface ClusterSnapshot {
  readonly now: number;
  readonly eventsProcessed: number;
  readonly pendingEvents: number;
  readonly zones: readonly string[];
  readonly nodes: readonly NodeSnapshot[];
  /** Partition groups as given, or null when the network is whole. */
  readonly partition: readonly (readonly string[])[] | null;
  readonly network: NetworkStats;
  /** The etcd member on each master: Raft role, term, commit, log tail. */
  readonly etcd: readonly EtcdMemberSnapshot[];
  /** Raft messages on the wire between masters, with send and delivery times, so they can be drawn moving. */
  readonly raftInFlight: readonly RaftMessageInFlight[];
}

export interface RaftMessageInFlight {
  readonly id: number;
  /** MsgApp, MsgVote, MsgPreVote, MsgHeartbeat and their responses, … */
  readonly type: string;
  readonly from: string;
  readonly to: string;
  readonly sentAt: number;
  readonly deliverAt: number;
}

const RAFT_MESSAGE_TYPES: ReadonlySet<string> = new Set(Object.values(MessageType));

/** A cluster: its nodes as hosts on the simulated network of one world. */
export class Cluster {
  readonly world: World;
  readonly spec: ClusterSpec;
  readonly nodes: readonly NodeSpec[];
  /** The replicated store of the control plane: one member per master. */
  readonly etcd: EtcdCluster;
  /** kube-apiserver on every master, over that master's etcd member; it serves while its host is up. */
  readonly apiServers: ReadonlyMap<string, ApiServer>;
  /** The masters, in order: the API servers a load balancer spreads requests over. */
  readonly masters: readonly string[];
  /** kube-controller-manager on every live master (a new process, with a new identity, after a restart). */
  readonly controllerManagers = new Map<string, ControllerManager>();
  /** kube-scheduler on every live master; one acts, the holder of the kube-system/kube-scheduler Lease. */
  readonly schedulers = new Map<string, Scheduler>();
  /**
   * metrics-server beside every master's API server (as an HA install of the addon runs several
   * replicas): it scrapes every kubelet each 15 s and answers the metrics.k8s.io requests its API
   * server forwards.
   */
  readonly metricsServers = new Map<string, MetricsServer>();
  /** The cloud's network disks that back provisioned volumes, by name (zonal, like a cloud's). */
  readonly disks = new Map<string, Disk>();
  /** What pods wrote on those disks (by PersistentVolume name): it follows the volume from node to node. */
  readonly diskFiles = new Map<string, VolumeData>();
  /** containerd on every node: outlives a stopped kubelet, dies with its host. */
  readonly runtimes = new Map<string, ContainerRuntime>();
  /** The kubelet on every node (masters too, as kubeadm runs them), while its process runs. */
  readonly kubelets = new Map<string, Kubelet>();
  /** kube-proxy, cluster DNS and the pod network: where simulated requests succeed or fail. */
  readonly dataPlane: DataPlane;

  constructor(options: ClusterOptions) {
    this.spec = options.spec ?? DEFAULT_CLUSTER_SPEC;
    this.nodes = buildTopology(this.spec);
    this.world = new World({
      seed: options.seed,
      ...(options.network ? { network: options.network } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
    });
    for (const node of this.nodes) this.world.net.addHost(node.name, node.zone);
    const masters = this.nodes.filter((n) => n.role === 'control-plane').map((n) => n.name);
    this.masters = masters;
    this.etcd = new EtcdCluster(this.world, masters, options.etcd);
    const uids = this.world.rng.fork('apiserver');
    const apiServers = new Map(masters.map((m) => [m, new ApiServer(this.world, m, uids.fork(m))]));
    this.apiServers = apiServers;
    const processes = this.world.rng.fork('kube-controller-manager');
    const schedulerRng = this.world.rng.fork('kube-scheduler');
    let starts = 0;
    const startProcesses = (host: string): void => {
      if (options.apiServersOnly === true) return;
      const client = this.apiClient(host, 'kube-controller-manager', host);
      const kcm = new ControllerManager(this.world, client, host, processes.fork(`${host}#${starts}`), undefined, this.disks);
      this.controllerManagers.set(host, kcm);
      kcm.start();
      // kubeadm points the scheduler, like the controller manager, at its own master's API server.
      const scheduler = new Scheduler(this.world, this.apiClient(host, 'kube-scheduler', host), host, schedulerRng.fork(`${host}#${starts++}`));
      this.schedulers.set(host, scheduler);
      scheduler.start();
      const metrics = new MetricsServer(this.world, this.apiClient(host, 'metrics-server-client', host), host);
      this.metricsServers.set(host, metrics);
      metrics.start();
      apiServers.get(host)?.setMetricsServer(host);
    };
    for (const [host, api] of apiServers) {
      if (!this.world.net.isAlive(host)) continue;
      api.listen();
      startProcesses(host);
    }
    const runtimeRng = this.world.rng.fork('containerd');
    const kubeletRng = this.world.rng.fork('kubelet');
    if (options.apiServersOnly !== true) this.kubeletStarter = (host) => this.startKubelet(host, bootIds.get(host) ?? '');
    this.nodes.forEach((node, i) => {
      this.runtimes.set(node.name, new ContainerRuntime(this.world, node.name, podNet(i), runtimeRng.fork(node.name)));
    });
    this.dataPlane = new DataPlane(this.world, this.etcd, this.runtimes, this.nodes);
    let boots = 0;
    const bootIds = new Map<string, string>();
    const boot = (host: string): void => void bootIds.set(host, uuidV4(kubeletRng.fork(`boot:${host}#${boots++}`)));
    for (const node of this.nodes) {
      boot(node.name);
      if (this.world.net.isAlive(node.name)) this.kubeletStarter?.(node.name);
    }
    // Registered after etcd's listener, so on a restart the member is up before its API server.
    this.world.net.onHostStatus((id, alive) => {
      const api = apiServers.get(id);
      if (api === undefined) return;
      if (alive) {
        api.listen();
        startProcesses(id);
      } else {
        api.stop();
        this.controllerManagers.get(id)?.stop();
        this.controllerManagers.delete(id);
        this.schedulers.get(id)?.stop();
        this.schedulers.delete(id);
        this.metricsServers.get(id)?.stop();
        this.metricsServers.delete(id);
      }
    });
    // A host that dies loses its processes and containers; one that boots starts its kubelet again.
    this.world.net.onHostStatus((id, alive) => {
      if (!this.runtimes.has(id)) return;
      if (alive) {
        boot(id);
        this.kubeletStarter?.(id);
      } else {
        this.stopKubelet(id);
        this.runtimes.get(id)?.wipe();
      }
    });
  }

  private kubeletStarter: ((host: string) => void) | undefined;

  private startKubelet(host: string, bootId: string): void {
    const index = this.nodes.findIndex((n) => n.name === host);
    const spec = this.nodes[index];
    const runtime = this.runtimes.get(host);
    if (spec === undefined || runtime === undefined || this.kubelets.has(host)) return;
    const kubelet = new Kubelet(this.world, this.apiClient(host, 'kubelet'), {
      spec,
      podNet: podNet(index),
      runtime,
      machineRng: this.world.rng.fork('machine').fork(host),
      bootId,
      diskFiles: this.diskFiles,
      netTool: (podUid, node, tool, client, opts) => this.dataPlane.execTool(node, podUid, tool, client, opts),
    });
    this.kubelets.set(host, kubelet);
    kubelet.start();
  }

  private stopKubelet(host: string): void {
    this.kubelets.get(host)?.stop();
    this.kubelets.delete(host);
  }

  /**
   * A client of the Kubernetes API on a host: through the load balancer over every API server,
   * or pinned to one master (kubectl --context master-3).
   */
  apiClient(host: string, port: string, pinned?: string): ApiClient {
    return new ApiClient(this.world, { host, port, servers: this.masters, ...(pinned === undefined ? {} : { pinned }) });
  }

  /**
   * The scheduler's latest decision about a pod: the newest across the schedulers, since one
   * that lost its Lease keeps the decisions it made while it led.
   */
  schedulingDecision(podUid: string): (SchedulingDecision & { at: number }) | undefined {
    let newest: (SchedulingDecision & { at: number }) | undefined;
    for (const s of this.schedulers.values()) {
      const d = s.decisions.get(podUid);
      if (d !== undefined && (newest === undefined || d.at > newest.at)) newest = d;
    }
    return newest;
  }

  /** The world's state hash plus every etcd member's Raft and store state. */
  stateHash(): string {
    const h = new Hasher().str(this.world.stateHash());
    this.etcd.hashInto(h);
    return h.digest();
  }

  applyFault(fault: Fault): void {
    // systemctl stop/start kubelet: only the kubelet process; its containers keep running.
    if ('stopKubelet' in fault) {
      for (const id of this.world.net.resolve(fault.stopKubelet)) this.stopKubelet(id);
      return;
    }
    if ('startKubelet' in fault) {
      for (const id of this.world.net.resolve(fault.startKubelet)) if (this.world.net.isAlive(id)) this.kubeletStarter?.(id);
      return;
    }
    applyFault(this.world, fault);
  }

  snapshot(): ClusterSnapshot {
    const net = this.world.net;
    return {
      now: this.world.now,
      eventsProcessed: this.world.eventsProcessed,
      pendingEvents: this.world.pendingEvents,
      zones: [...this.spec.zones],
      nodes: this.nodes.map((n) => ({ ...n, alive: net.isAlive(n.name), partitionGroup: net.groupOf(n.name) })),
      partition: net.partitionGroups(),
      network: net.getStats(),
      etcd: this.etcd.snapshot(),
      raftInFlight: net
        .inFlight()
        .filter((m) => RAFT_MESSAGE_TYPES.has(m.type))
        .map(({ id, type, from, to, sentAt, deliverAt }) => ({ id, type, from, to, sentAt, deliverAt })),
    };
  }
}
