import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenTranscript } from '../scenario/goldenTranscript';

// A Deployment, a pod pinned to worker-1 (registered by its kubelet), and the commands that act on them.
const OBJECTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.26
          resources:
            requests: { cpu: 250m, memory: 64Mi }
            limits: { memory: 128Mi }
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  nodeName: worker-1
  containers:
    - name: shell
      image: busybox:1.36
      command: ["sleep", "3600"]
    - name: sidecar
      image: busybox:1.36
`;

const GOLDEN = new URL('./testdata/kubectl-workloads.txt', import.meta.url);

describe('kubectl describe, rollout, set image, node commands, logs, top', () => {
  it('matches the golden transcript (UPDATE_GOLDEN=1 rewrites it)', () => {
    const actual = goldenTranscript([
      { wait: 5_000 },
      { kubectl: 'apply -f -', stdin: OBJECTS },
      { wait: 20_000 },
      { kubectl: 'describe deployment web' },
      { kubectl: 'describe pod debug' },
      { kubectl: 'describe node worker-1' },
      { kubectl: 'describe svc kubernetes' },
      { kubectl: 'describe deploy nothing' },
      { kubectl: 'set image deployment/web web=nginx:1.27' },
      { kubectl: 'set image deployment/web nginx=nginx:1.27' },
      { kubectl: "get deploy web -o jsonpath='{.spec.template.spec.containers[0].image} {.metadata.generation}'" },
      { kubectl: 'rollout history deployment/web' },
      { kubectl: 'rollout pause deployment/web' },
      { kubectl: 'rollout pause deployment/web' },
      { kubectl: 'rollout restart deployment/web' },
      { kubectl: 'rollout resume deployment/web' },
      { kubectl: 'rollout restart deployment/web' },
      { kubectl: 'rollout status deployment/web --timeout=3s' },
      { kubectl: 'rollout undo deployment/web' },
      { kubectl: 'rollout history service/kubernetes' },
      { kubectl: 'cordon worker-1' },
      { kubectl: 'cordon worker-1' },
      { kubectl: 'taint nodes worker-1 dedicated=db:NoSchedule' },
      { kubectl: 'taint nodes worker-1 dedicated=web:NoSchedule' },
      { kubectl: 'taint nodes worker-1 dedicated=web:NoSchedule --overwrite' },
      { kubectl: 'taint nodes worker-1 dedicated:Sometimes' },
      { kubectl: "get node worker-1 -o jsonpath='{.spec}'" },
      { kubectl: 'taint nodes worker-1 dedicated-' },
      { kubectl: 'uncordon worker-1' },
      { kubectl: 'drain worker-1' },
      { kubectl: 'logs debug' },
      { kubectl: 'logs debug -c nothing' },
      { kubectl: 'drain worker-1 --force --grace-period=0' },
      { kubectl: 'get pods' },
      { kubectl: 'top nodes' },
      { kubectl: 'events -n kube-system' },
      { kubectl: 'describe lease kube-controller-manager -n kube-system' },
      // Without waiting, the Deployment is seen while the garbage collector removes its dependents first.
      { kubectl: 'delete deployment web --cascade=foreground --wait=false' },
      { kubectl: 'get deploy web -o jsonpath={.metadata.finalizers}' },
      { kubectl: 'get deploy' },
      { kubectl: 'run cache --image=redis:7' },
      { kubectl: 'run sleeper --image=busybox:1.36 -- sleep 3600' },
      { wait: 10_000 },
      // kubectl waits until the pod is gone: sleep ignores SIGTERM, so that is the 30 s grace period.
      { kubectl: 'delete pod sleeper' },
      { kubectl: 'delete pod sleeper' },
      { kubectl: 'run sleeper2 --image=busybox:1.36 -- sleep 3600' },
      // (Waits add up from the start: this one lets sleeper2 start, at 75 s.)
      { wait: 40_000 },
      { kubectl: 'delete pod sleeper2 --timeout=5s' },
      // By now metrics-server has scraped every kubelet twice.
      { kubectl: 'top nodes' },
      { kubectl: 'top pods -A' },
    ]);
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, actual);
    expect(actual).toBe(readFileSync(GOLDEN, 'utf8'));
  });
});
