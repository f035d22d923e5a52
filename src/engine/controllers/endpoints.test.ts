import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { clusterHarness } from '../testing/clusterHarness';
import { endpointSubsets, planSlices, desiredSliceEndpoints, type SliceEndpoint } from './endpointsUtil';

type Obj = Record<string, unknown>;

/** A cluster: the leading kube-controller-manager runs both endpoint controllers. */
function setup() {
  const h = clusterHarness();
  const pod = (name: string, extra: Obj = {}, node?: string): KubeObject =>
    h.ok({
      verb: 'create',
      namespace: 'default',
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels: { app: 'web' } },
        spec: { ...(node === undefined ? {} : { nodeName: node }), containers: [{ name: 'nginx', image: 'nginx', ports: [{ name: 'http', containerPort: 80 }], ...extra }] },
      },
    });
  const service = (name: string, spec: Obj = {}): KubeObject =>
    h.ok({ verb: 'create', namespace: 'default', body: { apiVersion: 'v1', kind: 'Service', metadata: { name, labels: { tier: 'front' } }, spec: { selector: { app: 'web' }, ports: [{ port: 8080, targetPort: 'http' }], ...spec } } });
  const slices = (svc: string): KubeObject[] => h.list('endpointslices', 'default').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc);
  const endpointsOf = (svc: string): SliceEndpoint[] => slices(svc).flatMap((s) => (s.endpoints ?? []) as SliceEndpoint[]);
  return { ...h, pod, service, slices, endpointsOf };
}

const byName = (eps: SliceEndpoint[]): Record<string, SliceEndpoint> => Object.fromEntries(eps.map((e) => [e.targetRef.name, e]));
const subsetsOf = (ep: KubeObject | undefined): Obj[] => (ep?.subsets ?? []) as Obj[];
const ips = (addrs: unknown): string[] => ((addrs ?? []) as { ip: string }[]).map((a) => a.ip);
const podIP = (p: KubeObject | undefined): string => String((p?.status as Obj | undefined)?.podIP);

