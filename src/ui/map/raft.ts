import type { RaftMessageInFlight } from '../../engine';
import type { Box } from './layout';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** How far along its way a message is at `now`: 0 when sent, 1 when delivered. */
export function messageProgress(m: Pick<RaftMessageInFlight, 'sentAt' | 'deliverAt'>, now: number): number {
  const span = m.deliverAt - m.sentAt;
  if (!(span > 0)) return 1;
  return Math.min(1, Math.max(0, (now - m.sentAt) / span));
}

/** Where a link leaves a master's card: the middle of its top edge. */
export function anchorOf(card: Box): Point {
  return { x: card.x + card.w / 2, y: card.y };
}

/**
 * A link between two masters is an arc over the cards (masters sit side by side, so a straight
 * line would cross the ones between). The arc rises more the farther apart they are, up to
 * `maxRise` above the higher anchor. Returns the quadratic curve's control point.
 */
export function arcControl(a: Point, b: Point, maxRise: number): Point {
  const rise = Math.min(maxRise, 14 + 0.16 * Math.abs(b.x - a.x));
  // A quadratic curve peaks halfway to its control point.
  return { x: (a.x + b.x) / 2, y: Math.min(a.y, b.y) - 2 * rise };
}

/** The point at t (0…1) on the quadratic curve a → c → b. */
export function arcPoint(a: Point, c: Point, b: Point, t: number): Point {
  const u = 1 - t;
  return { x: u * u * a.x + 2 * u * t * c.x + t * t * b.x, y: u * u * a.y + 2 * u * t * c.y + t * t * b.y };
}

export interface RaftLink {
  readonly a: string;
  readonly b: string;
  /** The two masters are on different sides of a partition. */
  readonly cut: boolean;
}

/** Every pair of masters, in order; cut when their partition groups differ. */
export function raftLinks(masters: readonly { name: string; partitionGroup: number | null }[]): RaftLink[] {
  const links: RaftLink[] = [];
  for (let i = 0; i < masters.length; i++) {
    for (let j = i + 1; j < masters.length; j++) {
      const a = masters[i];
      const b = masters[j];
      if (a === undefined || b === undefined) continue;
      links.push({ a: a.name, b: b.name, cut: a.partitionGroup !== b.partitionGroup });
    }
  }
  return links;
}

export type MessageKind = 'append' | 'heartbeat' | 'vote' | 'read';

/** Message types by what they do: log replication, heartbeats, elections, linearizable reads. */
export function messageKind(type: string): MessageKind {
  if (type.startsWith('MsgApp')) return 'append';
  if (type.startsWith('MsgHeartbeat')) return 'heartbeat';
  if (type.startsWith('MsgVote') || type.startsWith('MsgPreVote')) return 'vote';
  return 'read';
}

/** Responses are drawn hollow, requests filled. */
export const isResponse = (type: string): boolean => type.endsWith('Resp');
