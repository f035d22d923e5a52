import { useAppStore } from './store';

/** Counts under the map: nodes, readiness, zones and the traffic the network carried. */
export function MapFooter() {
  const nodes = useAppStore((s) => s.snapshot.nodes);
  const zones = useAppStore((s) => s.snapshot.zones);
  const network = useAppStore((s) => s.snapshot.network);
  const masters = nodes.filter((n) => n.role === 'control-plane').length;
  const ready = nodes.filter((n) => n.alive).length;
  return (
    <footer className="map-footer">
      <span>
        <b>{nodes.length}</b> nodes (<b>{masters}</b> control-plane, <b>{nodes.length - masters}</b> worker)
      </span>
      <span>
        <b>{ready}</b> Ready
      </span>
      <span>
        <b>{zones.length}</b> zones
      </span>
      <span className="map-footer__net">
        messages sent <b>{network.sent}</b> · delivered <b>{network.delivered}</b> · dropped <b>{network.dropped}</b>
      </span>
    </footer>
  );
}
