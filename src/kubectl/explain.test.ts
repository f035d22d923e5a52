import { describe, expect, it } from 'vitest';
import full from '../generated/kubernetes-schemas.full.json';
import { explain, type ExplainSchemas } from './explain';

// Expected texts follow kubectl 1.31's plaintext template: a 12-column header, "FIELD:" followed
// by two blank lines, descriptions wrapped at 76 and indented 4 (the DESCRIPTION block ends with
// an indented empty line), FIELDS entries as "  name<TAB><type>", and one more newline at the end.
const schemas: ExplainSchemas = full;
const run = (target: string | undefined, recursive = false, apiVersion?: string) => explain(schemas, target, { recursive, apiVersion });

describe('kubectl explain', () => {
  it('explains a scalar field with FIELD, its type and the wrapped description', () => {
    expect(run('deployment.spec.replicas')).toEqual({
      exitCode: 0,
      stdout: [
        'GROUP:      apps',
        'KIND:       Deployment',
        'VERSION:    v1',
        '',
        'FIELD: replicas <integer>',
        '',
        '',
        'DESCRIPTION:',
        '    Number of desired pods. This is a pointer to distinguish between explicit',
        '    zero and not specified. Defaults to 1.',
        '    ',
        '',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('explains a resource: no GROUP line for the core group, fields sorted with their descriptions', () => {
    const { stdout } = run('pods');
    expect(stdout.startsWith([
      'KIND:       Pod',
      'VERSION:    v1',
      '',
      'DESCRIPTION:',
      '    Pod is a collection of containers that can run on a host. This resource is',
      '    created by clients and scheduled onto hosts.',
      '    ',
      'FIELDS:',
      '  apiVersion\t<string>',
      '    APIVersion defines the versioned schema of this representation of an object.',
      '    Servers should convert recognized schemas to the latest internal value, and',
      '    may reject unrecognized values. More info:',
      '    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      '',
      '  kind\t<string>',
      '    Kind is a string value representing the REST resource this object',
      '    represents. Servers may infer this from the endpoint the client submits',
      '    requests to. Cannot be updated. In CamelCase. More info:',
      '    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      '',
      '  metadata\t<ObjectMeta>',
      '',
    ].join('\n'))).toBe(true);
    expect(stdout).toContain('\n  spec\t<PodSpec>\n');
    expect(stdout.endsWith('#spec-and-status\n\n\n')).toBe(true);
  });

  it('explains an array of objects with both descriptions and the item type’s fields', () => {
    const { stdout } = run('pod.spec.containers');
    expect(stdout.startsWith([
      'KIND:       Pod',
      'VERSION:    v1',
      '',
      'FIELD: containers <[]Container>',
      '',
      '',
      'DESCRIPTION:',
      '    List of containers belonging to the pod. Containers cannot currently be',
      '    added or removed. There must be at least one container in a Pod. Cannot be',
      '    updated.',
      '    A single application container that you want to run within a pod.',
      '    ',
      'FIELDS:',
      '  args\t<[]string>',
      '',
    ].join('\n'))).toBe(true);
    expect(stdout).toContain([
      '  image\t<string>',
      '    Container image name. More info:',
      '    https://kubernetes.io/docs/concepts/containers/images This field is optional',
      '    to allow higher level config management to default or override container',
      '    images in workload controllers like Deployments and StatefulSets.',
      '',
      '',
    ].join('\n'));
    expect(stdout).toContain('\n  name\t<string> -required-\n    Name of the container specified as a DNS_LABEL.');
    expect(stdout).toContain('\n  env\t<[]EnvVar>\n');
    expect(stdout).toContain('\n  resources\t<ResourceRequirements>\n');
  });

  it('--recursive prints the field tree with types only, two spaces per level', () => {
    expect(run('deploy.spec.selector', true).stdout).toBe([
      'GROUP:      apps',
      'KIND:       Deployment',
      'VERSION:    v1',
      '',
      'FIELD: selector <LabelSelector>',
      '',
      '',
      'DESCRIPTION:',
      '    Label selector for pods. Existing ReplicaSets whose pods are selected by',
      '    this will be the ones affected by this deployment. It must match the pod',
      "    template's labels.",
      '    A label selector is a label query over a set of resources. The result of',
      '    matchLabels and matchExpressions are ANDed. An empty label selector matches',
      '    all objects. A null label selector matches no objects.',
      '    ',
      'FIELDS:',
      '  matchExpressions\t<[]LabelSelectorRequirement>',
      '    key\t<string> -required-',
      '    operator\t<string> -required-',
      '    values\t<[]string>',
      '  matchLabels\t<map[string]string>',
      '',
      '',
    ].join('\n'));
  });

  it('--recursive on the deployment strategy names IntOrString fields', () => {
    // The served 1.31 schema also has an enum on `type`, which adds "  enum: Recreate, RollingUpdate";
    // the generated schemas carry no enums.
    const { stdout } = run('deployment.spec.strategy', true);
    expect(stdout).toContain('\nFIELD: strategy <DeploymentStrategy>\n\n\nDESCRIPTION:\n    The deployment strategy to use to replace existing pods with new ones.\n    DeploymentStrategy describes how to replace existing pods with new ones.\n    \n');
    expect(stdout.endsWith('FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<IntOrString>\n    maxUnavailable\t<IntOrString>\n  type\t<string>\n\n')).toBe(true);
  });

  it('names maps of quantities, timestamps and int-or-string fields as kubectl does', () => {
    expect(run('pod.spec.containers.resources').stdout).toContain('\n  limits\t<map[string]Quantity>\n');
    expect(run('pod.metadata').stdout).toContain('\n  creationTimestamp\t<string>\n');
    expect(run('svc.spec.ports').stdout).toContain('\nFIELD: ports <[]ServicePort>\n');
    expect(run('svc.spec.ports').stdout).toContain('\n  port\t<integer> -required-\n');
    expect(run('deployment.spec.strategy.rollingUpdate.maxSurge').stdout).toContain('\nFIELD: maxSurge <IntOrString>\n\n\nDESCRIPTION:\n    The maximum number of pods that can be scheduled above the desired number of\n    pods.');
  });

  it('resolves the resource like kubectl: plural, singular, short name, kind, plural.group', () => {
    const expected = run('deployments.spec.paused').stdout;
    expect(expected).toContain('FIELD: paused <boolean>');
    for (const name of ['deployment', 'deploy', 'Deployment', 'deployments.apps']) expect(run(`${name}.spec.paused`).stdout).toBe(expected);
    expect(run('hpa').stdout.startsWith('GROUP:      autoscaling\nKIND:       HorizontalPodAutoscaler\nVERSION:    v2\n\n')).toBe(true);
    expect(run('pods.').stdout).toBe(run('pods').stdout);
  });

  it('fails on an unknown resource', () => {
    expect(run('foo')).toEqual({ exitCode: 1, stdout: '', stderr: 'error: the server doesn\'t have a resource type "foo"\n' });
  });

  it('fails on an unknown field after printing the header, naming the last field of the path', () => {
    expect(run('pods.spec.foo')).toEqual({ exitCode: 1, stdout: 'KIND:       Pod\nVERSION:    v1\n\n', stderr: 'error: field "foo" does not exist\n' });
    expect(run('deployment.FIELDS.metadata').stderr).toBe('error: field "metadata" does not exist\n');
    expect(run('deploy.spec.replicas.x').stderr).toBe('error: field "x" does not exist\n');
  });

  it('fails without a resource', () => {
    expect(run(undefined)).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n',
    });
  });

  it('honours --api-version, and rejects versions the server does not serve', () => {
    expect(run('deploy.spec.replicas', false, 'apps/v1').stdout).toBe(run('deploy.spec.replicas').stdout);
    expect(run('deployments.apps', false, 'apps/v1').stderr).toBe('error: field "apps" does not exist\n');
    expect(run('deploy', false, 'apps/v1beta1').stderr).toBe('error: couldn\'t find resource for "apps/v1beta1, Resource=deployments"\n');
    expect(run('deploy', false, 'v1').stderr).toBe('error: GVR (/v1, Resource=deployments) not found in OpenAPI schema\n');
  });

  it('prints enum values the way the template does, four at most in the field list', () => {
    const small: ExplainSchemas = {
      kinds: { 'v1/Pod': { $ref: '#/definitions/Pod' } },
      definitions: {
        Pod: {
          type: 'object',
          description: 'A pod.',
          properties: {
            level: { type: 'string', enum: ['', 'A', 'B', 'C', 'D'], description: 'How much.' },
            mode: { type: 'string', enum: ['On', 'Off'] },
          },
        },
      },
    };
    expect(explain(small, 'pods', { recursive: false }).stdout).toBe(
      'KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n    A pod.\n    \nFIELDS:\n' +
        '  level\t<string>\n  enum: "", A, B, C, ....\n    How much.\n\n' +
        '  mode\t<string>\n  enum: On, Off\n    <no description>\n\n\n',
    );
    expect(explain(small, 'pods.mode', { recursive: false }).stdout).toBe('KIND:       Pod\nVERSION:    v1\n\nFIELD: mode <string>\nENUM:\n    On\n    Off\n\nDESCRIPTION:\n    <empty>\n\n');
  });
});
