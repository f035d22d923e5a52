import { describe, expect, it } from 'vitest';
import { buildTopology, DEFAULT_CLUSTER_SPEC, type ClusterSpec } from '../../engine/topology';
import { fitTransform, layoutMap, MASTER_H, WORKER_H, type Box, type MapLayout } from './layout';

const VIEWPORT = { width: 520, height: 400 };

function layoutOf(spec: ClusterSpec, viewport = VIEWPORT): MapLayout {
  return layoutMap(spec.zones, buildTopology(spec), viewport);
}

const inside = (a: Box, b: Box): boolean => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** No two cards overlap: cards sorted by x, each compared with the ones that start before it ends. */
function anyOverlap(cards: readonly Box[]): boolean {
  const sorted = [...cards].sort((a, b) => a.x - b.x);
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i] as Box;
    for (let j = i + 1; j < sorted.length && (sorted[j] as Box).x < a.x + a.w; j++) if (overlaps(a, sorted[j] as Box)) return true;
  }
  return false;
}

describe('layoutMap', () => {
  it('puts every node of the default cluster in its zone, masters above workers, nothing overlapping', () => {
    const layout = layoutOf(DEFAULT_CLUSTER_SPEC);
    expect(layout.zones.map((z) => z.name)).toEqual(['zone-a', 'zone-b']);
    expect(layout.zones[0]?.cards.map((c) => c.name)).toEqual(['master-1', 'master-2', 'worker-1', 'worker-3']);
    expect(layout.zones[1]?.cards.map((c) => c.name)).toEqual(['master-3', 'worker-2']);
    const map = { x: 0, y: 0, w: layout.width, h: layout.height };
    for (const z of layout.zones) {
      expect(inside(z, map)).toBe(true);
      for (const c of z.cards) {
        expect(c.zone).toBe(z.name);
        expect(inside(c, z)).toBe(true);
      }
      const lowestMaster = Math.max(...z.cards.filter((c) => c.role === 'control-plane').map((c) => c.y + c.h));
      const highestWorker = Math.min(...z.cards.filter((c) => c.role === 'worker').map((c) => c.y));
      expect(lowestMaster).toBeLessThan(highestWorker);
    }
    expect(anyOverlap(layout.cards)).toBe(false);
    expect(layout.cards.every((c) => c.h === (c.role === 'control-plane' ? MASTER_H : WORKER_H))).toBe(true);
  });

  it('fits the default cluster in the map panel at about full size, so 11–12 px labels stay readable', () => {
    const layout = layoutOf(DEFAULT_CLUSTER_SPEC);
    expect(fitTransform(layout, VIEWPORT).k).toBeGreaterThan(0.9);
  });

  it('lines the worker band up across the zones of a row', () => {
    const layout = layoutOf({ zones: ['a', 'b', 'c'], masters: { count: 1, zones: ['a'] }, workers: { count: 9, spread: ['a', 'b', 'c'] } });
    const tops = layout.zones.map((z) => Math.min(...z.cards.filter((c) => c.role === 'worker').map((c) => c.y)));
    expect(new Set(tops).size).toBe(1);
  });

  it('wraps many zones into rows when the viewport is narrow', () => {
    const zones = ['a', 'b', 'c', 'd', 'e', 'f'];
    const layout = layoutOf({ zones, masters: { count: 3 }, workers: { count: 12 } }, { width: 400, height: 600 });
    expect(new Set(layout.zones.map((z) => z.y)).size).toBeGreaterThan(1);
    expect(anyOverlap(layout.zones)).toBe(false);
    expect(anyOverlap(layout.cards)).toBe(false);
  });

  it('shapes the map to the viewport: a wide one gets more columns than a tall one', () => {
    const spec: ClusterSpec = { zones: ['a'], masters: { count: 1 }, workers: { count: 12 } };
    const wide = layoutOf(spec, { width: 1200, height: 300 });
    const tall = layoutOf(spec, { width: 300, height: 1200 });
    expect(wide.width / wide.height).toBeGreaterThan(tall.width / tall.height);
  });

  it('lays out 1,000 nodes, every card inside its zone, none overlapping', () => {
    const spec: ClusterSpec = { zones: ['zone-a', 'zone-b', 'zone-c'], masters: { count: 3 }, workers: { count: 1000 } };
    const nodes = buildTopology(spec);
    const layout = layoutMap(spec.zones, nodes, VIEWPORT);
    expect(layout.cards).toHaveLength(1003);
    for (const z of layout.zones) for (const c of z.cards) expect(inside(c, z)).toBe(true);
    expect(anyOverlap(layout.cards)).toBe(false);
    // Shaped for the panel: neither a strip nor a tower.
    expect(layout.width / layout.height).toBeGreaterThan(0.6);
    expect(layout.width / layout.height).toBeLessThan(2.5);
  });

  it('draws a zone only nodes name, and nothing for no nodes', () => {
    const layout = layoutMap(['a'], [{ name: 'w', role: 'worker', zone: 'b' }], VIEWPORT);
    expect(layout.zones.map((z) => z.name)).toEqual(['a', 'b']);
    expect(layoutMap(['a'], [], VIEWPORT).cards).toHaveLength(0);
  });
});

describe('fitTransform', () => {
  it('centres the map and never blows a small one up past 1.25×', () => {
    const f = fitTransform({ width: 100, height: 50 }, { width: 500, height: 400 });
    expect(f.k).toBe(1.25);
    expect(f.x).toBeCloseTo((500 - 125) / 2);
    expect(f.y).toBeCloseTo((400 - 62.5) / 2);
    const g = fitTransform({ width: 1000, height: 400 }, { width: 500, height: 400 });
    expect(g.k).toBe(0.5);
    expect(g.x).toBe(0);
  });
});
