import { describe, expect, it, vi } from 'vitest';
import type { Frame } from './protocol';
import { loadSavedSession, parseSavedSession, persistSession, SESSION_KEY, serializeSession, type SavedSession } from './sessionStore';
import { createAppStore, EMPTY_SNAPSHOT } from './store';
import { DEFAULT_TOPOLOGY } from './topologies';

const SESSION: SavedSession = {
  spec: DEFAULT_TOPOLOGY,
  seed: 1,
  log: [
    { atMs: 8_000, action: { type: 'kubectl', command: 'apply -f web.yaml', files: { 'web.yaml': 'kind: Deployment' } } },
    { atMs: 9_000, action: { type: 'speed', speed: 100 } },
    { atMs: 20_000, action: { type: 'fault', fault: { kill: 'worker-2' } } },
    { atMs: 21_000, action: { type: 'crashContainer', namespace: 'default', pod: 'web-1' } },
    { atMs: 22_000, action: { type: 'curl', command: '-s http://worker-1:30080/' } },
    { atMs: 22_000, action: { type: 'load', command: 'http://worker-1:30080/ --rate 20' } },
  ],
  untilMs: 60_000,
};

describe('the saved session', () => {
  it('reads back what it wrote', () => {
    expect(parseSavedSession(serializeSession(SESSION))).toEqual(SESSION);
  });

  it('ignores anything that is not a session it wrote, without throwing', () => {
    const bad = (patch: Record<string, unknown>): string => JSON.stringify({ v: 1, ...SESSION, ...patch });
    for (const raw of [
      null,
      '',
      'not json{',
      'null',
      '[]',
      JSON.stringify({ ...SESSION, v: 2 }),
      bad({ seed: { evil: true } }),
      bad({ untilMs: -5 }),
      bad({ untilMs: 1_000 }), // before the last action
      bad({ spec: { zones: ['a'], masters: { count: 9 }, workers: { count: 1 } } }),
      bad({ spec: { zones: ['a'], masters: { count: 1 }, workers: { count: 1e9 } } }),
      bad({ log: [{ atMs: 5, action: { type: 'eval', code: 'alert(1)' } }] }),
      bad({ log: [{ atMs: 5, action: { type: 'fault', fault: { kill: 'a', restart: 'b' } } }] }),
      bad({ log: [{ atMs: 5, action: { type: 'kubectl', command: 'get pods', files: { a: 1 } } }] }),
      bad({ log: [{ atMs: 5, action: { type: 'load', command: { rate: 20 } } }] }),
      bad({ log: [SESSION.log[2], SESSION.log[0]] }), // out of time order
    ]) {
      expect(parseSavedSession(raw), String(raw)).toBeNull();
    }
    expect(loadSavedSession({ getItem: () => { throw new Error('storage disabled'); } })).toBeNull();
  });

  it('is saved when the log grows, with the virtual time reached, and not while a restore runs', () => {
    vi.useFakeTimers();
    try {
      const store = createAppStore();
      const items = new Map<string, string>();
      const stop = persistSession(store, { setItem: (k, v) => void items.set(k, v) }, 1_000);
      const frame = (now: number, patch: Partial<Frame> = {}): Frame => ({
        epoch: 1,
        snapshot: { ...EMPTY_SNAPSHOT, now },
        newEvents: [],
        quorum: true,
        playing: true,
        speed: 1,
        achievedSpeed: 1,
        newSamples: {},
        newTraffic: {},
        newLog: [],
        engineError: null,
        restoring: null,
        ...patch,
      });
      store.getState().applyFrame(frame(9_000, { newLog: [SESSION.log[0] as SavedSession['log'][number]] }));
      expect(parseSavedSession(items.get(SESSION_KEY) ?? null)).toMatchObject({ untilMs: 9_000, log: [SESSION.log[0]] });
      store.getState().applyFrame(frame(15_000));
      vi.advanceTimersByTime(1_000);
      expect(parseSavedSession(items.get(SESSION_KEY) ?? null)?.untilMs).toBe(15_000);
      store.getState().applyFrame(frame(16_000, { restoring: { atMs: 16_000, untilMs: 90_000 } }));
      vi.advanceTimersByTime(1_000);
      expect(parseSavedSession(items.get(SESSION_KEY) ?? null)?.untilMs).toBe(15_000);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
