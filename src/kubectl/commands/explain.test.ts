import { describe, expect, it } from 'vitest';
import type { World } from '../../engine/world';
import schemas from '../../generated/kubernetes-schemas.full.json';
import type { KubectlEnv, KubectlFlags, KubectlResult } from '../kubectlEnv';
import { explain } from './explain';

const env = (withSchemas: boolean): KubectlEnv => ({ world: {} as World, defaultContext: 'x', clients: new Map(), ...(withSchemas ? { explainSchemas: schemas } : {}) });
const flags = (values: [string, string | boolean][] = []): KubectlFlags => ({ allNamespaces: false, filenames: [], values: new Map(values) });
const runExplain = (e: KubectlEnv, args: string[], f = flags()): KubectlResult => {
  let result: KubectlResult | undefined;
  explain(e, args, f, undefined, (r) => (result = r), []);
  if (result === undefined) throw new Error('explain did not answer');
  return result;
};

describe('kubectl explain (the command)', () => {
  it('says the documentation is loading while the host has not provided the schemas', () => {
    const r = runExplain(env(false), ['pods']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: the API documentation is still loading/);
  });

  it('takes one word only, as kubectl does', () => {
    expect(runExplain(env(true), ['pods', 'spec'])).toEqual({ exitCode: 1, stdout: '', stderr: 'error: We accept only this format: explain RESOURCE\n' });
  });

  it('passes --recursive and --api-version to the renderer', () => {
    const r = runExplain(env(true), ['deployment.spec.strategy'], flags([['recursive', true], ['api-version', 'apps/v1']]));
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<IntOrString>\n');
  });
});
