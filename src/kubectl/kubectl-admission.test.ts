import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenTranscript } from '../scenario/goldenTranscript';

// The files `-f NAME` reads: a privileged pod, a plain Deployment, a pod hardened for restricted,
// a pod asking for a RuntimeClass, and that RuntimeClass.
const FILES: Record<string, string> = {
  'privileged.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: root-shell
spec:
  containers:
    - name: shell
      image: busybox:1.36
      command: ["sleep", "3600"]
      securityContext:
        privileged: true
`,
  'web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
  'hardened.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: hardened
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 1000
    seccompProfile: { type: RuntimeDefault }
  containers:
    - name: app
      image: busybox:1.36
      command: ["sleep", "3600"]
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: { drop: ["ALL"] }
`,
  'sandboxed.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: sandboxed
spec:
  runtimeClassName: gvisor
  containers:
    - name: app
      image: nginx:1.27
`,
  'gvisor.yaml': `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: gvisor
handler: runsc
overhead:
  podFixed: { cpu: 250m, memory: 120Mi }
`,
};

const GOLDEN = new URL('./testdata/kubectl-admission.txt', import.meta.url);

describe('kubectl against admission: PodSecurity and RuntimeClass', () => {
  it('matches the golden transcript (UPDATE_GOLDEN=1 rewrites it)', () => {
    const actual = goldenTranscript(
      [
        { wait: 5_000 },
        // baseline enforced: a privileged pod is refused
        { kubectl: 'create namespace team-a' },
        { kubectl: 'label namespace team-a pod-security.kubernetes.io/enforce=baseline' },
        { kubectl: 'apply -f privileged.yaml -n team-a' },
        { kubectl: 'label ns team-a pod-security.kubernetes.io/warn=strict' },
        // restricted warned about: the Deployment and a pod are let in with a warning
        { kubectl: 'create namespace team-b' },
        { kubectl: 'label ns team-b pod-security.kubernetes.io/warn=restricted' },
        { kubectl: 'apply -f web.yaml -n team-b' },
        { kubectl: 'run nginx --image=nginx:1.27 -n team-b' },
        // restricted enforced: a pod that complies is let in, silently
        { kubectl: 'create namespace secure' },
        { kubectl: 'label ns secure pod-security.kubernetes.io/enforce=restricted' },
        { kubectl: 'apply -f hardened.yaml -n secure' },
        { wait: 15_000 },
        { kubectl: 'get pods -n team-b' },
        // enforcing restricted where pods run already: they are listed, and new ones are refused
        { kubectl: 'label ns team-b pod-security.kubernetes.io/enforce=restricted' },
        { kubectl: 'scale deployment web -n team-b --replicas=3' },
        { wait: 2_000 },
        { kubectl: 'get rs -n team-b' },
        { kubectl: 'get events -n team-b --field-selector reason=FailedCreate -o jsonpath={.items[0].message}' },
        { kubectl: 'get pods -n secure' },
        // RuntimeClass: unknown, then defined with an overhead the pod is given
        { kubectl: 'apply -f sandboxed.yaml' },
        { kubectl: 'apply -f gvisor.yaml' },
        { kubectl: 'apply -f sandboxed.yaml' },
        { kubectl: 'get pod sandboxed -o yaml' },
      ],
      1,
      FILES,
    );
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, actual);
    expect(actual).toBe(readFileSync(GOLDEN, 'utf8'));
  });
});
