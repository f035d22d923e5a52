import type { KubeObject } from '../../engine/apiserver/apiObjects';
import type { ResourceType } from '../../engine/apiserver/resources';
import type { FlagSpec } from '../flags';
import { fail, flagString, type KubectlCommand, type KubectlFlags, type KubectlResult } from '../kubectlEnv';
import { withoutNullTimestamps } from '../manifests';
import { formatStatus } from '../printers';
import { clientFor } from './client';
import { printEach, printFormatError } from './create';
import { MISSING_RESOURCE } from './resourceArgs';
import { fetchObject, isResult, parseTarget } from './target';

/** The flags `kubectl expose` declares (besides -n and --context). */
export const EXPOSE_FLAGS: readonly FlagSpec[] = [
  ...['port', 'protocol', 'target-port', 'type', 'name', 'selector', 'cluster-ip', 'external-ip', 'load-balancer-ip', 'session-affinity'].map((name): FlagSpec => ({ name, kind: 'string' })),
  { name: 'labels', short: 'l', kind: 'string' },
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'dry-run', kind: 'string', noOptDefault: 'client' },
];

/** What the flags ask of the new Service; unset flags are taken from the exposed object. */
export interface ExposeOptions {
  readonly port?: string;
  readonly protocol?: string;
  readonly targetPort?: string;
  readonly type?: string;
  readonly name?: string;
  readonly selector?: string;
  readonly labels?: string;
  readonly clusterIP?: string;
  readonly externalIP?: string;
  readonly loadBalancerIP?: string;
  readonly sessionAffinity?: string;
  /** Set on the printed object with --dry-run=client when -n was given. */
  readonly namespace?: string;
}

type Labels = Record<string, string>;
type Fail = { readonly error: string };
type Obj = Record<string, unknown>;

/** The kinds kubectl can expose, by group and kind. */
const EXPOSABLE = new Set(['/Pod', '/Service', '/ReplicationController', 'apps/Deployment', 'apps/ReplicaSet']);

interface PodSpecLike {
  containers?: { ports?: { containerPort?: number; protocol?: string }[] }[];
}

/**
 * `kubectl expose TYPE NAME|TYPE/NAME [--port] [--target-port] [--type] [--name] [--protocol]
 * [--selector] [-l] [--cluster-ip] …`: reads the object, builds the Service kubectl builds from
 * it and creates it ("service/web exposed"), or with --dry-run=client -o yaml prints it.
 */
export const expose: KubectlCommand = (env, args, flags, _stdin, done) => {
  if (args.length === 0) return done(fail(MISSING_RESOURCE));
  const target = parseTarget(args);
  if ('error' in target) return done(fail(target.error));
  const formatError = printFormatError(flags.output);
  if (formatError !== undefined) return done(fail(formatError));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  const { type, name } = target;
  fetchObject(client, type, type.namespaced ? (flags.namespace ?? 'default') : undefined, name, (object) => {
    if (isResult(object)) return done(object);
    const built = exposedService(type, object, optionsFrom(flags));
    if ('error' in built) return done(fail(`error: ${built.error}`));
    const dryRun = flags.dryRun ?? 'none';
    if (dryRun === 'client') return done(report(built.object, flags));
    const body = withoutNullTimestamps(built.object);
    client.request({ verb: 'create', body, namespace: flags.namespace ?? 'default', ...(dryRun === 'server' ? { dryRun: true } : {}) }, (r) => {
      if (!r.ok) return done(fail(r.error));
      if (!r.result.ok) return done(fail(formatStatus(r.result.status)));
      done(report(r.result.value as KubeObject, flags));
    });
  });
};

function optionsFrom(flags: KubectlFlags): ExposeOptions {
  const names: [keyof ExposeOptions, string][] = [
    ['port', 'port'],
    ['protocol', 'protocol'],
    ['targetPort', 'target-port'],
    ['type', 'type'],
    ['name', 'name'],
    ['labels', 'labels'],
    ['clusterIP', 'cluster-ip'],
    ['externalIP', 'external-ip'],
    ['loadBalancerIP', 'load-balancer-ip'],
    ['sessionAffinity', 'session-affinity'],
  ];
  const opts: Record<string, string> = {};
  for (const [key, flag] of names) {
    const v = flagString(flags, flag);
    if (v !== undefined && v !== '') opts[key] = v;
  }
  if (flags.selector) opts.selector = flags.selector;
  // kubectl sets the namespace on a client-side object only when one was given.
  if (flags.dryRun === 'client' && flags.namespace !== undefined) opts.namespace = flags.namespace;
  return opts;
}

