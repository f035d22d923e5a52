import { describe, expect, it } from 'vitest';
import { goldenTranscript } from '../../scenario/goldenTranscript';
import { errorEntries, locateApplyErrors, parseFieldPath } from './locateErrors';

const deployment = ({ replicas = '3', image = '        image: nginx:1.27\n', extra = '', meta = '', selector = 'web' } = {}): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${meta}spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${selector}
  template:
    metadata:
      labels:
        app: ${selector}
    spec:
      containers:
      - name: web
${image}${extra}`;

const service = (port = 80): string => `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: ${port}
`;

/** 1-based line and column of the first occurrence of `needle` (after the `from`-th line). */
function where(text: string, needle: string, from = 0): { line: number; column: number } {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) {
    const col = (lines[i] as string).indexOf(needle);
    if (col >= 0) return { line: i + 1, column: col + 1 };
  }
  throw new Error(`${needle} not in text`);
}

const secondDocStart = (text: string): number => text.split('\n').indexOf('---') + 1;

interface Case {
  readonly what: string;
  readonly text: string;
  /** What our kubectl prints for `kubectl apply -f web.yaml` on a fresh cluster (checked below). */
  readonly stderr: string;
  readonly expected: (text: string) => readonly { line: number; column: number; message?: string }[];
}

const notNegative = deployment({ replicas: '-1' });
const noImage = deployment({ image: '' });
const three = deployment({ replicas: 'three' });
const unknownField = deployment({ extra: '        imagePullPolicyy: Always\n' });
const twoUnknown = deployment({ extra: '        foo: 1\n        bar: 2\n' });
const portAsText = deployment({ extra: '        ports:\n        - containerPort: "80"\n' });
const missingNamespace = deployment({ meta: '  namespace: nope\n' });
const secondBad = `${service()}---\n${deployment({ replicas: '-1' })}`;
const bothBad = `${service(0)}---\n${deployment({ replicas: '-1' })}`;
const noSelector = deployment().replace('  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n', '  replicas: -2\n');
const wrongVersion = `${service()}---\n${deployment().replace('apps/v1', 'apps/v2')}`;
const syntax = `${service()}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   spec: 1\n`;

const CASES: readonly Case[] = [
  {
    what: 'an invalid value (replicas: -1)',
    text: notNegative,
    stderr: 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
    expected: (t) => [{ ...where(t, 'replicas:'), message: 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0' }],
  },
  {
    what: 'a required field missing (containers[0].image)',
    text: noImage,
    stderr: 'The Deployment "web" is invalid: spec.template.spec.containers[0].image: Required value\n',
    // Not written: the nearest parent that is, the container.
    expected: (t) => [where(t, 'name: web', 10)],
  },
  {
    what: 'a string where an integer belongs (replicas: three)',
    text: three,
    stderr:
      'Error from server (BadRequest): error when creating "web.yaml": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n',
    expected: (t) => [where(t, 'replicas:')],
  },
  {
    what: 'a Go decoder path without list indices',
    text: portAsText,
    stderr:
      'Error from server (BadRequest): error when creating "web.yaml": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32\n',
    expected: (t) => [where(t, 'containerPort')],
  },
  {
    what: 'an unknown field (strict field validation)',
    text: unknownField,
    stderr:
      'Error from server (BadRequest): error when creating "web.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolicyy"\n',
    expected: (t) => [where(t, 'imagePullPolicyy')],
  },
  {
    what: 'two unknown fields, one problem each',
    text: twoUnknown,
    stderr:
      'Error from server (BadRequest): error when creating "web.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].foo", unknown field "spec.template.spec.containers[0].bar"\n',
    expected: (t) => [
      { ...where(t, 'foo:'), message: 'Error from server (BadRequest): error when creating "web.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].foo"' },
      where(t, 'bar:'),
    ],
  },
  {
    what: 'a missing namespace',
    text: missingNamespace,
    stderr: 'Error from server (NotFound): error when creating "web.yaml": namespaces "nope" not found\n',
    expected: (t) => [where(t, 'namespace:')],
  },
  {
    what: 'a file of two documents where the second is bad',
    text: secondBad,
    stderr: 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
    expected: (t) => [where(t, 'replicas:')],
  },
  {
    what: 'a file of two documents, both bad, with the same name',
    text: bothBad,
    stderr:
      'The Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\nThe Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
    expected: (t) => [where(t, 'port: 0'), where(t, 'replicas:')],
  },
  {
    what: 'several causes, one per line',
    text: noSelector,
    stderr:
      'The Deployment "web" is invalid: \n* spec.selector: Required value\n* spec.replicas: Invalid value: -2: must be greater than or equal to 0\n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`\n',
    expected: (t) => [
      { ...where(t, 'spec:'), message: 'The Deployment "web" is invalid: spec.selector: Required value' },
      where(t, 'replicas:'),
      where(t, 'labels:'),
    ],
  },
  {
    what: 'a kind the API version does not serve',
    text: wrongVersion,
    stderr: 'error: resource mapping not found for name: "web" namespace: "" from "web.yaml": no matches for kind "Deployment" in version "apps/v2"\nensure CRDs are installed first\n',
    expected: (t) => [{ ...where(t, 'kind: Deployment'), message: 'error: resource mapping not found for name: "web" namespace: "" from "web.yaml": no matches for kind "Deployment" in version "apps/v2"\nensure CRDs are installed first' }],
  },
  {
    what: 'a YAML syntax error in the second document',
    text: syntax,
    stderr: 'error: error parsing web.yaml: error converting YAML to JSON: yaml: line 15: this line is indented deeper than the one above it, so it reads as part of that value: line it up with the keys beside it\n',
    expected: () => [{ line: 15, column: 4 }],
  },
];

