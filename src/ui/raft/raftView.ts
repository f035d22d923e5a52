import type { EtcdMemberSnapshot, NodeSnapshot } from '../../engine';

/** What a Raft entry wrote, short enough for a 330px panel. */
export interface EntryLabel {
  /** PUT, DELETE, TXN (a conditional write), or '' for entries that are not writes (a new leader's empty entry). */
  readonly verb: 'PUT' | 'DELETE' | 'TXN' | '';
  /** The key without `/registry/`: "deployments/default/web". */
  readonly text: string;
  /** The label as etcd's member gave it, for a tooltip. */
  readonly full: string;
}

const WRITE = /^(PUT|DELETE) \/registry\/(\S+?)(\*?)( \(\+\d+\))?$/;
const CONDITIONAL = /^TXN if … then /;
const ELECTED = /^leader (\S+) elected for term \d+$/;

/** Longest entry text kept whole; longer keys lose their namespace to "…". */
export const LABEL_MAX = 30;

/**
 * Shortens a Raft entry label ("TXN if … then PUT /registry/pods/default/web-1") to what it
 * wrote ("pods/default/web-1"). The API server writes with a compare on the object's revision,
 * so most entries are conditional; the verb still says whether it was a put or a delete.
 */
export function shortLabel(label: string): EntryLabel {
  const elected = ELECTED.exec(label);
  if (elected !== null) return { verb: '', text: `(empty) leader ${elected[1] ?? ''} elected`, full: label };
  const conditional = CONDITIONAL.test(label);
  const write = WRITE.exec(label.replace(CONDITIONAL, ''));
  if (write === null) return { verb: conditional ? 'TXN' : '', text: label.replace(/^TXN /, ''), full: label };
  const verb = write[1] === 'DELETE' ? 'DELETE' : 'PUT';
  const key = `${write[2] ?? ''}${write[3] ?? ''}`;
  return { verb, text: `${shortenKey(key)}${write[4] ?? ''}`, full: label };
}

/** "leases/kube-node-lease/worker-12" → "leases/…/worker-12" when too long: the kind and name matter most. */
export function shortenKey(key: string, max = LABEL_MAX): string {
  if (key.length <= max) return key;
  const parts = key.split('/');
  if (parts.length < 3) return key;
  return `${parts[0] ?? ''}/…/${parts.slice(2).join('/')}`;
}

/** How one member holds one log entry. */
export type CellState = 'committed' | 'uncommitted' | 'conflict' | 'missing';

export interface LogRow {
  readonly index: number;
  readonly term: number;
  readonly label: EntryLabel;
  /** One per member, in the members' order. */
  readonly cells: readonly CellState[];
}

/**
 * The newest log entries across the members, newest first, with how each member holds them:
 * committed (index ≤ its commit), appended but not committed yet, a different entry at that
 * index (an old leader's uncommitted write, about to be overwritten), or not there yet.
 */
export function logRows(members: readonly EtcdMemberSnapshot[], maxRows = 8): LogRow[] {
  const indexes = [...new Set(members.flatMap((m) => m.logTail.map((e) => e.index)))].sort((a, b) => b - a).slice(0, maxRows);
  return indexes.map((index) => {
    const entry = referenceEntry(members, index);
    return {
      index,
      term: entry.term,
      label: shortLabel(entry.label),
      cells: members.map((m) => cellState(m, index, entry.term)),
    };
  });
}

/** The entry at `index` as the leader has it, else as the member with the newest term has it. */
function referenceEntry(members: readonly EtcdMemberSnapshot[], index: number): { term: number; label: string } {
  const leader = members.find((m) => m.role === 'leader' && m.alive);
  const fromLeader = leader?.logTail.find((e) => e.index === index);
  if (fromLeader !== undefined) return fromLeader;
  let best: { term: number; label: string } = { term: 0, label: '' };
  for (const m of members) {
    const e = m.logTail.find((x) => x.index === index);
    if (e !== undefined && e.term >= best.term) best = e;
  }
  return best;
}

function cellState(m: EtcdMemberSnapshot, index: number, term: number): CellState {
  if (index > m.lastIndex) return 'missing';
  const own = m.logTail.find((e) => e.index === index);
  if (own !== undefined && own.term !== term) return 'conflict';
  return index <= m.commit ? 'committed' : 'uncommitted';
}

/** A write needs a majority of the members to append it. */
export function majority(members: number): number {
  return Math.floor(members / 2) + 1;
}

/**
 * One line saying why the control plane cannot commit a write: too few members up, a partition
 * that leaves no majority able to reach each other, or an election still running.
 */
export function noQuorumReason(members: readonly EtcdMemberSnapshot[], nodes: readonly NodeSnapshot[]): string {
  const total = members.length;
  if (total === 0) return 'The etcd members are starting.';
  const needed = majority(total);
  const up = members.filter((m) => m.alive);
  const need = `a write needs ${needed}`;
  if (up.length < needed) return `${up.length} of ${total} etcd members up; ${need}.`;
  const reachable = largestGroup(up, nodes);
  if (reachable < needed) return `At most ${reachable} of ${total} etcd members can reach each other; ${need}.`;
  const term = Math.max(...up.map((m) => m.term));
  return `No leader yet: the etcd members are electing one (term ${term}).`;
}

/** The most live members on one side of the partition (all of them when the network is whole). */
function largestGroup(up: readonly EtcdMemberSnapshot[], nodes: readonly NodeSnapshot[]): number {
  const sizes = new Map<number | null, number>();
  for (const m of up) {
    const group = nodes.find((n) => n.name === m.id)?.partitionGroup ?? null;
    sizes.set(group, (sizes.get(group) ?? 0) + 1);
  }
  return Math.max(0, ...sizes.values());
}

/**
 * The members show the same thing (every field the view draws; an entry is known by its
 * index and term, as Raft's log matching has it). Frames bring new objects every time; the
 * view redraws only when this says something changed.
 */
export function sameMembers(a: readonly EtcdMemberSnapshot[], b: readonly EtcdMemberSnapshot[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((m, i) => {
    const n = b[i];
    if (n === undefined) return false;
    const same = m.id === n.id && m.alive === n.alive && m.role === n.role && m.term === n.term && m.vote === n.vote;
    return same && m.commit === n.commit && m.applied === n.applied && m.lastIndex === n.lastIndex && sameTail(m.logTail, n.logTail);
  });
}

function sameTail(a: EtcdMemberSnapshot['logTail'], b: EtcdMemberSnapshot['logTail']): boolean {
  return a.length === b.length && a.every((e, i) => e.index === b[i]?.index && e.term === b[i]?.term);
}

/** The short column heading of a member: "master-2" → "2". */
export function memberShortName(id: string): string {
  const m = /-(\d+)$/.exec(id);
  return m?.[1] ?? id;
}
