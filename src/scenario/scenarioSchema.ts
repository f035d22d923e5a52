import type { JsonSchema } from '../engine/schema/jsonSchema';

/** A duration as Go writes it: "500ms", "90s", "2m30s", "1h". */
const duration: JsonSchema = {
  type: 'string',
  pattern: '^([0-9]+(\\.[0-9]*)?(ms|s|m|h))+$|^0$',
  description: 'A duration as kubectl and Go write it: 500ms, 90s, 2m30s, 1h.',
};
const name: JsonSchema = { type: 'string', minLength: 1, description: 'A host (master-1, worker-2) or a zone (zone-a).' };
const pair: JsonSchema = { type: 'array', items: name, minItems: 2, maxItems: 2, description: 'Two hosts or zones ("*" for every host): the links between them, both ways.' };
const fault = (key: string, value: JsonSchema, description: string): JsonSchema => ({
  type: 'object',
  required: [key],
  additionalProperties: false,
  properties: { [key]: { ...value, description } },
});

/** The fault forms a scenario can write; each becomes one engine Fault. */
export const FAULT_SCHEMA: JsonSchema = {
  oneOf: [
    fault('kill', name, 'Kill a host, or every host of a zone.'),
    fault('restart', name, 'Restart a killed host, or every host of a zone.'),
    fault('isolate', name, 'Cut one host off from every other host.'),
    fault('partition', { type: 'array', minItems: 1, items: { type: 'array', minItems: 1, items: name } }, 'Split the network into groups of hosts or zones; hosts in no group form one more group.'),
    fault('heal', { type: 'string', enum: ['all', 'partitions', 'links'] }, 'Remove partitions, link faults (loss, latency), or both.'),
    fault(
      'loss',
      { type: 'object', required: ['between', 'probability'], additionalProperties: false, properties: { between: pair, probability: { type: 'number', minimum: 0, maximum: 1 } } },
      'Lose a share of the messages between two hosts or zones.',
    ),
    fault(
      'latency',
      { type: 'object', required: ['between', 'delay'], additionalProperties: false, properties: { between: pair, delay: duration } },
      'Delay the messages between two hosts or zones.',
    ),
    fault('duplicate', { type: 'number', minimum: 0, maximum: 1 }, 'Deliver this share of all messages twice.'),
    fault('reorder', { type: 'boolean' }, 'Let messages overtake each other.'),
    fault('stopKubelet', name, 'Stop the kubelet of a node, or of every node of a zone (systemctl stop kubelet): its containers keep running, nobody reports for the node.'),
    fault('startKubelet', name, 'Start a stopped kubelet again.'),
  ],
};

const action = (key: string, extra: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  required: ['at', key],
  additionalProperties: false,
  properties: {
    at: { anyOf: [duration, { const: 0 }], description: 'When, in virtual time from the start: 0s, 60s, 2m30s.' },
    ...(key === 'fault' ? { fault: FAULT_SCHEMA } : { [key]: { type: 'string', description: `The ${key} command line, without "${key}".` } }),
    ...extra,
  },
});

/** The Scenario format (apiVersion kubeplay/v1): lessons, share links, tests and the CLI all read it. */
export const SCENARIO_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'kubeplay/v1', description: 'The version of the Scenario format.' },
    kind: { const: 'Scenario' },
    metadata: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
        description: { type: 'string' },
      },
    },
    seed: { type: ['integer', 'string'], description: 'The seed of every random choice: the same seed and actions give the same run.' },
    cluster: {
      type: 'object',
      required: ['zones', 'masters', 'workers'],
      additionalProperties: false,
      properties: {
        zones: { type: 'array', minItems: 1, items: { type: 'string' } },
        masters: {
          type: 'object',
          required: ['count'],
          additionalProperties: false,
          properties: { count: { type: 'integer' }, zones: { type: 'array', items: { type: 'string' } }, cpu: { type: ['string', 'integer'] }, memory: { type: 'string' } },
        },
        workers: {
          type: 'object',
          required: ['count'],
          additionalProperties: false,
          properties: {
            count: { type: 'integer' },
            spread: { type: 'array', items: { type: 'string' } },
            cpu: { type: ['string', 'integer'] },
            memory: { type: 'string' },
            maxPods: { type: 'integer' },
          },
        },
      },
    },
    settings: {
      type: 'object',
      additionalProperties: false,
      description: 'Overrides of the default timings, to make a lesson quicker. The UI shows which are in force.',
      properties: {
        etcdHeartbeatInterval: { ...duration, description: "etcd's --heartbeat-interval (default 100ms)." },
        etcdElectionTimeout: { ...duration, description: "etcd's --election-timeout (default 1s): 10 heartbeats unless both are set." },
        etcdRequestTimeout: { ...duration, description: 'How long an etcd request may wait for a commit (default 7s).' },
      },
    },
    manifests: { type: 'string', description: 'Kubernetes manifests (documents split by ---) that `kubectl apply -f -` applies.' },
    files: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Files by name (web.yaml: |) that `kubectl apply|create|delete -f web.yaml` reads.',
    },
    actions: { type: 'array', items: { oneOf: [action('kubectl', { stdin: { type: 'string' } }), action('etcdctl'), action('curl'), action('load'), action('fault')] } },
  },
};
