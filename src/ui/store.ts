import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { ClusterSnapshot, ClusterSpec } from '../engine';
import { DEFAULT_TOPOLOGY } from './topologies';
import type { ClusterModel, EventRecord, Frame, LoggedAction, ObjectRef, ReplicaSample, TrafficSample } from './protocol';

import { isSpeed, type Speed } from './speeds';

export { isSpeed, SPEEDS, type Speed } from './speeds';

/** The timeline keeps this many Kubernetes Events (the API server keeps them one hour). */
export const EVENTS_KEPT = 2_000;
/** Samples kept per workload for the desired-vs-ready chart. */
export const SAMPLES_KEPT = 600;
/** Seconds of traffic kept per series: 10 virtual minutes when every second had requests. */
export const TRAFFIC_KEPT = 600;

/** What the map shows before the engine publishes its first frame. */
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

export const EMPTY_MODEL: ClusterModel = {
  revision: 0,
  nodes: [],
  pods: [],
  workloads: [],
  leases: { scheduler: null, controllerManager: null },
  names: {},
};

// ---- engine slice: what the worker last published ----------------------------------------

export interface EngineSlice {
  /** The seed of the running cluster, shown so a session can be reproduced. */
  seed: number | string;
  snapshot: ClusterSnapshot;
  model: ClusterModel;
  quorum: boolean;
  playing: boolean;
  speed: Speed;
  achievedSpeed: number;
  /** Kubernetes Events seen so far, oldest first (at most EVENTS_KEPT). */
  events: readonly EventRecord[];
  /** Desired vs ready replicas over time, per workload ("Deployment/default/web"). */
  samples: Readonly<Record<string, readonly ReplicaSample[]>>;
  /** Requests per second and their outcomes, per Service ("service/default/web"), client workload ("client/default/deployment/loadgen") and load from outside ("outside/<URL, encoded>"). */
  traffic: Readonly<Record<string, readonly TrafficSample[]>>;
  /** Every action the learner took, with its virtual time. */
  log: readonly LoggedAction[];
  /** Set when the engine threw; playback stops. */
  engineError: string | null;
  /** The shape of the running cluster (what a reload restores and the topology picker replaced). */
  spec: ClusterSpec;
  /** While a reload's log is being replayed: how far, in virtual ms. */
  restoring: { readonly atMs: number; readonly untilMs: number } | null;
  setSpec: (spec: ClusterSpec) => void;
  applyFrame: (frame: Frame) => void;
  setSeed: (seed: number | string) => void;
  /** Forget the old cluster's events, samples and log (a new topology was picked). */
  resetEngineState: () => void;
}

// ---- selection slice ---------------------------------------------------------------------------

export interface SelectionSlice {
  /** The object the inspector shows. */
  selected: ObjectRef | null;
  select: (ref: ObjectRef | null) => void;
}

// ---- console slice --------------------------------------------------------------------------

export interface ConsoleLine {
  readonly id: number;
  readonly kind: 'input' | 'stdout' | 'stderr' | 'info';
  readonly text: string;
  /** Virtual ms, for inputs. */
  readonly atMs?: number;
}

export interface ConsoleSlice {
  consoleLines: readonly ConsoleLine[];
  /** Commands typed, oldest first. */
  history: readonly string[];
  appendConsole: (lines: readonly Omit<ConsoleLine, 'id'>[]) => void;
  clearConsole: () => void;
  pushHistory: (line: string) => void;
}

// ---- editor slice -----------------------------------------------------------------------------

export interface EditorTab {
  /** A file name: what `kubectl apply -f NAME` in the console reads. */
  readonly name: string;
  readonly text: string;
}

