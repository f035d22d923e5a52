import './topbar.css';
import { useAppStore } from './store';
import { TimeControls } from './timeline/TimeControls';
import { TopologyPicker } from './TopologyPicker';

export function TopBar() {
  const seed = useAppStore((s) => s.seed);
  const quorum = useAppStore((s) => s.quorum);
  const masters = useAppStore((s) => s.snapshot.etcd.length);
  const workers = useAppStore((s) => s.snapshot.nodes.length) - masters;
  const restoring = useAppStore((s) => s.restoring);
  return (
    <header className="topbar">
      <div className="topbar__brand">
        <Logo />
        <h1 className="topbar__title">Kubeplay</h1>
      </div>
      <TimeControls />
      <div className="topbar__right">
        {restoring === null ? null : (
          <span className="restore-badge" role="status" data-testid="restoring">
            {`Restoring your cluster… ${Math.floor((100 * restoring.atMs) / Math.max(1, restoring.untilMs))}%`}
          </span>
        )}
        <span className={`quorum-badge ${quorum ? 'is-ok' : 'is-lost'}`} data-testid="quorum-badge" role="status">
          {quorum ? 'control plane: quorum' : 'no quorum: writes are refused'}
        </span>
        <TopologyPicker />
        <span className="topbar__meta mono" title="The seed of this cluster's randomness: the same seed and actions replay the same run">
          {`${masters}m · ${workers}w · seed ${String(seed)}`}
        </span>
      </div>
    </header>
  );
}

function Logo() {
  return (
    <svg className="topbar__logo" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
      <path d="M12 1.8 21 6.9v10.2L12 22.2 3 17.1V6.9z" fill="none" stroke="currentColor" strokeWidth="1.8" />
      <circle cx="12" cy="12" r="3.2" fill="currentColor" />
    </svg>
  );
}
