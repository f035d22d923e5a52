import { SimulationLimitError } from './errors';

export type EventStatus = 'pending' | 'ran' | 'cancelled';

/** A scheduled event as the queue holds it; also the handle used to cancel it. */
export interface ScheduledEvent {
  /** Virtual time in integer milliseconds. */
  readonly time: number;
  /** Insertion sequence: breaks ties between events at the same time, first in first out. */
  readonly seq: number;
  /** What the event is, for traces, errors and the state hash ("deliver MsgApp", "tick"). */
  readonly label: string;
  readonly run: () => void;
  status: EventStatus;
}

export interface EventQueueLimits {
  /** Pending events at most; one more means something schedules without end. */
  maxPending: number;
}

export const DEFAULT_EVENT_QUEUE_LIMITS: EventQueueLimits = { maxPending: 2_000_000 };

/**
 * A priority queue of events ordered by (time, insertion sequence): a binary
 * min-heap. Cancellation is lazy — the entry is flagged and skipped when it
 * reaches the top — and the heap is compacted when cancelled entries outnumber
 * live ones, so memory stays proportional to pending events.
 */
export class EventQueue {
  private heap: ScheduledEvent[] = [];
  private nextSeq = 0;
  private live = 0;
  private readonly limits: EventQueueLimits;

  constructor(limits: Partial<EventQueueLimits> = {}) {
    this.limits = { ...DEFAULT_EVENT_QUEUE_LIMITS, ...limits };
  }

  /** Pending (scheduled, not cancelled, not yet run) events. */
  get size(): number {
    return this.live;
  }

  /** The insertion sequence the next event will get: part of the state hash. */
  get sequence(): number {
    return this.nextSeq;
  }

  push(time: number, label: string, run: () => void): ScheduledEvent {
    if (this.live >= this.limits.maxPending) {
      throw new SimulationLimitError(
        `event queue full: ${this.live} events pending (limit ${this.limits.maxPending}); ` +
          `the last one scheduled was "${label}" at ${time} ms — something is scheduling without end`,
      );
    }
    const ev: ScheduledEvent = { time, seq: this.nextSeq++, label, run, status: 'pending' };
    this.heap.push(ev);
    siftUp(this.heap, this.heap.length - 1);
    this.live++;
    return ev;
  }

  /** Cancels a pending event. Returns false if it already ran or was cancelled. */
  cancel(ev: ScheduledEvent): boolean {
    if (ev.status !== 'pending') return false;
    ev.status = 'cancelled';
    this.live--;
    if (this.heap.length > 1024 && this.heap.length > 2 * this.live) this.compact();
    return true;
  }

  /** The next pending event, without removing it. */
  peek(): ScheduledEvent | undefined {
    this.dropCancelledTop();
    return this.heap[0];
  }

  /** Removes and returns the next pending event, marking it as ran. */
  pop(): ScheduledEvent | undefined {
    this.dropCancelledTop();
    const top = this.heap[0];
    if (top === undefined) return undefined;
    this.removeTop();
    this.live--;
    top.status = 'ran';
    return top;
  }

  /** Pending events in the order they will run (a sorted copy, for snapshots and hashing). */
  ordered(): ScheduledEvent[] {
    return this.heap.filter((e) => e.status === 'pending').sort(compare);
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && (this.heap[0] as ScheduledEvent).status === 'cancelled') this.removeTop();
  }

  private removeTop(): void {
    const last = this.heap.pop() as ScheduledEvent;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      siftDown(this.heap, 0);
    }
  }

  private compact(): void {
    this.heap = this.heap.filter((e) => e.status === 'pending');
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) siftDown(this.heap, i);
  }
}

function compare(a: ScheduledEvent, b: ScheduledEvent): number {
  return a.time - b.time || a.seq - b.seq;
}

function less(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

function siftUp(heap: ScheduledEvent[], i: number): void {
  const item = heap[i] as ScheduledEvent;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent] as ScheduledEvent;
    if (!less(item, p)) break;
    heap[i] = p;
    i = parent;
  }
  heap[i] = item;
}

function siftDown(heap: ScheduledEvent[], i: number): void {
  const n = heap.length;
  const item = heap[i] as ScheduledEvent;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    let c = l;
    if (r < n && less(heap[r] as ScheduledEvent, heap[l] as ScheduledEvent)) c = r;
    const child = heap[c] as ScheduledEvent;
    if (!less(child, item)) break;
    heap[i] = child;
    i = c;
  }
  heap[i] = item;
}
