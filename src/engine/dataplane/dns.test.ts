import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { resolveName, searchList } from './dns';
import { ServiceTable, usableEndpoints } from './serviceTable';

const svc = (ns: string, name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec });
const slice = (ns: string, service: string, endpoints: Record<string, unknown>[], ports = [{ name: '', port: 80 }]): KubeObject =>
  ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { namespace: ns, name: `${service}-abcde`, labels: { 'kubernetes.io/service-name': service } }, addressType: 'IPv4', endpoints, ports }) as unknown as KubeObject;

const table = new ServiceTable(
  [
    svc('default', 'web', { type: 'ClusterIP', clusterIP: '10.96.10.1', ports: [{ port: 80, protocol: 'TCP' }] }),
    svc('shop', 'web', { type: 'ClusterIP', clusterIP: '10.96.20.1', ports: [{ port: 80, protocol: 'TCP' }] }),
    svc('shop', 'db', { clusterIP: 'None', ports: [{ port: 5432, protocol: 'TCP' }] }),
    svc('shop', 'empty', { clusterIP: 'None', ports: [{ port: 80, protocol: 'TCP' }] }),
  ],
  [
    slice('shop', 'db', [
      { addresses: ['10.244.1.5'], hostname: 'db-0', conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'db-0', uid: 'u0' }, nodeName: 'worker-1' },
      { addresses: ['10.244.2.7'], hostname: 'db-1', conditions: { ready: false, serving: false }, targetRef: { kind: 'Pod', name: 'db-1', uid: 'u1' }, nodeName: 'worker-2' },
    ], [{ name: '', port: 5432 }]),
  ],
);

describe('cluster DNS', () => {
  it('searches the pod namespace first, then svc.cluster.local, then cluster.local', () => {
    expect(searchList('shop')).toEqual(['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
    const own = resolveName('web', 'shop', table);
    expect(own.ok && own.fqdn).toBe('web.shop.svc.cluster.local');
    expect(own.ok && own.ips).toEqual(['10.96.20.1']);
    const other = resolveName('web', 'default', table);
    expect(other.ok && other.ips).toEqual(['10.96.10.1']);
  });

  it('resolves svc.ns, svc.ns.svc and the full name (with or without the final dot) from any namespace', () => {
    for (const name of ['web.shop', 'web.shop.svc', 'web.shop.svc.cluster.local', 'web.shop.svc.cluster.local.']) {
      const a = resolveName(name, 'default', table);
      expect(a.ok && a.ips, name).toEqual(['10.96.20.1']);
    }
  });

  it('answers NXDOMAIN after trying every search domain', () => {
    const a = resolveName('nope', 'default', table);
    expect(a).toEqual({ ok: false, tried: ['nope.default.svc.cluster.local', 'nope.svc.cluster.local', 'nope.cluster.local', 'nope'] });
    // The Service is in another namespace: the bare name does not find it.
    expect(resolveName('db', 'default', table).ok).toBe(false);
  });

  it('a headless Service answers its ready pods, and a StatefulSet pod by name', () => {
    const all = resolveName('db', 'shop', table);
    expect(all.ok && all.ips).toEqual(['10.244.1.5']);
    const pod = resolveName('db-0.db', 'shop', table);
    expect(pod.ok && pod.ips).toEqual(['10.244.1.5']);
    expect(pod.ok && pod.endpoint?.podName).toBe('db-0');
    // db-1 is not ready: it has no DNS record.
    expect(resolveName('db-1.db.shop.svc.cluster.local', 'default', table).ok).toBe(false);
    // A headless Service with no ready pod has no records at all.
    expect(resolveName('empty', 'shop', table).ok).toBe(false);
  });
});

describe("kube-proxy's endpoints", () => {
  it('uses ready endpoints; only when none is ready, those still serving while terminating', () => {
    const t = new ServiceTable(
      [svc('default', 'web', { clusterIP: '10.96.0.50', ports: [{ port: 80, protocol: 'TCP' }] })],
      [
        slice('default', 'web', [
          { addresses: ['10.244.1.2'], conditions: { ready: true, serving: true, terminating: false } },
          { addresses: ['10.244.1.3'], conditions: { ready: false, serving: true, terminating: true } },
        ]),
      ],
    );
    const web = t.service('default', 'web');
    expect(web && usableEndpoints(web).map((e) => e.ip)).toEqual(['10.244.1.2']);
    const draining = new ServiceTable(
      [svc('default', 'web', { clusterIP: '10.96.0.50', ports: [{ port: 80, protocol: 'TCP' }] })],
      [slice('default', 'web', [{ addresses: ['10.244.1.3'], conditions: { ready: false, serving: true, terminating: true } }, { addresses: ['10.244.1.4'], conditions: { ready: false, serving: false, terminating: false } }])],
    );
    const d = draining.service('default', 'web');
    expect(d && usableEndpoints(d).map((e) => e.ip)).toEqual(['10.244.1.3']);
  });

  it('looks Services up by ClusterIP and NodePort; ExternalName Services program nothing', () => {
    const t = new ServiceTable(
      [
        svc('default', 'web', { type: 'NodePort', clusterIP: '10.96.0.50', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }),
        svc('default', 'plain', { type: 'ClusterIP', clusterIP: '10.96.0.51', ports: [{ port: 80, nodePort: 30081, protocol: 'TCP' }] }),
        svc('default', 'ext', { type: 'ExternalName', externalName: 'example.com' }),
      ],
      [],
    );
    expect(t.byIP('10.96.0.50')?.name).toBe('web');
    expect(t.nodePort(30080)?.service.name).toBe('web');
    expect(t.nodePort(30081)).toBeUndefined();
    expect(t.service('default', 'ext')).toBeUndefined();
  });
});
