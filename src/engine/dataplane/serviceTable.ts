import type { KubeObject } from '../apiserver/apiObjects';

/** One address behind a Service, as an EndpointSlice lists it. */
export interface EndpointEntry {
  readonly ip: string;
  readonly nodeName?: string;
  readonly podUid?: string;
  readonly podName?: string;
  /** The pod's DNS hostname in a headless Service (StatefulSet pods). */
  readonly hostname?: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  /** Endpoint port by service port name ('' for an unnamed port). */
  readonly ports: ReadonlyMap<string, number>;
}

export interface ServicePortEntry {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
  readonly nodePort?: number;
}

export interface ServiceEntry {
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  /** Undefined for a headless Service (clusterIP: None). */
  readonly clusterIP?: string;
  readonly ports: readonly ServicePortEntry[];
  readonly publishNotReadyAddresses: boolean;
  readonly endpoints: readonly EndpointEntry[];
}

/**
 * What kube-proxy has programmed into a node, and what cluster DNS answers from: the Services
 * with their ports and the endpoints of their EndpointSlices. Built from the API's objects at
 * each sync; lookups by name, ClusterIP and NodePort.
 */
export class ServiceTable {
  private readonly byName = new Map<string, ServiceEntry>();
  private readonly byClusterIP = new Map<string, ServiceEntry>();
  private readonly byNodePort = new Map<number, { service: ServiceEntry; port: ServicePortEntry }>();

  constructor(services: readonly KubeObject[], slices: readonly KubeObject[]) {
    const endpoints = endpointsByService(slices);
    for (const svc of services) {
      const entry = serviceEntry(svc, endpoints.get(`${svc.metadata.namespace ?? 'default'}/${svc.metadata.name ?? ''}`) ?? []);
      if (entry === undefined) continue;
      this.byName.set(`${entry.namespace}/${entry.name}`, entry);
      if (entry.clusterIP !== undefined) this.byClusterIP.set(entry.clusterIP, entry);
      for (const p of entry.ports) if (p.nodePort !== undefined) this.byNodePort.set(p.nodePort, { service: entry, port: p });
    }
  }

  service(namespace: string, name: string): ServiceEntry | undefined {
    return this.byName.get(`${namespace}/${name}`);
  }

  byIP(ip: string): ServiceEntry | undefined {
    return this.byClusterIP.get(ip);
  }

  nodePort(port: number): { service: ServiceEntry; port: ServicePortEntry } | undefined {
    return this.byNodePort.get(port);
  }

  get size(): number {
    return this.byName.size;
  }
}

/**
 * The endpoints kube-proxy sends a Service's traffic to: the ready ones; when none is ready,
 * those still serving while they terminate (ProxyTerminatingEndpoints, GA in v1.28); else none,
 * and the connection is rejected.
 */
export function usableEndpoints(svc: ServiceEntry): EndpointEntry[] {
  const ready = svc.endpoints.filter((e) => e.ready);
  if (ready.length > 0) return ready;
  return svc.endpoints.filter((e) => e.serving && e.terminating);
}

/**
 * The addresses cluster DNS returns for a headless Service: ready endpoints, or every endpoint
 * when the Service publishes not-ready addresses.
 */
export function dnsEndpoints(svc: ServiceEntry): EndpointEntry[] {
  return svc.publishNotReadyAddresses ? [...svc.endpoints] : svc.endpoints.filter((e) => e.ready);
}

type Obj = Record<string, unknown>;

function serviceEntry(svc: KubeObject, endpoints: EndpointEntry[]): ServiceEntry | undefined {
  const spec = (svc.spec ?? {}) as Obj;
  const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
  // ExternalName Services are CNAMEs; kube-proxy programs nothing for them.
  if (type === 'ExternalName') return undefined;
  const clusterIP = typeof spec.clusterIP === 'string' && spec.clusterIP !== 'None' ? spec.clusterIP : undefined;
  const ports = ((spec.ports ?? []) as Obj[]).map((p): ServicePortEntry => {
    const entry = { name: typeof p.name === 'string' ? p.name : '', port: Number(p.port), protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP' };
    return typeof p.nodePort === 'number' && (type === 'NodePort' || type === 'LoadBalancer') ? { ...entry, nodePort: p.nodePort } : entry;
  });
  return {
    namespace: svc.metadata.namespace ?? 'default',
    name: svc.metadata.name ?? '',
    type,
    ...(clusterIP === undefined ? {} : { clusterIP }),
    ports,
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
    endpoints,
  };
}

/** Endpoints of every Service, merged over its slices (label kubernetes.io/service-name), in slice order. */
function endpointsByService(slices: readonly KubeObject[]): Map<string, EndpointEntry[]> {
  const out = new Map<string, EndpointEntry[]>();
  for (const slice of slices) {
    const service = slice.metadata.labels?.['kubernetes.io/service-name'];
    if (service === undefined) continue;
    const key = `${slice.metadata.namespace ?? 'default'}/${service}`;
    const s = slice as unknown as { endpoints?: Obj[]; ports?: Obj[] };
    const ports = new Map<string, number>();
    for (const p of s.ports ?? []) if (typeof p.port === 'number') ports.set(typeof p.name === 'string' ? p.name : '', p.port);
    let list = out.get(key);
    if (list === undefined) out.set(key, (list = []));
    for (const e of s.endpoints ?? []) {
      const conditions = (e.conditions ?? {}) as Obj;
      const ref = (e.targetRef ?? {}) as Obj;
      for (const ip of (e.addresses ?? []) as string[]) {
        // A nil ready condition means ready, as the API documents.
        const ready = conditions.ready !== false;
        list.push({
          ip,
          ...(typeof e.nodeName === 'string' ? { nodeName: e.nodeName } : {}),
          ...(typeof ref.uid === 'string' ? { podUid: ref.uid } : {}),
          ...(typeof ref.name === 'string' ? { podName: ref.name } : {}),
          ...(typeof e.hostname === 'string' ? { hostname: e.hostname } : {}),
          ready,
          serving: conditions.serving === undefined ? ready : conditions.serving === true,
          terminating: conditions.terminating === true,
          ports,
        });
      }
    }
  }
  return out;
}
