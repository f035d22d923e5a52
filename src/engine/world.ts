import { SimulationLimitError } from './errors';
import { EventQueue, type ScheduledEvent } from './eventQueue';
import { Hasher } from './hash';
import { Network, type NetworkConfig } from './network';
import { Rng } from './rng';

export interface WorldLimits {
  /** Pending events at most. */
  maxPendingEvents: number;
  /**
   * Events processed at one virtual instant at most. A loop that keeps
   * scheduling zero-delay work would otherwise never let the clock move.
   */
  maxEventsPerInstant: number;
}

export const DEFAULT_WORLD_LIMITS: WorldLimits = {
  maxPendingEvents: 2_000_000,
  maxEventsPerInstant: 200_000,
};

export interface WorldOptions {
  seed: number | string;
  network?: Partial<NetworkConfig>;
  limits?: Partial<WorldLimits>;
}

export interface RunOptions {
  /** Stop after this many events even if the target time is not reached (keeps a frame short). */
  maxEvents?: number;
}

export interface RunResult {
  /** Events processed by this call. */
  events: number;
  /** True if the clock reached the target; false if maxEvents stopped it first. */
  reached: boolean;
}

/**
 * The simulated world: one virtual clock (integer milliseconds), one event
 * queue, one seeded PRNG and the network. Nothing in it reads the wall clock;
 * time moves only through step/runUntil/runFor.
 */
export class World {
  readonly rng: Rng;
  readonly net: Network;
  private readonly queue: EventQueue;
  private readonly limits: WorldLimits;
  private clock = 0;
  private processed = 0;
  private instantTime = -1;
  private instantCount = 0;

  constructor(options: WorldOptions) {
    this.limits = { ...DEFAULT_WORLD_LIMITS, ...options.limits };
    this.queue = new EventQueue({ maxPending: this.limits.maxPendingEvents });
    this.rng = new Rng(options.seed);
    this.net = new Network(this, this.rng.fork('net'), options.network);
  }

  /** Virtual time in integer milliseconds. */
  get now(): number {
    return this.clock;
  }

  /** Events processed since the world began. */
  get eventsProcessed(): number {
    return this.processed;
  }

  get pendingEvents(): number {
    return this.queue.size;
  }

  /** When the next event is due, or undefined if nothing is scheduled. */
  nextEventTime(): number | undefined {
    return this.queue.peek()?.time;
  }

  /** Schedules `run` at an absolute virtual time (now or later, whole milliseconds). */
  at(timeMs: number, label: string, run: () => void): ScheduledEvent {
    if (!Number.isSafeInteger(timeMs)) throw new RangeError(`event time must be whole milliseconds, got ${timeMs} ("${label}")`);
    if (timeMs < this.clock) {
      throw new RangeError(`cannot schedule "${label}" at ${timeMs} ms: the clock is already at ${this.clock} ms`);
    }
    return this.queue.push(timeMs, label, run);
  }

  /** Schedules `run` after a delay in whole milliseconds (0 = later at this same instant). */
  schedule(delayMs: number, label: string, run: () => void): ScheduledEvent {
    if (!Number.isSafeInteger(delayMs) || delayMs < 0) {
      throw new RangeError(`delay must be whole milliseconds ≥ 0, got ${delayMs} ("${label}")`);
    }
    return this.at(this.clock + delayMs, label, run);
  }

  cancel(ev: ScheduledEvent): boolean {
    return this.queue.cancel(ev);
  }

  /** Runs the next event, moving the clock to its time. Returns false if none is scheduled. */
  step(): boolean {
    const next = this.queue.peek();
    if (next === undefined) return false;
    // Check the bound before taking the event, so a runaway leaves the queue as it was.
    const sameInstant = next.time === this.instantTime;
    if (sameInstant && this.instantCount >= this.limits.maxEventsPerInstant) {
      throw new SimulationLimitError(
        `runaway: more than ${this.limits.maxEventsPerInstant} events at ${next.time} ms without the clock moving; ` +
          `the next is "${next.label}"`,
      );
    }
    const ev = this.queue.pop() as ScheduledEvent;
    this.instantCount = sameInstant ? this.instantCount + 1 : 1;
    this.instantTime = ev.time;
    this.clock = ev.time;
    this.processed++;
    ev.run();
    return true;
  }

  /** Runs every event due at or before `timeMs`, then sets the clock to it. */
  runUntil(timeMs: number, options: RunOptions = {}): RunResult {
    if (!Number.isSafeInteger(timeMs)) throw new RangeError(`runUntil needs whole milliseconds, got ${timeMs}`);
    if (timeMs < this.clock) throw new RangeError(`runUntil(${timeMs}): the clock is already at ${this.clock} ms`);
    const max = options.maxEvents ?? Infinity;
    let events = 0;
    for (;;) {
      const next = this.queue.peek();
      if (next === undefined || next.time > timeMs) break;
      if (events >= max) return { events, reached: false };
      this.step();
      events++;
    }
    this.clock = timeMs;
    return { events, reached: true };
  }

  runFor(ms: number, options: RunOptions = {}): RunResult {
    return this.runUntil(this.clock + ms, options);
  }

  /**
   * Starts something that answers through a callback (a command, a request) and runs events
   * until it has answered, or `limitMs` of virtual time has passed, or nothing is left to run.
   * Returns the answer, or undefined if none came. For headless runs and tests; the UI lets
   * time flow instead.
   */
  runUntilDone<T>(start: (done: (value: T) => void) => void, limitMs: number): T | undefined {
    let answered = false;
    let value: T | undefined;
    start((v) => {
      answered = true;
      value = v;
    });
    const limit = this.clock + limitMs;
    while (!answered) {
      const next = this.queue.peek();
      if (next === undefined || next.time > limit) break;
      this.step();
    }
    return value;
  }

  /**
   * A hash of everything that decides the world's future: clock, pending events
   * (time, order, label), every PRNG stream, the network and its trace. Equal
   * hashes mean equal runs; it is the same in Node and in the browser.
   */
  stateHash(): string {
    const h = new Hasher();
    h.str('kubeplay-world/1').num(this.clock).num(this.processed).num(this.queue.sequence);
    const pending = this.queue.ordered();
    h.u32(pending.length);
    for (const ev of pending) h.num(ev.time).num(ev.seq).str(ev.label);
    this.rng.hashInto(h);
    this.net.hashInto(h);
    return h.digest();
  }
}
