/** `kubectl describe service`, endpoints read from the Service's EndpointSlices. */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { type DescribeWriter, type Obj, formatLabels, isSet, list, meta, obj, spec as specOf, status as statusOf, str, strings, writeAnnotations, writeLabels } from './format';

const joinHostPort = (host: string, port: unknown): string => `${host.includes(':') ? `[${host}]` : host}:${str(port)}`;

/**
 * The ready endpoints serving a port, `ip:port` joined by commas, at most three and then
 * `+ N more...`; `<none>` without slices. Endpoints without a ready condition count as ready.
 */
export function formatEndpointSlices(slices: readonly KubeObject[], portName: string): string {
  if (slices.length === 0) return '<none>';
  const shown: string[] = [];
  const max = 3;
  let more = false;
  let total = 0;
  const visit = (ep: Obj, text: (addr: string) => string): void => {
    if (shown.length === max) more = true;
    const ready = obj(ep.conditions).ready;
    if (ready === false) return;
    if (!more) shown.push(text(strings(ep.addresses)[0] ?? ''));
    total++;
  };
  for (const slice of slices) {
    const ports = list(slice.ports);
    const endpoints = list(slice.endpoints);
    // Headless services without ports list bare addresses.
    if (ports.length === 0) for (const ep of endpoints) visit(ep, (addr) => addr);
    for (const port of ports) {
      if (str(port.name) !== portName) continue;
      for (const ep of endpoints) visit(ep, (addr) => joinHostPort(addr, port.port));
    }
  }
  const text = shown.join(',');
  return more ? `${text} + ${total - max} more...` : text;
}

function loadBalancerIngress(ingress: readonly Obj[]): string {
  return ingress.map((i) => (str(i.ip) ? `${str(i.ip)}${isSet(i.ipMode) ? ` (${str(i.ipMode)})` : ''}` : str(i.hostname))).join(', ');
}

export function describeService(w: DescribeWriter, svc: KubeObject, slices: readonly KubeObject[]): void {
  const md = meta(svc);
  const spec = specOf(svc);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${str(spec.type)}\n`);
  if (isSet(spec.ipFamilyPolicy)) w.write(0, `IP Family Policy:\t${str(spec.ipFamilyPolicy)}\n`);
  const families = strings(spec.ipFamilies);
  w.write(0, `IP Families:\t${families.length > 0 ? families.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${str(spec.clusterIP)}\n`);
  const clusterIPs = strings(spec.clusterIPs);
  w.write(0, `IPs:\t${clusterIPs.length > 0 ? clusterIPs.join(',') : '<none>'}\n`);
  if (strings(spec.externalIPs).length > 0) w.write(0, `External IPs:\t${strings(spec.externalIPs).join(',')}\n`);
  if (str(spec.loadBalancerIP)) w.write(0, `Desired LoadBalancer IP:\t${str(spec.loadBalancerIP)}\n`);
  if (str(spec.externalName)) w.write(0, `External Name:\t${str(spec.externalName)}\n`);
  const ingress = list(obj(statusOf(svc).loadBalancer).ingress);
  if (ingress.length > 0) w.write(0, `LoadBalancer Ingress:\t${loadBalancerIngress(ingress)}\n`);
  for (const p of list(spec.ports)) {
    const name = str(p.name) || '<unset>';
    const protocol = str(p.protocol) || 'TCP';
    w.write(0, `Port:\t${name}\t${str(p.port)}/${protocol}\n`);
    w.write(0, `TargetPort:\t${str(p.targetPort ?? p.port)}/${protocol}\n`);
    if (typeof p.nodePort === 'number' && p.nodePort !== 0) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${protocol}\n`);
    w.write(0, `Endpoints:\t${formatEndpointSlices(slices, str(p.name))}\n`);
  }
  w.write(0, `Session Affinity:\t${str(spec.sessionAffinity)}\n`);
  if (str(spec.externalTrafficPolicy)) w.write(0, `External Traffic Policy:\t${str(spec.externalTrafficPolicy)}\n`);
  if (isSet(spec.internalTrafficPolicy)) w.write(0, `Internal Traffic Policy:\t${str(spec.internalTrafficPolicy)}\n`);
  if (typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort !== 0) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (strings(spec.loadBalancerSourceRanges).length > 0) w.write(0, `LoadBalancer Source Ranges:\t${strings(spec.loadBalancerSourceRanges).join(',')}\n`);
  if (isSet(spec.trafficDistribution)) w.write(0, `Traffic Distribution:\t${str(spec.trafficDistribution)}\n`);
}
