/**
 * Durations as Kubernetes, kubectl and Go write them. The engine counts whole
 * milliseconds; these convert to and from text.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/** A duration that cannot be read; the message quotes it, as Go's time.ParseDuration does. */
export class DurationError extends Error {
  override readonly name = 'DurationError';
}

/**
 * Go's time.ParseDuration: a sequence of decimal numbers with units, like
 * "500ms", "90s", "2m30s", "1.5h", "1h2m3.5s". Returns whole milliseconds
 * (rounded); a bare "0" is zero. Negative durations are refused: nothing in a
 * scenario happens before time zero.
 */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (s === '0') return 0;
  if (s === '') throw new DurationError('invalid duration ""');
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < s.length) {
    part.lastIndex = at;
    const m = part.exec(s);
    if (m === null) {
      const hint = /^\d+(\.\d+)?$/.test(s) ? ` (a unit is needed: "${s}s" or "${s}ms")` : ' (use units ms, s, m, h: "500ms", "90s", "2m30s")';
      throw new DurationError(`invalid duration "${text}"${hint}`);
    }
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    at = part.lastIndex;
  }
  return Math.round(total);
}

/** Go's Duration.String(): "500ms", "1m30s", "1h0m0s", "0s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1_000) return `${sign}${trimZeros(rest)}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const secs = `${trimZeros(rest / 1_000)}s`;
  if (h > 0) return `${sign}${h}h${m}m${secs}`;
  if (m > 0) return `${sign}${m}m${secs}`;
  return `${sign}${secs}`;
}

function trimZeros(n: number): string {
  return String(Number(n.toFixed(3)));
}

/**
 * kubectl's AGE column (apimachinery's duration.HumanDuration): about two or
 * three significant figures — "45s", "3m12s", "25m", "5h3m", "2d", "3d4h", "1y20d".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1_000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}
