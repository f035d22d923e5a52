import type { ScheduledEvent } from '../eventQueue';
import type { Message } from '../network';
import type { World } from '../world';
import type { TxnRequest } from './kvStore';
import {
  EtcdMsg,
  type EtcdResponse,
  type EtcdResult,
  type RangeCall,
  type TxnCall,
  type WatchCall,
  type WatchEvents,
} from './etcdProtocol';

export type ClientOutcome =
  | { readonly ok: true; readonly result: EtcdResult }
  /** The member answered with an error (the write may still have been committed: a timeout says nothing). */
  | { readonly ok: false; readonly error: string }
  /** No answer within the client's own deadline: the outcome is unknown. */
  | { readonly ok: false; readonly error: 'client: no response' };

interface WatchStream {
  readonly deliver: (ev: WatchEvents, from: string) => void;
  nextSeq: number;
  readonly early: Map<number, WatchEvents>;
}

/**
 * An etcd client on some host. It talks to members only through the network,
 * so a partition or a dead member shows up to it exactly as it would to a real
 * client: as errors and timeouts.
 */
export class EtcdClient {
  private nextReq = 0;
  private readonly pending = new Map<number, { done: (o: ClientOutcome) => void; deadline: ScheduledEvent }>();
  private readonly watches = new Map<number, WatchStream>();
  private readonly otherHandler: ((m: Message) => void) | undefined;

  constructor(
    private readonly world: World,
    readonly host: string,
    /** How long to wait for any answer; longer than the members' own request timeout. */
    private readonly deadlineMs = 8_000,
    otherHandler?: (m: Message) => void,
    /** The port this client listens on for answers ("" = the host's main process). */
    private readonly port = '',
  ) {
    this.otherHandler = otherHandler;
    world.net.setHandler(host, (m) => this.receive(m), port);
  }

  txn(member: string, txn: TxnRequest, done: (o: ClientOutcome) => void): void {
    const reqId = this.track(done);
    const call: TxnCall = { reqId, txn, ...this.replyTo() };
    this.world.net.send(this.host, member, EtcdMsg.Txn, call);
  }

  range(
    member: string,
    key: string,
    opts: { prefix?: boolean; serializable?: boolean; deadlineMs?: number },
    done: (o: ClientOutcome) => void,
  ): void {
    const reqId = this.track(done, opts.deadlineMs);
    const call: RangeCall = { reqId, key, prefix: opts.prefix ?? false, serializable: opts.serializable ?? false, ...this.replyTo() };
    this.world.net.send(this.host, member, EtcdMsg.Range, call);
  }

  /** Asks one member for its status (etcd's Maintenance.Status). */
  status(member: string, done: (o: ClientOutcome) => void, deadlineMs = 5_000): void {
    const reqId = this.track(done, deadlineMs);
    this.world.net.send(this.host, member, EtcdMsg.Status, { reqId, ...this.replyTo() });
  }

  /** Starts a watch on one member; `onEvents` gets its stream (events, progress, cancellation). */
  watch(member: string, call: Omit<WatchCall, 'watchId'>, onEvents: (ev: WatchEvents, from: string) => void): number {
    const watchId = ++this.nextReq;
    this.watches.set(watchId, { deliver: onEvents, nextSeq: 1, early: new Map() });
    this.world.net.send(this.host, member, EtcdMsg.Watch, { ...call, watchId, ...this.replyTo() } satisfies WatchCall);
    return watchId;
  }

  cancelWatch(member: string, watchId: number): void {
    this.watches.delete(watchId);
    this.world.net.send(this.host, member, EtcdMsg.WatchCancel, { watchId, ...this.replyTo() });
  }

  /** Forgets every request and watch: the client's host died. */
  reset(): void {
    for (const p of this.pending.values()) this.world.cancel(p.deadline);
    this.pending.clear();
    this.watches.clear();
  }

  private replyTo(): { replyPort?: string } {
    return this.port === '' ? {} : { replyPort: this.port };
  }

  private track(done: (o: ClientOutcome) => void, deadlineMs = this.deadlineMs): number {
    const reqId = ++this.nextReq;
    const deadline = this.world.schedule(deadlineMs, `etcd client deadline ${this.host}`, () => {
      this.pending.delete(reqId);
      done({ ok: false, error: 'client: no response' });
    });
    this.pending.set(reqId, { done, deadline });
    return reqId;
  }

  private receive(m: Message): void {
    if (m.type === EtcdMsg.Response) {
      const resp = m.payload as EtcdResponse;
      const p = this.pending.get(resp.reqId);
      // A late or duplicated answer for a request already settled is ignored.
      if (p === undefined) return;
      this.pending.delete(resp.reqId);
      this.world.cancel(p.deadline);
      p.done(resp.result ? { ok: true, result: resp.result } : { ok: false, error: resp.error ?? 'unknown error' });
    } else if (m.type === EtcdMsg.WatchEvents) {
      const ev = m.payload as WatchEvents;
      const stream = this.watches.get(ev.watchId);
      if (stream === undefined || ev.seq < stream.nextSeq) return;
      // Put the stream back in order, as TCP would: hold early parts, drop repeats.
      stream.early.set(ev.seq, ev);
      for (let next = stream.early.get(stream.nextSeq); next !== undefined; next = stream.early.get(stream.nextSeq)) {
        stream.early.delete(stream.nextSeq);
        stream.nextSeq++;
        stream.deliver(next, m.from);
        if (!this.watches.has(ev.watchId)) return;
      }
    } else {
      this.otherHandler?.(m);
    }
  }
}
