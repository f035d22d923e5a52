import { describe, expect, it } from 'vitest';
import { CompactedError, KvStore, type StoreOp, type TxnRequest } from './kvStore';

const put = (key: string, value: string): TxnRequest => ({ compare: [], success: [{ op: 'put', key, value }], failure: [] });
const del = (key: string, prefix = false): TxnRequest => ({ compare: [], success: [{ op: 'delete', key, prefix }], failure: [] });

describe('KvStore', () => {
  it('keeps etcd revisions: one global revision per change, create/mod revision and version per key', () => {
    const s = new KvStore();
    s.txn(put('/a', '1'));
    s.txn(put('/b', '1'));
    s.txn(put('/a', '2'));
    expect(s.revision).toBe(3);
    expect(s.get('/a')).toEqual({ key: '/a', value: '2', createRevision: 1, modRevision: 3, version: 2 });
    s.txn(del('/a'));
    expect(s.revision).toBe(4);
    expect(s.get('/a')).toBeUndefined();
    s.txn(put('/a', '3'));
    // Deleting resets the version; recreating starts a new life.
    expect(s.get('/a')).toMatchObject({ createRevision: 5, version: 1 });
  });

  it('does not bump the revision for a transaction that changes nothing', () => {
    const s = new KvStore();
    s.txn(put('/a', '1'));
    expect(s.txn(del('/nothing')).revision).toBe(1);
    expect(s.txn({ compare: [{ key: '/a', target: 'value', result: '=', operand: 'zzz' }], success: [{ op: 'put', key: '/a', value: 'x' }], failure: [] })).toMatchObject({ succeeded: false, revision: 1 });
  });

  it('compares on mod revision for optimistic concurrency, all-or-nothing', () => {
    const s = new KvStore();
    s.txn(put('/pod', 'v1'));
    const cas = (modRev: number, value: string) =>
      s.txn({ compare: [{ key: '/pod', target: 'mod', result: '=', operand: modRev }], success: [{ op: 'put', key: '/pod', value }, { op: 'put', key: '/log', value }], failure: [] });
    expect(cas(1, 'v2')).toMatchObject({ succeeded: true, revision: 2 });
    // Both puts of the transaction share one revision.
    expect(s.get('/log')?.modRevision).toBe(2);
    expect(cas(1, 'stale')).toMatchObject({ succeeded: false, revision: 2 });
    expect(s.get('/pod')?.value).toBe('v2');
    // A missing key compares as version 0 (create-if-absent).
    const create = s.txn({ compare: [{ key: '/new', target: 'version', result: '=', operand: 0 }], success: [{ op: 'put', key: '/new', value: 'x' }], failure: [] });
    expect(create.succeeded).toBe(true);
  });

  it('ranges by prefix in key order and deletes by prefix', () => {
    const s = new KvStore();
    for (const k of ['/registry/pods/b', '/registry/pods/a', '/registry/services/x']) s.txn(put(k, k));
    expect(s.range('/registry/pods/', true).kvs.map((kv) => kv.key)).toEqual(['/registry/pods/a', '/registry/pods/b']);
    const r = s.txn(del('/registry/pods/', true));
    expect(r.results[0]).toEqual({ deleted: 2 });
    expect(s.size).toBe(1);
  });

  it('replays history from any retained revision, with deletes and previous values, and refuses compacted ones', () => {
    const s = new KvStore({ maxHistory: 8 });
    const ops: StoreOp[] = [];
    for (let i = 1; i <= 20; i++) ops.push({ op: 'put', key: `/k/${i % 3}`, value: String(i) });
    for (const op of ops) s.txn({ compare: [], success: [op], failure: [] });
    s.txn(del('/k/1'));
    const events = s.eventsSince(s.compactRevision + 1, '/k/', true);
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: events.length }, (_, i) => s.compactRevision + 1 + i));
    const last = events[events.length - 1];
    expect(last?.event).toMatchObject({ type: 'DELETE', kv: { key: '/k/1', modRevision: 21 }, prevKv: { value: '19' } });
    expect(() => s.eventsSince(1, '/k/', true)).toThrow(CompactedError);
    expect(() => s.eventsSince(1, '/k/', true)).toThrow('mvcc: required revision has been compacted');
  });
});
