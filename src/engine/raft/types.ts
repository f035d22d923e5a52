/**
 * Raft messages and entries, named as etcd's raft names them so what a learner
 * sees in the Raft view matches etcd's logs and docs.
 */
export const MessageType = {
  /** Local: start an election (the election timer fired). */
  MsgHup: 'MsgHup',
  /** Local: leader, send heartbeats now. */
  MsgBeat: 'MsgBeat',
  /** Local: leader, check that a quorum was heard from during the last election timeout. */
  MsgCheckQuorum: 'MsgCheckQuorum',
  /** A proposal: local on the leader, forwarded by a follower. */
  MsgProp: 'MsgProp',
  MsgApp: 'MsgApp',
  MsgAppResp: 'MsgAppResp',
  MsgVote: 'MsgVote',
  MsgVoteResp: 'MsgVoteResp',
  MsgPreVote: 'MsgPreVote',
  MsgPreVoteResp: 'MsgPreVoteResp',
  MsgHeartbeat: 'MsgHeartbeat',
  MsgHeartbeatResp: 'MsgHeartbeatResp',
  /** A linearizable read: local on the leader, forwarded by a follower. */
  MsgReadIndex: 'MsgReadIndex',
  MsgReadIndexResp: 'MsgReadIndexResp',
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const Role = {
  Follower: 'follower',
  PreCandidate: 'pre-candidate',
  Candidate: 'candidate',
  Leader: 'leader',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/** "No node": no vote cast, no leader known. */
export const None = '';

export interface Entry<T> {
  readonly term: number;
  readonly index: number;
  /** null for the empty entry a new leader appends to commit its term. */
  readonly data: T | null;
  /** What the entry does, for people: "PUT /registry/pods/default/web-1". */
  readonly label: string;
}

export interface RaftMessage<T> {
  readonly type: MessageType;
  readonly from: string;
  readonly to: string;
  readonly term: number;
  /** MsgApp: term of the entry before `entries`; votes: term of the candidate's last entry; rejected MsgAppResp: term at rejectHint. */
  readonly logTerm: number;
  /** MsgApp: index of the entry before `entries`; votes: candidate's last index; responses: see the handlers. */
  readonly index: number;
  readonly entries: readonly Entry<T>[];
  readonly commit: number;
  readonly reject: boolean;
  /**
   * On a rejected MsgAppResp: where the follower's log may still match the leader's (its logTerm is
   * the term there), so the leader skips a whole conflicting term per round trip.
   */
  readonly rejectHint: number;
  /** Read requests and heartbeats: the read request this message carries (0 = none). */
  readonly context: number;
}

/** Term, vote and log: what a member keeps on disk. It outlives a kill; everything else does not. */
export interface RaftStorage<T> {
  term: number;
  vote: string;
  commit: number;
  /** entries[i] has index i + 1. */
  entries: Entry<T>[];
}

export function emptyStorage<T>(): RaftStorage<T> {
  return { term: 0, vote: None, commit: 0, entries: [] };
}

/** A read that is safe to serve once the member has applied `index`. */
export interface ReadState {
  readonly index: number;
  readonly context: number;
}

export interface RaftConfig {
  id: string;
  /** Every member of the group, this one included. */
  peers: readonly string[];
  /** Ticks without hearing from a leader before a follower campaigns (randomised in [T, 2T)). */
  electionTicks: number;
  /** Ticks between a leader's heartbeats. */
  heartbeatTicks: number;
  preVote: boolean;
  checkQuorum: boolean;
  /** Entries per MsgApp at most. */
  maxEntriesPerMsg: number;
}

export function message<T>(fields: Partial<RaftMessage<T>> & Pick<RaftMessage<T>, 'type' | 'from' | 'to'>): RaftMessage<T> {
  return { term: 0, logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0, context: 0, ...fields };
}
