/**
 * Virtual time as a clock reads it: `HH:MM:SS.mmm`, hours growing past 99 when
 * they must (500× for an hour is 500 virtual hours).
 */
export function formatVirtualTime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`virtual time must be a finite number ≥ 0, got ${ms}`);
  const whole = Math.floor(ms);
  const millis = whole % 1000;
  const totalSeconds = Math.floor(whole / 1000);
  const seconds = totalSeconds % 60;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const hours = Math.floor(totalSeconds / 3600);
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The clock without its milliseconds, `HH:MM:SS`, for lists that show when something happened. */
export function formatVirtualSeconds(ms: number): string {
  return formatVirtualTime(Math.max(0, ms)).replace(/\.\d{3}$/, '');
}
