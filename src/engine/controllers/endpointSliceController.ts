import type { ApiCallResult, ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import type { EventRecorder } from '../client/eventRecorder';
import { Informer, objectKey } from '../client/informer';
import type { Rng } from '../rng';
import type { World } from '../world';
import { desiredSliceEndpoints, hasSelector, isManagedSliceOf, MANAGED_BY, MANAGED_BY_LABEL, planSlices, selectedBy, SERVICE_NAME_LABEL, TriggerTimeTracker, ZONE_LABEL } from './endpointsUtil';
import { WorkQueue } from './workQueue';

/** How soon to look again while the caches fill or a pod's node is not known yet. */
const RETRY_MS = 1_000;

const succeededOrGone = (r: ApiCallResult): boolean => r.ok && (r.result.ok || r.result.status.code === 404);

/**
 * kube-controller-manager's EndpointSlice controller: for every Service with a selector, keeps
 * EndpointSlices (labelled with the service name, owned by the Service) listing the selected
 * pods that have an IP, with their readiness, node and zone. Pods, Services and Nodes are
 * watched; every change enqueues the Services concerned.
 */
export class EndpointSliceController {
  private readonly services: Informer;
  private readonly pods: Informer;
  private readonly nodes: Informer;
  private readonly slices: Informer;
  private readonly queue: WorkQueue;
  private readonly triggers = new TriggerTimeTracker();
  private readonly rng: Rng;

  constructor(
    world: World,
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
  ) {
    this.rng = world.rng.fork('endpointslice-controller');
    this.queue = new WorkQueue(world, 'endpointslice', (key, done) => this.sync(key, done));
    const enqueue = (o: KubeObject): void => this.queue.add(objectKey(o));
    this.services = new Informer(world, client, 'services', { onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const podChanged = (...ps: KubeObject[]): void => {
      for (const svc of this.services.list()) if (ps.some((p) => selectedBy(svc, p))) enqueue(svc);
    };
    this.pods = new Informer(world, client, 'pods', { onAdd: podChanged, onUpdate: podChanged, onDelete: podChanged });
    const nodeChanged = (old: KubeObject | undefined, n: KubeObject): void => {
      if (old !== undefined && old.metadata.labels?.[ZONE_LABEL] === n.metadata.labels?.[ZONE_LABEL]) return;
      for (const svc of this.services.list()) if (this.pods.list().some((p) => selectedBy(svc, p) && (p.spec as { nodeName?: string }).nodeName === n.metadata.name)) enqueue(svc);
    };
    this.nodes = new Informer(world, client, 'nodes', { onAdd: (n) => nodeChanged(undefined, n), onUpdate: nodeChanged });
    // A slice changed or removed behind the controller's back is put right again.
    const sliceChanged = (s: KubeObject): void => {
      const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
      if (svc !== undefined && s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY) this.queue.add(`${s.metadata.namespace ?? ''}/${svc}`);
    };
    this.slices = new Informer(world, client, 'endpointslices', { onUpdate: (_o, n) => sliceChanged(n), onDelete: sliceChanged });
  }

  start(): void {
    this.queue.start();
    for (const i of [this.services, this.pods, this.nodes, this.slices]) i.start();
  }

  stop(): void {
    for (const i of [this.services, this.pods, this.nodes, this.slices]) i.stop();
    this.queue.stop();
  }

  /**
   * The name generateName would give (prefix + 5 characters of apimachinery's alphabet), chosen
   * here because this API server does not apply generateName on create; a clash (409) retries.
   */
  private named(slice: KubeObject): KubeObject {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    const suffix = Array.from({ length: 5 }, () => alphabet[this.rng.int(alphabet.length)]).join('');
    return { ...slice, metadata: { ...slice.metadata, name: `${slice.metadata.generateName ?? ''}${suffix}` } };
  }

  private sync(key: string, done: (ok: boolean) => void): void {
    if (![this.services, this.pods, this.nodes, this.slices].every((i) => i.synced)) {
      this.queue.addAfter(key, RETRY_MS);
      return done(true);
    }
    const [namespace = '', name = ''] = key.split('/');
    const svc = this.services.get(key);
    // A deleted Service's slices go with it through their owner reference (garbage collector).
    if (svc === undefined || !hasSelector(svc)) {
      this.triggers.forget(namespace, name);
      return done(true);
    }
    const pods = this.pods.list().filter((p) => selectedBy(svc, p));
    const desired = desiredSliceEndpoints(svc, pods, (n) => this.nodes.get(n));
    const existing = this.slices.list().filter((s) => isManagedSliceOf(s, namespace, name) && s.metadata.deletionTimestamp === undefined);
    const plan = planSlices(svc, existing, desired, this.triggers.compute(svc, pods));
    const writes = [
      ...plan.create.map((body) => ({ verb: 'create' as const, namespace, body: this.named(body) })),
      ...plan.update.map((body) => ({ verb: 'update' as const, namespace, body })),
      ...plan.remove.map((s) => ({ verb: 'delete' as const, resource: 'endpointslices', namespace, name: s.metadata.name ?? '' })),
    ];
    let failed = false;
    const next = (i: number): void => {
      const w = writes[i];
      if (w === undefined) {
        if (desired.missingNodes) this.queue.addAfter(key, RETRY_MS);
        return done(!failed);
      }
      this.client.request(w, (r) => {
        if (!succeededOrGone(r)) {
          failed = true;
          if (r.ok && !r.result.ok && r.result.status.code !== 409) this.recorder.record(svc, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${key}: ${r.result.status.message}`);
        }
        next(i + 1);
      });
    };
    next(0);
  }
}
