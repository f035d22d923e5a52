import { describe, expect, it } from 'vitest';
import { anchorOf, arcControl, arcPoint, isResponse, messageKind, messageProgress, raftLinks } from './raft';

describe('Raft messages on the map', () => {
  it('places a message by (now - sentAt) / (deliverAt - sentAt), clamped', () => {
    const m = { sentAt: 1000, deliverAt: 1010 };
    expect(messageProgress(m, 1000)).toBe(0);
    expect(messageProgress(m, 1005)).toBe(0.5);
    expect(messageProgress(m, 1010)).toBe(1);
    expect(messageProgress(m, 990)).toBe(0);
    expect(messageProgress(m, 2000)).toBe(1);
    // Delivered in no time: already there.
    expect(messageProgress({ sentAt: 5, deliverAt: 5 }, 5)).toBe(1);
  });

  it('moves along an arc from sender to receiver, rising above both cards', () => {
    const a = anchorOf({ x: 0, y: 100, w: 100, h: 50 });
    const b = anchorOf({ x: 300, y: 100, w: 100, h: 50 });
    expect(a).toEqual({ x: 50, y: 100 });
    const c = arcControl(a, b, 40);
    expect(arcPoint(a, c, b, 0)).toEqual(a);
    expect(arcPoint(a, c, b, 1)).toEqual(b);
    const mid = arcPoint(a, c, b, 0.5);
    expect(mid.x).toBeCloseTo(200);
    expect(mid.y).toBeLessThan(100);
    expect(100 - mid.y).toBeLessThanOrEqual(40);
    // Farther apart, higher (up to the limit).
    const near = arcPoint(a, arcControl(a, { x: 150, y: 100 }, 40), { x: 150, y: 100 }, 0.5);
    expect(near.y).toBeGreaterThan(mid.y);
  });

  it('links every pair of masters, cut across partition groups', () => {
    const links = raftLinks([
      { name: 'master-1', partitionGroup: 0 },
      { name: 'master-2', partitionGroup: 0 },
      { name: 'master-3', partitionGroup: 1 },
    ]);
    expect(links).toEqual([
      { a: 'master-1', b: 'master-2', cut: false },
      { a: 'master-1', b: 'master-3', cut: true },
      { a: 'master-2', b: 'master-3', cut: true },
    ]);
    expect(raftLinks([{ name: 'a', partitionGroup: null }, { name: 'b', partitionGroup: null }])[0]?.cut).toBe(false);
  });

  it('tells message kinds and responses apart by etcd raft type names', () => {
    expect(messageKind('MsgApp')).toBe('append');
    expect(messageKind('MsgAppResp')).toBe('append');
    expect(messageKind('MsgHeartbeat')).toBe('heartbeat');
    expect(messageKind('MsgPreVote')).toBe('vote');
    expect(messageKind('MsgVoteResp')).toBe('vote');
    expect(messageKind('MsgReadIndex')).toBe('read');
    expect(isResponse('MsgHeartbeatResp')).toBe(true);
    expect(isResponse('MsgApp')).toBe(false);
  });
});
