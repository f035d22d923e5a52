import { describe, expect, it } from 'vitest';
import { invalid, type KubeObject } from '../apiserver/apiObjects';
import { applyDefaults } from '../apiserver/defaults';
import { RESOURCES } from '../apiserver/resources';
import { validateSemantics } from '../apiserver/validation';
import { clusterHarness } from '../testing/clusterHarness';
import { cidrContains, type Endpoint, flowAllowed, type Flow, parseCidr, parseIp, type PeerPod, policyTypes } from './networkPolicy';

// Expected verdicts follow the kubernetes.io "Network Policies" page and the NetworkPolicySpec
// API reference (isolation per direction, additive policies, peers, ports, defaulted policyTypes).

const policy = (name: string, spec: Record<string, unknown>, namespace = 'default'): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec,
});

const NAMESPACES: Record<string, Record<string, string>> = {
  default: { 'kubernetes.io/metadata.name': 'default' },
  prod: { 'kubernetes.io/metadata.name': 'prod', env: 'prod' },
  monitoring: { 'kubernetes.io/metadata.name': 'monitoring', team: 'ops' },
  'kube-system': { 'kubernetes.io/metadata.name': 'kube-system' },
};
const namespaceLabels = (ns: string): Record<string, string> | undefined => NAMESPACES[ns];

let nextIp = 10;
const pod = (namespace: string, labels: Record<string, string>, ip = `10.244.1.${nextIp++}`): PeerPod => ({ namespace, labels, ip });

const web = pod('default', { app: 'web' });
const api = pod('default', { app: 'api' });
const db = pod('default', { app: 'db' });
const prodWeb = pod('prod', { app: 'web' });
const prodApi = pod('prod', { app: 'api' });
const prometheus = pod('monitoring', { app: 'prometheus' });
const grafana = pod('monitoring', { app: 'grafana' });
const defaultPrometheus = pod('default', { app: 'prometheus' });
const prodPrometheus = pod('prod', { app: 'prometheus' });
const kubeDns = pod('kube-system', { 'k8s-app': 'kube-dns' });
const outside = { ip: '203.0.113.7' };

function check(policies: KubeObject[], from: Endpoint, to: Endpoint, port: number, extra: Partial<Flow> = {}) {
  return flowAllowed(policies, namespaceLabels, { from, to, port, protocol: 'TCP', ...extra });
}
const allowed = { allowed: true };
const deniedBy = (side: 'ingress' | 'egress', ...isolatedBy: string[]) => ({ allowed: false, side, isolatedBy });

describe('pods are non-isolated until a policy selects them', () => {
  it('allows everything without policies, between pods and from outside', () => {
    expect(check([], web, api, 8080)).toEqual(allowed);
    expect(check([], outside, api, 443)).toEqual(allowed);
    expect(check([], api, outside, 443)).toEqual(allowed);
  });

  it('leaves pods its selector does not pick alone', () => {
    const onlyDb = policy('db-deny', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] });
    expect(check([onlyDb], web, api, 8080)).toEqual(allowed);
    expect(check([onlyDb], web, db, 5432)).toEqual(deniedBy('ingress', 'default/db-deny'));
  });

  it('selects with matchExpressions too', () => {
    const notWeb = policy('not-web', { podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, policyTypes: ['Ingress'] });
    expect(check([notWeb], api, web, 80)).toEqual(allowed);
    expect(check([notWeb], web, api, 80)).toEqual(deniedBy('ingress', 'default/not-web'));
  });
});

