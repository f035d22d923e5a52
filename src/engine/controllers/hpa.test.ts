import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { clusterHarness } from '../testing/clusterHarness';

type Harness = ReturnType<typeof clusterHarness>;

/** The cluster runs metrics-server beside every API server and the HPA controller in its controller manager. */
function withAutoscaling(h: Harness): void {
  if (h.cluster.metricsServers.size === 0) throw new Error('the cluster runs no metrics-server');
}

function deployment(name: string, replicas: number, container: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', ...container }] } } },
  };
}

function hpa(name: string, min: number, max: number): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: min,
      maxReplicas: max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    },
  };
}

const replicas = (h: Harness, name: string): number => ((h.get('deployments', name)?.spec as { replicas: number }).replicas);
const condition = (h: Harness, name: string, type: string) => ((h.get('horizontalpodautoscalers', name)?.status as { conditions?: { type: string; status: string; reason: string; message: string }[] }).conditions ?? []).find((c) => c.type === type);

describe('HorizontalPodAutoscaler controller', () => {
  it('scales busy pods up to the maximum within two minutes, four pods at a time', () => {
    const h = clusterHarness();
    withAutoscaling(h);
    h.ok({ verb: 'create', body: deployment('burn', 1, { image: 'busybox', command: ['sh', '-c', 'while true; do :; done'], resources: { requests: { cpu: '200m' } } }) });
    h.ok({ verb: 'create', body: hpa('burn', 1, 6) });
    let first = -1;
    for (let t = 0; t < 120_000 && replicas(h, 'burn') < 6; t += 5_000) {
      h.run(5_000);
      if (first < 0 && replicas(h, 'burn') > 1) first = replicas(h, 'burn');
    }
    // 500% of request asks for 5 pods; the first step is capped at 1 + 4 pods (more than 100%).
    expect(first).toBe(5);
    expect(replicas(h, 'burn')).toBe(6);
    const events = h.events('burn').filter((e) => e.startsWith('SuccessfulRescale'));
    expect(events).toEqual(['SuccessfulRescale: New size: 5; reason: cpu resource utilization (percentage of request) above target', 'SuccessfulRescale: New size: 6; reason: cpu resource utilization (percentage of request) above target']);
    h.run(30_000);
    expect(condition(h, 'burn', 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' });
    expect(condition(h, 'burn', 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' });
    const status = h.get('horizontalpodautoscalers', 'burn')?.status as { currentReplicas: number; currentMetrics: { resource: { current: { averageUtilization: number } } }[]; lastScaleTime?: string };
    expect(status.currentReplicas).toBe(6);
    expect(status.currentMetrics[0]?.resource.current.averageUtilization).toBeGreaterThan(400);
    expect(status.lastScaleTime).toBeDefined();
  });

  it('scales idle pods down to the minimum only after the 5-minute stabilization window', () => {
    const h = clusterHarness();
    withAutoscaling(h);
    h.ok({ verb: 'create', body: deployment('idle', 4, { image: 'nginx', resources: { requests: { cpu: '200m' } } }) });
    h.run(30_000);
    h.ok({ verb: 'create', body: hpa('idle', 1, 5) });
    const created = h.cluster.world.now;
    h.run(280_000);
    expect(replicas(h, 'idle')).toBe(4);
    expect(condition(h, 'idle', 'AbleToScale')).toMatchObject({ reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' });
    while (replicas(h, 'idle') === 4 && h.cluster.world.now < created + 400_000) h.run(5_000);
    expect(h.cluster.world.now - created).toBeGreaterThanOrEqual(300_000);
    expect(replicas(h, 'idle')).toBe(1);
    expect(h.events('idle').filter((e) => e.startsWith('SuccessfulRescale'))).toEqual(['SuccessfulRescale: New size: 1; reason: All metrics below target']);
    h.run(30_000);
    expect(condition(h, 'idle', 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' });
  });

  it('reports FailedGetResourceMetric for pods without cpu requests', () => {
    const h = clusterHarness();
    withAutoscaling(h);
    h.ok({ verb: 'create', body: deployment('bare', 2, { image: 'nginx' }) });
    h.ok({ verb: 'create', body: hpa('bare', 1, 5) });
    h.run(90_000);
    const c = condition(h, 'bare', 'ScalingActive');
    expect(c).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric' });
    expect(c?.message).toMatch(/^the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container main of Pod bare-[a-z0-9]+-[a-z0-9]{5}$/);
    expect(h.events('bare').some((e) => /^FailedGetResourceMetric: failed to get cpu utilization: missing request for cpu in container main of Pod bare-/.test(e))).toBe(true);
    expect(replicas(h, 'bare')).toBe(2);
  });
});
