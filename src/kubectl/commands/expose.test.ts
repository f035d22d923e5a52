import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { resolveResource, type ResourceType } from '../../engine/apiserver/resources';
import { exposedService, type ExposeOptions } from './expose';

const type = (name: string): ResourceType => {
  const t = resolveResource(name);
  if ('error' in t) throw new Error(t.error);
  return t;
};

const deployment = (selector: unknown, ports: unknown[] = [{ containerPort: 80 }], name = 'web'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: 'web', team: 'shop' } },
  spec: { selector, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports }] } } },
});

const service = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { app: 'web' } }, spec });

const build = (t: string, o: KubeObject, opts: ExposeOptions = {}): { object: KubeObject } | { error: string } => exposedService(type(t), o, opts);
const spec = (r: { object: KubeObject } | { error: string }): Record<string, unknown> => {
  if ('error' in r) throw new Error(r.error);
  return r.object.spec as Record<string, unknown>;
};

describe('exposedService', () => {
  it('builds a Service from a Deployment: matchLabels as selector, its labels, the container port as port and target', () => {
    const r = build('deployment', deployment({ matchLabels: { app: 'web' } }));
    expect(r).toEqual({
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { creationTimestamp: null, name: 'web', labels: { app: 'web', team: 'shop' } },
        spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], selector: { app: 'web' } },
        status: { loadBalancer: {} },
      },
    });
  });

  it('refuses a Deployment whose selector has no matchLabels, or has expressions besides', () => {
    expect(build('deployment', deployment({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }))).toEqual({
      error: "couldn't retrieve selectors via --selector flag or introspection: invalid deployment: no selectors, therefore cannot be exposed",
    });
    expect(build('rs', { ...deployment({}), kind: 'ReplicaSet' })).toEqual({ error: "couldn't retrieve selectors via --selector flag or introspection: invalid replicaset: no selectors, therefore cannot be exposed" });
    expect(build('deployment', deployment({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }))).toEqual({
      error: `couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions - "[{Key:tier Operator:Exists Values:[]}]" to map-based selector format`,
    });
  });

  it('exposes a Service on its ports, targeting the same port (not its old target), unnamed when one', () => {
    const s = spec(build('svc', service({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] }), { name: 'web-2' }));
    expect(s).toEqual({ ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], selector: { app: 'web' } });
    expect(build('svc', service({ ports: [{ port: 80 }] }))).toEqual({ error: "couldn't retrieve selectors via --selector flag or introspection: the service has no pod selector set" });
  });

  it('needs a port unless the Service is headless', () => {
    expect(build('deployment', deployment({ matchLabels: { app: 'web' } }, []))).toEqual({ error: "couldn't find port via --port flag or introspection" });
    expect(spec(build('deployment', deployment({ matchLabels: { app: 'web' } }, []), { clusterIP: 'None' }))).toEqual({ selector: { app: 'web' }, clusterIP: 'None' });
  });

  it('names ports only when there are several, and reads --target-port as a number or a name', () => {
    const two = spec(build('deployment', deployment({ matchLabels: { app: 'web' } }), { port: '80,443', targetPort: 'http' }));
    expect(two.ports).toEqual([
      { name: 'port-1', port: 80, protocol: 'TCP', targetPort: 'http' },
      { name: 'port-2', port: 443, protocol: 'TCP', targetPort: 'http' },
    ]);
    expect((spec(build('deployment', deployment({ matchLabels: { app: 'web' } }), { port: '80', targetPort: '8080', protocol: 'UDP' })).ports as unknown[])[0]).toEqual({ port: 80, protocol: 'UDP', targetPort: 8080 });
  });

  it('takes --selector, --labels, --type and the rest from the flags, checking their syntax as kubectl does', () => {
    const s = build('deployment', deployment({ matchLabels: { app: 'web' } }), { selector: 'app=web,tier=front', labels: 'owner=me', type: 'LoadBalancer', loadBalancerIP: '192.0.2.5', sessionAffinity: 'ClientIP', externalIP: '192.0.2.9' });
    if ('error' in s) throw new Error(s.error);
    expect(s.object.metadata.labels).toEqual({ owner: 'me' });
    expect(s.object.spec).toEqual({
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      selector: { app: 'web', tier: 'front' },
      type: 'LoadBalancer',
      loadBalancerIP: '192.0.2.5',
      sessionAffinity: 'ClientIP',
      externalIPs: ['192.0.2.9'],
    });
    const dep = deployment({ matchLabels: { app: 'web' } });
    expect(build('deployment', dep, { selector: 'app==web' })).toEqual({ error: 'unexpected label spec: app==web' });
    expect(build('deployment', dep, { labels: '=x' })).toEqual({ error: 'unexpected empty label key' });
    expect(build('deployment', dep, { port: 'http' })).toEqual({ error: 'strconv.Atoi: parsing "http": invalid syntax' });
    expect(build('deployment', dep, { sessionAffinity: 'Sticky' })).toEqual({ error: 'unknown session affinity: Sticky' });
  });

  it('refuses kinds kubectl cannot expose, naming the group', () => {
    expect(build('statefulset', { ...deployment({ matchLabels: { app: 'web' } }), kind: 'StatefulSet' })).toEqual({ error: 'cannot expose a StatefulSet.apps' });
  });

  it('cuts a long name to 63 characters', () => {
    const long = 'a'.repeat(70);
    const r = build('deployment', deployment({ matchLabels: { app: 'web' } }, [{ containerPort: 80 }], long));
    expect('error' in r ? '' : r.object.metadata.name).toBe('a'.repeat(63));
  });
});
