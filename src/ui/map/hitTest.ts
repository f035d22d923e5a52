import type { PodModel } from '../protocol';
import type { CardBox, MapLayout } from './layout';
import { CHIP_PITCH, podArea, type PodSlots } from './pods';

export type MapHit = { readonly kind: 'node'; readonly node: string } | { readonly kind: 'pod'; readonly node: string; readonly pod: PodModel } | null;

/**
 * What is under a point of the map (map units): a pod's chip, else its node's card, else
 * nothing. A chip's whole grid cell counts, so the gaps between chips do not flicker.
 */
export function hitTest(layout: MapLayout, slotsOf: (card: CardBox) => PodSlots, x: number, y: number): MapHit {
  for (const card of layout.cards) {
    if (x < card.x || y < card.y || x >= card.x + card.w || y >= card.y + card.h) continue;
    const area = podArea(card.role);
    const col = Math.floor((x - card.x - area.x) / CHIP_PITCH);
    const row = Math.floor((y - card.y - area.y) / CHIP_PITCH);
    if (col >= 0 && col < area.cols && row >= 0 && row < area.rows) {
      const pod = slotsOf(card).slots[row * area.cols + col] ?? null;
      if (pod !== null) return { kind: 'pod', node: card.name, pod };
    }
    return { kind: 'node', node: card.name };
  }
  return null;
}
