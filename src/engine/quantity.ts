/**
 * Kubernetes resource quantities ("500m", "2", "8Gi", "1e3", "128974848"), as
 * k8s.io/apimachinery's resource.Quantity reads them. Values are kept as plain
 * numbers in base units (cores, bytes): exact for every size a cluster here has.
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** In base units: cores for cpu, bytes for memory, a count for pods. */
  readonly value: number;
  readonly format: QuantityFormat;
}

/** The message the API server gives for a malformed quantity, word for word. */
export const QUANTITY_PATTERN_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

export class QuantityError extends Error {
  override readonly name = 'QuantityError';
}

const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export function parseQuantity(text: string | number): Quantity {
  if (typeof text === 'number') {
    if (!Number.isFinite(text)) throw new QuantityError(QUANTITY_PATTERN_MESSAGE);
    return { value: text, format: 'DecimalSI' };
  }
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(.*)$/.exec(text.trim());
  if (m === null) throw new QuantityError(QUANTITY_PATTERN_MESSAGE);
  const num = Number(m[1]);
  const suffix = m[2] as string;
  const binary = BINARY[suffix];
  if (binary !== undefined) return { value: num * binary, format: 'BinarySI' };
  const decimal = DECIMAL[suffix];
  if (decimal !== undefined) return { value: roundToNano(num * decimal), format: 'DecimalSI' };
  const exp = /^[eE]([+-]?\d+)$/.exec(suffix);
  if (exp !== null) return { value: roundToNano(num * 10 ** Number(exp[1])), format: 'DecimalExponent' };
  throw new QuantityError(QUANTITY_PATTERN_MESSAGE);
}

/** Float noise from the suffix arithmetic (0.1 × 1e-3) removed: quantities are exact to the nano. */
function roundToNano(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}

/** CPU in millicores, rounded up as the scheduler counts it ("100m" → 100, "0.5" → 500, "1" → 1000). */
export function milliCpu(q: string | number): number {
  return Math.ceil(roundToNano(parseQuantity(q).value * 1000));
}

/** Memory in bytes ("128Mi" → 134217728, "1G" → 1e9). */
export function bytes(q: string | number): number {
  return Math.ceil(parseQuantity(q).value);
}

/** Millicores as kubectl shows them: "250m", or whole cores as "2". */
export function formatMilliCpu(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Bytes as kubectl top shows memory: whole mebibytes, "123Mi". */
export function formatMebibytes(b: number): string {
  return `${Math.round(b / 2 ** 20)}Mi`;
}
