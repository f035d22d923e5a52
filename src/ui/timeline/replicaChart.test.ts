import { describe, expect, it } from 'vitest';
import type { WorkloadModel } from '../protocol';
import { chartGeometry, chartWorkloads, chooseWorkload, formatAxisTime, xTickTimes } from './replicaChart';

function workload(kind: WorkloadModel['kind'], name: string, namespace = 'default'): WorkloadModel {
  return { kind, namespace, name, desired: 3, current: 3, ready: 3, updated: 3, available: 3, converging: false };
}

const size = { width: 310, height: 110, left: 10, right: 0, top: 10, bottom: 0 };

describe('chooseWorkload', () => {
  const options = chartWorkloads([
    workload('Deployment', 'coredns', 'kube-system'),
    workload('Job', 'backup'),
    workload('ReplicaSet', 'web-5d8f'),
    workload('Deployment', 'web'),
  ]);

  it('leaves Jobs out', () => {
    expect(options.map((w) => w.kind)).toEqual(['Deployment', 'ReplicaSet', 'Deployment']);
  });

  it('prefers the pick, then the selection, then the learner’s first Deployment', () => {
    expect(chooseWorkload(options, null, null)).toBe('Deployment/default/web');
    expect(chooseWorkload(options, { kind: 'ReplicaSet', namespace: 'default', name: 'web-5d8f' }, null)).toBe('ReplicaSet/default/web-5d8f');
    expect(chooseWorkload(options, { kind: 'Pod', namespace: 'default', name: 'web-1' }, null)).toBe('Deployment/default/web');
    expect(chooseWorkload(options, null, 'Deployment/kube-system/coredns')).toBe('Deployment/kube-system/coredns');
    expect(chooseWorkload(options, null, 'Deployment/default/gone')).toBe('Deployment/default/web');
    expect(chooseWorkload([], null, null)).toBeNull();
  });
});

describe('chartGeometry', () => {
  it('draws step lines that hold each value until the next sample, and the last until now', () => {
    const g = chartGeometry(
      [
        { atMs: 0, desired: 3, ready: 0 },
        { atMs: 30_000, desired: 3, ready: 2 },
      ],
      60_000,
      size,
    );
    expect(g.start).toBe(0);
    expect(g.end).toBe(60_000);
    expect(g.yMax).toBe(3);
    expect(g.desired).toBe('M10,10H160V10H310');
    expect(g.ready).toBe('M10,110H160V43.3H310');
  });

  it('enters the window at the value of the last sample before it', () => {
    const g = chartGeometry(
      [
        { atMs: 0, desired: 2, ready: 2 },
        { atMs: 400_000, desired: 4, ready: 2 },
      ],
      600_000,
      size,
      300_000,
    );
    expect(g.start).toBe(300_000);
    expect(g.desired).toBe('M10,60H110V10H310');
    expect(g.yTicks.map((t) => t.value)).toEqual([0, 2, 4]);
  });

  it('draws nothing without samples, on a scale of at least one replica', () => {
    const g = chartGeometry([], 5_000, size);
    expect(g.desired).toBe('');
    expect(g.yMax).toBe(1);
    expect(g.end).toBe(60_000);
  });
});

describe('axis', () => {
  it('puts at most five round times across the span', () => {
    expect(xTickTimes(0, 60_000)).toEqual([0, 15_000, 30_000, 45_000, 60_000]);
    expect(xTickTimes(65_000, 365_000)).toEqual([120_000, 180_000, 240_000, 300_000, 360_000]);
    expect(xTickTimes(65_000, 365_000, 3)).toEqual([120_000, 240_000, 360_000]);
  });

  it('labels times as a clock without the milliseconds', () => {
    expect(formatAxisTime(90_000)).toBe('1:30');
    expect(formatAxisTime(3_720_000)).toBe('1:02:00');
  });
});
