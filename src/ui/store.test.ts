import { describe, expect, it } from 'vitest';
import { Cluster } from '../engine';
import { createAppStore, SPEEDS, type Speed } from './store';

describe('app store', () => {
  it('starts playing at 1×', () => {
    const s = createAppStore().getState();
    expect(s.playing).toBe(true);
    expect(s.speed).toBe(1);
    expect(SPEEDS).toEqual([1, 2, 5, 10, 50, 100, 500]);
  });

  it('changes playback only through its named actions', () => {
    const store = createAppStore();
    store.getState().pause();
    expect(store.getState().playing).toBe(false);
    store.getState().togglePlay();
    expect(store.getState().playing).toBe(true);
    store.getState().setSpeed(50);
    expect(store.getState().speed).toBe(50);
    expect(() => {
      store.getState().setSpeed(3 as Speed);
    }).toThrow(RangeError);
  });

  it('refuses to play after an engine error', () => {
    const store = createAppStore();
    store.getState().reportEngineError('runaway');
    expect(store.getState().playing).toBe(false);
    store.getState().play();
    expect(store.getState().playing).toBe(false);
  });

  it('keeps unchanged parts of a snapshot by reference, so views do not redraw every frame', () => {
    const store = createAppStore();
    const cluster = new Cluster({ seed: 1 });
    store.getState().publishSnapshot(cluster.snapshot());
    const first = store.getState().snapshot;
    cluster.world.runFor(100);
    store.getState().publishSnapshot(cluster.snapshot());
    const second = store.getState().snapshot;
    expect(second.now).toBe(100);
    expect(second.nodes).toBe(first.nodes);
    expect(second.zones).toBe(first.zones);

    cluster.applyFault({ kill: 'worker-2' });
    store.getState().publishSnapshot(cluster.snapshot());
    const third = store.getState().snapshot;
    expect(third.nodes).not.toBe(second.nodes);
    expect(third.nodes.find((n) => n.name === 'worker-2')?.alive).toBe(false);
  });
});
