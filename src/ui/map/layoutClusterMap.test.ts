import { describe, expect, it } from 'vitest';
import { Cluster, type ClusterSpec } from '../../engine';
import { layoutClusterMap, MAP_METRICS } from './layoutClusterMap';

function layoutOf(spec?: ClusterSpec, partition: string[][] | null = null) {
  const c = new Cluster({ seed: 1, ...(spec ? { spec } : {}) });
  if (partition) c.applyFault({ partition });
  const s = c.snapshot();
  return layoutClusterMap(s.zones, s.nodes);
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const inside = (inner: Box, outer: Box): boolean =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;

const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('layoutClusterMap', () => {
  it('puts each node in its zone, masters above workers, with no overlaps', () => {
    const layout = layoutOf();
    expect(layout.zones.map((z) => z.name)).toEqual(['zone-a', 'zone-b']);
    expect(layout.zones[0]?.nodes.map((p) => p.node.name)).toEqual(['master-1', 'master-2', 'worker-1', 'worker-3']);
    expect(layout.zones[1]?.nodes.map((p) => p.node.name)).toEqual(['master-3', 'worker-2']);
    const cards: Box[] = [];
    for (const zone of layout.zones) {
      expect(inside(zone, { x: 0, y: 0, width: layout.width, height: layout.height })).toBe(true);
      for (const p of zone.nodes) {
        const card = { x: p.x, y: p.y, width: MAP_METRICS.cardWidth, height: MAP_METRICS.cardHeight };
        expect(inside(card, zone)).toBe(true);
        for (const other of cards) expect(overlaps(card, other)).toBe(false);
        cards.push(card);
      }
      const lowestMaster = Math.max(...zone.nodes.filter((p) => p.node.role === 'control-plane').map((p) => p.y));
      const highestWorker = Math.min(...zone.nodes.filter((p) => p.node.role === 'worker').map((p) => p.y));
      expect(lowestMaster).toBeLessThan(highestWorker);
    }
  });

  it('lines the worker band up across zones and marks an empty section', () => {
    const layout = layoutOf({
      zones: ['a', 'b', 'c'],
      masters: { count: 1, zones: ['a'] },
      workers: { count: 9, spread: ['a', 'b', 'c'] },
    });
    const workerTops = layout.zones.map((z) => Math.min(...z.nodes.filter((p) => p.node.role === 'worker').map((p) => p.y)));
    expect(new Set(workerTops).size).toBe(1);
    const zoneB = layout.zones[1];
    expect(zoneB?.sections.find((s) => s.kind === 'control-plane')?.emptySlot).not.toBeNull();
  });

  it('wraps a zone with many workers into rows', () => {
    const layout = layoutOf({ zones: ['a'], masters: { count: 1 }, workers: { count: 10 } });
    const zone = layout.zones[0];
    const rows = new Set(zone?.nodes.filter((p) => p.node.role === 'worker').map((p) => p.y));
    expect(rows.size).toBe(Math.ceil(10 / MAP_METRICS.maxColumns));
  });

  it('colours each node by the partition group the engine puts it in, the unnamed rest forming one more group', () => {
    const layout = layoutOf(undefined, [['zone-a'], ['master-3']]);
    const groupOf = new Map(layout.zones.flatMap((z) => z.nodes.map((p) => [p.node.name, p.group])));
    expect(groupOf.get('worker-1')).toBe(0);
    expect(groupOf.get('master-3')).toBe(1);
    expect(groupOf.get('worker-2')).toBe(2);
    expect(layoutOf().zones[0]?.nodes[0]?.group).toBeNull();
  });
});
