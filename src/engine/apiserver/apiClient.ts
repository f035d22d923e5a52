import type { ScheduledEvent } from '../eventQueue';
import type { Message } from '../network';
import type { World } from '../world';
import type { ApiResult } from './apiObjects';
import type { KubeObject, Status } from './apiObjects';
import { API_PORT, ApiMsg, WATCH_KEEPALIVE_MS, type ApiRequest, type ApiResponse, type ReadyzRequest, type ReadyzResponse, type WatchEventsMessage, type WatchEventType } from './apiProtocol';

export type ApiCallResult = { readonly ok: true; readonly server: string; readonly result: ApiResult<unknown>; readonly warnings?: readonly string[] } | { readonly ok: false; readonly error: string };

/** What a watcher hears: events, or the end of the watch (then it lists again and starts a new one). */
export type WatchUpdate = { readonly events: readonly { readonly type: WatchEventType; readonly object: KubeObject }[] } | { readonly end: string; readonly status?: Status };

export interface WatchHandle {
  cancel(): void;
}

interface ClientWatch {
  readonly server: string;
  readonly onUpdate: (u: WatchUpdate) => void;
  nextSeq: number;
  readonly early: Map<number, WatchEventsMessage>;
  /** Fires when the server has been silent too long: the connection is presumed dead. */
  silence: ScheduledEvent;
}

export interface ApiClientOptions {
  /** The client's host and the port it listens on for answers. */
  readonly host: string;
  readonly port: string;
  /** Every API server (master host), in order. */
  readonly servers: readonly string[];
  /** Talk to this API server only (kubectl --context master-3); otherwise go through the load balancer. */
  readonly pinned?: string;
  /** How often the load balancer checks each API server's /readyz. */
  readonly healthCheckMs?: number;
  /** How long to wait for an answer before giving up on a request. */
  readonly requestTimeoutMs?: number;
}

/**
 * A client of the Kubernetes API (what kubectl, kubelets and controllers use), with the load
 * balancer in front of the API servers that an HA control plane has: it checks every API
 * server's /readyz each second (an API server is ready while its etcd member can serve a
 * quorum read) and sends each request to a ready one it can reach, in turn. A request is
 * never retried on another server: like kubectl, the caller sees what happened.
 */
export class ApiClient {
  private nextReq = 0;
  private rotation = 0;
  private readonly pending = new Map<number, { done: (r: ApiCallResult) => void; deadline: ScheduledEvent | undefined }>();
  private readonly readyAt = new Map<string, number>();
  /** The latest /readyz probe sent to each server (older answers are ignored). */
  private readonly probes = new Map<string, number>();
  private healthTimer: ScheduledEvent | undefined;
  private readonly watches = new Map<number, ClientWatch>();
  private readonly healthCheckMs: number;
  private readonly requestTimeoutMs: number;

  constructor(
    private readonly world: World,
    private readonly options: ApiClientOptions,
  ) {
    this.healthCheckMs = options.healthCheckMs ?? 1_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    world.net.setHandler(options.host, (m) => this.receive(m), options.port);
    if (options.pinned === undefined) this.checkHealth();
  }

  /** API servers the load balancer currently considers ready (answered /readyz ok recently). */
  readyServers(): string[] {
    const fresh = this.world.now - 2.5 * this.healthCheckMs;
    return this.options.servers.filter((s) => (this.readyAt.get(s) ?? -Infinity) >= fresh);
  }

  /** The API server a new connection goes to: the pinned one, or the next ready one in turn. */
  private pickServer(): string | undefined {
    if (this.options.pinned !== undefined) return this.options.pinned;
    const ready = this.readyServers();
    return ready.length === 0 ? undefined : (ready[this.rotation++ % ready.length] as string);
  }

  /**
   * Sends one request. It fails with "context deadline exceeded" when no answer comes within the
   * client's request time-out, or `options.timeoutMs` (kubectl exec's stream lasts as long as
   * its command runs; Infinity: no deadline).
   */
  request(req: Omit<ApiRequest, 'reqId' | 'replyPort'>, done: (r: ApiCallResult) => void, options: { timeoutMs?: number } = {}): void {
    const server = this.pickServer();
    // A TCP load balancer with no healthy backend closes the connection at once.
    if (server === undefined) return done({ ok: false, error: 'Unable to connect to the server: EOF' });
    const reqId = ++this.nextReq;
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    const deadline = Number.isFinite(timeoutMs)
      ? this.world.schedule(timeoutMs, `api request deadline ${this.options.host}`, () => {
          this.pending.delete(reqId);
          done({ ok: false, error: 'Unable to connect to the server: context deadline exceeded' });
        })
      : undefined;
    this.pending.set(reqId, { done, deadline });
    const full: ApiRequest = { ...req, reqId, replyPort: this.options.port };
    this.world.net.send(this.options.host, server, ApiMsg.Request, full, API_PORT);
  }

