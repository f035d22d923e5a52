import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { clusterHarness } from '../testing/clusterHarness';
import { rfc3339 } from '../virtualTime';

type Obj = Record<string, unknown>;
const ready = (p: KubeObject | undefined): unknown => (((p?.status as Obj | undefined)?.conditions ?? []) as Obj[]).find((c) => c.type === 'Ready')?.status;

describe('kubelet: status manager', () => {
  it('writes its view of a pod again when someone else changed the status it had written (Ready=False from the node lifecycle controller)', () => {
    const { ok, get, run, cluster } = clusterHarness();
    ok({ verb: 'create', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: 'worker-1', containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } });
    while (ready(get('pods', 'web')) !== 'True' && cluster.world.now < 60_000) run(50);
    const before = get('pods', 'web');
    // What MarkPodsNotReady writes when the node stops reporting, here in the very second the pod
    // became ready: the kubelet's status then reads exactly as the one it last wrote.
    const now = rfc3339(cluster.world.now);
    const conditions = (((before?.status as Obj).conditions ?? []) as Obj[]).map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: now } : c));
    expect(conditions.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe((((before?.status as Obj).conditions ?? []) as Obj[]).find((c) => c.type === 'Ready')?.lastTransitionTime);
    ok({ verb: 'patch', resource: 'pods', namespace: 'default', name: 'web', subresource: 'status', patchType: 'merge', patch: JSON.stringify({ status: { conditions } }) });
    expect(ready(get('pods', 'web'))).toBe('False');
    run(12_000);
    expect(ready(get('pods', 'web'))).toBe('True');
  });
});
