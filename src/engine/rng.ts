import type { Hasher } from './hash';

/**
 * The simulation's only source of randomness: sfc32 (Chris Doty-Humphrey's Small
 * Fast Counting generator, 128-bit state, passes PractRand), seeded from the
 * scenario's seed.
 *
 * Named sub-streams: `rng.fork("net")` derives a child from the parent's *seed
 * key* and the name, never from the parent's current state. So drawing from one
 * stream never shifts another, and the order in which streams are forked does not
 * matter: adding a new consumer later does not change what existing ones draw.
 * Forking the same name twice returns the same stream (it continues, it does not
 * restart), so a component can look its stream up by name at any time.
 */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private readonly children = new Map<string, Rng>();
  /** The path of names from the root, e.g. "net" or "raft/master-1". */
  readonly path: string;
  private readonly seed: number | string;

  constructor(seed: number | string, path = '') {
    if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
      throw new RangeError(`seed must be an integer or a string, got ${seed}`);
    }
    this.path = path;
    this.seed = seed;
    // The type tag keeps seed 7 and seed "7" apart.
    this.seedFrom(`${typeof seed === 'number' ? 'n' : 's'}:${seed}|${path}`);
  }

  private seedFrom(material: string): void {
    // cyrb128: spreads an arbitrary string over four 32-bit words.
    let h1 = 1779033703;
    let h2 = 3144134277;
    let h3 = 1013904242;
    let h4 = 2773480762;
    for (let i = 0; i < material.length; i++) {
      const k = material.charCodeAt(i);
      h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
      h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
      h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
      h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
    }
    h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
    h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
    h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
    h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
    this.a = (h1 ^ h2 ^ h3 ^ h4) >>> 0;
    this.b = (h2 ^ h1) >>> 0;
    this.c = (h3 ^ h1) >>> 0;
    this.d = (h4 ^ h1) >>> 0;
    // Discard the first outputs so nearby seeds decorrelate.
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** A named, independent child stream (created on first use, the same object after). */
  fork(name: string): Rng {
    if (name.length === 0 || name.includes('/')) {
      throw new RangeError(`stream name must be non-empty and contain no "/": ${JSON.stringify(name)}`);
    }
    let child = this.children.get(name);
    if (child === undefined) {
      child = new Rng(this.seed, this.path === '' ? name : `${this.path}/${name}`);
      this.children.set(name, child);
    }
    return child;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  next(): number {
    return this.u32() / 0x1_0000_0000;
  }

  /** An integer in [0, n), without modulo bias (n ≤ 2^32). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x1_0000_0000) {
      throw new RangeError(`int(n) needs an integer 1 ≤ n ≤ 2^32, got ${n}`);
    }
    // Rejection sampling: drop the top sliver of the range that does not divide evenly.
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % n);
    for (;;) {
      const x = this.u32();
      if (x < limit) return x % n;
    }
  }

  /** An integer in [lo, hi], both inclusive. */
  intBetween(lo: number, hi: number): number {
    if (hi < lo) throw new RangeError(`intBetween: hi (${hi}) < lo (${lo})`);
    return lo + this.int(hi - lo + 1);
  }

  /** A float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** True with probability p. p ≤ 0 never draws, so a disabled feature costs no randomness. */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** This stream's state and, in name order, its children's: part of the world's state hash. */
  hashInto(h: Hasher): void {
    h.str(this.path).u32(this.a).u32(this.b).u32(this.c).u32(this.d);
    const names = [...this.children.keys()].sort();
    h.u32(names.length);
    for (const name of names) this.children.get(name)?.hashInto(h);
  }
}
