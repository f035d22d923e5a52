import { expect, it } from 'vitest';
import { runClusterFuzz } from './clusterFuzz';

// Whole-cluster fault schedules in every `npm test`: 200 seeds over two files (one per core).
// CLUSTER_FUZZ_SEEDS changes the count; `npm run fuzz -- --cluster --seed N` replays one with its faults.
const COUNT = Number(process.env.CLUSTER_FUZZ_SEEDS ?? 200);
const SHARD = 1;

it(`whole-cluster fault schedules: seeds 1…${COUNT} with seed % 2 === ${SHARD}`, () => {
  const failures: string[] = [];
  let faults = 0;
  let replaced = 0;
  for (let seed = 1; seed <= COUNT; seed++) {
    if (seed % 2 !== SHARD) continue;
    const r = runClusterFuzz(seed);
    faults += r.faults;
    // Eleven pods make the workloads; more means controllers replaced evicted or deleted ones.
    replaced += r.podsCreated - 11;
    if (r.violations.length > 0) failures.push(`seed ${seed} (replay: npm run fuzz -- --cluster --seed ${seed}):\n  ${r.violations.slice(0, 5).join('\n  ')}`);
  }
  console.log(`cluster fuzz shard ${SHARD}: ${Math.ceil(COUNT / 2)} seeds, ${faults} faults, ${failures.length} failing`);
  expect(failures.join('\n')).toBe('');
  // The schedules did inject faults, and pods were replaced under them.
  expect(faults).toBeGreaterThan(COUNT * 2);
  expect(replaced).toBeGreaterThan(COUNT / 2);
}, 900_000);
