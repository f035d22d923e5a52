import type { NodeSnapshot } from '../../engine';

/** Geometry of the cluster map in SVG user units (px at scale 1). */
export const MAP_METRICS = {
  cardWidth: 212,
  cardHeight: 96,
  cardGap: 14,
  zonePad: 16,
  zoneHeader: 40,
  sectionLabel: 22,
  sectionGap: 16,
  zoneGap: 24,
  margin: 4,
  /** Cards per row inside a zone before the row wraps. */
  maxColumns: 4,
} as const;

/** Partition groups cycle through this many colours (CSS classes group-tone-0…3). */
export const GROUP_TONES = 4;

export type MapSectionKind = 'control-plane' | 'worker';

export interface PlacedNode {
  readonly node: NodeSnapshot;
  readonly x: number;
  readonly y: number;
  /** 0-based partition group, or null when the network is whole. */
  readonly group: number | null;
}

export interface MapSection {
  readonly kind: MapSectionKind;
  /** y of the section label's baseline. */
  readonly labelY: number;
  /** Where an empty section draws its placeholder (null when the section has nodes). */
  readonly emptySlot: { readonly x: number; readonly y: number; readonly width: number } | null;
}

export interface ZoneLayout {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly nodeCount: number;
  readonly readyCount: number;
  readonly sections: readonly MapSection[];
  readonly nodes: readonly PlacedNode[];
}

export interface ClusterMapLayout {
  readonly width: number;
  readonly height: number;
  readonly zones: readonly ZoneLayout[];
}

/**
 * Places zones left to right and, inside each zone, the control-plane nodes in
 * rows above the workers. Section rows line up across zones, so masters sit on
 * one band of the map and workers on another. Nodes keep the engine's order.
 */
export function layoutClusterMap(
  zoneNames: readonly string[],
  nodes: readonly NodeSnapshot[],
): ClusterMapLayout {
  const m = MAP_METRICS;
  // Zones named by nodes but missing from the zone list still get drawn, after the listed ones.
  const names = [...zoneNames];
  for (const n of nodes) if (!names.includes(n.zone)) names.push(n.zone);

  const byZone = names.map((name) => {
    const inZone = nodes.filter((n) => n.zone === name);
    const masters = inZone.filter((n) => n.role === 'control-plane');
    const workers = inZone.filter((n) => n.role === 'worker');
    const columns = Math.min(m.maxColumns, Math.max(1, masters.length, workers.length));
    return { name, inZone, masters, workers, columns };
  });

  const kinds: MapSectionKind[] = [];
  if (nodes.some((n) => n.role === 'control-plane')) kinds.push('control-plane');
  if (nodes.some((n) => n.role === 'worker')) kinds.push('worker');
  // Rows per section: the most any zone needs, so the bands align across zones.
  const rowsOf = (kind: MapSectionKind): number =>
    Math.max(
      1,
      ...byZone.map((z) => Math.ceil((kind === 'control-plane' ? z.masters : z.workers).length / z.columns)),
    );
  const sectionHeight = (rows: number): number => m.sectionLabel + rows * m.cardHeight + (rows - 1) * m.cardGap;
  const sectionTops: number[] = [];
  let cursor = m.zoneHeader;
  for (const kind of kinds) {
    sectionTops.push(cursor);
    cursor += sectionHeight(rowsOf(kind)) + m.sectionGap;
  }
  const zoneHeight = cursor - m.sectionGap + m.zonePad;

  const zones: ZoneLayout[] = [];
  let x = m.margin;
  for (const z of byZone) {
    const width = 2 * m.zonePad + z.columns * m.cardWidth + (z.columns - 1) * m.cardGap;
    const placed: PlacedNode[] = [];
    const sections: MapSection[] = kinds.map((kind, i) => {
      const top = m.margin + (sectionTops[i] ?? 0);
      const members = kind === 'control-plane' ? z.masters : z.workers;
      members.forEach((node, k) => {
        const col = k % z.columns;
        const row = Math.floor(k / z.columns);
        placed.push({
          node,
          x: x + m.zonePad + col * (m.cardWidth + m.cardGap),
          y: top + m.sectionLabel + row * (m.cardHeight + m.cardGap),
          group: node.partitionGroup,
        });
      });
      return {
        kind,
        labelY: top + 14,
        emptySlot: members.length === 0 ? { x: x + m.zonePad, y: top + m.sectionLabel, width: width - 2 * m.zonePad } : null,
      };
    });
    zones.push({
      name: z.name,
      x,
      y: m.margin,
      width,
      height: zoneHeight,
      nodeCount: z.inZone.length,
      readyCount: z.inZone.filter((n) => n.alive).length,
      sections,
      nodes: placed,
    });
    x += width + m.zoneGap;
  }
  const width = zones.length === 0 ? 0 : x - m.zoneGap + m.margin;
  return { width, height: zones.length === 0 ? 0 : zoneHeight + 2 * m.margin, zones };
}
