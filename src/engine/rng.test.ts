import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

const draw = (r: Rng, n: number): number[] => Array.from({ length: n }, () => r.u32());

describe('Rng', () => {
  it('reproduces the same sequence from the same seed', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string()), (seed) => {
        expect(draw(new Rng(seed), 50)).toEqual(draw(new Rng(seed), 50));
      }),
    );
  });

  it('gives different sequences for different seeds, including 7 and "7"', () => {
    const seen = new Set<string>();
    for (const seed of [0, 1, 2, 7, '7', 8, -1, 'kubeplay', '']) seen.add(draw(new Rng(seed), 4).join(','));
    expect(seen.size).toBe(9);
  });

  it('rejects seeds that are not integers or strings', () => {
    expect(() => new Rng(1.5)).toThrow(/seed must be an integer/);
    expect(() => new Rng(Number.NaN)).toThrow(/seed must be an integer/);
  });

  it('forks streams that do not affect each other', () => {
    // Drawing heavily from "net" must not change what "raft" draws, and vice versa.
    const a = new Rng(42);
    const b = new Rng(42);
    draw(a.fork('net'), 1000);
    draw(a, 1000);
    expect(draw(a.fork('raft'), 20)).toEqual(draw(b.fork('raft'), 20));
  });

  it('does not depend on the order in which streams are forked', () => {
    const a = new Rng(9);
    const aNet = a.fork('net');
    const aRaft = a.fork('raft');
    const b = new Rng(9);
    const bRaft = b.fork('raft');
    const bNet = b.fork('net');
    expect(draw(aNet, 10)).toEqual(draw(bNet, 10));
    expect(draw(aRaft, 10)).toEqual(draw(bRaft, 10));
  });

  it('returns the same stream, continuing, when a name is forked again', () => {
    const r = new Rng(3);
    const first = draw(r.fork('x'), 5);
    const again = draw(r.fork('x'), 5);
    expect(again).not.toEqual(first);
    expect([...first, ...again]).toEqual(draw(new Rng(3).fork('x'), 10));
  });

  it('gives sibling and nested streams distinct sequences', () => {
    const r = new Rng(5);
    const seqs = [r, r.fork('a'), r.fork('b'), r.fork('a').fork('b'), r.fork('b').fork('a')].map((s) =>
      draw(s, 4).join(','),
    );
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(r.fork('a').fork('b').path).toBe('a/b');
  });

  it('rejects stream names that would make paths ambiguous', () => {
    expect(() => new Rng(1).fork('a/b')).toThrow(/no "\/"/);
    expect(() => new Rng(1).fork('')).toThrow(/non-empty/);
  });

  it('draws int(n) within [0, n) and intBetween within its bounds', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 2 ** 32 }), fc.integer({ min: -1000, max: 1000 }), (seed, n, lo) => {
        const r = new Rng(seed);
        for (let i = 0; i < 20; i++) {
          const x = r.int(n);
          expect(Number.isInteger(x) && x >= 0 && x < n).toBe(true);
          const y = r.intBetween(lo, lo + 5);
          expect(y >= lo && y <= lo + 5).toBe(true);
        }
      }),
    );
    expect(() => new Rng(1).int(0)).toThrow(RangeError);
    expect(() => new Rng(1).int(2.5)).toThrow(RangeError);
  });

  it('is uniform enough: chi-square over 10 buckets and the mean of next()', () => {
    const r = new Rng('uniformity');
    const n = 200_000;
    const buckets = new Array<number>(10).fill(0);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      buckets[r.int(10)]! += 1;
      sum += r.next();
    }
    const expected = n / 10;
    const chi2 = buckets.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: p = 0.001 at 27.9. A broken generator lands far above.
    expect(chi2).toBeLessThan(27.9);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
  });

  it('chance(p) never draws for p ≤ 0 or p ≥ 1, so disabled features cost no randomness', () => {
    const a = new Rng(11);
    const b = new Rng(11);
    expect(a.chance(0)).toBe(false);
    expect(a.chance(1)).toBe(true);
    expect(a.u32()).toBe(b.u32());
  });
});