describe('default deny', () => {
  const denyIngress = policy('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
  const denyEgress = policy('default-deny-egress', { podSelector: {}, policyTypes: ['Egress'] });

  it('default-deny-ingress refuses every connection into the namespace, and nothing out of it', () => {
    expect(check([denyIngress], web, api, 8080)).toEqual(deniedBy('ingress', 'default/default-deny-ingress'));
    expect(check([denyIngress], outside, web, 80)).toEqual(deniedBy('ingress', 'default/default-deny-ingress'));
    expect(check([denyIngress], prodWeb, api, 8080)).toEqual(deniedBy('ingress', 'default/default-deny-ingress'));
    expect(check([denyIngress], api, outside, 443)).toEqual(allowed);
    expect(check([denyIngress], api, prodApi, 8080)).toEqual(allowed);
  });

  it('a policy with no policyTypes and no rules isolates for ingress only', () => {
    const bare = policy('bare', { podSelector: {} });
    expect(policyTypes(bare)).toEqual(['Ingress']);
    expect(check([bare], web, api, 8080)).toEqual(deniedBy('ingress', 'default/bare'));
    expect(check([bare], api, outside, 443)).toEqual(allowed);
  });

  it('default-deny-egress blocks DNS to kube-dns, then an explicit rule lets UDP 53 through', () => {
    expect(check([denyEgress], web, kubeDns, 53, { protocol: 'UDP' })).toEqual(deniedBy('egress', 'default/default-deny-egress'));
    expect(check([denyEgress], web, outside, 443)).toEqual(deniedBy('egress', 'default/default-deny-egress'));
    // Ingress into the namespace is not affected.
    expect(check([denyEgress], prodWeb, api, 8080)).toEqual(allowed);

    const allowDns = policy('allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP', port: 53 }],
        },
      ],
    });
    const both = [denyEgress, allowDns];
    expect(check(both, web, kubeDns, 53, { protocol: 'UDP' })).toEqual(allowed);
    // Only UDP was allowed, only port 53, only to kube-dns in kube-system.
    expect(check(both, web, kubeDns, 53)).toEqual(deniedBy('egress', 'default/allow-dns', 'default/default-deny-egress'));
    expect(check(both, web, kubeDns, 5353, { protocol: 'UDP' })).toEqual(deniedBy('egress', 'default/allow-dns', 'default/default-deny-egress'));
    expect(check(both, web, pod('prod', { 'k8s-app': 'kube-dns' }), 53, { protocol: 'UDP' })).toEqual(deniedBy('egress', 'default/allow-dns', 'default/default-deny-egress'));
    expect(check(both, web, api, 8080)).toEqual(deniedBy('egress', 'default/allow-dns', 'default/default-deny-egress'));
  });

  it('picks a namespace by its kubernetes.io/metadata.name label even where the caller left it out', () => {
    const toKubeSystem = policy('to-kube-system', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }] }] });
    const bareLabels = (ns: string): Record<string, string> | undefined => (ns in NAMESPACES ? {} : undefined);
    expect(flowAllowed([toKubeSystem], bareLabels, { from: web, to: kubeDns, port: 53, protocol: 'UDP' })).toEqual(allowed);
    expect(flowAllowed([toKubeSystem], bareLabels, { from: web, to: prodApi, port: 53, protocol: 'UDP' })).toEqual(deniedBy('egress', 'default/to-kube-system'));
  });

  it('an allow-all rule ({}) lets every source and port in, even under a deny-all policy', () => {
    const allowAll = policy('allow-all-ingress', { podSelector: {}, ingress: [{}] });
    expect(check([denyIngress, allowAll], outside, web, 12345)).toEqual(allowed);
    expect(check([denyIngress, allowAll], prodWeb, api, 1, { protocol: 'SCTP' })).toEqual(allowed);
  });
});

