import type { ReactNode } from 'react';

interface PanelProps {
  /** The panel's name: its CSS modifier and test id (`panel-editor`). */
  area: string;
  title: string;
  /** Controls at the right of the panel header. */
  actions?: ReactNode;
  children: ReactNode;
}

/** A framed region of the workspace with a small heading. */
export function Panel({ area, title, actions, children }: PanelProps) {
  const headingId = `panel-${area}-title`;
  return (
    <section className={`panel panel--${area}`} aria-labelledby={headingId} data-testid={`panel-${area}`}>
      <header className="panel__header">
        <h2 id={headingId} className="panel__title">
          {title}
        </h2>
        {actions === undefined ? null : <div className="panel__actions">{actions}</div>}
      </header>
      <div className="panel__body">{children}</div>
    </section>
  );
}