describe('EndpointSlice and Endpoints controllers', () => {
  it('list the three nginx pods a Service selects, ready, with their node, zone and resolved port', () => {
    const { pod, service, slices, get, run } = setup();
    pod('web-a', {}, 'worker-1');
    pod('web-b', {}, 'worker-2');
    pod('web-c', {}, 'worker-3');
    const svc = service('web');
    run(15_000);
    const all = slices('web');
    expect(all).toHaveLength(1);
    const slice = all[0] as KubeObject;
    expect(slice.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(slice.metadata.generateName).toBe('web-');
    expect(slice.metadata.labels).toEqual({ tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(slice.addressType).toBe('IPv4');
    // The service port is unnamed: the slice says name "" and the container port the name resolved to.
    expect(slice.ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);
    const eps = byName((slice.endpoints ?? []) as SliceEndpoint[]);
    expect(Object.keys(eps).sort()).toEqual(['web-a', 'web-b', 'web-c']);
    const podA = get('pods', 'web-a');
    expect(eps['web-a']).toEqual({
      addresses: [podIP(podA)],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'default', name: 'web-a', uid: podA?.metadata.uid },
      nodeName: 'worker-1',
      zone: 'zone-a',
    });
    expect([eps['web-b']?.nodeName, eps['web-b']?.zone]).toEqual(['worker-2', 'zone-b']);
    expect([eps['web-c']?.nodeName, eps['web-c']?.zone]).toEqual(['worker-3', 'zone-a']);

    const ep = get('endpoints', 'web');
    expect(ep?.metadata.labels).toEqual({ tier: 'front' });
    expect(ep?.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toMatch(/^2025-01-01T00:00:\d\dZ$/);
    const [subset, ...more] = subsetsOf(ep);
    expect(more).toEqual([]);
    expect(ips(subset?.addresses)).toEqual(['web-a', 'web-b', 'web-c'].map((n) => podIP(get('pods', n))).sort());
    expect(subset?.notReadyAddresses).toBeUndefined();
    expect(subset?.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    expect((subset?.addresses as Obj[])[0]).toHaveProperty('targetRef.kind', 'Pod');
  });

  it('marks a pod failing its readiness probe not ready, and drops a deleted pod', () => {
    const { pod, service, endpointsOf, get, ok, run } = setup();
    pod('web-a', {}, 'worker-1');
    pod('web-b', { readinessProbe: { tcpSocket: { port: 81 }, periodSeconds: 1 } }, 'worker-2');
    service('web');
    run(20_000);
    const eps = byName(endpointsOf('web'));
    expect(eps['web-b']?.conditions).toEqual({ ready: false, serving: false, terminating: false });
    expect(eps['web-a']?.conditions.ready).toBe(true);
    const [subset] = subsetsOf(get('endpoints', 'web'));
    expect(ips(subset?.addresses)).toEqual([podIP(get('pods', 'web-a'))]);
    expect(ips(subset?.notReadyAddresses)).toEqual([podIP(get('pods', 'web-b'))]);

    ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'web-a' });
    run(5_000);
    // nginx stops at once on SIGTERM: the pod is gone, and with it its endpoint and address.
    expect(get('pods', 'web-a')).toBeUndefined();
    expect(Object.keys(byName(endpointsOf('web')))).toEqual(['web-b']);
    expect(subsetsOf(get('endpoints', 'web'))[0]?.addresses).toBeUndefined();
  });

  it('keeps a terminating pod in the slice as terminating, and out of Endpoints, until it is gone', () => {
    const { pod, service, endpointsOf, get, ok, run } = setup();
    // sh as PID 1 ignores SIGTERM: the pod stays Terminating for its 30 s grace period.
    pod('web-a', { image: 'busybox', command: ['sleep', '3600'] }, 'worker-1');
    service('web', { ports: [{ port: 80 }] });
    run(15_000);
    expect(byName(endpointsOf('web'))['web-a']?.conditions.ready).toBe(true);
    ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'web-a' });
    run(2_000);
    expect(get('pods', 'web-a')?.metadata.deletionTimestamp).toBeDefined();
    expect(byName(endpointsOf('web'))['web-a']?.conditions).toEqual({ ready: false, serving: true, terminating: true });
    expect(get('endpoints', 'web')?.subsets).toBeUndefined();
    run(40_000);
    expect(endpointsOf('web')).toEqual([]);
  });

  it('moves the pods of a killed worker to not ready once the node lifecycle controller marks them', () => {
    const { pod, service, endpointsOf, get, cluster, run } = setup();
    pod('web-a', {}, 'worker-1');
    pod('web-b', {}, 'worker-2');
    service('web');
    run(15_000);
    expect(endpointsOf('web').map((e) => e.conditions.ready)).toEqual([true, true]);
    cluster.applyFault({ kill: 'worker-1' });
    run(30_000);
    // The node's grace period (40 s) has not run out: still ready.
    expect(byName(endpointsOf('web'))['web-a']?.conditions.ready).toBe(true);
    run(30_000);
    expect(byName(endpointsOf('web'))['web-a']?.conditions).toEqual({ ready: false, serving: false, terminating: false });
    expect(byName(endpointsOf('web'))['web-b']?.conditions.ready).toBe(true);
    const [subset] = subsetsOf(get('endpoints', 'web'));
    expect(ips(subset?.notReadyAddresses)).toEqual([podIP(get('pods', 'web-a'))]);
  });

  it('gives a Service without a selector nothing, and one selecting nothing an empty slice and Endpoints', () => {
    const { service, slices, get, run } = setup();
    service('manual', { selector: undefined });
    service('nobody', { selector: { app: 'none' } });
    run(5_000);
    expect(slices('manual')).toEqual([]);
    expect(get('endpoints', 'manual')).toBeUndefined();
    const [placeholder, ...more] = slices('nobody');
    expect(more).toEqual([]);
    expect(placeholder?.endpoints ?? null).toBeNull();
    expect(placeholder?.ports ?? null).toBeNull();
    expect(get('endpoints', 'nobody')?.subsets).toBeUndefined();
  });

  it('publishes hostnames for a headless Service whose pods name it as subdomain, and not-ready pods when asked', () => {
    const { pod, service, endpointsOf, get, run } = setup();
    pod('web-0', { readinessProbe: { tcpSocket: { port: 81 }, periodSeconds: 1 } }, 'worker-1');
    service('plain', { clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ port: 80 }] });
    run(15_000);
    const [e] = endpointsOf('plain');
    expect(e?.conditions).toEqual({ ready: true, serving: false, terminating: false });
    expect(e?.hostname).toBeUndefined();
    const ep = get('endpoints', 'plain');
    expect(ep?.metadata.labels).toEqual({ tier: 'front', 'service.kubernetes.io/headless': '' });
    expect(ips(subsetsOf(ep)[0]?.addresses)).toEqual([podIP(get('pods', 'web-0'))]);
  });
});

