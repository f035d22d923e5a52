import { describe, expect, it } from 'vitest';
import { MinHeap } from './heap';
import { Rng } from './rng';

describe('MinHeap', () => {
  it('pops in order whatever order things were pushed in', () => {
    const rng = new Rng('heap');
    const heap = new MinHeap<number>((a, b) => a < b);
    const values = Array.from({ length: 500 }, () => rng.int(1000));
    for (const v of values) heap.push(v);
    const out: number[] = [];
    for (let v = heap.pop(); v !== undefined; v = heap.pop()) out.push(v);
    expect(out).toEqual([...values].sort((a, b) => a - b));
    expect(heap.size).toBe(0);
  });

  it('interleaves pushes and pops', () => {
    const heap = new MinHeap<number>((a, b) => a < b);
    heap.push(5);
    heap.push(2);
    expect(heap.pop()).toBe(2);
    heap.push(1);
    heap.push(9);
    expect(heap.peek()).toBe(1);
    expect([heap.pop(), heap.pop(), heap.pop(), heap.pop()]).toEqual([1, 5, 9, undefined]);
  });
});
