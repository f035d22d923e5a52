import type { ApiResult, KubeObject } from './apiObjects';

/** kube-apiserver's secure port: where the API server process on a master listens. */
export const API_PORT = '6443';

/** Message types on the network trace. */
export const ApiMsg = {
  Request: 'ApiRequest',
  Response: 'ApiResponse',
  Readyz: 'ApiReadyz',
  ReadyzResponse: 'ApiReadyzResp',
} as const;

export type ApiVerb = 'create' | 'get' | 'list' | 'update' | 'delete';

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
  /** For list: only objects whose labels match (kubectl -l). */
  readonly labelSelector?: string;
  /** The port on the client's host that expects the answer. */
  readonly replyPort: string;
}

export interface ApiResponse {
  readonly reqId: number;
  /** Which API server answered (the load balancer's choice, or the pinned one). */
  readonly server: string;
  readonly result: ApiResult<unknown>;
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
