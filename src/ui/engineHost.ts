import type { Cluster } from '../engine';
import type { AppState, AppStore } from './store';

/**
 * At most this many engine events per animation frame, so one busy stretch of
 * virtual time cannot freeze the tab. If a frame hits the cap the clock falls
 * behind and the host drops the backlog instead of trying to catch up.
 */
export const MAX_EVENTS_PER_FRAME = 50_000;

/** The wall clock and the frame scheduler. The browser's by default; tests pass a fake one. */
export interface FrameClock {
  /** Wall-clock milliseconds (any origin, monotonic). */
  now(): number;
  requestFrame(callback: () => void): number;
  cancelFrame(handle: number): void;
}

export const browserFrameClock: FrameClock = {
  now: () => performance.now(),
  requestFrame: (callback) =>
    requestAnimationFrame(() => {
      callback();
    }),
  cancelFrame: (handle) => {
    cancelAnimationFrame(handle);
  },
};

export interface EngineHost {
  readonly cluster: Cluster;
  /** Runs one frame now (what the animation frame does); tests call it directly. */
  frame(): void;
  dispose(): void;
}

/**
 * Owns the cluster on the main thread and maps wall-clock time to virtual time.
 * While the store says `playing`, every animation frame runs the engine up to
 * `virtual time at the anchor + wall ms since the anchor × speed` (whole ms,
 * rounded down) and publishes a snapshot. The anchor is reset whenever playback
 * starts or the speed changes, so a change never makes the clock jump.
 *
 * This is the only place where wall time touches the simulation; the engine
 * itself only ever sees `runUntil(virtualMs)`.
 */
export function startEngineHost(cluster: Cluster, store: AppStore, clock: FrameClock = browserFrameClock): EngineHost {
  const world = cluster.world;
  let anchorVirtualMs = world.now;
  let anchorWallMs = clock.now();
  let frameHandle: number | undefined;
  let disposed = false;

  const publish = (): void => {
    store.getState().publishSnapshot(cluster.snapshot());
  };

  const reanchor = (): void => {
    anchorVirtualMs = world.now;
    anchorWallMs = clock.now();
  };

  /** Runs the world up to the virtual time that corresponds to now on the wall clock. */
  const advance = (speed: number): void => {
    if (store.getState().engineError !== null) return;
    const target = anchorVirtualMs + Math.floor((clock.now() - anchorWallMs) * speed);
    if (target <= world.now) return;
    try {
      const result = world.runUntil(target, { maxEvents: MAX_EVENTS_PER_FRAME });
      if (!result.reached) reanchor();
    } catch (err) {
      store.getState().reportEngineError(err instanceof Error ? err.message : String(err));
    }
    publish();
  };

  const schedule = (): void => {
    if (frameHandle === undefined && !disposed) frameHandle = clock.requestFrame(onFrame);
  };

  const unschedule = (): void => {
    if (frameHandle !== undefined) clock.cancelFrame(frameHandle);
    frameHandle = undefined;
  };

  function onFrame(): void {
    frameHandle = undefined;
    frame();
  }

  function frame(): void {
    const { playing, speed } = store.getState();
    if (!playing || disposed) return;
    advance(speed);
    if (store.getState().playing) schedule();
  }

  const onStoreChange = (state: AppState, prev: AppState): void => {
    if (state.playing === prev.playing && state.speed === prev.speed) return;
    if (prev.playing) {
      // Settle the time played so far at the old speed, up to this very moment.
      advance(prev.speed);
    }
    reanchor();
    if (state.playing) schedule();
    else unschedule();
  };

  const unsubscribe = store.subscribe(onStoreChange);
  publish();
  if (store.getState().playing) schedule();

  return {
    cluster,
    frame,
    dispose: () => {
      disposed = true;
      unsubscribe();
      unschedule();
    },
  };
}
