/**
 * A stable, platform-independent 64-bit hash (two 32-bit lanes, cyrb53-style
 * mixing). Used for state hashes and trace hashes that tests compare across runs,
 * between Node and the browser. Only integer arithmetic through Math.imul and
 * explicit little-endian float encoding, so every JavaScript engine agrees.
 *
 * Not cryptographic: it detects divergence, it does not resist an adversary.
 */
export class Hasher {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;
  private static readonly floatView = new DataView(new ArrayBuffer(8));

  /** Mixes one 32-bit word (any integer; only the low 32 bits count). */
  u32(n: number): this {
    this.h1 = Math.imul(this.h1 ^ n, 2654435761);
    this.h2 = Math.imul(this.h2 ^ n, 1597334677);
    return this;
  }

  /** Mixes any number exactly: safe integers as two words, other values as IEEE-754 bits. */
  num(n: number): this {
    if (Number.isSafeInteger(n)) {
      this.u32(0x1).u32(n | 0).u32(Math.floor(n / 0x1_0000_0000) | 0);
    } else {
      const v = Hasher.floatView;
      v.setFloat64(0, n, true);
      this.u32(0x2).u32(v.getUint32(0, true)).u32(v.getUint32(4, true));
    }
    return this;
  }

  str(s: string): this {
    this.u32(0x3).u32(s.length);
    for (let i = 0; i < s.length; i++) this.u32(s.charCodeAt(i));
    return this;
  }

  bool(b: boolean): this {
    return this.u32(b ? 0x5 : 0x4);
  }

  /** The current value as 16 hex digits; the hasher can keep absorbing afterwards. */
  digest(): string {
    let a = this.h1;
    let b = this.h2;
    a = Math.imul(a ^ (a >>> 16), 2246822507);
    a ^= Math.imul(b ^ (b >>> 13), 3266489909);
    b = Math.imul(b ^ (b >>> 16), 2246822507);
    b ^= Math.imul(a ^ (a >>> 13), 3266489909);
    return hex32(b) + hex32(a);
  }
}

function hex32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** Hash of a single string, as 16 hex digits. */
export function hashString(s: string): string {
  return new Hasher().str(s).digest();
}
