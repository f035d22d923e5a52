import { describe, expect, it } from 'vitest';
import { differs, fetchDelay, nameSuggestions, parseObjectQuery, refKey, refLabel, REFETCH_GAP_MS } from './inspectorLogic';

const NAMES = {
  nodes: { '': ['master-1', 'worker-1'] },
  pods: { 'kube-system': ['coredns-1'], default: ['web-abc'] },
  deployments: { default: ['web'] },
};

describe('nameSuggestions', () => {
  it('writes objects as kubectl does, default namespace first, -n elsewhere', () => {
    expect(nameSuggestions(NAMES)).toEqual(['node/master-1', 'node/worker-1', 'pod/web-abc', 'pod/coredns-1 -n kube-system', 'deployment/web']);
  });
});

describe('parseObjectQuery', () => {
  it('takes TYPE/NAME and TYPE NAME with kubectl type names and -n', () => {
    expect(parseObjectQuery('deployment/web', NAMES)).toEqual({ kind: 'Deployment', namespace: 'default', name: 'web' });
    expect(parseObjectQuery(' deploy web ', NAMES)).toEqual({ kind: 'Deployment', namespace: 'default', name: 'web' });
    expect(parseObjectQuery('po/coredns-1 -n kube-system', NAMES)).toEqual({ kind: 'Pod', namespace: 'kube-system', name: 'coredns-1' });
    expect(parseObjectQuery('--namespace=kube-system pods coredns-1', NAMES)).toEqual({ kind: 'Pod', namespace: 'kube-system', name: 'coredns-1' });
    expect(parseObjectQuery('nodes/worker-1', NAMES)).toEqual({ kind: 'Node', namespace: '', name: 'worker-1' });
  });

  it('says what is wrong', () => {
    expect(parseObjectQuery('web', NAMES)).toHaveProperty('error');
    expect(parseObjectQuery('widget/x', NAMES)).toEqual({ error: 'the server doesn\'t have a resource type "widget"' });
    expect(parseObjectQuery('pod/coredns-1', NAMES)).toEqual({ error: 'No pod "coredns-1" in namespace default.' });
    expect(parseObjectQuery('node/worker-9', NAMES)).toEqual({ error: 'No node "worker-9".' });
  });
});

describe('helpers', () => {
  it('labels and keys refs', () => {
    expect(refLabel({ kind: 'Deployment', namespace: 'default', name: 'web' })).toBe('Deployment default/web');
    expect(refLabel({ kind: 'Node', namespace: '', name: 'worker-1' })).toBe('Node worker-1');
    expect(refKey(null)).toBe('');
    expect(refKey({ kind: 'Pod', namespace: 'a', name: 'b' })).toBe('Pod/a/b');
  });

  it('throttles refetches but fetches a new selection at once', () => {
    expect(fetchDelay(1000, 1100, false)).toBe(REFETCH_GAP_MS - 100);
    expect(fetchDelay(1000, 1400, false)).toBe(0);
    expect(fetchDelay(1000, 1100, true)).toBe(0);
  });

  it('highlights rows whose status differs from the spec', () => {
    expect(differs({ desired: '3', observed: '2' })).toBe(true);
    expect(differs({ desired: '3', observed: '3' })).toBe(false);
  });
});
