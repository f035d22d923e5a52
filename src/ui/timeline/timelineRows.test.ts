import { describe, expect, it } from 'vitest';
import type { EventRecord, LoggedAction } from '../protocol';
import { actionRow, formatCompact, kubectlObject, objectString, parseObjectRef, timelineRows, visibleRange } from './timelineRows';

function ev(id: string, atMs: number, object: string, reason: string, type: 'Normal' | 'Warning' = 'Normal'): EventRecord {
  return { id, atMs, type, reason, object, message: `${reason} happened`, count: 1, source: 'test' };
}

const events = [
  ev('e1', 1_000, 'Deployment/default/web', 'ScalingReplicaSet'),
  ev('e2', 2_000, 'Pod/default/web-1', 'Scheduled'),
  ev('e3', 5_000, 'Node/worker-2', 'NodeNotReady', 'Warning'),
  ev('e4', 6_000, 'Pod/default/web-1', 'Killing'),
];

const log: LoggedAction[] = [
  { atMs: 1_000, action: { type: 'kubectl', command: 'apply -f web.yaml' } },
  { atMs: 1_500, action: { type: 'play' } },
  { atMs: 4_000, action: { type: 'fault', fault: { kill: 'worker-2' } } },
  { atMs: 9_000, action: { type: 'etcdctl', command: 'member list' } },
];

describe('object references', () => {
  it('reads namespaced and cluster-scoped objects', () => {
    expect(parseObjectRef('Pod/default/web-1')).toEqual({ kind: 'Pod', namespace: 'default', name: 'web-1' });
    expect(parseObjectRef('Node/worker-2')).toEqual({ kind: 'Node', namespace: '', name: 'worker-2' });
    expect(parseObjectRef('web')).toBeNull();
    expect(parseObjectRef('Pod//web')).toBeNull();
  });

  it('writes them back as the events name them', () => {
    expect(objectString({ kind: 'Node', namespace: '', name: 'worker-2' })).toBe('Node/worker-2');
    expect(objectString({ kind: 'Pod', namespace: 'default', name: 'web-1' })).toBe('Pod/default/web-1');
  });

  it('shows them as kubectl get events does', () => {
    expect(kubectlObject('Pod/default/web-1')).toBe('pod/web-1');
    expect(kubectlObject('Node/worker-2')).toBe('node/worker-2');
  });
});

describe('actionRow', () => {
  it('writes commands with $ and faults with !, and leaves playback out', () => {
    expect(actionRow(log[0] as LoggedAction, 0)).toMatchObject({ sigil: '$', text: 'kubectl apply -f web.yaml' });
    expect(actionRow(log[2] as LoggedAction, 2)).toMatchObject({ sigil: '!', text: 'kill worker-2' });
    expect(actionRow(log[1] as LoggedAction, 1)).toBeNull();
  });
});

describe('timelineRows', () => {
  it('interleaves actions before the events at the same time', () => {
    const rows = timelineRows(events, log, { text: '', selected: null });
    expect(rows.map((r) => r.key)).toEqual(['a0', 'e1', 'e2', 'a2', 'e3', 'e4', 'a3']);
  });

  it('keeps rows whose object, reason or type hold every word', () => {
    expect(timelineRows(events, log, { text: 'web-1', selected: null }).map((r) => r.key)).toEqual(['e2', 'e4']);
    expect(timelineRows(events, log, { text: 'POD/WEB-1 kill', selected: null }).map((r) => r.key)).toEqual(['e4']);
    expect(timelineRows(events, log, { text: 'warning', selected: null }).map((r) => r.key)).toEqual(['e3']);
    expect(timelineRows(events, log, { text: 'worker-2', selected: null }).map((r) => r.key)).toEqual(['a2', 'e3']);
  });

  it('keeps only the selected object, and the actions that name it', () => {
    const rows = timelineRows(events, log, { text: '', selected: { kind: 'Node', namespace: '', name: 'worker-2' } });
    expect(rows.map((r) => r.key)).toEqual(['a2', 'e3']);
    expect(timelineRows(events, log, { text: '', selected: { kind: 'Pod', namespace: 'default', name: 'web-1' } }).map((r) => r.key)).toEqual(['e2', 'e4']);
  });
});

describe('formatCompact', () => {
  it('reads as seconds, minutes or hours', () => {
    expect(formatCompact(0)).toBe('0s');
    expect(formatCompact(42_900)).toBe('42s');
    expect(formatCompact(65_000)).toBe('1m05s');
    expect(formatCompact(2 * 3_600_000 + 7 * 60_000 + 30_000)).toBe('2h07m');
  });
});

describe('visibleRange', () => {
  it('covers the viewport plus overscan, within the list', () => {
    expect(visibleRange(100, 20, 0, 100, 2)).toEqual({ start: 0, end: 7 });
    expect(visibleRange(100, 20, 500, 100, 2)).toEqual({ start: 23, end: 32 });
    expect(visibleRange(10, 20, 500, 100, 2)).toEqual({ start: 10, end: 10 });
    expect(visibleRange(0, 20, 0, 100)).toEqual({ start: 0, end: 0 });
  });
});
