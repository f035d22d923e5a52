import type { ScheduledEvent } from '../eventQueue';
import type { World } from '../world';

/**
 * A controller's work queue, as client-go's: a key is queued at most once however often it is
 * added; one worker takes keys in order and calls `sync(key, done)`; a failed sync is retried
 * after a back-off that doubles per key (5 ms up to 1000 s, client-go's default rate limiter),
 * and a success forgets the key's failures. Level-triggered: a key says "look at this again",
 * never what changed.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly retries = new Map<string, ScheduledEvent>();
  private busy = false;
  private running = false;
  private wake: ScheduledEvent | undefined;

  constructor(
    private readonly world: World,
    readonly name: string,
    private readonly sync: (key: string, done: (ok: boolean) => void) => void,
  ) {}

  start(): void {
    this.running = true;
    this.kick();
  }

  stop(): void {
    this.running = false;
    this.queue.length = 0;
    this.queued.clear();
    for (const t of this.retries.values()) this.world.cancel(t);
    this.retries.clear();
    this.failures.clear();
    if (this.wake) this.world.cancel(this.wake);
    this.wake = undefined;
  }

  add(key: string): void {
    if (!this.running || this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.kick();
  }

  /** Adds the key again after a delay (a controller waiting for time to pass, e.g. a grace period). */
  addAfter(key: string, delayMs: number): void {
    if (!this.running || this.retries.has(key)) return;
    this.retries.set(
      key,
      this.world.schedule(delayMs, `${this.name} requeue ${key}`, () => {
        this.retries.delete(key);
        this.add(key);
      }),
    );
  }

  get length(): number {
    return this.queue.length;
  }

  private kick(): void {
    if (this.busy || this.wake !== undefined || this.queue.length === 0 || !this.running) return;
    // The worker runs as its own event, never inside the handler that added the key.
    this.wake = this.world.schedule(0, `${this.name} worker`, () => {
      this.wake = undefined;
      this.next();
    });
  }

  private next(): void {
    const key = this.queue.shift();
    if (key === undefined || !this.running) return;
    this.queued.delete(key);
    this.busy = true;
    this.sync(key, (ok) => {
      this.busy = false;
      if (!this.running) return;
      if (ok) this.failures.delete(key);
      else {
        const n = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, n);
        this.addAfter(key, Math.min(5 * 2 ** (n - 1), 1_000_000));
      }
      this.kick();
    });
  }
}
