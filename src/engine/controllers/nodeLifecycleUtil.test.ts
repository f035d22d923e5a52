import { describe, expect, it } from 'vitest';
import {
  computeZoneState,
  evictionDelayMs,
  noScheduleDiff,
  NODE_LIFECYCLE_DEFAULTS,
  observeNodeHealth,
  podNotReadyConditions,
  RateLimitedTimedQueue,
  silencedConditions,
  swapTaints,
  TokenBucket,
  toleratesTaint,
  zoneKey,
  zoneTaintRate,
  type Condition,
  type Taint,
} from './nodeLifecycleUtil';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const notReady: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };
const defaultTolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

describe('tolerations', () => {
  it('matches as Toleration.ToleratesTaint does', () => {
    expect(toleratesTaint({ operator: 'Exists' }, unreachable)).toBe(true);
    expect(toleratesTaint({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, unreachable)).toBe(false);
    // No operator means Equal, and an absent value equals the taint's empty one.
    expect(toleratesTaint({ key: 'node.kubernetes.io/unreachable' }, unreachable)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', value: 'gpu' }, { key: 'dedicated', value: 'db', effect: 'NoExecute' })).toBe(false);
  });

  it('gives the eviction delay: the smallest matching tolerationSeconds, 0 if untolerated, Infinity if forever', () => {
    expect(evictionDelayMs([unreachable], defaultTolerations)).toBe(300_000);
    expect(evictionDelayMs([unreachable], [])).toBe(0);
    expect(evictionDelayMs([unreachable, { key: 'dedicated', effect: 'NoExecute' }], defaultTolerations)).toBe(0);
    expect(evictionDelayMs([unreachable], [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }])).toBe(Infinity);
    expect(evictionDelayMs([unreachable, notReady], [{ operator: 'Exists', tolerationSeconds: 60 }, ...defaultTolerations])).toBe(60_000);
    // Each taint takes its first matching toleration only: the later 10 s one is not used.
    expect(evictionDelayMs([unreachable], [...defaultTolerations, { operator: 'Exists', tolerationSeconds: 10 }])).toBe(300_000);
    expect(evictionDelayMs([unreachable], [{ operator: 'Exists', tolerationSeconds: -5 }])).toBe(0);
  });
});

describe('taints', () => {
  it('swaps unreachable for not-ready, stamping the added one', () => {
    const from = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { ...unreachable, timeAdded: '2025-01-01T00:01:00Z' }];
    expect(swapTaints(from, [notReady], [unreachable], '2025-01-01T00:02:00Z')).toEqual([
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: '2025-01-01T00:02:00Z' },
    ]);
    expect(swapTaints(from, [], [notReady], '2025-01-01T00:02:00Z')).toBeUndefined();
  });

  it('wants NoSchedule taints for Ready=Unknown and for a cordoned node, and drops stale ones', () => {
    const conditions: Condition[] = [
      { type: 'Ready', status: 'Unknown' },
      { type: 'MemoryPressure', status: 'Unknown' },
    ];
    const owned = [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }];
    expect(noScheduleDiff(conditions, true, owned)).toEqual({
      add: [
        { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
      ],
      remove: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }],
    });
  });
});

