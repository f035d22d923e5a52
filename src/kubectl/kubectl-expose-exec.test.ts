import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenTranscript } from '../scenario/goldenTranscript';
import { Session } from '../scenario/session';

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          ports:
            - containerPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  color: blue
---
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
    - name: shell
      image: busybox:1.36
      command: ["sleep", "3600"]
      env:
        - name: GREETING
          value: hello
      volumeMounts:
        - name: settings
          mountPath: /etc/settings
  volumes:
    - name: settings
      configMap:
        name: settings
---
apiVersion: v1
kind: Pod
metadata:
  name: duo
  labels: { app: duo }
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - containerPort: 80
    - name: metrics
      image: busybox:1.36
      command: ["sleep", "3600"]
      ports:
        - containerPort: 9100
        - containerPort: 9100
          protocol: UDP
---
apiVersion: v1
kind: Pod
metadata:
  name: broken
spec:
  containers:
    - name: app
      image: example.com/no-such-image:1.0
---
apiVersion: v1
kind: Pod
metadata:
  name: pinned
spec:
  nodeName: worker-3
  containers:
    - name: shell
      image: busybox:1.36
      command: ["sleep", "3600"]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: picky
spec:
  selector:
    matchLabels: { app: picky }
    matchExpressions:
      - { key: tier, operator: In, values: [front, edge] }
  template:
    metadata:
      labels: { app: picky, tier: front }
    spec:
      containers:
        - name: app
          image: busybox:1.36
          command: ["sleep", "3600"]
`;

const DENY_EGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-egress
spec:
  podSelector: {}
  policyTypes: [Egress]
`;

const GOLDEN = new URL('./testdata/kubectl-expose-exec.txt', import.meta.url);

