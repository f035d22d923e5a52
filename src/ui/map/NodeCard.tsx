import type { EtcdMemberSnapshot, NodeSnapshot } from '../../engine';
import { GROUP_TONES, MAP_METRICS } from './layoutClusterMap';

const ROLE_LABEL = { 'control-plane': 'control-plane', worker: 'worker' } as const;

/**
 * Rough width of a label in the card's 11 px semibold UI font, erring wide, so
 * pills fit their text without measuring the DOM (sized for the widest common
 * fallback font, DejaVu Sans).
 */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    if (ch >= 'A' && ch <= 'Z') w += 8.6;
    else if (ch >= '0' && ch <= '9') w += 7;
    else if (ch === ' ' || ch === '-' || ch === '.') w += 4.5;
    else w += 6.6;
  }
  return Math.ceil(w);
}

/** Width of a pill with `left` px before its text and `right` px after it. */
function pillWidth(text: string, left = 8, right = 8): number {
  return left + textWidth(text) + right;
}

interface NodeCardProps {
  node: NodeSnapshot;
  x: number;
  y: number;
  /** 0-based partition group, or null when the network is whole. */
  group: number | null;
  /** The etcd member on this node (masters only). */
  etcd?: EtcdMemberSnapshot | undefined;
}

/**
 * One node as a card: name, readiness, role, capacity. Readiness is the host's
 * alive state for now; once kubelets run, it will be the Node's Ready condition.
 */
export function NodeCard({ node, x, y, group, etcd }: NodeCardProps) {
  const { cardWidth: w, cardHeight: h } = MAP_METRICS;
  const status = node.alive ? 'Ready' : 'NotReady';
  const statusW = pillWidth(status, 20, 9);
  const clipId = `node-clip-${node.name}`;
  const roleW = pillWidth(ROLE_LABEL[node.role]);
  const groupLabel = group === null ? null : `group ${group + 1}`;
  const groupW = groupLabel === null ? 0 : pillWidth(groupLabel);
  const classes = ['node-card', `node-card--${node.role}`, node.alive ? 'is-alive' : 'is-down'].join(' ');
  return (
    <g
      className={classes}
      transform={`translate(${x} ${y})`}
      data-testid="node"
      data-node={node.name}
      data-role={node.role}
      data-zone={node.zone}
      data-alive={node.alive ? 'true' : 'false'}
      role="group"
      aria-label={`${node.name}, ${node.role}, ${node.zone}, ${status}`}
    >
      <title>
        {`${node.name} (${node.role}) in ${node.zone}: host ${node.alive ? 'up' : 'down'}. ` +
          'Readiness follows the host for now; the kubelet will report it in a later version.'}
      </title>
      <clipPath id={clipId}>
        <rect width={w} height={h} rx={8} />
      </clipPath>
      <rect className="node-card__body" width={w} height={h} rx={8} />
      <rect className="node-card__accent" x={0} y={0} width={4} height={h} clipPath={`url(#${clipId})`} />
      <text className="node-card__name" x={16} y={24}>
        {node.name}
      </text>
      <g transform={`translate(${w - 10 - statusW} 10)`} className="node-card__status">
        <rect width={statusW} height={20} rx={10} />
        <circle cx={11} cy={10} r={3.5} />
        <text x={20} y={14}>
          {status}
        </text>
      </g>
      <g transform="translate(16 34)" className="node-card__role">
        <rect width={roleW} height={18} rx={4} />
        <text x={roleW / 2} y={13} textAnchor="middle">
          {ROLE_LABEL[node.role]}
        </text>
      </g>
      {groupLabel !== null && (
        <g
          transform={`translate(${w - 10 - groupW} 34)`}
          className={`node-card__group group-tone-${(group ?? 0) % GROUP_TONES}`}
        >
          <rect width={groupW} height={18} rx={4} />
          <text x={groupW / 2} y={13} textAnchor="middle">
            {groupLabel}
          </text>
        </g>
      )}
      <line className="node-card__rule" x1={16} x2={w - 12} y1={60} y2={60} />
      {etcd === undefined ? (
        <>
          <CapacityCell x={16} label="CPU" value={node.cpu} />
          <CapacityCell x={80} label="MEMORY" value={node.memory} />
          <CapacityCell x={152} label="PODS" value={String(node.maxPods)} />
        </>
      ) : (
        // A master's etcd member: its Raft role, term and commit index.
        <g data-testid="etcd-member" data-raft-role={etcd.role} data-term={etcd.term}>
          <CapacityCell x={16} label="ETCD" value={etcd.role} className={`raft-role raft-role--${etcd.role}`} />
          <CapacityCell x={104} label="TERM" value={String(etcd.term)} />
          <CapacityCell x={152} label="COMMIT" value={String(etcd.commit)} />
        </g>
      )}
    </g>
  );
}

function CapacityCell({ x, label, value, className }: { x: number; label: string; value: string; className?: string }) {
  return (
    <g className={className ? `node-card__cap ${className}` : 'node-card__cap'}>
      <text className="node-card__cap-label" x={x} y={74}>
        {label}
      </text>
      <text className="node-card__cap-value" x={x} y={88}>
        {value}
      </text>
    </g>
  );
}
