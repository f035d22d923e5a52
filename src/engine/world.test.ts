import { describe, expect, it } from 'vitest';
import { SimulationLimitError } from './errors';
import { World } from './world';

describe('World clock and events', () => {
  it('runs events in time order, same-time events in the order they were scheduled', () => {
    const w = new World({ seed: 1 });
    const log: string[] = [];
    w.schedule(10, 'b', () => log.push(`b@${w.now}`));
    w.schedule(5, 'a', () => log.push(`a@${w.now}`));
    w.schedule(10, 'c', () => log.push(`c@${w.now}`));
    w.schedule(5, 'a2', () => {
      log.push(`a2@${w.now}`);
      w.schedule(0, 'a3', () => log.push(`a3@${w.now}`));
    });
    w.runUntil(100);
    expect(log).toEqual(['a@5', 'a2@5', 'a3@5', 'b@10', 'c@10']);
    expect(w.now).toBe(100);
  });

  it('step() runs exactly one event and moves the clock to it', () => {
    const w = new World({ seed: 1 });
    let ran = 0;
    w.schedule(7, 'x', () => ran++);
    w.schedule(9, 'y', () => ran++);
    expect(w.step()).toBe(true);
    expect([w.now, ran]).toEqual([7, 1]);
    expect(w.nextEventTime()).toBe(9);
    expect(w.step()).toBe(true);
    expect(w.step()).toBe(false);
    expect(w.now).toBe(9);
  });

  it('runUntil stops at the target and leaves later events pending; runFor is relative', () => {
    const w = new World({ seed: 1 });
    const seen: number[] = [];
    for (const t of [10, 20, 30]) w.schedule(t, `t${t}`, () => seen.push(w.now));
    w.runUntil(20);
    expect(seen).toEqual([10, 20]);
    expect(w.pendingEvents).toBe(1);
    w.runFor(5);
    expect(w.now).toBe(25);
    expect(seen).toEqual([10, 20]);
    w.runFor(5);
    expect(seen).toEqual([10, 20, 30]);
  });

  it('honours an event budget so a frame can stop early and resume', () => {
    const w = new World({ seed: 1 });
    let n = 0;
    for (let i = 1; i <= 10; i++) w.schedule(i, 'e', () => n++);
    expect(w.runUntil(100, { maxEvents: 4 })).toEqual({ events: 4, reached: false });
    expect(w.now).toBe(4);
    expect(w.runUntil(100)).toEqual({ events: 6, reached: true });
    expect([n, w.now]).toEqual([10, 100]);
  });

  it('cancelled events never run', () => {
    const w = new World({ seed: 1 });
    let ran = false;
    const ev = w.schedule(5, 'doomed', () => (ran = true));
    expect(w.cancel(ev)).toBe(true);
    w.runUntil(10);
    expect(ran).toBe(false);
  });

  it('refuses time that is not whole milliseconds or lies in the past', () => {
    const w = new World({ seed: 1 });
    w.runUntil(50);
    expect(() => w.at(40, 'late', () => {})).toThrow(/clock is already at 50 ms/);
    expect(() => w.schedule(1.5, 'frac', () => {})).toThrow(/whole milliseconds/);
    expect(() => w.schedule(-1, 'neg', () => {})).toThrow(/whole milliseconds/);
    expect(() => w.runUntil(10)).toThrow(/already at 50 ms/);
  });

  it('stops a zero-delay loop with a clear error instead of hanging', () => {
    const w = new World({ seed: 1, limits: { maxEventsPerInstant: 10 } });
    const spin = (): void => void w.schedule(0, 'spin-forever', spin);
    w.schedule(3, 'spin-forever', spin);
    expect(() => w.runUntil(10)).toThrow(SimulationLimitError);
    expect(() => w.runUntil(10)).toThrow(/more than 10 events at 3 ms.*spin-forever/);
  });

  it('lets a busy instant pass when the clock keeps moving', () => {
    const w = new World({ seed: 1, limits: { maxEventsPerInstant: 100 } });
    let n = 0;
    const tick = (): void => {
      n++;
      w.schedule(1, 'tick', tick);
    };
    w.schedule(0, 'tick', tick);
    w.runUntil(10_000);
    expect(n).toBe(10_001);
  });

  it('bounds the number of pending events', () => {
    const w = new World({ seed: 1, limits: { maxPendingEvents: 100 } });
    expect(() => {
      for (let i = 0; i < 101; i++) w.schedule(1, 'fan-out', () => {});
    }).toThrow(/event queue full: 100 events pending.*fan-out/);
  });
});

describe('World.runUntilDone', () => {
  it('runs until the callback answers, and no further', () => {
    const w = new World({ seed: 1 });
    w.schedule(500, 'later', () => {});
    const answer = w.runUntilDone<string>((done) => void w.schedule(120, 'answer', () => done('pong')), 10_000);
    expect([answer, w.now, w.pendingEvents]).toEqual(['pong', 120, 1]);
  });

  it('gives up after the limit, or when nothing is left to run', () => {
    const w = new World({ seed: 1 });
    const tick = (): void => void w.schedule(100, 'tick', tick);
    tick();
    expect(w.runUntilDone<string>(() => {}, 1_000)).toBeUndefined();
    expect(w.now).toBe(1_000);
    const idle = new World({ seed: 1 });
    expect(idle.runUntilDone<string>(() => {}, 1_000)).toBeUndefined();
    expect(idle.now).toBe(0);
  });
});

describe('World state hash', () => {
  const scripted = (seed: number, extra = false): string => {
    const w = new World({ seed });
    w.net.addHost('a', 'zone-a');
    w.net.addHost('b', 'zone-b');
    const r = w.rng.fork('test');
    for (let i = 0; i < 50; i++) w.schedule(r.int(100), 'send', () => void w.net.send('a', 'b', 'Ping', i));
    if (extra) w.schedule(60, 'kill', () => w.net.kill('b'));
    w.runUntil(200);
    return w.stateHash();
  };

  it('is equal for equal runs and differs when the seed or one action differs', () => {
    expect(scripted(1)).toBe(scripted(1));
    expect(scripted(2)).not.toBe(scripted(1));
    expect(scripted(1, true)).not.toBe(scripted(1));
  });

  it('covers pending events and PRNG streams, not just the clock', () => {
    const a = new World({ seed: 5 });
    const b = new World({ seed: 5 });
    expect(a.stateHash()).toBe(b.stateHash());
    b.schedule(10, 'x', () => {});
    expect(a.stateHash()).not.toBe(b.stateHash());
    const c = new World({ seed: 5 });
    c.rng.fork('raft').u32();
    expect(c.stateHash()).not.toBe(a.stateHash());
  });
});
