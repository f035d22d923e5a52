import { decodeBase64 } from '../encoding';
import type { ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import { EXEC_LIMIT_MS, type ContainerLogsRequest, type ContainerLogsResponse, type ExecRequest, type ExecResponse, type ExecResult, KUBELET_PORT, KubeletMsg, KubeletStatsMsg, type ResourceSample, type ResourceStatsRequest, type ResourceStatsResponse } from '../apiserver/apiProtocol';
import { EventRecorder } from '../client/eventRecorder';
import { hashString } from '../hash';
import { Informer, objectKey } from '../client/informer';
import type { ScheduledEvent } from '../eventQueue';
import type { Message } from '../network';
import { bytes, milliCpu } from '../quantity';
import type { Rng } from '../rng';
import type { NodeSpec } from '../topology';
import { uuidV4 } from '../uuid';
import { rfc3339, rfc3339Micro } from '../virtualTime';
import type { World } from '../world';
import { knownImage, parseImageRef, type ImageRef } from './images';
import { containerStatus, type ContainerView, podConditions, podPhase, type PodView, type Waiting } from './podStatus';
import { type AppBehaviour, execCommand, type FileContext, type LogLine, memoryMiBAt, programEnd, programFor, programLogs, type FileRead, type Program, shareCpu, unixDate } from './process';
import type { ContainerRecord, ContainerRuntime } from './runtime';
import { confine, effectiveSecurity, ESCAPE_HOST_MOUNT, escapes, fileContext, imageUser, runAsNonRootError, sandboxOverheadBytes } from './security';
import {
  claimOf,
  claimProblem,
  ContainerFs,
  expandSubPath,
  imageFiles,
  isApiDataVolume,
  isTmpfs,
  type Mount,
  mountFailedMessage,
  mountRetryMs,
  type NodeAllocatable,
  objectRefs,
  unableToMountMessage,
  usedVolumes,
  volumeMissingProblem,
  VolumeData,
  type VolumeMount,
  volumePayload,
  type VolumeSpec,
} from './volumes';

export const KUBELET_VERSION = 'v1.32.4';

/** The kubelet's defaults (KubeletConfiguration v1beta1). */
export const KUBELET_DEFAULTS = {
  /** nodeLeaseDurationSeconds; the lease is renewed every quarter of it. */
  nodeLeaseDurationSeconds: 40,
  nodeStatusUpdateFrequencyMs: 10_000,
  /** With leases, an unchanged status is still reported this often. */
  nodeStatusReportFrequencyMs: 300_000,
  /** CrashLoopBackOff and image pull back-off: 10 s doubling to 5 min. */
  backOffInitialMs: 10_000,
  backOffMaxMs: 300_000,
  /** housekeeping: pods removed from the API are cleaned up at this pace. */
  housekeepingMs: 2_000,
};

/** How long a failed pull shows as ErrImagePull before the pod worker's next sync turns it into ImagePullBackOff. */
const ERR_IMAGE_PULL_SHOWN_MS = 2_000;

/** How long after a container starts the kubelet's PLEG notices it. */
const PLEG_RELIST_MS = 1_000;

/** The periodic pod sync rewrites API data volumes (ConfigMap, Secret, downward API, projected) this often. */
const VOLUME_SYNC_MS = 60_000;
/** Pods on a node rewriting their volumes within this much of each other share one GET of each object. */
const VOLUME_REFRESH_SHARE_MS = 30_000;
/** A pod whose volumes could not be processed (a claim not bound…) is synced again after the pod worker's back-off. */
const VOLUME_PROCESS_RETRY_MS = 10_000;

/** memory.available<100Mi, the default hard eviction threshold, comes off allocatable. */
const EVICTION_HARD_MEMORY = 100 * 1024 * 1024;
const EPHEMERAL_STORAGE_BYTES = 100 * 1024 * 1024 * 1024;

type Obj = Record<string, unknown>;

/** CPU the node's own processes use (kubelet, containerd, the OS; on masters etcd and the control plane too), in millicores. */
const SYSTEM_CPU_MILLI = { 'control-plane': 180, worker: 30 } as const;
/** Their memory working set, in MiB. */
const SYSTEM_MEMORY_MIB = { 'control-plane': 1_350, worker: 420 } as const;
/** A cgroup's weight without a cpu request (cpu.shares 2, as for BestEffort pods). */
const MIN_SHARES_MILLI = 2;

/**
 * The cgroups' CPU counters of one host. They belong to the host, not to the kubelet process:
 * a restarted kubelet reads the same counters; a reboot starts them from zero.
 */
interface CpuAccount {
  readonly bootId: string;
  readonly bootAt: number;
  /** Up to when the counters are accounted. */
  at: number;
  nodeNs: number;
  readonly containers: Map<string, number>;
}
const cpuAccounts = new WeakMap<ContainerRuntime, CpuAccount>();

interface ContainerSpec {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef; fieldRef?: { fieldPath: string } } }[];
  envFrom?: { prefix?: string; configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } }[];
  ports?: { name?: string; containerPort: number }[];
  volumeMounts?: VolumeMount[];
  resources?: { limits?: Record<string, string | number>; requests?: Record<string, string | number> };
  restartPolicy?: string;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}
interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}
interface Probe {
  httpGet?: { path?: string; port: number | string; scheme?: string };
  tcpSocket?: { port: number | string };
  exec?: { command?: string[] };
  grpc?: { port: number };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}
interface PodSpec {
  nodeName?: string;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds?: number;
  runtimeClassName?: string;
  initContainers?: ContainerSpec[];
  containers?: ContainerSpec[];
  volumes?: VolumeSpec[];
}

type ProbeKind = 'Startup' | 'Readiness' | 'Liveness';

interface ProbeState {
  successes: number;
  failures: number;
  /** The outcome counted so far: readiness starts failed, liveness/startup start succeeded (as the kubelet's probe workers). */
  result: boolean;
  nextAt: number;
}

/** One volume of a pod: where its files are once mounted, and the state of mounting or refreshing it. */
interface VolumeState {
  mounted?: { readonly data: VolumeData; readonly prefix: string; readonly readOnly: boolean; readonly apiData: boolean };
  /** Failed mounts in a row, and when the next attempt may run (exponential back-off). */
  failures: number;
  retryAt: number;
  /** An attempt under way since then: it waits for the objects it needs, fetched after that time. */
  attemptAt?: number;
  /** When the kubelet last wrote an API data volume's files. */
  syncedAt: number;
}

/** What the kubelet keeps about one pod between syncs (lost on restart; rebuilt from the runtime). */
interface PodWorker {
  readonly key: string;
  readonly uid: string;
  timer?: ScheduledEvent;
  /** Image pulls: in flight, or failed with a back-off. */
  pulls: Map<string, { inFlight: boolean; failures: number; retryAt: number; failedAt: number; error?: string }>;
  /** CrashLoopBackOff per container: the current back-off and when it was last used. */
  crash: Map<string, { backoffMs: number; lastAt: number; grantedFor: string }>;
  /** Probe workers per container ID and kind. */
  probes: Map<string, ProbeState>;
  configErrors: Map<string, string>;
  volumes: Map<string, VolumeState>;
  /** Processing the pod's claims: the attempt under way and when the next may run. */
  claims: { attemptAt?: number; retryAt: number };
  /** Restarts the API last showed per container, so a rebooted node keeps counting. */
  restartBase: Map<string, number>;
  lastStatus?: string;
  /** The pod's resourceVersion after the last status write was accepted; undefined while one is in flight. */
  sentVersion?: number;
  deleting?: boolean;
  /** Events already recorded for a container attempt (Pulled, Created, Started, Killing…). */
  said: Set<string>;
}

export interface KubeletOptions {
  readonly spec: NodeSpec;
  /** "10.244.3": this node's pod CIDR is 10.244.3.0/24. */
  readonly podNet: string;
  readonly runtime: ContainerRuntime;
  /** Stable per machine (machine ID, system UUID), not per process. */
  readonly machineRng: Rng;
  /** A new boot of the host (not just a kubelet restart). */
  readonly bootId: string;
  /**
   * The files on the cluster's network disks, by PersistentVolume name: shared by every node and
   * outliving pods. Without it the kubelets of one World share a store of their own.
   */
  readonly diskFiles?: Map<string, VolumeData>;
  /** How wget, curl and nslookup run by `kubectl exec` fare on the pod network (the Cluster's data plane); without it they fail. */
  readonly netTool?: NetTool;
}

type NetToolName = NonNullable<AppBehaviour['oneShot']>;
type NetClient = { readonly host: string; readonly port: number; readonly path?: string; readonly timeoutSec?: number };
type NetOpts = { readonly quiet: boolean; readonly failOnHttpError: boolean };
type NetRun = { lines: string[]; code: number; waitMs: number };

/** A network tool's run from a pod: what it prints, its exit code, and how long it takes (a time-out). */
export type NetTool = (podUid: string, node: string, tool: NetToolName, client: NetClient, opts: NetOpts) => NetRun;

/** The environment each container's process was started with: what an exec'd command inherits. */
const containerEnv = new WeakMap<ContainerRecord, Readonly<Record<string, string>>>();

const worldDisks = new WeakMap<World, Map<string, VolumeData>>();

/** The disk files of kubelets given no store: one per World, so every node of a cluster sees the same disks. */
function sharedDiskFiles(world: World): Map<string, VolumeData> {
  let disks = worldDisks.get(world);
  if (disks === undefined) worldDisks.set(world, (disks = new Map()));
  return disks;
}

