import type { ResourceSample } from '../apiserver/apiProtocol';

/**
 * metrics-server's storage, as pure data: the last two samples of every node and container.
 * CPU is a rate, so it takes two samples; a container younger than one resolution but at least
 * 10 s old may use its start (at zero CPU) as the earlier one. Each scrape cycle replaces the
 * whole store: a node that did not answer loses its metrics until it answers twice again.
 */

/** Below this age a fresh container's start is too close to trust as the first sample. */
export const FRESH_CONTAINER_MIN_MS = 10_000;

export type Point = ResourceSample;

export interface PodPoints {
  readonly namespace: string;
  readonly name: string;
  readonly containers: readonly ({ readonly name: string } & Point)[];
}

export interface Batch {
  readonly nodes: ReadonlyMap<string, Point>;
  readonly pods: readonly PodPoints[];
}

export interface Store {
  readonly nodesLast: ReadonlyMap<string, Point>;
  readonly nodesPrev: ReadonlyMap<string, Point>;
  /** By "namespace/name", then container name. */
  readonly podsLast: ReadonlyMap<string, ReadonlyMap<string, Point>>;
  readonly podsPrev: ReadonlyMap<string, ReadonlyMap<string, Point>>;
}

export const EMPTY_STORE: Store = { nodesLast: new Map(), nodesPrev: new Map(), podsLast: new Map(), podsPrev: new Map() };

/** The store after one scrape cycle's batch. */
export function storeBatch(s: Store, batch: Batch, resolutionMs: number): Store {
  const nodesLast = new Map<string, Point>();
  const nodesPrev = new Map<string, Point>();
  for (const [node, point] of batch.nodes) {
    nodesLast.set(node, point);
    const last = s.nodesLast.get(node);
    if (last === undefined) continue;
    if (point.timestamp > last.timestamp) nodesPrev.set(node, last);
    else {
      const prev = s.nodesPrev.get(node);
      if (prev !== undefined && prev.timestamp < point.timestamp) nodesPrev.set(node, prev);
    }
  }
  const podsLast = new Map<string, Map<string, Point>>();
  const podsPrev = new Map<string, Map<string, Point>>();
  for (const pod of batch.pods) {
    const key = `${pod.namespace}/${pod.name}`;
    if (podsLast.has(key)) continue;
    const last = new Map<string, Point>();
    const prev = new Map<string, Point>();
    for (const { name, ...point } of pod.containers) {
      if (last.has(name)) continue;
      last.set(name, point);
      const age = point.timestamp - point.startTime;
      if (point.startTime < point.timestamp && age < resolutionMs && age >= FRESH_CONTAINER_MIN_MS) {
        prev.set(name, { ...point, timestamp: point.startTime, cpuUsageNs: 0 });
        continue;
      }
      const stored = s.podsLast.get(key)?.get(name);
      // The same container (started before the stored sample): the stored one becomes the earlier sample.
      if (stored === undefined || !(point.startTime < stored.timestamp)) continue;
      if (point.timestamp > stored.timestamp) prev.set(name, stored);
      else {
        const older = s.podsPrev.get(key)?.get(name);
        if (older !== undefined && older.timestamp < point.timestamp) prev.set(name, older);
      }
    }
    podsLast.set(key, last);
    if (prev.size > 0) podsPrev.set(key, prev);
  }
  return { nodesLast, nodesPrev, podsLast, podsPrev };
}

export interface Usage {
  /** CPU in nanocores. */
  readonly cpuNano: number;
  readonly memoryBytes: number;
  readonly timestamp: number;
  readonly windowMs: number;
}

/** The usage between two samples; undefined when a counter went backwards (a restart in between). */
export function usageBetween(last: Point, prev: Point): Usage | undefined {
  if (last.startTime < prev.startTime || last.cpuUsageNs < prev.cpuUsageNs) return undefined;
  const windowMs = last.timestamp - prev.timestamp;
  if (windowMs <= 0) return undefined;
  return { cpuNano: Math.floor((last.cpuUsageNs - prev.cpuUsageNs) / (windowMs / 1000)), memoryBytes: last.memoryWorkingSetBytes, timestamp: last.timestamp, windowMs };
}

export function nodeUsage(s: Store, node: string): Usage | undefined {
  const last = s.nodesLast.get(node);
  const prev = s.nodesPrev.get(node);
  return last === undefined || prev === undefined ? undefined : usageBetween(last, prev);
}

/**
 * A pod's containers' usage, sorted by container name; undefined unless every container has two
 * samples. The pod's time is its earliest container's.
 */
export function podUsage(s: Store, namespace: string, name: string): { containers: { name: string; usage: Usage }[]; timestamp: number; windowMs: number } | undefined {
  const key = `${namespace}/${name}`;
  const last = s.podsLast.get(key);
  const prev = s.podsPrev.get(key);
  if (last === undefined || prev === undefined) return undefined;
  const containers: { name: string; usage: Usage }[] = [];
  let earliest: Usage | undefined;
  for (const [c, point] of last) {
    const before = prev.get(c);
    if (before === undefined) return undefined;
    const usage = usageBetween(point, before);
    if (usage === undefined) continue;
    containers.push({ name: c, usage });
    if (earliest === undefined || usage.timestamp < earliest.timestamp) earliest = usage;
  }
  if (earliest === undefined) return undefined;
  containers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { containers, timestamp: earliest.timestamp, windowMs: earliest.windowMs };
}

const DECIMAL_SUFFIXES = ['n', 'u', 'm', '', 'k', 'M', 'G', 'T', 'P', 'E'];
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** Nanocores as a canonical Quantity string: "123456789n", "5m", "2". */
export function formatNanoCores(nano: number): string {
  let v = Math.max(0, Math.floor(nano));
  if (v === 0) return '0';
  let i = 0;
  while (v % 1000 === 0 && i < DECIMAL_SUFFIXES.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v}${DECIMAL_SUFFIXES[i] ?? ''}`;
}

/** Bytes as a canonical BinarySI Quantity string: "12345Ki", "4Mi"; below 1Ki or not a multiple of it, plain bytes. */
export function formatBinaryBytes(bytes: number): string {
  let v = Math.max(0, Math.floor(bytes));
  if (v < 1024) return String(v);
  let i = 0;
  while (v % 1024 === 0 && i < BINARY_SUFFIXES.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v}${BINARY_SUFFIXES[i] ?? ''}`;
}

/** Go's time.Duration String at millisecond precision: "15s", "20.05s", "1m5.5s", "750ms". */
export function goDuration(ms: number): string {
  const whole = Math.round(ms);
  if (whole === 0) return '0s';
  if (whole < 1000) return `${whole}ms`;
  const minutes = Math.floor(whole / 60_000);
  const rest = whole - minutes * 60_000;
  const secs = `${Math.floor(rest / 1000)}${rest % 1000 === 0 ? '' : `.${String(rest % 1000).padStart(3, '0').replace(/0+$/, '')}`}s`;
  if (minutes === 0) return secs;
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours}h${minutes % 60}m${secs}` : `${minutes}m${secs}`;
}
