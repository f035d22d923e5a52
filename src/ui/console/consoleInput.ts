/** The console's line editing as pure functions: history walking, applying a completion, listing candidates. */
import type { Completion } from '../protocol';
import type { ConsoleLine } from '../store';

/** Where ↑/↓ stand: `index` into the history, null at the bottom (the line being typed, kept in `draft`). */
export interface HistoryCursor {
  readonly index: number | null;
  readonly draft: string;
}

export const AT_BOTTOM: HistoryCursor = { index: null, draft: '' };

/** One step up (-1) or down (+1) the history from the line `value`; null when there is nowhere to go. */
export function historyStep(history: readonly string[], at: HistoryCursor, value: string, direction: -1 | 1): { at: HistoryCursor; value: string } | null {
  if (direction === -1) {
    if (history.length === 0 || at.index === 0) return null;
    const index = at.index === null ? history.length - 1 : Math.min(at.index - 1, history.length - 1);
    const draft = at.index === null ? value : at.draft;
    return { at: { index, draft }, value: history[index] ?? '' };
  }
  if (at.index === null) return null;
  const index = at.index + 1;
  if (index >= history.length) return { at: { index: null, draft: at.draft }, value: at.draft };
  return { at: { index, draft: at.draft }, value: history[index] ?? '' };
}

export type TabResult =
  | { readonly kind: 'edit'; readonly line: string; readonly cursor: number }
  /** Several candidates and nothing more in common: bash lists them on the second Tab. */
  | { readonly kind: 'ambiguous'; readonly candidates: readonly string[] }
  | { readonly kind: 'none' };

/**
 * Applies a completion as bash does: one candidate replaces the word (followed by a space
 * unless it expects more, like `--replicas=`); several insert what they have in common.
 */
export function applyCompletion(line: string, cursor: number, completion: Completion): TabResult {
  const { from, candidates } = completion;
  const [only] = candidates;
  if (only === undefined) return { kind: 'none' };
  if (candidates.length === 1) {
    // The whole word under the cursor is replaced, not only its part left of the cursor.
    const wordEnd = cursor + (/^\S*/.exec(line.slice(cursor))?.[0].length ?? 0);
    const after = line.slice(wordEnd);
    const endsWord = !/[=/,]$/.test(only);
    const space = endsWord && !/^\s/.test(after) ? ' ' : '';
    const next = line.slice(0, from) + only + space + after;
    return { kind: 'edit', line: next, cursor: from + only.length + (endsWord ? 1 : 0) };
  }
  const common = commonPrefix(candidates);
  if (common.length > cursor - from) {
    return { kind: 'edit', line: line.slice(0, from) + common + line.slice(cursor), cursor: from + common.length };
  }
  return { kind: 'ambiguous', candidates };
}

export function commonPrefix(words: readonly string[]): string {
  const [first = ''] = words;
  let n = first.length;
  for (const w of words) {
    let i = 0;
    while (i < n && i < w.length && w[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n);
}

/** Candidates in columns, filled down then across as bash lists them, in `width` characters; at most `max`. */
export function formatCandidates(candidates: readonly string[], width: number, max = 200): string {
  const shown = candidates.slice(0, max);
  const colWidth = Math.max(...shown.map((c) => c.length)) + 2;
  const cols = Math.max(1, Math.floor((width + 2) / colWidth));
  const rows = Math.ceil(shown.length / cols);
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    let row = '';
    for (let c = 0; c < cols; c++) {
      const item = shown[c * rows + r];
      if (item !== undefined) row += item.padEnd(colWidth);
    }
    out.push(row.trimEnd());
  }
  if (candidates.length > shown.length) out.push(`… and ${candidates.length - shown.length} more`);
  return out.join('\n');
}

/** The scrollback as plain text, commands with their prompt, for the clipboard. */
export function consoleText(lines: readonly ConsoleLine[]): string {
  return lines.map((l) => (l.kind === 'input' ? `$ ${l.text}` : l.text)).join('\n');
}
