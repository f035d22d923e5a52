import type { EditorTab } from '../store';

/** The text of a new tab: a hint, since an empty file tells a learner nothing. */
export const NEW_TAB_TEXT = '# A new manifest. Start with "kind: " and press Ctrl+Space for suggestions.\n';

/** untitled-1.yaml, untitled-2.yaml, …: the first name no tab has. */
export function newTabName(tabs: readonly EditorTab[]): string {
  for (let n = 1; ; n++) {
    const name = `untitled-${n}.yaml`;
    if (!tabs.some((t) => t.name === name)) return name;
  }
}

/**
 * The tabs without `name`, and which one is active afterwards (its right neighbour, or the
 * left one at the end). The last tab is never closed: null.
 */
export function closeTab(tabs: readonly EditorTab[], active: string, name: string): { tabs: EditorTab[]; active: string } | null {
  const index = tabs.findIndex((t) => t.name === name);
  if (index < 0 || tabs.length <= 1) return null;
  const rest = tabs.filter((t) => t.name !== name);
  if (active !== name) return { tabs: rest, active };
  const next = rest[Math.min(index, rest.length - 1)] as EditorTab;
  return { tabs: rest, active: next.name };
}
