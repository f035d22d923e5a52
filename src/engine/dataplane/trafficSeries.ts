/** Why requests failed: no DNS answer, refused (no endpoint, nothing listening), no answer at all, an HTTP 5xx. */
export type Failure = 'dns' | 'refused' | 'timeout' | 'error';

/** Requests in some span of time and what became of them. */
export interface Tally {
  requests: number;
  ok: number;
  dns: number;
  refused: number;
  timeout: number;
  error: number;
}

export function emptyTally(): Tally {
  return { requests: 0, ok: 0, dns: 0, refused: 0, timeout: 0, error: 0 };
}

/** Adds `t`'s counts into `into`. */
export function addTally(into: Tally, t: Tally): void {
  into.requests += t.requests;
  into.ok += t.ok;
  into.dns += t.dns;
  into.refused += t.refused;
  into.timeout += t.timeout;
  into.error += t.error;
}

/** One second of traffic, starting at `t` (virtual ms). */
export interface TrafficSample extends Tally {
  readonly t: number;
}

/** How many seconds a series keeps: an hour. */
export const SERIES_SECONDS = 3_600;

/**
 * A per-second time series of requests and their outcomes (for a Service or a client
 * workload), the newest hour kept: what the UI charts as requests per second and success rate.
 */
export class TrafficSeries {
  private readonly samples: TrafficSample[] = [];

  add(t: number, tally: Tally): void {
    let last = this.samples.at(-1);
    if (last === undefined || last.t !== t) {
      last = { t, ...emptyTally() };
      this.samples.push(last);
      if (this.samples.length > SERIES_SECONDS) this.samples.splice(0, this.samples.length - SERIES_SECONDS);
    }
    addTally(last as Tally, tally);
  }

  /** Seconds with traffic, oldest first, from `since` (inclusive) on. */
  since(since = -Infinity): readonly TrafficSample[] {
    if (since === -Infinity) return this.samples;
    return this.samples.filter((s) => s.t >= since);
  }

  /** The totals over seconds in [from, to). */
  total(from = -Infinity, to = Infinity): Tally {
    const out = emptyTally();
    for (const s of this.samples) {
      if (s.t >= from && s.t < to) addTally(out, s);
    }
    return out;
  }
}
