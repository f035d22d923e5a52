import type { EditorTab } from '../store';

/** The manifests a new learner finds in the editor: each one valid on a real cluster. */
export const STARTER_TABS: readonly EditorTab[] = [
  {
    name: 'web.yaml',
    text: `# A Deployment keeps 3 nginx pods running;
# a Service gives them one stable address.
# Try: set replicas to 5, press Ctrl+Enter.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web  # must match labels below
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        # Try nginx:1.28: a rolling update.
        image: nginx:1.27
        ports:
        - containerPort: 80
        # The scheduler places pods by these.
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
        # Traffic goes only to ready pods.
        readinessProbe:
          httpGet:
            path: /
            port: 80
---
# One address and DNS name for web's pods.
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: ClusterIP
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
`,
  },
  {
    name: 'pod.yaml',
    text: `# A bare pod: no controller watches it, so
# nothing replaces it when it goes away.
# Try: apply, then in the console
#   kubectl delete pod sleeper
# and compare with deleting one of web's.
apiVersion: v1
kind: Pod
metadata:
  name: sleeper
  labels:
    app: sleeper
spec:
  containers:
  - name: sleeper
    image: busybox:1.36
    command: ["sleep", "3600"]
`,
  },
  {
    name: 'spread.yaml',
    text: `# Pods spread over the zones: their counts
# may differ by at most 1 (maxSkew).
# Try: apply, then "kill zone-b" in the
# console, skip ahead a few minutes and
# select a Pending pod to read why.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: spread
spec:
  replicas: 4
  selector:
    matchLabels:
      app: spread
  template:
    metadata:
      labels:
        app: spread
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: DoNotSchedule
        labelSelector:
          matchLabels:
            app: spread
      containers:
      - name: httpd
        image: httpd:2.4
        resources:
          requests:
            cpu: 50m
            memory: 64Mi
`,
  },
];
