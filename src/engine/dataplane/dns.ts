import { dnsEndpoints, type EndpointEntry, type ServiceEntry, type ServiceTable } from './serviceTable';

/** The cluster's DNS domain (kubelet --cluster-domain). */
export const CLUSTER_DOMAIN = 'cluster.local';
/** The kube-dns Service's ClusterIP, the nameserver in every pod's resolv.conf (kubelet --cluster-dns). */
export const DNS_SERVICE_IP = '10.96.0.10';
/** resolv.conf's ndots: a name with fewer dots goes through the search list first. */
const NDOTS = 5;

export type DnsAnswer =
  | {
      readonly ok: true;
      /** The name that answered, without the final dot. */
      readonly fqdn: string;
      readonly ips: readonly string[];
      readonly service: ServiceEntry;
      /** Set when the name is one pod's (db-0.db.shop.svc.cluster.local). */
      readonly endpoint?: EndpointEntry;
    }
  | { readonly ok: false; readonly tried: readonly string[] };

/** A pod's resolv.conf search list (ClusterFirst DNS policy). */
export function searchList(namespace: string): string[] {
  return [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
}

/**
 * What CoreDNS answers a pod in `namespace` that looks up `name`, trying the search list as the
 * resolver does: `web` is web.<ns>.svc.cluster.local, `web.shop` is web.shop.svc.cluster.local,
 * and a StatefulSet pod is <pod>.<headless service>[.<ns>…]. A ClusterIP Service answers its
 * ClusterIP whether or not it has endpoints; a headless one answers its ready pods' IPs.
 */
export function resolveName(name: string, namespace: string, table: ServiceTable): DnsAnswer {
  const absolute = name.endsWith('.');
  const bare = absolute ? name.slice(0, -1) : name;
  const dots = bare.split('.').length - 1;
  const candidates = absolute ? [bare] : dots >= NDOTS ? [bare, ...searchList(namespace).map((d) => `${bare}.${d}`)] : [...searchList(namespace).map((d) => `${bare}.${d}`), bare];
  for (const fqdn of candidates) {
    const answer = lookup(fqdn.toLowerCase(), table);
    if (answer !== undefined) return answer;
  }
  return { ok: false, tried: candidates };
}

function lookup(fqdn: string, table: ServiceTable): DnsAnswer | undefined {
  const suffix = `.svc.${CLUSTER_DOMAIN}`;
  if (!fqdn.endsWith(suffix)) return undefined;
  const labels = fqdn.slice(0, -suffix.length).split('.');
  if (labels.length === 2) {
    const [name = '', ns = ''] = labels;
    const svc = table.service(ns, name);
    if (svc === undefined) return undefined;
    if (svc.clusterIP !== undefined) return { ok: true, fqdn, ips: [svc.clusterIP], service: svc };
    const ips = dnsEndpoints(svc).map((e) => e.ip);
    return ips.length === 0 ? undefined : { ok: true, fqdn, ips, service: svc };
  }
  if (labels.length === 3) {
    const [host = '', name = '', ns = ''] = labels;
    const svc = table.service(ns, name);
    if (svc === undefined || svc.clusterIP !== undefined) return undefined;
    const endpoint = dnsEndpoints(svc).find((e) => e.hostname === host);
    return endpoint === undefined ? undefined : { ok: true, fqdn, ips: [endpoint.ip], service: svc, endpoint };
  }
  return undefined;
}
