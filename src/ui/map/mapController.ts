import { formatMebibytes, formatMilliCpu } from '../../engine/quantity';
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent } from 'd3-zoom';
import type { AppStore } from '../store';
import type { SceneCache } from './a11y';
import { drawMap, lodFor } from './draw';
import { hitTest, type MapHit } from './hitTest';
import { fitTransform, type Box, type MapLayout } from './layout';
import { chipBox, podArea } from './pods';
import { readTheme, type Theme } from './theme';

/** Fitting leaves this strip free at the top for the zoom buttons. */
export const FIT_TOP = 30;

export const EMPTY_LAYOUT: MapLayout = { width: 0, height: 0, zones: [], cards: [], byName: new Map() };

export interface MapElements {
  /** The element d3-zoom listens on; holds the canvas and the accessible layer. */
  readonly viewport: HTMLDivElement;
  readonly canvas: HTMLCanvasElement;
  readonly layer: HTMLDivElement;
  readonly tooltip: HTMLDivElement;
}

const sameHit = (a: MapHit, b: MapHit): boolean =>
  a === b || (a !== null && b !== null && a.kind === b.kind && a.node === b.node && (a.kind === 'node' || (b.kind === 'pod' && a.pod.uid === b.pod.uid)));

/**
 * The imperative half of the map: sizes the canvas, runs d3-zoom, draws in a
 * requestAnimationFrame that is only asked for when something changed (store data, zoom,
 * size, theme, hover), and answers "what is under this point".
 */
