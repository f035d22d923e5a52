/**
 * What the page and the engine say to each other. The engine (a PlaygroundSession, its
 * ClusterView and the playback loop) runs in a Web Worker; the page sends requests and
 * receives frames. Everything here is plain data: it crosses postMessage by structured clone.
 */
import type { ClusterSnapshot, ClusterSpec, Fault } from '../engine';
import type { CommandResult } from '../kubectl/commandResult';

// ---- actions: every mutation the learner makes ----------------------------------------

/**
 * A named action. Each one that changes the cluster is recorded in the action log with the
 * virtual time it ran at, so a scenario plus its log replays the session exactly.
 */
export type SessionAction =
  /** A kubectl command line without the leading `kubectl`. `files` are what `-f NAME` reads (the editor's tabs). */
  | { readonly type: 'kubectl'; readonly command: string; readonly stdin?: string; readonly files?: Readonly<Record<string, string>> }
  /** An etcdctl command line without the leading `etcdctl`. */
  | { readonly type: 'etcdctl'; readonly command: string }
  /** A fault from the map or the console: kill, restart, partition, heal, stop kubelet… */
  | { readonly type: 'fault'; readonly fault: Fault }
  /** Pod-level faults the map offers: crash (kill the main process of) a container. */
  | { readonly type: 'crashContainer'; readonly namespace: string; readonly pod: string; readonly container?: string }
  /** curl from the learner's laptop, outside the cluster (a node's NodePort). */
  | { readonly type: 'curl'; readonly command: string }
  /** A steady load from the learner's laptop (`load URL --rate N`, `load stop`). */
  | { readonly type: 'load'; readonly command: string };

/** Every SessionAction type (a new one must be added here, or this does not compile): what a replay runs. */
const SESSION_ACTION_TYPES: Readonly<Record<SessionAction['type'], true>> = { kubectl: true, etcdctl: true, fault: true, crashContainer: true, curl: true, load: true };

/** Whether a logged action changes the cluster (and is run again on replay), rather than moving time. */
export function isSessionAction(a: SessionAction | TimeAction): a is SessionAction {
  return Object.hasOwn(SESSION_ACTION_TYPES, a.type);
}

export type TimeAction =
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'speed'; readonly speed: number }
  /** Run to the next change of the cluster's stored state (the next committed write). */
  | { readonly type: 'step' }
  /** Run until something a learner would notice happens (a new Kubernetes Event, a pod or node changing state), at most 10 virtual minutes. */
  | { readonly type: 'skip' };

/** One entry of the action log. */
export interface LoggedAction {
  /** Virtual ms when it ran. */
  readonly atMs: number;
  readonly action: SessionAction | TimeAction;
}

/** What a kubectl/etcdctl action printed (faults print nothing and exit 0). */
export interface ActionOutcome extends CommandResult {
  /** Virtual time the command started and finished (a write without quorum waits for etcd's timeout). */
  readonly startedAtMs: number;
  readonly endedAtMs: number;
}

// ---- the model the views draw ------------------------------------------------------------

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface NodeModel {
  readonly name: string;
  readonly role: 'control-plane' | 'worker';
  readonly zone: string;
  /** The host is up (not killed). */
  readonly alive: boolean;
  /** The kubelet process runs on it. */
  readonly kubeletRunning: boolean;
  /** The Node object's Ready condition; null before the kubelet registered it. */
  readonly ready: ConditionStatus | null;
  readonly unschedulable: boolean;
  readonly taints: readonly { readonly key: string; readonly value?: string; readonly effect: string }[];
  /** Requests of the pods bound to it against its allocatable (millicores, bytes, pods). */
  readonly cpu: { readonly requested: number; readonly allocatable: number };
  readonly memory: { readonly requested: number; readonly allocatable: number };
  readonly pods: { readonly count: number; readonly allocatable: number };
  /** Which side of a partition the node is on (index into the groups; the unnamed rest last); null when whole. */
  readonly partitionGroup: number | null;
}

