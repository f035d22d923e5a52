import type { Hasher } from '../hash';
import type { World } from '../world';
import { DEFAULT_ETCD_SETTINGS, emptyDisk, EtcdMember, type EtcdMemberSnapshot, type EtcdSettings } from './etcdMember';

/**
 * The etcd cluster of the control plane: one member per master host. Members
 * start with the host and stop when it dies; what a member wrote to disk (term,
 * vote, log) is kept across the restart.
 */
export class EtcdCluster {
  readonly settings: EtcdSettings;
  private readonly byId = new Map<string, EtcdMember>();

  constructor(
    private readonly world: World,
    readonly memberIds: readonly string[],
    settings: Partial<EtcdSettings> = {},
  ) {
    this.settings = { ...DEFAULT_ETCD_SETTINGS, ...settings };
    for (const id of memberIds) this.byId.set(id, new EtcdMember(world, id, memberIds, this.settings, emptyDisk()));
    world.net.onHostStatus((id, alive) => {
      const m = this.byId.get(id);
      if (m === undefined) return;
      if (alive) m.start();
      else m.stop();
    });
    for (const m of this.byId.values()) if (world.net.isAlive(m.id)) m.start();
  }

  member(id: string): EtcdMember {
    const m = this.byId.get(id);
    if (m === undefined) throw new Error(`no etcd member on ${id}`);
    return m;
  }

  members(): EtcdMember[] {
    return [...this.byId.values()];
  }

  /** The running member that leads in the highest term, if any. */
  leader(): EtcdMember | undefined {
    let best: EtcdMember | undefined;
    for (const m of this.byId.values()) {
      const r = m.raftMember;
      if (r?.role === 'leader' && (best === undefined || r.term > (best.raftMember?.term ?? 0))) best = m;
    }
    return best;
  }

  snapshot(): EtcdMemberSnapshot[] {
    return this.members().map((m) => m.snapshot());
  }

  /** Each member's durable and volatile Raft state and store revision, for the cluster's state hash. */
  hashInto(h: Hasher): void {
    for (const m of this.byId.values()) {
      const d = m.disk.raft;
      const r = m.raftMember;
      h.str(m.id).num(d.term).str(d.vote).num(d.commit).num(d.entries.length).num(m.disk.incarnation);
      const last = d.entries[d.entries.length - 1];
      h.num(last?.term ?? 0).str(last?.label ?? '');
      h.str(r?.role ?? 'down').str(r?.lead ?? '').num(r?.appliedIndex ?? 0).num(m.kv.revision);
    }
  }
}
