/**
 * Go's text/tabwriter as kubectl describe sets it up (minwidth 0, tabwidth 8, padding 2,
 * pad with spaces, no flags). A tab ends a cell; the text after a line's last tab is not
 * in any column. Columns are aligned per block: a run of consecutive lines that all have
 * a cell in that column. A line with fewer cells ends the block, which is why each
 * section of describe output lines up on its own.
 */
const PADDING = 2;

/** Characters, not UTF-16 units: Go counts runes. */
function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function tabwrite(text: string): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const widthsFor: number[][] = lines.map(() => []);
  const widths: number[] = [];
  const cells = (i: number): string[] => lines[i] as string[];

  // The recursion of tabwriter.format: fix the width of one column over a block, then
  // lay out the columns to its right within that block.
  const format = (from: number, to: number): void => {
    const column = widths.length;
    let line0 = from;
    for (let i = from; i < to; i++) {
      if (column >= cells(i).length - 1) continue;
      for (let k = line0; k < i; k++) widthsFor[k] = [...widths];
      let width = 0;
      let end = i;
      for (; end < to && column < cells(end).length - 1; end++) {
        width = Math.max(width, runeCount(cells(end)[column] as string) + PADDING);
      }
      widths.push(width);
      format(i, end);
      widths.pop();
      line0 = end;
      i = end - 1;
    }
    for (let k = line0; k < to; k++) widthsFor[k] = [...widths];
  };
  format(0, lines.length);

  return lines
    .map((row, i) => {
      const w = widthsFor[i] as number[];
      return row.map((cell, j) => (j < row.length - 1 && j < w.length ? cell + ' '.repeat((w[j] as number) - runeCount(cell)) : cell)).join('');
    })
    .join('\n');
}
