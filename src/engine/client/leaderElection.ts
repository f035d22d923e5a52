import type { ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import type { ScheduledEvent } from '../eventQueue';
import type { Rng } from '../rng';
import { uuidV4 } from '../uuid';
import { rfc3339Micro } from '../virtualTime';
import type { World } from '../world';
import { EventRecorder } from './eventRecorder';

/** kube-controller-manager's and kube-scheduler's defaults (--leader-elect-lease-duration etc.). */
export interface LeaderElectionTimings {
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

export const DEFAULT_LEADER_ELECTION: LeaderElectionTimings = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/**
 * Leader election over a coordination.k8s.io Lease, as client-go's leaderelection does it:
 * every retry period a candidate tries to take the Lease (free, or its holder has not renewed
 * it for a lease duration *as observed locally*); the leader renews it every retry period and
 * steps down when it could not renew for the renew deadline. Writes use the Lease's
 * resourceVersion, so of two candidates only one wins.
 */
export class LeaderElector {
  private timer: ScheduledEvent | undefined;
  private leading = false;
  private observed: { record: string; atMs: number } | undefined;
  private lastRenewMs = -Infinity;
  private running = false;

  constructor(
    private readonly world: World,
    private readonly client: ApiClient,
    private readonly lease: { namespace: string; name: string },
    readonly identity: string,
    private readonly callbacks: { onStartedLeading(): void; onStoppedLeading(): void; onNewLeader?(identity: string): void },
    private readonly timings: LeaderElectionTimings = DEFAULT_LEADER_ELECTION,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer) this.world.cancel(this.timer);
    this.timer = undefined;
    if (this.leading) {
      this.leading = false;
      this.callbacks.onStoppedLeading();
    }
  }

  private tick(): void {
    if (!this.running) return;
    this.tryAcquireOrRenew((ok) => {
      if (!this.running) return;
      if (ok) {
        this.lastRenewMs = this.world.now;
        if (!this.leading) {
          this.leading = true;
          this.callbacks.onStartedLeading();
        }
      } else if (this.leading && this.world.now - this.lastRenewMs >= this.timings.renewDeadlineMs) {
        // Could not renew in time: another may hold it by now. Stop acting at once.
        this.leading = false;
        this.callbacks.onStoppedLeading();
      }
      this.timer = this.world.schedule(this.timings.retryPeriodMs, `leader election ${this.lease.name} ${this.identity}`, () => this.tick());
    });
  }

  private tryAcquireOrRenew(done: (ok: boolean) => void): void {
    const mine = (previous: LeaseSpec | undefined): LeaseSpec => {
      const keep = previous?.holderIdentity === this.identity;
      // Stamped when the record is written, after the read that preceded it.
      const stamp = rfc3339Micro(this.world.now);
      return {
        holderIdentity: this.identity,
        leaseDurationSeconds: this.timings.leaseDurationMs / 1000,
        acquireTime: keep && previous?.acquireTime !== undefined ? previous.acquireTime : stamp,
        renewTime: stamp,
        leaseTransitions: (previous?.leaseTransitions ?? 0) + (keep || previous?.holderIdentity === undefined ? 0 : 1),
      };
    };
    const { namespace, name } = this.lease;
    this.client.request({ verb: 'get', resource: 'leases', namespace, name }, (got) => {
      const now = this.world.now;
      if (!got.ok) return done(false);
      if (!got.result.ok) {
        if (got.result.status.code !== 404) return done(false);
        const body: KubeObject = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: mine(undefined) };
        return this.client.request({ verb: 'create', body, namespace }, (r) => done(r.ok && r.result.ok));
      }
      const lease = got.result.value as KubeObject;
      const spec = (lease.spec ?? {}) as LeaseSpec;
      const record = JSON.stringify(spec);
      if (this.observed?.record !== record) {
        this.observed = { record, atMs: now };
        if (spec.holderIdentity !== undefined) this.callbacks.onNewLeader?.(spec.holderIdentity);
      }
      const heldByOther = spec.holderIdentity !== undefined && spec.holderIdentity !== '' && spec.holderIdentity !== this.identity;
      const durationMs = (spec.leaseDurationSeconds ?? 15) * 1000;
      if (heldByOther && this.observed.atMs + durationMs > now) return done(false);
      const next = mine(spec);
      this.client.request({ verb: 'update', body: { ...lease, spec: next }, namespace }, (r) => {
        const ok = r.ok && r.result.ok;
        if (ok) this.observed = { record: JSON.stringify(((r.result as { value: KubeObject }).value.spec ?? {}) as LeaseSpec), atMs: now };
        done(ok);
      });
    });
  }
}

/**
 * A control-plane component that acts only while it holds its kube-system Lease, as
 * kube-scheduler and kube-controller-manager do: its identity is the host and a fresh UUID per
 * process start; `lead` runs on winning the Lease, `standDown` on losing it or on stopping.
 */
export abstract class LeaderElectedComponent {
  readonly identity: string;
  private readonly elector: LeaderElector;
  protected readonly recorder: EventRecorder;

  constructor(
    protected readonly world: World,
    protected readonly client: ApiClient,
    readonly host: string,
    rng: Rng,
    names: { readonly lease: string; readonly eventSource: string },
    timings?: LeaderElectionTimings,
  ) {
    this.identity = `${host}_${uuidV4(rng)}`;
    this.recorder = new EventRecorder(world, client, names.eventSource, host);
    this.elector = new LeaderElector(
      world,
      client,
      { namespace: 'kube-system', name: names.lease },
      this.identity,
      { onStartedLeading: () => this.lead(), onStoppedLeading: () => this.standDown() },
      timings,
    );
  }

  get isLeader(): boolean {
    return this.elector.isLeader;
  }

  start(): void {
    this.elector.start();
  }

  /** The process ended (its master died). */
  stop(): void {
    this.elector.stop();
    this.standDown();
    this.client.stop();
  }

  protected abstract lead(): void;
  protected abstract standDown(): void;
}
