import type { ScheduledEvent } from '../eventQueue';
import type { Message } from '../network';
import type { World } from '../world';
import type { ApiResult } from './apiObjects';
import { API_PORT, ApiMsg, type ApiRequest, type ApiResponse, type ReadyzRequest, type ReadyzResponse } from './apiProtocol';

export type ApiCallResult = { readonly ok: true; readonly server: string; readonly result: ApiResult<unknown> } | { readonly ok: false; readonly error: string };

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
  private readonly pending = new Map<number, { done: (r: ApiCallResult) => void; deadline: ScheduledEvent }>();
  private readonly readyAt = new Map<string, number>();
  /** The latest /readyz probe sent to each server (older answers are ignored). */
  private readonly probes = new Map<string, number>();
  private healthTimer: ScheduledEvent | undefined;
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

  request(req: Omit<ApiRequest, 'reqId' | 'replyPort'>, done: (r: ApiCallResult) => void): void {
    let server = this.options.pinned;
    if (server === undefined) {
      const ready = this.readyServers();
      // A TCP load balancer with no healthy backend closes the connection at once.
      if (ready.length === 0) return done({ ok: false, error: 'Unable to connect to the server: EOF' });
      server = ready[this.rotation++ % ready.length] as string;
    }
    const reqId = ++this.nextReq;
    const deadline = this.world.schedule(this.requestTimeoutMs, `api request deadline ${this.options.host}`, () => {
      this.pending.delete(reqId);
      done({ ok: false, error: 'Unable to connect to the server: context deadline exceeded' });
    });
    this.pending.set(reqId, { done, deadline });
    const full: ApiRequest = { ...req, reqId, replyPort: this.options.port };
    this.world.net.send(this.options.host, server, ApiMsg.Request, full, API_PORT);
  }

  /** Stops health checks and forgets requests: the client's process ended. */
  stop(): void {
    if (this.healthTimer) this.world.cancel(this.healthTimer);
    for (const p of this.pending.values()) this.world.cancel(p.deadline);
    this.pending.clear();
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
    } else if (m.type === ApiMsg.Response) {
      const r = m.payload as ApiResponse;
      const p = this.pending.get(r.reqId);
      if (p === undefined) return;
      this.pending.delete(r.reqId);
      this.world.cancel(p.deadline);
      p.done({ ok: true, server: r.server, result: r.result });
    }
  }
}
