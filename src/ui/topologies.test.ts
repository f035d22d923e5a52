import { describe, expect, it } from 'vitest';
import { buildTopology, DEFAULT_CLUSTER_SPEC } from '../engine';
import { customSpec, DEFAULT_TOPOLOGY, TOPOLOGY_PRESETS } from './topologies';

const zonesOf = (spec: Parameters<typeof buildTopology>[0], role: 'control-plane' | 'worker'): string[] =>
  buildTopology(spec)
    .filter((n) => n.role === role)
    .map((n) => n.zone);

describe('topology presets', () => {
  it('start with the default cluster the engine uses: 3 masters in zones a, a, b and 3 workers', () => {
    expect(TOPOLOGY_PRESETS[0]?.spec).toEqual(DEFAULT_CLUSTER_SPEC);
    expect(DEFAULT_TOPOLOGY).toBe(TOPOLOGY_PRESETS[0]?.spec);
    expect(zonesOf(DEFAULT_TOPOLOGY, 'control-plane')).toEqual(['zone-a', 'zone-a', 'zone-b']);
  });

  it('build the shapes they name', () => {
    const byId = new Map(TOPOLOGY_PRESETS.map((p) => [p.id, p.spec]));
    expect(zonesOf(byId.get('single')!, 'control-plane')).toEqual(['zone-a']);
    expect(zonesOf(byId.get('three-zones')!, 'control-plane')).toEqual(['zone-a', 'zone-b', 'zone-c']);
    expect(zonesOf(byId.get('five-two')!, 'control-plane')).toEqual(['zone-a', 'zone-a', 'zone-a', 'zone-b', 'zone-b']);
  });

  it('custom counts deal masters and workers over the zones in turn', () => {
    const spec = customSpec(7, 5, 3);
    expect(zonesOf(spec, 'control-plane')).toEqual(['zone-a', 'zone-b', 'zone-c', 'zone-a', 'zone-b', 'zone-c', 'zone-a']);
    expect(zonesOf(spec, 'worker')).toEqual(['zone-a', 'zone-b', 'zone-c', 'zone-a', 'zone-b']);
    expect(buildTopology(customSpec(1, 0, 1))).toHaveLength(1);
  });
});
