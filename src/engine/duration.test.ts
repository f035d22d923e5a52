import { describe, expect, it } from 'vitest';
import { DurationError, formatDuration, humanDuration, parseDuration } from './duration';

describe('parseDuration (Go syntax, as scenarios and kubectl flags write durations)', () => {
  it.each([
    ['500ms', 500],
    ['90s', 90_000],
    ['2m30s', 150_000],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    ['1h2m3s', 3_723_000],
    ['0', 0],
    ['250us', 0],
    ['1500us', 2],
    [' 5m ', 300_000],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', '5x', 'm5', '-1s', '1 m', 'PT5M'])('refuses %j with a hint', (text) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
    expect(() => parseDuration(text)).toThrow(`invalid duration "${text}"`);
  });

  it('suggests a unit for a bare number', () => {
    expect(() => parseDuration('30')).toThrow('a unit is needed: "30s" or "30ms"');
  });
});

describe('formatDuration (Go Duration.String)', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1_500, '1.5s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
    [3_723_400, '1h2m3.4s'],
  ])('%i ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    if (ms > 0) expect(parseDuration(text)).toBe(ms);
  });
});

describe('humanDuration (kubectl AGE)', () => {
  const s = 1_000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  it.each([
    [0, '0s'],
    [-1_500, '0s'],
    [-5 * s, '<invalid>'],
    [45 * s, '45s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [3 * m + 12 * s, '3m12s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [5 * h + 3 * m, '5h3m'],
    [8 * h + 59 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [3 * d + 4 * h, '3d4h'],
    [8 * d + 5 * h, '8d'],
    [800 * d, '2y70d'],
    [3000 * d, '8y'],
  ])('%i ms shows as %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});
