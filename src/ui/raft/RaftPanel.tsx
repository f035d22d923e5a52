import { memo, useRef } from 'react';
import type { EtcdMemberSnapshot } from '../../engine';
import { Panel } from '../Panel';
import { useAppStore } from '../store';
import { type CellState, type LogRow, logRows, memberShortName, noQuorumReason, sameMembers } from './raftView';
import './raft.css';

/**
 * The control plane's etcd members as Raft sees them: who leads which term, who voted for
 * whom, how far each has committed and applied, and the newest log entries with which
 * members hold them (solid once committed there), so an apply shows up as entries that commit.
 */
export function RaftPanel() {
  const members = useMembers();
  const quorum = useAppStore((s) => s.quorum);
  return (
    <Panel area="raft" title="Control plane · etcd Raft">
      <div className="raft">
        {quorum ? null : <NoQuorumBanner />}
        {members.length === 0 ? <p className="raft__empty">Waiting for the etcd members…</p> : <MemberTable members={members} />}
        {members.length === 0 ? null : <LogStrip members={members} />}
      </div>
    </Panel>
  );
}

/** The etcd members, the same array until something the view draws changes (frames bring new objects every time). */
function useMembers(): readonly EtcdMemberSnapshot[] {
  const last = useRef<readonly EtcdMemberSnapshot[]>([]);
  return useAppStore((s) => {
    if (!sameMembers(last.current, s.snapshot.etcd)) last.current = s.snapshot.etcd;
    return last.current;
  });
}

function NoQuorumBanner() {
  const why = useAppStore((s) => noQuorumReason(s.snapshot.etcd, s.snapshot.nodes));
  return (
    <div className="raft__banner" role="alert" data-testid="no-quorum-banner">
      <strong>No quorum — read-only: writes are refused</strong>
      <span className="raft__why">{why}</span>
    </div>
  );
}

function MemberTable({ members }: { members: readonly EtcdMemberSnapshot[] }) {
  return (
    <table className="raft__members">
      <colgroup>
        <col className="raft__col-name" />
        <col className="raft__col-role" />
        <col className="raft__col-term" />
        <col className="raft__col-vote" />
        <col className="raft__col-num" />
        <col className="raft__col-num" />
        <col className="raft__col-num" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">member</th>
          <th scope="col">role</th>
          <th scope="col" className="num">term</th>
          <th scope="col">vote</th>
          <th scope="col" className="num" title="Highest log index known to be committed">commit</th>
          <th scope="col" className="num" title="Highest log index applied to this member's key/value store">applied</th>
          <th scope="col" className="num" title="Index of the last entry in this member's log">last</th>
        </tr>
      </thead>
      <tbody>
        {members.map((m) => (
          <MemberRow key={m.id} member={m} />
        ))}
      </tbody>
    </table>
  );
}

const MemberRow = memo(function MemberRow({ member: m }: { member: EtcdMemberSnapshot }) {
  return (
    <tr
      className={`raft__member is-${m.role}`}
      data-testid="raft-member"
      data-member={m.id}
      data-role={m.role}
      data-term={m.term}
      data-commit={m.commit}
      data-applied={m.applied}
      data-last-index={m.lastIndex}
      data-alive={m.alive}
    >
      <th scope="row" className="raft__name">
        {m.id}
      </th>
      <td className="raft__role" title={m.role}>
        {m.role}
      </td>
      <td className="num">{m.term}</td>
      <td className="raft__vote" title={m.vote === '' ? 'Has not voted in this term' : `Voted for ${m.vote} in term ${m.term}`}>
        {m.vote === '' ? '—' : m.vote}
      </td>
      <td className="num">{m.commit}</td>
      <td className="num">{m.applied}</td>
      <td className="num">{m.lastIndex}</td>
    </tr>
  );
}, sameMember);

function sameMember(a: { member: EtcdMemberSnapshot }, b: { member: EtcdMemberSnapshot }): boolean {
  return sameMembers([a.member], [b.member]);
}

const CELL_TEXT: Record<CellState, string> = {
  committed: 'committed',
  uncommitted: 'appended, not committed yet',
  conflict: 'holds a different entry here (will be overwritten)',
  missing: 'not replicated yet',
};

function LogStrip({ members }: { members: readonly EtcdMemberSnapshot[] }) {
  const rows = logRows(members);
  const ids = members.map((m) => m.id);
  return (
    <div className="raft__log" role="group" tabIndex={0} aria-label="Newest Raft log entries">
      <table className="raft__entries">
        <thead>
          <tr>
            <th scope="col" className="num">index</th>
            <th scope="col" className="num">term</th>
            <th scope="col" className="raft__entry-head">
              entry
              <span className="raft__legend" aria-hidden="true">
                <span className="raft__box is-committed" /> committed <span className="raft__box is-uncommitted" /> not yet
              </span>
            </th>
            {members.map((m) => (
              <th key={m.id} scope="col" className="raft__cell-head" title={m.id}>
                {memberShortName(m.id)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <EntryRow key={row.index} row={row} memberIds={ids} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface EntryRowProps {
  readonly row: LogRow;
  readonly memberIds: readonly string[];
}

const EntryRow = memo(function EntryRow({ row, memberIds }: EntryRowProps) {
  return (
    <tr data-testid="raft-entry" data-index={row.index}>
      <td className="num">{row.index}</td>
      <td className="num">{row.term}</td>
      <td className="raft__label" title={row.label.full}>
        {row.label.verb === '' ? null : <span className={`raft__verb is-${row.label.verb.toLowerCase()}`}>{row.label.verb === 'DELETE' ? 'DEL' : row.label.verb}</span>}
        {row.label.text}
      </td>
      {row.cells.map((state, i) => {
        const id = memberIds[i] ?? '';
        return (
          <td key={id} className="raft__cell">
            <span className={`raft__box is-${state}`} data-state={state} role="img" aria-label={`${id}: ${CELL_TEXT[state]}`} title={`${id}: ${CELL_TEXT[state]}`} />
          </td>
        );
      })}
    </tr>
  );
}, sameEntryRow);

function sameEntryRow(a: EntryRowProps, b: EntryRowProps): boolean {
  const x = a.row;
  const y = b.row;
  const sameRow = x.index === y.index && x.term === y.term && x.label.full === y.label.full && x.cells.join() === y.cells.join();
  return sameRow && a.memberIds.join() === b.memberIds.join();
}