export interface PodModel {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** spec.nodeName; '' while Pending unscheduled. */
  readonly nodeName: string;
  /** status.phase: Pending, Running, Succeeded, Failed, Unknown. */
  readonly phase: string;
  /** kubectl get pods' STATUS column: Running, ContainerCreating, CrashLoopBackOff, Terminating, … */
  readonly status: string;
  /** The Ready condition is True. */
  readonly ready: boolean;
  /** "1/1" as kubectl's READY column. */
  readonly readyText: string;
  readonly restarts: number;
  /** The controller that owns it, followed up to the Deployment/StatefulSet/…: "Deployment/web"; "" for a bare pod. */
  readonly owner: string;
  readonly deleting: boolean;
}

export interface WorkloadModel {
  readonly kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job';
  readonly namespace: string;
  readonly name: string;
  /** spec.replicas (DaemonSet: desiredNumberScheduled; Job: completions). */
  readonly desired: number;
  /** status.replicas / currentNumberScheduled / active. */
  readonly current: number;
  /** status.readyReplicas / numberReady / succeeded. */
  readonly ready: number;
  /** status.updatedReplicas (Deployment, StatefulSet, DaemonSet). */
  readonly updated: number;
  /** status.availableReplicas / numberAvailable. */
  readonly available: number;
  /** Observed state has not caught up with the spec yet. */
  readonly converging: boolean;
}

/** The objects of one resource type, by namespace then name, for completion and pickers. */
export type ObjectNames = Readonly<Record<string, readonly string[]>>;

export interface ClusterModel {
  /** The store revision the model was read at (etcd's global revision). */
  readonly revision: number;
  readonly nodes: readonly NodeModel[];
  readonly pods: readonly PodModel[];
  readonly workloads: readonly WorkloadModel[];
  /** Holders of kube-system's leader-election Leases ("master-2_<uuid>" → the master's name), null when none holds. */
  readonly leases: { readonly scheduler: string | null; readonly controllerManager: string | null };
  /** Names of every object, by resource plural (`pods`, `deployments`, …) then namespace ('' for cluster-scoped). */
  readonly names: Readonly<Record<string, ObjectNames>>;
}

/** A Kubernetes Event as the timeline lists it. */
export interface EventRecord {
  /** Event object uid + count, unique per occurrence. */
  readonly id: string;
  /** Virtual ms of the (last) occurrence. */
  readonly atMs: number;
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  /** involvedObject as "Kind/namespace/name" (cluster-scoped: "Kind/name"). */
  readonly object: string;
  readonly message: string;
  readonly count: number;
  readonly source: string;
}

/** One sample of a workload's desired vs ready replicas, for the timeline's chart. */
export interface ReplicaSample {
  readonly atMs: number;
  readonly desired: number;
  readonly ready: number;
}

/**
 * One second of a traffic series: requests sent in [t, t + 1 s) and what became of them — ok, or
 * failed because the name did not resolve (dns), nothing took the connection (refused), nothing
 * answered (timeout) or the server answered HTTP 5xx (error).
 */
export interface TrafficSample {
  /** Virtual ms at the start of the second. */
  readonly t: number;
  readonly requests: number;
  readonly ok: number;
  readonly dns: number;
  readonly refused: number;
  readonly timeout: number;
  readonly error: number;
}

