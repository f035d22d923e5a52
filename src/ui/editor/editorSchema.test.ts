import { describe, expect, it } from 'vitest';
import { validateSchema, type JsonSchema } from '../../engine/schema/jsonSchema';
import generated from '../../generated/kubernetes-schemas.full.json';
import { buildEditorSchema, resolveRef, splitKindKey, type GeneratedSchemas, type Schema } from './editorSchema';

const source = generated as unknown as GeneratedSchemas;
const schema = buildEditorSchema(source);
const rules = schema.allOf as { if: { properties: Record<string, { const: string }>; required: string[] }; then: Schema }[];

/** What yaml-language-server does with the allOf: the `then` of every `if` the document meets. */
function branchesFor(doc: Record<string, unknown>): Schema[] {
  return rules.filter((r) => r.if.required.every((k) => k in doc) && Object.entries(r.if.properties).every(([k, v]) => doc[k] === v.const)).map((r) => r.then);
}

function validate(doc: Record<string, unknown>): string[] {
  return branchesFor(doc).flatMap((b) => validateSchema(b as JsonSchema, doc, schema as JsonSchema).map((e) => `${e.path.join('.')}: ${e.message}`));
}

const deployment = (replicas: unknown): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
});

describe('the editor schema', () => {
  it('checks a Deployment document against the Deployment schema', () => {
    const refs = branchesFor(deployment(3)).map((b) => b.$ref).filter((r) => r !== undefined);
    expect(refs).toEqual(['#/definitions/apps_v1_Deployment']);
    expect(resolveRef(source, { $ref: refs[0] }).description).toMatch(/^Deployment enables declarative updates/);
    expect(validate(deployment(3))).toEqual([]);
  });

  it('has replicas as an integer, so "replicas: three" is flagged at that field', () => {
    const spec = resolveRef(source, { $ref: '#/definitions/DeploymentSpec' });
    expect((spec.properties as Record<string, Schema>).replicas).toMatchObject({ type: 'integer' });
    expect(validate(deployment('three'))).toEqual([expect.stringMatching(/^spec\.replicas: /)]);
  });

  it('has every well-known count, port and seconds field as an integer', () => {
    const field = (def: string, name: string): unknown => ((resolveRef(source, { $ref: `#/definitions/${def}` }).properties as Record<string, Schema>)[name] as Schema).type;
    expect(field('ContainerPort', 'containerPort')).toBe('integer');
    expect(field('ServicePort', 'port')).toBe('integer');
    expect(field('ServicePort', 'nodePort')).toBe('integer');
    expect(field('ServicePort', 'targetPort')).toEqual(['integer', 'string']);
    expect(field('DeploymentSpec', 'minReadySeconds')).toBe('integer');
    expect(field('DeploymentSpec', 'revisionHistoryLimit')).toBe('integer');
    expect(field('DeploymentSpec', 'progressDeadlineSeconds')).toBe('integer');
    expect(field('PodSpec', 'terminationGracePeriodSeconds')).toBe('integer');
    expect(field('Probe', 'periodSeconds')).toBe('integer');
    expect(field('JobSpec', 'completions')).toBe('integer');
    expect(field('JobSpec', 'parallelism')).toBe('integer');
    expect(field('JobSpec', 'backoffLimit')).toBe('integer');
  });

  it('gives a kind it does not know no schema and no error', () => {
    const doc = { apiVersion: 'example.com/v1', kind: 'Widget', spec: { anything: true } };
    expect(branchesFor(doc).filter((b) => b.$ref !== undefined)).toEqual([]);
    expect(validate(doc)).toEqual([]);
    expect((schema.properties as Record<string, Schema>).kind).not.toHaveProperty('enum');
  });

  it('flags an apiVersion that does not serve the kind', () => {
    expect(validate({ ...deployment(1), apiVersion: 'v1' })).toEqual([expect.stringMatching(/^apiVersion: /)]);
  });

  it('completes kind and apiVersion from the served kinds, with their descriptions', () => {
    const props = schema.properties as Record<string, Schema>;
    expect(props.kind?.examples).toContain('Deployment');
    expect(props.kind?.examples).toHaveLength(Object.keys(source.kinds).length);
    expect(props.apiVersion?.examples).toEqual(expect.arrayContaining(['v1', 'apps/v1', 'batch/v1']));
    expect(props.kind?.description).toMatch(/^Kind is a string value/);
    expect(props.apiVersion?.description).toMatch(/^APIVersion defines/);
  });

  it('keeps the field descriptions for hover', () => {
    const spec = resolveRef(source, { $ref: '#/definitions/DeploymentSpec' });
    expect(((spec.properties as Record<string, Schema>).replicas as Schema).description).toMatch(/^Number of desired pods/);
  });

  it('splits kind keys at the last slash', () => {
    expect(splitKindKey('discovery.k8s.io/v1/EndpointSlice')).toEqual({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' });
    expect(splitKindKey('v1/Pod')).toEqual({ apiVersion: 'v1', kind: 'Pod' });
  });
});
