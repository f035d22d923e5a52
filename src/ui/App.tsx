import { EngineErrorBanner } from './EngineErrorBanner';
import { ClusterMap } from './map/ClusterMap';
import { PartitionNote } from './map/PartitionNote';
import { MapFooter } from './MapFooter';
import { MapLegend } from './MapLegend';
import { Panel, Placeholder } from './Panel';
import { TopBar } from './TopBar';

export function App() {
  return (
    <div className="app">
      <TopBar />
      <Panel area="editor" title="Editor">
        <Placeholder>Write Kubernetes manifests in YAML here, then apply them to the cluster.</Placeholder>
      </Panel>
      <Panel area="map" title="Cluster map" actions={<MapLegend />}>
        <EngineErrorBanner />
        <PartitionNote />
        <div className="cluster-map">
          <ClusterMap />
        </div>
        <MapFooter />
      </Panel>
      <Panel area="inspector" title="Inspector">
        <Placeholder>Select a node or object on the map to see it as YAML and as kubectl describe.</Placeholder>
      </Panel>
      <Panel area="console" title="Console">
        <Placeholder>Type kubectl commands here: get, describe, apply, scale, drain…</Placeholder>
      </Panel>
    </div>
  );
}
