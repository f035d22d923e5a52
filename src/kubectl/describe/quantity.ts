/**
 * resource.Quantity as kubectl prints it: exact arithmetic (a BigInt scaled by a power of
 * ten) and the canonical String() form, so that "1000m" prints "1", "0.5Gi" prints
 * "512Mi", and 128Mi + 1G keeps the first operand's format as Go's Quantity.Add does.
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Qty {
  /** The value is n × 10^scale. */
  readonly n: bigint;
  readonly scale: number;
  readonly format: QuantityFormat;
}

export const ZERO: Qty = { n: 0n, scale: 0, format: 'DecimalSI' };

const DECIMAL_EXP: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_POW: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_SUFFIX: Readonly<Record<number, string>> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const pow10 = (k: number): bigint => 10n ** BigInt(k);

/** A quantity from JSON (string or number); zero when it cannot be read. */
export function parseQty(v: unknown): Qty {
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  const m = /^([+-]?)(\d*)(?:\.(\d*))?([a-zA-Z]*)([-+]?\d*)$/.exec(text);
  if (m === null || `${m[2] ?? ''}${m[3] ?? ''}` === '') return ZERO;
  const [, sign = '', int = '', frac = '', suffix = '', expDigits = ''] = m;
  let n = BigInt(`${int}${frac}` || '0') * (sign === '-' ? -1n : 1n);
  let scale = -frac.length;
  let format: QuantityFormat = 'DecimalSI';
  if ((suffix === 'e' || suffix === 'E') && expDigits !== '') {
    scale += Number(expDigits);
    format = 'DecimalExponent';
  } else if (expDigits !== '') {
    return ZERO;
  } else if (suffix in BINARY_POW) {
    n *= 1024n ** BigInt(BINARY_POW[suffix] as number);
    format = 'BinarySI';
  } else if (suffix in DECIMAL_EXP) {
    scale += DECIMAL_EXP[suffix] as number;
  } else {
    return ZERO;
  }
  // Go rounds anything finer than a nano-unit up (you asked for some, you get some).
  if (scale < -9) {
    const d = pow10(-9 - scale);
    n = n > 0n ? (n + d - 1n) / d : n / d;
    scale = -9;
  }
  return { n, scale, format };
}

function align(a: Qty, b: Qty): [bigint, bigint, number] {
  const s = Math.min(a.scale, b.scale);
  return [a.n * pow10(a.scale - s), b.n * pow10(b.scale - s), s];
}

/** a + b with a's format (b's when a is zero), as Quantity.Add. */
export function addQty(a: Qty, b: Qty): Qty {
  const [x, y, scale] = align(a, b);
  return { n: x + y, scale, format: a.n === 0n ? b.format : a.format };
}

export function cmpQty(a: Qty, b: Qty): number {
  const [x, y] = align(a, b);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** The value scaled by 10^k, rounded up (Value() for k=0, MilliValue() for k=3). */
function ceilScaled(q: Qty, k: number): number {
  const s = q.scale + k;
  if (s >= 0) return Number(q.n * pow10(s));
  const d = pow10(-s);
  const floor = q.n / d - (q.n % d !== 0n && q.n < 0n ? 1n : 0n);
  return Number(q.n % d === 0n ? floor : floor + 1n);
}

export const qtyValue = (q: Qty): number => ceilScaled(q, 0);
export const qtyMilli = (q: Qty): number => ceilScaled(q, 3);

/** Quantity.String(): the canonical form. */
export function formatQty(q: Qty): string {
  if (q.n === 0n) return '0';
  if (q.format === 'BinarySI') {
    const binary = binaryForm(q);
    if (binary !== undefined) return binary;
  }
  let n = q.n;
  let exp = q.scale;
  while (n % 10n === 0n) {
    n /= 10n;
    exp++;
  }
  const r = exp % 3;
  if (r === 1 || r === -2) {
    n *= 10n;
    exp -= 1;
  } else if (r === 2 || r === -1) {
    n *= 100n;
    exp -= 2;
  }
  if (q.format === 'DecimalExponent') return exp === 0 ? `${n}` : `${n}e${exp}`;
  const suffix = DECIMAL_SUFFIX[exp];
  return suffix === undefined ? `${n}e${exp}` : `${n}${suffix}`;
}

/** Whole multiples of 1024 with a binary suffix; values under 1024 or fractional print as decimal. */
function binaryForm(q: Qty): string | undefined {
  const [v, one, s] = align(q, { n: 1n, scale: 0, format: 'DecimalSI' });
  const abs = v < 0n ? -v : v;
  if (abs < 1024n * one) return undefined;
  const unit = pow10(-s);
  if (abs % unit !== 0n) return undefined;
  let whole = v / unit;
  let k = 0;
  while (k < BINARY_SUFFIX.length - 1 && whole % 1024n === 0n) {
    whole /= 1024n;
    k++;
  }
  return `${whole}${BINARY_SUFFIX[k] as string}`;
}

/** A string quantity as kubectl re-prints it ("1000m" → "1"). */
export const canonical = (v: unknown): string => formatQty(parseQty(v));
