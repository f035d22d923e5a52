/**
 * Columns as kubectl prints them: Go's text/tabwriter with kubectl's settings (minimum cell
 * width 6, padding 3, spaces), the last column unpadded.
 */
export function tabular(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const cols = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, i) => Math.max(6 - 3, ...rows.map((r) => (r[i] ?? '').length)) + 3);
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] as number))).join('').trimEnd() + '\n').join('');
}
