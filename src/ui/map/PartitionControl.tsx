import { useEffect, useId, useRef, useState } from 'react';
import { useShallow } from 'zustand/shallow';
import { runAction } from '../commands';
import { useEngine } from '../engineClient';
import { appStore, useAppStore } from '../store';
import { partitionGroups, partitionText, PARTITION_GROUPS } from './partition';

/** "Partition…": put each zone in group A, B or C and cut the network between groups; or heal it. */
export function PartitionControl() {
  const engine = useEngine();
  const zones = useAppStore(useShallow((s) => s.snapshot.zones));
  const active = useAppStore((s) => partitionText(s.snapshot));
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState<Record<string, number>>({});
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popRef = useRef<HTMLDivElement>(null);
  const id = useId();

  const toggle = () => {
    if (!open) setChoice(initialChoice(zones, appStore.getState().snapshot.partition));
    setOpen(!open);
  };
  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    popRef.current?.querySelector<HTMLElement>('select, button')?.focus();
    const outside = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!popRef.current?.contains(t) && !buttonRef.current?.contains(t)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside, true);
    return () => document.removeEventListener('pointerdown', outside, true);
  }, [open]);

  const groups = partitionGroups(zones, choice);
  const apply = () => {
    close(true);
    void runAction(engine, appStore, { type: 'fault', fault: { partition: groups } });
  };
  const heal = () => {
    close(true);
    void runAction(engine, appStore, { type: 'fault', fault: { heal: 'all' } });
  };

  return (
    <span className="partition-control">
      <button
        ref={buttonRef}
        type="button"
        className={`btn${active === '' ? '' : ' is-partitioned'}`}
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-haspopup="dialog"
        data-testid="partition-button"
        data-partitioned={String(active !== '')}
        onClick={toggle}
      >
        {active === '' ? null : <span className="partition-control__dot" aria-hidden="true" />}
        Partition…
      </button>
      {open ? (
        <div
          ref={popRef}
          id={id}
          className="map-popover"
          role="dialog"
          aria-label="Partition the network"
          data-testid="partition-popover"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              close(true);
            }
          }}
        >
          <p className="map-popover__hint">Zones in different groups cannot reach each other.</p>
          <div className="map-popover__zones">
            {zones.map((zone) => (
              <label key={zone} className="map-popover__zone">
                <span className="mono">{zone}</span>
                <select
                  className="select"
                  aria-label={`Group for ${zone}`}
                  data-testid="partition-select"
                  data-zone={zone}
                  value={choice[zone] ?? 0}
                  onChange={(e) => setChoice({ ...choice, [zone]: Number(e.target.value) })}
                >
                  {PARTITION_GROUPS.map((g, i) => (
                    <option key={g} value={i}>
                      {`group ${g}`}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          <p className="map-popover__status" data-testid="partition-active">
            {active === '' ? 'The network is whole.' : `Active: ${active}`}
          </p>
          {zones.length < 2 ? <p className="map-popover__hint">One zone only: isolate a node from its menu instead.</p> : null}
          <div className="map-popover__actions">
            <button type="button" className="btn" onClick={heal}>
              Heal
            </button>
            <button type="button" className="btn btn--primary" onClick={apply} disabled={groups.length < 2} title={groups.length < 2 ? 'Put zones in at least two groups' : undefined}>
              Apply partition
            </button>
          </div>
        </div>
      ) : null}
    </span>
  );
}

/** The active partition when it is by zones, else the first zone alone against the rest. */
function initialChoice(zones: readonly string[], partition: readonly (readonly string[])[] | null): Record<string, number> {
  const out: Record<string, number> = {};
  zones.forEach((z, i) => {
    const g = partition?.findIndex((group) => group.includes(z)) ?? -1;
    out[z] = g >= 0 && g < 3 ? g : partition !== null ? Math.min(partition.length, 2) : i === 0 ? 0 : 1;
  });
  return out;
}