  /**
   * Watches a resource from a resourceVersion (a list's) on one API server, for as long as the
   * connection holds. The watch ends, with a reason, when the server ends it (410 when the version
   * is too old), refuses it, or falls silent past a few keep-alives (it died or was cut off);
   * the watcher then lists again, as client-go's reflector does.
   */
  watch(req: Omit<ApiRequest, 'reqId' | 'replyPort' | 'verb'>, onUpdate: (u: WatchUpdate) => void): WatchHandle {
    const server = this.pickServer();
    if (server === undefined) {
      // Told on the next event, never inside the caller's own call.
      this.world.schedule(0, `watch refused ${this.options.host}`, () => onUpdate({ end: 'Unable to connect to the server: EOF' }));
      return { cancel: () => undefined };
    }
    const reqId = ++this.nextReq;
    const w: ClientWatch = { server, onUpdate, nextSeq: 1, early: new Map(), silence: this.silenceTimer(reqId) };
    this.watches.set(reqId, w);
    this.world.net.send(this.options.host, server, ApiMsg.Request, { ...req, verb: 'watch', reqId, replyPort: this.options.port } satisfies ApiRequest, API_PORT);
    return { cancel: () => this.endWatch(reqId, true) };
  }

  private silenceTimer(reqId: number): ScheduledEvent {
    return this.world.schedule(3 * WATCH_KEEPALIVE_MS, `watch silent ${this.options.host}`, () => {
      const w = this.watches.get(reqId);
      this.endWatch(reqId, true);
      w?.onUpdate({ end: 'watch closed: no keep-alive from the server' });
    });
  }

  private endWatch(reqId: number, tellServer: boolean): void {
    const w = this.watches.get(reqId);
    if (w === undefined) return;
    this.watches.delete(reqId);
    this.world.cancel(w.silence);
    if (tellServer) this.world.net.send(this.options.host, w.server, ApiMsg.Request, { verb: 'cancelWatch', reqId: ++this.nextReq, watchId: reqId, replyPort: this.options.port } satisfies ApiRequest, API_PORT);
  }

  /** Stops health checks and forgets requests and watches: the client's process ended. */
  stop(): void {
    if (this.healthTimer) this.world.cancel(this.healthTimer);
    for (const p of this.pending.values()) if (p.deadline !== undefined) this.world.cancel(p.deadline);
    this.pending.clear();
    for (const id of [...this.watches.keys()]) this.endWatch(id, false);
    this.world.net.setHandler(this.options.host, undefined, this.options.port);
  }

  private checkHealth(): void {
    for (const server of this.options.servers) {
      const reqId = ++this.nextReq;
      this.probes.set(server, reqId);
      const req: ReadyzRequest = { reqId, replyPort: this.options.port };
      this.world.net.send(this.options.host, server, ApiMsg.Readyz, req, API_PORT);
    }
    this.healthTimer = this.world.schedule(this.healthCheckMs, `load balancer health check ${this.options.host}`, () => this.checkHealth());
  }

  private receive(m: Message): void {
    if (m.type === ApiMsg.ReadyzResponse) {
      const r = m.payload as ReadyzResponse;
      const server = this.options.servers.find((s) => this.probes.get(s) === r.reqId);
      if (server === undefined) return;
      if (r.ready) this.readyAt.set(server, this.world.now);
      else this.readyAt.delete(server);
    } else if (m.type === ApiMsg.WatchEvent) {
      this.receiveWatch(m.payload as WatchEventsMessage);
    } else if (m.type === ApiMsg.Response) {
      const r = m.payload as ApiResponse;
      const w = this.watches.get(r.reqId);
      // A watch the server refused (bad selector, unknown resource) is answered like a request.
      if (w !== undefined && !r.result.ok) {
        this.endWatch(r.reqId, false);
        return w.onUpdate({ end: r.result.status.message, status: r.result.status });
      }
      const p = this.pending.get(r.reqId);
      if (p === undefined) return;
      this.pending.delete(r.reqId);
      if (p.deadline !== undefined) this.world.cancel(p.deadline);
      p.done({ ok: true, server: r.server, result: r.result, ...(r.warnings === undefined ? {} : { warnings: r.warnings }) });
    }
  }

  private receiveWatch(msg: WatchEventsMessage): void {
    const w = this.watches.get(msg.reqId);
    if (w === undefined || msg.seq < w.nextSeq) return;
    // Put the stream back in order, as TCP would: hold early parts, drop repeats.
    w.early.set(msg.seq, msg);
    for (let next = w.early.get(w.nextSeq); next !== undefined; next = w.early.get(w.nextSeq)) {
      w.early.delete(w.nextSeq);
      w.nextSeq++;
      this.world.cancel(w.silence);
      w.silence = this.silenceTimer(msg.reqId);
      if (next.events.length > 0) w.onUpdate({ events: next.events });
      if (next.end !== undefined) {
        this.endWatch(msg.reqId, false);
        return w.onUpdate({ end: next.end.message, status: next.end });
      }
      if (!this.watches.has(msg.reqId)) return;
    }
  }
}
