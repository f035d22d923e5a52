import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type MouseEvent, type PointerEvent, type RefObject } from 'react';
import { appStore, useAppStore, type AppState } from '../store';
import { buildA11y, createSceneCache, LIST_PODS_MAX_NODES, unscheduledEntries } from './a11y';
import { A11yLayer } from './A11yLayer';
import type { MapHit } from './hitTest';
import { layoutMap, type Box, type MapLayout } from './layout';
import { createMapController, EMPTY_LAYOUT, FIT_TOP } from './mapController';
import { MapMenu } from './MapMenu';
import type { MenuTarget } from './menu';
import { PendingTray } from './PendingTray';

export interface MapControls {
  fit(): void;
  zoomBy(factor: number): void;
}

interface OpenMenu {
  readonly target: MenuTarget;
  readonly anchor: Box;
  readonly opener: HTMLElement | null;
}

/** The map's shape before the first measurement (about what the default layout gives it). */
const DEFAULT_VIEWPORT = { width: 520, height: 400 };
/** The accessible layer follows the data at most this often (less often for a large cluster); the canvas follows every frame. */
const LAYER_THROTTLE_MS = 150;
const LAYER_THROTTLE_LARGE_MS = 500;

/** Changes only when nodes or zones are added, removed or moved: what the layout depends on. */
function layoutKeyOf(s: AppState): string {
  let key = `${s.snapshot.zones.join(',')}|`;
  for (const n of s.snapshot.nodes) key += `${n.name}:${n.role}:${n.zone};`;
  return key;
}

function sameLayout(a: MapLayout, b: MapLayout): boolean {
  if (a.width !== b.width || a.height !== b.height || a.cards.length !== b.cards.length) return false;
  return a.cards.every((c, i) => {
    const d = b.cards[i];
    return d !== undefined && c.name === d.name && c.x === d.x && c.y === d.y;
  });
}

/** The layout for the nodes and the viewport's shape; the same object while nothing would move. */
function useLayout(key: string, size: { width: number; height: number }): MapLayout {
  const previous = useRef<MapLayout>(EMPTY_LAYOUT);
  return useMemo(() => {
    void key;
    const s = appStore.getState().snapshot;
    const next = layoutMap(s.zones, s.nodes, size.width > 0 && size.height > FIT_TOP ? { width: size.width, height: size.height - FIT_TOP } : DEFAULT_VIEWPORT);
    if (sameLayout(previous.current, next)) return previous.current;
    previous.current = next;
    return next;
  }, [key, size]);
}

/** A counter bumped (at most every `ms`) when the cluster data changes. */
function useDataTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = appStore.subscribe((s, p) => {
      if ((s.snapshot === p.snapshot && s.model === p.model) || timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        setTick((t) => t + 1);
      }, ms);
    });
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [ms]);
  return tick;
}

function targetOf(el: HTMLElement): MenuTarget | null {
  const d = el.dataset;
  if (d.testid === 'node' && d.node !== undefined) return { kind: 'node', node: d.node };
  if (d.testid === 'pod' && d.pod !== undefined) return { kind: 'pod', namespace: d.namespace ?? '', name: d.pod, node: d.node ?? '' };
  return null;
}

function hitOf(target: MenuTarget): MapHit {
  if (target.kind === 'node') return { kind: 'node', node: target.node };
  const pod = appStore.getState().model.pods.find((p) => p.namespace === target.namespace && p.name === target.name);
  return pod === undefined || target.node === '' ? null : { kind: 'pod', node: target.node, pod };
}

function buttonFor(layer: HTMLElement | null, target: MenuTarget): HTMLElement | null {
  if (layer === null) return null;
  const selector =
    target.kind === 'node'
      ? `[data-testid="node"][data-node="${CSS.escape(target.node)}"]`
      : `[data-testid="pod"][data-namespace="${CSS.escape(target.namespace)}"][data-pod="${CSS.escape(target.name)}"]`;
  return layer.querySelector<HTMLElement>(selector);
}

