import type { RaftMessageInFlight } from '../../engine';
import type { ObjectRef } from '../protocol';
import type { MapHit } from './hitTest';
import { CARD_W, LINK_BAND, ZONE_HEAD, type Box, type CardBox, type MapLayout } from './layout';
import { groupLetter, nodeNotes, nodeStatus, type MapNode, type NodeStatus } from './nodes';
import { drawTinyLayer } from './drawTiny';
import { chipBox, CHIP, OWNER_TONES, ownerTone, podArea, podPaint, type PodTone, type PodView } from './pods';
import { anchorOf, arcControl, arcPoint, isResponse, messageKind, messageProgress, raftLinks, type MessageKind, type Point } from './raft';
import type { Theme } from './theme';

export interface Scene {
  readonly layout: MapLayout;
  readonly nodes: ReadonlyMap<string, MapNode>;
  readonly pods: PodView;
  readonly inFlight: readonly RaftMessageInFlight[];
  readonly now: number;
  readonly selected: ObjectRef | null;
  readonly hover: MapHit;
  /** What the keyboard focus is on (a button of the accessible layer). */
  readonly focus: MapHit;
}

/** The zoom transform (screen = map × k + (x, y)) and the canvas size in CSS px. */
export interface View {
  readonly k: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly dpr: number;
}

/** Level of detail: text on the cards, plain cards with pods, or coloured tiles for a large cluster. */
export type Lod = 'detail' | 'medium' | 'tiny';

export function lodFor(k: number): Lod {
  const w = CARD_W * k;
  return w >= 104 ? 'detail' : w >= 40 ? 'medium' : 'tiny';
}

/** How far above a master's card the arcs between masters may rise. */
const MAX_RISE = ZONE_HEAD + LINK_BAND - 8;

export function drawMap(ctx: CanvasRenderingContext2D, scene: Scene, view: View, theme: Theme): void {
  const { k, dpr } = view;
  const lod = lodFor(k);
  const px = 1 / k;
  let cuts: Point[];
  if (lod === 'tiny') {
    drawTinyLayer(ctx, scene, view, theme);
    ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * view.x, dpr * view.y);
    cuts = drawLinks(ctx, scene, theme, px);
  } else {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = theme.panel;
    ctx.fillRect(0, 0, view.width, view.height);
    ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * view.x, dpr * view.y);
    const visible: Box = { x: -view.x / k, y: -view.y / k, w: view.width / k, h: view.height / k };
    drawZones(ctx, scene.layout, visible, theme, px);
    cuts = drawLinks(ctx, scene, theme, px);
    const cards = scene.layout.cards.filter((c) => intersects(c, visible));
    drawCards(ctx, scene, cards, theme, lod === 'detail', px);
    drawPods(ctx, scene, cards, theme, lod === 'detail', px);
  }
  drawMarks(ctx, scene, theme, px);
  drawMessages(ctx, scene, theme, px);
  // Labels that stay readable at any zoom are drawn in screen space.
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  drawZoneLabels(ctx, scene, view, theme);
  drawCutMarks(ctx, cuts, view, theme);
}

const intersects = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function drawZones(ctx: CanvasRenderingContext2D, layout: MapLayout, visible: Box, theme: Theme, px: number): void {
  ctx.lineWidth = px;
  for (const z of layout.zones) {
    if (!intersects(z, visible)) continue;
    ctx.beginPath();
    ctx.roundRect(z.x, z.y, z.w, z.h, 10);
    ctx.fillStyle = theme.panelSunken;
    ctx.fill();
    ctx.strokeStyle = theme.border;
    ctx.stroke();
  }
}

/**
 * Each zone's name and Ready count in its header. Zoomed out, the header is thinner than the
 * text: then one compact label at the zone's top right, where the masters' band is usually empty.
 */
