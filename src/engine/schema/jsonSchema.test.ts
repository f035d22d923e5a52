import { describe, expect, it } from 'vitest';
import { closest, formatPath, type JsonSchema, validateSchema } from './jsonSchema';

const container: JsonSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    image: { type: 'string' },
    ports: { type: 'array', items: { $ref: '#/definitions/port' } },
    imagePullPolicy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] },
  },
};
const pod: JsonSchema = {
  type: 'object',
  properties: { spec: { type: 'object', properties: { replicas: { type: 'integer', minimum: 0 }, containers: { type: 'array', items: container } } } },
  definitions: {
    port: { type: 'object', properties: { containerPort: { type: 'integer', minimum: 1, maximum: 65535 }, targetPort: { 'x-kubernetes-int-or-string': true } } },
  },
};

const errorsOf = (value: unknown) => validateSchema(pod, value).map((e) => `${formatPath(e.path)}: ${e.message}`);

describe('validateSchema', () => {
  it('accepts a valid value', () => {
    expect(errorsOf({ spec: { replicas: 3, containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80, targetPort: 'http' }] }] } })).toEqual([]);
  });

  it('reports wrong types with the path of the field', () => {
    expect(errorsOf({ spec: { replicas: 'three' } })).toEqual(['spec.replicas: must be an integer, got string "three"']);
    expect(errorsOf({ spec: { replicas: 1.5 } })).toEqual(['spec.replicas: must be an integer, got number 1.5']);
    expect(errorsOf({ spec: { containers: { name: 'web' } } })).toEqual(['spec.containers: must be an array, got object {"name":"web"}']);
  });

  it('reports missing required fields, unknown fields with a suggestion, enums and ranges', () => {
    expect(errorsOf({ spec: { containers: [{ image: 'nginx', imagePolicy: 'Always' }] } })).toEqual([
      'spec.containers[0].name: Required value',
      'spec.containers[0].imagePolicy: unknown field "imagePolicy"',
    ]);
    expect(errorsOf({ spec: { containers: [{ name: 'a', imagePullPolicy: 'always', imag: 'x' }] } })).toEqual([
      'spec.containers[0].imagePullPolicy: must be one of "Always", "IfNotPresent", "Never", got "always"',
      'spec.containers[0].imag: unknown field "imag" (did you mean "image"?)',
    ]);
    expect(errorsOf({ spec: { containers: [{ name: 'a', ports: [{ containerPort: 70000 }] }] } })).toEqual([
      'spec.containers[0].ports[0].containerPort: must be ≤ 65535, got 70000',
    ]);
  });

  it('accepts an integer or a string where Kubernetes does (int-or-string), and nothing else', () => {
    expect(errorsOf({ spec: { containers: [{ name: 'a', ports: [{ targetPort: 8080 }] }] } })).toEqual([]);
    expect(errorsOf({ spec: { containers: [{ name: 'a', ports: [{ targetPort: true }] }] } })).toEqual([
      'spec.containers[0].ports[0].targetPort: must be an integer or a string, got boolean',
    ]);
  });

  it('reports the closest alternative of a oneOf', () => {
    const s: JsonSchema = { oneOf: [{ type: 'object', required: ['kill'], properties: { kill: { type: 'string' } }, additionalProperties: false }, { type: 'string' }] };
    expect(validateSchema(s, { kill: 3 }).map((e) => `${formatPath(e.path)}: ${e.message}`)).toEqual(['kill: must be a string, got number 3']);
  });

  it('suggests near names only', () => {
    expect(closest('replica', ['replicas', 'selector'])).toBe('replicas');
    expect(closest('Replicas', ['replicas'])).toBe('replicas');
    expect(closest('zzz', ['replicas'])).toBeUndefined();
  });
});
