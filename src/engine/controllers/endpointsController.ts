import type { ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import type { EventRecorder } from '../client/eventRecorder';
import { Informer, objectKey } from '../client/informer';
import type { World } from '../world';
import { desiredEndpointsObject, endpointsChanged, endpointSubsets, hasSelector, selectedBy, TriggerTimeTracker } from './endpointsUtil';
import { WorkQueue } from './workQueue';

const RETRY_MS = 1_000;

/**
 * kube-controller-manager's Endpoints controller (core/v1 Endpoints, still run in 1.31): for
 * every Service with a selector, an Endpoints of the same name whose subsets list the selected
 * pods' addresses, ready or not, with the resolved ports. A Service without a selector is left
 * alone (its Endpoints are the user's); a deleted Service's Endpoints are deleted.
 */
export class EndpointsController {
  private readonly services: Informer;
  private readonly pods: Informer;
  private readonly endpoints: Informer;
  private readonly queue: WorkQueue;
  private readonly triggers = new TriggerTimeTracker();

  constructor(
    world: World,
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
  ) {
    this.queue = new WorkQueue(world, 'endpoint', (key, done) => this.sync(key, done));
    const enqueue = (o: KubeObject): void => this.queue.add(objectKey(o));
    this.services = new Informer(world, client, 'services', { onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const podChanged = (...ps: KubeObject[]): void => {
      for (const svc of this.services.list()) if (ps.some((p) => selectedBy(svc, p))) enqueue(svc);
    };
    this.pods = new Informer(world, client, 'pods', { onAdd: podChanged, onUpdate: podChanged, onDelete: podChanged });
    // Endpoints edited or deleted by someone else are restored.
    this.endpoints = new Informer(world, client, 'endpoints', { onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
  }

  start(): void {
    this.queue.start();
    for (const i of [this.services, this.pods, this.endpoints]) i.start();
  }

  stop(): void {
    for (const i of [this.services, this.pods, this.endpoints]) i.stop();
    this.queue.stop();
  }

  private sync(key: string, done: (ok: boolean) => void): void {
    if (![this.services, this.pods, this.endpoints].every((i) => i.synced)) {
      this.queue.addAfter(key, RETRY_MS);
      return done(true);
    }
    const [namespace = '', name = ''] = key.split('/');
    const svc = this.services.get(key);
    const current = this.endpoints.get(key);
    if (svc === undefined) {
      this.triggers.forget(namespace, name);
      if (current === undefined) return done(true);
      return this.client.request({ verb: 'delete', resource: 'endpoints', namespace, name }, (r) => done(r.ok && (r.result.ok || r.result.status.code === 404)));
    }
    if (!hasSelector(svc)) return done(true);
    const pods = this.pods.list().filter((p) => selectedBy(svc, p));
    const subsets = endpointSubsets(svc, pods);
    const trigger = this.triggers.compute(svc, pods);
    if (current !== undefined && !endpointsChanged(current, svc, subsets)) return done(true);
    const body = desiredEndpointsObject(svc, current, subsets, trigger);
    this.client.request({ verb: current === undefined ? 'create' : 'update', namespace, body }, (r) => {
      if (r.ok && r.result.ok) return done(true);
      if (r.ok && !r.result.ok && r.result.status.code !== 409 && r.result.status.code !== 403) this.recorder.record(svc, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${key}: ${r.result.status.message}`);
      done(false);
    });
  }
}
