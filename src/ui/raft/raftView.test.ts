import { describe, expect, it } from 'vitest';
import type { EtcdMemberSnapshot, NodeSnapshot } from '../../engine';
import { logRows, majority, memberShortName, noQuorumReason, sameMembers, shortLabel, shortenKey } from './raftView';

function member(id: string, patch: Partial<EtcdMemberSnapshot> = {}): EtcdMemberSnapshot {
  return { id, alive: true, role: 'follower', term: 2, vote: 'master-1', lead: 'master-1', commit: 0, applied: 0, lastIndex: 0, revision: 0, logTail: [], ...patch };
}

function node(name: string, partitionGroup: number | null): NodeSnapshot {
  return { name, role: 'control-plane', zone: 'zone-a', ip: '10.0.0.1', cpu: 4000, memory: 8, pods: 110, alive: true, partitionGroup } as unknown as NodeSnapshot;
}

describe('shortLabel', () => {
  it('keeps what a write wrote, without /registry/', () => {
    expect(shortLabel('PUT /registry/deployments/default/web')).toEqual({ verb: 'PUT', text: 'deployments/default/web', full: 'PUT /registry/deployments/default/web' });
  });

  it('reads a conditional write as the write it makes', () => {
    const l = shortLabel('TXN if … then DELETE /registry/pods/default/web-1 (+1)');
    expect(l.verb).toBe('DELETE');
    expect(l.text).toBe('pods/default/web-1 (+1)');
  });

  it('marks a prefix delete', () => {
    expect(shortLabel('DELETE /registry/events/default/*').text).toBe('events/default/*');
  });

  it('names the empty entry a new leader appends', () => {
    expect(shortLabel('leader master-2 elected for term 4')).toEqual({ verb: '', text: '(empty) leader master-2 elected', full: 'leader master-2 elected for term 4' });
  });

  it('leaves labels it does not know as they are', () => {
    expect(shortLabel('TXN compare /registry/ranges/serviceips')).toMatchObject({ verb: '', text: 'compare /registry/ranges/serviceips' });
    expect(shortLabel('PUT x').text).toBe('PUT x');
  });

  it('drops the namespace of a long key', () => {
    expect(shortenKey('leases/kube-node-lease/worker-12')).toBe('leases/…/worker-12');
    expect(shortenKey('pods/default/web-1')).toBe('pods/default/web-1');
    expect(shortenKey('x'.repeat(40))).toBe('x'.repeat(40));
  });
});

describe('logRows', () => {
  const entry = (index: number, term = 2, label = `PUT /registry/pods/default/p${index}`) => ({ index, term, label });

  it('lists the newest entries first, committed or not per member', () => {
    const members = [
      member('master-1', { role: 'leader', commit: 11, lastIndex: 12, logTail: [entry(10), entry(11), entry(12)] }),
      member('master-2', { commit: 11, lastIndex: 12, logTail: [entry(10), entry(11), entry(12)] }),
      member('master-3', { commit: 10, lastIndex: 10, logTail: [entry(9), entry(10)] }),
    ];
    const rows = logRows(members, 3);
    expect(rows.map((r) => r.index)).toEqual([12, 11, 10]);
    expect(rows[0]?.cells).toEqual(['uncommitted', 'uncommitted', 'missing']);
    expect(rows[1]?.cells).toEqual(['committed', 'committed', 'missing']);
    expect(rows[2]?.cells).toEqual(['committed', 'committed', 'committed']);
    expect(rows[0]?.label.text).toBe('pods/default/p12');
  });

  it('shows a different entry at the same index as a conflict, labelled as the leader has it', () => {
    const members = [
      member('master-1', { role: 'leader', term: 3, commit: 4, lastIndex: 5, logTail: [entry(5, 3, 'leader master-1 elected for term 3')] }),
      member('master-2', { role: 'down', alive: false, commit: 4, lastIndex: 5, logTail: [entry(5, 2)] }),
    ];
    const [row] = logRows(members);
    expect(row?.term).toBe(3);
    expect(row?.label.verb).toBe('');
    expect(row?.cells).toEqual(['uncommitted', 'conflict']);
  });

  it('uses the newest term when there is no leader', () => {
    const members = [member('master-1', { lastIndex: 5, logTail: [entry(5, 2, 'PUT /registry/a/b')] }), member('master-2', { lastIndex: 5, logTail: [entry(5, 3, 'PUT /registry/c/d')] })];
    expect(logRows(members)[0]?.label.text).toBe('c/d');
  });
});

describe('noQuorumReason', () => {
  it('counts the members that are up against a majority', () => {
    expect(majority(3)).toBe(2);
    expect(majority(4)).toBe(3);
    expect(majority(7)).toBe(4);
    const members = [member('master-1'), member('master-2', { alive: false, role: 'down' }), member('master-3', { alive: false, role: 'down' })];
    expect(noQuorumReason(members, [])).toBe('1 of 3 etcd members up; a write needs 2.');
  });

  it('counts the members a partition leaves together', () => {
    const members = [member('master-1'), member('master-2'), member('master-3')];
    const nodes = [node('master-1', 0), node('master-2', 1), node('master-3', 2)];
    expect(noQuorumReason(members, nodes)).toBe('At most 1 of 3 etcd members can reach each other; a write needs 2.');
  });

  it('says an election is running when a majority could form', () => {
    const members = [member('master-1', { role: 'candidate', term: 7 }), member('master-2'), member('master-3', { alive: false })];
    const nodes = [node('master-1', 0), node('master-2', 0), node('master-3', 1)];
    expect(noQuorumReason(members, nodes)).toBe('No leader yet: the etcd members are electing one (term 7).');
  });

  it('has something to say before the members exist', () => {
    expect(noQuorumReason([], [])).toBe('The etcd members are starting.');
  });
});

describe('memberShortName', () => {
  it('keeps the number of a master', () => {
    expect(memberShortName('master-12')).toBe('12');
    expect(memberShortName('etcd')).toBe('etcd');
  });
});

describe('sameMembers', () => {
  const tail = [{ index: 4, term: 2, label: 'PUT /registry/a/b' }];
  it('sees equal content in new objects as the same', () => {
    expect(sameMembers([member('master-1', { commit: 4, logTail: tail })], [member('master-1', { commit: 4, logTail: [...tail] })])).toBe(true);
  });

  it('notices any field the view draws', () => {
    const a = [member('master-1', { commit: 4, logTail: tail })];
    expect(sameMembers(a, [member('master-1', { commit: 5, logTail: tail })])).toBe(false);
    expect(sameMembers(a, [member('master-1', { commit: 4, role: 'leader', logTail: tail })])).toBe(false);
    expect(sameMembers(a, [member('master-1', { commit: 4, logTail: [{ index: 4, term: 3, label: 'x' }] })])).toBe(false);
    expect(sameMembers(a, [])).toBe(false);
  });
});
