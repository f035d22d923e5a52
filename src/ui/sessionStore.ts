import type { ClusterSpec } from '../engine';
import type { LoggedAction } from './protocol';
import type { AppStore } from './store';

/**
 * The cluster survives a reload: the page keeps the session's recipe — topology, seed, action
 * log and the virtual time reached — in localStorage, and on the next load the worker replays
 * it (the same actions at the same virtual times give the same cluster). What is read back is
 * checked field by field: anything else is ignored and the page starts fresh.
 */
export const SESSION_KEY = 'kubeplay.session.v1';

export interface SavedSession {
  readonly spec: ClusterSpec;
  readonly seed: number | string;
  readonly log: readonly LoggedAction[];
  readonly untilMs: number;
}

/** Bounds on what a saved session may hold, so a tampered entry cannot make the page do silly work. */
const MAX_ACTIONS = 20_000;
const MAX_NODES = 5_000;

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const isCount = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max;
const optional = (v: unknown, check: (x: unknown) => boolean): boolean => v === undefined || check(v);

const FAULT_KEYS = new Set(['kill', 'restart', 'partition', 'isolate', 'heal', 'loss', 'latency', 'duplicate', 'reorder', 'stopKubelet', 'startKubelet']);

function isSpec(v: unknown): v is ClusterSpec {
  if (!isObj(v) || !isStrList(v.zones) || !isObj(v.masters) || !isObj(v.workers)) return false;
  const m = v.masters;
  const w = v.workers;
  return (
    isCount(m.count, 7) &&
    optional(m.zones, isStrList) &&
    optional(m.cpu, isStr) &&
    optional(m.memory, isStr) &&
    isCount(w.count, MAX_NODES) &&
    optional(w.spread, isStrList) &&
    optional(w.cpu, isStr) &&
    optional(w.memory, isStr) &&
    optional(w.maxPods, (x) => isCount(x, 1_000))
  );
}

function isAction(a: unknown): boolean {
  if (!isObj(a)) return false;
  switch (a.type) {
    case 'kubectl':
      return isStr(a.command) && optional(a.stdin, isStr) && optional(a.files, (f) => isObj(f) && Object.values(f).every(isStr));
    case 'etcdctl':
    case 'curl':
    case 'load':
      return isStr(a.command);
    case 'fault':
      // The engine checks the fault's targets when it runs it, as it does for one typed live.
      return isObj(a.fault) && Object.keys(a.fault).length === 1 && FAULT_KEYS.has(Object.keys(a.fault)[0] as string);
    case 'crashContainer':
      return isStr(a.namespace) && isStr(a.pod) && optional(a.container, isStr);
    case 'speed':
      return typeof a.speed === 'number';
    case 'play':
    case 'pause':
    case 'step':
    case 'skip':
      return true;
    default:
      return false;
  }
}

/** Reads a saved session; null when there is none or it is not one (never throws). */
export function parseSavedSession(raw: string | null): SavedSession | null {
  if (raw === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObj(v) || v.v !== 1 || !isSpec(v.spec) || !isTime(v.untilMs)) return null;
  if (!(typeof v.seed === 'number' && Number.isSafeInteger(v.seed)) && !(isStr(v.seed) && v.seed.length <= 200)) return null;
  if (!Array.isArray(v.log) || v.log.length > MAX_ACTIONS) return null;
  let last = 0;
  for (const e of v.log as unknown[]) {
    if (!isObj(e) || !isTime(e.atMs) || e.atMs < last || !isAction(e.action)) return null;
    last = e.atMs;
  }
  if (v.untilMs < last) return null;
  return { spec: v.spec, seed: v.seed, log: v.log as LoggedAction[], untilMs: v.untilMs };
}

export function serializeSession(s: SavedSession): string {
  return JSON.stringify({ v: 1, ...s });
}

/** The saved session, if a valid one is there. */
export function loadSavedSession(storage: Pick<Storage, 'getItem'> = localStorage): SavedSession | null {
  try {
    return parseSavedSession(storage.getItem(SESSION_KEY));
  } catch {
    return null;
  }
}

export function forgetSavedSession(storage: Pick<Storage, 'removeItem'> = localStorage): void {
  try {
    storage.removeItem(SESSION_KEY);
  } catch {
    // Storage disabled: nothing was saved either.
  }
}

/**
 * Saves the session whenever its log grows, and every few seconds while time moves, so a
 * reload lands near where the learner was. Nothing is saved while a restore is under way.
 */
export function persistSession(store: AppStore, storage: Pick<Storage, 'setItem'> = localStorage, everyMs = 3_000): () => void {
  let savedAt = -1;
  let savedLog = -1;
  const save = (): void => {
    const s = store.getState();
    if (s.restoring !== null || s.snapshot.now === 0) return;
    if (s.snapshot.now === savedAt && s.log.length === savedLog) return;
    try {
      storage.setItem(SESSION_KEY, serializeSession({ spec: s.spec, seed: s.seed, log: s.log, untilMs: s.snapshot.now }));
      savedAt = s.snapshot.now;
      savedLog = s.log.length;
    } catch {
      // Quota or disabled storage: the session simply is not kept.
    }
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.log !== prev.log || s.spec !== prev.spec || s.seed !== prev.seed) save();
  });
  const timer = setInterval(save, everyMs);
  return () => {
    unsubscribe();
    clearInterval(timer);
  };
}
