import { useMemo } from 'react';
import { useAppStore } from '../store';
import { layoutClusterMap, MAP_METRICS } from './layoutClusterMap';
import { NodeCard } from './NodeCard';

/** Scaling a small cluster up past this makes the cards look inflated. */
const MAX_SCALE = 1.15;

const SECTION_TITLE = { 'control-plane': 'CONTROL PLANE', worker: 'WORKERS' } as const;

/** Zones as regions, nodes as cards inside them: masters on the upper band, workers below. */
export function ClusterMap() {
  const zones = useAppStore((s) => s.snapshot.zones);
  const nodes = useAppStore((s) => s.snapshot.nodes);
  const etcd = useAppStore((s) => s.snapshot.etcd);
  const layout = useMemo(() => layoutClusterMap(zones, nodes), [zones, nodes]);
  const etcdOf = useMemo(() => new Map(etcd.map((m) => [m.id, m])), [etcd]);

  if (layout.zones.length === 0) {
    return <p className="cluster-map__empty">No nodes yet.</p>;
  }
  return (
    <svg
      className="cluster-map__svg"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      preserveAspectRatio="xMidYMid meet"
      style={{ maxWidth: layout.width * MAX_SCALE, maxHeight: layout.height * MAX_SCALE }}
      role="group"
      aria-label="Cluster map"
      data-testid="cluster-map"
    >
      {layout.zones.map((zone) => (
        <g key={zone.name} className="zone" data-testid="zone" data-zone={zone.name} role="group" aria-label={zone.name}>
          <rect className="zone__body" x={zone.x} y={zone.y} width={zone.width} height={zone.height} rx={12} />
          <text className="zone__name" x={zone.x + MAP_METRICS.zonePad} y={zone.y + 26}>
            {zone.name}
          </text>
          <text className="zone__count" x={zone.x + zone.width - MAP_METRICS.zonePad} y={zone.y + 26} textAnchor="end">
            {`${zone.readyCount}/${zone.nodeCount} Ready`}
          </text>
          {zone.sections.map((section) => (
            <g key={section.kind}>
              <text className="zone__section" x={zone.x + MAP_METRICS.zonePad} y={section.labelY}>
                {SECTION_TITLE[section.kind]}
              </text>
              {section.emptySlot && (
                <g>
                  <rect
                    className="zone__empty"
                    x={section.emptySlot.x}
                    y={section.emptySlot.y}
                    width={section.emptySlot.width}
                    height={MAP_METRICS.cardHeight}
                    rx={8}
                  />
                  <text
                    className="zone__empty-text"
                    x={section.emptySlot.x + section.emptySlot.width / 2}
                    y={section.emptySlot.y + MAP_METRICS.cardHeight / 2 + 4}
                    textAnchor="middle"
                  >
                    {section.kind === 'control-plane' ? 'no masters here' : 'no workers here'}
                  </text>
                </g>
              )}
            </g>
          ))}
          {zone.nodes.map((p) => (
            <NodeCard key={p.node.name} node={p.node} x={p.x} y={p.y} group={p.group} etcd={etcdOf.get(p.node.name)} />
          ))}
        </g>
      ))}
    </svg>
  );
}
