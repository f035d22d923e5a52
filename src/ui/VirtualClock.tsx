import { useAppStore } from './store';
import { formatVirtualTime } from './formatVirtualTime';

/** The simulation's clock. `data-now-ms` carries the exact virtual milliseconds for tests. */
export function VirtualClock() {
  const now = useAppStore((s) => s.snapshot.now);
  return (
    <div className="clock" title="Virtual time since the cluster started">
      <span className="clock__label">virtual time</span>
      <output className="clock__value" data-testid="clock" data-now-ms={now} aria-label="Virtual time">
        {formatVirtualTime(now)}
      </output>
    </div>
  );
}