/**
 * The kubelet of one node: registers the Node, renews its Lease every 10 s, reports node status,
 * and runs the pods bound to the node through the container runtime — volumes mounted first
 * (and ConfigMap/Secret files kept up to date), image pulls with back-off, init containers and
 * sidecars, probes, restarts with CrashLoopBackOff, graceful
 * termination — writing each pod's status through the API. Cut off from the API, it keeps
 * running what it has; once it can list again it learns what was deleted and stops it.
 */
export class Kubelet {
  readonly node: string;
  private readonly recorder: EventRecorder;
  private readonly informer: Informer;
  private readonly workers = new Map<string, PodWorker>();
  private readonly timers = new Set<ScheduledEvent>();
  /** ConfigMaps, Secrets, claims, PersistentVolumes and RuntimeClasses the pods refer to, fetched on demand. */
  private readonly refs = new Map<string, { object: KubeObject | null; fetchedAt: number; inFlight: boolean; waiters: Set<PodWorker> }>();
  private running = false;
  private registered = false;
  private lastStatusReport = -Infinity;
  private readonly machineId: string;
  private readonly systemUuid: string;
  private readonly disks: Map<string, VolumeData>;

  constructor(
    private readonly world: World,
    private readonly client: ApiClient,
    private readonly options: KubeletOptions,
  ) {
    this.node = options.spec.name;
    this.recorder = new EventRecorder(world, client, 'kubelet', this.node);
    this.machineId = uuidV4(options.machineRng).replace(/-/g, '');
    this.systemUuid = uuidV4(options.machineRng);
    this.disks = options.diskFiles ?? sharedDiskFiles(world);
    this.informer = new Informer(
      world,
      client,
      'pods',
      {
        onAdd: (p) => this.enqueue(p),
        onUpdate: (_o, p) => this.enqueue(p),
        onDelete: (p) => this.enqueue(p),
      },
      { fieldSelector: `spec.nodeName=${this.node}` },
    );
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.registered = false;
    this.options.runtime.listener = (c) => this.containerChanged(c);
    this.world.net.setHandler(this.node, (m) => this.serve(m), KUBELET_PORT);
    this.recordNode('Normal', 'Starting', 'Starting kubelet.');
    this.register();
    this.informer.start();
    this.every(KUBELET_DEFAULTS.housekeepingMs, 'housekeeping', () => this.housekeeping());
  }

  /** The kubelet process stops (systemctl stop kubelet, or its host died); containers are the runtime's. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.options.runtime.listener = undefined;
    this.world.net.setHandler(this.node, undefined, KUBELET_PORT);
    this.informer.stop();
    for (const t of this.timers) this.world.cancel(t);
    this.timers.clear();
    for (const w of this.workers.values()) if (w.timer) this.world.cancel(w.timer);
    this.workers.clear();
    this.client.stop();
  }

  // ---- node registration, status and lease ----

  private nodeRef(): KubeObject {
    // The kubelet names itself as the UID of its node's events, as the real one does.
    return { apiVersion: 'v1', kind: 'Node', metadata: { name: this.node, uid: this.node } };
  }

  private recordNode(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.record(this.nodeRef(), type, reason, message);
  }

  private register(): void {
    if (!this.running) return;
    const { spec } = this.options;
    const labels: Record<string, string> = {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': spec.name,
      'kubernetes.io/os': 'linux',
      'topology.kubernetes.io/zone': spec.zone,
    };
    if (spec.role === 'control-plane') {
      labels['node-role.kubernetes.io/control-plane'] = '';
      labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
    }
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: spec.name,
        labels,
        annotations: {
          'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
          'node.alpha.kubernetes.io/ttl': '0',
          'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        },
      },
      spec: {
        podCIDR: `${this.options.podNet}.0/24`,
        podCIDRs: [`${this.options.podNet}.0/24`],
        ...(spec.role === 'control-plane' ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
      },
      status: this.nodeStatus(undefined),
    };
    this.client.request({ verb: 'create', body }, (r) => {
      if (!this.running) return;
      const exists = r.ok && !r.result.ok && r.result.status.code === 409;
      if (r.ok && (r.result.ok || exists)) {
        if (!this.registered) {
          this.registered = true;
          this.recordNode('Normal', 'NodeHasSufficientMemory', `Node ${this.node} status is now: NodeHasSufficientMemory`);
          this.recordNode('Normal', 'NodeHasNoDiskPressure', `Node ${this.node} status is now: NodeHasNoDiskPressure`);
          this.recordNode('Normal', 'NodeHasSufficientPID', `Node ${this.node} status is now: NodeHasSufficientPID`);
          this.recordNode('Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
          this.every(KUBELET_DEFAULTS.nodeStatusUpdateFrequencyMs, 'node status', () => this.updateNodeStatus(false));
          this.every((KUBELET_DEFAULTS.nodeLeaseDurationSeconds * 1000) / 4, 'lease', () => this.renewLease());
          this.renewLease();
          // A node created fresh already carries its status; one that existed gets it now.
          if (exists) this.updateNodeStatus(true);
          else {
            this.lastStatusReport = this.world.now;
            this.recordNode('Normal', 'NodeReady', `Node ${this.node} status is now: NodeReady`);
          }
        }
        return;
      }
      this.later(7_000, 'register', () => this.register());
    });
  }

  private nodeStatus(previous: Obj | undefined): Obj {
    const { spec } = this.options;
    const now = this.world.now;
    const memBytes = bytes(spec.memory);
    const prevConditions = new Map(((previous?.conditions ?? []) as Obj[]).map((c) => [c.type as string, c]));
    const condition = (type: string, status: string, reason: string, message: string): Obj => {
      const old = prevConditions.get(type);
      return {
        type,
        status,
        lastHeartbeatTime: rfc3339(now),
        lastTransitionTime: old !== undefined && old.status === status ? old.lastTransitionTime : rfc3339(now),
        reason,
        message,
      };
    };
    const capacity = {
      cpu: spec.cpu,
      'ephemeral-storage': `${EPHEMERAL_STORAGE_BYTES / 1024}Ki`,
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: `${Math.floor(memBytes / 1024)}Ki`,
      pods: String(spec.maxPods),
    };
    return {
      capacity,
      allocatable: {
        ...capacity,
        'ephemeral-storage': String(Math.floor(EPHEMERAL_STORAGE_BYTES * 0.9)),
        memory: `${Math.floor((memBytes - EVICTION_HARD_MEMORY) / 1024)}Ki`,
      },
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: spec.internalIP },
        { type: 'Hostname', address: spec.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: this.machineId,
        systemUUID: this.systemUuid,
        bootID: this.options.bootId,
        kernelVersion: '6.1.0-28-amd64',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      images: this.options.runtime.imageList(),
    };
  }

  /**
   * Every 10 s the kubelet works out the node's status; it writes it when something changed
   * (or a condition is not what it reports), or every 5 minutes regardless.
   */
  private updateNodeStatus(force: boolean): void {
    this.client.request({ verb: 'get', resource: 'nodes', name: this.node }, (r) => {
      if (!this.running) return;
      if (!r.ok || !r.result.ok) {
        if (r.ok && !r.result.ok && r.result.status.code === 404) this.reRegister();
        return;
      }
      const node = r.result.value as KubeObject;
      const current = (node.status ?? {}) as Obj;
      const next = this.nodeStatus(current);
      const comparable = (s: Obj): string => JSON.stringify({ ...s, conditions: ((s.conditions ?? []) as Obj[]).map((c) => [c.type, c.status, c.reason]) });
      const changed = comparable(next) !== comparable(current);
      const due = this.world.now - this.lastStatusReport >= KUBELET_DEFAULTS.nodeStatusReportFrequencyMs;
      if (!force && !changed && !due) return;
      const wasReady = ((current.conditions ?? []) as Obj[]).find((c) => c.type === 'Ready')?.status === 'True';
      const rebooted = (current.nodeInfo as Obj | undefined)?.bootID;
      this.client.request({ verb: 'patch', resource: 'nodes', name: this.node, subresource: 'status', patchType: 'merge', patch: JSON.stringify({ status: next }) }, (w) => {
        if (!this.running || !w.ok || !w.result.ok) return;
        this.lastStatusReport = this.world.now;
        if (typeof rebooted === 'string' && rebooted !== this.options.bootId) this.recordNode('Warning', 'Rebooted', `Node ${this.node} has been rebooted, boot id: ${this.options.bootId}`);
        if (!wasReady) this.recordNode('Normal', 'NodeReady', `Node ${this.node} status is now: NodeReady`);
      });
    });
  }

  /** The Node was deleted while the kubelet runs: register it again (as the kubelet does on its next status update). */
  private reRegister(): void {
    if (!this.registered) return;
    this.registered = false;
    for (const t of this.timers) this.world.cancel(t);
    this.timers.clear();
    this.every(KUBELET_DEFAULTS.housekeepingMs, 'housekeeping', () => this.housekeeping());
    this.register();
  }

