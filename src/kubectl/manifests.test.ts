import { describe, expect, it } from 'vitest';
import type { KubectlFlags } from './kubectlEnv';
import { readManifests, withoutNullTimestamps } from './manifests';

const flags = (filenames: string[], namespace?: string): KubectlFlags => ({ allNamespaces: false, filenames, values: new Map(), ...(namespace === undefined ? {} : { namespace }) });
const CM = (name: string, ns = ''): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}`;

describe('readManifests', () => {
  it('reads stdin and named files in the order of the -f flags, each document knowing its source', () => {
    const read = readManifests(flags(['a.yaml', '-']), CM('from-stdin'), new Map([['a.yaml', `${CM('one')}---\n${CM('two')}`]]));
    if ('error' in read) throw new Error(read.error);
    expect(read.docs.map((d) => ('error' in d ? d.error : `${d.source}:${d.name}`))).toEqual(['a.yaml:one', 'a.yaml:two', 'STDIN:from-stdin']);
  });

  it('names a missing file and a file that does not parse, as kubectl does', () => {
    expect(readManifests(flags(['nope.yaml']), undefined, new Map())).toEqual({ error: 'error: the path "nope.yaml" does not exist' });
    const bad = readManifests(flags(['bad.yaml']), undefined, new Map([['bad.yaml', 'a: [\n']]));
    expect('error' in bad && bad.error).toMatch(/^error: error parsing bad\.yaml: error converting YAML to JSON: yaml: line \d+: /);
  });

  it('refuses a document whose namespace differs from an explicit -n', () => {
    const read = readManifests(flags(['-'], 'tools'), CM('x', 'shop'));
    expect('docs' in read && read.docs[0]).toEqual({
      error: `error: the namespace from the provided object "shop" does not match the namespace "tools". You must pass '--namespace=shop' to perform this operation.`,
    });
  });
});

describe('withoutNullTimestamps', () => {
  it('drops the creationTimestamp: null of scaffolded manifests, at every level, and nothing else', () => {
    const scaffold = { metadata: { name: 'web', creationTimestamp: null }, spec: { template: { metadata: { creationTimestamp: null, labels: { a: 'b' } } }, x: null }, status: {} };
    expect(withoutNullTimestamps(scaffold)).toEqual({ metadata: { name: 'web' }, spec: { template: { metadata: { labels: { a: 'b' } } }, x: null }, status: {} });
  });
});