describe('conditions', () => {
  it('turns a silent node’s conditions Unknown, adding those the kubelet never posted', () => {
    const now = '2025-01-01T00:05:00Z';
    const out = silencedConditions([{ type: 'Ready', status: 'True', lastHeartbeatTime: '2025-01-01T00:04:00Z', lastTransitionTime: '2025-01-01T00:00:10Z', reason: 'KubeletReady', message: 'kubelet is posting ready status' }], now, '2025-01-01T00:00:00Z');
    expect(out.map((c) => [c.type, c.status, c.reason, c.message, c.lastHeartbeatTime, c.lastTransitionTime])).toEqual([
      ['Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', '2025-01-01T00:04:00Z', now],
      ['MemoryPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.', '2025-01-01T00:00:00Z', now],
      ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.', '2025-01-01T00:00:00Z', now],
      ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.', '2025-01-01T00:00:00Z', now],
    ]);
  });

  it('marks a pod not ready once, keeping the condition’s other fields', () => {
    const ready: Condition = { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-01-01T00:00:30Z' };
    const once = podNotReadyConditions([ready], '2025-01-01T00:02:00Z');
    expect(once).toEqual([{ type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: '2025-01-01T00:02:00Z' }]);
    expect(podNotReadyConditions(once ?? [], '2025-01-01T00:03:00Z')).toBeUndefined();
    expect(podNotReadyConditions([], '2025-01-01T00:03:00Z')).toBeUndefined();
  });
});

describe('node health', () => {
  const t = NODE_LIFECYCLE_DEFAULTS;
  const ready = (beat: string): Condition => ({ type: 'Ready', status: 'True', lastHeartbeatTime: beat, lastTransitionTime: '2025-01-01T00:00:00Z' });

  it('counts from the controller’s own observation of a heartbeat or a Lease renewal', () => {
    let h = observeNodeHealth(undefined, ready('2025-01-01T00:00:00Z'), 0, 1_000, 5_000, t);
    expect(h.health.probeMs).toBe(5_000);
    // Same heartbeat, same lease: nothing new, the clock runs.
    h = observeNodeHealth(h.health, ready('2025-01-01T00:00:00Z'), 0, 1_000, 55_000, t);
    expect(h.expired).toBe(false);
    h = observeNodeHealth(h.health, ready('2025-01-01T00:00:00Z'), 0, 1_000, 55_001, t);
    expect(h.expired).toBe(true);
    // A renewed Lease counts as a heartbeat, whatever the kubelet's clock says.
    h = observeNodeHealth(h.health, ready('2025-01-01T00:00:00Z'), 0, 900_000, 60_000, t);
    expect([h.health.probeMs, h.expired]).toEqual([60_000, false]);
  });

  it('gives a node with no Ready condition the startup grace period from its creation', () => {
    const h = observeNodeHealth(undefined, undefined, 10_000, undefined, 70_000, t);
    expect([h.gracePeriodMs, h.expired]).toEqual([60_000, false]);
    expect(observeNodeHealth(h.health, undefined, 10_000, undefined, 70_001, t).expired).toBe(true);
  });
});

describe('zones', () => {
  it('keys zones by region and zone labels', () => {
    expect(zoneKey({ 'topology.kubernetes.io/zone': 'zone-a' })).toBe(':\u0000:zone-a');
    expect(zoneKey({ 'topology.kubernetes.io/region': 'eu', 'failure-domain.beta.kubernetes.io/zone': 'b', 'topology.kubernetes.io/zone': 'a' })).toBe('eu:\u0000:b');
    expect(zoneKey({})).toBe('');
  });

  it('computes zone states with the 0.55 threshold and the more-than-two rule', () => {
    const threshold = NODE_LIFECYCLE_DEFAULTS.unhealthyZoneThreshold;
    expect(computeZoneState(['Unknown', 'False', undefined], threshold)).toEqual({ unhealthy: 3, state: 'FullDisruption' });
    expect(computeZoneState(['Unknown', 'Unknown', 'Unknown', 'True'], threshold)).toEqual({ unhealthy: 3, state: 'PartialDisruption' });
    expect(computeZoneState(['Unknown', 'Unknown', 'True'], threshold)).toEqual({ unhealthy: 2, state: 'Normal' });
    expect(computeZoneState(['Unknown', 'Unknown', 'Unknown', 'True', 'True', 'True'], threshold).state).toBe('Normal');
  });

  it('slows tainting in a partly disrupted zone only when it is large', () => {
    expect(zoneTaintRate('Normal', 10, NODE_LIFECYCLE_DEFAULTS)).toBe(0.1);
    expect(zoneTaintRate('PartialDisruption', 50, NODE_LIFECYCLE_DEFAULTS)).toBe(0);
    expect(zoneTaintRate('PartialDisruption', 51, NODE_LIFECYCLE_DEFAULTS)).toBe(0.01);
    expect(zoneTaintRate('FullDisruption', 3, NODE_LIFECYCLE_DEFAULTS)).toBe(0.1);
  });
});

describe('rate limiting', () => {
  it('lets one node through per 10 s at 0.1 qps, the first at once', () => {
    const b = new TokenBucket(0.1, 0);
    expect(b.tryAccept(0)).toBe(true);
    expect(b.tryAccept(9_999)).toBe(false);
    expect(b.nextTokenAt(9_999)).toBe(10_000);
    expect(b.tryAccept(10_000)).toBe(true);
    expect(new TokenBucket(0, 0).nextTokenAt(0)).toBe(Infinity);
  });

  it('queues a node once per outage, until it is removed', () => {
    const q = new RateLimitedTimedQueue(0.1, 0);
    expect(q.add('worker-1', 'u1', 0)).toBe(true);
    expect(q.add('worker-1', 'u1', 5)).toBe(false);
    q.done('worker-1');
    expect([q.size, q.add('worker-1', 'u1', 10)]).toEqual([0, false]);
    expect(q.remove('worker-1')).toBe(true);
    expect(q.add('worker-1', 'u1', 20)).toBe(true);
  });

  it('does not hand out an extra token when the rate changes while the bucket is empty', () => {
    const q = new RateLimitedTimedQueue(0.1, 0);
    expect(q.limiter.tryAccept(0)).toBe(true);
    q.swapRate(0.01, 1_000);
    expect(q.limiter.tryAccept(1_000)).toBe(false);
    expect(q.limiter.nextTokenAt(1_000)).toBe(101_000);
  });
});
