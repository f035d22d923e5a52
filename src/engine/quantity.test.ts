import { describe, expect, it } from 'vitest';
import { bytes, formatMebibytes, formatMilliCpu, milliCpu, parseQuantity, QuantityError } from './quantity';

describe('resource quantities', () => {
  it.each([
    ['500m', 500],
    ['0.5', 500],
    ['2', 2000],
    ['1.25', 1250],
    ['100m', 100],
    ['0.1', 100],
    ['1e0', 1000],
    [3, 3000],
  ])('cpu %j is %i millicores', (q, m) => {
    expect(milliCpu(q)).toBe(m);
  });

  it.each([
    ['128Mi', 134_217_728],
    ['8Gi', 8 * 2 ** 30],
    ['1G', 1e9],
    ['500M', 5e8],
    ['1k', 1000],
    ['1Ki', 1024],
    ['12e6', 12_000_000],
    ['128974848', 128_974_848],
  ])('memory %j is %i bytes', (q, b) => {
    expect(bytes(q)).toBe(b);
  });

  it('keeps the format it was written in', () => {
    expect(parseQuantity('8Gi').format).toBe('BinarySI');
    expect(parseQuantity('8G').format).toBe('DecimalSI');
    expect(parseQuantity('8e9').format).toBe('DecimalExponent');
  });

  it.each(['', 'abc', '1.5 Gi', '8gb', '8GB', '1mi', '--1', 'Gi'])('refuses %j with the API server’s message', (q) => {
    expect(() => parseQuantity(q)).toThrow(QuantityError);
    expect(() => parseQuantity(q)).toThrow("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  });

  it('formats for kubectl', () => {
    expect(formatMilliCpu(250)).toBe('250m');
    expect(formatMilliCpu(2000)).toBe('2');
    expect(formatMebibytes(134_217_728)).toBe('128Mi');
  });
});