describe('peers and ports', () => {
  const apiFromWeb = policy('api-from-web', {
    podSelector: { matchLabels: { app: 'api' } },
    policyTypes: ['Ingress'],
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
  });

  it('allows app=web to app=api on TCP 8080 only, from the policy namespace only', () => {
    expect(check([apiFromWeb], web, api, 8080)).toEqual(allowed);
    expect(check([apiFromWeb], web, api, 80)).toEqual(deniedBy('ingress', 'default/api-from-web'));
    expect(check([apiFromWeb], web, api, 8080, { protocol: 'UDP' })).toEqual(deniedBy('ingress', 'default/api-from-web'));
    expect(check([apiFromWeb], db, api, 8080)).toEqual(deniedBy('ingress', 'default/api-from-web'));
    // A podSelector alone picks pods of the policy's own namespace.
    expect(check([apiFromWeb], prodWeb, api, 8080)).toEqual(deniedBy('ingress', 'default/api-from-web'));
    expect(check([apiFromWeb], outside, api, 8080)).toEqual(deniedBy('ingress', 'default/api-from-web'));
  });

  it('a rule without ports allows every port from its peers; protocol defaults to TCP in a port entry', () => {
    const anyPort = policy('any-port', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] });
    expect(check([anyPort], web, api, 9999, { protocol: 'UDP' })).toEqual(allowed);
    const noProtocol = policy('no-protocol', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 8080 }] }] });
    expect(check([noProtocol], prodWeb, api, 8080)).toEqual(allowed);
    expect(check([noProtocol], prodWeb, api, 8080, { protocol: 'UDP' })).toEqual(deniedBy('ingress', 'default/no-protocol'));
    const allUdp = policy('all-udp', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ protocol: 'UDP' }] }] });
    expect(check([allUdp], prodWeb, api, 7, { protocol: 'UDP' })).toEqual(allowed);
    expect(check([allUdp], prodWeb, api, 7)).toEqual(deniedBy('ingress', 'default/all-udp'));
  });

  it('a namespaceSelector alone admits every pod of the namespaces it picks, and nothing outside the cluster', () => {
    const fromOps = policy('from-ops', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }] }] });
    expect(check([fromOps], prometheus, api, 9090)).toEqual(allowed);
    expect(check([fromOps], grafana, api, 3000)).toEqual(allowed);
    expect(check([fromOps], defaultPrometheus, api, 9090)).toEqual(deniedBy('ingress', 'default/from-ops'));
    expect(check([fromOps], outside, api, 9090)).toEqual(deniedBy('ingress', 'default/from-ops'));
    // A namespace the caller does not know is picked by no selector, even an empty one.
    const fromAnyNamespace = policy('from-any-ns', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] });
    expect(check([fromAnyNamespace], prodPrometheus, api, 1)).toEqual(allowed);
    expect(check([fromAnyNamespace], pod('ghost', {}), api, 1)).toEqual(deniedBy('ingress', 'default/from-any-ns'));
  });

  it('both selectors in one peer are ANDed; as two peers (the extra dash) they are ORed', () => {
    const and = policy('and', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'prometheus' } } }] }] });
    expect(check([and], prometheus, api, 9090)).toEqual(allowed);
    expect(check([and], grafana, api, 9090)).toEqual(deniedBy('ingress', 'default/and'));
    expect(check([and], defaultPrometheus, api, 9090)).toEqual(deniedBy('ingress', 'default/and'));

    const or = policy('or', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }, { podSelector: { matchLabels: { app: 'prometheus' } } }] }] });
    expect(check([or], prometheus, api, 9090)).toEqual(allowed);
    expect(check([or], grafana, api, 9090)).toEqual(allowed);
    expect(check([or], defaultPrometheus, api, 9090)).toEqual(allowed);
    // The podSelector peer still means the policy's namespace only.
    expect(check([or], prodPrometheus, api, 9090)).toEqual(deniedBy('ingress', 'default/or'));
  });

  it('ipBlock with except matches addresses, pod IPs included', () => {
    const fromBlock = policy('from-block', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }] }] });
    expect(check([fromBlock], { ip: '172.17.0.5' }, api, 80)).toEqual(allowed);
    expect(check([fromBlock], { ip: '172.17.255.255' }, api, 80)).toEqual(allowed);
    expect(check([fromBlock], { ip: '172.17.1.9' }, api, 80)).toEqual(deniedBy('ingress', 'default/from-block'));
    expect(check([fromBlock], { ip: '172.18.0.1' }, api, 80)).toEqual(deniedBy('ingress', 'default/from-block'));
    expect(check([fromBlock], pod('prod', {}, '172.17.2.3'), api, 80)).toEqual(allowed);
    expect(check([fromBlock], pod('prod', {}, '172.17.1.3'), api, 80)).toEqual(deniedBy('ingress', 'default/from-block'));

    const internetOnly = policy('internet-only', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }] });
    expect(check([internetOnly], web, outside, 443)).toEqual(allowed);
    expect(check([internetOnly], web, api, 8080)).toEqual(deniedBy('egress', 'default/internet-only'));
  });

  it('an IPv6 block matches no IPv4 address', () => {
    const v6 = policy('v6', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '::/0' } }] }] });
    expect(check([v6], { ip: '2001:db8::1' }, api, 80)).toEqual(allowed);
    expect(check([v6], outside, api, 80)).toEqual(deniedBy('ingress', 'default/v6'));
  });

  it('a named port is looked up in the destination pod, for ingress and for egress', () => {
    const httpIn = policy('http-in', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 'http' }] }] });
    expect(check([httpIn], web, api, 8080, { toNamedPorts: { http: 8080, metrics: 9090 } })).toEqual(allowed);
    expect(check([httpIn], web, api, 9090, { toNamedPorts: { http: 8080, metrics: 9090 } })).toEqual(deniedBy('ingress', 'default/http-in'));
    expect(check([httpIn], web, api, 8080)).toEqual(deniedBy('ingress', 'default/http-in'));

    const httpOut = policy('http-out', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 'http' }] }] });
    expect(check([httpOut], web, prodApi, 80, { toNamedPorts: { http: 80 } })).toEqual(allowed);
    expect(check([httpOut], web, prodApi, 80, { toNamedPorts: { http: 8080 } })).toEqual(deniedBy('egress', 'default/http-out'));
  });

  it('endPort allows the range port..endPort inclusive', () => {
    const range = policy('range', { podSelector: {}, ingress: [{ ports: [{ protocol: 'TCP', port: 32000, endPort: 32768 }] }] });
    for (const p of [32000, 32500, 32768]) expect(check([range], outside, api, p)).toEqual(allowed);
    for (const p of [31999, 32769]) expect(check([range], outside, api, p)).toEqual(deniedBy('ingress', 'default/range'));
    expect(check([range], outside, api, 32000, { protocol: 'UDP' })).toEqual(deniedBy('ingress', 'default/range'));
  });
});