/** What the worker posts each frame it has something new. */
export interface Frame {
  /** Which cluster it shows: a reset starts a new epoch, and frames of the old one are dropped. */
  readonly epoch: number;
  readonly snapshot: ClusterSnapshot;
  /** Sent when the stored state changed since the last frame; absent means "as before". */
  readonly model?: ClusterModel;
  /** Kubernetes Events new since the last frame, oldest first. */
  readonly newEvents: readonly EventRecord[];
  /** The cluster has a Raft leader that a majority of masters can reach: writes can commit. */
  readonly quorum: boolean;
  readonly playing: boolean;
  readonly speed: number;
  /** Virtual ms per wall ms actually achieved over the last second (below `speed` when the engine cannot keep up). */
  readonly achievedSpeed: number;
  /** Desired vs ready over time per workload ("Deployment/default/web"), appended since the last frame. */
  readonly newSamples: Readonly<Record<string, readonly ReplicaSample[]>>;
  /**
   * Seconds of traffic completed since the last frame, per Service ("service/default/web"), per
   * client workload ("client/default/deployment/loadgen") and per load from outside
   * ("outside/<URL, encoded>"); seconds without requests are left out.
   * Optional only so frames written before it existed still type-check; the worker always sends it.
   */
  readonly newTraffic: Readonly<Record<string, readonly TrafficSample[]>>;
  /** The action log grew: its entries since the last frame. */
  readonly newLog: readonly LoggedAction[];
  /** The engine threw; playback stopped. */
  readonly engineError: string | null;
  /** While a restore replays the log: how far it has got, in virtual ms. */
  readonly restoring: { readonly atMs: number; readonly untilMs: number } | null;
}

// ---- inspection -------------------------------------------------------------------------

/** An object on the map or in a list: kind as Kubernetes names it, namespace ('' when cluster-scoped), name. */
export interface ObjectRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export interface NodeVerdictView {
  readonly node: string;
  /** '' when the node passed every filter. */
  readonly reason: string;
  /** The final score when the node was feasible and scoring ran. */
  readonly score?: number;
}

export interface Inspection {
  readonly ref: ObjectRef;
  /** null when the object does not exist (deleted, or not yet created). */
  readonly yaml: string | null;
  /** `kubectl describe` text, as kubectl prints it. */
  readonly describe: string | null;
  /** Its events, newest last. */
  readonly events: readonly EventRecord[];
  /** For workloads: spec fields next to their status counterparts. */
  readonly desiredVsObserved: readonly { readonly field: string; readonly desired: string; readonly observed: string }[] | null;
  /** For a pod the scheduler has looked at: its last decision, node by node. */
  readonly scheduling: { readonly atMs: number; readonly node: string | null; readonly message: string; readonly verdicts: readonly NodeVerdictView[] } | null;
}

/** Tab completion of a console line. */
export interface Completion {
  /** Where in the line the replaced word starts. */
  readonly from: number;
  /** Candidates for the word, sorted; one means "complete it". */
  readonly candidates: readonly string[];
}

// ---- requests and replies ---------------------------------------------------------------------

export type Request =
  | { readonly op: 'dispatch'; readonly action: SessionAction }
  | { readonly op: 'time'; readonly action: TimeAction }
  | { readonly op: 'inspect'; readonly ref: ObjectRef }
  /** `files`: the editor's tab names, which `-f` completes. */
  | { readonly op: 'complete'; readonly line: string; readonly cursor: number; readonly files?: readonly string[] }
  /** Start over with a new cluster (the topology picker). The log starts again too. */
  | { readonly op: 'reset'; readonly spec: ClusterSpec; readonly seed: number | string }
  /**
   * Rebuild a session from its log (after a reload): the cluster is made anew and the actions
   * replayed at their virtual times up to `untilMs`, a slice per frame; frames report progress.
   */
  | { readonly op: 'restore'; readonly spec: ClusterSpec; readonly seed: number | string; readonly log: readonly LoggedAction[]; readonly untilMs: number };

export type Reply =
  | { readonly op: 'dispatch'; readonly outcome: ActionOutcome }
  | { readonly op: 'time' }
  | { readonly op: 'inspect'; readonly inspection: Inspection }
  | { readonly op: 'complete'; readonly completion: Completion }
  | { readonly op: 'reset'; readonly epoch: number }
  | { readonly op: 'restore'; readonly epoch: number }
  | { readonly op: 'error'; readonly message: string };

/** Page → worker. */
export interface RequestMessage {
  readonly id: number;
  readonly request: Request;
}

/** Worker → page: a reply to request `id`, or a frame. */
export type WorkerMessage = { readonly kind: 'reply'; readonly id: number; readonly reply: Reply } | { readonly kind: 'frame'; readonly frame: Frame };
