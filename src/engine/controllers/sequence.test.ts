import { describe, expect, it } from 'vitest';
import { inSequence, inSequenceWhileOk } from './sequence';

describe('inSequence', () => {
  it('goes through 100,000 steps that finish at once without overflowing the stack', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => i);
    let sum = 0;
    let finished = false;
    inSequence(
      items,
      (i, next) => {
        sum += i;
        next();
      },
      () => (finished = true),
    );
    expect(finished).toBe(true);
    expect(sum).toBe(4_999_950_000);
  });

  it('waits for a step that finishes later, in order', () => {
    const later: (() => void)[] = [];
    const seen: string[] = [];
    inSequence(
      ['a', 'b', 'c'],
      (x, next) => {
        seen.push(x);
        if (x === 'b') later.push(next);
        else next();
      },
      () => seen.push('done'),
    );
    expect(seen).toEqual(['a', 'b']);
    later[0]?.();
    expect(seen).toEqual(['a', 'b', 'c', 'done']);
  });

  it('stops at the first failure', () => {
    const seen: number[] = [];
    const results: boolean[] = [];
    inSequenceWhileOk(
      [1, 2, 3],
      (x, next) => {
        seen.push(x);
        next(x !== 2);
      },
      (ok) => results.push(ok),
    );
    expect(seen).toEqual([1, 2]);
    expect(results).toEqual([false]);
  });
});
