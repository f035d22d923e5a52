import { objectString } from '../objectRef';
import type { ObjectRef, ReplicaSample, WorkloadModel } from '../protocol';

/** The workloads whose replicas the chart can draw (a Job's completions are not replicas). */
export const CHART_KINDS: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

/** How the samples are keyed: "Deployment/default/web". */
export function workloadKey(w: { kind: string; namespace: string; name: string }): string {
  return objectString(w);
}

export function chartWorkloads(workloads: readonly WorkloadModel[]): WorkloadModel[] {
  return workloads.filter((w) => CHART_KINDS.has(w.kind));
}

/**
 * Which workload to chart: the one the learner picked in the chart's select (while the
 * selection stays what it was then), else the selected object if it is a workload, else the
 * first Deployment the learner made (kube-system's come last), else the first workload.
 */
export function chooseWorkload(options: readonly WorkloadModel[], selected: ObjectRef | null, picked: string | null): string | null {
  const keys = options.map(workloadKey);
  if (picked !== null && keys.includes(picked)) return picked;
  if (selected !== null && CHART_KINDS.has(selected.kind) && keys.includes(workloadKey(selected))) return workloadKey(selected);
  const deployments = options.filter((w) => w.kind === 'Deployment');
  const first = deployments.find((w) => w.namespace !== 'kube-system') ?? deployments[0] ?? options[0];
  return first === undefined ? null : workloadKey(first);
}

export interface ChartSize {
  readonly width: number;
  readonly height: number;
  /** Room for the axis labels. */
  readonly left: number;
  readonly bottom: number;
  readonly top: number;
  readonly right: number;
}

export interface ChartGeometry {
  /** SVG path data of the step lines; '' when there is nothing to draw. */
  readonly desired: string;
  readonly ready: string;
  readonly yMax: number;
  readonly yTicks: readonly { readonly y: number; readonly value: number }[];
  readonly xTicks: readonly { readonly x: number; readonly atMs: number }[];
  /** Virtual ms at the left and right edges. */
  readonly start: number;
  readonly end: number;
}

/** The chart shows this much virtual time, ending now. */
export const CHART_WINDOW_MS = 5 * 60_000;
/** A fresh cluster's chart still spans this much, so the first minute is not stretched. */
const MIN_SPAN_MS = 60_000;
/** Room an axis label needs ("12:30" and a gap), in px. */
const X_TICK_SPACING = 44;
const TICK_STEPS_MS = [10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000];

/**
 * Desired and ready replicas as step lines over [now − window, now]: each sample holds until
 * the next, and the last holds until now. A sample from before the window sets where the
 * lines enter it.
 */
export function chartGeometry(samples: readonly ReplicaSample[], now: number, size: ChartSize, windowMs = CHART_WINDOW_MS): ChartGeometry {
  const end = Math.max(now, MIN_SPAN_MS);
  const start = Math.max(0, end - windowMs);
  const shown = inWindow(samples, start, end);
  const yMax = Math.max(1, ...shown.map((s) => Math.max(s.desired, s.ready)));
  const plotW = Math.max(1, size.width - size.left - size.right);
  const plotH = Math.max(1, size.height - size.top - size.bottom);
  const x = (t: number) => round(size.left + ((t - start) / (end - start)) * plotW);
  const y = (v: number) => round(size.top + (1 - v / yMax) * plotH);
  return {
    desired: stepPath(shown, (s) => s.desired, x, y, end),
    ready: stepPath(shown, (s) => s.ready, x, y, end),
    yMax,
    yTicks: yTickValues(yMax).map((value) => ({ value, y: y(value) })),
    xTicks: xTickTimes(start, end, Math.max(2, Math.min(5, Math.floor(plotW / X_TICK_SPACING)))).map((atMs) => ({ atMs, x: x(atMs) })),
    start,
    end,
  };
}

/** The samples inside [start, end], led by the last one before start (moved to start). */
function inWindow(samples: readonly ReplicaSample[], start: number, end: number): ReplicaSample[] {
  const out: ReplicaSample[] = [];
  let before: ReplicaSample | undefined;
  for (const s of samples) {
    if (s.atMs < start) before = s;
    else if (s.atMs <= end) out.push(s);
  }
  if (before !== undefined && (out[0]?.atMs ?? Infinity) > start) out.unshift({ ...before, atMs: start });
  return out;
}

function stepPath(samples: readonly ReplicaSample[], value: (s: ReplicaSample) => number, x: (t: number) => number, y: (v: number) => number, end: number): string {
  const first = samples[0];
  if (first === undefined) return '';
  const parts = [`M${x(first.atMs)},${y(value(first))}`];
  for (let i = 1; i < samples.length; i++) {
    const s = samples[i] as ReplicaSample;
    parts.push(`H${x(s.atMs)}`, `V${y(value(s))}`);
  }
  parts.push(`H${x(end)}`);
  return parts.join('');
}

/** 0 and the top, plus the middle when it is a whole number of replicas worth a line. */
function yTickValues(yMax: number): number[] {
  return yMax >= 4 && yMax % 2 === 0 ? [0, yMax / 2, yMax] : [0, yMax];
}

/** Round times, at most `max` across the span. */
export function xTickTimes(start: number, end: number, max = 5): number[] {
  const span = end - start;
  const step = TICK_STEPS_MS.find((s) => span / s <= max) ?? Math.ceil(span / max / 3_600_000) * 3_600_000;
  const out: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) out.push(t);
  return out;
}

/** An axis label: "4:30", "1:02:00". */
export function formatAxisTime(ms: number): string {
  const total = Math.floor(ms / 1000);
  const s = String(total % 60).padStart(2, '0');
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
