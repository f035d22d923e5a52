/** `kubectl describe` for NetworkPolicies, EndpointSlices and Endpoints. */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { rfc3339 } from '../../engine/virtualTime';
import { type DescribeWriter, type Obj, formatLabelSelector, intOrString, isSet, list, meta, num, obj, parseTime, spec as specOf, str, strings, writeAnnotations, writeLabels } from './format';

// --- NetworkPolicy ---------------------------------------------------------------------

/** Go's time.Time.String() in UTC: `2025-01-01 00:03:00 +0000 UTC` (a fraction only when there is one). */
function goTimeString(v: unknown): string {
  const t = parseTime(v);
  if (t === undefined) return '0001-01-01 00:00:00 +0000 UTC';
  const ms = ((t % 1000) + 1000) % 1000;
  const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0').replace(/0+$/, '')}`;
  return `${rfc3339(t).slice(0, 19).replace('T', ' ')}${fraction} +0000 UTC`;
}

const INDENT = '    ';

interface Direction {
  readonly name: 'ingress' | 'egress';
  /** Its value in spec.policyTypes. */
  readonly policyType: 'Ingress' | 'Egress';
  /** Field of a rule holding its peers, and how a peer line starts. */
  readonly peers: 'from' | 'to';
  readonly peerTitle: 'From' | 'To';
  readonly anyPeer: string;
}

const INGRESS: Direction = { name: 'ingress', policyType: 'Ingress', peers: 'from', peerTitle: 'From', anyPeer: 'From: <any> (traffic not restricted by source)' };
const EGRESS: Direction = { name: 'egress', policyType: 'Egress', peers: 'to', peerTitle: 'To', anyPeer: 'To: <any> (traffic not restricted by destination)' };

function writePorts(w: DescribeWriter, ports: readonly Obj[]): void {
  if (ports.length === 0) return w.write(0, `${INDENT}To Port: <any> (traffic allowed to all ports)\n`);
  for (const p of ports) {
    const protocol = str(p.protocol) || 'TCP';
    // A nil *IntOrString prints "<nil>" through %s.
    const port = isSet(p.port) ? intOrString(p.port) : '<nil>';
    if (typeof p.endPort === 'number') w.write(0, `${INDENT}To Port Range: ${port}-${p.endPort}/${protocol}\n`);
    else w.write(0, `${INDENT}To Port: ${port}/${protocol}\n`);
  }
}

