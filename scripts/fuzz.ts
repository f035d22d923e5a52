// npm run fuzz -- --seeds 100000 [--start 1] [--shard 0/2]   a long sweep of random fault schedules
// npm run fuzz -- --seed 1234                                 replay one seed, printing every fault and violation
// npm run fuzz -- --cluster --seed 12                         replay one whole-cluster seed; --cluster --seeds N sweeps
import { runClusterFuzz } from '../src/engine/fuzz/clusterFuzz';
import { runEtcdFuzz } from '../src/engine/fuzz/etcdFuzz';
import { formatFailures, sweep, type SweepFailure } from '../src/engine/fuzz/fuzzSweep';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function int(name: string, fallback: number): number {
  const raw = arg(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`--${name} needs a whole number, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

if (process.argv.includes('--cluster')) {
  const one = arg('seed');
  const seeds = one === undefined ? Array.from({ length: int('seeds', 200) }, (_, i) => int('start', 1) + i) : [int('seed', 0)];
  let failing = 0;
  for (const seed of seeds) {
    const r = runClusterFuzz(seed, one === undefined ? {} : { log: (line) => console.log(line) });
    if (r.violations.length > 0) failing++;
    if (r.violations.length > 0 || one !== undefined) console.log(`seed ${seed}: ${r.faults} faults, ${r.violations.length} violation(s)${r.violations.map((v) => `\n  ${v}`).join('')}`);
  }
  console.log(`${seeds.length} seed(s), ${failing} failing`);
  process.exit(failing === 0 ? 0 : 1);
}

const replay = arg('seed');
if (replay !== undefined) {
  const seed = int('seed', 0);
  const r = runEtcdFuzz(seed, { stopAtFirst: false, log: (line) => console.log(line) });
  console.log(JSON.stringify(r.stats));
  console.log(r.violations.length === 0 ? `seed ${seed}: no violation` : `seed ${seed}: ${r.violations.length} violation(s)`);
  process.exit(r.violations.length === 0 ? 0 : 1);
}

const start = int('start', 1);
const total = int('seeds', 1000);
const [shard, shards] = (arg('shard') ?? '0/1').split('/').map(Number) as [number, number];
if (!(shards >= 1 && shard >= 0 && shard < shards)) {
  console.error('--shard needs i/n with 0 ≤ i < n, e.g. --shard 0/2');
  process.exit(2);
}
const failures: SweepFailure[] = [];
let ran = 0;
const chunk = 1000;
const began = performance.now();
for (let from = start; from < start + total; from += chunk) {
  const r = sweep(from, Math.min(chunk, start + total - from), shard, shards);
  failures.push(...r.failures);
  ran += r.seeds;
  const done = Math.min(from + chunk, start + total) - start;
  console.log(`${done}/${total} seeds swept (${ran} in this shard), ${failures.length} failing, ${((performance.now() - began) / 1000).toFixed(0)} s`);
}
if (failures.length > 0) console.log(formatFailures(failures));
console.log(`${ran - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
