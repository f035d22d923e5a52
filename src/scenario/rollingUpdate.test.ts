import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../engine/apiserver/apiObjects';
import { runScenario } from './runScenario';
import { parseScenario } from './scenario';

type Obj = Record<string, unknown>;

const SCENARIO = `apiVersion: kubeplay/v1
kind: Scenario
metadata: { name: rolling-update }
seed: 3
manifests: |
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: web }
  spec:
    replicas: 4
    progressDeadlineSeconds: 60
    strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }
    selector: { matchLabels: { app: web } }
    template:
      metadata: { labels: { app: web } }
      spec:
        containers:
        - { name: nginx, image: "nginx:1.27", readinessProbe: { httpGet: { path: /, port: 80 }, periodSeconds: 2 } }
actions:
  - { at: 20s, kubectl: "apply -f -" }
  - { at: 60s, kubectl: "set image deployment/web nginx=nginx:1.28" }
  - { at: 61s, kubectl: "rollout status deployment/web" }
  - { at: 120s, kubectl: "set image deployment/web nginx=ngnix:1.29" }
  - { at: 121s, kubectl: "rollout status deployment/web" }
  - { at: 200s, kubectl: "get deployment web" }
  - { at: 201s, kubectl: "rollout undo deployment/web" }
  - { at: 202s, kubectl: "rollout status deployment/web" }
  - { at: 240s, kubectl: "get deployment web" }
`;

function pods(r: ReturnType<typeof runScenario>): KubeObject[] {
  return r.cluster.etcd
    .member('master-1')
    .kv.range('/registry/pods/default/', true)
    .kvs.map((kv) => JSON.parse(kv.value) as KubeObject);
}

describe('rolling update through kubectl', () => {
  it('rolls within maxSurge/maxUnavailable, stalls on a broken image past its deadline, and rollout undo restores it', () => {
    const parsed = parseScenario(SCENARIO);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    // Step through the first rollout, checking the bounds every 100 ms of virtual time.
    const first = runScenario({ ...parsed.scenario, actions: parsed.scenario.actions.slice(0, 2) }, { untilMs: 60_500 });
    let maxTotal = 0;
    let minReady = Infinity;
    for (let t = 0; t < 400; t++) {
      first.cluster.world.runFor(100);
      const live = pods(first).filter((p) => p.metadata.deletionTimestamp === undefined);
      const ready = live.filter((p) => (((p.status as Obj | undefined)?.conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True'));
      maxTotal = Math.max(maxTotal, live.length);
      minReady = Math.min(minReady, ready.length);
    }
    // 4 replicas, maxSurge 1, maxUnavailable 1: never more than 5 pods, never fewer than 3 ready.
    expect(maxTotal).toBe(5);
    expect(minReady).toBe(3);

    const run = runScenario(parsed.scenario, { untilMs: 250_000 });
    const out = run.records.map((r) => `$ ${r.command}\n${r.stdout}${r.stderr}`);
    expect(out[2]).toContain('deployment "web" successfully rolled out');
    // The broken image: the new pods never get ready, and after 60 s the rollout is declared stuck.
    expect(run.records[4]?.exitCode).toBe(1);
    expect(out[4]).toContain('Waiting for deployment "web" rollout to finish: 2 out of 4 new replicas have been updated...');
    expect(out[4]).toContain('error: deployment "web" exceeded its progress deadline');
    // Three of the old pods keep serving (maxUnavailable 1), two new ones are stuck pulling.
    expect(out[5]).toMatch(/web\s+3\/4\s+2\s+3\s/);
    expect(out[6]).toBe('$ rollout undo deployment/web\ndeployment.apps/web rolled back\n');
    expect(out[7]).toContain('deployment "web" successfully rolled out');
    expect(out[8]).toMatch(/web\s+4\/4\s+4\s+4\s/);
    const images = pods(run)
      .filter((p) => p.metadata.deletionTimestamp === undefined)
      .map((p) => ((p.spec as Obj).containers as Obj[])[0]?.image);
    expect(images).toEqual(['nginx:1.28', 'nginx:1.28', 'nginx:1.28', 'nginx:1.28']);
  });
});
