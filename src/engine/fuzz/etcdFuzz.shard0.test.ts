import { expect, it } from 'vitest';
import { formatFailures, sweep } from './fuzzSweep';

// The fuzz budget of every `npm test`: 1,000 seeds, split over two files so vitest runs them on both cores.
// FUZZ_SEEDS and FUZZ_SEED_START change it; `npm run fuzz -- --seeds 100000` runs a long sweep.
const COUNT = Number(process.env.FUZZ_SEEDS ?? 1000);
const START = Number(process.env.FUZZ_SEED_START ?? 1);

it(`random fault schedules: seeds ${START}…${START + COUNT - 1} with seed % 2 === 0`, () => {
  const r = sweep(START, COUNT, 0, 2);
  console.log(`fuzz shard 0: ${r.seeds} seeds, ${r.events} events, ${r.operations} client operations, ${r.failures.length} failing`);
  expect(formatFailures(r.failures)).toBe('');
  // The runs did real work: clients got answers through the faults.
  expect(r.operations).toBeGreaterThan(r.seeds * 100);
}, 600_000);