/** One peer: both selectors (pods in matching namespaces), one of them, or an IP block. */
function writePeer(w: DescribeWriter, d: Direction, peer: Obj): void {
  w.write(0, `${INDENT}${d.peerTitle}:\n`);
  if (isSet(peer.podSelector) && isSet(peer.namespaceSelector)) {
    w.write(1, `${INDENT}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
    w.write(1, `${INDENT}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
  } else if (isSet(peer.podSelector)) {
    w.write(1, `${INDENT}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
  } else if (isSet(peer.namespaceSelector)) {
    w.write(1, `${INDENT}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
  } else if (isSet(peer.ipBlock)) {
    const block = obj(peer.ipBlock);
    w.write(1, `${INDENT}IPBlock:\n`);
    w.write(2, `${INDENT}CIDR: ${str(block.cidr)}\n`);
    w.write(2, `${INDENT}Except: ${strings(block.except).join(', ')}\n`);
  }
}

/** The rules of one direction, separated by a dashed line; no rule at all isolates the pods. */
function writeRules(w: DescribeWriter, d: Direction, rules: readonly Obj[]): void {
  if (rules.length === 0) return w.write(0, `${INDENT}<none> (Selected pods are isolated for ${d.name} connectivity)\n`);
  rules.forEach((rule, i) => {
    writePorts(w, list(rule.ports));
    const peers = list(rule[d.peers]);
    if (peers.length === 0) w.write(0, `${INDENT}${d.anyPeer}\n`);
    for (const peer of peers) writePeer(w, d, peer);
    if (i !== rules.length - 1) w.write(0, `${INDENT}----------\n`);
  });
}

export function describeNetworkPolicy(w: DescribeWriter, np: KubeObject): void {
  const md = meta(np);
  const spec = specOf(np);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  w.write(0, `Created on:\t${goTimeString(md.creationTimestamp)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  w.write(0, 'Spec:\n');
  w.write(1, 'PodSelector: ');
  const selector = obj(spec.podSelector);
  const selectsAll = Object.keys(obj(selector.matchLabels)).length === 0 && list(selector.matchExpressions).length === 0;
  w.write(2, selectsAll ? '<none> (Allowing the specific traffic to all pods in this namespace)\n' : `${formatLabelSelector(selector)}\n`);
  const types = strings(spec.policyTypes);
  for (const d of [INGRESS, EGRESS]) {
    if (types.includes(d.policyType)) {
      w.write(1, `Allowing ${d.name} traffic:\n`);
      writeRules(w, d, list(spec[d.name]));
    } else {
      w.write(1, `Not affecting ${d.name} traffic\n`);
    }
  }
  w.write(1, `Policy Types: ${types.length > 0 ? types.join(', ') : '<none>'}\n`);
}

// --- EndpointSlice ---------------------------------------------------------------------

const orUnset = (v: unknown): string => (isSet(v) ? str(v) : '<unset>');

function writeSliceEndpoint(w: DescribeWriter, ep: Obj): void {
  w.write(1, `- Addresses:\t${strings(ep.addresses).join(', ') || '<none>'}\n`);
  w.write(2, 'Conditions:\n');
  const ready = obj(ep.conditions).ready;
  w.write(3, `Ready:\t${typeof ready === 'boolean' ? String(ready) : '<unset>'}\n`);
  w.write(2, `Hostname:\t${orUnset(ep.hostname)}\n`);
  if (isSet(ep.targetRef)) w.write(2, `TargetRef:\t${str(obj(ep.targetRef).kind)}/${str(obj(ep.targetRef).name)}\n`);
  w.write(2, `NodeName:\t${orUnset(ep.nodeName)}\n`);
  w.write(2, `Zone:\t${orUnset(ep.zone)}\n`);
}

export function describeEndpointSlice(w: DescribeWriter, slice: KubeObject): void {
  const md = meta(slice);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  w.write(0, `AddressType:\t${str(slice.addressType)}\n`);
  const ports = list(slice.ports);
  if (ports.length === 0) {
    w.write(0, 'Ports: <unset>\n');
  } else {
    w.write(0, 'Ports:\n');
    w.write(1, 'Name\tPort\tProtocol\n');
    w.write(1, '----\t----\t--------\n');
    for (const p of ports) w.write(1, `${str(p.name) || '<unset>'}\t${typeof p.port === 'number' ? p.port : '<unset>'}\t${str(p.protocol)}\n`);
  }
  const endpoints = list(slice.endpoints);
  if (endpoints.length === 0) return w.write(0, 'Endpoints: <none>\n');
  w.write(0, 'Endpoints:\n');
  for (const ep of endpoints) writeSliceEndpoint(w, ep);
}

// --- Endpoints -------------------------------------------------------------------------

const ips = (addresses: unknown): string => list(addresses).map((a) => str(a.ip)).join(',') || '<none>';

export function describeEndpoints(w: DescribeWriter, ep: KubeObject): void {
  const md = meta(ep);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  w.write(0, 'Subsets:\n');
  for (const subset of list(ep.subsets)) {
    w.write(1, `Addresses:\t${ips(subset.addresses)}\n`);
    w.write(1, `NotReadyAddresses:\t${ips(subset.notReadyAddresses)}\n`);
    const ports = list(subset.ports);
    if (ports.length > 0) {
      w.write(1, 'Ports:\n');
      w.write(2, 'Name\tPort\tProtocol\n');
      w.write(2, '----\t----\t--------\n');
      for (const p of ports) w.write(2, `${str(p.name) || '<unset>'}\t${num(p.port)}\t${str(p.protocol)}\n`);
    }
    w.write(0, '\n');
  }
}
