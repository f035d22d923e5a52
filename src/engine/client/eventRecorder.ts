import type { ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import { rfc3339, VIRTUAL_EPOCH_MS } from '../virtualTime';
import type { World } from '../world';

export type EventType = 'Normal' | 'Warning';

/**
 * client-go's event recorder for core/v1 Events: one Event per (object, reason, message),
 * named `<object>.<hex nanoseconds>` like the real ones; a repeat within ten minutes bumps its
 * count and lastTimestamp instead of making a new one ("3 (x3 over 5m)" in kubectl describe).
 * Recording is best effort: a refused write is dropped, as a real recorder drops it.
 */
export class EventRecorder {
  private readonly seen = new Map<string, { namespace: string; name: string; count: number; lastMs: number }>();
  private sequence = 0;

  constructor(
    private readonly world: World,
    private readonly client: ApiClient,
    private readonly component: string,
    private readonly host: string,
  ) {}

  record(object: KubeObject, type: EventType, reason: string, message: string): void {
    const uid = object.metadata.uid ?? '';
    const key = `${uid}\u0000${type}\u0000${reason}\u0000${message}`;
    const now = this.world.now;
    const known = this.seen.get(key);
    if (known !== undefined && now - known.lastMs < 600_000) {
      known.count++;
      known.lastMs = now;
      const patch = JSON.stringify({ count: known.count, lastTimestamp: rfc3339(now) });
      this.client.request({ verb: 'patch', resource: 'events', namespace: known.namespace, name: known.name, patchType: 'merge', patch }, () => undefined);
      return;
    }
    const namespace = object.metadata.namespace ?? 'default';
    // Unix nanoseconds in hex, as client-go names events; the sequence keeps names unique within a millisecond.
    const nanos = (BigInt(VIRTUAL_EPOCH_MS + now) * 1_000_000n + BigInt(this.sequence++ % 1_000_000)).toString(16);
    const name = `${object.metadata.name ?? ''}.${nanos}`;
    this.seen.set(key, { namespace, name, count: 1, lastMs: now });
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata.name,
        ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }),
        uid,
        resourceVersion: object.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component: this.component, ...(this.component === 'kubelet' ? { host: this.host } : {}) },
      firstTimestamp: rfc3339(now),
      lastTimestamp: rfc3339(now),
      count: 1,
      reportingComponent: this.component,
      reportingInstance: this.host,
    };
    this.client.request({ verb: 'create', body, namespace }, () => undefined);
  }
}
