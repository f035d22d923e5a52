import { describe, expect, it } from 'vitest';
import { formatScenarioError, parseScenario, type ScenarioResult } from './scenario';

const EXAMPLE = `apiVersion: kubeplay/v1
kind: Scenario
metadata: { name: zone-outage }
seed: 7
cluster:
  zones: [zone-a, zone-b]
  masters: { count: 3, zones: [zone-a, zone-a, zone-b] }
  workers: { count: 4, cpu: "4", memory: 8Gi, spread: [zone-a, zone-b] }
settings: { etcdElectionTimeout: 500ms, etcdHeartbeatInterval: 50ms }
manifests: |
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: web }
actions:
  - { at: 0s,  kubectl: "apply -f -" }
  - { at: 60s, fault: { kill: worker-2 } }
  - { at: 90s, fault: { partition: [[zone-a], [zone-b]] } }
  - { at: 100s, fault: { latency: { between: [zone-a, zone-b], delay: 150ms } } }
  - { at: 5m,  fault: { heal: all } }
  - { at: 5m,  etcdctl: "endpoint status --cluster -w table" }
`;

const errorsOf = (r: ScenarioResult): string[] => (r.ok ? [] : r.errors.map((e) => formatScenarioError('s.yaml', e)));

describe('parseScenario', () => {
  it('reads the example of the design: cluster, settings, manifests and actions in virtual time', () => {
    const r = parseScenario(EXAMPLE);
    if (!r.ok) throw new Error(errorsOf(r).join('\n'));
    const s = r.scenario;
    expect([s.name, s.seed]).toEqual(['zone-outage', 7]);
    expect(s.cluster.workers.count).toBe(4);
    expect([s.etcd.tickMs, s.etcd.electionTicks]).toEqual([50, 10]);
    expect(s.manifests).toContain('kind: Deployment');
    expect(s.actions.map((a) => a.atMs)).toEqual([0, 60_000, 90_000, 100_000, 300_000, 300_000]);
    expect(s.actions[1]).toEqual({ atMs: 60_000, kind: 'fault', fault: { kill: 'worker-2' } });
    expect(s.actions[3]).toEqual({ atMs: 100_000, kind: 'fault', fault: { latency: { between: ['zone-a', 'zone-b'], extraMs: 150 } } });
    expect(s.actions[5]).toEqual({ atMs: 300_000, kind: 'etcdctl', command: 'endpoint status --cluster -w table' });
  });

  it('reads kubelet faults on a node or a zone, and refuses one on a host that is not there', () => {
    const text = (target: string): string => `apiVersion: kubeplay/v1\nkind: Scenario\nmetadata: { name: k }\nactions:\n  - { at: 5s, fault: { stopKubelet: ${target} } }\n  - { at: 9s, fault: { startKubelet: ${target} } }\n`;
    const r = parseScenario(text('zone-b'));
    expect(r.ok && r.scenario.actions.map((a) => (a.kind === 'fault' ? a.fault : undefined))).toEqual([{ stopKubelet: 'zone-b' }, { startKubelet: 'zone-b' }]);
    expect(errorsOf(parseScenario(text('worker-7')))[0]).toBe('s.yaml:5:24: actions[0].fault.stopKubelet: no host or zone named "worker-7" in this cluster');
  });

  it('reads files: a map of names to texts, which -f NAME reads', () => {
    const r = parseScenario('apiVersion: kubeplay/v1\nkind: Scenario\nmetadata: { name: f }\nfiles:\n  web.yaml: |\n    kind: Pod\n');
    expect(r.ok && r.scenario.files).toEqual({ 'web.yaml': 'kind: Pod\n' });
    expect(errorsOf(parseScenario('apiVersion: kubeplay/v1\nkind: Scenario\nmetadata: { name: f }\nfiles:\n  web.yaml: 3\n'))[0]).toBe('s.yaml:5:3: files.web.yaml: must be a string, got number 3');
  });

  it('fills in the defaults: seed 1, the default cluster, etcd timings', () => {
    const r = parseScenario('apiVersion: kubeplay/v1\nkind: Scenario\nmetadata: { name: empty }\n');
    expect(r.ok && [r.scenario.seed, r.scenario.cluster.masters.count, r.scenario.etcd.electionTicks, r.scenario.actions.length]).toEqual([1, 3, 10, 0]);
  });

  it.each([
    ['an unknown version', 'apiVersion: kubeplay/v2\nkind: Scenario\nmetadata: { name: x }\n', 's.yaml:1:1: apiVersion: unsupported version "kubeplay/v2": this Kubeplay reads kubeplay/v1'],
    ['a missing name', 'apiVersion: kubeplay/v1\nkind: Scenario\nmetadata: {}\n', 's.yaml:3:11: metadata.name: Required value'],
    ['a misspelt field', 'apiVersion: kubeplay/v1\nkind: Scenario\nmetadata: { name: x }\nseeed: 3\n', 's.yaml:4:1: seeed: unknown field "seeed" (did you mean "seed"?)'],
    ['a duration without unit', 'apiVersion: kubeplay/v1\nkind: Scenario\nmetadata: { name: x }\nactions:\n  - at: "30"\n    fault: { kill: worker-1 }\n', 's.yaml:5:5: actions[0].at:'],
    ['actions out of order', 'apiVersion: kubeplay/v1\nkind: Scenario\nmetadata: { name: x }\nactions:\n  - { at: 60s, fault: { kill: worker-1 } }\n  - { at: 30s, fault: { restart: worker-1 } }\n', 's.yaml:6:7: actions[1].at: actions must be in time order: 30s comes after an action at 60000 ms'],
    ['a fault on a host that does not exist', 'apiVersion: kubeplay/v1\nkind: Scenario\nmetadata: { name: x }\nactions:\n  - { at: 1s, fault: { kill: worker-9 } }\n', 's.yaml:5:24: actions[0].fault.kill: no host or zone named "worker-9" in this cluster'],
    ['a partition naming an unknown zone', 'apiVersion: kubeplay/v1\nkind: Scenario\nmetadata: { name: x }\nactions:\n  - { at: 1s, fault: { partition: [[zone-a], [zone-c]] } }\n', 's.yaml:5:47: actions[0].fault.partition[1][0]: no host or zone named "zone-c" in this cluster'],
    ['an unknown fault', 'apiVersion: kubeplay/v1\nkind: Scenario\nmetadata: { name: x }\nactions:\n  - { at: 1s, fault: { explode: worker-1 } }\n', 's.yaml:5:24: actions[0].fault.explode: unknown field "explode": expected one of kill, restart, isolate, partition, heal, loss, latency, duplicate, reorder'],
    ['an action that does nothing', 'apiVersion: kubeplay/v1\nkind: Scenario\nmetadata: { name: x }\nactions:\n  - { at: 1s }\n', 's.yaml:5:5: actions[0]: needs one of the fields kubectl, etcdctl, curl, load, fault'],
    ['too many masters', 'apiVersion: kubeplay/v1\nkind: Scenario\nmetadata: { name: x }\ncluster:\n  zones: [a]\n  masters: { count: 9 }\n  workers: { count: 1 }\n', 's.yaml:6:14: cluster.masters.count: must be a whole number from 1 to 7, got 9'],
    ['a YAML indentation slip', 'apiVersion: kubeplay/v1\nkind: Scenario\nmetadata:\n  name: x\n   description: y\n', 's.yaml:5:4: this line is indented deeper'],
  ])('points at %s', (_what, text, expected) => {
    const errors = errorsOf(parseScenario(text));
    expect(errors.length, errors.join('\n')).toBeGreaterThan(0);
    expect(errors[0]).toContain(expected);
  });
});
