import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../store';
import { isTabName, loadEditor, parseSavedEditor, persistEditor, restoreEditor, STORAGE_KEY } from './persistence';
import { STARTER_TABS } from './starters';

const memory = (initial: Record<string, string> = {}) => {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
};

afterEach(() => {
  vi.useRealTimers();
});

describe('saved editor tabs', () => {
  it('reads back what was written', () => {
    const saved = { tabs: [{ name: 'a.yaml', text: 'x: 1\n' }, { name: 'b.yaml', text: '' }], activeTab: 'b.yaml' };
    expect(parseSavedEditor(JSON.stringify(saved))).toEqual(saved);
  });

  it.each([
    ['nothing', null],
    ['not JSON', '{tabs: ['],
    ['not an object', '42'],
    ['null', 'null'],
    ['tabs not a list', '{"tabs": {"a.yaml": "x"}}'],
    ['no usable tab', '{"tabs": [{"name": 3, "text": "x"}, null, "web.yaml", {"name": "a b", "text": ""}]}'],
    ['an empty list', '{"tabs": []}'],
  ])('falls back to nothing for %s', (_what, raw) => {
    expect(parseSavedEditor(raw)).toBeNull();
  });

  it('keeps the good tabs of a damaged list, once each, and a valid active tab', () => {
    const raw = JSON.stringify({ tabs: [{ name: 'a.yaml', text: '1' }, { name: '../etc', text: '' }, { name: 'a.yaml', text: '2' }, { name: 'c.yaml', text: 3 }, { name: 'd.yml', text: '4' }], activeTab: 'gone.yaml' });
    expect(parseSavedEditor(raw)).toEqual({ tabs: [{ name: 'a.yaml', text: '1' }, { name: 'd.yml', text: '4' }], activeTab: 'a.yaml' });
  });

  it('starts from the starters when storage is empty, corrupt or throws', () => {
    expect(loadEditor(memory())).toEqual({ tabs: STARTER_TABS, activeTab: 'web.yaml' });
    expect(loadEditor(memory({ [STORAGE_KEY]: '\u0000garbage' }))).toEqual({ tabs: STARTER_TABS, activeTab: 'web.yaml' });
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(loadEditor(throwing).tabs).toBe(STARTER_TABS);
    expect(loadEditor(undefined).tabs).toBe(STARTER_TABS);
  });

  it('fills an empty store once, and leaves a filled one alone', () => {
    const store = createAppStore();
    restoreEditor(store, memory({ [STORAGE_KEY]: JSON.stringify({ tabs: [{ name: 'mine.yaml', text: 'a: 1' }], activeTab: 'mine.yaml' }) }));
    expect(store.getState().tabs).toEqual([{ name: 'mine.yaml', text: 'a: 1' }]);
    expect(store.getState().activeTab).toBe('mine.yaml');
    restoreEditor(store, memory());
    expect(store.getState().tabs).toEqual([{ name: 'mine.yaml', text: 'a: 1' }]);
  });

  it('writes changes a moment later, and ignores storage that fails', () => {
    vi.useFakeTimers();
    const store = createAppStore();
    store.getState().setTabs([{ name: 'a.yaml', text: '' }]);
    const storage = memory();
    const stop = persistEditor(store, storage);
    store.getState().setTabText('a.yaml', 'b: 2\n');
    store.getState().setTabText('a.yaml', 'b: 3\n');
    expect(storage.data.size).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(parseSavedEditor(storage.data.get(STORAGE_KEY) ?? null)).toEqual({ tabs: [{ name: 'a.yaml', text: 'b: 3\n' }], activeTab: 'a.yaml' });
    stop();

    const full = {
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const stop2 = persistEditor(store, full);
    store.getState().setTabText('a.yaml', 'c: 4\n');
    expect(() => vi.advanceTimersByTime(1_000)).not.toThrow();
    stop2();
  });

  it('writes what is pending when stopped', () => {
    vi.useFakeTimers();
    const store = createAppStore();
    store.getState().setTabs([{ name: 'a.yaml', text: '' }]);
    const storage = memory();
    const stop = persistEditor(store, storage);
    store.getState().setTabText('a.yaml', 'late\n');
    stop();
    expect(storage.data.get(STORAGE_KEY)).toContain('late');
  });

  it('accepts only names a console line can repeat', () => {
    expect(['web.yaml', 'untitled-2.yaml', 'a_b.yml', 'X1'].every(isTabName)).toBe(true);
    expect(['', 'a b.yaml', '-f.yaml', '.hidden', 'a/b.yaml', 'x;rm', 'a'.repeat(65)].some(isTabName)).toBe(false);
  });
});