function drawZoneLabels(ctx: CanvasRenderingContext2D, scene: Scene, view: View, theme: Theme): void {
  ctx.textBaseline = 'alphabetic';
  const compact = ZONE_HEAD * view.k < 15;
  for (const z of scene.layout.zones) {
    const left = z.x * view.k + view.x + 10;
    const right = (z.x + z.w) * view.k + view.x - 10;
    const y = z.y * view.k + view.y + (compact ? 13 : 16 * Math.min(1, view.k));
    if (y < 0 || y > view.height + 12 || right < 0 || left > view.width) continue;
    const ready = z.cards.filter((c) => {
      const n = scene.nodes.get(c.name);
      return n !== undefined && nodeStatus(n) === 'Ready';
    }).length;
    if (compact) compactLabel(ctx, `${z.name} · ${ready}/${z.cards.length}`, left, right, y, theme);
    else headerLabel(ctx, z.name, `${ready}/${z.cards.length} Ready`, left, right, y, theme);
  }
}

function headerLabel(ctx: CanvasRenderingContext2D, name: string, count: string, left: number, right: number, y: number, theme: Theme): void {
  ctx.font = `600 11px ${theme.fontUi}`;
  ctx.textAlign = 'left';
  ctx.fillStyle = theme.textMuted;
  const shown = fitText(ctx, name, right - left);
  ctx.fillText(shown, left, y);
  const nameW = ctx.measureText(shown).width;
  ctx.font = `11px ${theme.fontUi}`;
  if (right - left - nameW < ctx.measureText(count).width + 12) return;
  ctx.fillStyle = theme.textFaint;
  ctx.textAlign = 'right';
  ctx.fillText(count, right, y);
}

function compactLabel(ctx: CanvasRenderingContext2D, text: string, left: number, right: number, y: number, theme: Theme): void {
  ctx.font = `600 11px ${theme.fontUi}`;
  const shown = fitText(ctx, text, right - left);
  const w = ctx.measureText(shown).width;
  ctx.fillStyle = theme.panelSunken;
  ctx.strokeStyle = theme.border;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.roundRect(right - w - 5, y - 12, w + 10, 16, 4);
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = theme.textMuted;
  ctx.textAlign = 'right';
  ctx.fillText(shown, right, y);
}

// ---- cards ------------------------------------------------------------------------------

const STATUS_TONE: Record<NodeStatus, keyof Theme> = {
  Ready: 'ready',
  NotReady: 'down',
  Unknown: 'warn',
  down: 'textFaint',
  'not registered': 'textFaint',
};

function drawCards(ctx: CanvasRenderingContext2D, scene: Scene, cards: readonly CardBox[], theme: Theme, detail: boolean, px: number): void {
  for (const card of cards) {
    const n = scene.nodes.get(card.name);
    if (n === undefined) continue;
    ctx.globalAlpha = n.alive ? 1 : 0.5;
    drawCardFrame(ctx, card, n, theme, px);
    if (detail) drawCardText(ctx, card, n, theme);
    else drawCardName(ctx, card, n, theme, px);
    ctx.globalAlpha = 1;
  }
}

function drawCardFrame(ctx: CanvasRenderingContext2D, card: CardBox, n: MapNode, theme: Theme, px: number): void {
  const status = nodeStatus(n);
  ctx.beginPath();
  ctx.roundRect(card.x, card.y, card.w, card.h, 6);
  ctx.fillStyle = theme.panelRaised;
  ctx.fill();
  const alarm = status === 'NotReady' || status === 'Unknown';
  ctx.lineWidth = alarm ? 1.5 * px : px;
  ctx.strokeStyle = alarm ? theme[STATUS_TONE[status]] : theme.borderStrong;
  ctx.stroke();
  ctx.fillStyle = n.etcd?.role === 'leader' ? theme.leader : card.role === 'control-plane' ? theme.controlPlane : theme.worker;
  ctx.beginPath();
  ctx.roundRect(card.x + 3, card.y + 7, 3, card.h - 14, 1.5);
  ctx.fill();
}

/** Medium zoom: only the name, at 11, 10 or 9 px on screen, whichever fits the card; none when none does. */
function drawCardName(ctx: CanvasRenderingContext2D, card: CardBox, n: MapNode, theme: Theme, px: number): void {
  const size = [11, 10, 9].map((s) => s * px).find((s) => {
    ctx.font = `600 ${s}px ${theme.fontUi}`;
    return ctx.measureText(n.name).width <= card.w - 16;
  });
  if (size === undefined) return;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = theme.text;
  ctx.fillText(n.name, card.x + 10, card.y + 8 + size);
}

