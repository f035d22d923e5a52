import { useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/shallow';
import { runAction } from '../commands';
import { useEngine } from '../engineClient';
import { appStore, useAppStore, type AppState } from '../store';
import type { Box } from './layout';
import { nodeMenu, podMenu, type MenuItem, type MenuTarget, type NodeMenuState } from './menu';

interface MapMenuProps {
  target: MenuTarget;
  /** The card or chip it was opened for, in px of the map's box. */
  anchor: Box;
  bounds: { width: number; height: number };
  /** `returnFocus`: give focus back to what opened the menu (Escape, or an item was chosen). */
  onClose: (returnFocus: boolean) => void;
}

function nodeState(s: AppState, name: string): NodeMenuState & { status: string } {
  const host = s.snapshot.nodes.find((n) => n.name === name);
  const m = s.model.nodes.find((n) => n.name === name);
  const alive = host?.alive ?? m?.alive ?? false;
  const ready = m?.ready ?? null;
  return {
    name,
    alive,
    kubeletRunning: m?.kubeletRunning ?? null,
    unschedulable: m?.unschedulable ?? false,
    status: !alive ? 'down' : ready === null ? 'not registered' : ready === 'True' ? 'Ready' : ready === 'False' ? 'NotReady' : 'Unknown',
  };
}

function podStatus(s: AppState, namespace: string, name: string): string {
  return s.model.pods.find((p) => p.namespace === namespace && p.name === name)?.status ?? 'gone';
}

/** The actions for a node or a pod, next to its card; every one goes through runAction so the console shows it. */
export function MapMenu({ target, anchor, bounds, onClose }: MapMenuProps) {
  const engine = useEngine();
  const node = useAppStore(useShallow((s) => (target.kind === 'node' ? nodeState(s, target.node) : null)));
  const podState = useAppStore((s) => (target.kind === 'pod' ? podStatus(s, target.namespace, target.name) : ''));
  const items = node !== null ? nodeMenu(node) : target.kind === 'pod' ? podMenu(target) : [];
  const title = target.kind === 'node' ? target.node : target.name;
  const status = node !== null ? node.status : podState;
  const ref = useRef<HTMLDivElement>(null);

  // Placed before it is painted: beside the card when there is room, else on its other side, inside the map.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const right = anchor.x + anchor.w + 6;
    const left = right + el.offsetWidth <= bounds.width - 4 ? right : Math.max(4, anchor.x - el.offsetWidth - 6);
    el.style.left = `${left}px`;
    el.style.top = `${Math.min(Math.max(4, anchor.y), Math.max(4, bounds.height - el.offsetHeight - 4))}px`;
  }, [anchor, bounds.width, bounds.height]);

  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus({ preventScroll: true });
    const outside = (e: PointerEvent) => {
      if (ref.current !== null && !ref.current.contains(e.target as Node)) onClose(false);
    };
    document.addEventListener('pointerdown', outside, true);
    return () => document.removeEventListener('pointerdown', outside, true);
  }, [onClose]);

  const choose = (item: MenuItem) => {
    onClose(true);
    if ('inspect' in item.effect) appStore.getState().select(item.effect.inspect);
    else void runAction(engine, appStore, item.effect.action);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose(true);
      return;
    }
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[e.key];
    if (next === undefined || buttons.length === 0) return;
    e.preventDefault();
    buttons[(next + buttons.length) % buttons.length]?.focus();
  };

  return (
    <div
      ref={ref}
      className="map-menu"
      role="group"
      aria-label={`${title} actions`}
      data-testid="map-menu"
      data-kind={target.kind === 'node' ? 'Node' : 'Pod'}
      data-name={title}
      onKeyDown={onKeyDown}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null) && e.relatedTarget !== null) onClose(false);
      }}
    >
      <div className="map-menu__head">
        <span className="map-menu__title">{title}</span>
        <span className="map-menu__status">{status}</span>
      </div>
      {items.map((item, i) => (
        <button
          key={item.label}
          type="button"
          className={`map-menu__item${item.danger === true ? ' map-menu__item--danger' : ''}${i === 1 ? ' map-menu__item--first-action' : ''}`}
          disabled={item.disabled}
          title={item.hint}
          onClick={() => choose(item)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
