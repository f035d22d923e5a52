import type { ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import type { ListObject } from '../apiserver/apiServer';
import { RESOURCES } from '../apiserver/resources';
import { Informer } from '../client/informer';
import type { World } from '../world';
import { inSequenceWhileOk } from './sequence';
import { WorkQueue } from './workQueue';

/** How soon to look again at a namespace whose content is still going (pods in their grace period). */
const RECHECK_MS = 5_000;

/**
 * The namespace controller: a namespace marked for deletion (phase Terminating) is emptied,
 * every namespaced resource in it deleted; once nothing is left it removes the `kubernetes`
 * finalizer through the finalize subresource, and the API server lets the namespace go.
 */
export class NamespaceController {
  private readonly informer: Informer;
  private readonly queue: WorkQueue;

  constructor(
    world: World,
    private readonly client: ApiClient,
  ) {
    this.queue = new WorkQueue(world, 'namespace', (name, done) => this.sync(name, done));
    const enqueue = (o: KubeObject): void => {
      if (o.metadata.deletionTimestamp !== undefined) this.queue.add(o.metadata.name ?? '');
    };
    this.informer = new Informer(world, client, 'namespaces', { onAdd: enqueue, onUpdate: (_old, o) => enqueue(o) });
  }

  start(): void {
    this.queue.start();
    this.informer.start();
  }

  stop(): void {
    this.informer.stop();
    this.queue.stop();
  }

  private sync(name: string, done: (ok: boolean) => void): void {
    const ns = this.informer.get(name);
    if (ns === undefined || ns.metadata.deletionTimestamp === undefined) return done(true);
    const types = RESOURCES.filter((t) => t.namespaced);
    let remaining = 0;
    const next = (i: number): void => {
      const type = types[i];
      if (type === undefined) {
        if (remaining > 0) {
          this.queue.addAfter(name, RECHECK_MS);
          return done(true);
        }
        const body: KubeObject = { ...ns, spec: { ...(ns.spec as object), finalizers: [] } };
        return this.client.request({ verb: 'update', subresource: 'finalize', body }, (r) => done(r.ok && (r.result.ok || r.result.status.code === 404)));
      }
      this.client.request({ verb: 'list', resource: type.plural, namespace: name }, (r) => {
        if (!r.ok || !r.result.ok) return done(false);
        const items = (r.result.value as ListObject).items;
        remaining += items.length;
        inSequenceWhileOk(
          items,
          (o, then) => {
            if (o.metadata.deletionTimestamp !== undefined) return then(true);
            this.client.request({ verb: 'delete', resource: type.plural, namespace: name, name: o.metadata.name ?? '' }, (d) => then(d.ok));
          },
          (ok) => (ok ? next(i + 1) : done(false)),
        );
      });
    };
    next(0);
  }
}
