import type { RangeResult, TxnRequest, TxnResult, WatchEvent } from './kvStore';

/**
 * What clients and etcd members say to each other over the simulated network.
 * Message types are the network trace's labels.
 */
export const EtcdMsg = {
  Txn: 'EtcdTxn',
  Range: 'EtcdRange',
  /** A member's own status (etcd's Maintenance.Status): answered without asking the others. */
  Status: 'EtcdStatus',
  Response: 'EtcdResp',
  Watch: 'EtcdWatch',
  WatchCancel: 'EtcdWatchCancel',
  WatchEvents: 'EtcdWatchEvents',
} as const;

/** The errors etcd returns, word for word. */
export const EtcdError = {
  NoLeader: 'etcdserver: no leader',
  Timeout: 'etcdserver: request timed out',
  Compacted: 'mvcc: required revision has been compacted',
  Stopped: 'etcdserver: server stopped',
} as const;
export type EtcdError = (typeof EtcdError)[keyof typeof EtcdError];

export interface TxnCall {
  readonly reqId: number;
  /** The port on the client's host that expects the answer ("" when omitted). */
  readonly replyPort?: string;
  readonly txn: TxnRequest;
}

export interface RangeCall {
  readonly reqId: number;
  readonly replyPort?: string;
  readonly key: string;
  readonly prefix: boolean;
  /** Serve from this member's store without asking the leader: fast, possibly stale. */
  readonly serializable: boolean;
}

export type EtcdResult =
  | { readonly kind: 'txn'; readonly txn: TxnResult }
  | { readonly kind: 'range'; readonly range: RangeResult }
  | { readonly kind: 'status'; readonly status: MemberStatus };

/** What etcd's Status RPC answers about one member. */
export interface MemberStatus {
  readonly name: string;
  /** The member ID as etcd prints it: 16 hex digits. */
  readonly id: string;
  readonly version: string;
  /** Bytes of the backend database. */
  readonly dbSize: number;
  /** The ID of the leader this member believes in, or "" for none. */
  readonly leader: string;
  readonly raftTerm: number;
  /** The committed index. */
  readonly raftIndex: number;
  readonly raftAppliedIndex: number;
  readonly isLearner: boolean;
  readonly errors: readonly string[];
}

/** The version of etcd the simulated members report (the one kubeadm 1.31 installs). */
export const ETCD_VERSION = '3.5.15';

export interface EtcdResponse {
  readonly reqId: number;
  readonly result?: EtcdResult;
  readonly error?: EtcdError;
}

export interface WatchCall {
  readonly watchId: number;
  readonly replyPort?: string;
  readonly key: string;
  readonly prefix: boolean;
  /** First revision wanted (history at or after it is replayed). */
  readonly startRevision: number;
}

export interface WatchEvents {
  readonly watchId: number;
  /**
   * Position in this watch's stream, from 1. A watch is a gRPC stream over TCP in etcd;
   * the network here may duplicate and reorder, so the client puts the stream back in order by it.
   */
  readonly seq: number;
  readonly events: readonly { readonly revision: number; readonly event: WatchEvent }[];
  /** The member's revision when sent: a progress notification when events is empty. */
  readonly revision: number;
  /** Set when the member ends the watch (it lost its leader, or the start revision was compacted). */
  readonly canceled?: EtcdError;
}

/** The Raft entry data of an etcd write: the transaction and who is waiting for it. */
export interface EtcdEntry {
  readonly id: string;
  readonly txn: TxnRequest;
}

/** A short human label for a transaction, as the Raft view shows it: "PUT /registry/pods/default/web-1". */
export function describeTxn(txn: TxnRequest): string {
  const ops = [...txn.success, ...txn.failure];
  const first = ops[0];
  if (first === undefined) return txn.compare.length > 0 ? `TXN compare ${txn.compare[0]?.key}` : 'TXN (empty)';
  const verb = first.op === 'put' ? 'PUT' : 'DELETE';
  const what = `${verb} ${first.key}${first.op === 'delete' && first.prefix ? '*' : ''}`;
  if (txn.compare.length > 0) return `TXN if … then ${what}${ops.length > 1 ? ` (+${ops.length - 1})` : ''}`;
  return ops.length > 1 ? `${what} (+${ops.length - 1})` : what;
}
