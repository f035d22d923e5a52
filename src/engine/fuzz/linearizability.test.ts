import { describe, expect, it } from 'vitest';
import { checkOperations, checkPartitioned, type KvInput, kvModel, type KvOutput, type Operation } from './linearizability';

type Op = Operation<KvInput, KvOutput>;
const put = (c: string, value: string, call: number, ret: number, key = 'x'): Op => ({ clientId: c, input: { kind: 'put', key, value }, output: null, call, ret });
const get = (c: string, output: string | null, call: number, ret: number, key = 'x'): Op => ({ clientId: c, input: { kind: 'get', key }, output, call, ret });
const cas = (c: string, from: string, to: string, output: boolean | undefined, call: number, ret: number): Op => ({
  clientId: c,
  input: { kind: 'cas', key: 'x', from, to },
  output,
  call,
  ret,
});

describe('linearizability checker', () => {
  it('accepts a sequential history and a concurrent one with a valid order', () => {
    expect(checkOperations(kvModel, [put('a', '1', 1, 2), get('b', '1', 3, 4)]).ok).toBe(true);
    // The read overlaps the write: it may see the old or the new value.
    expect(checkOperations(kvModel, [put('a', '1', 1, 4), get('b', null, 2, 3)]).ok).toBe(true);
    expect(checkOperations(kvModel, [put('a', '1', 1, 4), get('b', '1', 2, 3)]).ok).toBe(true);
  });

  it('rejects a stale read after a completed write', () => {
    const r = checkOperations(kvModel, [put('a', '1', 1, 2), get('b', null, 3, 4)]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.detail).toMatch(/get\(x\) → null/);
  });

  it('rejects reads that see two writes in opposite orders', () => {
    const h = [put('a', '1', 1, 10), put('b', '2', 1, 10), get('c', '1', 11, 12), get('d', '2', 13, 14), get('e', '1', 15, 16)];
    expect(checkOperations(kvModel, h).ok).toBe(false);
  });

  it('lets a write with an unknown outcome take effect at any later point, or never', () => {
    const unknown: Op = { ...put('a', '1', 1, Infinity), output: undefined };
    expect(checkOperations(kvModel, [unknown, get('b', null, 5, 6), get('b', '1', 7, 8)]).ok).toBe(true);
    expect(checkOperations(kvModel, [unknown, get('b', null, 5, 6)]).ok).toBe(true);
    // But not before it was called.
    expect(checkOperations(kvModel, [get('b', '1', 1, 2), { ...put('a', '1', 3, Infinity), output: undefined }]).ok).toBe(false);
  });

  it('checks compare-and-swap outcomes against the value at the linearization point', () => {
    expect(checkOperations(kvModel, [put('a', '1', 1, 2), cas('b', '1', '2', true, 3, 4), get('c', '2', 5, 6)]).ok).toBe(true);
    expect(checkOperations(kvModel, [put('a', '1', 1, 2), cas('b', '1', '2', false, 3, 4)]).ok).toBe(false);
    expect(checkOperations(kvModel, [put('a', '1', 1, 2), cas('b', '9', '2', true, 3, 4)]).ok).toBe(false);
  });

  it('checks each key on its own and names the key that fails', () => {
    const h = [put('a', '1', 1, 2, 'x'), get('b', null, 3, 4, 'y'), put('a', '5', 5, 6, 'y'), get('b', '1', 7, 8, 'y')];
    const r = checkPartitioned(kvModel, h, (i) => i.key);
    expect(r).toMatchObject({ ok: false, key: 'y' });
  });

  it('gives up with "search limit" rather than running forever', () => {
    const many: Op[] = [];
    for (let i = 0; i < 40; i++) many.push({ ...put(`c${i}`, `${i}`, i, Infinity), output: undefined });
    many.push(get('z', 'nope', 100, 101));
    const r = checkOperations(kvModel, many, 1_000);
    expect(r).toMatchObject({ ok: false, reason: 'search limit' });
  });
});