describe('how policies combine', () => {
  const denyIngress = policy('deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });

  it('applies only in its own namespace', () => {
    const prodDeny = policy('deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, 'prod');
    expect(check([prodDeny], web, api, 8080)).toEqual(allowed);
    expect(check([prodDeny], outside, api, 80)).toEqual(allowed);
    expect(check([prodDeny], web, prodApi, 8080)).toEqual(deniedBy('ingress', 'prod/deny-all'));
    const apiInDefault = policy('api', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'] });
    expect(check([apiInDefault], web, prodApi, 8080)).toEqual(allowed);
  });

  it('adds the allows of every policy selecting the pod', () => {
    const fromWeb = policy('from-web', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] });
    const fromOps = policy('from-ops', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }] }] });
    const all = [denyIngress, fromWeb, fromOps];
    expect(check(all, web, api, 8080)).toEqual(allowed);
    expect(check(all, prometheus, api, 9090)).toEqual(allowed);
    expect(check(all, db, api, 8080)).toEqual(deniedBy('ingress', 'default/deny-ingress', 'default/from-ops', 'default/from-web'));
    // The allows are for app=api: other pods stay behind the deny-all.
    expect(check(all, web, db, 5432)).toEqual(deniedBy('ingress', 'default/deny-ingress'));
  });

  it('rules within a policy are ORed', () => {
    const twoRules = policy('two-rules', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }, { from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 443 }] }],
    });
    expect(check([twoRules], web, api, 8080)).toEqual(allowed);
    expect(check([twoRules], outside, api, 443)).toEqual(allowed);
    // Peers and ports pair up inside a rule, not across rules.
    expect(check([twoRules], web, api, 443)).toEqual(deniedBy('ingress', 'default/two-rules'));
    expect(check([twoRules], outside, api, 8080)).toEqual(deniedBy('ingress', 'default/two-rules'));
  });

  it('between pods, needs egress at the source and ingress at the destination', () => {
    const webOut = policy('web-out', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }] }] });
    expect(check([webOut], web, api, 8080)).toEqual(allowed);
    expect(check([webOut, denyIngress], web, api, 8080)).toEqual(deniedBy('ingress', 'default/deny-ingress'));
    const apiIn = policy('api-in', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: {} }] }] });
    expect(check([webOut, denyIngress, apiIn], web, api, 8080)).toEqual(allowed);
    expect(check([webOut, denyIngress, apiIn], web, api, 9090)).toEqual(deniedBy('egress', 'default/web-out'));
  });

  it('reports the egress side when both sides refuse', () => {
    const denyAll = policy('deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(check([denyAll], web, api, 8080)).toEqual(deniedBy('egress', 'default/deny-all'));
  });

  it('policyTypes [Egress] ignores the ingress rules and leaves ingress open', () => {
    const egressOnly = policy('egress-only', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'db' } } }] }],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }] }],
    });
    expect(check([egressOnly], api, web, 80)).toEqual(allowed);
    expect(check([egressOnly], outside, web, 80)).toEqual(allowed);
    expect(check([egressOnly], web, api, 8080)).toEqual(allowed);
    expect(check([egressOnly], web, db, 5432)).toEqual(deniedBy('egress', 'default/egress-only'));
  });

  it('without policyTypes, egress rules make it [Ingress, Egress]: with no ingress rules, ingress is denied', () => {
    const egressRulesOnly = policy('egress-rules', { podSelector: { matchLabels: { app: 'web' } }, egress: [{ to: [{ podSelector: {} }] }] });
    expect(policyTypes(egressRulesOnly)).toEqual(['Ingress', 'Egress']);
    expect(check([egressRulesOnly], web, api, 8080)).toEqual(allowed);
    expect(check([egressRulesOnly], api, web, 80)).toEqual(deniedBy('ingress', 'default/egress-rules'));
    expect(check([egressRulesOnly], web, outside, 443)).toEqual(deniedBy('egress', 'default/egress-rules'));
  });

  it('never blocks a pod from itself, nor traffic between a pod and its own node', () => {
    const denyAll = policy('deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(check([denyAll], web, { ...web }, 80)).toEqual(allowed);
    const onNode = { ...api, nodeIp: '192.168.0.11' };
    expect(check([denyAll], { ip: '192.168.0.11' }, onNode, 8080)).toEqual(allowed);
    expect(check([denyAll], onNode, { ip: '192.168.0.11' }, 10250)).toEqual(allowed);
    expect(check([denyAll], { ip: '192.168.0.12' }, onNode, 8080)).toEqual(deniedBy('ingress', 'default/deny-all'));
  });
});

