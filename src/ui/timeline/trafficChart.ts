import type { ObjectRef, TrafficSample } from '../protocol';
import { CHART_WINDOW_MS, xTickTimes, type ChartSize } from './replicaChart';

/** Why requests failed, as the traffic series counts them, in the order the chart stacks them. */
export type Failure = 'dns' | 'refused' | 'timeout' | 'error';
export type Outcome = 'ok' | Failure;

/** The legend's words for each outcome, bottom of the stack first. */
export const OUTCOMES: readonly { readonly key: Outcome; readonly label: string }[] = [
  { key: 'ok', label: 'ok' },
  { key: 'dns', label: 'not resolved' },
  { key: 'refused', label: 'refused' },
  { key: 'timeout', label: 'timed out' },
  { key: 'error', label: 'HTTP 5xx' },
];

// ---- which series ----------------------------------------------------------------------------

/** A traffic series as the select names it. */
export interface SeriesOption {
  readonly key: string;
  readonly kind: 'service' | 'client' | 'outside';
  /** "Service default/web", "Client deployment/loadgen", "From outside http://worker-1:30080/". */
  readonly label: string;
  /** The object's own name, for the summary: "web" (for a load from outside, where it enters: "worker-1:30080"). */
  readonly name: string;
}

/**
 * Reads a series key: "service/<ns>/<name>" (requests through a Service),
 * "client/<ns>/<kind>/<name>" (all a client workload sent) or "outside/<URL, encoded>" (a load
 * from the learner's laptop); null for anything else.
 */
