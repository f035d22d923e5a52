import { useAppStore } from '../store';
import { GROUP_TONES } from './layoutClusterMap';

/** A one-line note of the partition groups, shown above the map while the network is split. */
export function PartitionNote() {
  const partition = useAppStore((s) => s.snapshot.partition);
  const nodes = useAppStore((s) => s.snapshot.nodes);
  if (partition === null) return null;
  // The engine says which group each node is in; hosts named in no group share the last one.
  const groups = Array.from({ length: partition.length + 1 }, (_, g) =>
    nodes.filter((n) => n.partitionGroup === g).map((n) => n.name),
  ).filter((g) => g.length > 0);
  return (
    <div className="partition-note" role="status" data-testid="partition-note">
      <strong>Partitioned</strong>
      <span className="partition-note__groups">
        {groups.map((g, i) => (
          <span key={i} className={`partition-note__group group-tone-${i % GROUP_TONES}`}>
            {`group ${i + 1}: ${g.join(', ')}`}
          </span>
        ))}
      </span>
      <span className="partition-note__hint">no traffic between groups</span>
    </div>
  );
}
