import type { ApiResult, KubeObject, Status } from './apiObjects';

/** kube-apiserver's secure port: where the API server process on a master listens. */
export const API_PORT = '6443';

/** A watch with nothing to say still sends this often, so a client notices a dead server or a cut. */
export const WATCH_KEEPALIVE_MS = 5_000;

/** Message types on the network trace. */
export const ApiMsg = {
  Request: 'ApiRequest',
  Response: 'ApiResponse',
  Readyz: 'ApiReadyz',
  ReadyzResponse: 'ApiReadyzResp',
  /** Part of a watch's stream (events, a keep-alive, or its end). */
  WatchEvent: 'ApiWatchEvent',
} as const;

export type ApiVerb = 'create' | 'get' | 'list' | 'update' | 'patch' | 'delete' | 'watch' | 'cancelWatch';

/** Subresources: pods/status, pods/eviction, pods/binding, pods/log, pods/exec, namespaces/finalize, … */
export type Subresource = 'status' | 'eviction' | 'binding' | 'log' | 'exec' | 'finalize';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface LogOptions {
  readonly container?: string;
  readonly previous?: boolean;
  readonly tailLines?: number;
  readonly timestamps?: boolean;
}

/** pods/exec's options (PodExecOptions): the command as argv, in a container (the only one when unnamed). */
export interface ExecOptions {
  readonly container?: string;
  readonly command: readonly string[];
}

/**
 * The longest command `kubectl exec` runs here, in virtual time. A real stream lasts until the
 * command ends or is interrupted; the playground cannot interrupt, so the kubelet answers at
 * once for a command that would run longer (as for one that never ends).
 */
export const EXEC_LIMIT_MS = 300_000;

/**
 * How an exec stream ended: the command's output and exit code (`endless` when it would run
 * until interrupted, `wouldRunMs` when it would run past EXEC_LIMIT_MS), or the error kubectl
 * prints after "error: " (the connection could not be upgraded, the runtime could not start
 * the command).
 */
export type ExecResult = { readonly stdout: string; readonly exitCode: number; readonly endless?: true; readonly wouldRunMs?: number } | { readonly streamError: string };

export interface ApiRequest {
  readonly reqId: number;
  readonly verb: ApiVerb;
  /** For get, list and delete: the resource (plural name, as in the URL path). */
  readonly resource?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** For create and update. */
  readonly body?: KubeObject;
  readonly dryRun?: boolean;
  readonly subresource?: Subresource;
  /** For list and watch: only objects whose labels match (kubectl -l). */
  readonly labelSelector?: string;
  /** For list and watch: only objects whose fields match (--field-selector spec.nodeName=worker-1). */
  readonly fieldSelector?: string;
  /** For patch. */
  readonly patchType?: 'merge' | 'strategic' | 'json';
  readonly patch?: string;
  /** For delete (kubectl --cascade=background|foreground|orphan, --grace-period). */
  readonly propagationPolicy?: PropagationPolicy;
  readonly gracePeriodSeconds?: number;
  /** For watch: stream the changes after this version (a list's resourceVersion). For cancelWatch: the watch's reqId. */
  readonly resourceVersion?: string;
  readonly watchId?: number;
  /** For pods/log. */
  readonly log?: LogOptions;
  /** For pods/exec. */
  readonly exec?: ExecOptions;
  /** The port on the client's host that expects the answer. */
  readonly replyPort: string;
}

export interface ApiResponse {
  readonly reqId: number;
  /** Which API server answered (the load balancer's choice, or the pinned one). */
  readonly server: string;
  readonly result: ApiResult<unknown>;
  /** Warnings admission had for the requester (HTTP "Warning: 299 - …" headers), with success or failure alike. */
  readonly warnings?: readonly string[];
}

export interface ReadyzRequest {
  readonly reqId: number;
  readonly replyPort: string;
}

