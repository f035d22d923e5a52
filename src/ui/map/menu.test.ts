import { describe, expect, it } from 'vitest';
import { commandLine } from '../commands';
import { nodeMenu, podMenu, type MenuItem } from './menu';
import { partitionGroups, partitionText } from './partition';

const lines = (items: MenuItem[]) => items.map((i) => ('action' in i.effect ? `${i.label}: ${commandLine(i.effect.action)}` : `${i.label}: inspect ${i.effect.inspect.kind}/${i.effect.inspect.name}`));

describe('menus', () => {
  it('offers a live node kill, stop kubelet, cordon, drain, isolate, each as the command the console shows', () => {
    expect(lines(nodeMenu({ name: 'worker-1', alive: true, kubeletRunning: true, unschedulable: false }))).toEqual([
      'Inspect: inspect Node/worker-1',
      'Kill: kill worker-1',
      'Stop kubelet: ssh worker-1 systemctl stop kubelet',
      'Cordon: kubectl cordon worker-1',
      'Drain: kubectl drain worker-1 --ignore-daemonsets --delete-emptydir-data --force',
      'Isolate: isolate worker-1',
    ]);
  });

  it('offers the way back: restart a killed host, start its kubelet, uncordon', () => {
    const items = nodeMenu({ name: 'worker-2', alive: false, kubeletRunning: false, unschedulable: true });
    expect(lines(items).slice(1, 4)).toEqual(['Restart: restart worker-2', 'Start kubelet: ssh worker-2 systemctl start kubelet', 'Uncordon: kubectl uncordon worker-2']);
    // A host that is off has no kubelet to start.
    expect(items.find((i) => i.label === 'Start kubelet')?.disabled).toBe(true);
  });

  it('offers inspect, delete and crash for a pod', () => {
    expect(lines(podMenu({ namespace: 'shop', name: 'web-1' }))).toEqual([
      'Inspect: inspect Pod/web-1',
      'Delete: kubectl delete pod web-1 -n shop --wait=false',
      'Crash container: crash pod -n shop web-1',
    ]);
  });
});

describe('partition popover', () => {
  it('turns the zones chosen per group into partition groups, empty groups dropped', () => {
    expect(partitionGroups(['a', 'b', 'c'], { a: 0, b: 2, c: 0 })).toEqual([['a', 'c'], ['b']]);
    expect(partitionGroups(['a', 'b'], { a: 1, b: 1 })).toEqual([['a', 'b']]);
  });

  it('says what is active, the unnamed rest included', () => {
    const node = (g: number | null) => ({ partitionGroup: g });
    expect(partitionText({ partition: null, nodes: [] })).toBe('');
    expect(partitionText({ partition: [['zone-a'], ['zone-b']], nodes: [node(0), node(1)] })).toBe('zone-a | zone-b');
    expect(partitionText({ partition: [['master-1']], nodes: [node(0), node(1)] })).toBe('master-1 | the rest');
  });
});
