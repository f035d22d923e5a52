import { useRef, useState } from 'react';

interface SplitterProps {
  className: string;
  /** vertical: a column border (drag left/right); horizontal: a row border (drag up/down). */
  orientation: 'vertical' | 'horizontal';
  label: string;
  /** The size it controls, in CSS pixels. */
  value: number;
  min: number;
  max: number;
  /** The controlled region is after the border (right or below): dragging towards it shrinks it. */
  invert?: boolean;
  onChange: (value: number) => void;
}

/** A draggable border between regions; a focusable separator that arrow keys move too. */
export function Splitter({ className, orientation, label, value, min, max, invert = false, onChange }: SplitterProps) {
  const [dragging, setDragging] = useState(false);
  const start = useRef<{ pointer: number; value: number } | null>(null);
  const clamp = (v: number): number => Math.round(Math.min(max, Math.max(min, v)));
  const along = (e: { clientX: number; clientY: number }): number => (orientation === 'vertical' ? e.clientX : e.clientY);
  return (
    <div
      className={`splitter splitter--${orientation} ${className}${dragging ? ' is-dragging' : ''}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onPointerDown={(e) => {
        start.current = { pointer: along(e), value };
        e.currentTarget.setPointerCapture(e.pointerId);
        setDragging(true);
      }}
      onPointerMove={(e) => {
        if (start.current === null) return;
        const delta = along(e) - start.current.pointer;
        onChange(clamp(start.current.value + (invert ? -delta : delta)));
      }}
      onPointerUp={() => {
        start.current = null;
        setDragging(false);
      }}
      onPointerCancel={() => {
        start.current = null;
        setDragging(false);
      }}
      onKeyDown={(e) => {
        const grow = orientation === 'vertical' ? (invert ? 'ArrowLeft' : 'ArrowRight') : invert ? 'ArrowUp' : 'ArrowDown';
        const shrink = orientation === 'vertical' ? (invert ? 'ArrowRight' : 'ArrowLeft') : invert ? 'ArrowDown' : 'ArrowUp';
        if (e.key === grow) onChange(clamp(value + 20));
        else if (e.key === shrink) onChange(clamp(value - 20));
        else return;
        e.preventDefault();
      }}
    />
  );
}