export interface ReadyzResponse {
  readonly reqId: number;
  readonly ready: boolean;
  /** What failed, as /readyz?verbose words it: "[-]etcd failed: etcdserver: no leader". */
  readonly detail: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEventsMessage {
  /** The watch request's reqId. */
  readonly reqId: number;
  /** Position in the stream, from 1 (the client puts the stream back in order, as TCP would). */
  readonly seq: number;
  readonly events: readonly { readonly type: WatchEventType; readonly object: KubeObject }[];
  /** Set when the server ends the watch: why (410 Expired when the version was compacted away). */
  readonly end?: Status;
}

/** The kubelet's API port, where kube-apiserver fetches container logs (GET /containerLogs/…). */
export const KUBELET_PORT = '10250';

export const KubeletMsg = {
  ContainerLogs: 'KubeletContainerLogs',
  ContainerLogsResponse: 'KubeletContainerLogsResp',
  Exec: 'KubeletExec',
  ExecResponse: 'KubeletExecResp',
} as const;

export interface ContainerLogsRequest extends LogOptions {
  readonly reqId: number;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly replyPort: string;
}

/** The log text, or the kubelet's refusal (`container "web" in pod "web-x" is waiting to start: ContainerCreating`). */
export interface ContainerLogsResponse {
  readonly reqId: number;
  readonly text?: string;
  readonly error?: string;
}

/** POST /exec/{namespace}/{pod}/{container} on the kubelet, as kube-apiserver proxies pods/exec. */
export interface ExecRequest {
  readonly reqId: number;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly command: readonly string[];
  readonly replyPort: string;
}

/**
 * The kubelet's answers to an exec: first `started` (the stream is upgraded; the command may run
 * for a while), then the `result` — or the result at once when the stream cannot be opened.
 */
export interface ExecResponse {
  readonly reqId: number;
  readonly started?: true;
  readonly result?: ExecResult;
}

/** The kubelet's resource metrics endpoint (GET /metrics/resource on port 10250), as metrics-server scrapes it. */
export const KubeletStatsMsg = {
  Request: 'KubeletMetricsResource',
  Response: 'KubeletMetricsResourceResp',
} as const;

export interface ResourceStatsRequest {
  readonly reqId: number;
  readonly replyPort: string;
}

/**
 * One sample, as the Prometheus series of /metrics/resource carry it: cumulative CPU seconds
 * (here in nanoseconds: container_cpu_usage_seconds_total), the memory working set, when it was
 * measured and when the container (or node) started, all in virtual ms.
 */
export interface ResourceSample {
  readonly startTime: number;
  readonly timestamp: number;
  readonly cpuUsageNs: number;
  readonly memoryWorkingSetBytes: number;
}

export interface ResourceStatsResponse {
  readonly reqId: number;
  readonly node: string;
  readonly nodeSample: ResourceSample;
  readonly pods: readonly { readonly namespace: string; readonly name: string; readonly containers: readonly ({ readonly name: string } & ResourceSample)[] }[];
}

/** metrics-server's --secure-port, where the API servers' proxied requests (the APIService v1beta1.metrics.k8s.io backend) reach it. */
export const METRICS_SERVER_PORT = '4443';

export const MetricsMsg = {
  Request: 'MetricsApiRequest',
  Response: 'MetricsApiResponse',
} as const;

/** The aggregated resources metrics-server serves: nodes.metrics.k8s.io and pods.metrics.k8s.io. */
export const METRICS_RESOURCES = { nodes: 'nodes.metrics.k8s.io', pods: 'pods.metrics.k8s.io' } as const;

export interface MetricsApiRequest {
  readonly reqId: number;
  readonly replyPort: string;
  readonly verb: 'get' | 'list';
  readonly resource: 'nodes' | 'pods';
  readonly namespace?: string;
  readonly name?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export interface MetricsApiResponse {
  readonly reqId: number;
  readonly result: ApiResult<unknown>;
}