function drawCardText(ctx: CanvasRenderingContext2D, card: CardBox, n: MapNode, theme: Theme): void {
  const left = card.x + 12;
  const right = card.x + card.w - 10;
  const status = nodeStatus(n);
  ctx.textBaseline = 'alphabetic';
  // Name first; the status right-aligned after a dot, or only the dot when the name needs the room.
  ctx.font = `600 12px ${theme.fontUi}`;
  const nameW = ctx.measureText(n.name).width;
  // 11 px, else 10 px, else no text.
  const size = [11, 10].find((px) => {
    ctx.font = `600 ${px}px ${theme.fontUi}`;
    return left + nameW + 13 + ctx.measureText(status).width <= right;
  });
  const statusW = size === undefined ? 0 : ctx.measureText(status).width;
  const withText = size !== undefined;
  const dotX = withText ? right - statusW - 6 : right - 3;
  ctx.fillStyle = theme[STATUS_TONE[status]];
  ctx.textAlign = 'right';
  if (withText) ctx.fillText(status, right, card.y + 18);
  ctx.beginPath();
  ctx.arc(dotX, card.y + 14, 3, 0, Math.PI * 2);
  ctx.fill();
  ctx.font = `600 12px ${theme.fontUi}`;
  ctx.textAlign = 'left';
  ctx.fillStyle = theme.text;
  ctx.fillText(fitText(ctx, n.name, dotX - 7 - left), left, card.y + 18);
  drawSubline(ctx, card, n, theme, left, right);
  drawBars(ctx, card, n, theme, left, right);
  if (card.role === 'control-plane') drawEtcd(ctx, card, n, theme, left, right);
}

/** Partition group letter, then notes (kubelet stopped, SchedulingDisabled, taints) or the role. */
function drawSubline(ctx: CanvasRenderingContext2D, card: CardBox, n: MapNode, theme: Theme, left: number, right: number): void {
  const y = card.y + 34;
  let x = left;
  ctx.font = `11px ${theme.fontUi}`;
  if (n.partitionGroup !== null) {
    const letter = groupLetter(n.partitionGroup);
    ctx.font = `700 10px ${theme.fontUi}`;
    const w = ctx.measureText(letter).width + 8;
    ctx.fillStyle = groupTone(theme, n.partitionGroup);
    ctx.beginPath();
    ctx.roundRect(x, y - 10, w, 13, 3);
    ctx.fill();
    ctx.fillStyle = theme.panelRaised;
    ctx.fillText(letter, x + 4, y);
    x += w + 6;
    ctx.font = `11px ${theme.fontUi}`;
  }
  const notes = nodeNotes(n);
  if (notes.length === 0) {
    ctx.fillStyle = theme.textFaint;
    ctx.fillText(fitText(ctx, card.role, right - x), x, y);
    return;
  }
  notes.forEach((note, i) => {
    if (x >= right) return;
    const warning = note === 'kubelet stopped' || note === 'SchedulingDisabled';
    ctx.font = warning ? `11px ${theme.fontUi}` : `10.5px ${theme.fontUi}`;
    // A taint (flagged ⚑) that does not fit drops its effect before it is cut: "control-plane:NoSchedule" → "control-plane".
    const taint = warning ? note : `⚑ ${note}`;
    const full = i === 0 ? taint : `· ${taint}`;
    const short = full.replace(/:(NoSchedule|PreferNoSchedule|NoExecute)/, '');
    const text = ctx.measureText(full).width <= right - x ? full : fitText(ctx, short, right - x);
    ctx.fillStyle = warning ? theme.warn : theme.textMuted;
    ctx.fillText(text, x, y);
    x += ctx.measureText(text).width + 4;
  });
}

export function groupTone(theme: Theme, group: number): string {
  const tones = [theme.accent, theme.leader, theme.pending, theme.controlPlane];
  return tones[group % tones.length] ?? theme.accent;
}

