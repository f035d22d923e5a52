/**
 * NetworkPolicy (networking.k8s.io/v1) as a network plugin enforces it, for one new connection:
 * a pod is isolated for a direction once a policy of its namespace selects it with that type
 * in its policyTypes; an isolated pod accepts (ingress) or opens (egress) only what some rule of
 * those policies allows. Policies add up, rules are ORed, and a connection between two pods
 * needs egress allowed at the source and ingress allowed at the destination.
 *
 * The caller passes the connection as the packet filter sees it: after a Service's DNAT (the
 * destination is the chosen pod, on its target port), and only its first packet (replies of an
 * allowed connection are allowed).
 */
import type { KubeObject } from '../apiserver/apiObjects';
import { selectorMatches, type LabelSelector } from '../controllers/podUtil';

export interface PeerPod {
  namespace: string;
  labels: Record<string, string>;
  ip: string;
  /** The IP of the pod's node: traffic between a pod and its own node is always allowed. */
  nodeIp?: string;
}

/** A pod, or an address outside the pod network (a node, a client outside the cluster). */
export type Endpoint = PeerPod | { ip: string };

export interface Flow {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  /** Named ports of the destination container: name → number. */
  toNamedPorts?: Record<string, number>;
}

export type Verdict = { allowed: true } | { allowed: false; side: 'egress' | 'ingress'; isolatedBy: string[] };

/** The label the API server puts on every namespace, with the namespace's name as value. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

interface IPBlock {
  cidr?: string;
  except?: string[];
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IPBlock;
}

interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

type Rule = { ports?: PolicyPort[] } & { [peers in 'from' | 'to']?: Peer[] };

interface PolicySpec {
  podSelector?: LabelSelector;
  policyTypes?: string[];
  ingress?: Rule[];
  egress?: Rule[];
}

interface Side {
  readonly name: 'ingress' | 'egress';
  readonly type: 'Ingress' | 'Egress';
  readonly peers: 'from' | 'to';
}

const INGRESS: Side = { name: 'ingress', type: 'Ingress', peers: 'from' };
const EGRESS: Side = { name: 'egress', type: 'Egress', peers: 'to' };

type NamespaceLabels = (ns: string) => Record<string, string> | undefined;

const isPod = (e: Endpoint): e is PeerPod => 'namespace' in e;
const specOf = (p: KubeObject): PolicySpec => (p.spec ?? {}) as PolicySpec;
const namespaceOf = (p: KubeObject): string => p.metadata.namespace ?? 'default';
/** JSON null is an unset field, as Go decodes it. */
const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

/**
 * The policy's types as the API server defaults them: those written, else Ingress, plus
 * Egress when there are egress rules.
 */