describe('locateApplyErrors', () => {
  it.each(CASES)('places $what', ({ text, stderr, expected }) => {
    const problems = locateApplyErrors(text, 'web.yaml', stderr);
    const want = expected(text);
    expect(problems.map((p) => ({ line: p.line, column: p.column }))).toEqual(want.map((w) => ({ line: w.line, column: w.column })));
    want.forEach((w, i) => {
      if (w.message !== undefined) expect(problems[i]?.message).toBe(w.message);
    });
    expect(problems.every((p) => p.tab === 'web.yaml')).toBe(true);
  });

  it('places the second document by its own lines', () => {
    const [p] = locateApplyErrors(secondBad, 'web.yaml', CASES[7]?.stderr ?? '');
    expect(p?.line).toBeGreaterThan(secondDocStart(secondBad));
  });

  it('points at an immutable field of an object that already exists', () => {
    const changed = deployment({ selector: 'web2' });
    const stderr =
      'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n';
    expect(locateApplyErrors(changed, 'b.yaml', stderr)).toMatchObject([{ tab: 'b.yaml', ...where(changed, 'selector:') }]);
  });

  it('puts an error about no object it can find at line 1', () => {
    expect(locateApplyErrors(notNegative, 'web.yaml', 'Error from server (Timeout): error when creating "web.yaml": Timeout: request did not complete within requested timeout - context deadline exceeded\n')).toMatchObject([{ line: 1, column: 1 }]);
    expect(locateApplyErrors(notNegative, 'web.yaml', 'The ConfigMap "other" is invalid: data: Too long\n')).toMatchObject([{ line: 1, column: 1 }]);
  });

  it('points at the kind line when the field is not written at all', () => {
    const stderr = 'The Deployment "web" is invalid: status.replicas: Invalid value: -1: must be greater than or equal to 0\n';
    expect(locateApplyErrors(notNegative, 'web.yaml', stderr)).toMatchObject([where(notNegative, 'kind:')]);
  });

  it('finds an object named in other words, and a document without apiVersion', () => {
    const pods = `${service()}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: sleeper\n`;
    expect(locateApplyErrors(pods, 'p.yaml', 'Error from server (Forbidden): error when creating "p.yaml": pods "sleeper" is forbidden: unable to create new content in namespace x because it is being terminated\n')).toMatchObject([where(pods, 'kind: Pod')]);
    const untyped = `${service()}---\nkind: Pod\nmetadata:\n  name: x\n`;
    const stderr = 'error: error validating "p.yaml": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false\n';
    expect(locateApplyErrors(untyped, 'p.yaml', stderr)).toMatchObject([where(untyped, 'kind: Pod')]);
  });

  it('never throws on text that is not YAML or empty output', () => {
    expect(locateApplyErrors('', 'x.yaml', 'error: no objects passed to apply\n')).toMatchObject([{ line: 1, column: 1 }]);
    expect(locateApplyErrors(': : :\n\t- [', 'x.yaml', 'The Pod "x" is invalid: spec: Required value\n')).toMatchObject([{ line: 1 }]);
    expect(locateApplyErrors(notNegative, 'x.yaml', '')).toEqual([]);
  });

  it('skips warnings and keeps continuation lines with their error', () => {
    expect(errorEntries('Warning: resource deployments/web is missing the annotation\nThe Deployment "web" is invalid: \n* a: b\n* c: d\nerror: x\n')).toEqual([
      ['The Deployment "web" is invalid: ', '* a: b', '* c: d'],
      ['error: x'],
    ]);
  });

  it('reads field paths as Kubernetes writes them', () => {
    expect(parseFieldPath('spec.template.spec.containers[0].image')).toEqual(['spec', 'template', 'spec', 'containers', 0, 'image']);
    expect(parseFieldPath('metadata.labels[app.kubernetes.io/name]')).toEqual(['metadata', 'labels', 'app.kubernetes.io/name']);
  });
});

describe('the error texts above', () => {
  it('are what our kubectl prints for them', () => {
    const files: Record<string, string> = {};
    CASES.forEach((c, i) => {
      files[`case-${i}.yaml`] = c.text;
    });
    const transcript = goldenTranscript(
      [{ wait: 5_000 }, ...CASES.map((_, i) => ({ kubectl: `apply -f case-${i}.yaml --dry-run=server` }))],
      1,
      files,
    );
    const printed = transcript
      .trim()
      .split('\n\n')
      .map((block) => block.split('\n').slice(1, -1).filter((l) => !/^\S+ created \(server dry run\)$/.test(l)).join('\n'));
    expect(printed).toEqual(CASES.map((c, i) => c.stderr.trimEnd().replaceAll('"web.yaml"', `"case-${i}.yaml"`).replace('parsing web.yaml', `parsing case-${i}.yaml`)));
  });
});
