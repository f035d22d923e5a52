import { describe, expect, it } from 'vitest';
import { knownKinds } from '../schema/kubernetesSchemas';
import { apiVersionOf, etcdKey, qualifiedName, RESOURCES, resolveResource, resourceForKind, type ResourceType } from './resources';

const name = (x: ResourceType | { error: string }): string => ('error' in x ? x.error : qualifiedName(x));

describe('resource types', () => {
  it('has a generated schema for every kind it serves, and serves every kind with a schema', () => {
    expect(RESOURCES.map((t) => `${apiVersionOf(t)}/${t.kind}`).sort()).toEqual([...knownKinds()].sort());
  });

  it.each([
    ['po', 'pods'],
    ['pods', 'pods'],
    ['Pod', 'pods'],
    ['deploy', 'deployments.apps'],
    ['deployment.apps', 'deployments.apps'],
    ['deployments.v1.apps', 'deployments.apps'],
    ['svc', 'services'],
    ['no', 'nodes'],
    ['netpol', 'networkpolicies.networking.k8s.io'],
    ['hpa', 'horizontalpodautoscalers.autoscaling'],
    ['leases', 'leases.coordination.k8s.io'],
  ])('resolves %s to %s, as kubectl does', (arg, expected) => {
    expect(name(resolveResource(arg))).toBe(expected);
  });

  it('refuses unknown names and kinds with the words kubectl and the API server use', () => {
    expect(name(resolveResource('deploymnets'))).toBe('the server doesn\'t have a resource type "deploymnets"');
    expect(name(resolveResource('deployments.batch'))).toBe('the server doesn\'t have a resource type "deployments.batch"');
    expect(name(resourceForKind('apps/v1', 'Deploymnet'))).toBe('no matches for kind "Deploymnet" in version "apps/v1"');
    expect(name(resourceForKind('v1', 'Deployment'))).toBe('no matches for kind "Deployment" in version "v1"');
  });

  it('stores objects under the keys kube-apiserver uses', () => {
    const t = (arg: string) => resolveResource(arg) as ResourceType;
    expect(etcdKey(t('pods'), 'default', 'web-1')).toBe('/registry/pods/default/web-1');
    expect(etcdKey(t('nodes'), undefined, 'worker-1')).toBe('/registry/minions/worker-1');
    expect(etcdKey(t('svc'), 'shop', 'web')).toBe('/registry/services/specs/shop/web');
    expect(etcdKey(t('deploy'), 'default', 'web')).toBe('/registry/deployments/default/web');
  });
});