/** "service/web exposed" (with the dry-run suffix), or the object as -o prints it. */
function report(service: KubeObject, flags: KubectlFlags): KubectlResult {
  const output = flags.output ?? '';
  if (output !== '') {
    const p = printEach(output, [service]);
    return 'error' in p ? fail(p.error) : { exitCode: 0, stdout: p.stdout, stderr: '' };
  }
  const suffix = flags.dryRun === 'client' ? ' (dry run)' : flags.dryRun === 'server' ? ' (server dry run)' : '';
  return { exitCode: 0, stdout: `service/${service.metadata.name ?? ''} exposed${suffix}\n`, stderr: '' };
}

/**
 * The Service kubectl expose builds for an object: its selector (the workload's matchLabels, a
 * pod's labels, a Service's selector), its ports (from the containers when --port is not given;
 * named port-1, port-2… only when there are several), the target port defaulting to the port,
 * and the object's own labels. The error is the text kubectl prints after "error: ".
 */
export function exposedService(type: ResourceType, object: KubeObject, opts: ExposeOptions): { object: KubeObject } | Fail {
  if (!EXPOSABLE.has(`${type.group}/${type.kind}`)) return { error: `cannot expose a ${type.kind}${type.group === '' ? '' : `.${type.group}`}` };
  // What the flags leave out is read off the object first, in kubectl's order; the flags' own syntax is checked after.
  let selector: Labels | string;
  if (opts.selector !== undefined) selector = opts.selector;
  else {
    const found = selectorOf(type, object);
    if ('error' in found) return { error: `couldn't retrieve selectors via --selector flag or introspection: ${found.error}` };
    selector = found.labels;
  }
  const declared = portsOf(type, object);
  const ports = opts.port !== undefined ? opts.port.split(',') : [...new Set(declared.map((p) => String(p.port)))];
  if (ports.length === 0 && opts.clusterIP !== 'None') return { error: "couldn't find port via --port flag or introspection" };
  if (typeof selector === 'string') {
    const parsed = parseLabels(selector);
    if ('error' in parsed) return parsed;
    selector = parsed.labels;
  }
  if (Object.keys(selector).length === 0) return { error: 'selector must be specified' };
  const labels = opts.labels === undefined ? { labels: { ...(object.metadata.labels ?? {}) } } : parseLabels(opts.labels);
  if ('error' in labels) return labels;
  const servicePorts = buildPorts(ports, opts.protocol, protocolsByPort(declared));
  if ('error' in servicePorts) return servicePorts;
  const targetPort = opts.targetPort === undefined ? undefined : /^[+-]?\d+$/.test(opts.targetPort) ? Number(opts.targetPort) : opts.targetPort;
  for (const p of servicePorts) p.targetPort = targetPort ?? p.port;

  const spec: Obj = { ...(servicePorts.length > 0 ? { ports: servicePorts } : {}), selector };
  if (opts.externalIP !== undefined) spec.externalIPs = [opts.externalIP];
  if (opts.type !== undefined) spec.type = opts.type;
  if (opts.type === 'LoadBalancer' && opts.loadBalancerIP !== undefined) spec.loadBalancerIP = opts.loadBalancerIP;
  if (opts.sessionAffinity !== undefined) {
    if (opts.sessionAffinity !== 'None' && opts.sessionAffinity !== 'ClientIP') return { error: `unknown session affinity: ${opts.sessionAffinity}` };
    spec.sessionAffinity = opts.sessionAffinity;
  }
  if (opts.clusterIP !== undefined) spec.clusterIP = opts.clusterIP;
  // The exposed object's name, cut to a DNS label's 63 characters.
  const name = opts.name ?? (object.metadata.name ?? '').slice(0, 63);
  const metadata: Obj = { creationTimestamp: null, name, ...(Object.keys(labels.labels).length > 0 ? { labels: labels.labels } : {}), ...(opts.namespace === undefined ? {} : { namespace: opts.namespace }) };
  return { object: { apiVersion: 'v1', kind: 'Service', metadata: metadata as KubeObject['metadata'], spec, status: { loadBalancer: {} } } };
}

