import { describe, expect, it } from 'vitest';
import type { PodModel } from '../protocol';
import { hitTest } from './hitTest';
import { layoutMap } from './layout';
import { chipBox, createPodView, podArea } from './pods';

function pod(name: string, node: string, owner = 'Deployment/web'): PodModel {
  return { namespace: 'default', name, uid: name, nodeName: node, phase: 'Running', status: 'Running', ready: true, readyText: '1/1', restarts: 0, owner, deleting: false };
}

const layout = layoutMap(
  ['a', 'b'],
  [
    { name: 'master-1', role: 'control-plane', zone: 'a' },
    { name: 'worker-1', role: 'worker', zone: 'a' },
    { name: 'worker-2', role: 'worker', zone: 'b' },
  ],
  { width: 520, height: 400 },
);
const view = createPodView([pod('web-1', 'worker-1'), pod('web-2', 'worker-1'), pod('db-1', 'worker-1', 'StatefulSet/db'), pod('web-3', 'worker-2')]);
const slotsOf = view.slotsOf.bind(view);
const card = (name: string) => {
  const c = layout.byName.get(name);
  if (c === undefined) throw new Error(name);
  return c;
};
const centre = (b: { x: number; y: number; w: number; h: number }) => [b.x + b.w / 2, b.y + b.h / 2] as const;

describe('hitTest', () => {
  it('finds the pod whose chip is under the point', () => {
    const w1 = card('worker-1');
    const slots = slotsOf(w1).slots;
    slots.forEach((p, i) => {
      if (p === null) return;
      const [x, y] = centre(chipBox(w1, podArea('worker'), i));
      expect(hitTest(layout, slotsOf, x, y)).toEqual({ kind: 'pod', node: 'worker-1', pod: p });
    });
  });

  it('counts the gap between chips as the chip, so the pointer does not flicker', () => {
    const w2 = card('worker-2');
    const chip = chipBox(w2, podArea('worker'), 0);
    const hit = hitTest(layout, slotsOf, chip.x + chip.w + 1, chip.y + chip.h + 1);
    expect(hit?.kind === 'pod' ? hit.pod.name : null).toBe('web-3');
  });

  it('gives the node for the rest of its card, an empty cell or the gap between owners', () => {
    const w1 = card('worker-1');
    expect(hitTest(layout, slotsOf, w1.x + 20, w1.y + 10)).toEqual({ kind: 'node', node: 'worker-1' });
    const gap = slotsOf(w1).slots.indexOf(null);
    const [x, y] = centre(chipBox(w1, podArea('worker'), gap));
    expect(hitTest(layout, slotsOf, x, y)).toEqual({ kind: 'node', node: 'worker-1' });
    const m = card('master-1');
    expect(hitTest(layout, slotsOf, ...centre(m))).toEqual({ kind: 'node', node: 'master-1' });
  });

  it('finds nothing between cards or outside the map', () => {
    const w1 = card('worker-1');
    expect(hitTest(layout, slotsOf, w1.x - 2, w1.y + 5)).toBeNull();
    expect(hitTest(layout, slotsOf, -50, -50)).toBeNull();
    expect(hitTest(layout, slotsOf, layout.width + 10, 10)).toBeNull();
  });
});
