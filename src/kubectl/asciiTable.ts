/**
 * A table drawn as etcdctl draws its `-w table` output (the olekukonko/tablewriter
 * package): upper-cased headers centred, cells right-aligned, one space of padding.
 */
export function asciiTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = header.map((h) => h.toUpperCase());
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const centre = (s: string, w: number): string => {
    const gap = w - s.length;
    const left = Math.floor(gap / 2);
    return ' '.repeat(left) + s + ' '.repeat(gap - left);
  };
  const line = (cells: readonly string[], fit: (s: string, w: number) => string): string =>
    `|${cells.map((c, i) => ` ${fit(c, widths[i] as number)} `).join('|')}|`;
  const out = [rule, line(head, centre), rule, ...rows.map((r) => line(r, (s, w) => s.padStart(w))), rule];
  return `${out.join('\n')}\n`;
}

/** Bytes as go-humanize's Bytes prints them (SI units): "25 kB", "1.2 MB". */
export function humanizeBytes(n: number): string {
  if (n < 10) return `${n} B`;
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  const e = Math.floor(Math.log(n) / Math.log(1000));
  const v = n / 1000 ** e;
  const text = v < 10 ? (Math.floor(v * 10 + 0.5) / 10).toFixed(1) : String(Math.floor(v + 0.5));
  return `${text} ${units[e]}`;
}