describe('addresses', () => {
  it('parses IPv4 (leading zeros allowed, as Kubernetes does) and IPv6', () => {
    expect(parseIp('10.0.0.1')).toEqual([10, 0, 0, 1]);
    expect(parseIp('010.000.000.001')).toEqual([10, 0, 0, 1]);
    expect(parseIp('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]);
    expect(parseIp('2001:db8::1')).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    for (const bad of ['10.0.0', '10.0.0.256', '1::2::3', '1:2:3:4:5:6:7:8::', 'fe80::1%eth0', '', 'web']) expect(parseIp(bad)).toBeUndefined();
  });

  it('parses CIDRs as net.ParseCIDR does: prefix within the family, host bits dropped', () => {
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.0')).toBeUndefined();
    expect(parseCidr('10.0.0.0/')).toBeUndefined();
    expect(parseCidr('2001:db8::/129')).toBeUndefined();
    expect(parseCidr('10.1.2.3/16')).toEqual({ network: [10, 1, 0, 0], bits: 16 });
    const net = parseCidr('192.168.4.0/22');
    expect(net).toBeDefined();
    if (net === undefined) return;
    expect(cidrContains(net, [192, 168, 7, 255])).toBe(true);
    expect(cidrContains(net, [192, 168, 8, 0])).toBe(false);
  });
});

// Messages as pkg/apis/networking/validation (ValidateNetworkPolicySpec, ValidateNetworkPolicyPort,
// ValidateNetworkPolicyPeer, ValidateIPBlock) and apimachinery's IsValidCIDR/IsValidPortName word them,
// wrapped as the API server's 422 does.
describe('API validation of NetworkPolicy', () => {
  const type = RESOURCES.find((t) => t.kind === 'NetworkPolicy');
  if (type === undefined) throw new Error('no NetworkPolicy resource');
  const message = (spec: Record<string, unknown>): string | undefined => {
    const errors = validateSemantics(type, policy('bad', spec));
    return errors.length === 0 ? undefined : invalid(type, 'bad', errors).message;
  };
  const fromPeer = (peer: Record<string, unknown>) => ({ podSelector: {}, ingress: [{ from: [peer] }] });
  const onePort = (port: Record<string, unknown>, direction = 'ingress') => ({ podSelector: {}, [direction]: [{ ports: [port] }] });
  const prefix = 'NetworkPolicy.networking.k8s.io "bad" is invalid: ';

  it('accepts the docs example, an IPv6 block, named ports, ranges and SCTP', () => {
    expect(
      message({
        podSelector: { matchLabels: { role: 'db' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }, { namespaceSelector: { matchLabels: { project: 'myproject' } }, podSelector: { matchLabels: { role: 'frontend' } } }],
            ports: [{ protocol: 'TCP', port: 6379 }, { port: 'metrics' }, { protocol: 'SCTP', port: 32000, endPort: 32768 }],
          },
        ],
        egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/64', except: ['2001:db8::/80'] } }], ports: [{ protocol: 'UDP' }] }],
      }),
    ).toBeUndefined();
  });

  it('refuses an invalid CIDR, and excepts outside the block or not narrower than it', () => {
    expect(message(fromPeer({ ipBlock: { cidr: '10.0.0.0/33' } }))).toBe(`${prefix}spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`);
    expect(message(fromPeer({ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24', '10.0.0.0/16', '10.0.5.0/24', '10.0.0.300/32'] } }))).toBe(
      `${prefix}[spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of \`cidr\`, ` +
        `spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "10.0.0.0/16": must be a strict subset of \`cidr\`, ` +
        `spec.ingress[0].from[0].ipBlock.except[3]: Invalid value: "10.0.0.300/32": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)]`,
    );
    expect(message(fromPeer({ ipBlock: { cidr: '' } }))).toBe(`${prefix}spec.ingress[0].from[0].ipBlock.cidr: Required value`);
  });

  it('refuses an ipBlock beside a selector, and a peer naming nothing; both selectors together are fine', () => {
    expect(message(fromPeer({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: { matchLabels: { app: 'web' } } }))).toBe(`${prefix}spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer`);
    expect(message({ podSelector: {}, egress: [{ to: [{}] }] })).toBe(`${prefix}spec.egress[0].to[0]: Required value: must specify a peer`);
    expect(message(fromPeer({ namespaceSelector: {}, podSelector: {} }))).toBeUndefined();
  });

  it('refuses unknown policyTypes, and more than two', () => {
    expect(message({ podSelector: {}, policyTypes: ['ingress'] })).toBe(`${prefix}spec.policyTypes[0]: Unsupported value: "ingress": supported values: "Ingress", "Egress"`);
    expect(message({ podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] })).toBe(
      `${prefix}spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes`,
    );
  });

  it('refuses ports out of range, bad protocols and port names, and misplaced endPorts', () => {
    expect(message(onePort({ port: 70000 }))).toBe(`${prefix}spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive`);
    expect(message(onePort({ protocol: 'ICMP', port: 8 }))).toBe(`${prefix}spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"`);
    expect(message(onePort({ port: 32768, endPort: 30000 }, 'egress'))).toBe(`${prefix}spec.egress[0].ports[0].endPort: Invalid value: 30000: must be greater than or equal to \`port\``);
    expect(message(onePort({ endPort: 32768 }, 'egress'))).toBe(`${prefix}spec.egress[0].ports[0].endPort: Invalid value: 32768: may not be specified when \`port\` is not specified`);
    expect(message(onePort({ port: 'http', endPort: 90 }))).toBe(`${prefix}spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when \`port\` is non-numeric`);
    expect(message(onePort({ port: 'HTTP' }))).toBe(
      `${prefix}[spec.ingress[0].ports[0].port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-), ` +
        `spec.ingress[0].ports[0].port: Invalid value: "HTTP": must contain at least one letter (a-z)]`,
    );
    // A quoted number is a port name, and a name needs a letter.
    expect(message(onePort({ port: '8080' }))).toBe(`${prefix}spec.ingress[0].ports[0].port: Invalid value: "8080": must contain at least one letter (a-z)`);
  });
});

describe('API defaults of NetworkPolicy', () => {
  const defaulted = (spec: Record<string, unknown>): Record<string, unknown> => {
    const np = policy('np', spec);
    applyDefaults(np);
    return np.spec as Record<string, unknown>;
  };

  it('fills policyTypes (Ingress, plus Egress with egress rules) and TCP on ports, keeping what was written', () => {
    expect(defaulted({ podSelector: {} })).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(defaulted({ podSelector: {}, policyTypes: [] })).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(defaulted({ podSelector: {}, egress: [{ ports: [{ port: 53 }, { protocol: 'UDP', port: 53 }] }] })).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      egress: [{ ports: [{ protocol: 'TCP', port: 53 }, { protocol: 'UDP', port: 53 }] }],
    });
    expect(defaulted({ podSelector: {}, policyTypes: ['Egress'], ingress: [{ ports: [{ port: 80 }] }] })).toEqual({ podSelector: {}, policyTypes: ['Egress'], ingress: [{ ports: [{ protocol: 'TCP', port: 80 }] }] });
  });

  it('through the API server: created with defaults, refused with the 422 message', () => {
    const h = clusterHarness();
    const created = h.ok({
      verb: 'create',
      resource: 'networkpolicies',
      namespace: 'default',
      body: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-dns' }, spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } },
    });
    expect(created.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{ ports: [{ protocol: 'TCP', port: 53 }] }] });
    const refused = h.call({
      verb: 'create',
      resource: 'networkpolicies',
      namespace: 'default',
      body: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'bad' }, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] } },
    });
    expect(refused).toEqual({
      error: 'NetworkPolicy.networking.k8s.io "bad" is invalid: spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      code: 422,
    });
  });
});