/** An error the API server (or the YAML parser) reported, placed at a line of a tab. */
export interface EditorProblem {
  readonly tab: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface EditorSlice {
  tabs: readonly EditorTab[];
  activeTab: string;
  /** Errors from the last apply of each tab (cleared when the tab's text changes). */
  problems: readonly EditorProblem[];
  setTabs: (tabs: readonly EditorTab[], active?: string) => void;
  setTabText: (name: string, text: string) => void;
  setActiveTab: (name: string) => void;
  setProblems: (tab: string, problems: readonly EditorProblem[]) => void;
}

// ---- layout slice ---------------------------------------------------------------------------

export interface LayoutSlice {
  /** Widths and heights of the resizable regions, in CSS pixels. */
  layout: { editorWidth: number; sideWidth: number; bottomHeight: number };
  setLayout: (patch: Partial<LayoutSlice['layout']>) => void;
  /** The topology picker dialog is open. */
  topologyOpen: boolean;
  setTopologyOpen: (open: boolean) => void;
}

export type AppState = EngineSlice & SelectionSlice & ConsoleSlice & EditorSlice & LayoutSlice;
export type AppStore = StoreApi<AppState>;

type Slice<T> = StateCreator<AppState, [], [], T>;

const createEngineSlice: Slice<EngineSlice> = (set) => ({
  seed: 0,
  snapshot: EMPTY_SNAPSHOT,
  model: EMPTY_MODEL,
  quorum: true,
  playing: true,
  speed: 1,
  achievedSpeed: 0,
  events: [],
  samples: {},
  traffic: {},
  log: [],
  engineError: null,
  spec: DEFAULT_TOPOLOGY,
  restoring: null,
  setSpec: (spec) => {
    set({ spec });
  },
  applyFrame: (frame) => {
    set((s) => {
      const next: Partial<AppState> = {
        snapshot: frame.snapshot,
        quorum: frame.quorum,
        playing: frame.playing,
        speed: isSpeed(frame.speed) ? frame.speed : s.speed,
        achievedSpeed: frame.achievedSpeed,
        engineError: frame.engineError,
        restoring: frame.restoring,
      };
      if (frame.model !== undefined) next.model = frame.model;
      if (frame.newEvents.length > 0) next.events = capped([...s.events, ...frame.newEvents], EVENTS_KEPT);
      if (frame.newLog.length > 0) next.log = [...s.log, ...frame.newLog];
      const samples = appended(s.samples, frame.newSamples, SAMPLES_KEPT);
      if (samples !== s.samples) next.samples = samples;
      const traffic = appended(s.traffic, frame.newTraffic, TRAFFIC_KEPT);
      if (traffic !== s.traffic) next.traffic = traffic;
      return next;
    });
  },
  setSeed: (seed) => {
    set({ seed });
  },
  resetEngineState: () => {
    set({ events: [], samples: {}, traffic: {}, log: [], model: EMPTY_MODEL, snapshot: EMPTY_SNAPSHOT, selected: null, engineError: null });
  },
});

const createSelectionSlice: Slice<SelectionSlice> = (set) => ({
  selected: null,
  select: (ref) => {
    set({ selected: ref });
  },
});

/** The console keeps this many lines; older ones scroll away for good. */
export const CONSOLE_LINES_KEPT = 5_000;
export const HISTORY_KEPT = 500;

const createConsoleSlice: Slice<ConsoleSlice> = (set) => {
  let nextId = 1;
  return {
    consoleLines: [],
    history: [],
    appendConsole: (lines) => {
      set((s) => ({ consoleLines: capped([...s.consoleLines, ...lines.map((l) => ({ ...l, id: nextId++ }))], CONSOLE_LINES_KEPT) }));
    },
    clearConsole: () => {
      set({ consoleLines: [] });
    },
    pushHistory: (line) => {
      set((s) => (line.trim() === '' || s.history[s.history.length - 1] === line ? s : { history: capped([...s.history, line], HISTORY_KEPT) }));
    },
  };
};

const createEditorSlice: Slice<EditorSlice> = (set) => ({
  tabs: [],
  activeTab: '',
  problems: [],
  setTabs: (tabs, active) => {
    // Problems stay with the tabs that stay (and their text).
    set((s) => ({
      tabs,
      activeTab: active ?? tabs[0]?.name ?? '',
      problems: s.problems.filter((p) => tabs.some((t) => t.name === p.tab && s.tabs.find((o) => o.name === t.name)?.text === t.text)),
    }));
  },
  setTabText: (name, text) => {
    set((s) => ({
      tabs: s.tabs.map((t) => (t.name === name ? { ...t, text } : t)),
      problems: s.problems.some((p) => p.tab === name) ? s.problems.filter((p) => p.tab !== name) : s.problems,
    }));
  },
  setActiveTab: (name) => {
    set({ activeTab: name });
  },
  setProblems: (tab, problems) => {
    set((s) => ({ problems: [...s.problems.filter((p) => p.tab !== tab), ...problems] }));
  },
});

const createLayoutSlice: Slice<LayoutSlice> = (set) => ({
  layout: { editorWidth: 400, sideWidth: 330, bottomHeight: 210 },
  setLayout: (patch) => {
    set((s) => ({ layout: { ...s.layout, ...patch } }));
  },
  topologyOpen: false,
  setTopologyOpen: (open) => {
    set({ topologyOpen: open });
  },
});

/** A new store; the app uses `appStore`, tests make their own. */
export function createAppStore(): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createEngineSlice(...a),
    ...createSelectionSlice(...a),
    ...createConsoleSlice(...a),
    ...createEditorSlice(...a),
    ...createLayoutSlice(...a),
  }));
}

export const appStore: AppStore = createAppStore();

/** Selects one piece of the app store; the component re-renders only when it changes. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}

/** `series` with each key's new items appended, at most `max` per key; the same object when nothing is new. */
function appended<T>(series: Readonly<Record<string, readonly T[]>>, added: Readonly<Record<string, readonly T[]>>, max: number): Readonly<Record<string, readonly T[]>> {
  const keys = Object.keys(added);
  if (keys.length === 0) return series;
  const out: Record<string, readonly T[]> = { ...series };
  for (const k of keys) out[k] = capped([...(out[k] ?? []), ...(added[k] ?? [])], max);
  return out;
}

function capped<T>(items: T[], max: number): T[] {
  return items.length > max ? items.slice(items.length - max) : items;
}
