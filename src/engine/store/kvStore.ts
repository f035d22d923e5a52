/**
 * An etcd-like multi-version key/value state machine. Every member applies the
 * same committed entries in the same order, so every member's store passes
 * through the same revisions.
 *
 * As in etcd: one global revision, bumped once per transaction that changes
 * anything; per key a create revision, a mod revision and a version (writes
 * since creation, reset by delete); transactions compare then run one branch;
 * watches replay history from any retained revision.
 */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly version: number;
}

export type StoreOp =
  | { readonly op: 'put'; readonly key: string; readonly value: string }
  | { readonly op: 'delete'; readonly key: string; readonly prefix?: boolean };

export interface Compare {
  readonly key: string;
  /** Which number or the value to compare; a missing key has value "" and revisions/version 0. */
  readonly target: 'mod' | 'create' | 'version' | 'value';
  readonly result: '=' | '!=' | '<' | '>';
  readonly operand: number | string;
}

export interface TxnRequest {
  readonly compare: readonly Compare[];
  readonly success: readonly StoreOp[];
  readonly failure: readonly StoreOp[];
}

export interface OpResult {
  /** For put: the previous value; for delete: how many keys went. */
  readonly prevKv?: KeyValue;
  readonly deleted?: number;
}

export interface TxnResult {
  readonly succeeded: boolean;
  /** The store revision after the transaction. */
  readonly revision: number;
  readonly results: readonly OpResult[];
}

export interface WatchEvent {
  readonly type: 'PUT' | 'DELETE';
  /** For DELETE: the key with modRevision = the deletion's revision and an empty value. */
  readonly kv: KeyValue;
  readonly prevKv?: KeyValue;
}

export interface RangeResult {
  readonly kvs: readonly KeyValue[];
  /** The store revision the read saw. */
  readonly revision: number;
}

/** etcd's error for a watch or read below the compacted revision. */
export class CompactedError extends Error {
  override readonly name = 'CompactedError';
  constructor(readonly compactRevision: number) {
    super('mvcc: required revision has been compacted');
  }
}

export interface KvStoreOptions {
  /** Watch history kept (events); older history is compacted away. */
  maxHistory: number;
}

export class KvStore {
  private rev = 0;
  private readonly data = new Map<string, KeyValue>();
  /** Every change, in revision order, back to the compaction point. */
  private history: { revision: number; event: WatchEvent }[] = [];
  private compacted = 0;
  private readonly maxHistory: number;

  constructor(options: Partial<KvStoreOptions> = {}) {
    this.maxHistory = options.maxHistory ?? 100_000;
  }

  get revision(): number {
    return this.rev;
  }

  /** Events at or below this revision are no longer available to watch. */
  get compactRevision(): number {
    return this.compacted;
  }

  get size(): number {
    return this.data.size;
  }

  /**
   * About what etcd's bbolt file would weigh: it starts at 20 KiB and grows in 4 KiB pages
   * with every revision kept (keys, values and per-revision overhead).
   */
  approximateDbSize(): number {
    let bytes = 0;
    for (const h of this.history) bytes += h.event.kv.key.length + h.event.kv.value.length + 64;
    return 20_480 + Math.ceil(bytes / 4096) * 4096;
  }

  get(key: string): KeyValue | undefined {
    return this.data.get(key);
  }

  /** Keys equal to `key`, or starting with it when `prefix`, in key order. */
  range(key: string, prefix = false): RangeResult {
    if (!prefix) {
      const kv = this.data.get(key);
      return { kvs: kv ? [kv] : [], revision: this.rev };
    }
    const kvs = [...this.data.values()].filter((kv) => kv.key.startsWith(key)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { kvs, revision: this.rev };
  }

  txn(req: TxnRequest): TxnResult {
    const succeeded = req.compare.every((c) => this.holds(c));
    const ops = succeeded ? req.success : req.failure;
    const next = this.rev + 1;
    let changed = false;
    const results: OpResult[] = [];
    for (const op of ops) {
      if (op.op === 'put') {
        const prev = this.data.get(op.key);
        const kv: KeyValue = {
          key: op.key,
          value: op.value,
          createRevision: prev ? prev.createRevision : next,
          modRevision: next,
          version: prev ? prev.version + 1 : 1,
        };
        this.data.set(op.key, kv);
        this.record(next, prev ? { type: 'PUT', kv, prevKv: prev } : { type: 'PUT', kv });
        results.push(prev ? { prevKv: prev } : {});
        changed = true;
      } else {
        const victims = op.prefix ? this.range(op.key, true).kvs : this.range(op.key).kvs;
        for (const prev of victims) {
          this.data.delete(prev.key);
          this.record(next, {
            type: 'DELETE',
            kv: { key: prev.key, value: '', createRevision: 0, modRevision: next, version: 0 },
            prevKv: prev,
          });
        }
        if (victims.length > 0) changed = true;
        results.push({ deleted: victims.length });
      }
    }
    if (changed) this.rev = next;
    return { succeeded, revision: this.rev, results };
  }

  /** Changes to `key` (or under it, with `prefix`) at revisions ≥ fromRevision, in order. */
  eventsSince(fromRevision: number, key: string, prefix = false): { revision: number; event: WatchEvent }[] {
    if (fromRevision <= this.compacted) throw new CompactedError(this.compacted);
    const out: { revision: number; event: WatchEvent }[] = [];
    // History is sorted by revision: binary-search the start.
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.history[mid] as { revision: number }).revision < fromRevision) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.history.length; i++) {
      const h = this.history[i] as { revision: number; event: WatchEvent };
      if (prefix ? h.event.kv.key.startsWith(key) : h.event.kv.key === key) out.push(h);
    }
    return out;
  }

  /** Whether an event's key is one a watch on (key, prefix) covers. */
  static matches(event: WatchEvent, key: string, prefix: boolean): boolean {
    return prefix ? event.kv.key.startsWith(key) : event.kv.key === key;
  }

  private holds(c: Compare): boolean {
    const kv = this.data.get(c.key);
    const actual: number | string =
      c.target === 'value' ? (kv?.value ?? '') : c.target === 'mod' ? (kv?.modRevision ?? 0) : c.target === 'create' ? (kv?.createRevision ?? 0) : (kv?.version ?? 0);
    switch (c.result) {
      case '=':
        return actual === c.operand;
      case '!=':
        return actual !== c.operand;
      case '<':
        return actual < c.operand;
      case '>':
        return actual > c.operand;
    }
  }

  private record(revision: number, event: WatchEvent): void {
    this.history.push({ revision, event });
    // Compact in batches (a quarter over the limit) so steady writes cost O(1) each.
    if (this.history.length > this.maxHistory + (this.maxHistory >> 2)) {
      const drop = this.history.length - this.maxHistory;
      // Compact whole revisions only, so a watch never sees half a transaction.
      let cut = drop;
      const lastDropped = (this.history[cut - 1] as { revision: number }).revision;
      while (cut < this.history.length && (this.history[cut] as { revision: number }).revision === lastDropped) cut++;
      this.compacted = lastDropped;
      this.history = this.history.slice(cut);
    }
  }
}