describe('kubectl expose and exec', () => {
  it('matches the golden transcript (UPDATE_GOLDEN=1 rewrites it)', () => {
    const actual = goldenTranscript([
      { wait: 5_000 },
      { kubectl: 'create -f -', stdin: MANIFESTS },
      { kubectl: 'expose deployment web --port=80' },
      { kubectl: 'expose deployment web --name=web-np --type=NodePort' },
      { kubectl: 'expose deploy/web --port=8080 --target-port=80 --name=alt --dry-run=client -o yaml' },
      { kubectl: 'create service clusterip empty --tcp=80' },
      { wait: 20_000 },
      { kubectl: 'get svc' },
      { kubectl: 'get endpoints web' },
      { kubectl: 'get svc web-np -o yaml' },
      { kubectl: 'exec client -- cat /etc/settings/color' },
      { kubectl: 'exec client -- env' },
      { kubectl: "exec client -- sh -c 'echo $GREETING from $HOSTNAME; sleep 2; exit 3'" },
      { kubectl: 'exec client -- sleep infinity' },
      { kubectl: 'exec client -- wget -qO- http://web' },
      { kubectl: 'exec client -- wget -qO- http://empty' },
      { kubectl: 'exec client -- nslookup web' },
      { kubectl: 'exec client -c nope -- ls' },
      { kubectl: 'exec broken -- ls' },
      { kubectl: 'exec duo -- ls /usr/share/nginx/html' },
      { kubectl: "exec duo -c metrics -- sh -c 'echo $HOSTNAME'" },
      { kubectl: 'exec client -- cat /nope' },
      { kubectl: 'exec client -- curl web' },
      { kubectl: 'exec -it client -- sh' },
      { kubectl: 'exec deploy/web -- ls /usr/share/nginx/html' },
      { kubectl: 'exec svc/web-np -- ls /usr/share/nginx/html' },
      { kubectl: 'exec client cat /etc/settings/color' },
      { kubectl: 'exec missing -- ls' },
      { kubectl: 'expose pod client --port=80' },
      { kubectl: 'expose configmap settings --port=80' },
      { kubectl: 'expose deployment picky --port=80' },
      { kubectl: 'expose pod duo --dry-run=client -o yaml' },
      { kubectl: 'expose deployment web' },
      // No egress allowed, DNS included: the lookup times out, and exec takes that long.
      { kubectl: 'create -f -', stdin: DENY_EGRESS },
      { kubectl: 'exec client -- nslookup web' },
      { kubectl: 'delete networkpolicy deny-egress' },
      // The pod's node is gone: the API server cannot reach its kubelet.
      { kubectl: 'exec pinned -- true' },
      { fault: { kill: 'worker-3' } },
      { kubectl: 'exec pinned -- true' },
    ]);
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, actual);
    expect(actual).toBe(readFileSync(GOLDEN, 'utf8'));
  });
  it('counts what exec sends in the traffic series: the Service it went through and the pod that sent it', () => {
    const session = new Session({ seed: 1 });
    session.world.runUntil(5_000);
    const kubectl = (command: string, stdin?: string) => session.run({ kind: 'kubectl', command, ...(stdin === undefined ? {} : { stdin }) });
    kubectl('create -f -', MANIFESTS);
    kubectl('expose deployment web --port=80');
    kubectl('create service clusterip empty --tcp=80');
    session.world.runFor(20_000);
    expect(kubectl('exec client -- wget -qO- http://web').stdout).toContain('Welcome to nginx!');
    expect(kubectl('exec client -- wget -qO- http://empty').exitCode).toBe(1);
    const series = (key: string) => session.cluster.dataPlane.seriesOf(key)?.total();
    expect(series('service/default/web')).toMatchObject({ requests: 1, ok: 1 });
    expect(series('service/default/empty')).toMatchObject({ requests: 1, refused: 1 });
    expect(series('client/default/pod/client')).toMatchObject({ requests: 2, ok: 1, refused: 1 });
  }, 20_000);

  it('runs a command for as long as it takes: no request time-out on the exec stream, and the console waits up to delete\'s own limit', () => {
    const session = new Session({ seed: 1 });
    session.world.runUntil(5_000);
    const kubectl = (command: string, stdin?: string) => {
      const at = session.world.now;
      const r = session.run({ kind: 'kubectl', command, ...(stdin === undefined ? {} : { stdin }) });
      return { ...r, tookMs: session.world.now - at };
    };
    const pods = ['apiVersion: v1\nkind: Pod\nmetadata: { name: doomed }\nspec: { nodeName: worker-1, containers: [{ name: c, image: "nginx:1.27" }] }', 'apiVersion: v1\nkind: Pod\nmetadata: { name: shell }\nspec: { nodeName: worker-2, containers: [{ name: c, image: "busybox:1.36", command: [sleep, "3600"] }] }'];
    kubectl('create -f -', pods.join('\n---\n'));
    session.world.runFor(20_000);
    const sleep = kubectl('exec shell -- sleep 90');
    expect(sleep).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    expect(sleep.tookMs).toBeGreaterThanOrEqual(90_000);
    // Longer than the playground waits on an exec stream: said at once, not after minutes.
    const long = kubectl("exec shell -- sh -c 'echo started; sleep 400'");
    expect(long).toMatchObject({ exitCode: 1, stdout: 'started\n', stderr: 'error: "sh -c echo started; sleep 400" would run for 6m40s; this playground waits at most 5m for kubectl exec: run a shorter command\n' });
    expect(long.tookMs).toBeLessThan(1_000);
    // An address nobody answers: without -T, BusyBox wget waits for the kernel's connect time-out.
    const wget = kubectl('exec shell -- wget -qO- http://10.1.2.3');
    expect(wget.stdout + wget.stderr).toBe("wget: can't connect to remote host (10.1.2.3): Connection timed out\ncommand terminated with exit code 1\n");
    expect(wget.tookMs).toBeGreaterThanOrEqual(127_000);
    const timed = kubectl('exec shell -- wget -qO- -T 3 http://10.1.2.3');
    expect(timed.stdout + timed.stderr).toBe('wget: download timed out\ncommand terminated with exit code 1\n');
    // A pod on a dead node never finishes terminating: delete waits its five minutes and says so.
    session.run({ kind: 'fault', fault: { kill: 'worker-1' } });
    const del = kubectl('delete pod doomed');
    expect(del).toMatchObject({ exitCode: 1, stdout: 'pod "doomed" deleted\n', stderr: 'error: timed out waiting for the condition on pods/doomed\n' });
    expect(del.tookMs).toBeGreaterThanOrEqual(300_000);
  }, 30_000);
});