function drawBars(ctx: CanvasRenderingContext2D, card: CardBox, n: MapNode, theme: Theme, left: number, right: number): void {
  const m = n.model;
  const bars: [string, number, number][] = [
    ['cpu', m?.cpu.requested ?? 0, m?.cpu.allocatable ?? 0],
    ['mem', m?.memory.requested ?? 0, m?.memory.allocatable ?? 0],
    ['pods', m?.pods.count ?? 0, m?.pods.allocatable ?? 0],
  ];
  const gap = 8;
  const w = (right - left - 2 * gap) / 3;
  ctx.font = `10px ${theme.fontUi}`;
  ctx.textAlign = 'left';
  bars.forEach(([label, used, total], i) => {
    const x = left + i * (w + gap);
    ctx.fillStyle = theme.textFaint;
    ctx.fillText(label, x, card.y + 48);
    const share = total > 0 ? Math.min(1, used / total) : 0;
    ctx.fillStyle = theme.border;
    ctx.fillRect(x, card.y + 52, w, 3);
    ctx.fillStyle = share >= 0.9 ? theme.warn : theme.accent;
    ctx.fillRect(x, card.y + 52, w * share, 3);
  });
}

const RAFT_ROLE_TONE: Record<string, keyof Theme> = {
  leader: 'leader',
  candidate: 'pending',
  'pre-candidate': 'pending',
  follower: 'textMuted',
  down: 'textFaint',
};

/** A master's etcd member: Raft role; term and commit index; then which leases it holds. */
function drawEtcd(ctx: CanvasRenderingContext2D, card: CardBox, n: MapNode, theme: Theme, left: number, right: number): void {
  const e = n.etcd;
  const role = e?.role ?? 'down';
  let x = label(ctx, 'etcd ', left, card.y + 72, theme);
  ctx.font = `600 11px ${theme.fontUi}`;
  ctx.fillStyle = theme[RAFT_ROLE_TONE[role] ?? 'textMuted'];
  ctx.fillText(fitText(ctx, role, right - x), x, card.y + 72);
  x = label(ctx, 'term ', left, card.y + 88, theme);
  x = value(ctx, String(e?.term ?? 0), x, card.y + 88, theme) + 8;
  x = label(ctx, 'commit ', x, card.y + 88, theme);
  value(ctx, String(e?.commit ?? 0), x, card.y + 88, theme);
  if (n.scheduler) badge(ctx, 'scheduler', left, card.y + 95, theme);
  if (n.controllerManager) badge(ctx, 'controller-manager', left, card.y + 111, theme);
}

/** A faint field name; returns where its value starts. */
function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, theme: Theme): number {
  ctx.font = `10px ${theme.fontUi}`;
  ctx.fillStyle = theme.textFaint;
  ctx.textAlign = 'left';
  ctx.fillText(text, x, y);
  return x + ctx.measureText(text).width;
}

/** A number in the mono font; returns where it ends. */
function value(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, theme: Theme): number {
  ctx.font = `11px ${theme.fontMono}`;
  ctx.fillStyle = theme.textMuted;
  ctx.fillText(text, x, y);
  return x + ctx.measureText(text).width;
}

function badge(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, theme: Theme): void {
  ctx.font = `600 10px ${theme.fontUi}`;
  const w = ctx.measureText(text).width + 10;
  ctx.beginPath();
  ctx.roundRect(x, y, w, 13, 6.5);
  ctx.strokeStyle = theme.accent;
  ctx.lineWidth = 1;
  ctx.stroke();
  ctx.fillStyle = theme.accent;
  ctx.textAlign = 'left';
  ctx.fillText(text, x + 5, y + 10);
}

// ---- pods -------------------------------------------------------------------------------

const POD_TONE: Record<PodTone, keyof Theme> = { ready: 'ready', pending: 'pending', down: 'down', succeeded: 'succeeded', unknown: 'textFaint' };

