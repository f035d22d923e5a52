import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { formatVirtualTime } from '../formatVirtualTime';
import type { EventRecord, ObjectRef } from '../protocol';
import { type ActionRow, formatCompact, kubectlObject, parseObjectRef, type TimelineRow, visibleRange } from './timelineRows';
import { useElementSize } from './useElementSize';

/** Wide enough for one line per row (time, type, reason, object, message); narrower rows take two lines. */
const ONE_LINE_MIN_WIDTH = 440;
const ROW_HEIGHT = { oneLine: 20, twoLines: 32 };

interface EventListProps {
  readonly rows: readonly TimelineRow[];
  /** EventRecord.object of the selected object, to mark its rows. */
  readonly selectedObject: string | null;
  readonly emptyText: string;
  readonly onSelect: (ref: ObjectRef) => void;
}

/**
 * Events and actions, newest at the bottom. Only the rows in view are rendered (the list
 * holds up to 2,000 events); it follows new rows unless the learner has scrolled up.
 */
export function EventList({ rows, selectedObject, emptyText, onSelect }: EventListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [measure, { width, height }] = useElementSize<HTMLDivElement>();
  const setRef = useCallback(
    (el: HTMLDivElement | null) => {
      ref.current = el;
      measure(el);
    },
    [measure],
  );
  const [scrollTop, setScrollTop] = useState(0);
  const pinned = useRef(true);
  const oneLine = width >= ONE_LINE_MIN_WIDTH;
  const rowHeight = oneLine ? ROW_HEIGHT.oneLine : ROW_HEIGHT.twoLines;

  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null || !pinned.current) return;
    el.scrollTop = el.scrollHeight;
    setScrollTop(el.scrollTop);
  }, [rows, rowHeight, height]);

  const onScroll = () => {
    const el = ref.current;
    if (el === null) return;
    pinned.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
    setScrollTop(el.scrollTop);
  };

  const { start, end } = visibleRange(rows.length, rowHeight, scrollTop, height);
  return (
    <>
      <div
        ref={setRef}
        className={`tl-list ${oneLine ? 'is-one-line' : 'is-two-lines'}`}
        role="list"
        aria-label="Events and actions, oldest first"
        tabIndex={0}
        data-testid="timeline-list"
        data-rows={rows.length}
        onScroll={onScroll}
      >
        <div className="tl-list__inner" style={{ height: rows.length * rowHeight }}>
          {rows.slice(start, end).map((row, i) => {
            const index = start + i;
            const common = { top: index * rowHeight, height: rowHeight, index, count: rows.length };
            return row.kind === 'event' ? (
              <EventRow key={row.key} {...common} event={row.event} selected={row.event.object === selectedObject} onSelect={onSelect} />
            ) : (
              <ActionLine key={row.key} {...common} row={row} />
            );
          })}
        </div>
      </div>
      {rows.length === 0 ? <p className="tl-empty">{emptyText}</p> : null}
    </>
  );
}

interface Placed {
  readonly top: number;
  readonly height: number;
  readonly index: number;
  readonly count: number;
}

function EventRow({ top, height, index, count, event, selected, onSelect }: Placed & { event: EventRecord; selected: boolean; onSelect: (ref: ObjectRef) => void }) {
  const ref = parseObjectRef(event.object);
  return (
    <div
      className={`tl-row tl-event${event.type === 'Warning' ? ' is-warning' : ''}${selected ? ' is-selected' : ''}`}
      style={{ top, height }}
      role="listitem"
      aria-posinset={index + 1}
      aria-setsize={count}
      data-testid="timeline-event"
      data-reason={event.reason}
      data-object={event.object}
      data-type={event.type}
    >
      <span className="tl-time" title={formatVirtualTime(event.atMs)}>
        {formatCompact(event.atMs)}
      </span>
      <span className="tl-type">{event.type}</span>
      <span className="tl-reason" title={`${event.type}: ${event.reason}`}>
        {event.reason}
      </span>
      {ref === null ? (
        <span className="tl-object">{event.object}</span>
      ) : (
        <button type="button" className="tl-object" title={`Select ${ref.kind} ${ref.namespace === '' ? '' : `${ref.namespace}/`}${ref.name}`} onClick={() => onSelect(ref)}>
          {kubectlObject(event.object)}
        </button>
      )}
      <span className="tl-count">{event.count > 1 ? `×${event.count}` : ''}</span>
      <span className="tl-message" title={event.message}>
        {event.message}
      </span>
    </div>
  );
}

function ActionLine({ top, height, index, count, row }: Placed & { row: ActionRow }) {
  return (
    <div
      className={`tl-row tl-action ${row.sigil === '!' ? 'is-fault' : 'is-command'}`}
      style={{ top, height }}
      role="listitem"
      aria-posinset={index + 1}
      aria-setsize={count}
      data-testid="timeline-action"
    >
      <span className="tl-time" title={formatVirtualTime(row.atMs)}>
        {formatCompact(row.atMs)}
      </span>
      <span className="tl-command" title={row.text}>
        <span className="tl-sigil" aria-hidden="true">
          {row.sigil}
        </span>
        {row.text}
      </span>
    </div>
  );
}
