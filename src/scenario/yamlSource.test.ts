import { describe, expect, it } from 'vitest';
import { parseYaml } from './yamlSource';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: web
          image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: web
`;

describe('parseYaml', () => {
  it('splits documents on --- and keeps their values', () => {
    const { documents, errors } = parseYaml(deployment);
    expect(errors).toEqual([]);
    expect(documents.map((d) => (d.value as { kind: string }).kind)).toEqual(['Deployment', 'Service']);
  });

  it('says where a field is written: the key of an object field, the item of a list', () => {
    const [dep, svc] = parseYaml(deployment).documents;
    expect(dep?.positionOf(['spec', 'replicas'])).toEqual({ line: 6, column: 3 });
    expect(dep?.positionOf(['spec', 'template', 'spec', 'containers', 0, 'image'])).toEqual({ line: 11, column: 11 });
    expect(dep?.positionOf(['spec', 'template', 'spec', 'containers', 0])).toEqual({ line: 10, column: 11 });
    // A missing field points at the nearest thing that exists.
    expect(dep?.positionOf(['spec', 'selector'])).toEqual({ line: 6, column: 3 });
    expect(svc?.positionOf(['metadata', 'name'])).toEqual({ line: 16, column: 3 });
  });

  it('reports syntax errors with line and column, and no documents', () => {
    const bad = 'metadata:\n  name: web\n   labels: x\n';
    const { documents, errors } = parseYaml(bad);
    expect(documents).toEqual([]);
    expect(errors[0]?.line).toBe(3);
  });

  it('explains tabs used for indentation', () => {
    const { errors } = parseYaml('spec:\n\treplicas: 3\n');
    expect(errors[0]).toMatchObject({ line: 2, message: expect.stringContaining('tabs are not allowed') });
  });

  it('refuses a key given twice', () => {
    const { errors } = parseYaml('a: 1\nb: 2\na: 3\n');
    expect(errors[0]).toMatchObject({ line: 3, message: 'a key appears twice in the same map' });
  });
});
