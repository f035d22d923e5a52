import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from './kubeplay';

/** Runs the CLI in memory: files come from a map, output is collected. */
function cli(argv: string[], files: Record<string, string>): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    readFile: (p) => {
      const f = files[p] ?? (p.startsWith('examples/') ? readFileSync(p, 'utf8') : undefined);
      if (f === undefined) throw new Error(`ENOENT: no such file or directory, open '${p}'`);
      return f;
    },
  });
  return { code, out, err };
}

const GOLDEN = new URL('./testdata/zone-split.jsonl', import.meta.url);

describe('kubeplay run', () => {
  it('runs the zone-split example and prints JSON Lines matching the golden file (UPDATE_GOLDEN=1 rewrites it)', () => {
    const r = cli(['run', 'examples/zone-split.yaml', '--json', '--until', '40s'], {});
    expect(r.code).toBe(0);
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, r.out);
    expect(r.out).toBe(readFileSync(GOLDEN, 'utf8'));
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({ at: 40_000, final: true });
    // The minority member was reported unhealthy while the zones were split.
    expect(lines.find((l) => l.command === 'endpoint health --cluster')).toMatchObject({ at: 16_000, exitCode: 1 });
  });

  it('is deterministic, and --seed changes the run', () => {
    const a = cli(['run', 'examples/zone-split.yaml', '--json'], {}).out;
    expect(cli(['run', 'examples/zone-split.yaml', '--json'], {}).out).toBe(a);
    expect(cli(['run', 'examples/zone-split.yaml', '--json', '--seed', '8'], {}).out).not.toBe(a);
  });

  it('prints a transcript by default', () => {
    const r = cli(['run', 'examples/zone-split.yaml'], {});
    expect(r.out).toContain('[10s] ! partition [zone-a] | [zone-b]\n');
    expect(r.out).toContain('[16s] $ etcdctl endpoint health --cluster\n');
    expect(r.out).toMatch(/\n\[35\.\d+s\] end: state [0-9a-f]{16}\n$/);
  });

  it('runs kubectl actions, reading the scenario\'s manifests for -f -, and reports failures without stopping', () => {
    const s = [
      'apiVersion: kubeplay/v1',
      'kind: Scenario',
      'metadata: { name: k }',
      'manifests: |',
      '  apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata: { name: settings }',
      '  data: { color: blue }',
      'actions:',
      '  - { at: 1s, kubectl: "get pods" }',
      '  - { at: 5s, kubectl: "create -f -" }',
      '  - { at: 6s, kubectl: "get configmaps" }',
      '  - { at: 7s, fault: { kill: worker-1 } }',
      '',
    ].join('\n');
    const r = cli(['run', 's.yaml', '--json'], { 's.yaml': s });
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    // At 1 s etcd has no leader yet, so no API server is ready behind the load balancer.
    expect(lines[0]).toMatchObject({ action: 'kubectl', exitCode: 1, stderr: 'Unable to connect to the server: EOF\n' });
    expect(lines[1]).toMatchObject({ exitCode: 0, stdout: 'configmap/settings created\n' });
    expect(lines[2]).toMatchObject({ exitCode: 0, stdout: 'NAME       DATA   AGE\nsettings   1      1s\n' });
    expect(lines[3]).toMatchObject({ action: 'fault', command: 'kill worker-1', at: 7000 });
  });

  it("lets kubectl -f NAME read the scenario's files, and names the file in errors", () => {
    const s = [
      'apiVersion: kubeplay/v1',
      'kind: Scenario',
      'metadata: { name: f }',
      'files:',
      '  settings.yaml: |',
      '    apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata: { name: settings }',
      'actions:',
      '  - { at: 5s, kubectl: "create -f settings.yaml" }',
      '  - { at: 6s, kubectl: "create -f settings.yaml" }',
      '  - { at: 7s, kubectl: "delete -f other.yaml" }',
      '',
    ].join('\n');
    const r = cli(['run', 's.yaml', '--json'], { 's.yaml': s });
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ exitCode: 0, stdout: 'configmap/settings created\n' });
    expect(lines[1]).toMatchObject({ exitCode: 1, stderr: 'Error from server (AlreadyExists): error when creating "settings.yaml": configmaps "settings" already exists\n' });
    expect(lines[2]).toMatchObject({ exitCode: 1, stderr: 'error: the path "other.yaml" does not exist\n' });
  });

  it('exits 2 with file:line:column for an invalid scenario, and for bad flags', () => {
    const bad = 'apiVersion: kubeplay/v1\nkind: Scenario\nmetadata: { name: x }\nactions:\n  - { at: 1s, fault: { kill: worker-9 } }\n';
    expect(cli(['run', 'bad.yaml'], { 'bad.yaml': bad })).toMatchObject({ code: 2, err: 'bad.yaml:5:24: actions[0].fault.kill: no host or zone named "worker-9" in this cluster\n' });
    expect(cli(['run', 'examples/zone-split.yaml', '--until', '10'], {}).err).toContain('--until: invalid duration "10"');
    expect(cli(['run', 'missing.yaml'], {})).toMatchObject({ code: 2, err: expect.stringContaining('cannot read missing.yaml') });
    expect(cli(['frobnicate', 'x.yaml'], { 'x.yaml': '' })).toMatchObject({ code: 2, err: expect.stringContaining('unknown command "frobnicate"') });
  });
});

describe('kubeplay validate', () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "3"
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx
          ports:
            - containerPort: 80
---
apiVersion: apps/v1
kind: Deploymnet
metadata:
  name: api
`;

  it('points at each mistake in a manifest file with line:column and the field', () => {
    const r = cli(['validate', 'app.yaml'], { 'app.yaml': deployment });
    expect(r.code).toBe(2);
    expect(r.err).toBe(['app.yaml:6:3: Deployment.spec.replicas: must be an integer, got string "3"', 'app.yaml:20:1: no matches for kind "Deploymnet" in version "apps/v1"', ''].join('\n'));
  });

  it('accepts valid manifests and scenarios', () => {
    const fixed = deployment.replace('replicas: "3"', 'replicas: 3').replace('Deploymnet', 'Deployment');
    expect(cli(['validate', 'app.yaml'], { 'app.yaml': fixed })).toMatchObject({ code: 0, out: 'app.yaml: valid (2 documents: Deployment/web, Deployment/api)\n' });
    expect(cli(['validate', 'examples/zone-split.yaml'], {})).toMatchObject({ code: 0, out: 'examples/zone-split.yaml: valid Scenario "zone-split" (6 actions)\n' });
  });

  it('reports YAML syntax errors at their line', () => {
    const r = cli(['validate', 'x.yaml'], { 'x.yaml': 'metadata:\n  name: web\n   labels: x\n' });
    expect(r).toMatchObject({ code: 2, err: expect.stringMatching(/^x\.yaml:3:4: this line is indented deeper/) });
  });
});
