import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { ClusterSnapshot, NodeSnapshot } from '../engine';

/** The playback speeds the learner can pick: virtual milliseconds per wall-clock millisecond. */
export const SPEEDS = [1, 2, 5, 10, 50, 100, 500] as const;
export type Speed = (typeof SPEEDS)[number];

export function isSpeed(value: number): value is Speed {
  return (SPEEDS as readonly number[]).includes(value);
}

/** What the map shows before the engine host publishes its first snapshot. */
export const EMPTY_SNAPSHOT: ClusterSnapshot = {
  now: 0,
  eventsProcessed: 0,
  pendingEvents: 0,
  zones: [],
  nodes: [],
  partition: null,
  network: { sent: 0, delivered: 0, dropped: 0, duplicated: 0 },
  etcd: [],
  raftInFlight: [],
};

// ---- engine slice -----------------------------------------------------------

export interface EngineSlice {
  /** The seed of the running cluster, shown so a session can be reproduced. */
  seed: number | string;
  /** The latest snapshot the engine host published. */
  snapshot: ClusterSnapshot;
  /** Set when the engine threw (e.g. a runaway loop); playback stops until it is cleared. */
  engineError: string | null;
  publishSnapshot: (snapshot: ClusterSnapshot) => void;
  setSeed: (seed: number | string) => void;
  reportEngineError: (message: string) => void;
}

// ---- playback slice ---------------------------------------------------------

export interface PlaybackSlice {
  playing: boolean;
  speed: Speed;
  play: () => void;
  pause: () => void;
  togglePlay: () => void;
  setSpeed: (speed: Speed) => void;
}

export type AppState = EngineSlice & PlaybackSlice;
export type AppStore = StoreApi<AppState>;

type Slice<T> = StateCreator<AppState, [], [], T>;

const createEngineSlice: Slice<EngineSlice> = (set) => ({
  seed: 0,
  snapshot: EMPTY_SNAPSHOT,
  engineError: null,
  publishSnapshot: (next) => {
    set((s) => ({ snapshot: shareUnchanged(s.snapshot, next) }));
  },
  setSeed: (seed) => {
    set({ seed });
  },
  reportEngineError: (message) => {
    set({ engineError: message, playing: false });
  },
});

const createPlaybackSlice: Slice<PlaybackSlice> = (set, get) => ({
  // Start playing so the learner sees time move as soon as the page opens.
  playing: true,
  speed: 1,
  play: () => {
    if (get().engineError === null) set({ playing: true });
  },
  pause: () => {
    set({ playing: false });
  },
  togglePlay: () => {
    if (get().playing) get().pause();
    else get().play();
  },
  setSpeed: (speed) => {
    if (!isSpeed(speed)) throw new RangeError(`speed must be one of ${SPEEDS.join(', ')}, got ${String(speed)}`);
    set({ speed });
  },
});

/** A new store; the app uses `appStore`, tests make their own. */
export function createAppStore(): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createEngineSlice(...a),
    ...createPlaybackSlice(...a),
  }));
}

export const appStore: AppStore = createAppStore();

/** Selects one piece of the app store; the component re-renders only when it changes. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}

// ---- structural sharing -------------------------------------------------------

/**
 * Keeps the previous snapshot's arrays when their contents did not change, so a
 * view that selects `snapshot.nodes` does not re-render on every frame just
 * because the clock moved.
 */
function shareUnchanged(prev: ClusterSnapshot, next: ClusterSnapshot): ClusterSnapshot {
  const zones = sameStrings(prev.zones, next.zones) ? prev.zones : next.zones;
  const nodes = sameNodes(prev.nodes, next.nodes) ? prev.nodes : next.nodes;
  const partition = samePartition(prev.partition, next.partition) ? prev.partition : next.partition;
  const n = next.network;
  const p = prev.network;
  const network =
    n.sent === p.sent && n.delivered === p.delivered && n.dropped === p.dropped && n.duplicated === p.duplicated
      ? p
      : n;
  return { ...next, zones, nodes, partition, network };
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameNodes(a: readonly NodeSnapshot[], b: readonly NodeSnapshot[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) return false;
    if (
      x.name !== y.name ||
      x.role !== y.role ||
      x.zone !== y.zone ||
      x.cpu !== y.cpu ||
      x.memory !== y.memory ||
      x.maxPods !== y.maxPods ||
      x.alive !== y.alive ||
      x.partitionGroup !== y.partitionGroup
    ) {
      return false;
    }
  }
  return true;
}

function samePartition(
  a: readonly (readonly string[])[] | null,
  b: readonly (readonly string[])[] | null,
): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((g, i) => sameStrings(g, b[i] ?? []));
}
