import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { RESOURCES } from '../../engine/apiserver/resources';
import { printTable } from '../printers';
import { describeObject } from './index';

// Expected texts laid out by hand from kubectl v1.32's describe.go (describeNetworkPolicy,
// describeNetworkPolicySpec, printNetworkPolicySpecIngressFrom/EgressTo: fixed 4-space rule
// indent under the PrefixWriter's 2 spaces per level, "%s" of a *IntOrString port, TCP when
// protocol is nil, Except joined with ", ") and printers.go's printNetworkPolicy
// (NAME, POD-SELECTOR as metav1.FormatLabelSelector, AGE).

const MIN = 60_000;
/** Virtual time 2025-01-01T00:10:00Z. */
const NOW = 10 * MIN;
const lines = (...l: string[]): string => `${l.join('\n')}\n`;

const policy = (name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'default', uid: `${name}-uid`, creationTimestamp: '2025-01-01T00:03:00Z', ...metadata },
  spec,
});
const header = (name: string): string[] => [`Name:         ${name}`, 'Namespace:    default', 'Created on:   2025-01-01 00:03:00 +0000 UTC', 'Labels:       <none>', 'Annotations:  <none>', 'Spec:'];
const describePolicy = (np: KubeObject): string => describeObject(np, { now: NOW, events: [] });
const ALL_PODS = '  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)';

describe('kubectl describe networkpolicy', () => {
  it('default-deny-ingress: every pod isolated for ingress, egress untouched', () => {
    expect(describePolicy(policy('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }))).toBe(
      lines(
        ...header('default-deny-ingress'),
        ALL_PODS,
        '  Allowing ingress traffic:',
        '    <none> (Selected pods are isolated for ingress connectivity)',
        '  Not affecting egress traffic',
        '  Policy Types: Ingress',
      ),
    );
  });

  it('deny-all-egress: ingress untouched, every pod isolated for egress', () => {
    expect(describePolicy(policy('default-deny-egress', { podSelector: {}, policyTypes: ['Egress'] }))).toBe(
      lines(
        ...header('default-deny-egress'),
        ALL_PODS,
        '  Not affecting ingress traffic',
        '  Allowing egress traffic:',
        '    <none> (Selected pods are isolated for egress connectivity)',
        '  Policy Types: Egress',
      ),
    );
  });

  it('a destination with both selectors: namespace first, then pods, under one To:', () => {
    const np = policy('allow-dns', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    });
    expect(describePolicy(np)).toBe(
      lines(
        ...header('allow-dns'),
        '  PodSelector:     app=web',
        '  Not affecting ingress traffic',
        '  Allowing egress traffic:',
        '    To Port: 53/UDP',
        '    To Port: 53/TCP',
        '    To:',
        '      NamespaceSelector: kubernetes.io/metadata.name=kube-system',
        '      PodSelector: k8s-app=kube-dns',
        '  Policy Types: Egress',
      ),
    );
  });

  it('an ipBlock with several excepts, then a second rule after the dashed line; an empty pod selector prints <none>', () => {
    const np = policy(
      'office-and-pods',
      {
        podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.0.0/16'] } }] }, { from: [{ podSelector: {} }], ports: [{ port: 'http' }] }],
      },
      { labels: { team: 'net', app: 'site' } },
    );
    expect(describePolicy(np)).toBe(
      lines(
        'Name:         office-and-pods',
        'Namespace:    default',
        'Created on:   2025-01-01 00:03:00 +0000 UTC',
        'Labels:       app=site',
        '              team=net',
        'Annotations:  <none>',
        'Spec:',
        '  PodSelector:     tier in (back,front)',
        '  Allowing ingress traffic:',
        '    To Port: <any> (traffic allowed to all ports)',
        '    From:',
        '      IPBlock:',
        '        CIDR: 10.0.0.0/8',
        '        Except: 10.1.0.0/16, 10.2.0.0/16',
        '    ----------',
        '    To Port: http/TCP',
        '    From:',
        '      PodSelector: <none>',
        '  Not affecting egress traffic',
        '  Policy Types: Ingress',
      ),
    );
  });

  it('port ranges with endPort both ways; an ipBlock without except still prints the Except line', () => {
    const np = policy('node-ports', {
      podSelector: { matchLabels: { app: 'gw' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ port: 8000, endPort: 9000 }] }],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'UDP', port: 30000, endPort: 32767 }] }],
    });
    expect(describePolicy(np)).toBe(
      lines(
        ...header('node-ports'),
        '  PodSelector:     app=gw',
        '  Allowing ingress traffic:',
        '    To Port Range: 8000-9000/TCP',
        '    From: <any> (traffic not restricted by source)',
        '  Allowing egress traffic:',
        '    To Port Range: 30000-32767/UDP',
        '    To:',
        '      IPBlock:',
        '        CIDR: 0.0.0.0/0',
        '        Except: ',
        '  Policy Types: Ingress, Egress',
      ),
    );
  });

  it('without policyTypes (an object never defaulted) affects neither direction', () => {
    expect(describePolicy(policy('old', { podSelector: {}, ingress: [{}] }))).toBe(
      lines(...header('old'), ALL_PODS, '  Not affecting ingress traffic', '  Not affecting egress traffic', '  Policy Types: <none>'),
    );
  });
});

describe('kubectl get networkpolicy', () => {
  it('prints NAME, POD-SELECTOR (<none> for an empty one) and AGE', () => {
    const type = RESOURCES.find((t) => t.kind === 'NetworkPolicy');
    if (type === undefined) throw new Error('no NetworkPolicy resource');
    const objects = [
      policy('allow-web', { podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] } }),
      policy('default-deny', { podSelector: {} }),
    ];
    expect(printTable(type, objects, { wide: false, withNamespace: false, withKind: false, showLabels: false, noHeaders: false, now: NOW })).toBe(
      lines('NAME           POD-SELECTOR              AGE', 'allow-web      app=web,env notin (dev)   7m', 'default-deny   <none>                    7m'),
    );
  });
});
