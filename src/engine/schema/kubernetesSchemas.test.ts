import { describe, expect, it } from 'vitest';
import { formatPath } from './jsonSchema';
import { knownKinds, SCHEMA_SOURCE, validateAgainstKind } from './kubernetesSchemas';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80 }],
            resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: 1 } },
            readinessProbe: { httpGet: { path: '/', port: 'http' } },
          },
        ],
      },
    },
  },
};

const errorsOf = (obj: Record<string, unknown>): string[] =>
  (validateAgainstKind(obj.apiVersion as string, obj.kind as string, obj) ?? ['no schema']).map((e) =>
    typeof e === 'string' ? e : `${formatPath(e.path)}: ${e.message}`,
  );

/** The deployment with one change at a path. */
function edit(path: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(deployment) as Record<string, unknown>;
  let node = copy as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

describe('Kubernetes schemas generated from the official types', () => {
  it('cover the kinds Kubeplay serves, from kubernetes-types', () => {
    expect(SCHEMA_SOURCE).toMatch(/^kubernetes-types@\d+\.\d+\.\d+ /);
    for (const k of ['v1/Pod', 'v1/Service', 'apps/v1/Deployment', 'apps/v1/StatefulSet', 'batch/v1/Job', 'networking.k8s.io/v1/NetworkPolicy', 'autoscaling/v2/HorizontalPodAutoscaler', 'discovery.k8s.io/v1/EndpointSlice', 'coordination.k8s.io/v1/Lease']) {
      expect(knownKinds()).toContain(k);
    }
  });

  it('accept a valid Deployment, with quantities as strings or numbers and int-or-string ports', () => {
    expect(errorsOf(deployment)).toEqual([]);
  });

  it.each([
    ['replicas as a string', ['spec', 'replicas'], '3', 'spec.replicas: must be an integer, got string "3"'],
    ['a fractional replica count', ['spec', 'replicas'], 2.5, 'spec.replicas: must be an integer, got number 2.5'],
    ['a container without a name', ['spec', 'template', 'spec', 'containers', 0, 'name'], undefined, 'spec.template.spec.containers[0].name: Required value'],
    ['a port as a string', ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort'], '80', 'spec.template.spec.containers[0].ports[0].containerPort: must be an integer, got string "80"'],
    ['containers one level too high', ['spec', 'containers'], [], 'spec.containers: unknown field "containers"'],
    ['a misspelt field', ['spec', 'replica'], 3, 'spec.replica: unknown field "replica" (did you mean "replicas"?)'],
    ['a label value that is a number', ['metadata', 'labels', 'tier'], 1, 'metadata.labels.tier: must be a string, got number 1'],
    ['containers as a map instead of a list', ['spec', 'template', 'spec', 'containers'], { name: 'web' }, 'spec.template.spec.containers: must be an array, got object {"name":"web"}'],
  ])('point at %s', (_what, path, value, expected) => {
    expect(errorsOf(edit(path, value))).toContain(expected);
  });
});
