import { parseQuantity } from '../engine/quantity';

/**
 * kubectl top's tables (metricsutil's TopCmdPrinter): CPU in millicores rounded up, memory in
 * whole MiB rounded down, node percentages of allocatable truncated. Every cell, the last one
 * too, ends in a tab for Go's tabwriter, so every column is padded, lines keep trailing spaces.
 */

export const NODE_COLUMNS = ['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)'];
export const POD_COLUMNS = ['NAME', 'CPU(cores)', 'MEMORY(bytes)'];

export type SortBy = '' | 'cpu' | 'memory';

export interface Usage {
  readonly cpu?: string;
  readonly memory?: string;
}

export interface NodeRow {
  readonly name: string;
  readonly usage: Usage;
}

export interface PodRow {
  readonly namespace: string;
  readonly name: string;
  readonly containers: readonly { readonly name: string; readonly usage: Usage }[];
}

/** Quantity.MilliValue(): rounded up. */
function milli(q: string | undefined): number {
  if (q === undefined) return 0;
  return Math.ceil(Math.round(parseQuantity(q).value * 1e9) / 1e6);
}

function byteValue(q: string | undefined): number {
  return q === undefined ? 0 : Math.ceil(parseQuantity(q).value);
}

const cpuText = (m: number): string => `${m}m`;
const memText = (b: number): string => `${Math.floor(b / 2 ** 20)}Mi`;

/** Go's tabwriter with kubectl's settings, every cell tab-terminated. */
export function padded(rows: readonly (readonly string[])[]): string {
  const cols = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, i) => Math.max(6, ...rows.map((r) => (r[i] ?? '').length + 3)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('') + '\n').join('');
}

/**
 * `kubectl top nodes`: nodes with metrics, sorted, then the nodes the API lists without metrics
 * as <unknown>. `allocatable` is each listed node's status.allocatable (cpu, memory).
 */
export function printNodeMetrics(metrics: readonly NodeRow[], allocatable: ReadonlyMap<string, Usage>, sortBy: SortBy, noHeaders: boolean): string {
  if (metrics.length === 0) return '';
  const sorted = [...metrics].sort((a, b) => {
    if (sortBy === 'cpu') return milli(b.usage.cpu) - milli(a.usage.cpu);
    if (sortBy === 'memory') return byteValue(b.usage.memory) - byteValue(a.usage.memory);
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  const rows: string[][] = noHeaders ? [] : [NODE_COLUMNS];
  for (const m of sorted) {
    const cpu = milli(m.usage.cpu);
    const mem = byteValue(m.usage.memory);
    const avail = allocatable.get(m.name);
    const row = [m.name, cpuText(cpu)];
    if (avail !== undefined) row.push(percent(cpu, milli(avail.cpu)));
    row.push(memText(mem));
    if (avail !== undefined) row.push(percent(mem, byteValue(avail.memory)));
    rows.push(row);
  }
  const missing = [...allocatable.keys()].filter((n) => !metrics.some((m) => m.name === n)).sort();
  for (const n of missing) rows.push([n, '<unknown>', '<unknown>', '<unknown>', '<unknown>']);
  return padded(rows);
}

function percent(used: number, available: number): string {
  return `${available === 0 ? 0 : Math.trunc((used / available) * 100)}%`;
}

/** `kubectl top pods`: one row per pod (containers summed), or per container with --containers. */
export function printPodMetrics(metrics: readonly PodRow[], opts: { containers: boolean; withNamespace: boolean; noHeaders: boolean; sortBy: SortBy }): string {
  if (metrics.length === 0) return '';
  const total = (p: PodRow, f: (u: Usage) => number): number => p.containers.reduce((s, c) => s + f(c.usage), 0);
  const podCpu = (p: PodRow): number => Math.ceil(p.containers.reduce((s, c) => s + Math.round(parseQuantity(c.usage.cpu ?? '0').value * 1e9), 0) / 1e6);
  const sorted = [...metrics].sort((a, b) => {
    if (opts.sortBy === 'cpu') return podCpu(b) - podCpu(a);
    if (opts.sortBy === 'memory') return total(b, (u) => byteValue(u.memory)) - total(a, (u) => byteValue(u.memory));
    if (opts.withNamespace && a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  const rows: string[][] = [];
  if (!opts.noHeaders) rows.push([...(opts.withNamespace ? ['NAMESPACE'] : []), ...(opts.containers ? ['POD'] : []), ...POD_COLUMNS]);
  const ns = (p: PodRow): string[] => (opts.withNamespace ? [p.namespace] : []);
  for (const p of sorted) {
    if (!opts.containers) {
      rows.push([...ns(p), p.name, cpuText(podCpu(p)), memText(total(p, (u) => byteValue(u.memory)))]);
      continue;
    }
    const containers = [...p.containers].sort((a, b) => {
      if (opts.sortBy === 'cpu') return milli(b.usage.cpu) - milli(a.usage.cpu);
      if (opts.sortBy === 'memory') return byteValue(b.usage.memory) - byteValue(a.usage.memory);
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    for (const c of containers) rows.push([...ns(p), p.name, c.name, cpuText(milli(c.usage.cpu)), memText(byteValue(c.usage.memory))]);
  }
  return padded(rows);
}
