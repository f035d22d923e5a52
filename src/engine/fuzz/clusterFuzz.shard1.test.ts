import { expect, it } from 'vitest';
import { clusterFuzzShard } from './clusterFuzz';

// Whole-cluster fault schedules in every `npm test`: 200 seeds over two files (one per core).
// CLUSTER_FUZZ_SEEDS changes the count; `npm run fuzz -- --cluster --seed N` replays one with its faults.
const COUNT = Number(process.env.CLUSTER_FUZZ_SEEDS ?? 200);

it(`whole-cluster fault schedules: seeds 1…${COUNT} with seed % 2 === 1`, () => {
  const r = clusterFuzzShard(COUNT, 1);
  console.log(`cluster fuzz shard 1: ${r.seeds} seeds, ${r.faults} faults, ${r.replaced} pods replaced, ${r.failures.length} failing`);
  expect(r.failures.join('\n')).toBe('');
  // The schedules did inject faults, and pods were replaced under them.
  expect(r.faults).toBeGreaterThan(r.seeds * 4);
  expect(r.replaced).toBeGreaterThan(r.seeds / 2);
}, 900_000);
