import { parseDuration } from '../engine/duration';
import type { Fault } from '../engine/faults';
import { formatPath, type JsonPath, validateSchema } from '../engine/schema/jsonSchema';
import { DEFAULT_ETCD_SETTINGS, type EtcdSettings } from '../engine/store/etcdMember';
import { buildTopology, DEFAULT_CLUSTER_SPEC, TopologyError, type ClusterSpec } from '../engine/topology';
import { SCENARIO_SCHEMA } from './scenarioSchema';
import { parseYaml, type SourcePosition } from './yamlSource';

export const SCENARIO_API_VERSION = 'kubeplay/v1';

export type ScenarioAction =
  | { readonly atMs: number; readonly kind: 'kubectl'; readonly command: string; readonly stdin?: string }
  | { readonly atMs: number; readonly kind: 'etcdctl'; readonly command: string }
  | { readonly atMs: number; readonly kind: 'curl'; readonly command: string }
  | { readonly atMs: number; readonly kind: 'load'; readonly command: string }
  | { readonly atMs: number; readonly kind: 'fault'; readonly fault: Fault };

export interface Scenario {
  readonly name: string;
  readonly description?: string;
  readonly seed: number | string;
  readonly cluster: ClusterSpec;
  /** etcd timings after the scenario's overrides. */
  readonly etcd: EtcdSettings;
  readonly manifests: string;
  /** Files `kubectl … -f NAME` can read, by name. */
  readonly files?: Readonly<Record<string, string>>;
  /** In time order. */
  readonly actions: readonly ScenarioAction[];
}

export interface ScenarioError extends SourcePosition {
  /** The field, as Kubernetes writes paths: actions[2].fault.kill. */
  readonly field: string;
  readonly message: string;
}

export type ScenarioResult = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly errors: readonly ScenarioError[] };

/** "scenario.yaml:12:5: actions[1].fault.kill: no host or zone named "worker-9"". */
export function formatScenarioError(file: string, e: ScenarioError): string {
  return `${file}:${e.line}:${e.column}: ${e.field ? `${e.field}: ` : ''}${e.message}`;
}

interface RawScenario {
  metadata: { name: string; description?: string };
  seed?: number | string;
  cluster?: ClusterSpec;
  settings?: { etcdHeartbeatInterval?: string; etcdElectionTimeout?: string; etcdRequestTimeout?: string };
  manifests?: string;
  files?: Record<string, string>;
  actions?: ({ at: string | 0 } & ({ kubectl: string; stdin?: string } | { etcdctl: string } | { curl: string } | { load: string } | { fault: RawFault }))[];
}

type RawFault = Exclude<Fault, { latency: unknown }> | { latency: { between: [string, string]; delay: string } };

/**
 * Reads a Scenario document: YAML syntax, then the schema, then what only the
 * meaning can tell (durations, time order, topology, fault targets). Every error
 * says the line and column and the field it is about; nothing partial is returned.
 */
