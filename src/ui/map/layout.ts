/**
 * Where everything sits on the cluster map, in map units (CSS px at zoom 1). Pure: the canvas,
 * the accessible layer over it and the hit-testing all read the same boxes.
 *
 * Zones are regions side by side (wrapping to rows when many); inside each, the masters sit
 * in an upper band and the workers below, the bands lined up across the zones of a row. Cards
 * have a fixed size, so nothing moves as pods come and go.
 */

export const CARD_W = 152;
export const WORKER_H = 124;
/** A master's card also carries its etcd member (Raft role, term, commit) and lease badges. */
export const MASTER_H = 142;
export const CARD_GAP = 10;
export const ZONE_PAD = 10;
/** Room for the zone's name above its first band. */
export const ZONE_HEAD = 24;
export const BAND_GAP = 12;
export const ZONE_GAP = 14;
export const MAP_MARGIN = 8;
/** Room above the first row of zones for the arcs between masters. */
export const LINK_BAND = 24;
/** A small cluster is not blown up past this when fitted. */
export const MAX_FIT_SCALE = 1.25;

export type Role = 'control-plane' | 'worker';

export interface LayoutNode {
  readonly name: string;
  readonly role: Role;
  readonly zone: string;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface CardBox extends Box {
  readonly name: string;
  readonly role: Role;
  readonly zone: string;
}

export interface ZoneBox extends Box {
  readonly name: string;
  readonly cards: readonly CardBox[];
}

export interface MapLayout {
  readonly width: number;
  readonly height: number;
  readonly zones: readonly ZoneBox[];
  /** Every card, zone by zone, masters before workers. */
  readonly cards: readonly CardBox[];
  readonly byName: ReadonlyMap<string, CardBox>;
}

interface ZoneNodes {
  readonly name: string;
  readonly masters: readonly LayoutNode[];
  readonly workers: readonly LayoutNode[];
}

/** Zones in the given order, then any zone only a node names; nodes keep their order. */
function groupByZone(zoneNames: readonly string[], nodes: readonly LayoutNode[]): ZoneNodes[] {
  const names = [...zoneNames];
  const seen = new Set(names);
  for (const n of nodes) {
    if (seen.has(n.zone)) continue;
    seen.add(n.zone);
    names.push(n.zone);
  }
  const masters = new Map<string, LayoutNode[]>(names.map((z) => [z, []]));
  const workers = new Map<string, LayoutNode[]>(names.map((z) => [z, []]));
  for (const n of nodes) (n.role === 'control-plane' ? masters : workers).get(n.zone)?.push(n);
  return names.map((name) => ({ name, masters: masters.get(name) ?? [], workers: workers.get(name) ?? [] }));
}

const span = (count: number, size: number): number => (count <= 0 ? 0 : count * size + (count - 1) * CARD_GAP);
const columnsOf = (z: ZoneNodes, maxColumns: number): number =>
  Math.max(1, Math.min(maxColumns, Math.max(z.masters.length, z.workers.length)));

interface Shape {
  readonly columns: number;
  readonly perRow: number;
}

/** Heights of the two bands of one row of zones (0 when no zone of the row has any). */
function bandHeights(row: readonly ZoneNodes[], maxColumns: number): { masters: number; workers: number } {
  let m = 0;
  let w = 0;
  for (const z of row) {
    const c = columnsOf(z, maxColumns);
    m = Math.max(m, Math.ceil(z.masters.length / c));
    w = Math.max(w, Math.ceil(z.workers.length / c));
  }
  return { masters: span(m, MASTER_H), workers: span(w, WORKER_H) };
}

function rowHeight(row: readonly ZoneNodes[], maxColumns: number): number {
  const b = bandHeights(row, maxColumns);
  const between = b.masters > 0 && b.workers > 0 ? BAND_GAP : 0;
  return ZONE_HEAD + Math.max(b.masters + between + b.workers, WORKER_H) + ZONE_PAD;
}

const zoneWidth = (z: ZoneNodes, maxColumns: number): number => 2 * ZONE_PAD + span(columnsOf(z, maxColumns), CARD_W);

function rowsOf(zones: readonly ZoneNodes[], perRow: number): ZoneNodes[][] {
  const rows: ZoneNodes[][] = [];
  for (let i = 0; i < zones.length; i += perRow) rows.push(zones.slice(i, i + perRow));
  return rows;
}

const hasLinks = (zones: readonly ZoneNodes[]): boolean => zones.reduce((n, z) => n + z.masters.length, 0) >= 2;

function sizeOf(zones: readonly ZoneNodes[], shape: Shape): { width: number; height: number } {
  const rows = rowsOf(zones, shape.perRow);
  let width = 0;
  let height = 0;
  for (const row of rows) {
    width = Math.max(width, row.reduce((sum, z) => sum + zoneWidth(z, shape.columns), 0) + (row.length - 1) * ZONE_GAP);
    height += rowHeight(row, shape.columns);
  }
  height += (rows.length - 1) * ZONE_GAP + (hasLinks(zones) ? LINK_BAND : 0);
  return { width: width + 2 * MAP_MARGIN, height: height + 2 * MAP_MARGIN };
}

/**
 * The column cap per zone and zones per row that let the map be drawn largest in a viewport
 * of this shape. Few candidates are worth trying: every column count up to the largest zone's
 * node count, every zones-per-row count.
 */
function bestShape(zones: readonly ZoneNodes[], viewport: { width: number; height: number }): Shape {
  const largest = Math.max(1, ...zones.map((z) => Math.max(z.masters.length, z.workers.length)));
  let best: Shape = { columns: 1, perRow: Math.max(1, zones.length) };
  let bestScale = -1;
  for (let perRow = Math.max(1, zones.length); perRow >= 1; perRow--) {
    for (let columns = 1; columns <= largest; columns++) {
      const s = sizeOf(zones, { columns, perRow });
      // Scales within 1% count as equal, so the first (fewer columns, zones in one row) wins ties.
      const scale = Math.min(viewport.width / s.width, viewport.height / s.height, MAX_FIT_SCALE);
      if (scale > bestScale * 1.01) {
        bestScale = scale;
        best = { columns, perRow };
      }
    }
  }
  return best;
}

function placeBand(nodes: readonly LayoutNode[], columns: number, x0: number, y0: number, h: number, out: CardBox[]): void {
  nodes.forEach((n, i) => {
    const col = i % columns;
    const row = Math.floor(i / columns);
    out.push({ name: n.name, role: n.role, zone: n.zone, x: x0 + col * (CARD_W + CARD_GAP), y: y0 + row * (h + CARD_GAP), w: CARD_W, h });
  });
}

/** Lays the cluster out for a viewport of this size (only its shape matters). */
export function layoutMap(zoneNames: readonly string[], nodes: readonly LayoutNode[], viewport: { width: number; height: number }): MapLayout {
  const zones = groupByZone(zoneNames, nodes);
  if (nodes.length === 0) return { width: 0, height: 0, zones: [], cards: [], byName: new Map() };
  const shape = bestShape(zones, viewport);
  const { width, height } = sizeOf(zones, shape);
  const placed: ZoneBox[] = [];
  let y = MAP_MARGIN + (hasLinks(zones) ? LINK_BAND : 0);
  for (const row of rowsOf(zones, shape.perRow)) {
    const bands = bandHeights(row, shape.columns);
    const h = rowHeight(row, shape.columns);
    const workersTop = y + ZONE_HEAD + (bands.masters > 0 ? bands.masters + BAND_GAP : 0);
    let x = MAP_MARGIN;
    for (const z of row) {
      const w = zoneWidth(z, shape.columns);
      const columns = columnsOf(z, shape.columns);
      const cards: CardBox[] = [];
      placeBand(z.masters, columns, x + ZONE_PAD, y + ZONE_HEAD, MASTER_H, cards);
      placeBand(z.workers, columns, x + ZONE_PAD, workersTop, WORKER_H, cards);
      placed.push({ name: z.name, x, y, w, h, cards });
      x += w + ZONE_GAP;
    }
    y += h + ZONE_GAP;
  }
  const cards = placed.flatMap((z) => z.cards);
  return { width, height, zones: placed, cards, byName: new Map(cards.map((c) => [c.name, c])) };
}

/** The zoom that shows the whole map in the viewport, centred. */
export function fitTransform(layout: { width: number; height: number }, viewport: { width: number; height: number }): { k: number; x: number; y: number } {
  if (layout.width <= 0 || layout.height <= 0 || viewport.width <= 0 || viewport.height <= 0) return { k: 1, x: 0, y: 0 };
  const k = Math.min(viewport.width / layout.width, viewport.height / layout.height, MAX_FIT_SCALE);
  return { k, x: (viewport.width - layout.width * k) / 2, y: (viewport.height - layout.height * k) / 2 };
}
