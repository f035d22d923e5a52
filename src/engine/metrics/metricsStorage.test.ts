import { describe, expect, it } from 'vitest';
import { EMPTY_STORE, formatBinaryBytes, formatNanoCores, goDuration, nodeUsage, podUsage, storeBatch } from './metricsStorage';

const point = (timestamp: number, cpuUsageNs: number, startTime = 0, memoryWorkingSetBytes = 4 * 2 ** 20) => ({ startTime, timestamp, cpuUsageNs, memoryWorkingSetBytes });

describe('metrics-server storage', () => {
  it('needs two samples of a node, and rates CPU over the window between them', () => {
    let s = storeBatch(EMPTY_STORE, { nodes: new Map([['w', point(15_000, 1e9)]]), pods: [] }, 15_000);
    expect(nodeUsage(s, 'w')).toBeUndefined();
    s = storeBatch(s, { nodes: new Map([['w', point(30_000, 4e9)]]), pods: [] }, 15_000);
    // 3 s of CPU over 15 s: 200m.
    expect(nodeUsage(s, 'w')).toEqual({ cpuNano: 200_000_000, memoryBytes: 4 * 2 ** 20, timestamp: 30_000, windowMs: 15_000 });
    // A node missing from a cycle loses its metrics.
    s = storeBatch(s, { nodes: new Map(), pods: [] }, 15_000);
    expect(nodeUsage(s, 'w')).toBeUndefined();
  });

  it('uses a container start as its first sample only between 10 s and one resolution of age', () => {
    const pod = (ts: number, start: number, cpu: number) => [{ namespace: 'default', name: 'p', containers: [{ name: 'c', ...point(ts, cpu, start) }] }];
    const young = storeBatch(EMPTY_STORE, { nodes: new Map(), pods: pod(20_000, 15_000, 5e8) }, 15_000);
    expect(podUsage(young, 'default', 'p')).toBeUndefined();
    const fresh = storeBatch(EMPTY_STORE, { nodes: new Map(), pods: pod(20_000, 8_000, 6e9) }, 15_000);
    expect(podUsage(fresh, 'default', 'p')).toMatchObject({ windowMs: 12_000, containers: [{ name: 'c', usage: { cpuNano: 500_000_000 } }] });
  });

  it('drops a container whose counter went backwards (restarted between samples)', () => {
    const pod = (ts: number, start: number, cpu: number) => [{ namespace: 'default', name: 'p', containers: [{ name: 'c', ...point(ts, cpu, start) }] }];
    let s = storeBatch(EMPTY_STORE, { nodes: new Map(), pods: pod(100_000, 0, 9e9) }, 15_000);
    s = storeBatch(s, { nodes: new Map(), pods: pod(115_000, 0, 9.5e9) }, 15_000);
    expect(podUsage(s, 'default', 'p')?.containers[0]?.usage.cpuNano).toBe(33_333_333);
    // Restarted at 112 s: only 3 s old, no earlier sample to pair with.
    s = storeBatch(s, { nodes: new Map(), pods: pod(130_000, 112_000, 1e8) }, 15_000);
    expect(podUsage(s, 'default', 'p')).toBeUndefined();
  });

  it('writes quantities and windows as the Metrics API does', () => {
    expect(formatNanoCores(123_456_789)).toBe('123456789n');
    expect(formatNanoCores(5_000_000)).toBe('5m');
    expect(formatNanoCores(2_000_000_000)).toBe('2');
    expect(formatNanoCores(0)).toBe('0');
    expect(formatBinaryBytes(12_345 * 1024)).toBe('12345Ki');
    expect(formatBinaryBytes(4 * 2 ** 20)).toBe('4Mi');
    expect(formatBinaryBytes(1000)).toBe('1000');
    expect(goDuration(20_050)).toBe('20.05s');
    expect(goDuration(15_000)).toBe('15s');
    expect(goDuration(185_123)).toBe('3m5.123s');
  });
});