export function parseScenario(text: string): ScenarioResult {
  const parsed = parseYaml(text);
  if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors.map((e) => ({ ...e, field: '' })) };
  const doc = parsed.documents[0];
  if (doc === undefined) return { ok: false, errors: [{ line: 1, column: 1, field: '', message: 'the file is empty: a Scenario needs apiVersion, kind and metadata' }] };
  if (parsed.documents.length > 1) {
    const second = parsed.documents[1] as (typeof parsed.documents)[number];
    return { ok: false, errors: [{ ...second.positionOf([]), field: '', message: 'a scenario file holds one document; put manifests under `manifests: |`' }] };
  }
  const errors: ScenarioError[] = [];
  const at = (path: JsonPath, message: string): void => {
    errors.push({ ...doc.positionOf(path), field: formatPath(path), message });
  };

  const value = doc.value as Record<string, unknown>;
  if (value !== null && typeof value === 'object' && value.apiVersion !== undefined && value.apiVersion !== SCENARIO_API_VERSION) {
    at(['apiVersion'], `unsupported version ${JSON.stringify(value.apiVersion)}: this Kubeplay reads ${SCENARIO_API_VERSION}`);
    return { ok: false, errors };
  }
  for (const e of validateSchema(SCENARIO_SCHEMA, doc.value)) at(e.path, e.message);
  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };

  const raw = doc.value as RawScenario;
  const cluster = raw.cluster ?? DEFAULT_CLUSTER_SPEC;
  let hosts: string[] = [];
  try {
    const nodes = buildTopology(cluster);
    hosts = [...nodes.map((n) => n.name), ...cluster.zones, '*'];
  } catch (err) {
    if (!(err instanceof TopologyError)) throw err;
    at(err.path, err.message.slice(err.message.indexOf(': ') + 2));
  }

  const duration = (path: JsonPath, text: string): number => {
    try {
      return parseDuration(text);
    } catch (err) {
      at(path, (err as Error).message);
      return 0;
    }
  };
  const etcd = etcdSettings(raw.settings, duration);

  const actions: ScenarioAction[] = [];
  let last = 0;
  (raw.actions ?? []).forEach((a, i) => {
    const atMs = a.at === 0 ? 0 : duration(['actions', i, 'at'], a.at);
    if (atMs < last) at(['actions', i, 'at'], `actions must be in time order: ${a.at} comes after an action at ${last} ms`);
    last = Math.max(last, atMs);
    if ('kubectl' in a) actions.push({ atMs, kind: 'kubectl', command: a.kubectl, ...(a.stdin === undefined ? {} : { stdin: a.stdin }) });
    else if ('etcdctl' in a) actions.push({ atMs, kind: 'etcdctl', command: a.etcdctl });
    else if ('curl' in a) actions.push({ atMs, kind: 'curl', command: a.curl });
    else if ('load' in a) actions.push({ atMs, kind: 'load', command: a.load });
    else {
      const fault = toFault(a.fault, ['actions', i, 'fault'], duration);
      for (const [path, target] of faultTargets(fault, ['actions', i, 'fault'])) {
        if (hosts.length > 0 && !hosts.includes(target)) at(path, `no host or zone named "${target}" in this cluster`);
      }
      actions.push({ atMs, kind: 'fault', fault });
    }
  });

  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };
  return {
    ok: true,
    scenario: {
      name: raw.metadata.name,
      ...(raw.metadata.description === undefined ? {} : { description: raw.metadata.description }),
      seed: raw.seed ?? 1,
      cluster,
      etcd,
      manifests: raw.manifests ?? '',
      ...(raw.files === undefined ? {} : { files: raw.files }),
      actions,
    },
  };
}

function etcdSettings(settings: RawScenario['settings'], duration: (path: JsonPath, text: string) => number): EtcdSettings {
  const s = { ...DEFAULT_ETCD_SETTINGS };
  if (settings?.etcdHeartbeatInterval !== undefined) s.tickMs = duration(['settings', 'etcdHeartbeatInterval'], settings.etcdHeartbeatInterval);
  if (settings?.etcdElectionTimeout !== undefined) {
    const ms = duration(['settings', 'etcdElectionTimeout'], settings.etcdElectionTimeout);
    s.electionTicks = Math.max(2, Math.round(ms / Math.max(1, s.tickMs)));
  }
  if (settings?.etcdRequestTimeout !== undefined) s.requestTimeoutMs = duration(['settings', 'etcdRequestTimeout'], settings.etcdRequestTimeout);
  return s;
}

function toFault(raw: RawFault, path: JsonPath, duration: (path: JsonPath, text: string) => number): Fault {
  if ('latency' in raw) {
    return { latency: { between: raw.latency.between, extraMs: duration([...path, 'latency', 'delay'], raw.latency.delay) } };
  }
  return raw;
}

/** Every host or zone a fault names, with the path it is written at. */
function faultTargets(f: Fault, path: JsonPath): [JsonPath, string][] {
  if ('kill' in f) return [[[...path, 'kill'], f.kill]];
  if ('restart' in f) return [[[...path, 'restart'], f.restart]];
  if ('isolate' in f) return [[[...path, 'isolate'], f.isolate]];
  if ('stopKubelet' in f) return [[[...path, 'stopKubelet'], f.stopKubelet]];
  if ('startKubelet' in f) return [[[...path, 'startKubelet'], f.startKubelet]];
  if ('partition' in f) return f.partition.flatMap((g, i) => g.map((t, j): [JsonPath, string] => [[...path, 'partition', i, j], t]));
  if ('loss' in f) return f.loss.between.map((t, j): [JsonPath, string] => [[...path, 'loss', 'between', j], t]);
  if ('latency' in f) return f.latency.between.map((t, j): [JsonPath, string] => [[...path, 'latency', 'between', j], t]);
  return [];
}

function sortErrors(errors: ScenarioError[]): ScenarioError[] {
  return [...errors].sort((a, b) => a.line - b.line || a.column - b.column);
}
