import { useAppStore } from './store';

/** Shown when the engine threw: the clock stops, and the learner sees why. */
export function EngineErrorBanner() {
  const error = useAppStore((s) => s.engineError);
  if (error === null) return null;
  return (
    <div className="engine-error" role="alert">
      <strong>The simulation stopped.</strong> {error}
    </div>
  );
}