describe('endpointsUtil', () => {
  const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'ns', uid: 'u' }, spec: { selector: { app: 'x' }, ports: [{ name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' }] } };
  const mkPod = (i: number, port = 8080): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${String(i).padStart(3, '0')}`, namespace: 'ns', uid: `u${i}`, labels: { app: 'x' } },
    spec: { nodeName: 'n1', hostname: `p${i}`, subdomain: 's', containers: [{ ports: [{ name: 'http', containerPort: port }] }] },
    status: { phase: 'Running', podIP: `10.0.${Math.floor(i / 250)}.${i % 250}`, conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z' } } };

  it('splits 250 endpoints into slices of at most 100, and a named port resolving differently into its own slice', () => {
    const pods = [...Array.from({ length: 250 }, (_, i) => mkPod(i)), mkPod(900, 9090)];
    const plan = planSlices(svc, [], desiredSliceEndpoints(svc, pods, () => node), undefined);
    expect(plan.create.map((s) => [(s.endpoints as unknown[]).length, (s.ports as { port: number }[])[0]?.port])).toEqual([
      [100, 8080],
      [100, 8080],
      [50, 8080],
      [1, 9090],
    ]);
    expect((plan.create[0]?.endpoints as SliceEndpoint[])[0]?.hostname).toBe('p0');
  });

  it('fills an existing slice with room before making a new one, and leaves a full current slice alone', () => {
    const first = planSlices(svc, [], desiredSliceEndpoints(svc, [mkPod(1)], () => node), undefined).create[0] as KubeObject;
    const existing = { ...first, metadata: { ...first.metadata, name: 's-abcde' } };
    const plan = planSlices(svc, [existing], desiredSliceEndpoints(svc, [mkPod(1), mkPod(2)], () => node), undefined);
    expect(plan.create).toEqual([]);
    expect(plan.update.map((s) => (s.endpoints as SliceEndpoint[]).map((e) => e.targetRef.name))).toEqual([['p001', 'p002']]);
    expect(planSlices(svc, [existing], desiredSliceEndpoints(svc, [mkPod(1)], () => node), undefined)).toEqual({ create: [], update: [], remove: [] });
  });

  it('leaves terminating pods out of Endpoints, and pods whose named port does not resolve', () => {
    const terminating = { ...mkPod(1), metadata: { ...mkPod(1).metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } };
    const portless = { ...mkPod(2), spec: { containers: [{}] } };
    expect(endpointSubsets(svc, [terminating, portless, mkPod(3)])).toEqual([
      { addresses: [{ ip: '10.0.0.3', hostname: 'p3', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'p003', uid: 'u3' } }], ports: [{ name: 'web', port: 8080, protocol: 'TCP' }] },
    ]);
  });
});