  private renewLease(): void {
    const name = this.node;
    const spec = { holderIdentity: name, leaseDurationSeconds: KUBELET_DEFAULTS.nodeLeaseDurationSeconds, renewTime: rfc3339Micro(this.world.now) };
    this.client.request({ verb: 'get', resource: 'leases', namespace: 'kube-node-lease', name }, (r) => {
      if (!this.running || !r.ok) return;
      if (r.result.ok) {
        const lease = r.result.value as KubeObject;
        const body: KubeObject = { ...lease, spec: { ...(lease.spec as Obj), ...spec, renewTime: rfc3339Micro(this.world.now) } };
        this.client.request({ verb: 'update', body }, () => undefined);
        return;
      }
      if (r.result.ok || r.result.status.code !== 404) return;
      const body: KubeObject = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: '' }] },
        spec,
      };
      // The owner reference needs the Node's UID.
      this.client.request({ verb: 'get', resource: 'nodes', name }, (n) => {
        if (!this.running || !n.ok || !n.result.ok) return;
        const uid = (n.result.value as KubeObject).metadata.uid ?? '';
        this.client.request({ verb: 'create', body: { ...body, metadata: { ...body.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid }] } } }, () => undefined);
      });
    });
  }

  // ---- pods ----

  private enqueue(pod: KubeObject): void {
    const key = objectKey(pod);
    const uid = pod.metadata.uid ?? '';
    let w = this.workers.get(key);
    if (w !== undefined && w.uid !== uid) {
      // Same name, new pod: the old one is gone; housekeeping stops its containers.
      if (w.timer) this.world.cancel(w.timer);
      this.workers.delete(key);
      w = undefined;
    }
    if (w === undefined) {
      const base = new Map<string, number>();
      const statuses = [...(((pod.status as Obj | undefined)?.initContainerStatuses ?? []) as Obj[]), ...(((pod.status as Obj | undefined)?.containerStatuses ?? []) as Obj[])];
      for (const s of statuses) if (s.containerID !== undefined) base.set(s.name as string, (s.restartCount as number) + 1);
      w = { key, uid, pulls: new Map(), crash: new Map(), probes: new Map(), configErrors: new Map(), volumes: new Map(), claims: { retryAt: 0 }, restartBase: base, said: new Set() };
      this.workers.set(key, w);
    }
    this.wake(w, 0);
  }

  private wake(w: PodWorker, delayMs: number): void {
    if (!this.running) return;
    const at = this.world.now + Math.max(0, delayMs);
    if (w.timer !== undefined && w.timer.time <= at) return;
    if (w.timer) this.world.cancel(w.timer);
    w.timer = this.world.schedule(at - this.world.now, `kubelet ${this.node} sync ${w.key}`, () => {
      w.timer = undefined;
      this.sync(w);
    });
  }

  /** A container started or exited (the runtime's event, as PLEG relisting finds it). */
  private containerChanged(c: ContainerRecord): void {
    for (const w of this.workers.values()) if (w.uid === c.podUid) this.wake(w, 0);
  }

  /** Containers of pods that no longer exist in the API are stopped and removed. */
  private housekeeping(): void {
    if (!this.informer.synced) return;
    const live = new Set([...this.workers.values()].map((w) => w.uid));
    for (const uid of this.options.runtime.podsWithState()) {
      if (live.has(uid)) continue;
      const containers = this.options.runtime.containersOf(uid);
      const running = containers.filter((c) => c.finishedAt === undefined);
      for (const c of running) this.options.runtime.stop(c.id, 2_000);
      if (running.length === 0) this.options.runtime.removePod(uid);
    }
    const withState = new Set(this.options.runtime.podsWithState());
    for (const w of [...this.workers.values()]) {
      if (this.informer.get(w.key) === undefined && !withState.has(w.uid)) {
        if (w.timer) this.world.cancel(w.timer);
        this.workers.delete(w.key);
      }
    }
  }

  private sync(w: PodWorker): void {
    if (!this.running) return;
    const pod = this.informer.get(w.key);
    if (pod === undefined || pod.metadata.uid !== w.uid) {
      // Gone from the API: housekeeping stops what is left.
      return;
    }
    const spec = (pod.spec ?? {}) as PodSpec;
    const phase = ((pod.status as Obj | undefined)?.phase as string | undefined) ?? 'Pending';
    let next = Infinity;
    const soon = (at: number): void => {
      next = Math.min(next, at);
    };
    if (pod.metadata.deletionTimestamp !== undefined) this.terminate(w, pod, spec);
    else if (phase !== 'Succeeded' && phase !== 'Failed') this.run(w, pod, spec, soon);
    this.announce(w, pod);
    if (!w.deleting) this.pushStatus(w, pod, spec);
    if (next !== Infinity) this.wake(w, next - this.world.now);
  }

  private run(w: PodWorker, pod: KubeObject, spec: PodSpec, soon: (at: number) => void): void {
    const rt = this.options.runtime;
    const now = this.world.now;
    // A new pod's sandbox is created once all its volumes are mounted; a running one keeps running meanwhile.
    const mounted = this.mountVolumes(w, pod, spec, soon);
    if (!mounted && rt.sandbox(w.uid) === undefined) return;
    const sandbox = rt.sandbox(w.uid) ?? rt.runSandbox(w.uid);
    if (now < sandbox.readyAt) return soon(sandbox.readyAt);
    const policy = spec.restartPolicy ?? 'Always';
    for (const c of spec.initContainers ?? []) {
      const sidecar = c.restartPolicy === 'Always';
      const last = this.attempts(w.uid, c.name).at(-1);
      if (last === undefined) {
        this.startContainer(w, pod, spec, c, soon);
        return;
      }
      if (last.finishedAt === undefined) {
        if (last.startedAt === undefined) return;
        this.probe(w, pod, c, last, soon);
        // A sidecar lets the next init container go once it has started (its startup probe passed).
        if (sidecar && this.started(w, c, last)) continue;
        return;
      }
      if (last.exitCode === 0 && !sidecar) continue;
      if (policy === 'Never' && !sidecar) return;
      this.restart(w, pod, spec, c, last, soon);
      return;
    }
    for (const c of spec.containers ?? []) {
      const last = this.attempts(w.uid, c.name).at(-1);
      if (last === undefined) {
        this.startContainer(w, pod, spec, c, soon);
        continue;
      }
      if (last.finishedAt === undefined) {
        if (last.startedAt !== undefined) this.probe(w, pod, c, last, soon);
        continue;
      }
      const again = policy === 'Always' || (policy === 'OnFailure' && last.exitCode !== 0);
      if (again) this.restart(w, pod, spec, c, last, soon);
    }
  }

  /** The kubelet's crash back-off: the first restart is immediate, then 10 s doubling to 5 min; ten quiet minutes reset it. */
  private restart(w: PodWorker, pod: KubeObject, spec: PodSpec, c: ContainerSpec, last: ContainerRecord, soon: (at: number) => void): void {
    const finished = last.finishedAt ?? this.world.now;
    const entry = w.crash.get(c.name);
    // Already let through (the start waits for an image pull or a ConfigMap): no second back-off.
    if (entry?.grantedFor === last.id) return this.startContainer(w, pod, spec, c, soon);
    if (entry !== undefined && finished - entry.lastAt > 2 * KUBELET_DEFAULTS.backOffMaxMs) w.crash.delete(c.name);
    const b = w.crash.get(c.name);
    if (b !== undefined && this.world.now < finished + b.backoffMs) {
      const key = `backoff:${last.id}`;
      if (!w.said.has(key)) {
        w.said.add(key);
        this.recordPod(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${w.uid})`);
      }
      return soon(finished + b.backoffMs);
    }
    w.crash.set(c.name, { backoffMs: b === undefined ? KUBELET_DEFAULTS.backOffInitialMs : Math.min(b.backoffMs * 2, KUBELET_DEFAULTS.backOffMaxMs), lastAt: this.world.now, grantedFor: last.id });
    this.startContainer(w, pod, spec, c, soon);
  }

  /** The waiting reason of a container that exited and is held back. */
  private crashWaiting(w: PodWorker, pod: KubeObject, c: ContainerSpec, last: ContainerRecord): Waiting | undefined {
    const b = w.crash.get(c.name);
    if (b === undefined || b.grantedFor === last.id || last.finishedAt === undefined || this.world.now >= last.finishedAt + b.backoffMs) return undefined;
    return { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(b.backoffMs)} restarting failed container=${c.name} pod=${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${w.uid})` };
  }

  private attempts(uid: string, name: string): ContainerRecord[] {
    return this.options.runtime
      .containersOf(uid)
      .filter((c) => c.name === name)
      .sort((a, b) => a.attempt - b.attempt);
  }

  private startContainer(w: PodWorker, pod: KubeObject, spec: PodSpec, c: ContainerSpec, soon: (at: number) => void): void {
    // After a kubelet restart a container may need restarting before its volumes are mounted again.
    if ((c.volumeMounts ?? []).some((m) => w.volumes.get(m.name)?.mounted === undefined)) return;
    const env = this.resolveEnv(w, pod, c, soon);
    if (env === undefined) return;
    const ref = parseImageRef(c.image ?? '');
    if (!this.ensureImage(w, pod, c, ref, soon)) return;
    const security = effectiveSecurity(spec, c, imageUser(ref));
    const refused = runAsNonRootError(security, pod, c.name);
    if (refused !== undefined) {
      // Checked each time the container's config is generated: every attempt is a Failed event.
      w.configErrors.set(c.name, refused);
      this.recordPod(pod, 'Warning', 'Failed', `Error: ${refused}`);
      return soon(this.world.now + KUBELET_DEFAULTS.backOffInitialMs);
    }
    const handler = this.runtimeHandler(w, spec, soon);
    if (handler === undefined) return;
    const attempts = this.attempts(w.uid, c.name);
    const attempt = (attempts.at(-1)?.attempt ?? (w.restartBase.get(c.name) ?? 0) - 1) + 1;
    const limit = c.resources?.limits?.memory;
    const files = this.containerFiles(w, c, env, ref.repository);
    const confinement = confine(spec, c, security, handler, this.node, files);
    // containerd sets HOSTNAME to the pod's hostname; the container's own env may override it.
    const processEnv = { HOSTNAME: (spec as { hostname?: string }).hostname ?? pod.metadata.name ?? '', ...env };
    const program: Program = programFor(ref, { ...(c.image === undefined ? {} : { image: c.image }), ...(c.command ? { command: c.command } : {}), ...(c.args ? { args: c.args } : {}) }, processEnv, startFiles(fileContext(confinement), files, this.world.now), confinement);
    const record = this.options.runtime.start(w.uid, c.name, attempt, ref, program, { ...(limit === undefined ? {} : { memoryLimitMiB: bytes(limit) / (1024 * 1024) }), handler, files });
    containerEnv.set(record, processEnv);
    files.attach(record);
    // An exploit that broke out writes to the node's own files (its view of them is at /host).
    const host = this.options.runtime.hostFiles;
    if (escapes(ref, c, confinement)) host.addWriter(record, new ContainerFs([{ mountPath: ESCAPE_HOST_MOUNT, data: host, prefix: '', readOnly: false }], new VolumeData()));
    this.recordPod(pod, 'Normal', 'Created', `Created container ${c.name}`);
  }

  /** A new container's files: a fresh layer from its image, under its volume mounts. */
  private containerFiles(w: PodWorker, c: ContainerSpec, env: Readonly<Record<string, string>>, repository: string): ContainerFs {
    const mounts: Mount[] = [];
    for (const m of c.volumeMounts ?? []) {
      const v = w.volumes.get(m.name)?.mounted;
      if (v === undefined) continue;
      const sub = m.subPathExpr !== undefined ? expandSubPath(m.subPathExpr, env) : (m.subPath ?? '');
      const prefix = [v.prefix, sub].filter((p) => p !== '').join('/');
      mounts.push({ mountPath: m.mountPath, data: v.data, prefix, readOnly: v.readOnly || m.readOnly === true, ...(sub !== '' && v.apiData ? { frozenAt: this.world.now } : {}) });
    }
    return new ContainerFs(mounts, new VolumeData(false, imageFiles(repository)));
  }

  /** True when the image is on the node; otherwise starts or waits for the pull, with its events and back-off. */
  private ensureImage(w: PodWorker, pod: KubeObject, c: ContainerSpec, ref: ImageRef, soon: (at: number) => void): boolean {
    const rt = this.options.runtime;
    const image = c.image ?? '';
    const policy = c.imagePullPolicy ?? (ref.tag === 'latest' ? 'Always' : 'IfNotPresent');
    const pull = w.pulls.get(c.name);
    if (pull?.inFlight) return false;
    if (pull?.failures === 0) {
      w.pulls.delete(c.name);
      return true;
    }
    if (policy === 'Never' && !rt.hasImage(ref)) {
      w.configErrors.set(c.name, `ErrImageNeverPull:Container image "${image}" is not present with pull policy of Never`);
      this.recordPod(pod, 'Warning', 'ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
      soon(this.world.now + KUBELET_DEFAULTS.backOffInitialMs);
      return false;
    }
    if (policy !== 'Always' && rt.hasImage(ref)) {
      this.recordPod(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return true;
    }
    if (pull !== undefined && this.world.now < pull.retryAt) {
      const key = `pull-backoff:${c.name}:${pull.failures}`;
      if (!w.said.has(key)) {
        w.said.add(key);
        this.recordPod(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
        this.recordPod(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      }
      if (this.world.now < pull.failedAt + ERR_IMAGE_PULL_SHOWN_MS) soon(pull.failedAt + ERR_IMAGE_PULL_SHOWN_MS);
      soon(pull.retryAt);
      return false;
    }
    const state: { inFlight: boolean; failures: number; retryAt: number; failedAt: number; error?: string } = { inFlight: true, failures: pull?.failures ?? 0, retryAt: 0, failedAt: 0 };
    w.pulls.set(c.name, state);
    this.recordPod(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const size = knownImage(ref)?.sizeBytes ?? 0;
    // Pulling an image the node has only checks the registry for a newer digest.
    rt.pull(ref, rt.hasImage(ref) ? 0 : size, (err, ms) => {
      state.inFlight = false;
      if (err === undefined) {
        state.failures = 0;
        const secs = formatSeconds(ms);
        this.recordPod(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${secs} (${secs} including waiting). Image size: ${size} bytes.`);
      } else {
        state.failures++;
        const backoff = Math.min(KUBELET_DEFAULTS.backOffInitialMs * 2 ** (state.failures - 1), KUBELET_DEFAULTS.backOffMaxMs);
        state.retryAt = this.world.now + backoff;
        state.failedAt = this.world.now;
        const message = `Failed to pull image "${image}": ${err}`;
        state.error = message;
        this.recordPod(pod, 'Warning', 'Failed', message);
        this.recordPod(pod, 'Warning', 'Failed', 'Error: ErrImagePull');
      }
      this.wake(w, 0);
    });
    return false;
  }

  /** Environment from env and envFrom; undefined (and a CreateContainerConfigError) when a reference is missing. */
  private resolveEnv(w: PodWorker, pod: KubeObject, c: ContainerSpec, soon: (at: number) => void): Record<string, string> | undefined {
    const ns = pod.metadata.namespace ?? 'default';
    const env: Record<string, string> = {};
    let missing: string | undefined;
    let waiting = false;
    const lookup = (kind: 'configmaps' | 'secrets', name: string): KubeObject | null | 'pending' => {
      const got = this.ref(`${kind}/${ns}/${name}`, w, soon);
      if (got === undefined) {
        waiting = true;
        return 'pending';
      }
      return got;
    };
    const valueOf = (o: KubeObject, key: string, secret: boolean): string | undefined => {
      const data = (o as Obj).data as Record<string, string> | undefined;
      const v = data?.[key];
      return v === undefined ? undefined : secret ? decodeBase64(v) : v;
    };
    for (const from of c.envFrom ?? []) {
      const ref = from.configMapRef ?? from.secretRef;
      if (ref === undefined) continue;
      const secret = from.secretRef !== undefined;
      const o = lookup(secret ? 'secrets' : 'configmaps', ref.name);
      if (o === 'pending') continue;
      if (o === null) {
        if (!ref.optional) missing ??= `${secret ? 'secret' : 'configmap'} "${ref.name}" not found`;
        continue;
      }
      for (const k of Object.keys(((o as Obj).data ?? {}) as Obj)) env[`${from.prefix ?? ''}${k}`] = valueOf(o, k, secret) ?? '';
    }
    for (const e of c.env ?? []) {
      if (e.value !== undefined || e.valueFrom === undefined) {
        env[e.name] = e.value ?? '';
        continue;
      }
      const keyRef = e.valueFrom.configMapKeyRef ?? e.valueFrom.secretKeyRef;
      if (keyRef !== undefined) {
        const secret = e.valueFrom.secretKeyRef !== undefined;
        const o = lookup(secret ? 'secrets' : 'configmaps', keyRef.name);
        if (o === 'pending') continue;
        const kind = secret ? 'secret' : 'configmap';
        if (o === null) {
          if (!keyRef.optional) missing ??= `${kind} "${keyRef.name}" not found`;
          continue;
        }
        const v = valueOf(o, keyRef.key, secret);
        if (v === undefined) {
          if (!keyRef.optional) missing ??= `couldn't find key ${keyRef.key} in ${secret ? 'Secret' : 'ConfigMap'} ${ns}/${keyRef.name}`;
          continue;
        }
        env[e.name] = v;
      } else if (e.valueFrom.fieldRef !== undefined) {
        const path = e.valueFrom.fieldRef.fieldPath;
        const values: Record<string, string | undefined> = {
          'metadata.name': pod.metadata.name,
          'metadata.namespace': ns,
          'metadata.uid': pod.metadata.uid,
          'spec.nodeName': this.node,
          'status.hostIP': this.options.spec.internalIP,
          'status.podIP': this.options.runtime.sandbox(w.uid)?.ip,
        };
        env[e.name] = values[path] ?? '';
      }
    }
    if (waiting) return undefined;
    if (missing !== undefined) {
      if (w.configErrors.get(c.name) !== missing) this.recordPod(pod, 'Warning', 'Failed', `Error: ${missing}`);
      w.configErrors.set(c.name, missing);
      soon(this.world.now + KUBELET_DEFAULTS.backOffInitialMs);
      return undefined;
    }
    w.configErrors.delete(c.name);
    return env;
  }

  // ---- volumes ----

  /**
   * The volume manager's part of a pod sync: mounts the volumes the pod's containers use, retrying
   * failures with back-off, and rewrites the mounted API data volumes once a minute. True when
   * every volume is mounted.
   */
  private mountVolumes(w: PodWorker, pod: KubeObject, spec: PodSpec, soon: (at: number) => void): boolean {
    const volumes = usedVolumes(spec);
    const podName = pod.metadata.name ?? '';
    const claims: VolumeSpec[] = [];
    for (const v of volumes) {
      let s = w.volumes.get(v.name);
      if (s === undefined) w.volumes.set(v.name, (s = { failures: 0, retryAt: 0, syncedAt: -Infinity }));
      if (claimOf(v, podName) !== undefined) {
        if (s.mounted === undefined) claims.push(v);
      } else if (isApiDataVolume(v)) this.syncApiVolume(w, pod, v, s, soon);
      else s.mounted ??= this.localVolume(w, v);
    }
    if (claims.length > 0) this.mountClaims(w, pod, volumes, claims, soon);
    return volumes.every((v) => w.volumes.get(v.name)?.mounted !== undefined);
  }

  /** emptyDir and hostPath (and volume types the model does not know, as empty per-pod directories). */
  private localVolume(w: PodWorker, v: VolumeSpec): NonNullable<VolumeState['mounted']> {
    const rt = this.options.runtime;
    if (v.hostPath !== undefined) return { data: rt.hostFiles, prefix: v.hostPath.path, readOnly: false, apiData: false };
    return { data: rt.podVolume(w.uid, v.name, isTmpfs(v)), prefix: '', readOnly: false, apiData: false };
  }

  /**
   * A ConfigMap, Secret, downward API or projected volume: its files are written from the objects
   * as they are when the attempt starts (fetched again for it), first to mount it, then each
   * minute. A failure is a FailedMount event; a failed mount is retried with back-off.
   */
  private syncApiVolume(w: PodWorker, pod: KubeObject, v: VolumeSpec, s: VolumeState, soon: (at: number) => void): void {
    const now = this.world.now;
    const due = s.mounted === undefined ? s.retryAt : s.syncedAt + VOLUME_SYNC_MS;
    if (now < due) return soon(due);
    s.attemptAt ??= now;
    // Mounting reads the objects afresh; the minute's rewrite shares copies fetched in the last half minute.
    const fetchedAfter = s.mounted === undefined ? s.attemptAt : s.attemptAt - VOLUME_REFRESH_SHARE_MS;
    const ns = pod.metadata.namespace ?? 'default';
    const objects = new Map<string, KubeObject | null>();
    for (const r of objectRefs(v)) {
      const o = this.ref(`${r.resource}/${ns}/${r.name}`, w, soon, fetchedAfter);
      if (o === undefined) return;
      objects.set(`${r.resource}/${r.name}`, o);
    }
    s.attemptAt = undefined;
    const built = volumePayload(v, { pod, node: this.allocatable(), object: (r) => objects.get(`${r.resource}/${r.name}`) ?? null, now });
    if ('error' in built) {
      this.recordPod(pod, 'Warning', 'FailedMount', mountFailedMessage(v.name, built.error));
      if (s.mounted === undefined) {
        s.failures++;
        s.retryAt = now + mountRetryMs(s.failures);
        return soon(s.retryAt);
      }
      // A mounted volume keeps its files until the next sync succeeds.
      s.syncedAt = now;
      return soon(now + VOLUME_SYNC_MS);
    }
    const data = s.mounted?.data ?? this.options.runtime.podVolume(w.uid, v.name, isTmpfs(v));
    data.replaceAll(new Map([...built.payload].map(([path, f]) => [path, f.text])), now);
    s.mounted ??= { data, prefix: '', readOnly: true, apiData: true };
    s.failures = 0;
    s.syncedAt = now;
    soon(now + VOLUME_SYNC_MS);
  }

  /**
   * Claims, as the desired-state populator processes them: each must be bound (fetched afresh),
   * its PersistentVolume found. Their files are the disk's, whichever node mounts it, or the
   * node's own directory for hostPath and local volumes. Failures are one FailedMount event for
   * the pod, tried again on the pod worker's next sync.
   */
  private mountClaims(w: PodWorker, pod: KubeObject, volumes: readonly VolumeSpec[], claims: readonly VolumeSpec[], soon: (at: number) => void): void {
    const now = this.world.now;
    if (now < w.claims.retryAt) return soon(w.claims.retryAt);
    const at = (w.claims.attemptAt ??= now);
    const ns = pod.metadata.namespace ?? 'default';
    const podName = pod.metadata.name ?? '';
    const found: { v: VolumeSpec; pv?: KubeObject; error?: string }[] = [];
    for (const v of claims) {
      const name = claimOf(v, podName) ?? '';
      const claim = this.ref(`persistentvolumeclaims/${ns}/${name}`, w, soon, at);
      if (claim === undefined) return;
      const problem = claimProblem(claim, ns, name);
      if (problem !== undefined) {
        found.push({ v, error: problem });
        continue;
      }
      const pvName = String((claim?.spec as Obj | undefined)?.volumeName ?? '');
      const pv = this.ref(`persistentvolumes//${pvName}`, w, soon, at);
      if (pv === undefined) return;
      found.push(pv === null ? { v, error: volumeMissingProblem(ns, name, pvName) } : { v, pv });
    }
    w.claims.attemptAt = undefined;
    for (const f of found) {
      const s = w.volumes.get(f.v.name);
      if (s !== undefined && f.pv !== undefined) s.mounted = this.diskVolume(f.pv, f.v.persistentVolumeClaim?.readOnly === true);
    }
    const failed = found.filter((f) => f.error !== undefined);
    if (failed.length === 0) return;
    const unmounted = volumes.filter((v) => w.volumes.get(v.name)?.mounted === undefined).map((v) => v.name);
    const names = failed.map((f) => f.v.name);
    this.recordPod(pod, 'Warning', 'FailedMount', unableToMountMessage(unmounted.sort(), [], names.sort(), failed.map((f) => f.error ?? '')));
    w.claims.retryAt = now + VOLUME_PROCESS_RETRY_MS;
    soon(w.claims.retryAt);
  }

  /** Where a PersistentVolume's files are: on the node for hostPath and local volumes, on the disk otherwise. */
  private diskVolume(pv: KubeObject, readOnly: boolean): NonNullable<VolumeState['mounted']> {
    const spec = (pv.spec ?? {}) as { hostPath?: { path: string }; local?: { path: string } };
    const onNode = spec.hostPath ?? spec.local;
    if (onNode !== undefined) return { data: this.options.runtime.hostFiles, prefix: onNode.path, readOnly, apiData: false };
    const name = pv.metadata.name ?? '';
    let data = this.disks.get(name);
    if (data === undefined) this.disks.set(name, (data = new VolumeData()));
    return { data, prefix: '', readOnly, apiData: false };
  }

  /** The node's allocatable CPU, memory and ephemeral storage: what the downward API gives for an unset limit. */
  private allocatable(): NodeAllocatable {
    const spec = this.options.spec;
    return { cpuMilli: milliCpu(spec.cpu), memoryBytes: bytes(spec.memory) - EVICTION_HARD_MEMORY, ephemeralStorageBytes: Math.floor(EPHEMERAL_STORAGE_BYTES * 0.9) };
  }

  /**
   * A file as a running container sees it now (or at `at`): the hook for programs that serve files
   * (a web server over an emptyDir a sidecar fills). Undefined when the pod or container is not
   * running here.
   */
  readContainerFile(namespace: string, pod: string, container: string, path: string, at = this.world.now): FileRead | undefined {
    const uid = this.informer.get(`${namespace}/${pod}`)?.metadata.uid;
    const last = uid === undefined ? undefined : this.attempts(uid, container).at(-1);
    return last?.files?.read(path, at);
  }

  /** The container runtime handler of the pod's RuntimeClass ("runc" without one). */
  private runtimeHandler(w: PodWorker, spec: PodSpec, soon: (at: number) => void): string | undefined {
    if (spec.runtimeClassName === undefined) return 'runc';
    const rc = this.ref(`runtimeclasses//${spec.runtimeClassName}`, w, soon);
    if (rc === undefined || rc === null) return undefined;
    return ((rc as Obj).handler as string | undefined) ?? 'runc';
  }

  /** The handler a running pod's sandbox was made with, from the RuntimeClass the kubelet looked up then. */
  private knownHandler(pod: KubeObject | undefined): string {
    const name = (pod?.spec as PodSpec | undefined)?.runtimeClassName;
    const rc = name === undefined ? undefined : this.refs.get(`runtimeclasses//${name}`)?.object;
    return ((rc as Obj | null | undefined)?.handler as string | undefined) ?? 'runc';
  }

  /**
   * An object a pod refers to: undefined while it is being fetched, null if it does not exist.
   * Cached for a minute, like the kubelet's TTL-based object cache (the kubelet's "Cache" change
   * detection strategy: no watch per object, one GET per object a minute at most); with
   * `fetchedAfter`, only a copy fetched since then will do (a mount attempt reads afresh).
   */
  private ref(key: string, w: PodWorker, soon: (at: number) => void, fetchedAfter?: number): KubeObject | null | undefined {
    const cached = this.refs.get(key);
    const known = cached !== undefined && cached.fetchedAt !== -Infinity;
    const fresh = cached !== undefined && (fetchedAfter === undefined ? this.world.now - cached.fetchedAt < 60_000 : cached.fetchedAt >= fetchedAfter);
    // A stale copy serves a TTL read while the fetch runs; a read that must be fresh waits.
    const meanwhile = known && fetchedAfter === undefined ? cached.object : undefined;
    if (cached !== undefined && fresh) return cached.fetchedAt === -Infinity ? undefined : cached.object;
    cached?.waiters.add(w);
    // Without a copy to go on, look again in a second should the answer be lost.
    if (meanwhile === undefined) soon(this.world.now + 1_000);
    if (cached?.inFlight) return meanwhile;
    const [resource = '', namespace = '', name = ''] = key.split('/');
    const entry = cached ?? { object: null, fetchedAt: -Infinity, inFlight: true, waiters: new Set([w]) };
    entry.inFlight = true;
    this.refs.set(key, entry);
    this.client.request({ verb: 'get', resource, ...(namespace === '' ? {} : { namespace }), name }, (r) => {
      entry.inFlight = false;
      if (r.ok && r.result.ok) entry.object = r.result.value as KubeObject;
      else if (r.ok && !r.result.ok && r.result.status.code === 404) entry.object = null;
      else return;
      entry.fetchedAt = this.world.now;
      // The pods that asked for it sync again (a pod since replaced under the same name is not woken).
      for (const waiter of entry.waiters) if (this.workers.get(waiter.key) === waiter) this.wake(waiter, 0);
      entry.waiters.clear();
    });
    return meanwhile;
  }

  // ---- probes ----

  private probeState(w: PodWorker, c: ContainerRecord, kind: ProbeKind, p: Probe): ProbeState {
    const key = `${c.id}/${kind}`;
    let s = w.probes.get(key);
    if (s === undefined) {
      // The probe worker starts once the kubelet has seen the container running (PLEG relists every second).
      const seen = (c.startedAt ?? this.world.now) + PLEG_RELIST_MS;
      s = { successes: 0, failures: 0, result: kind !== 'Readiness', nextAt: seen + (p.initialDelaySeconds ?? 0) * 1000 };
      if (kind === 'Startup') s.result = false;
      w.probes.set(key, s);
    }
    return s;
  }

  /** Started: no startup probe, or it has succeeded. */
  private started(w: PodWorker, spec: ContainerSpec, c: ContainerRecord): boolean {
    if (c.startedAt === undefined || c.finishedAt !== undefined) return false;
    if (spec.startupProbe === undefined) return true;
    return w.probes.get(`${c.id}/Startup`)?.result === true;
  }

  private ready(w: PodWorker, spec: ContainerSpec, c: ContainerRecord): boolean {
    if (!this.started(w, spec, c)) return false;
    if (spec.readinessProbe === undefined) return true;
    return w.probes.get(`${c.id}/Readiness`)?.result === true;
  }

  /** Runs the container's probes that are due, acts on liveness failures, and says when to look again. */
  private probe(w: PodWorker, pod: KubeObject, spec: ContainerSpec, c: ContainerRecord, soon: (at: number) => void): void {
    if (c.stopping) return;
    const kinds: [ProbeKind, Probe | undefined][] = [
      ['Startup', spec.startupProbe],
      ['Liveness', spec.livenessProbe],
      ['Readiness', spec.readinessProbe],
    ];
    const startupDone = spec.startupProbe === undefined || this.probeState(w, c, 'Startup', spec.startupProbe).result;
    for (const [kind, p] of kinds) {
      if (p === undefined) continue;
      if (kind !== 'Startup' && !startupDone) continue;
      const s = this.probeState(w, c, kind, p);
      if (kind === 'Startup' && s.result) continue;
      const period = (p.periodSeconds ?? 10) * 1000;
      while (this.world.now >= s.nextAt) {
        s.nextAt += period;
        const failure = this.probeFailure(spec, c, p);
        if (failure === undefined) {
          s.successes++;
          s.failures = 0;
          if (s.successes >= (kind === 'Readiness' ? (p.successThreshold ?? 1) : 1)) s.result = true;
        } else {
          s.failures++;
          s.successes = 0;
          this.recordPod(pod, 'Warning', 'Unhealthy', `${kind} probe failed: ${failure}`);
          if (s.failures >= (p.failureThreshold ?? 3)) {
            s.result = false;
            if (kind !== 'Readiness') {
              const why = kind === 'Liveness' ? 'failed liveness probe' : 'failed startup probe';
              this.recordPod(pod, 'Normal', 'Killing', `Container ${spec.name} ${why}, will be restarted`);
              this.options.runtime.stop(c.id, ((pod.spec as PodSpec).terminationGracePeriodSeconds ?? 30) * 1000);
              return;
            }
          }
        }
      }
      soon(s.nextAt);
    }
  }

  /** Why a probe fails right now, in the kubelet's words; undefined when it succeeds. */
  private probeFailure(spec: ContainerSpec, c: ContainerRecord, p: Probe): string | undefined {
    const ip = this.options.runtime.sandbox(c.podUid)?.ip ?? '';
    const listening = c.startedAt !== undefined && this.world.now >= c.startedAt + c.program.startupMs ? c.program.ports : [];
    const portOf = (port: number | string): number => (typeof port === 'number' ? port : (spec.ports?.find((x) => x.name === port)?.containerPort ?? 0));
    if (p.httpGet !== undefined) {
      const port = portOf(p.httpGet.port);
      const path = p.httpGet.path ?? '/';
      const scheme = (p.httpGet.scheme ?? 'HTTP').toLowerCase();
      if (!listening.includes(port)) return `Get "${scheme}://${ip}:${port}${path}": dial tcp ${ip}:${port}: connect: connection refused`;
      const paths = c.program.httpPaths ?? (c.program.ports.includes(80) ? ['/', '/index.html', ''] : undefined);
      if (paths === undefined) return `Get "${scheme}://${ip}:${port}${path}": read tcp ${ip}:${port}: read: connection reset by peer`;
      // A broken release answers every request with an error, health checks included.
      if (c.program.app?.serverError === true) return 'HTTP probe failed with statuscode: 500';
      if (!paths.includes(path)) return 'HTTP probe failed with statuscode: 404';
      return undefined;
    }
    if (p.tcpSocket !== undefined || p.grpc !== undefined) {
      const port = p.tcpSocket !== undefined ? portOf(p.tcpSocket.port) : (p.grpc?.port ?? 0);
      return listening.includes(port) ? undefined : `dial tcp ${ip}:${port}: connect: connection refused`;
    }
    const cmd = p.exec?.command ?? [];
    if (cmd[0] === 'false') return '';
    // Commands the model knows run against the container's files (cat /tmp/healthy); others pass.
    const ran = c.files === undefined ? undefined : execCommand(c.image, cmd, c.files.forProgram(this.world.now));
    return ran !== undefined && ran.code !== 0 ? ran.output : undefined;
  }

  // ---- termination ----

  private terminate(w: PodWorker, pod: KubeObject, spec: PodSpec): void {
    const rt = this.options.runtime;
    const graceSeconds = (pod.metadata as { deletionGracePeriodSeconds?: number }).deletionGracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
    const running = rt.containersOf(w.uid).filter((c) => c.finishedAt === undefined);
    for (const c of running) {
      if (c.stopping) continue;
      if (c.startedAt !== undefined) this.recordPod(pod, 'Normal', 'Killing', `Stopping container ${c.name}`);
      rt.stop(c.id, graceSeconds * 1000);
    }
    if (running.length > 0) return;
    if (w.deleting) return;
    w.deleting = true;
    rt.removePod(w.uid);
    // All containers are gone: the status manager finishes the deletion the API server began.
    this.client.request({ verb: 'delete', resource: 'pods', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '', gracePeriodSeconds: 0 }, (r) => {
      if (!r.ok || (!r.result.ok && r.result.status.code !== 404)) {
        w.deleting = false;
        this.wake(w, 1_000);
      }
    });
  }

  /** Started and start-failure events, once per container attempt. */
  private announce(w: PodWorker, pod: KubeObject): void {
    for (const c of this.options.runtime.containersOf(w.uid)) {
      const key = `started:${c.id}`;
      if (w.said.has(key)) continue;
      if (c.reason === 'StartError') {
        w.said.add(key);
        this.recordPod(pod, 'Warning', 'Failed', `Error: ${c.message ?? ''}`);
      } else if (c.startedAt !== undefined) {
        w.said.add(key);
        this.recordPod(pod, 'Normal', 'Started', `Started container ${c.name}`);
      }
    }
  }

  // ---- status ----

  private containerViews(w: PodWorker, pod: KubeObject, list: readonly ContainerSpec[], init: boolean, initialized: boolean): ContainerView[] {
    const sandbox = this.options.runtime.sandbox(w.uid);
    return list.map((c) => {
      const attempts = this.attempts(w.uid, c.name);
      const last = attempts.at(-1);
      let waiting: Waiting | undefined;
      const pull = w.pulls.get(c.name);
      const configError = w.configErrors.get(c.name);
      if (last === undefined || last.finishedAt !== undefined) {
        if (last !== undefined) waiting = this.crashWaiting(w, pod, c, last);
        if (waiting === undefined && (last === undefined || this.willStartAgain(pod, c, last, init))) {
          if (configError?.startsWith('ErrImageNeverPull:')) waiting = { reason: 'ErrImageNeverPull', message: configError.slice('ErrImageNeverPull:'.length) };
          else if (configError !== undefined) waiting = { reason: 'CreateContainerConfigError', message: configError };
          else if (pull !== undefined && pull.failures > 0 && !pull.inFlight) {
            // The failed pull shows as ErrImagePull until the kubelet's next look, then as ImagePullBackOff until the retry.
            waiting = this.world.now >= pull.failedAt + ERR_IMAGE_PULL_SHOWN_MS ? { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image ?? ''}"` } : { reason: 'ErrImagePull', message: pull.error ?? '' };
          } else if (!init && !initialized) waiting = { reason: 'PodInitializing' };
          else if (last === undefined || sandbox === undefined || pull?.inFlight) waiting = { reason: 'ContainerCreating' };
        }
      }
      const started = last !== undefined && this.started(w, c, last);
      return {
        name: c.name,
        image: c.image ?? '',
        attempts,
        ...(waiting === undefined ? {} : { waiting }),
        ready: last !== undefined && this.ready(w, c, last),
        started,
        restartCount: last?.attempt ?? Math.max(0, (w.restartBase.get(c.name) ?? 0) - 1),
        ...(init && c.restartPolicy === 'Always' ? { sidecar: true } : {}),
      };
    });
  }

  private willStartAgain(pod: KubeObject, c: ContainerSpec, last: ContainerRecord, init: boolean): boolean {
    const policy = (pod.spec as PodSpec).restartPolicy ?? 'Always';
    if (init) return c.restartPolicy === 'Always' || (last.exitCode !== 0 && policy !== 'Never');
    return policy === 'Always' || (policy === 'OnFailure' && last.exitCode !== 0);
  }

  private pushStatus(w: PodWorker, pod: KubeObject, spec: PodSpec): void {
    const inits = spec.initContainers ?? [];
    const policy = spec.restartPolicy ?? 'Always';
    const initDone = inits.every((c) => {
      const last = this.attempts(w.uid, c.name).at(-1);
      if (c.restartPolicy === 'Always') return last !== undefined && this.started(w, c, last);
      return last?.finishedAt !== undefined && last.exitCode === 0;
    });
    const initFailed = policy === 'Never' && inits.some((c) => c.restartPolicy !== 'Always' && this.attempts(w.uid, c.name).at(-1)?.exitCode !== undefined && this.attempts(w.uid, c.name).at(-1)?.exitCode !== 0);
    const initViews = this.containerViews(w, pod, inits, true, initDone);
    const views = this.containerViews(w, pod, spec.containers ?? [], false, initDone);
    const sandbox = this.options.runtime.sandbox(w.uid);
    const view: PodView = { restartPolicy: policy, inits: initViews, containers: views, initialized: initDone, initFailed, sandboxReady: sandbox !== undefined && this.world.now >= sandbox.readyAt };
    const old = (pod.status ?? {}) as Obj;
    const oldPhase = old.phase as string | undefined;
    // A terminal phase is final: the kubelet never moves a pod out of Succeeded or Failed.
    const phase = oldPhase === 'Succeeded' || oldPhase === 'Failed' ? oldPhase : podPhase(view);
    const conditions = podConditions(view, phase, (old.conditions ?? []) as never[], this.world.now);
    const ip = sandbox?.ip ?? (old.podIP as string | undefined);
    const status: Obj = {
      ...old,
      phase,
      conditions,
      hostIP: this.options.spec.internalIP,
      hostIPs: [{ ip: this.options.spec.internalIP }],
      ...(ip === undefined ? {} : { podIP: ip, podIPs: [{ ip }] }),
      startTime: old.startTime ?? rfc3339(this.world.now),
      ...(inits.length > 0 ? { initContainerStatuses: initViews.map(containerStatus) } : {}),
      containerStatuses: views.map(containerStatus),
    };
    const text = JSON.stringify(status);
    if (text === JSON.stringify(old)) return;
    // Sent already and not yet seen back: wait. Seen back and changed since (the node lifecycle
    // controller marking the pod not ready, say): the status manager writes its view again.
    if (text === w.lastStatus && (w.sentVersion === undefined || Number(pod.metadata.resourceVersion ?? 0) < w.sentVersion)) return;
    w.lastStatus = text;
    w.sentVersion = undefined;
    this.client.request({ verb: 'patch', resource: 'pods', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '', subresource: 'status', patchType: 'merge', patch: JSON.stringify({ status }) }, (r) => {
      if (r.ok && r.result.ok) w.sentVersion = Number((r.result.value as KubeObject).metadata.resourceVersion ?? 0);
      if (!r.ok || !r.result.ok) {
        // Try again soon; the next sync recomputes from the latest pod.
        w.lastStatus = undefined;
        this.wake(w, 1_000);
      }
    });
  }

  private recordPod(pod: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.record(pod, type, reason, message);
  }

  // ---- kubelet API (port 10250): container logs ----

  private serve(m: Message): void {
    if (m.type === KubeletStatsMsg.Request) return this.serveStats(m);
    if (m.type === KubeletMsg.Exec) return this.serveExec(m);
    if (m.type !== KubeletMsg.ContainerLogs) return;
    const req = m.payload as ContainerLogsRequest;
    const answer = (r: Omit<ContainerLogsResponse, 'reqId'>): void => {
      this.world.net.send(this.node, m.from, KubeletMsg.ContainerLogsResponse, { reqId: req.reqId, ...r }, req.replyPort);
    };
    const pod = this.informer.get(`${req.namespace}/${req.pod}`);
    const uid = pod?.metadata.uid;
    const attempts = uid === undefined ? [] : this.attempts(uid, req.container);
    const status = [...(((pod?.status as Obj | undefined)?.containerStatuses ?? []) as Obj[]), ...(((pod?.status as Obj | undefined)?.initContainerStatuses ?? []) as Obj[])].find((s) => s.name === req.container);
    const last = attempts.at(-1);
    let target: ContainerRecord | undefined;
    if (req.previous) {
      target = last?.finishedAt !== undefined && attempts.length === 1 ? undefined : attempts.at(-2);
      if (target === undefined) return answer({ error: `previous terminated container "${req.container}" in pod "${req.pod}" not found` });
    } else if (last !== undefined && (last.startedAt !== undefined || last.finishedAt !== undefined)) target = last;
    else {
      const waiting = ((status?.state as Obj | undefined)?.waiting as Obj | undefined)?.reason as string | undefined;
      const reason = waiting === 'ErrImagePull' || waiting === 'ImagePullBackOff' ? "image can't be pulled" : (waiting ?? 'ContainerCreating');
      return answer({ error: `container "${req.container}" in pod "${req.pod}" is waiting to start: ${reason}` });
    }
    const end = target.finishedAt ?? this.world.now;
    const startedAt = target.startedAt ?? target.createdAt;
    const programLines = programLogs(target.program, end - startedAt, 5_000, target.files?.forProgram(startedAt)).map((l) => ({ ...l, at: startedAt + l.atMs }));
    let lines = mergeByTime(programLines, target.appLog ?? []).map((l) => {
      const at = l.at;
      const text = l.stamp === 'nginx' ? `${nginxTime(at)} ${l.line}` : l.stamp === 'iso' ? `${rfc3339(at).replace('T', ' ').replace('Z', '')}+00:00 ${l.line}` : l.stamp === 'date' ? `${unixDate(at)}${l.line}` : l.line;
      // A last line without its newline (a file that lacks one, printed last) is sent as it is.
      return `${req.timestamps ? `${rfc3339Nano(at)} ${text}` : text}${l.partial === true ? '' : '\n'}`;
    });
    if (req.tailLines !== undefined && req.tailLines >= 0) lines = lines.slice(Math.max(0, lines.length - req.tailLines));
    answer({ text: lines.join('') });
  }

  // ---- kubelet API (port 10250): exec ----

  /**
   * Runs a command in a running container of a pod here, with that container's environment and
   * files: the stream is taken at once, the result sent when the command ends (after its sleeps,
   * or a network tool's time-out). A container that is not running cannot be found by the runtime.
   */
  private serveExec(m: Message): void {
    if (m.copy > 0) return; // the stream runs over TCP: network-made copies never arrive
    const req = m.payload as ExecRequest;
    const answer = (r: Omit<ExecResponse, 'reqId'>): void => {
      this.world.net.send(this.node, m.from, KubeletMsg.ExecResponse, { reqId: req.reqId, ...r }, req.replyPort);
    };
    const uid = this.informer.get(`${req.namespace}/${req.pod}`)?.metadata.uid;
    const c = uid === undefined ? undefined : this.attempts(uid, req.container).at(-1);
    if (c?.files === undefined || c.startedAt === undefined || c.finishedAt !== undefined) {
      return answer({ result: { streamError: `unable to upgrade connection: container not found ("${req.container}")` } });
    }
    answer({ started: true });
    const net: ExecNet = (tool, client, opts) => this.options.netTool?.(c.podUid, this.node, tool, client, opts);
    const run = execInContainer(c, c.files, req.command, containerEnv.get(c) ?? {}, this.world.now, net);
    if (run.waitMs > EXEC_LIMIT_MS && !('streamError' in run.result)) return answer({ result: { ...run.result, wouldRunMs: run.waitMs } });
    this.later(run.waitMs, `exec in ${req.pod}/${req.container}`, () => answer({ result: run.result }));
  }

  // ---- kubelet API (port 10250): /metrics/resource ----

  /**
   * The resource metrics metrics-server scrapes: per running container its cumulative CPU and
   * memory working set, and the node's totals (system processes included). Samples carry the
   * time cAdvisor took them, a little before the request, as its housekeeping runs on its own clock.
   */
  private serveStats(m: Message): void {
    const req = m.payload as ResourceStatsRequest;
    const account = this.cpuAccount();
    const at = Math.max(account.at, this.world.now - jitter(`${this.node}/sample/${this.world.now}`, 1_500));
    const spec = this.options.spec;
    const pods = new Map(this.informer.list().map((p) => [p.metadata.uid ?? '', p]));
    this.accountCpu(account, at, pods);
    const rt = this.options.runtime;
    const out: ResourceStatsResponse['pods'][number][] = [];
    let memory = SYSTEM_MEMORY_MIB[spec.role] * 2 ** 20 + jitter(`${this.node}/memory/${Math.floor(at / 60_000)}`, 4_096) * 4_096;
    for (const uid of rt.podsWithState()) {
      const pod = pods.get(uid);
      const running = rt.containersOf(uid).filter((c) => c.startedAt !== undefined && c.finishedAt === undefined);
      const containers = running.map((c) => {
        const sample: ResourceSample = { startTime: c.startedAt ?? at, timestamp: at, cpuUsageNs: Math.round(account.containers.get(c.id) ?? 0), memoryWorkingSetBytes: workingSet(c, at) };
        memory += sample.memoryWorkingSetBytes;
        return { name: c.name, ...sample };
      });
      if (pod !== undefined && containers.length > 0) out.push({ namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '', containers });
      // A gVisor or Kata sandbox costs the node memory of its own, outside any container.
      if (rt.sandbox(uid) !== undefined) memory += sandboxOverheadBytes(this.knownHandler(pod));
    }
    const nodeSample: ResourceSample = { startTime: account.bootAt, timestamp: at, cpuUsageNs: Math.round(account.nodeNs), memoryWorkingSetBytes: memory };
    const resp: ResourceStatsResponse = { reqId: req.reqId, node: this.node, nodeSample, pods: out };
    this.world.net.send(this.node, m.from, KubeletStatsMsg.Response, resp, req.replyPort);
  }

  private cpuAccount(): CpuAccount {
    const rt = this.options.runtime;
    let a = cpuAccounts.get(rt);
    if (a === undefined || a.bootId !== this.options.bootId) {
      a = { bootId: this.options.bootId, bootAt: this.world.now, at: this.world.now, nodeNs: 0, containers: new Map() };
      cpuAccounts.set(rt, a);
    }
    return a;
  }

  /** Adds the CPU time used since the last accounting up to `to`, sharing the node's cores as CFS would. */
  private accountCpu(a: CpuAccount, to: number, pods: ReadonlyMap<string, KubeObject>): void {
    const span = to - a.at;
    if (span <= 0) return;
    const rt = this.options.runtime;
    const role = this.options.spec.role;
    const system = SYSTEM_CPU_MILLI[role] + jitter(`${this.node}/cpu/${to}`, 12_000) / 1_000;
    const live: { id: string; demandMilli: number; weight: number }[] = [];
    for (const uid of rt.podsWithState()) {
      const specs = [...(((pods.get(uid)?.spec as PodSpec | undefined)?.containers ?? []) as ContainerSpec[]), ...(((pods.get(uid)?.spec as PodSpec | undefined)?.initContainers ?? []) as ContainerSpec[])];
      for (const c of rt.containersOf(uid)) {
        if (c.startedAt === undefined || c.startedAt >= to || (c.finishedAt !== undefined && c.finishedAt <= a.at)) continue;
        const ran = Math.min(to, c.finishedAt ?? to) - Math.max(a.at, c.startedAt);
        const resources = specs.find((x) => x.name === c.name)?.resources;
        const limit = resources?.limits?.cpu === undefined ? Infinity : milliCpu(resources.limits.cpu);
        const request = resources?.requests?.cpu === undefined ? (limit === Infinity ? MIN_SHARES_MILLI : limit) : milliCpu(resources.requests.cpu);
        // Averaged over the span: a container that ran half of it asks for half as much.
        // A spinning process loses a little to interrupts and the scheduler, never quite a full share.
        const wants = c.program.cpuMilli * (1 - jitter(`${c.id}/${to}`, 1_500) / 100_000);
        live.push({ id: c.id, demandMilli: (Math.min(wants, limit) * ran) / span, weight: Math.max(request, MIN_SHARES_MILLI) });
      }
    }
    const capacity = Math.max(0, milliCpu(this.options.spec.cpu) - system);
    const got = shareCpu(live, capacity);
    let used = system;
    live.forEach((c, i) => {
      const milli = got[i] ?? 0;
      used += milli;
      // millicores × ms = 1 000 ns of CPU time.
      a.containers.set(c.id, (a.containers.get(c.id) ?? 0) + milli * span * 1_000);
    });
    a.nodeNs += used * span * 1_000;
    a.at = to;
    const present = new Set(live.map((c) => c.id));
    for (const id of a.containers.keys()) if (!present.has(id) && !rt.podsWithState().some((u) => rt.containersOf(u).some((c) => c.id === id))) a.containers.delete(id);
  }

  // ---- timers ----

  private later(ms: number, what: string, fn: () => void): void {
    const ev = this.world.schedule(ms, `kubelet ${this.node} ${what}`, () => {
      this.timers.delete(ev);
      if (this.running) fn();
    });
    this.timers.add(ev);
  }

  private every(ms: number, what: string, fn: () => void): void {
    const tick = (): void => {
      fn();
      this.later(ms, what, tick);
    };
    this.later(ms, what, tick);
  }
}

/** Go's time.Duration String for whole seconds and minutes: 10s, 1m20s, 5m0s. */
function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}

/** A pull time as the kubelet prints it: 2.345s, 512ms. */
function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
}

/** "2025/01/01 00:00:05", nginx's error log clock. */
function nginxTime(ms: number): string {
  return rfc3339(ms).slice(0, 19).replace(/-/g, '/').replace('T', ' ');
}

/** A program's own lines and those the traffic model wrote for it, in time order (the program's first on a tie). */
function mergeByTime<T extends { at: number }>(own: readonly T[], network: readonly { at: number; line: string }[]): (T | { at: number; line: string; stamp?: undefined; partial?: undefined })[] {
  if (network.length === 0) return [...own];
  const out: (T | { at: number; line: string })[] = [];
  let j = 0;
  for (const l of own) {
    while (j < network.length && (network[j]?.at ?? 0) < l.at) out.push(network[j++] as { at: number; line: string });
    out.push(l);
  }
  while (j < network.length) out.push(network[j++] as { at: number; line: string });
  return out;
}

/** The timestamps kubectl logs --timestamps shows (RFC 3339 with nanoseconds). */
function rfc3339Nano(ms: number): string {
  return rfc3339Micro(ms).replace('Z', '000Z');
}

/**
 * A container's memory working set at a time: its program's (growing if it leaks), plus a few
 * pages that differ per container (page-aligned, as cgroups count).
 */
function workingSet(c: ContainerRecord, at: number): number {
  const extraPages = parseInt(c.id.slice(0, 4), 16) % 256;
  const programPages = Math.round((memoryMiBAt(c.program, at - (c.startedAt ?? at)) * 2 ** 20) / 4_096);
  return (programPages + extraPages) * 4_096;
}

/** What a program finds in its files when it starts (its config file, a database's data directory). */
function startFiles(ctx: FileContext, files: ContainerFs, now: number): FileContext {
  return { ...ctx, read: (p) => files.read(p, now), list: (p) => files.list(p, now), onVolume: (p) => files.resolve(p).data !== files.layer };
}

/** A deterministic wobble in [0, n): FNV-1a of a label, so samples vary without drawing from the kubelet's random stream. */
function jitter(label: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h % n;
}

/** The data plane, seen from the exec'd container's pod (undefined: no network to ask). */
type ExecNet = (tool: NetToolName, client: NetClient, opts: NetOpts) => NetRun | undefined;

/**
 * A command exec'd in a running container, as the container's own programs are modelled (the
 * same shell, utilities and network tools): its output, exit code, and how long it takes.
 */
function execInContainer(c: ContainerRecord, files: ContainerFs, command: readonly string[], env: Readonly<Record<string, string>>, now: number, net: ExecNet): { waitMs: number; result: ExecResult } {
  const p = programFor(c.image, { command }, env, { readOnly: (path) => files.readOnly(path), read: (path) => files.read(path, now), list: (path) => files.list(path, now) });
  if (p.startError !== undefined) return { waitMs: 0, result: { streamError: execNotFound(c, command[0] ?? '', now) } };
  const seen = files.forProgram(now);
  const app = p.app;
  if (app?.oneShot !== undefined && app.client !== undefined && p.loop === undefined) {
    // The steps before the tool, then its request through the data plane.
    const beforeMs = p.steps.reduce((sum, s) => sum + ('sleepMs' in s ? s.sleepMs : 0), 0);
    const own = printed(programLogs(p, beforeMs, 5_000, seen), now);
    const tool = net(app.oneShot, app.client, { quiet: app.quiet === true, failOnHttpError: app.failOnHttpError === true }) ?? { lines: [], code: 1, waitMs: 0 };
    return { waitMs: beforeMs + tool.waitMs, result: { stdout: own + tool.lines.map((l) => `${l}\n`).join(''), exitCode: tool.code } };
  }
  const exit = programEnd(p, seen).exit;
  // A server or an endless loop: what it prints at once, and that it would go on.
  if (exit === undefined) return { waitMs: 0, result: { stdout: printed(programLogs(p, 0, 5_000, seen), now), exitCode: 0, endless: true } };
  return { waitMs: exit.afterMs, result: { stdout: printed(programLogs(p, exit.afterMs, 5_000, seen), now), exitCode: exit.code } };
}

/** An exec'd program's output as the stream carries it (date(1)'s lines stamped when written). */
function printed(lines: readonly LogLine[], startedAt: number): string {
  return lines.map((l) => `${l.stamp === 'date' ? unixDate(startedAt + l.atMs) : ''}${l.line}${l.partial === true ? '' : '\n'}`).join('');
}

/** containerd's words when runc finds no such program (kubectl prints them after "error: "); exec IDs are 64 hex digits. */
function execNotFound(c: ContainerRecord, prog: string, now: number): string {
  const execId = [0, 1, 2, 3].map((k) => hashString(`${c.id}/exec/${now}/${k}`)).join('');
  const why = prog.includes('/') ? `stat ${prog}: no such file or directory` : 'executable file not found in $PATH';
  return `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${execId}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${prog}": ${why}: unknown`;
}
