import { describe, expect, it } from 'vitest';
import { buildTopology, DEFAULT_CLUSTER_SPEC, MAX_WORKERS, podNet, TopologyError, type ClusterSpec } from './topology';

const place = (spec: ClusterSpec) => buildTopology(spec).map((n) => `${n.name}@${n.zone}`);

describe('buildTopology', () => {
  it('builds the default cluster: 3 masters in zones a/a/b, 3 workers spread over both zones', () => {
    const nodes = buildTopology(DEFAULT_CLUSTER_SPEC);
    expect(nodes.map((n) => `${n.name}@${n.zone}:${n.role}`)).toEqual([
      'master-1@zone-a:control-plane',
      'master-2@zone-a:control-plane',
      'master-3@zone-b:control-plane',
      'worker-1@zone-a:worker',
      'worker-2@zone-b:worker',
      'worker-3@zone-a:worker',
    ]);
    expect(nodes.every((n) => n.maxPods === 110)).toBe(true);
    expect(nodes.map((n) => n.internalIP)).toEqual(['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.1.10', '10.0.1.11', '10.0.1.12']);
  });

  it('places worker i in zone (i − 1) mod the spread, and masters round-robin when no zones are given', () => {
    expect(
      place({ zones: ['z1', 'z2', 'z3'], masters: { count: 5 }, workers: { count: 4, spread: ['z3', 'z1'] } }),
    ).toEqual(['master-1@z1', 'master-2@z2', 'master-3@z3', 'master-4@z1', 'master-5@z2', 'worker-1@z3', 'worker-2@z1', 'worker-3@z3', 'worker-4@z1']);
  });

  it('gives every node of a large cluster its own address', () => {
    const nodes = buildTopology({ zones: ['a'], masters: { count: 7 }, workers: { count: 500 } });
    expect(new Set(nodes.map((n) => n.internalIP)).size).toBe(507);
    expect(nodes.at(-1)?.internalIP).toBe('10.0.5.19');
  });

  it('addresses the largest cluster: 5,000 workers, each with its own node IP and pod CIDR', () => {
    const nodes = buildTopology({ zones: ['a'], masters: { count: 3 }, workers: { count: MAX_WORKERS } });
    expect(new Set(nodes.map((n) => n.internalIP)).size).toBe(5_003);
    const nets = nodes.map((_, i) => podNet(i));
    expect(new Set(nets).size).toBe(5_003);
    expect(nets.every((n) => n.split('.').every((o) => Number(o) >= 0 && Number(o) <= 255))).toBe(true);
    expect([nets[0], nets[255], nets[256], nets[2_816]]).toEqual(['10.244.0', '10.244.255', '10.245.0', '172.16.0']);
    expect(() => buildTopology({ zones: ['a'], masters: { count: 3 }, workers: { count: MAX_WORKERS + 1 } })).toThrow(/cluster\.workers\.count: must be a whole number from 0 to 5000/);
  });

  it('names the field that is wrong', () => {
    const base = DEFAULT_CLUSTER_SPEC;
    expect(() => buildTopology({ ...base, masters: { count: 8 } })).toThrow(/cluster\.masters\.count: .*1 to 7, got 8/);
    expect(() => buildTopology({ ...base, masters: { count: 0 } })).toThrow(/cluster\.masters\.count/);
    expect(() => buildTopology({ ...base, masters: { count: 2, zones: ['zone-a'] } })).toThrow(/cluster\.masters\.zones: lists 1 zones for 2 masters/);
    expect(() => buildTopology({ ...base, masters: { count: 1, zones: ['zone-q'] } })).toThrow(/cluster\.masters\.zones\[0\]: zone "zone-q" is not in cluster\.zones/);
    expect(() => buildTopology({ ...base, workers: { count: 2, spread: ['zone-a', 'nowhere'] } })).toThrow(/cluster\.workers\.spread\[1\]/);
    expect(() => buildTopology({ ...base, zones: ['Zone_A'] })).toThrow(/cluster\.zones\[0\]: "Zone_A" is not a valid zone name/);
    expect(() => buildTopology({ ...base, zones: ['zone-a', 'zone-a'] })).toThrow(/must be unique/);
    const err = ((): unknown => {
      try {
        return buildTopology({ ...base, masters: { count: 1, zones: ['zone-q'] } });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(TopologyError);
    expect((err as TopologyError).path).toEqual(['cluster', 'masters', 'zones', 0]);
  });
});
