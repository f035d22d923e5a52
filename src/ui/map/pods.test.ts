import { describe, expect, it } from 'vitest';
import type { PodModel } from '../protocol';
import { arrangePods, chipBox, createPodView, groupPodsByNode, podArea, podPaint, type PodArea } from './pods';

let n = 0;
function pod(over: Partial<PodModel> = {}): PodModel {
  n++;
  return { namespace: 'default', name: `p-${n}`, uid: `u${n}`, nodeName: 'worker-1', phase: 'Running', status: 'Running', ready: true, readyText: '1/1', restarts: 0, owner: 'Deployment/web', deleting: false, ...over };
}

const AREA: PodArea = { x: 0, y: 0, cols: 4, rows: 3 };

describe('pods on a card', () => {
  it('keeps pods of one owner adjacent, a gap between owners, bare pods last', () => {
    const pods = [pod({ owner: 'Deployment/web' }), pod({ owner: '' }), pod({ owner: 'StatefulSet/db' }), pod({ owner: 'Deployment/web' }), pod({ owner: 'StatefulSet/db' })];
    const { slots, overflow } = arrangePods(pods, AREA);
    expect(overflow).toBe(0);
    expect(slots.map((p) => (p === null ? '.' : p.owner === '' ? 'bare' : p.owner.split('/')[1]))).toEqual(['web', 'web', '.', 'db', 'db', '.', 'bare', '.', '.', '.', '.', '.']);
  });

  it('starts an owner at a row start without a gap', () => {
    const pods = [...Array.from({ length: 4 }, () => pod({ owner: 'A/a' })), pod({ owner: 'B/b' })];
    const { slots } = arrangePods(pods, AREA);
    expect(slots[4]?.owner).toBe('B/b');
  });

  it('counts what does not fit, leaving the last cell for "+N"', () => {
    const pods = Array.from({ length: 20 }, () => pod());
    const { slots, overflow } = arrangePods(pods, AREA);
    expect(slots[11]).toBeNull();
    expect(slots.filter((p) => p !== null)).toHaveLength(11);
    expect(overflow).toBe(9);
  });

  it('groups by node, unscheduled pods apart', () => {
    const g = groupPodsByNode([pod({ nodeName: 'a' }), pod({ nodeName: '' }), pod({ nodeName: 'b' }), pod({ nodeName: 'a' })]);
    // A pod bound to a node the cluster does not have (spec.nodeName written by hand) waits in the tray too.
    const ghost = groupPodsByNode([pod({ nodeName: 'a' }), pod({ nodeName: 'worker-9' })], new Set(['a']));
    expect(ghost.unscheduled.map((p) => p.nodeName)).toEqual(['worker-9']);
    expect(g.byNode.get('a')).toHaveLength(2);
    expect(g.byNode.get('b')).toHaveLength(1);
    expect(g.unscheduled).toHaveLength(1);
  });

  it('finds pods and counts their states per node', () => {
    const a = pod({ nodeName: 'n', name: 'x' });
    const view = createPodView([a, pod({ nodeName: 'n', status: 'CrashLoopBackOff', ready: false }), pod({ nodeName: 'n', ready: false })]);
    expect(view.find('default', 'x')).toBe(a);
    expect(view.find('kube-system', 'x')).toBeUndefined();
    expect(Object.fromEntries(view.countsOf('n'))).toEqual({ ready: 1, down: 1, notReady: 1 });
    expect(view.slotsOf({ name: 'n', role: 'worker' }).slots.filter((p) => p !== null)).toHaveLength(3);
  });

  it('places chips on a fixed grid inside the card', () => {
    const area = podArea('worker');
    const first = chipBox({ x: 100, y: 50 }, area, 0);
    const next = chipBox({ x: 100, y: 50 }, area, area.cols);
    expect(first.x).toBe(100 + area.x);
    expect(next.y - first.y).toBeGreaterThan(first.h);
  });
});

describe('podPaint', () => {
  const cases: [Partial<PodModel>, string, boolean, boolean][] = [
    [{ phase: 'Running', status: 'Running', ready: true }, 'ready', true, false],
    [{ phase: 'Running', status: 'Running', ready: false }, 'ready', false, false],
    [{ phase: 'Pending', status: 'ContainerCreating', ready: false }, 'pending', true, false],
    [{ phase: 'Pending', status: 'Pending', ready: false }, 'pending', true, false],
    [{ phase: 'Pending', status: 'Init:0/1', ready: false }, 'pending', true, false],
    [{ phase: 'Running', status: 'CrashLoopBackOff', ready: false }, 'down', true, false],
    [{ phase: 'Pending', status: 'ImagePullBackOff', ready: false }, 'down', true, false],
    [{ phase: 'Failed', status: 'Error', ready: false }, 'down', true, false],
    [{ phase: 'Succeeded', status: 'Completed', ready: false }, 'succeeded', true, false],
    [{ phase: 'Running', status: 'Terminating', ready: true, deleting: true }, 'ready', true, true],
    [{ phase: 'Unknown', status: 'Unknown', ready: false }, 'unknown', true, false],
  ];
  it.each(cases)('%o → %s', (over, tone, filled, faded) => {
    expect(podPaint(pod(over))).toEqual({ tone, filled, faded });
  });
});
