import { describe, expect, it } from 'vitest';
import { actionFor, commandLine, filesFor, parseCrash } from './commands';
import type { SessionAction } from './protocol';
import { createAppStore } from './store';

const tabs = [
  { name: 'web.yaml', text: 'kind: Deployment' },
  { name: 'pod.yaml', text: 'kind: Pod' },
];

describe('console lines become actions', () => {
  it('attaches only the editor tabs a command reads, however -f is written', () => {
    expect(filesFor('get pods', tabs)).toEqual({});
    expect(filesFor('apply -f web.yaml', tabs)).toEqual({ files: { 'web.yaml': 'kind: Deployment' } });
    expect(filesFor('apply -Rf pod.yaml', tabs)).toEqual({ files: { 'pod.yaml': 'kind: Pod' } });
    expect(filesFor('delete --filename=web.yaml', tabs)).toEqual({ files: { 'web.yaml': 'kind: Deployment' } });
    expect(filesFor('apply -fweb.yaml -f pod.yaml', tabs)).toEqual({ files: { 'web.yaml': 'kind: Deployment', 'pod.yaml': 'kind: Pod' } });
    // A name that is not a tab (a typo, a directory): send every tab and let kubectl say what it cannot read.
    expect(Object.keys(filesFor('apply -f nope.yaml', tabs).files ?? {})).toEqual(['web.yaml', 'pod.yaml']);
  });

  it('reads kubectl, k, etcdctl, curl, load, faults and crash, and says what it does not know', () => {
    const store = createAppStore();
    store.getState().setTabs(tabs);
    expect(actionFor('k get pods -A', store)).toEqual({ type: 'kubectl', command: 'get pods -A' });
    expect(actionFor('kubectl apply -f web.yaml', store)).toEqual({ type: 'kubectl', command: 'apply -f web.yaml', files: { 'web.yaml': 'kind: Deployment' } });
    expect(actionFor('etcdctl member list', store)).toEqual({ type: 'etcdctl', command: 'member list' });
    expect(actionFor('curl -s http://worker-1:30080/', store)).toEqual({ type: 'curl', command: '-s http://worker-1:30080/' });
    expect(actionFor('load http://worker-1:30080/ --rate 20', store)).toEqual({ type: 'load', command: 'http://worker-1:30080/ --rate 20' });
    expect(actionFor('load', store)).toEqual({ type: 'load', command: '' });
    expect(actionFor('partition zone-a | zone-b', store)).toEqual({ type: 'fault', fault: { partition: [['zone-a'], ['zone-b']] } });
    expect(actionFor('crash pod -n shop web-1 -c app', store)).toEqual({ type: 'crashContainer', namespace: 'shop', pod: 'web-1', container: 'app' });
    expect(actionFor('ls -l', store)).toEqual({ error: 'ls: command not found (type "help" for what this console runs)' });
  });

  it('echoes every action as a line the console reads back as the same action', () => {
    const store = createAppStore();
    const actions: SessionAction[] = [
      { type: 'kubectl', command: 'cordon worker-1' },
      { type: 'etcdctl', command: 'endpoint status --cluster -w table' },
      { type: 'fault', fault: { kill: 'worker-2' } },
      { type: 'fault', fault: { partition: [['zone-a', 'master-3'], ['zone-b']] } },
      { type: 'fault', fault: { heal: 'all' } },
      { type: 'fault', fault: { stopKubelet: 'worker-1' } },
      { type: 'crashContainer', namespace: 'default', pod: 'web-1' },
      { type: 'crashContainer', namespace: 'kube-system', pod: 'dns', container: 'coredns' },
      { type: 'curl', command: '-sS -m 5 http://worker-1:30080/' },
      { type: 'load', command: 'http://worker-2:30080/ --rate 20' },
      { type: 'load', command: 'stop' },
      { type: 'load', command: '' },
    ];
    for (const a of actions) expect(actionFor(commandLine(a), store)).toEqual(a);
  });

  it('refuses a malformed crash', () => {
    expect(parseCrash('deployment web')).toHaveProperty('error');
    expect(parseCrash('pod')).toHaveProperty('error');
    expect(parseCrash('pod web -c')).toHaveProperty('error');
  });
});
