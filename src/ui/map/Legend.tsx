const ITEMS = [
  { tone: 'ready', label: 'Ready', title: 'Running and Ready' },
  { tone: 'ready pod-chip--outline', label: 'Not ready', title: 'Running, not Ready yet (readiness probe)' },
  { tone: 'pending', label: 'Pending', title: 'Pending, ContainerCreating, Init' },
  { tone: 'down', label: 'Failed', title: 'Failed, or failing: CrashLoopBackOff, Error, ImagePullBackOff' },
  { tone: 'succeeded', label: 'Succeeded', title: 'Succeeded (kubectl: Completed). Faded chips are Terminating' },
] as const;

/** What the pod chips' colours mean, small enough for the panel header. */
export function Legend() {
  return (
    <ul className="map-legend" aria-label="Pod colours">
      {ITEMS.map((item) => (
        <li key={item.label} className="map-legend__item" title={item.title}>
          <span className={`pod-chip pod-chip--${item.tone}`} aria-hidden="true" />
          {item.label}
        </li>
      ))}
    </ul>
  );
}
