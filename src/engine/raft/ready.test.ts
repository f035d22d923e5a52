import { describe, expect, it } from 'vitest';
import { RaftHarness } from './raftHarness';
import { message, MessageType } from './types';

describe('ready(): what the host must persist, send and apply', () => {
  it('hands out entries and hard state once, when they change', () => {
    const h = new RaftHarness(['1', '2', '3']);
    const f = h.member('2');
    // A vote changes term and vote: the hard state to persist.
    f.step(message({ type: MessageType.MsgVote, from: '1', to: '2', term: 1, index: 0, logTerm: 0 }));
    const afterVote = f.ready();
    expect(afterVote.hardState).toEqual({ term: 1, vote: '1', commit: 0 });
    expect(afterVote.entries).toEqual([]);
    expect(afterVote.messages.map((m) => m.type)).toEqual([MessageType.MsgVoteResp]);
    // Nothing new: nothing to persist.
    expect(f.ready()).toMatchObject({ entries: [], hardState: undefined, messages: [], committed: [] });
    // Two entries arrive, one committed: both are persisted, one is applied.
    const entries = [
      { term: 1, index: 1, data: null, label: 'empty' },
      { term: 1, index: 2, data: 'a', label: 'PUT a' },
    ];
    f.step(message({ type: MessageType.MsgApp, from: '1', to: '2', term: 1, index: 0, logTerm: 0, entries, commit: 1 }));
    const rd = f.ready();
    expect(rd.entries.map((e) => e.index)).toEqual([1, 2]);
    expect(rd.hardState).toEqual({ term: 1, vote: '1', commit: 1 });
    expect(rd.committed.map((e) => e.index)).toEqual([1]);
    // An overwrite of a conflicting tail is reported from the first rewritten index.
    f.step(message({ type: MessageType.MsgApp, from: '1', to: '2', term: 2, index: 1, logTerm: 1, entries: [{ term: 2, index: 2, data: 'b', label: 'PUT b' }], commit: 1 }));
    expect(f.ready().entries.map((e) => `${e.term}/${e.index}`)).toEqual(['2/2']);
  });
});
