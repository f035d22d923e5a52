import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, JsonPathError } from './jsonpath';

const pod = (name: string, phase: string, ready: string) => ({
  metadata: { name, labels: { app: 'web' } },
  spec: { nodeName: 'worker-1', containers: [{ name: 'c', image: 'nginx' }] },
  status: { phase, conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: ready }] },
});
const list = { kind: 'List', items: [pod('a', 'Running', 'True'), pod('b', 'Pending', 'False')] };

describe('kubectl jsonpath', () => {
  it.each([
    ['{.metadata.name}', pod('a', 'Running', 'True'), 'a'],
    ['{.spec.containers[0].image}', pod('a', 'Running', 'True'), 'nginx'],
    ["{.metadata.labels['app']}", pod('a', 'Running', 'True'), 'web'],
    ['{.items[*].metadata.name}', list, 'a b'],
    ['{.items[-1].status.phase}', list, 'Pending'],
    ['{.status.conditions[?(@.type=="Ready")].status}', pod('a', 'Running', 'True'), 'True'],
    ['{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}', list, 'a\tRunning\nb\tPending\n'],
    ['name: {.metadata.name}', pod('a', 'Running', 'True'), 'name: a'],
    ['{.metadata.labels}', pod('a', 'Running', 'True'), '{"app":"web"}'],
    ['{.metadata.missing}', pod('a', 'Running', 'True'), ''],
  ])('%s', (template, data, expected) => {
    expect(evaluateJsonPath(template, data)).toBe(expected);
  });

  it('refuses templates it cannot read', () => {
    expect(() => evaluateJsonPath('{.items[*]', list)).toThrow(JsonPathError);
    expect(() => evaluateJsonPath('{end}', list)).toThrow('not in range, nothing to end');
  });
});
