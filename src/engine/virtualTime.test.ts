import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRfc3339, rfc3339, rfc3339Micro, VIRTUAL_EPOCH_MS } from './virtualTime';

describe('virtual time as Kubernetes timestamps', () => {
  it('starts at 2025-01-01T00:00:00Z and counts whole seconds', () => {
    expect(rfc3339(0)).toBe('2025-01-01T00:00:00Z');
    expect(rfc3339(90_999)).toBe('2025-01-01T00:01:30Z');
    expect(rfc3339(59 * 86_400_000 + 3_600_000)).toBe('2025-03-01T01:00:00Z');
    expect(rfc3339(366 * 86_400_000)).toBe('2026-01-02T00:00:00Z');
  });

  it('agrees with the platform calendar (checked here in the test, never in the engine)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 * 365 * 86_400_000 }), (ms) => {
        const expected = new Date(VIRTUAL_EPOCH_MS + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
        expect(rfc3339(ms)).toBe(expected);
        expect(parseRfc3339(rfc3339(ms))).toBe(Math.floor(ms / 1000) * 1000);
      }),
    );
  });

  it('writes MicroTime with six fractional digits, and reads it back to the millisecond', () => {
    expect(rfc3339Micro(90_250)).toBe('2025-01-01T00:01:30.250000Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 * 365 * 86_400_000 }), (ms) => {
        expect(rfc3339Micro(ms)).toBe(new Date(VIRTUAL_EPOCH_MS + ms).toISOString().replace(/Z$/, '000Z'));
        expect(parseRfc3339(rfc3339Micro(ms))).toBe(ms);
      }),
    );
  });

  it('reads a timestamp written with an offset as the same instant', () => {
    expect(parseRfc3339('2025-01-01T02:01:30+02:00')).toBe(90_000);
    expect(parseRfc3339('2024-12-31T23:01:30-01:00')).toBe(90_000);
  });

  it('refuses what it did not write', () => {
    expect(parseRfc3339('2025-01-01 00:00:00')).toBeUndefined();
  });
});
