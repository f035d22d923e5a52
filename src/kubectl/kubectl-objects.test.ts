import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenTranscript } from '../scenario/goldenTranscript';

// Files `-f NAME` reads (the editor's tabs in the UI).
const FILES = {
  'web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: site
  labels: { app: site }
spec:
  replicas: 2
  selector:
    matchLabels: { app: site }
  template:
    metadata:
      labels: { app: site }
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: site
spec:
  selector: { app: site }
  ports:
    - port: 80
`,
  'broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [a\n',
  'shop.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: prices\n  namespace: shop\ndata:\n  apple: "1"\n',
  'extras.yaml': `apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: leader
spec:
  holderIdentity: site-1
  leaseDurationSeconds: 15
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: site
spec:
  minAvailable: 1
  selector:
    matchLabels: { app: site }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: site-abcde
  labels: { kubernetes.io/service-name: site }
addressType: IPv4
ports:
  - name: http
    port: 80
    protocol: TCP
endpoints:
  - addresses: [10.244.1.5]
  - addresses: [10.244.2.7]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
spec:
  podSelector: {}
---
apiVersion: v1
kind: Event
metadata:
  name: debug.1
involvedObject:
  apiVersion: v1
  kind: Pod
  name: debug
  namespace: default
reason: Scheduled
message: Successfully assigned default/debug to worker-1
type: Normal
count: 1
firstTimestamp: "2025-01-01T00:00:04Z"
lastTimestamp: "2025-01-01T00:00:04Z"
source: { component: default-scheduler }
---
apiVersion: v1
kind: Event
metadata:
  name: debug.2
involvedObject:
  apiVersion: v1
  kind: Pod
  name: debug
  namespace: default
reason: BackOff
message: Back-off pulling image "busybox:nope"
type: Warning
count: 3
firstTimestamp: "2025-01-01T00:00:01Z"
lastTimestamp: "2025-01-01T00:00:05Z"
source: { component: kubelet, host: worker-1 }
`,
};

const GOLDEN = new URL('./testdata/kubectl-objects.txt', import.meta.url);

describe('kubectl: explain, create/run generators, multi-kind get, patch, delete, events, named files', () => {
  it('matches the golden transcript (UPDATE_GOLDEN=1 rewrites it)', () => {
    const actual = goldenTranscript(
      [
        { wait: 5_000 },
        { kubectl: 'explain deployment.spec.replicas' },
        { kubectl: 'explain pods spec' },
        { kubectl: 'explain deployment.spec.strategy --recursive --api-version=apps/v1' },
        { kubectl: 'create namespace tools' },
        { kubectl: 'create ns tools' },
        { kubectl: 'create deployment web --image=nginx:1.27 --replicas=2 --port=80 --dry-run=client -o yaml' },
        { kubectl: 'create deployment web --image=nginx:1.27 --replicas=2' },
        { kubectl: 'create deployment web --image=nginx' },
        { kubectl: 'create deploy api --image=registry.k8s.io/my_app:v1 -n tools --dry-run=client -o yaml' },
        { kubectl: 'create deployment x' },
        { kubectl: 'create configmap settings --from-literal=color=blue --from-literal=size=L' },
        { kubectl: 'create secret generic creds --from-literal=password=s3cr3t --dry-run=client -o yaml' },
        { kubectl: 'create secret generic creds --from-literal=password=s3cr3t' },
        { kubectl: 'create secret creds' },
        { kubectl: 'create secret' },
        { kubectl: 'create secret tls cert' },
        { kubectl: 'create job once --image=busybox' },
        { kubectl: 'create service clusterip web --tcp=80:8080' },
        { kubectl: 'create service nodeport web-np --tcp=80:8080 --node-port=30080 -o name' },
        { kubectl: 'create foo bar' },
        { kubectl: 'create namespace x --image=y' },
        { kubectl: 'create configmap y --from-literal=a=b -o wide' },
        { kubectl: 'run debug --image=busybox --restart=Never --dry-run=client -o yaml -- sleep 3600' },
        { kubectl: 'run debug --image=busybox --restart=Never -l app=debug --env=MODE=test -- sleep 3600' },
        { kubectl: 'run shell -it --rm --image=busybox -- sh' },
        { kubectl: 'run probe --image=busybox --dry-run=server -o name' },
        { kubectl: 'create configmap probe --from-literal=a=b --dry-run=server' },
        { kubectl: 'apply -f web.yaml' },
        { kubectl: 'create -f web.yaml' },
        { kubectl: 'create -f extras.yaml' },
        { kubectl: 'create -f missing.yaml' },
        { kubectl: 'create -f broken.yaml' },
        { kubectl: 'create -f shop.yaml -n tools' },
        { kubectl: 'get deploy,svc' },
        { kubectl: 'get all' },
        { kubectl: 'get pods,deployments -o name' },
        { kubectl: 'get deploy/web svc/web' },
        { kubectl: 'get deploy web svc/web' },
        { kubectl: 'get deploy web nothere' },
        { kubectl: 'get pods --show-labels' },
        { kubectl: 'get deploy -o wide --show-labels' },
        { kubectl: 'get deploy -o yaml --show-labels' },
        { kubectl: 'get deploy,svc --no-headers' },
        { kubectl: 'get pods --field-selector=status.phase=Pending' },
        { kubectl: 'get pods --field-selector=spec.foo=bar' },
        { kubectl: 'get cm/settings secret/creds -o json' },
        { kubectl: 'get cm settings -o jsonpath={.data.color}' },
        { kubectl: 'get ns' },
        { kubectl: 'get nodes' },
        { kubectl: 'get leases,pdb,endpointslices,netpol' },
        { kubectl: 'get events' },
        { kubectl: 'get events -o wide' },
        { kubectl: 'get pod debug -A' },
        { kubectl: 'get all -A --sort-by=.metadata.name' },
        { kubectl: 'events' },
        { kubectl: 'events --for pod/debug --types Warning' },
        { kubectl: 'events -A' },
        { kubectl: 'events -n tools' },
        { kubectl: 'events --types Bad' },
        { kubectl: 'events --for debug' },
        { kubectl: 'events --no-headers --types=normal' },
        { kubectl: 'events -o name' },
        { kubectl: `patch deployment web -p '{"spec":{"replicas":3}}'` },
        { kubectl: `patch deployment web -p '{"spec":{"replicas":3}}'` },
        { kubectl: "patch deploy web --type merge -p 'metadata: {labels: {tier: front}}'" },
        { kubectl: `patch deploy/web --type=json -p '[{"op":"replace","path":"/spec/replicas","value":1}]'` },
        { kubectl: `patch deploy web --type json -p '[{"op":"replace","path":"/spec/nothing/x","value":1}]'` },
        { kubectl: `patch deploy web -p '{"spec":{"replicas":5}}' --dry-run=client -o jsonpath='{.spec.replicas}'` },
        { kubectl: 'get deploy web' },
        { kubectl: `patch pod debug --subresource=status --type=merge -p '{"status":{"phase":"Running"}}'` },
        { kubectl: 'get pod debug' },
        { kubectl: 'patch deploy web' },
        { kubectl: `patch deploy web -p '{}' --type foo` },
        { kubectl: `patch deploy nothere -p '{"spec":{}}'` },
        { kubectl: `patch deploy web -p '{"spec":{"replicas":"x"}}'` },
        { kubectl: `patch deploy web -p '{"spec":{"replicas":4}}' --dry-run=server` },
        { kubectl: `patch deploy web -p 'spec: [' ` },
        { kubectl: 'delete pod debug --grace-period=0 --force' },
        { kubectl: 'delete deploy web --dry-run=server' },
        { kubectl: 'get deploy web -o name' },
        { kubectl: 'delete deploy web --cascade=orphan' },
        { kubectl: 'delete svc web web-np' },
        { kubectl: 'delete cm -l app=nothing' },
        { kubectl: 'delete cm --all --dry-run=client' },
        { kubectl: 'delete cm,secret --all' },
        { kubectl: 'create configmap doomed --from-literal=a=b' },
        { kubectl: 'delete cm doomed --grace-period=10 --cascade=foreground' },
        { kubectl: 'get cm doomed -o jsonpath={.metadata.finalizers}' },
        { kubectl: 'delete -f web.yaml' },
        { kubectl: 'delete -f web.yaml' },
        { kubectl: 'delete pods' },
        { kubectl: 'delete' },
        { kubectl: 'delete pod x --now --grace-period=3' },
        { kubectl: 'delete pod x --force --grace-period=5' },
        { kubectl: 'delete cm --all -l a=b' },
        { kubectl: 'delete secret creds --cascade=sideways' },
        { kubectl: 'delete lease leader --cascade=false' },
        { kubectl: 'delete endpointslice site-abcde --cascade=true --now' },
        { kubectl: 'delete ns tools -n default' },
        { kubectl: 'delete pdb,netpol --all -A' },
        { kubectl: 'get all' },
      ],
      1,
      FILES,
    );
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, actual);
    expect(actual).toBe(readFileSync(GOLDEN, 'utf8'));
  });
});
