import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulationLimitError } from './errors';
import { EventQueue, type ScheduledEvent } from './eventQueue';

const drain = (q: EventQueue): ScheduledEvent[] => {
  const out: ScheduledEvent[] = [];
  for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e);
  return out;
};

describe('EventQueue', () => {
  it('pops in (time, insertion) order whatever the push order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (times) => {
        const q = new EventQueue();
        times.forEach((t, i) => q.push(t, `e${i}`, () => {}));
        const popped = drain(q);
        const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i);
        expect(popped.map((e) => e.label)).toEqual(expected.map((x) => `e${x.i}`));
      }),
    );
  });

  it('never pops a cancelled event and pops every other one, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 3000 }),
        (items) => {
          const q = new EventQueue();
          const evs = items.map(([t], i) => q.push(t, `e${i}`, () => {}));
          items.forEach(([, cancel], i) => {
            if (cancel) expect(q.cancel(evs[i]!)).toBe(true);
          });
          const kept = items.filter(([, c]) => !c).length;
          expect(q.size).toBe(kept);
          const popped = drain(q);
          expect(popped.length).toBe(kept);
          expect(popped.every((e) => e.status === 'ran')).toBe(true);
          for (let i = 1; i < popped.length; i++) {
            const a = popped[i - 1]!;
            const b = popped[i]!;
            expect(a.time < b.time || (a.time === b.time && a.seq < b.seq)).toBe(true);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses to cancel an event twice or after it ran', () => {
    const q = new EventQueue();
    const a = q.push(1, 'a', () => {});
    const b = q.push(2, 'b', () => {});
    expect(q.cancel(a)).toBe(true);
    expect(q.cancel(a)).toBe(false);
    expect(q.pop()).toBe(b);
    expect(q.cancel(b)).toBe(false);
    expect(q.size).toBe(0);
  });

  it('fails with a clear error when more events are pending than its bound', () => {
    const q = new EventQueue({ maxPending: 3 });
    for (let i = 0; i < 3; i++) q.push(i, 'tick', () => {});
    expect(() => q.push(9, 'runaway-timer', () => {})).toThrow(SimulationLimitError);
    expect(() => q.push(9, 'runaway-timer', () => {})).toThrow(/3 events pending.*runaway-timer/);
    q.pop();
    expect(() => q.push(9, 'fits-again', () => {})).not.toThrow();
  });
});
