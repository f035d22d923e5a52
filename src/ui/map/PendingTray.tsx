import type { MouseEvent } from 'react';
import { podButtonProps } from './A11yLayer';
import type { A11yPod } from './a11y';
import { podPaint } from './pods';

/** Chips shown in the tray; the rest are counted. */
const TRAY_CHIPS = 40;

interface PendingTrayProps {
  pods: readonly A11yPod[];
  onActivate: (e: MouseEvent<HTMLButtonElement>) => void;
}

/** Pods the scheduler has not placed (spec.nodeName empty), under the map, and the key to the Raft messages' colours. */
export function PendingTray({ pods, onActivate }: PendingTrayProps) {
  const shown = pods.slice(0, TRAY_CHIPS);
  return (
    <div className="cluster-map__tray">
      <div className="pending-tray" role="group" aria-label={`Pending (unscheduled): ${pods.length} pods`} data-testid="pending-tray" data-count={pods.length}>
        <span className="pending-tray__title">Pending (unscheduled)</span>
        <span className={`pending-tray__count mono${pods.length > 0 ? ' is-nonzero' : ''}`}>{pods.length}</span>
        <span className="pending-tray__chips">
          {shown.map((p) => {
            const paint = podPaint({ phase: p.phase, status: p.status, ready: p.ready, deleting: p.status === 'Terminating' });
            return (
              <button
                key={p.uid}
                type="button"
                className={`pod-chip pod-chip--${paint.tone}${paint.filled ? '' : ' pod-chip--outline'}${paint.faded ? ' pod-chip--faded' : ''}`}
                title={p.label}
                {...podButtonProps(p)}
                onClick={onActivate}
              />
            );
          })}
          {pods.length > shown.length ? <span className="pending-tray__more">+{pods.length - shown.length}</span> : null}
        </span>
      </div>
      <div className="raft-key" aria-label="Raft messages between masters">
        <span className="raft-key__title">Raft</span>
        <span className="raft-key__item raft-key__item--append">MsgApp</span>
        <span className="raft-key__item raft-key__item--heartbeat">MsgHeartbeat</span>
        <span className="raft-key__item raft-key__item--vote">MsgVote</span>
        <span className="raft-key__item raft-key__item--resp">…Resp</span>
      </div>
    </div>
  );
}