/** The pods the object selects, as a map (kubectl's MapBasedSelectorForObject), or why it has none usable. */
function selectorOf(type: ResourceType, object: KubeObject): { labels: Labels } | Fail {
  const spec = (object.spec ?? {}) as { selector?: unknown };
  if (type.kind === 'Pod') {
    const labels = object.metadata.labels ?? {};
    return Object.keys(labels).length === 0 ? { error: 'the pod has no labels and cannot be exposed' } : { labels: { ...labels } };
  }
  if (type.kind === 'Service' || type.kind === 'ReplicationController') {
    if (spec.selector === undefined) return { error: 'the service has no pod selector set' };
    return { labels: { ...(spec.selector as Labels) } };
  }
  const sel = (spec.selector ?? {}) as { matchLabels?: Labels; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  const what = type.kind.toLowerCase();
  if (Object.keys(sel.matchLabels ?? {}).length === 0) return { error: `invalid ${what}: no selectors, therefore cannot be exposed` };
  const exprs = sel.matchExpressions ?? [];
  // Go's %+v of the requirements: [{Key:tier Operator:In Values:[web api]}].
  if (exprs.length > 0) return { error: `couldn't convert expressions - "[${exprs.map((e) => `{Key:${e.key} Operator:${e.operator} Values:[${(e.values ?? []).join(' ')}]}`).join(' ')}]" to map-based selector format` };
  return { labels: { ...(sel.matchLabels ?? {}) } };
}

/** The ports the object declares, in order: its containers' (pod template's) or a Service's own. */
function portsOf(type: ResourceType, object: KubeObject): { port: number; protocol: string }[] {
  const spec = (object.spec ?? {}) as { ports?: { port?: number; protocol?: string }[]; template?: { spec?: PodSpecLike } };
  if (type.kind === 'Service') return (spec.ports ?? []).map((p) => ({ port: p.port ?? 0, protocol: p.protocol || 'TCP' }));
  const podSpec = type.kind === 'Pod' ? (object.spec as PodSpecLike | undefined) : spec.template?.spec;
  return (podSpec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => ({ port: p.containerPort ?? 0, protocol: p.protocol || 'TCP' })));
}

function protocolsByPort(declared: readonly { port: number; protocol: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of declared) out.set(String(p.port), [...(out.get(String(p.port)) ?? []), p.protocol]);
  return out;
}

/**
 * The Service's ports: each number parsed as strconv.Atoi does; a port the object serves over
 * several protocols becomes one entry per protocol (port-1-tcp, port-1-udp). --protocol wins.
 */
function buildPorts(ports: readonly string[], protocol: string | undefined, known: ReadonlyMap<string, string[]>): { name?: string; port: number; protocol: string; targetPort?: number | string }[] | Fail {
  const out: { name?: string; port: number; protocol: string; targetPort?: number | string }[] = [];
  for (const [i, text] of ports.entries()) {
    if (!/^[+-]?\d+$/.test(text)) return { error: `strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax` };
    const port = Number(text);
    const name = ports.length > 1 ? { name: `port-${i + 1}` } : {};
    const served = known.get(text) ?? [];
    if (protocol === undefined && served.length > 1) {
      for (const p of served) out.push({ name: `port-${i + 1}-${p.toLowerCase()}`, port, protocol: p });
      continue;
    }
    out.push({ ...name, port, protocol: protocol ?? served[0] ?? 'TCP' });
  }
  return out;
}

/** "k=v,k2=v2" as kubectl expose reads --selector and --labels. */
function parseLabels(spec: string): { labels: Labels } | Fail {
  const labels: Labels = {};
  for (const pair of spec.split(',')) {
    const parts = pair.split('=');
    if (parts.length !== 2) return { error: `unexpected label spec: ${pair}` };
    const [key = '', value = ''] = parts;
    if (key === '') return { error: 'unexpected empty label key' };
    labels[key] = value;
  }
  return { labels };
}
