import { describe, expect, it } from 'vitest';
import { Cluster } from '../engine';
import { startEngineHost, type FrameClock } from './engineHost';
import { createAppStore } from './store';

/** A wall clock and frame scheduler the test moves by hand. */
function fakeClock() {
  let wallMs = 1_000;
  let pending: (() => void) | undefined;
  let handles = 0;
  const clock: FrameClock = {
    now: () => wallMs,
    requestFrame: (cb) => {
      pending = cb;
      return ++handles;
    },
    cancelFrame: () => {
      pending = undefined;
    },
  };
  return {
    clock,
    /** Moves the wall clock and runs the frame that was requested, if any. */
    tick(ms: number): void {
      wallMs += ms;
      const cb = pending;
      pending = undefined;
      cb?.();
    },
    advanceWall(ms: number): void {
      wallMs += ms;
    },
    get framePending(): boolean {
      return pending !== undefined;
    },
  };
}

function setup() {
  const store = createAppStore();
  const cluster = new Cluster({ seed: 1 });
  const fake = fakeClock();
  const host = startEngineHost(cluster, store, fake.clock);
  return { store, cluster, fake, host, now: () => store.getState().snapshot.now };
}

describe('engine host', () => {
  it('publishes a snapshot at once and plays at 1× from the start', () => {
    const { fake, now, store } = setup();
    expect(store.getState().snapshot.nodes).toHaveLength(6);
    expect(now()).toBe(0);
    fake.tick(16.7);
    expect(now()).toBe(16);
    fake.tick(16.7);
    expect(now()).toBe(33);
  });

  it('maps wall time × speed to virtual time, rounding down to whole ms', () => {
    const { fake, now, store } = setup();
    store.getState().setSpeed(10);
    fake.tick(100.05);
    expect(now()).toBe(1_000);
    store.getState().setSpeed(500);
    fake.tick(2);
    expect(now()).toBe(2_000);
  });

  it('stops the clock exactly on pause, settling the time played up to that moment', () => {
    const { fake, now, store } = setup();
    fake.tick(100);
    fake.advanceWall(50);
    store.getState().pause();
    expect(now()).toBe(150);
    expect(fake.framePending).toBe(false);
    fake.tick(1_000);
    expect(now()).toBe(150);
    store.getState().play();
    fake.advanceWall(5_000); // paused time is not replayed: the anchor resets on play
    expect(now()).toBe(150);
  });

  it('does not jump when the speed changes mid-play', () => {
    const { fake, now, store } = setup();
    fake.tick(1_000); // 1 000 ms at 1×
    fake.advanceWall(200); // 200 ms more at 1× before the change
    store.getState().setSpeed(100);
    expect(now()).toBe(1_200);
    fake.tick(10); // 10 ms at 100×
    expect(now()).toBe(2_200);
  });

  it('stops on an engine error and shows it', () => {
    const { cluster, fake, store } = setup();
    cluster.world.at(5, 'boom', () => {
      throw new Error('boom');
    });
    fake.tick(10);
    expect(store.getState().engineError).toBe('boom');
    expect(store.getState().playing).toBe(false);
    expect(fake.framePending).toBe(false);
  });

  it('stops scheduling frames once disposed', () => {
    const { fake, host, now } = setup();
    host.dispose();
    fake.tick(100);
    expect(now()).toBe(0);
  });
});