/** Every chip of every visible card, batched into one path per way of drawing it. */
function drawPods(ctx: CanvasRenderingContext2D, scene: Scene, cards: readonly CardBox[], theme: Theme, detail: boolean, px: number): void {
  const buckets = new Map<string, { path: Path2D; tone: PodTone; filled: boolean; faded: boolean }>();
  const stripes = detail ? Array.from({ length: OWNER_TONES }, () => new Path2D()) : null;
  const overflow: { card: CardBox; count: number }[] = [];
  for (const card of cards) {
    const s = scene.pods.slotsOf(card);
    const n = scene.nodes.get(card.name);
    const area = podArea(card.role);
    s.slots.forEach((pod, i) => {
      if (pod === null) return;
      const p = podPaint(pod);
      const faded = p.faded || n?.alive === false;
      const key = `${p.tone}/${p.filled}/${faded}`;
      let b = buckets.get(key);
      if (b === undefined) buckets.set(key, (b = { path: new Path2D(), tone: p.tone, filled: p.filled, faded }));
      const box = chipBox(card, area, i);
      if (p.filled) b.path.rect(box.x, box.y, box.w, box.h);
      else b.path.rect(box.x + 0.75, box.y + 0.75, box.w - 1.5, box.h - 1.5);
      if (stripes !== null && pod.owner !== '') stripes[ownerTone(pod.owner)]?.rect(box.x, box.y + CHIP + 1, CHIP, 1.2);
    });
    if (s.overflow > 0) overflow.push({ card, count: s.overflow });
  }
  for (const b of buckets.values()) {
    ctx.globalAlpha = b.faded ? 0.35 : 1;
    if (b.filled) {
      ctx.fillStyle = theme[POD_TONE[b.tone]];
      ctx.fill(b.path);
    } else {
      ctx.strokeStyle = theme[POD_TONE[b.tone]];
      ctx.lineWidth = Math.max(1.5, px);
      ctx.stroke(b.path);
    }
  }
  ctx.globalAlpha = 1;
  if (stripes !== null) {
    const tones = [theme.accent, theme.controlPlane, theme.leader, theme.textMuted];
    stripes.forEach((path, i) => {
      ctx.fillStyle = tones[i] ?? theme.textMuted;
      ctx.fill(path);
    });
    drawOverflow(ctx, overflow, theme);
  }
}

function drawOverflow(ctx: CanvasRenderingContext2D, overflow: readonly { card: CardBox; count: number }[], theme: Theme): void {
  ctx.font = `600 9px ${theme.fontUi}`;
  ctx.textAlign = 'right';
  ctx.fillStyle = theme.textMuted;
  for (const { card, count } of overflow) {
    const area = podArea(card.role);
    const last = chipBox(card, area, area.cols * area.rows - 1);
    ctx.fillText(`+${count}`, last.x + last.w + 1, last.y + last.h - 1);
  }
}

// ---- selection, hover, focus -------------------------------------------------------------

function hitBox(scene: Scene, hit: MapHit): Box | null {
  if (hit === null) return null;
  const card = scene.layout.byName.get(hit.node);
  if (card === undefined) return null;
  if (hit.kind === 'node') return card;
  return podBox(scene, card, hit.pod.uid);
}

function podBox(scene: Scene, card: CardBox, uid: string): Box | null {
  const i = scene.pods.slotsOf(card).slots.findIndex((p) => p?.uid === uid);
  return i < 0 ? null : chipBox(card, podArea(card.role), i);
}

/** The selected node's card or pod's chip (a pod not drawn, being past its card's room or unscheduled, has none). */
function selectedBox(scene: Scene): Box | null {
  const sel = scene.selected;
  if (sel === null) return null;
  if (sel.kind === 'Node') return scene.layout.byName.get(sel.name) ?? null;
  if (sel.kind !== 'Pod') return null;
  const pod = scene.pods.find(sel.namespace, sel.name);
  const card = pod === undefined ? undefined : scene.layout.byName.get(pod.nodeName);
  return pod === undefined || card === undefined ? null : podBox(scene, card, pod.uid);
}

function ring(ctx: CanvasRenderingContext2D, box: Box, colour: string, width: number, offset: number, px: number, dash: readonly number[] = []): void {
  ctx.beginPath();
  ctx.roundRect(box.x - offset, box.y - offset, box.w + 2 * offset, box.h + 2 * offset, box.w > 20 ? 8 : 3);
  ctx.strokeStyle = colour;
  ctx.lineWidth = width * px;
  ctx.setLineDash(dash.map((d) => d * px));
  ctx.stroke();
  ctx.setLineDash([]);
}

function drawMarks(ctx: CanvasRenderingContext2D, scene: Scene, theme: Theme, px: number): void {
  const hover = hitBox(scene, scene.hover);
  if (hover !== null) ring(ctx, hover, theme.textMuted, 1, 1.5 * px, px);
  const sel = selectedBox(scene);
  if (sel !== null) ring(ctx, sel, theme.accent, 2, 2.5 * px, px);
  const focus = hitBox(scene, scene.focus);
  if (focus !== null) ring(ctx, focus, theme.accentStrong, 2, 5 * px, px, [4, 3]);
}

