import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenTranscript } from '../scenario/goldenTranscript';

const MANIFESTS = `apiVersion: apps/v1
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
          image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports:
    - port: 80
---
apiVersion: v1
kind: Namespace
metadata:
  name: tools
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: tools
spec:
  containers:
    - name: shell
      image: busybox
`;

const SHOP_V1 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels: { app: shop, tier: front }
spec:
  replicas: 2
  selector:
    matchLabels: { app: shop }
  template:
    metadata:
      labels: { app: shop }
    spec:
      containers:
        - name: shop
          image: nginx:1.27
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-settings
data:
  color: blue
`;
const SHOP_V2 = SHOP_V1.replace('replicas: 2', 'replicas: 5').replace('labels: { app: shop, tier: front }', 'labels: { app: shop }');

const GOLDEN = new URL('./testdata/kubectl.txt', import.meta.url);

describe('kubectl', () => {
  it('matches the golden transcript (UPDATE_GOLDEN=1 rewrites it)', () => {
    const actual = goldenTranscript([
      { kubectl: 'get pods' },
      { wait: 5_000 },
      { kubectl: 'get pods' },
      { kubectl: 'create -f -', stdin: MANIFESTS },
      { kubectl: 'create -f -', stdin: MANIFESTS },
      { wait: 65_000 },
      { kubectl: 'get deployments' },
      { kubectl: 'get deploy web -o wide' },
      { kubectl: 'get svc' },
      { kubectl: 'get pods -A' },
      { kubectl: 'get po debug -n tools -o name' },
      { kubectl: 'get deployment web -o yaml' },
      { fault: { partition: [['zone-a'], ['zone-b']] } },
      { wait: 5_000 },
      { kubectl: 'delete svc web' },
      { kubectl: 'delete pod debug -n tools --context master-3' },
      { fault: { heal: 'all' } },
      { wait: 5_000 },
      { kubectl: 'get pods -A' },
      { kubectl: 'delete svc web' },
      { kubectl: 'get svc web' },
      { kubectl: 'gett pods' },
      { kubectl: 'get deploymnets' },
      { kubectl: 'get pods -o tablee' },
      { kubectl: 'get pods --context master-9' },
      { kubectl: 'create -f -', stdin: 'apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: x\n' },
      { kubectl: 'create -f -', stdin: MANIFESTS.replace('labels: { app: web }\n    spec:', 'labels: { app: other }\n    spec:').split('---')[0] },
      { kubectl: 'create -f - --dry-run=server', stdin: MANIFESTS.replace(/name: web/g, 'name: web2').split('---')[0] },
      { kubectl: 'get deploy' },
      { kubectl: 'create -f -', stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lost\n  namespace: nowhere\n' },
      { kubectl: 'apply -f -', stdin: SHOP_V1 },
      { kubectl: 'apply -f -', stdin: SHOP_V1 },
      { kubectl: 'apply -f - --dry-run=client', stdin: SHOP_V2 },
      { kubectl: 'apply -f -', stdin: SHOP_V2 },
      { kubectl: 'get deploy shop -o yaml' },
      { kubectl: 'apply -f -', stdin: SHOP_V2 },
      { kubectl: 'scale deployment shop --replicas=1' },
      { kubectl: 'scale deploy/shop --replicas 0' },
      { kubectl: 'scale svc web --replicas=2' },
      { kubectl: 'scale deployment shop --replicas=-1' },
      { kubectl: 'get deploy -l app=shop' },
      { kubectl: 'get deploy -l app=nothing' },
      { kubectl: 'get deploy -l "app in (shop, web)"' },
      { kubectl: 'get deploy -l app=x,=y' },
      { kubectl: 'label deployment shop team=payments' },
      { kubectl: 'label deployment shop team=search' },
      { kubectl: 'label deployment shop team=search --overwrite' },
      { kubectl: 'label deploy/shop team-' },
      { kubectl: 'annotate configmap shop-settings owner=ana' },
      { kubectl: 'get deploy -l team' },
      { kubectl: 'label pods nothing a=b' },
      { kubectl: `get deploy -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.spec.replicas}{"\\n"}{end}'` },
      { kubectl: "get deploy shop -o jsonpath='{.spec.template.spec.containers[0].image}'" },
      { kubectl: "get deploy -o jsonpath='{.items[*]'" },
      { kubectl: 'apply -f -', stdin: SHOP_V2 },
      { kubectl: 'api-resources' },
      { kubectl: 'version' },
      { kubectl: 'cluster-info' },
      { kubectl: 'config get-contexts' },
      { kubectl: 'config use-context master-3' },
      { kubectl: 'config current-context' },
      { kubectl: 'config use-context master-9' },
    ]);
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, actual);
    expect(actual).toBe(readFileSync(GOLDEN, 'utf8'));
  });
});
