import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { isScalarResourceName, nodeAllocatable, podRequests } from './resources';

type Requests = Record<string, string>;
const c = (requests?: Requests, restartPolicy?: string) => ({
  name: 'c',
  image: 'nginx',
  ...(restartPolicy === undefined ? {} : { restartPolicy }),
  resources: requests === undefined ? {} : { requests },
});
const pod = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec });

describe('podRequests', () => {
  it('adds up the app containers', () => {
    const r = podRequests(pod({ containers: [c({ cpu: '250m', memory: '64Mi' }), c({ cpu: '0.5', memory: '1Gi' })] }));
    expect(r.milliCpu).toBe(750);
    expect(r.memory).toBe(64 * 2 ** 20 + 2 ** 30);
  });

  it('takes the largest init container when it exceeds the app containers', () => {
    const r = podRequests(pod({ initContainers: [c({ cpu: '2' }), c({ cpu: '500m' })], containers: [c({ cpu: '1' })] }));
    expect(r.milliCpu).toBe(2000);
  });

  it('counts sidecars with the app containers and beside every later init container', () => {
    // KEP-753: an init container runs next to the restartable init containers started before it.
    const r = podRequests(
      pod({ initContainers: [c({ cpu: '100m' }, 'Always'), c({ cpu: '200m' })], containers: [c({ cpu: '100m' })] }),
    );
    expect(r.milliCpu).toBe(300); // max(100 app + 100 sidecar, 200 init + 100 sidecar)
    const later = podRequests(pod({ initContainers: [c({ cpu: '200m' }), c({ cpu: '100m' }, 'Always')], containers: [c({ cpu: '100m' })] }));
    expect(later.milliCpu).toBe(200); // the plain init container ran before the sidecar started
  });

  it('adds the pod overhead', () => {
    expect(podRequests(pod({ containers: [c({ cpu: '100m' })], overhead: { cpu: '250m' } })).milliCpu).toBe(350);
  });

  it('gives containers without a cpu or memory request the scorer defaults, but keeps an explicit zero', () => {
    const r = podRequests(pod({ containers: [c(), c({ cpu: '0' })] }), true);
    expect(r.milliCpu).toBe(100);
    expect(r.memory).toBe(2 * 200 * 2 ** 20);
    expect(podRequests(pod({ containers: [c()] })).milliCpu).toBe(0);
  });

  it('reads extended resources and ephemeral storage', () => {
    const r = podRequests(pod({ containers: [c({ 'nvidia.com/gpu': '2', 'ephemeral-storage': '1Gi' })] }));
    expect(r.scalar).toEqual({ 'nvidia.com/gpu': 2 });
    expect(r.ephemeralStorage).toBe(2 ** 30);
  });
});

describe('resource names and allocatable', () => {
  it('treats domain-prefixed names and hugepages as scalar resources', () => {
    expect(isScalarResourceName('nvidia.com/gpu')).toBe(true);
    expect(isScalarResourceName('hugepages-2Mi')).toBe(true);
    expect(isScalarResourceName('cpu')).toBe(false);
    expect(isScalarResourceName('pods')).toBe(false);
  });

  it('reads status.allocatable', () => {
    const node: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n' },
      status: { allocatable: { cpu: '3800m', memory: '7Gi', pods: '110', 'ephemeral-storage': '20Gi' } },
    };
    expect(nodeAllocatable(node)).toEqual({ milliCpu: 3800, memory: 7 * 2 ** 30, ephemeralStorage: 20 * 2 ** 30, scalar: {}, pods: 110 });
  });
});