export function createMapController(store: AppStore, cache: SceneCache, onUserZoom: () => void) {
  let el: MapElements | null = null;
  let ctx: CanvasRenderingContext2D | null = null;
  let theme: Theme | null = null;
  let layout = EMPTY_LAYOUT;
  let size = { width: 0, height: 0 };
  let t = { k: 1, x: 0, y: 0 };
  let hover: MapHit = null;
  let focus: MapHit = null;
  let frame = 0;
  let userZoomed = false;

  // A click that wobbles a few pixels is still a click, not a pan.
  const behavior = zoom<HTMLDivElement, unknown>().clickDistance(4).on('zoom', (e: D3ZoomEvent<HTMLDivElement, unknown>) => {
    t = { k: e.transform.k, x: e.transform.x, y: e.transform.y };
    if (el !== null) {
      el.layer.style.transform = `translate(${t.x}px, ${t.y}px) scale(${t.k})`;
      el.viewport.dataset.lod = lodFor(t.k);
      el.viewport.dataset.zoom = t.k.toFixed(3);
    }
    if (e.sourceEvent !== null && e.sourceEvent !== undefined) {
      userZoomed = true;
      setHover(null);
      onUserZoom();
    }
    requestDraw();
  });

  const pods = () => cache.pods(store.getState().model);

  function draw(): void {
    frame = 0;
    if (ctx === null || theme === null || size.width === 0) return;
    const s = store.getState();
    const nodes = cache.nodes(s.snapshot, s.model);
    const scene = { layout, nodes, pods: pods(), inFlight: s.snapshot.raftInFlight, now: s.snapshot.now, selected: s.selected, hover, focus };
    drawMap(ctx, scene, { ...t, ...size, dpr: window.devicePixelRatio || 1 }, theme);
  }

  function requestDraw(): void {
    if (frame === 0) frame = requestAnimationFrame(draw);
  }

  function fitted() {
    const f = fitTransform(layout, { width: size.width, height: Math.max(1, size.height - FIT_TOP) });
    return { ...f, y: f.y + Math.min(FIT_TOP, size.height) };
  }

  function updateExtents(): void {
    const f = fitted();
    // Out to half the fit; in to where a card's text is large (a big cluster's fit is far below that).
    behavior.scaleExtent([Math.min(f.k * 0.5, 0.5), Math.max(2.5, f.k * 2)]);
    const pad = 40;
    behavior.translateExtent([
      [-pad, -pad],
      [layout.width + pad, layout.height + pad],
    ]);
  }

  function fit(): void {
    userZoomed = false;
    if (el === null) return;
    updateExtents();
    const f = fitted();
    select(el.viewport).call(behavior.transform, zoomIdentity.translate(f.x, f.y).scale(f.k));
  }

  function setHover(hit: MapHit, clientX = 0, clientY = 0): void {
    if (!sameHit(hit, hover)) {
      hover = hit;
      requestDraw();
    }
    if (el !== null) showTooltip(el, hit, clientX, clientY);
  }

  function showTooltip(e: MapElements, hit: MapHit, clientX: number, clientY: number): void {
    const tip = e.tooltip;
    if (hit === null) {
      tip.hidden = true;
      return;
    }
    const s = store.getState();
    const text = tooltipText(hit, cache.nodes(s.snapshot, s.model).get(hit.node)?.model ?? null);
    const head = document.createElement('strong');
    head.textContent = text.head;
    const body = document.createElement('span');
    body.textContent = text.body;
    tip.replaceChildren(head, body);
    tip.hidden = false;
    const r = e.viewport.getBoundingClientRect();
    const x = clientX - r.left + 14;
    const y = clientY - r.top + 16;
    tip.style.left = `${Math.min(x, Math.max(4, r.width - tip.offsetWidth - 4))}px`;
    tip.style.top = `${y + tip.offsetHeight > r.height - 4 ? clientY - r.top - tip.offsetHeight - 10 : y}px`;
  }

  function hitAt(clientX: number, clientY: number): MapHit {
    if (el === null) return null;
    const r = el.viewport.getBoundingClientRect();
    const view = pods();
    return hitTest(layout, (card) => view.slotsOf(card), (clientX - r.left - t.x) / t.k, (clientY - r.top - t.y) / t.k);
  }

  return {
    attach(elements: MapElements): () => void {
      el = elements;
      ctx = elements.canvas.getContext('2d');
      theme = readTheme(elements.canvas);
      const sel = select(elements.viewport);
      sel.call(behavior).on('dblclick.zoom', null);
      const scheme = window.matchMedia('(prefers-color-scheme: dark)');
      const onScheme = () => {
        theme = readTheme(elements.canvas);
        requestDraw();
      };
      scheme.addEventListener('change', onScheme);
      const unsubscribe = store.subscribe((s, p) => {
        if (s.snapshot !== p.snapshot || s.model !== p.model || s.selected !== p.selected) requestDraw();
      });
      return () => {
        unsubscribe();
        scheme.removeEventListener('change', onScheme);
        sel.on('.zoom', null);
        cancelAnimationFrame(frame);
        frame = 0;
        el = null;
        ctx = null;
      };
    },
    resize(width: number, height: number): void {
      size = { width, height };
      if (el === null) return;
      const dpr = window.devicePixelRatio || 1;
      el.canvas.width = Math.round(width * dpr);
      el.canvas.height = Math.round(height * dpr);
      updateExtents();
      if (!userZoomed) fit();
      // Resizing cleared the canvas: draw now, not next frame, so it never flashes empty.
      draw();
    },
    setLayout(next: MapLayout): void {
      const changed = next.width !== layout.width || next.height !== layout.height;
      layout = next;
      updateExtents();
      if (changed && !userZoomed) fit();
      requestDraw();
    },
    fit,
    zoomBy(factor: number): void {
      if (el === null) return;
      userZoomed = true;
      select(el.viewport).call(behavior.scaleBy, factor);
    },
    /** Brings a box into view (keyboard focus moved to something off screen). */
    reveal(box: Box): void {
      if (el === null) return;
      const x0 = box.x * t.k + t.x;
      const y0 = box.y * t.k + t.y;
      const inside = x0 >= 0 && y0 >= 0 && x0 + box.w * t.k <= size.width && y0 + box.h * t.k <= size.height;
      if (!inside) select(el.viewport).call(behavior.translateTo, box.x + box.w / 2, box.y + box.h / 2);
    },
    hitAt,
    hover(clientX: number, clientY: number): void {
      setHover(hitAt(clientX, clientY), clientX, clientY);
    },
    clearHover(): void {
      setHover(null);
    },
    setFocus(hit: MapHit): void {
      if (sameHit(hit, focus)) return;
      focus = hit;
      requestDraw();
    },
    /** The card or chip of a node or pod, in map units; null when not on the map. */
    boxOf(node: string, podUid?: string): Box | null {
      const card = layout.byName.get(node);
      if (card === undefined || podUid === undefined) return card ?? null;
      const i = pods().slotsOf(card).slots.findIndex((p) => p?.uid === podUid);
      return i < 0 ? null : chipBox(card, podArea(card.role), i);
    },
    /** A map box in px of the viewport. */
    toScreen(box: Box): Box {
      return { x: box.x * t.k + t.x, y: box.y * t.k + t.y, w: box.w * t.k, h: box.h * t.k };
    },
  };
}

export type MapController = ReturnType<typeof createMapController>;

type NodeModelLike = {
  cpu: { requested: number; allocatable: number };
  memory: { requested: number; allocatable: number };
  pods: { count: number; allocatable: number };
} | null;

function tooltipText(hit: Exclude<MapHit, null>, m: NodeModelLike): { head: string; body: string } {
  if (hit.kind === 'pod') {
    const p = hit.pod;
    const owner = p.owner === '' ? 'no owner' : p.owner;
    return { head: p.name, body: `${p.status} · ${p.readyText} ready · ${p.restarts} restarts · ${owner} · ${p.namespace}` };
  }
  if (m === null) return { head: hit.node, body: 'not registered yet' };
  const cpu = `cpu ${formatMilliCpu(Math.round(m.cpu.requested))}/${formatMilliCpu(m.cpu.allocatable)}`;
  const mem = `memory ${formatMebibytes(m.memory.requested)}/${formatMebibytes(m.memory.allocatable)}`;
  return { head: hit.node, body: `requests: ${cpu} · ${mem} · pods ${m.pods.count}/${m.pods.allocatable}` };
}