// ---- Raft links and messages ----------------------------------------------------------------

interface Arc {
  readonly a: Point;
  readonly c: Point;
  readonly b: Point;
}

function arcBetween(scene: Scene, from: string, to: string): Arc | null {
  const ca = scene.layout.byName.get(from);
  const cb = scene.layout.byName.get(to);
  if (ca === undefined || cb === undefined) return null;
  const a = anchorOf(ca);
  const b = anchorOf(cb);
  // Both directions share one arc: the control point is computed from the pair in name order.
  const [p, q] = from < to ? [a, b] : [b, a];
  return { a, b, c: arcControl(p, q, MAX_RISE) };
}

function masters(scene: Scene): MapNode[] {
  return scene.layout.cards.filter((c) => c.role === 'control-plane').flatMap((c) => scene.nodes.get(c.name) ?? []);
}

/** The arcs between masters; returns where the cut ones peak, to mark them with scissors. */
function drawLinks(ctx: CanvasRenderingContext2D, scene: Scene, theme: Theme, px: number): Point[] {
  const ms = masters(scene);
  const alive = new Map(ms.map((m) => [m.name, m.alive]));
  const cuts: Point[] = [];
  for (const link of raftLinks(ms)) {
    const arc = arcBetween(scene, link.a, link.b);
    if (arc === null) continue;
    const dead = alive.get(link.a) === false || alive.get(link.b) === false;
    ctx.beginPath();
    ctx.moveTo(arc.a.x, arc.a.y);
    ctx.quadraticCurveTo(arc.c.x, arc.c.y, arc.b.x, arc.b.y);
    ctx.lineWidth = (link.cut ? 1.5 : 1.25) * px;
    ctx.strokeStyle = link.cut ? theme.down : dead ? theme.border : theme.borderStrong;
    ctx.setLineDash(link.cut ? [5 * px, 4 * px] : dead ? [2 * px, 3 * px] : []);
    ctx.stroke();
    ctx.setLineDash([]);
    if (link.cut) cuts.push(arcPoint(arc.a, arc.c, arc.b, 0.5));
  }
  return cuts;
}

function drawCutMarks(ctx: CanvasRenderingContext2D, cuts: readonly Point[], view: View, theme: Theme): void {
  ctx.font = `12px ${theme.fontUi}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (const p of cuts) {
    const x = p.x * view.k + view.x;
    const y = p.y * view.k + view.y;
    ctx.beginPath();
    ctx.arc(x, y, 8, 0, Math.PI * 2);
    ctx.fillStyle = theme.panel;
    ctx.fill();
    ctx.strokeStyle = theme.down;
    ctx.lineWidth = 1;
    ctx.stroke();
    ctx.fillStyle = theme.down;
    ctx.fillText('✂', x, y + 0.5);
  }
  ctx.textBaseline = 'alphabetic';
}

export const MESSAGE_TONE: Record<MessageKind, keyof Theme> = { append: 'accent', heartbeat: 'textMuted', vote: 'pending', read: 'succeeded' };

/** Messages on the wire, each where it is at the snapshot's time; responses hollow. */
function drawMessages(ctx: CanvasRenderingContext2D, scene: Scene, theme: Theme, px: number): void {
  const r = Math.max(3.2, 2.6 * px);
  for (const m of scene.inFlight) {
    const arc = arcBetween(scene, m.from, m.to);
    if (arc === null) continue;
    const p = arcPoint(arc.a, arc.c, arc.b, messageProgress(m, scene.now));
    const colour = theme[MESSAGE_TONE[messageKind(m.type)]];
    ctx.beginPath();
    ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
    if (isResponse(m.type)) {
      ctx.fillStyle = theme.panel;
      ctx.fill();
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.5 * px;
      ctx.stroke();
    } else {
      ctx.fillStyle = colour;
      ctx.fill();
    }
  }
}

// ---- text ---------------------------------------------------------------------------------

/** The text, cut with an ellipsis to fit `max` px in the current font. */
export function fitText(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (max <= 0) return '';
  if (ctx.measureText(text).width <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= max) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : `${text.slice(0, lo)}…`;
}
