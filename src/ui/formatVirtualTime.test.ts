import { describe, expect, it } from 'vitest';
import { formatVirtualSeconds, formatVirtualTime } from './formatVirtualTime';

describe('formatVirtualTime', () => {
  it('reads as HH:MM:SS.mmm', () => {
    expect(formatVirtualTime(0)).toBe('00:00:00.000');
    expect(formatVirtualTime(83_450)).toBe('00:01:23.450');
    expect(formatVirtualTime(3_600_000 + 59_999)).toBe('01:00:59.999');
  });

  it('lets hours grow past two digits', () => {
    expect(formatVirtualTime(500 * 3_600_000)).toBe('500:00:00.000');
  });

  it('rejects times a clock cannot show', () => {
    expect(() => formatVirtualTime(-1)).toThrow(RangeError);
    expect(() => formatVirtualTime(Number.NaN)).toThrow(RangeError);
  });

  it('drops the milliseconds for event lists, past 99 hours too', () => {
    expect(formatVirtualSeconds(65_432)).toBe('00:01:05');
    expect(formatVirtualSeconds(100 * 3_600_000 + 7_000)).toBe('100:00:07');
  });
});
