import { useEffect, useRef, useState } from 'react';
import { useEngine } from '../engineClient';
import type { Inspection, ObjectRef } from '../protocol';
import { useAppStore } from '../store';
import { fetchDelay, refKey } from './inspectorLogic';

export interface InspectionState {
  /** The last answer for the selected object; null until the first one arrives. */
  readonly inspection: Inspection | null;
  /** Why the last request failed (the engine threw), if it did. */
  readonly error: string | null;
}

/**
 * The engine's inspection of `selected`: fetched when the selection changes and again when the
 * stored state changes (model.revision), at most 4 times a second. Replies that arrive after a
 * newer one, or for an object no longer selected, are dropped.
 */
export function useInspection(selected: ObjectRef | null): InspectionState {
  const engine = useEngine();
  const revision = useAppStore((s) => s.model.revision);
  const [state, setState] = useState<InspectionState & { key: string }>({ key: '', inspection: null, error: null });
  const sent = useRef(0);
  const applied = useRef(0);
  const lastFetchAt = useRef(Number.NEGATIVE_INFINITY);
  const fetchedKey = useRef('');
  const key = refKey(selected);

  useEffect(() => {
    if (selected === null) {
      fetchedKey.current = '';
      return;
    }
    const newSelection = fetchedKey.current !== key;
    const timer = window.setTimeout(() => {
      const id = ++sent.current;
      fetchedKey.current = key;
      lastFetchAt.current = performance.now();
      const answer = (next: InspectionState): void => {
        if (id < applied.current) return;
        applied.current = id;
        setState({ key, ...next });
      };
      engine.inspect(selected).then(
        (inspection) => {
          answer({ inspection, error: null });
        },
        (err: unknown) => {
          answer({ inspection: null, error: err instanceof Error ? err.message : String(err) });
        },
      );
    }, fetchDelay(lastFetchAt.current, performance.now(), newSelection));
    return () => {
      window.clearTimeout(timer);
    };
    // `selected` is read through `key`: a new object with the same ref must not refetch.
  }, [engine, key, revision]);

  // An answer about another object (the one selected before) is not shown.
  return state.key === key ? { inspection: state.inspection, error: state.error } : { inspection: null, error: null };
}
