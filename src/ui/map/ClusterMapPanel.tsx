import { useRef } from 'react';
import { Panel } from '../Panel';
import { useAppStore } from '../store';
import { Legend } from './Legend';
import { MapView, type MapControls } from './MapView';
import { PartitionControl } from './PartitionControl';
import './map.css';

/** The cluster map: zones, nodes and pods drawn on a canvas, with the partition and zoom controls in its header. */
export function ClusterMapPanel() {
  const controls = useRef<MapControls | null>(null);
  const engineError = useAppStore((s) => s.engineError);
  return (
    <Panel
      area="map"
      title="Cluster"
      actions={
        <>
          <Legend />
          <PartitionControl />
          <button type="button" className="btn" title="Fit the whole cluster in view" onClick={() => controls.current?.fit()}>
            Fit
          </button>
        </>
      }
    >
      {engineError === null ? null : (
        <div className="cluster-map__error" role="alert" data-testid="engine-error">
          <strong>The engine stopped:</strong> {engineError}
        </div>
      )}
      <MapView controlsRef={controls} />
    </Panel>
  );
}
