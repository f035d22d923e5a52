import type { PodModel } from '../protocol';
import { CARD_W, MASTER_H, type Role } from './layout';

/** A pod chip's side and the grid pitch, in map units. */
export const CHIP = 9;
export const CHIP_PITCH = 12;
const AREA_PAD = 10;
const COLUMNS = Math.floor((CARD_W - 2 * AREA_PAD + (CHIP_PITCH - CHIP)) / CHIP_PITCH);

export interface PodArea {
  /** Top-left of the first chip, relative to the card. */
  readonly x: number;
  readonly y: number;
  readonly cols: number;
  readonly rows: number;
}

/** Workers give pods the lower half of the card; a master, under its etcd rows, one row. */
export function podArea(role: Role): PodArea {
  return role === 'worker' ? { x: AREA_PAD, y: 62, cols: COLUMNS, rows: 5 } : { x: AREA_PAD, y: MASTER_H - 16, cols: COLUMNS, rows: 1 };
}

/** Bare pods after owned ones; then by owner, then name, so a workload's pods sit together. */
function byOwnerThenName(a: PodModel, b: PodModel): number {
  if (a.owner !== b.owner) {
    if (a.owner === '') return 1;
    if (b.owner === '') return -1;
    return a.owner < b.owner ? -1 : 1;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export interface PodsByNode {
  /** Each node's pods, in the model's order. */
  readonly byNode: ReadonlyMap<string, readonly PodModel[]>;
  /** Pods no node was chosen for yet (spec.nodeName is empty), or bound to a node that has no card. */
  readonly unscheduled: readonly PodModel[];
}

/** `nodes`: the names that have a card; a pod bound to any other name waits in the tray with the unscheduled. */
export function groupPodsByNode(pods: readonly PodModel[], nodes?: ReadonlySet<string>): PodsByNode {
  const byNode = new Map<string, PodModel[]>();
  const unscheduled: PodModel[] = [];
  for (const p of pods) {
    if (p.nodeName === '' || (nodes !== undefined && !nodes.has(p.nodeName))) {
      unscheduled.push(p);
      continue;
    }
    let list = byNode.get(p.nodeName);
    if (list === undefined) byNode.set(p.nodeName, (list = []));
    list.push(p);
  }
  unscheduled.sort(byOwnerThenName);
  return { byNode, unscheduled };
}

export interface PodSlots {
  /** One entry per grid cell, row by row: the pod drawn there, or null (empty, or a gap between owners). */
  readonly slots: readonly (PodModel | null)[];
  /** Pods that did not fit; the last cell shows "+N". */
  readonly overflow: number;
}

/**
 * Puts a node's pods into its grid, sorted by owner. A workload's run of pods starts after
 * one empty cell unless it starts a row, so neighbouring workloads read as separate groups.
 */
export function arrangePods(unsorted: readonly PodModel[], area: PodArea): PodSlots {
  const pods = [...unsorted].sort(byOwnerThenName);
  const cap = area.cols * area.rows;
  const slots: (PodModel | null)[] = new Array<PodModel | null>(cap).fill(null);
  let cell = 0;
  let placed = 0;
  let previous: string | undefined;
  for (const p of pods) {
    if (previous !== undefined && p.owner !== previous && cell % area.cols !== 0) cell++;
    previous = p.owner;
    if (cell >= cap) break;
    slots[cell++] = p;
    placed++;
  }
  if (placed < pods.length && slots[cap - 1] !== null) {
    slots[cap - 1] = null;
    placed--;
  }
  return { slots, overflow: pods.length - placed };
}

/** The pods of one model: grouped by node, each node's grid arranged on first use (a large cluster draws few of them). */
export interface PodView {
  readonly grouped: PodsByNode;
  slotsOf(card: { readonly name: string; readonly role: Role }): PodSlots;
  /** How many of a node's pods are in each state, as the zoomed-out map draws them. */
  countsOf(node: string): ReadonlyMap<BarTone, number>;
  find(namespace: string, name: string): PodModel | undefined;
}

/** A pod's state for the zoomed-out bars: its tone, with Running-but-not-Ready apart. */
export type BarTone = PodTone | 'notReady';
export const BAR_TONES: readonly BarTone[] = ['ready', 'notReady', 'pending', 'down', 'succeeded', 'unknown'];

function countTones(pods: readonly PodModel[]): Map<BarTone, number> {
  const counts = new Map<BarTone, number>();
  for (const p of pods) {
    const paint = podPaint(p);
    const tone: BarTone = paint.tone === 'ready' && !paint.filled ? 'notReady' : paint.tone;
    counts.set(tone, (counts.get(tone) ?? 0) + 1);
  }
  return counts;
}

export function createPodView(pods: readonly PodModel[], nodes?: ReadonlySet<string>): PodView {
  const grouped = groupPodsByNode(pods, nodes);
  const slots = new Map<string, PodSlots>();
  const counts = new Map<string, Map<BarTone, number>>();
  let index: Map<string, PodModel> | undefined;
  return {
    grouped,
    countsOf(node) {
      let c = counts.get(node);
      if (c === undefined) counts.set(node, (c = countTones(grouped.byNode.get(node) ?? [])));
      return c;
    },
    slotsOf(card) {
      let s = slots.get(card.name);
      if (s === undefined) slots.set(card.name, (s = arrangePods(grouped.byNode.get(card.name) ?? [], podArea(card.role))));
      return s;
    },
    find(namespace, name) {
      index ??= new Map(pods.map((p) => [`${p.namespace}/${p.name}`, p]));
      return index.get(`${namespace}/${name}`);
    },
  };
}

/** Where cell `index` of a card's pod grid is, in map units. */
export function chipBox(card: { x: number; y: number }, area: PodArea, index: number): { x: number; y: number; w: number; h: number } {
  const col = index % area.cols;
  const row = Math.floor(index / area.cols);
  return { x: card.x + area.x + col * CHIP_PITCH, y: card.y + area.y + row * CHIP_PITCH, w: CHIP, h: CHIP };
}

export type PodTone = 'ready' | 'pending' | 'down' | 'succeeded' | 'unknown';

export interface PodPaint {
  readonly tone: PodTone;
  /** Running but not Ready pods are drawn as an outline. */
  readonly filled: boolean;
  /** Terminating: drawn faded. */
  readonly faded: boolean;
}

/** kubectl STATUS values that mean a container is failing, whatever the phase says. */
const FAILING = /BackOff|Err|Error|OOMKilled|Evicted|Failed|ContainerStatusUnknown|DeadlineExceeded/;

const RUNNING_READY: PodPaint = { tone: 'ready', filled: true, faded: false };
const RUNNING_NOT_READY: PodPaint = { tone: 'ready', filled: false, faded: false };

/** How a pod is drawn: by kubectl's STATUS, its phase and its Ready condition. */
export function podPaint(p: Pick<PodModel, 'phase' | 'status' | 'ready' | 'deleting'>): PodPaint {
  // Most pods of a large cluster: no allocation, no regular expression.
  if (p.status === 'Running' && !p.deleting) return p.ready ? RUNNING_READY : RUNNING_NOT_READY;
  const faded = p.deleting || p.status === 'Terminating';
  if (FAILING.test(p.status) || p.phase === 'Failed') return { tone: 'down', filled: true, faded };
  if (p.phase === 'Succeeded' || p.status === 'Completed') return { tone: 'succeeded', filled: true, faded };
  if (p.phase === 'Running') return { tone: 'ready', filled: p.ready, faded };
  if (p.phase === 'Pending') return { tone: 'pending', filled: true, faded };
  return { tone: 'unknown', filled: true, faded };
}

/** Four owner stripe colours; the same workload gets the same one on every node. */
export const OWNER_TONES = 4;

export function ownerTone(owner: string): number {
  let h = 0;
  for (let i = 0; i < owner.length; i++) h = (h * 31 + owner.charCodeAt(i)) | 0;
  return Math.abs(h) % OWNER_TONES;
}

/** What a pod's button and tooltip say: "web-5d8f-x2k4q, Running, 1/1 ready, Deployment/web". */
export function podLabel(p: PodModel): string {
  const owner = p.owner === '' ? '' : `, ${p.owner}`;
  const restarts = p.restarts > 0 ? `, ${p.restarts} restart${p.restarts === 1 ? '' : 's'}` : '';
  return `${p.name}, ${p.status}, ${p.readyText} ready${restarts}${owner}`;
}
