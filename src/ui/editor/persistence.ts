import type { AppStore, EditorTab } from '../store';
import { STARTER_TABS } from './starters';

/** Where the editor's tabs survive a reload. */
export const STORAGE_KEY = 'kubeplay.editor.v1';
/** Typing writes at most this often. */
const WRITE_DELAY_MS = 400;
const MAX_TABS = 50;

export interface SavedEditor {
  readonly tabs: readonly EditorTab[];
  readonly activeTab: string;
}

/**
 * A file name `kubectl apply -f NAME` can take from a console line: no spaces or shell
 * characters, so the tab name and the command always agree.
 */
export function isTabName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name);
}

/**
 * The tabs stored under STORAGE_KEY, or null when there are none or they are not usable.
 * Anything malformed is dropped rather than trusted: the stored text comes from an earlier
 * session, maybe another version, maybe edited by hand.
 */
export function parseSavedEditor(raw: string | null): SavedEditor | null {
  if (raw === null) return null;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const { tabs, activeTab } = data as { tabs?: unknown; activeTab?: unknown };
  if (!Array.isArray(tabs)) return null;
  const kept: EditorTab[] = [];
  for (const t of tabs.slice(0, MAX_TABS) as unknown[]) {
    if (typeof t !== 'object' || t === null) continue;
    const { name, text } = t as { name?: unknown; text?: unknown };
    if (typeof name !== 'string' || typeof text !== 'string' || !isTabName(name)) continue;
    if (kept.some((k) => k.name === name)) continue;
    kept.push({ name, text });
  }
  const first = kept[0];
  if (first === undefined) return null;
  const active = typeof activeTab === 'string' && kept.some((k) => k.name === activeTab) ? activeTab : first.name;
  return { tabs: kept, activeTab: active };
}

/** Reads the saved tabs; storage that is disabled or throws counts as empty. */
export function loadEditor(storage: Pick<Storage, 'getItem'> | undefined = safeLocalStorage()): SavedEditor {
  let raw: string | null;
  try {
    raw = storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    raw = null;
  }
  const first = STARTER_TABS[0] as EditorTab;
  return parseSavedEditor(raw) ?? { tabs: STARTER_TABS, activeTab: first.name };
}

/** Fills the editor slice on first load (it is empty until then). */
export function restoreEditor(store: AppStore, storage?: Pick<Storage, 'getItem'>): void {
  if (store.getState().tabs.length > 0) return;
  const saved = loadEditor(storage);
  store.getState().setTabs(saved.tabs, saved.activeTab);
}

/**
 * Writes the tabs a moment after they change, and at once when the page goes away.
 * Returns the function that stops it.
 */
export function persistEditor(store: AppStore, storage: Pick<Storage, 'setItem'> | undefined = safeLocalStorage()): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = (): void => {
    timer = undefined;
    const { tabs, activeTab } = store.getState();
    try {
      storage?.setItem(STORAGE_KEY, JSON.stringify({ tabs, activeTab }));
    } catch {
      // Quota exceeded or storage disabled: the session goes on without saving.
    }
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.tabs === prev.tabs && s.activeTab === prev.activeTab) return;
    if (timer === undefined) timer = setTimeout(write, WRITE_DELAY_MS);
  });
  const flush = (): void => {
    if (timer === undefined) return;
    clearTimeout(timer);
    write();
  };
  if (typeof window !== 'undefined') window.addEventListener('pagehide', flush);
  return () => {
    unsubscribe();
    flush();
    if (typeof window !== 'undefined') window.removeEventListener('pagehide', flush);
  };
}

/** localStorage, or undefined where reading the property itself throws (some privacy modes). */
function safeLocalStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}
