/**
 * Virtual time as Kubernetes timestamps. The simulation starts at a fixed moment
 * so that creationTimestamp, lastTransitionTime and events read like real ones
 * and are the same on every run.
 */

/** 2025-01-01T00:00:00Z: the moment virtual time 0 stands for. */
export const VIRTUAL_EPOCH_MS = 1_735_689_600_000;

/** RFC 3339 in UTC with whole seconds, as the API server writes metav1.Time: "2025-01-01T00:01:30Z". */
export function rfc3339(virtualMs: number): string {
  const total = Math.floor((VIRTUAL_EPOCH_MS + virtualMs) / 1000);
  const days = Math.floor(total / 86_400);
  const secs = total - days * 86_400;
  const [y, m, d] = civilFromDays(days);
  const hh = Math.floor(secs / 3600);
  const mm = Math.floor((secs % 3600) / 60);
  const ss = secs % 60;
  return `${y}-${pad(m)}-${pad(d)}T${pad(hh)}:${pad(mm)}:${pad(ss)}Z`;
}

/** metav1.MicroTime, as Leases and events.k8s.io write it: "2025-01-01T00:01:30.250000Z". */
export function rfc3339Micro(virtualMs: number): string {
  const ms = (((VIRTUAL_EPOCH_MS + virtualMs) % 1000) + 1000) % 1000;
  return `${rfc3339(virtualMs).slice(0, -1)}.${String(ms).padStart(3, '0')}000Z`;
}

/**
 * The virtual time of an RFC 3339 timestamp: whole seconds or with a fraction (MicroTime), in
 * UTC ("Z") or with an offset ("+02:00", as a hand-written manifest may have it).
 */
export function parseRfc3339(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (m === null) return undefined;
  const [y, mo, d, hh, mi, ss] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fractionMs = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const offsetMs = m[8] === undefined ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) * 60_000;
  const days = daysFromCivil(y, mo, d);
  return (days * 86_400 + hh * 3600 + mi * 60 + ss) * 1000 + fractionMs - offsetMs - VIRTUAL_EPOCH_MS;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

// Howard Hinnant's algorithms between days since 1970-01-01 and the proleptic Gregorian calendar.
/** [year, month, day] of a day counted from 1970-01-01 (proleptic Gregorian). */
export function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
