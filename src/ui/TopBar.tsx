import { PlaybackControls } from './PlaybackControls';
import { useAppStore } from './store';
import { VirtualClock } from './VirtualClock';

export function TopBar() {
  const seed = useAppStore((s) => s.seed);
  const events = useAppStore((s) => s.snapshot.eventsProcessed);
  const pending = useAppStore((s) => s.snapshot.pendingEvents);
  return (
    <header className="topbar">
      <div className="topbar__brand">
        <Logo />
        <h1 className="topbar__title">Kubeplay</h1>
        <span className="topbar__tagline">a Kubernetes cluster in your browser</span>
      </div>
      <div className="topbar__time">
        <VirtualClock />
        <PlaybackControls />
      </div>
      <dl className="topbar__stats">
        <Stat label="seed" value={String(seed)} />
        <Stat label="events" value={events.toLocaleString('en-US')} />
        <Stat label="pending" value={pending.toLocaleString('en-US')} />
      </dl>
    </header>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Logo() {
  return (
    <svg className="topbar__logo" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
      <path d="M12 1.8 21 6.9v10.2L12 22.2 3 17.1V6.9z" fill="none" stroke="currentColor" strokeWidth="1.8" />
      <circle cx="12" cy="12" r="3.2" fill="currentColor" />
    </svg>
  );
}