export function seriesOption(key: string): SeriesOption | null {
  const parts = key.split('/');
  if (parts[0] === 'service' && parts.length === 3) {
    const [, ns, name] = parts as [string, string, string];
    return { key, kind: 'service', label: `Service ${ns}/${name}`, name };
  }
  if (parts[0] === 'client' && parts.length === 4) {
    const [, ns, kind, name] = parts as [string, string, string, string];
    // As kubectl writes TYPE/NAME; the namespace only when it is not the default one.
    return { key, kind: 'client', label: `Client ${kind}/${name}${ns === 'default' ? '' : ` (${ns})`}`, name };
  }
  if (parts[0] === 'outside' && parts.length === 2) {
    let url: string;
    try {
      url = decodeURIComponent(parts[1] as string);
    } catch {
      return null;
    }
    // The summary's short name: where it enters, "worker-1:30080" (the path when it is not /).
    return { key, kind: 'outside', label: `From outside ${url}`, name: url.replace(/^https?:\/\//, '').replace(/\/$/, '') };
  }
  return null;
}

const KIND_ORDER: Readonly<Record<SeriesOption['kind'], number>> = { service: 0, client: 1, outside: 2 };

/** Every series with traffic: Services first, then clients, then loads from outside, each by label. */
export function seriesOptions(traffic: Readonly<Record<string, readonly TrafficSample[]>>): SeriesOption[] {
  const out: SeriesOption[] = [];
  for (const [key, samples] of Object.entries(traffic)) {
    const o = samples.length === 0 ? null : seriesOption(key);
    if (o !== null) out.push(o);
  }
  return out.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.label.localeCompare(b.label));
}

/** The series of a selected object: a Service's own, or what a workload (or bare pod) sent as a client. */
export function seriesKeyOf(ref: ObjectRef): string {
  return ref.kind === 'Service' ? `service/${ref.namespace}/${ref.name}` : `client/${ref.namespace}/${ref.kind.toLowerCase()}/${ref.name}`;
}

/**
 * Which series to chart: the learner's pick in the select, else the selected object's series
 * if it has traffic, else the busiest Service (most requests kept), else the busiest client,
 * else the busiest load from outside.
 */
export function chooseSeries(options: readonly SeriesOption[], traffic: Readonly<Record<string, readonly TrafficSample[]>>, selected: ObjectRef | null, picked: string | null): string | null {
  const has = (key: string) => options.some((o) => o.key === key);
  if (picked !== null && has(picked)) return picked;
  if (selected !== null && has(seriesKeyOf(selected))) return seriesKeyOf(selected);
  const busiest = (kind: SeriesOption['kind']) => {
    let best: SeriesOption | undefined;
    let most = -1;
    for (const o of options) {
      if (o.kind !== kind) continue;
      const n = totalRequests(traffic[o.key] ?? []);
      if (n > most) [best, most] = [o, n];
    }
    return best;
  };
  return (busiest('service') ?? busiest('client') ?? busiest('outside'))?.key ?? null;
}

function totalRequests(samples: readonly TrafficSample[]): number {
  let n = 0;
  for (const s of samples) n += s.requests;
  return n;
}

// ---- which chart -----------------------------------------------------------------------------

export type ChartTab = 'replicas' | 'traffic';

/** The chart the panel shows: the learner's choice, else traffic once there is any, else replicas. */
export function shownChart(choice: ChartTab | null, hasTraffic: boolean): ChartTab {
  return choice ?? (hasTraffic ? 'traffic' : 'replicas');
}

/**
 * What a click on a chart's button records as the learner's choice. Before any traffic,
 * Replicas is only the default, not a choice: the chart moves to traffic when it starts.
 */
export function chartChoice(clicked: ChartTab, hasTraffic: boolean): ChartTab | null {
  return clicked === 'replicas' && !hasTraffic ? null : clicked;
}

// ---- the summary line ------------------------------------------------------------------------

/** The summary covers this many of the newest completed seconds. */
export const RECENT_SECONDS = 10;

export interface TrafficSummary {
  readonly requests: number;
  readonly ok: number;
  /** Requests per second over the span. */
  readonly rps: number;
  /** "10.0", "250" */
  readonly rpsText: string;
  /** "100%", "87.5%", "0%"; null without requests. */
  readonly successText: string | null;
}

/**
 * Requests in the last `seconds` completed seconds before `now` (the second under way has not
 * been sent yet). Seconds without a sample had no requests.
 */
export function recentSummary(samples: readonly TrafficSample[], now: number, seconds = RECENT_SECONDS): TrafficSummary {
  const end = completedUntil(now);
  const from = end - seconds * 1_000;
  let requests = 0;
  let ok = 0;
  for (let i = samples.length - 1; i >= 0; i--) {
    const s = samples[i] as TrafficSample;
    if (s.t < from) break;
    if (s.t >= end) continue;
    requests += s.requests;
    ok += s.ok;
  }
  const rps = requests / seconds;
  return { requests, ok, rps, rpsText: formatRps(rps), successText: requests === 0 ? null : formatSuccess(ok, requests) };
}

/** "web · 10.0 req/s · 100% ok (last 10 s)" */
export function summaryText(name: string, s: TrafficSummary, seconds = RECENT_SECONDS): string {
  return `${name} · ${rateText(s, seconds)}`;
}

/** "10.0 req/s · 100% ok (last 10 s)" */
export function rateText(s: TrafficSummary, seconds = RECENT_SECONDS): string {
  return `${s.rpsText} req/s · ${s.successText === null ? 'no requests' : `${s.successText} ok`} (last ${seconds} s)`;
}

export function formatRps(rps: number): string {
  return rps < 100 ? rps.toFixed(1) : String(Math.round(rps));
}

/** Rounded down, so a single failure never shows as 100%. */
export function formatSuccess(ok: number, requests: number): string {
  if (ok >= requests) return '100%';
  if (ok <= 0) return '0%';
  return `${Math.max(0.1, Math.floor((ok / requests) * 1_000) / 10).toFixed(1)}%`;
}

/** The end of the newest completed second. */
function completedUntil(now: number): number {
  return Math.floor(now / 1_000) * 1_000;
}

// ---- the chart -------------------------------------------------------------------------------

export interface TrafficGeometry {
  /** One SVG path of bars per outcome, stacked: ok at the bottom, then each failure reason. */
  readonly layers: readonly { readonly key: Outcome; readonly d: string }[];
  /** The success rate of each bucket with requests as a step line on 0–100 %; '' when none. */
  readonly success: string;
  /** Requests per second at the top of the plot. */
  readonly yMax: number;
  readonly yTicks: readonly { readonly y: number; readonly value: number }[];
  /** The success line's scale, on the right: 50 % and 100 %. */
  readonly successTicks: readonly { readonly y: number; readonly percent: number }[];
  readonly xTicks: readonly { readonly x: number; readonly atMs: number }[];
  /** Seconds per bar. */
  readonly bucketSeconds: number;
  /** Virtual ms at the left and right edges. */
  readonly start: number;
  readonly end: number;
}

/** A fresh cluster's chart still spans this much, so the first minute is not stretched. */
const MIN_SPAN_MS = 60_000;
/** Bars narrower than this are merged into wider ones (several seconds each). */
const MIN_BAR_PX = 3;
const BUCKET_SECONDS = [1, 2, 5, 10, 15, 30, 60];
const X_TICK_SPACING = 44;
const HEADROOM = 1.15;
/** Round tops for the requests-per-second scale, times a power of ten. */
const NICE_STEPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** One bar: the requests of its completed seconds, by outcome. */
interface Bucket {
  readonly from: number;
  readonly to: number;
  readonly counts: Readonly<Record<Outcome, number>>;
  readonly requests: number;
}

const perSecond = (b: Bucket, n: number): number => (n * 1_000) / (b.to - b.from);

/**
 * Requests per second as stacked bars by outcome over [now − window, now], and the success
 * rate as a line. Only completed seconds count: the newest bar may be narrower than the rest.
 */
export function trafficGeometry(samples: readonly TrafficSample[], now: number, size: ChartSize, windowMs = CHART_WINDOW_MS): TrafficGeometry {
  const end = Math.max(completedUntil(now), MIN_SPAN_MS);
  const start = Math.max(0, end - windowMs);
  const plotW = Math.max(1, size.width - size.left - size.right);
  const plotH = Math.max(1, size.height - size.top - size.bottom);
  const bucketSeconds = BUCKET_SECONDS.find((b) => (plotW * b * 1_000) / (end - start) >= MIN_BAR_PX) ?? 60;
  const buckets = toBuckets(samples, start, Math.min(end, completedUntil(now)), bucketSeconds * 1_000);
  // Headroom above the tallest bar keeps the success line at 100 % clear of it.
  const yMax = niceCeil(HEADROOM * Math.max(0, ...buckets.map((b) => perSecond(b, b.requests))));
  const x = (t: number) => round(size.left + ((t - start) / (end - start)) * plotW);
  const y = (v: number) => round(size.top + (1 - v / yMax) * plotH);
  const yRate = (rate: number) => round(size.top + (1 - rate) * plotH);
  return {
    layers: stackedLayers(buckets, x, y),
    success: successPath(buckets, x, yRate),
    yMax,
    yTicks: [0, yMax / 2, yMax].map((value) => ({ value, y: y(value) })),
    successTicks: [50, 100].map((percent) => ({ percent, y: yRate(percent / 100) })),
    xTicks: xTickTimes(start, end, Math.max(2, Math.min(5, Math.floor(plotW / X_TICK_SPACING)))).map((atMs) => ({ atMs, x: x(atMs) })),
    bucketSeconds,
    start,
    end,
  };
}

/** Buckets of `bucketMs` aligned to multiples of it, cut to [start, until); seconds without a sample count as none. */
function toBuckets(samples: readonly TrafficSample[], start: number, until: number, bucketMs: number): Bucket[] {
  const out: Bucket[] = [];
  const first = Math.floor(start / bucketMs) * bucketMs;
  let i = 0;
  for (let b = first; b < until; b += bucketMs) {
    const from = Math.max(b, start);
    const to = Math.min(b + bucketMs, until);
    const counts: Record<Outcome, number> = { ok: 0, dns: 0, refused: 0, timeout: 0, error: 0 };
    let requests = 0;
    while (i < samples.length && (samples[i] as TrafficSample).t < to) {
      const s = samples[i++] as TrafficSample;
      if (s.t < from) continue;
      requests += s.requests;
      for (const o of OUTCOMES) counts[o.key] += s[o.key];
    }
    out.push({ from, to, counts, requests });
  }
  return out;
}

function stackedLayers(buckets: readonly Bucket[], x: (t: number) => number, y: (v: number) => number): TrafficGeometry['layers'] {
  const parts = new Map<Outcome, string[]>(OUTCOMES.map((o) => [o.key, []]));
  for (const b of buckets) {
    let base = 0;
    for (const o of OUTCOMES) {
      const v = perSecond(b, b.counts[o.key]);
      if (v <= 0) continue;
      const [x0, x1, y0, y1] = [x(b.from), x(b.to), y(base), y(base + v)];
      parts.get(o.key)?.push(`M${x0},${y0}V${y1}H${x1}V${y0}Z`);
      base += v;
    }
  }
  return OUTCOMES.map((o) => ({ key: o.key, d: (parts.get(o.key) ?? []).join('') }));
}

/** A step line through each bucket with requests; a bucket without any breaks it. */
function successPath(buckets: readonly Bucket[], x: (t: number) => number, y: (rate: number) => number): string {
  const parts: string[] = [];
  let drawing = false;
  for (const b of buckets) {
    if (b.requests === 0) {
      drawing = false;
      continue;
    }
    const rate = b.counts.ok / b.requests;
    parts.push(drawing ? `V${y(rate)}H${x(b.to)}` : `M${x(b.from)},${y(rate)}H${x(b.to)}`);
    drawing = true;
  }
  return parts.join('');
}

/** The smallest round top (NICE_STEPS × 10ⁿ) at or above `v`, at least 1. */
export function niceCeil(v: number): number {
  if (v <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return Number(((NICE_STEPS.find((m) => m * p >= v - 1e-9) ?? 10) * p).toPrecision(6));
}

/** An axis label for requests per second: "20", "0.75", "1.5k". */
export function formatRate(v: number): string {
  if (v >= 1_000) return `${Number((v / 1_000).toFixed(2))}k`;
  return String(Number(v.toFixed(2)));
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
