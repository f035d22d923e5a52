import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../engine/apiserver/apiObjects';
import { setImage, splitImageArgs } from './setImage';

type Obj = Record<string, unknown>;

const podSpec = (): Obj => ({
  initContainers: [{ name: 'init', image: 'busybox:1.36' }],
  containers: [
    { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] },
    { name: 'sidecar', image: 'envoy:1.30' },
  ],
});

const workload = (kind: string, apiVersion = 'apps/v1', name = 'web'): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace: 'default' },
  spec: { replicas: 2, template: { metadata: { labels: { app: name } }, spec: podSpec() } },
});

const imagesOf = (spec: unknown): Record<string, unknown> => {
  const s = spec as { initContainers?: Obj[]; containers: Obj[] };
  return Object.fromEntries([...(s.initContainers ?? []), ...s.containers].map((c) => [c.name, c.image]));
};
const templateSpec = (obj: KubeObject | undefined): unknown => ((obj?.spec as Obj).template as Obj).spec;

describe('splitImageArgs', () => {
  it('takes resources first, then container=image pairs', () => {
    expect(splitImageArgs(['deployment/web', 'nginx=nginx:1.28', 'sidecar=envoy:1.31'])).toEqual({ resources: ['deployment/web'], assignments: ['nginx=nginx:1.28', 'sidecar=envoy:1.31'] });
    expect(splitImageArgs(['deployment', 'web', 'nginx=nginx:1.28', 'api'])).toEqual({ error: 'error: all resources must be specified before image changes: api' });
  });
});

describe('setImage', () => {
  it('updates the named container of a Deployment template', () => {
    const r = setImage(workload('Deployment'), ['nginx=nginx:1.28']);
    expect(r.message).toBe('deployment.apps/web image updated');
    expect(r.error).toBeUndefined();
    expect(imagesOf(templateSpec(r.object))).toEqual({ init: 'busybox:1.36', nginx: 'nginx:1.28', sidecar: 'envoy:1.30' });
    // Everything else is left as it was.
    expect(((templateSpec(r.object) as Obj).containers as Obj[])[0]).toEqual({ name: 'nginx', image: 'nginx:1.28', ports: [{ containerPort: 80 }] });
  });

  it('reaches init containers, and every container with *', () => {
    expect(imagesOf(templateSpec(setImage(workload('Deployment'), ['init=busybox:1.37']).object))).toEqual({ init: 'busybox:1.37', nginx: 'nginx:1.27', sidecar: 'envoy:1.30' });
    expect(imagesOf(templateSpec(setImage(workload('Deployment'), ['*=alpine:3.20']).object))).toEqual({ init: 'alpine:3.20', nginx: 'alpine:3.20', sidecar: 'alpine:3.20' });
  });

  it('names the object as kubectl does for each kind', () => {
    expect(setImage(workload('StatefulSet', 'apps/v1', 'db'), ['nginx=x:1']).message).toBe('statefulset.apps/db image updated');
    expect(setImage(workload('DaemonSet', 'apps/v1', 'agent'), ['nginx=x:1']).message).toBe('daemonset.apps/agent image updated');
    expect(setImage(workload('ReplicaSet', 'apps/v1', 'web-5d8f'), ['nginx=x:1']).message).toBe('replicaset.apps/web-5d8f image updated');
    expect(setImage(workload('Job', 'batch/v1', 'pi'), ['nginx=x:1']).message).toBe('job.batch/pi image updated');
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: podSpec() };
    const r = setImage(pod, ['sidecar=envoy:1.31']);
    expect(r.message).toBe('pod/web image updated');
    expect(imagesOf(r.object?.spec)).toEqual({ init: 'busybox:1.36', nginx: 'nginx:1.27', sidecar: 'envoy:1.31' });
    const cron: KubeObject = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' }, spec: { jobTemplate: { spec: { template: { spec: podSpec() } } } } };
    const c = setImage(cron, ['nginx=nginx:1.28']);
    expect(c.message).toBe('cronjob.batch/nightly image updated');
    expect(imagesOf((((c.object?.spec as Obj).jobTemplate as Obj).spec as Obj & { template: Obj }).template.spec)).toMatchObject({ nginx: 'nginx:1.28' });
  });

  it('reports containers it cannot find, still applying the others', () => {
    expect(setImage(workload('Deployment'), ['foo=bar:1'])).toEqual({ error: 'error: unable to find container named "foo"' });
    expect(setImage(workload('Deployment'), ['foo=a:1', 'bar=b:1'])).toEqual({ error: 'error: unable to find container named "foo"\nerror: unable to find container named "bar"' });
    const mixed = setImage(workload('Deployment'), ['nginx=nginx:1.28', 'foo=bar:1']);
    expect(mixed.message).toBe('deployment.apps/web image updated');
    expect(mixed.error).toBe('error: unable to find container named "foo"');
  });

  it('prints nothing when the image is already set', () => {
    expect(setImage(workload('Deployment'), ['nginx=nginx:1.27'])).toEqual({});
  });

  it('rejects objects without a pod template', () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: {} };
    expect(setImage(svc, ['nginx=x:1'])).toEqual({ error: 'error: services/web the object is not a pod or does not have a pod template: *v1.Service' });
  });

  it('rejects malformed assignments', () => {
    expect(setImage(workload('Deployment'), ['=nginx:1.28'])).toEqual({ error: 'error: invalid image format: =nginx:1.28' });
    expect(setImage(workload('Deployment'), ['nginx-', '=x'])).toEqual({ error: 'error: invalid image format: nginx-, =x' });
    expect(setImage(workload('Deployment'), [])).toEqual({ error: 'error: at least one image update is required' });
    expect(setImage(workload('Deployment'), ['*=a:1', 'nginx=b:1'])).toEqual({
      error: 'error: all containers are already specified by *, but saw more than one container_name=container_image pairs',
    });
  });
});
