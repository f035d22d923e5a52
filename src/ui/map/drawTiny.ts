import type { Box } from './layout';
import { nodeStatus, type NodeStatus } from './nodes';
import { BAR_TONES, CHIP, CHIP_PITCH, podArea, type BarTone } from './pods';
import type { Scene, View } from './draw';
import type { Theme } from './theme';

/**
 * The zoomed-out map of a large cluster, written as pixels. Cards are then a few pixels wide,
 * and a thousand of them (with their pods as one bar each) cost far less as writes into one
 * buffer than as thousands of canvas calls: one putImageData per frame.
 */
export function drawTinyLayer(ctx: CanvasRenderingContext2D, scene: Scene, view: View, theme: Theme): void {
  const { width: W, height: H } = ctx.canvas;
  if (W === 0 || H === 0) return;
  const img = imageFor(ctx, W, H);
  const buf = new Uint32Array(img.data.buffer);
  const c = paletteFor(theme);
  buf.fill(c.panel);
  const s = view.dpr;
  const box = (b: Box) => ({
    x0: Math.round((b.x * view.k + view.x) * s),
    y0: Math.round((b.y * view.k + view.y) * s),
    x1: Math.max(Math.round(((b.x + b.w) * view.k + view.x) * s), Math.round((b.x * view.k + view.x) * s) + 1),
    y1: Math.max(Math.round(((b.y + b.h) * view.k + view.y) * s), Math.round((b.y * view.k + view.y) * s) + 1),
  });
  const fill = (x0: number, y0: number, x1: number, y1: number, colour: number) => {
    const xa = Math.max(0, x0);
    const xb = Math.min(W, x1);
    if (xa >= xb) return;
    const ya = Math.max(0, y0);
    const yb = Math.min(H, y1);
    // A card is a few pixels wide: a plain loop beats a call to fill per row.
    if (xb - xa < 32) {
      for (let y = ya; y < yb; y++) for (let i = y * W + xa, end = y * W + xb; i < end; i++) buf[i] = colour;
    } else {
      for (let y = ya; y < yb; y++) buf.fill(colour, y * W + xa, y * W + xb);
    }
  };
  const outline = (r: { x0: number; y0: number; x1: number; y1: number }, colour: number) => {
    fill(r.x0, r.y0, r.x1, r.y0 + 1, colour);
    fill(r.x0, r.y1 - 1, r.x1, r.y1, colour);
    fill(r.x0, r.y0, r.x0 + 1, r.y1, colour);
    fill(r.x1 - 1, r.y0, r.x1, r.y1, colour);
  };
  for (const z of scene.layout.zones) {
    const r = box(z);
    fill(r.x0, r.y0, r.x1, r.y1, c.panelSunken);
    outline(r, c.border);
  }
  for (const card of scene.layout.cards) {
    const r = box(card);
    if (r.x1 <= 0 || r.y1 <= 0 || r.x0 >= W || r.y0 >= H) continue;
    const n = scene.nodes.get(card.name);
    if (n === undefined) continue;
    fill(r.x0, r.y0, r.x1, r.y1, n.alive ? c.panelRaised : c.downBody);
    const status = nodeStatus(n);
    if (status !== 'Ready') outline(r, c.status[status]);
    drawBar(scene, card, box, fill, c);
  }
  ctx.putImageData(img, 0, 0);
}

/** A card's pods as one bar across its pod area, split by state. */
function drawBar(
  scene: Scene,
  card: { name: string; role: 'control-plane' | 'worker'; x: number; y: number },
  box: (b: Box) => { x0: number; y0: number; x1: number; y1: number },
  fill: (x0: number, y0: number, x1: number, y1: number, colour: number) => void,
  c: Palette,
): void {
  const total = scene.pods.grouped.byNode.get(card.name)?.length ?? 0;
  if (total === 0) return;
  const area = podArea(card.role);
  const r = box({ x: card.x + area.x, y: card.y + area.y, w: area.cols * CHIP_PITCH - (CHIP_PITCH - CHIP), h: area.rows * CHIP_PITCH - (CHIP_PITCH - CHIP) });
  const counts = scene.pods.countsOf(card.name);
  let done = 0;
  for (const tone of BAR_TONES) {
    const n = counts.get(tone) ?? 0;
    if (n === 0) continue;
    const xa = r.x0 + Math.round(((r.x1 - r.x0) * done) / total);
    done += n;
    const xb = r.x0 + Math.round(((r.x1 - r.x0) * done) / total);
    fill(xa, r.y0, Math.max(xb, xa + 1), r.y1, c.pods[tone]);
  }
}

// ---- colours as packed pixels ------------------------------------------------------------------

interface Palette {
  readonly panel: number;
  readonly panelSunken: number;
  readonly panelRaised: number;
  readonly border: number;
  readonly downBody: number;
  readonly status: Record<NodeStatus, number>;
  readonly pods: Record<BarTone, number>;
}

let palette: { theme: Theme; palette: Palette } | undefined;
let image: ImageData | undefined;

function imageFor(ctx: CanvasRenderingContext2D, w: number, h: number): ImageData {
  if (image === undefined || image.width !== w || image.height !== h) image = ctx.createImageData(w, h);
  return image;
}

function paletteFor(theme: Theme): Palette {
  if (palette?.theme === theme) return palette.palette;
  const rgb = rgbaOf();
  const pack = (p: readonly number[]) => (((p[3] ?? 255) << 24) | ((p[2] ?? 0) << 16) | ((p[1] ?? 0) << 8) | (p[0] ?? 0)) >>> 0;
  // Canvas alpha, done by hand: a colour at `a` over another.
  const over = (top: string, a: number, under: string) => pack(rgb(top).map((v, i) => (i === 3 ? 255 : Math.round(v * a + (rgb(under)[i] ?? 0) * (1 - a)))));
  const p: Palette = {
    panel: pack(rgb(theme.panel)),
    panelSunken: pack(rgb(theme.panelSunken)),
    panelRaised: pack(rgb(theme.panelRaised)),
    border: pack(rgb(theme.border)),
    downBody: over(theme.panelRaised, 0.45, theme.panelSunken),
    status: {
      Ready: pack(rgb(theme.borderStrong)),
      NotReady: pack(rgb(theme.down)),
      Unknown: pack(rgb(theme.warn)),
      down: pack(rgb(theme.textFaint)),
      'not registered': pack(rgb(theme.textFaint)),
    },
    pods: {
      ready: pack(rgb(theme.ready)),
      notReady: over(theme.ready, 0.45, theme.panelRaised),
      pending: pack(rgb(theme.pending)),
      down: pack(rgb(theme.down)),
      succeeded: pack(rgb(theme.succeeded)),
      unknown: pack(rgb(theme.textFaint)),
    },
  };
  palette = { theme, palette: p };
  return p;
}

/** Any CSS colour the canvas accepts, as [r, g, b, a] bytes (it paints a pixel and reads it back). */
function rgbaOf(): (css: string) => number[] {
  const scratch = document.createElement('canvas');
  scratch.width = 1;
  scratch.height = 1;
  const ctx = scratch.getContext('2d', { willReadFrequently: true });
  const seen = new Map<string, number[]>();
  return (css) => {
    let v = seen.get(css);
    if (v === undefined && ctx !== null) {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      v = [...ctx.getImageData(0, 0, 1, 1).data];
      seen.set(css, v);
    }
    return v ?? [128, 128, 128, 255];
  };
}