/**
 * The cluster drawn on a canvas (zoom and pan with d3-zoom), with transparent buttons over
 * it for the keyboard, screen readers and tests, a menu of actions for a node or pod, and the
 * tray of pods no node was found for.
 */
export function MapView({ controlsRef }: { controlsRef: RefObject<MapControls | null> }) {
  const rootRef = useRef<HTMLDivElement>(null);
  const viewportRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const layerRef = useRef<HTMLDivElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const [menu, setMenu] = useState<OpenMenu | null>(null);
  const menuRef = useRef<OpenMenu | null>(null);
  useLayoutEffect(() => {
    menuRef.current = menu;
  }, [menu]);
  const cache = useMemo(() => createSceneCache(), []);
  const controller = useMemo(() => createMapController(appStore, cache, () => setMenu(null)), [cache]);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const layout = useLayout(useAppStore(layoutKeyOf), size);
  const tick = useDataTick(layout.cards.length > LIST_PODS_MAX_NODES ? LAYER_THROTTLE_LARGE_MS : LAYER_THROTTLE_MS);
  const empty = useAppStore((s) => s.snapshot.nodes.length === 0);

  const data = useMemo(() => {
    void tick;
    const s = appStore.getState();
    const pods = cache.pods(s.model);
    const a11y = buildA11y(layout, cache.nodes(s.snapshot, s.model), pods, s.model.pods.length);
    return { a11y, unscheduled: unscheduledEntries(pods.grouped.unscheduled) };
  }, [tick, layout, cache]);

  useLayoutEffect(() => {
    const [viewport, canvas, layer, tooltip] = [viewportRef.current, canvasRef.current, layerRef.current, tooltipRef.current];
    if (viewport === null || canvas === null || layer === null || tooltip === null) return;
    const detach = controller.attach({ viewport, canvas, layer, tooltip });
    const observer = new ResizeObserver(() => {
      const width = viewport.clientWidth;
      const height = viewport.clientHeight;
      controller.resize(width, height);
      setSize((s) => (s.width === width && s.height === height ? s : { width, height }));
    });
    observer.observe(viewport);
    return () => {
      observer.disconnect();
      detach();
    };
  }, [controller]);

  useLayoutEffect(() => {
    controller.setLayout(layout);
  }, [controller, layout]);

  useEffect(() => {
    controlsRef.current = { fit: controller.fit, zoomBy: controller.zoomBy };
    return () => {
      controlsRef.current = null;
    };
  }, [controller, controlsRef]);

  /** Px of the map's box for an element on screen, or a box of the map. */
  const anchorOf = useCallback(
    (opener: HTMLElement | null, box: Box | null): Box => {
      const root = rootRef.current?.getBoundingClientRect();
      const viewport = viewportRef.current?.getBoundingClientRect();
      if (root === undefined) return { x: 0, y: 0, w: 0, h: 0 };
      if (box !== null && viewport !== undefined) {
        const s = controller.toScreen(box);
        return { ...s, x: s.x + viewport.left - root.left, y: s.y + viewport.top - root.top };
      }
      const r = opener?.getBoundingClientRect();
      return r === undefined ? { x: 0, y: 0, w: 0, h: 0 } : { x: r.left - root.left, y: r.top - root.top, w: r.width, h: r.height };
    },
    [controller],
  );

  const open = useCallback(
    (target: MenuTarget, opener: HTMLElement | null) => {
      const hit = hitOf(target);
      const box = hit === null ? null : controller.boxOf(hit.node, hit.kind === 'pod' ? hit.pod.uid : undefined);
      controller.clearHover();
      setMenu({ target, anchor: anchorOf(opener, box), opener });
    },
    [anchorOf, controller],
  );

  const closeMenu = useCallback((returnFocus: boolean) => {
    const current = menuRef.current;
    setMenu(null);
    if (!returnFocus || current === null) return;
    const back = current.opener?.isConnected === true ? current.opener : buttonFor(layerRef.current, current.target);
    (back ?? viewportRef.current)?.focus({ preventScroll: true });
  }, []);

  // Keyboard activation of a button; pointer clicks go through the hit-test below.
  const onActivate = useCallback(
    (e: MouseEvent<HTMLButtonElement>) => {
      if (e.detail !== 0) return;
      const target = targetOf(e.currentTarget);
      if (target !== null) open(target, e.currentTarget);
    },
    [open],
  );

  const onTrayActivate = useCallback(
    (e: MouseEvent<HTMLButtonElement>) => {
      const target = targetOf(e.currentTarget);
      if (target !== null) open(target, e.currentTarget);
    },
    [open],
  );

  const onFocus = useCallback(
    (e: FocusEvent<HTMLButtonElement>) => {
      if (!e.currentTarget.matches(':focus-visible')) return;
      const target = targetOf(e.currentTarget);
      const hit = target === null ? null : hitOf(target);
      controller.setFocus(hit);
      const box = hit === null ? null : controller.boxOf(hit.node, hit.kind === 'pod' ? hit.pod.uid : undefined);
      if (box !== null) controller.reveal(box);
    },
    [controller],
  );

  const onBlur = useCallback(() => controller.setFocus(null), [controller]);

  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    if (e.detail === 0) return;
    const hit = controller.hitAt(e.clientX, e.clientY);
    if (hit === null) return;
    const target: MenuTarget = hit.kind === 'node' ? { kind: 'node', node: hit.node } : { kind: 'pod', namespace: hit.pod.namespace, name: hit.pod.name, node: hit.node };
    open(target, buttonFor(layerRef.current, target));
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (e.buttons !== 0 || e.pointerType === 'touch') controller.clearHover();
    else controller.hover(e.clientX, e.clientY);
  };

  const bounds = { width: rootRef.current?.clientWidth ?? 0, height: rootRef.current?.clientHeight ?? 0 };

  return (
    <div ref={rootRef} className="cluster-map">
      <div className="cluster-map__stage">
        <div
          ref={viewportRef}
          className="cluster-map__viewport"
          data-testid="cluster-map"
          data-nodes={layout.cards.length}
          data-pods-listed={String(data.a11y.podsListed)}
          tabIndex={-1}
          onClick={onClick}
          onPointerMove={onPointerMove}
          onPointerLeave={() => controller.clearHover()}
        >
          <canvas ref={canvasRef} className="cluster-map__canvas" data-testid="cluster-map-canvas" aria-hidden="true" />
          <A11yLayer map={data.a11y} width={layout.width} height={layout.height} layerRef={layerRef} onActivate={onActivate} onFocus={onFocus} onBlur={onBlur} />
        </div>
        <div ref={tooltipRef} className="cluster-map__tooltip" aria-hidden="true" hidden />
        <span className="map-zoom" role="group" aria-label="Zoom">
          <button type="button" className="btn btn--icon" aria-label="Zoom out" title="Zoom out (or scroll)" onClick={() => controller.zoomBy(1 / 1.4)}>
            −
          </button>
          <button type="button" className="btn btn--icon" aria-label="Zoom in" title="Zoom in (or scroll)" onClick={() => controller.zoomBy(1.4)}>
            +
          </button>
        </span>
        {empty ? <p className="cluster-map__empty">No nodes yet: the cluster is starting.</p> : null}
      </div>
      <PendingTray pods={data.unscheduled} onActivate={onTrayActivate} />
      {menu === null ? null : <MapMenu key={menuKey(menu.target)} target={menu.target} anchor={menu.anchor} bounds={bounds} onClose={closeMenu} />}
    </div>
  );
}

const menuKey = (t: MenuTarget): string => (t.kind === 'node' ? `node/${t.node}` : `pod/${t.namespace}/${t.name}`);
