import { runEtcdFuzz, type FuzzOptions } from './etcdFuzz';

export interface SweepFailure {
  readonly seed: number;
  readonly members: number;
  readonly violation: string;
  /** The exact command that replays this seed with a log of every fault. */
  readonly replay: string;
}

export interface SweepResult {
  readonly seeds: number;
  readonly failures: readonly SweepFailure[];
  readonly events: number;
  readonly operations: number;
}

/** Runs the seeds [start, start + count) whose index falls in this shard (seed % shards === shard). */
export function sweep(start: number, count: number, shard = 0, shards = 1, options: Partial<FuzzOptions> = {}): SweepResult {
  const failures: SweepFailure[] = [];
  let seeds = 0;
  let events = 0;
  let operations = 0;
  for (let seed = start; seed < start + count; seed++) {
    if (seed % shards !== shard) continue;
    seeds++;
    const r = runEtcdFuzz(seed, options);
    events += r.stats.events;
    operations += r.stats.operations;
    if (r.violations.length > 0) {
      failures.push({ seed, members: r.members, violation: r.violations[0] as string, replay: `npm run fuzz -- --seed ${seed}` });
    }
  }
  return { seeds, failures, events, operations };
}

export function formatFailures(failures: readonly SweepFailure[]): string {
  return failures.map((f) => `seed ${f.seed} (${f.members} members): ${f.violation}\n  replay: ${f.replay}`).join('\n');
}
