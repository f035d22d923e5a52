import { describe, expect, it } from 'vitest';
import { goldenTranscript } from '../scenario/goldenTranscript';

/**
 * The mistakes learners make most, each applied with `kubectl apply -f -` on the simulated
 * cluster: every one is refused at the place it happened, in the words kubectl and the API
 * server use, and nothing is written.
 */
const deployment = (spec: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
${spec}`;

const TEMPLATE = `  template:
    metadata:
      labels: { app: web }
    spec:
      containers: [{ name: web, image: nginx }]
`;

const CASES: [string, string, string][] = [
  [
    'an indentation slip',
    deployment(`  replicas: 2
   selector:
    matchLabels: { app: web }
${TEMPLATE}`),
    'error: error parsing STDIN: error converting YAML to JSON: yaml: line 7: this line is indented deeper than the one above it, so it reads as part of that value: line it up with the keys beside it',
  ],
  ['a tab for indentation', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: settings\n', 'error: error parsing STDIN: error converting YAML to JSON: yaml: line 4: tabs are not allowed for indentation in YAML: indent with spaces'],
  [
    'a misspelt kind',
    'apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: web\n',
    'error: resource mapping not found for name: "web" namespace: "" from "STDIN": no matches for kind "Deploymnet" in version "apps/v1"\nensure CRDs are installed first',
  ],
  [
    'a kind in the wrong API version',
    'apiVersion: v1\nkind: Deployment\nmetadata:\n  name: web\n',
    'error: resource mapping not found for name: "web" namespace: "" from "STDIN": no matches for kind "Deployment" in version "v1"\nensure CRDs are installed first',
  ],
  [
    'a string where an integer belongs',
    deployment(`  replicas: "two"
  selector:
    matchLabels: { app: web }
${TEMPLATE}`),
    'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
  ],
  [
    'a port number as text, deep in a list',
    deployment(`  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers: [{ name: web, image: nginx, ports: [{ containerPort: "80" }] }]
`),
    'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
  ],
  [
    'a list where a map belongs',
    deployment(`  selector:
    matchLabels: [app, web]
${TEMPLATE}`),
    'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal array into Go struct field LabelSelector.spec.selector.matchLabels of type map[string]string',
  ],
  [
    'a missing selector',
    deployment(`  replicas: 2
${TEMPLATE}`),
    'The Deployment "web" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ],
  [
    'template labels that do not match the selector',
    deployment(`  selector:
    matchLabels: { app: web }
${TEMPLATE.replace('app: web', 'app: frontend')}`),
    'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"frontend"}: `selector` does not match template `labels`',
  ],
  [
    'two Service ports on one number',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: { app: web }\n  ports:\n  - { name: http, port: 80 }\n  - { name: http-alt, port: 80, targetPort: 8080 }\n',
    'The Service "web" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
  ],
  ['a container without an image', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: shell\nspec:\n  containers:\n  - name: shell\n', 'The Pod "shell" is invalid: spec.containers[0].image: Required value'],
  [
    'a misspelt field',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: shell\nspec:\n  container:\n  - name: shell\n    image: busybox\n',
    'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.container"',
  ],
  [
    'a name with capitals',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Settings\n',
    `The ConfigMap "Settings" is invalid: metadata.name: Invalid value: "Settings": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ],
];

describe('the learner-mistake catalogue, through kubectl apply', () => {
  it.each(CASES)('refuses %s where it happened, and writes nothing', (_what, manifest, expected) => {
    const transcript = goldenTranscript([{ wait: 5_000 }, { kubectl: 'apply -f -', stdin: manifest }, { kubectl: 'get deploy,svc,pods,cm -o name' }]);
    const [apply, after] = transcript.trim().split('\n\n');
    expect(apply).toBe(`[5.000s] $ kubectl apply -f -\n${expected}\nexit 1`);
    // Nothing of the learner's was created (only the cluster's own kubernetes Service and root CA map remain).
    expect(after?.split('\n').slice(1, -1).filter((l) => !['service/kubernetes', 'configmap/kube-root-ca.crt'].includes(l))).toEqual([]);
  });
});