export function policyTypes(policy: KubeObject): string[] {
  const spec = specOf(policy);
  if ((spec.policyTypes ?? []).length > 0) return [...(spec.policyTypes ?? [])];
  return (spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** Whether the connection is allowed, or which side refuses it and the policies that isolate that side. */
export function flowAllowed(policies: readonly KubeObject[], namespaceLabels: NamespaceLabels, flow: Flow): Verdict {
  // A pod cannot block access to itself.
  if (isPod(flow.from) && isPod(flow.to) && flow.from.ip !== '' && flow.from.ip === flow.to.ip) return { allowed: true };
  // The packet leaves its source before it reaches its destination: egress refuses it first.
  return refusal(EGRESS, policies, namespaceLabels, flow) ?? refusal(INGRESS, policies, namespaceLabels, flow) ?? { allowed: true };
}

/** The refusal of one side of the connection, if that side's pod is isolated and no rule allows it. */
function refusal(side: Side, policies: readonly KubeObject[], namespaceLabels: NamespaceLabels, flow: Flow): Verdict | undefined {
  const [subject, peer] = side === EGRESS ? [flow.from, flow.to] : [flow.to, flow.from];
  if (!isPod(subject)) return undefined;
  if (subject.nodeIp !== undefined && peer.ip === subject.nodeIp) return undefined;
  const isolating = policies.filter((p) => namespaceOf(p) === subject.namespace && policyTypes(p).includes(side.type) && selectorMatches(specOf(p).podSelector ?? {}, subject.labels));
  if (isolating.length === 0) return undefined;
  const allows = (p: KubeObject): boolean => (specOf(p)[side.name] ?? []).some((rule) => ruleAllows(rule, side, namespaceOf(p), peer, flow, namespaceLabels));
  if (isolating.some(allows)) return undefined;
  return { allowed: false, side: side.name, isolatedBy: isolating.map((p) => `${namespaceOf(p)}/${p.metadata.name ?? ''}`).sort() };
}

/** A rule allows the connection when both its ports and its peers do; either left out means all. */
function ruleAllows(rule: Rule, side: Side, policyNamespace: string, peer: Endpoint, flow: Flow, namespaceLabels: NamespaceLabels): boolean {
  const ports = rule.ports ?? [];
  const peers = rule[side.peers] ?? [];
  return (ports.length === 0 || ports.some((p) => portMatches(p, flow))) && (peers.length === 0 || peers.some((p) => peerMatches(p, policyNamespace, peer, namespaceLabels)));
}

/** A port entry: its protocol (TCP when left out), then a number, a range up to endPort, a name of the destination's ports, or any port. */
function portMatches(p: PolicyPort, flow: Flow): boolean {
  if ((p.protocol ?? 'TCP') !== flow.protocol) return false;
  if (!isSet(p.port)) return true;
  if (typeof p.port === 'string') return Object.prototype.hasOwnProperty.call(flow.toNamedPorts ?? {}, p.port) && flow.toNamedPorts?.[p.port] === flow.port;
  return isSet(p.endPort) ? p.port <= flow.port && flow.port <= p.endPort : p.port === flow.port;
}

/**
 * A peer: an IP block (by address, pods included), or pods by selectors: podSelector alone
 * picks pods of the policy's namespace, namespaceSelector alone every pod of the namespaces it
 * picks, and both together the pods matching both.
 */
function peerMatches(peer: Peer, policyNamespace: string, other: Endpoint, namespaceLabels: NamespaceLabels): boolean {
  if (isSet(peer.ipBlock)) return inIpBlock(peer.ipBlock, other.ip);
  if (!isPod(other) || (!isSet(peer.podSelector) && !isSet(peer.namespaceSelector))) return false;
  const namespaceOk = isSet(peer.namespaceSelector) ? namespaceSelected(peer.namespaceSelector, other.namespace, namespaceLabels) : other.namespace === policyNamespace;
  return namespaceOk && (!isSet(peer.podSelector) || selectorMatches(peer.podSelector, other.labels));
}

function namespaceSelected(selector: LabelSelector, namespace: string, namespaceLabels: NamespaceLabels): boolean {
  const labels = namespaceLabels(namespace);
  // The API server keeps this label equal to the namespace's name, on every namespace.
  return labels !== undefined && selectorMatches(selector, { ...labels, [NAMESPACE_NAME_LABEL]: namespace });
}

function inIpBlock(block: IPBlock, ip: string): boolean {
  const address = parseIp(ip);
  const cidr = parseCidr(block.cidr ?? '');
  if (address === undefined || cidr === undefined || !cidrContains(cidr, address)) return false;
  return !(block.except ?? []).some((e) => {
    const except = parseCidr(e);
    return except !== undefined && cidrContains(except, address);
  });
}

// ---------------------------------------------------------------- addresses

/** An address as its bytes: 4 for IPv4, 16 for IPv6. */
export type IpBytes = readonly number[];

/** A parsed CIDR: its network address (host bits cleared) and prefix length. */
export interface Cidr {
  readonly network: IpBytes;
  readonly bits: number;
}

/** IPv4 as Kubernetes parses it ("sloppily": octets may have leading zeros), or IPv6. */
export function parseIp(text: string): IpBytes | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d+$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = halves.map((h) => (h === '' ? [] : h.split(':')));
  // A dotted IPv4 address may end the address, standing for its last two groups.
  const last = groups[groups.length - 1] as string[];
  const v4 = last.length > 0 && (last[last.length - 1] as string).includes('.') ? parseIpv4(last.pop() as string) : [];
  if (v4 === undefined || !groups.every((g) => g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)))) return undefined;
  const words = groups.map((g) => g.map((x) => parseInt(x, 16)));
  const given = words.reduce((n, w) => n + w.length, 0) + v4.length / 2;
  // "::" stands for at least one group of zeros.
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const zeros: number[] = Array.from({ length: 8 - given }, () => 0);
  const all = [...(words[0] ?? []), ...(halves.length === 2 ? zeros : []), ...(words[1] ?? [])];
  return [...all.flatMap((w) => [w >> 8, w & 0xff]), ...v4];
}

/** A CIDR as net.ParseCIDR reads it (an address, '/', a prefix length within the family's), or undefined. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? undefined : parseIp(text.slice(0, slash));
  const prefix = text.slice(slash + 1);
  if (address === undefined || !/^\d+$/.test(prefix) || Number(prefix) > address.length * 8) return undefined;
  const bits = Number(prefix);
  return { network: address.map((b, i) => b & maskByte(bits, i)), bits };
}

const maskByte = (bits: number, i: number): number => (0xff << (8 - Math.max(0, Math.min(8, bits - i * 8)))) & 0xff;

/** Whether the address is in the network (never across families). */
export function cidrContains(cidr: Cidr, ip: IpBytes): boolean {
  return ip.length === cidr.network.length && ip.every((b, i) => (b & maskByte(cidr.bits, i)) === cidr.network[i]);
}
