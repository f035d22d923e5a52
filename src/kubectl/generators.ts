import type { KubeObject, ObjectMeta, Status } from '../engine/apiserver/apiObjects';
import { resourceForKind } from '../engine/apiserver/resources';
import { encodeBase64 } from '../engine/encoding';
import { formatStatus, objectRef } from './printers';

/**
 * The objects `kubectl create deployment|namespace|configmap|secret generic|service` and
 * `kubectl run` build on the client, as kubectl v1.31 builds them, and the errors it stops with.
 * The objects carry the same fields kubectl's Go structs serialize to (`creationTimestamp: null`,
 * `resources: {}`, `status: {}`...), so `-o yaml --dry-run=client` prints what kubectl prints.
 */
export type GeneratorResult = { readonly object: KubeObject } | { readonly error: string };

type Labels = Record<string, string>;
type StringMap = Record<string, string>;
type Fail = { readonly error: string };
const isFail = (v: unknown): v is Fail => typeof v === 'object' && v !== null && 'error' in v;

// ---------------------------------------------------------------------------------------------
// Error wording shared by the commands

/** Go's %q for the strings a command line carries (printable text: JSON quoting is the same). */
const q = (s: string): string => JSON.stringify(s);

/** cmdutil.UsageErrorf, as CheckErr prints it. */
const usageError = (command: string, msg: string): Fail => ({ error: `error: ${msg}\nSee '${command} -h' for help and examples` });

/** A pflag value that does not parse, through kubectl's flag error function. */
const flagError = (command: string, flag: string, value: string, err: string): Fail => ({
  error: `error: invalid argument ${q(value)} for ${q(flag)} flag: ${err}\nSee '${command} --help' for usage.`,
});

const requiredFlag = (name: string): Fail => ({ error: `error: required flag(s) "${name}" not set` });

/** create's NameFromCommandArgs: exactly one argument before `--`. */
function oneName(command: string, args: readonly string[]): string | Fail {
  const [name] = args;
  if (args.length !== 1 || name === undefined) return usageError(command, `exactly one NAME is required, got ${args.length}`);
  return name;
}

// ---------------------------------------------------------------------------------------------
// Go number parsing, with strconv's error text

const INT_SYNTAX: Record<string, RegExp> = {
  // Base 0: 0x/0o/0b prefixes, a bare leading 0 means octal, underscores only after a prefix or between digits.
  hex: /^0[xX](_?[0-9a-fA-F])+$/,
  oct: /^0[oO]?(_?[0-7])+$/,
  bin: /^0[bB](_?[01])+$/,
  dec: /^(0|[1-9](_?[0-9])*)$/,
};

/** strconv.ParseInt(s, 0, bits): what pflag's int and int32 flags use. */
function parseIntBase0(s: string, bits: 32 | 64): number | Fail {
  const err = (why: string): Fail => ({ error: `strconv.ParseInt: parsing ${q(s)}: ${why}` });
  const sign = s.startsWith('-') ? -1n : 1n;
  const body = s.replace(/^[+-]/, '');
  const kind = Object.keys(INT_SYNTAX).find((k) => INT_SYNTAX[k]?.test(body));
  if (kind === undefined) return err('invalid syntax');
  const digits = body.replace(/_/g, '');
  const value = sign * BigInt(kind === 'oct' ? `0o${digits.replace(/^0[oO]?/, '') || '0'}` : digits);
  const limit = 1n << BigInt(bits - 1);
  if (value >= limit || value < -limit) return err('value out of range');
  return Number(value);
}

/** strconv.Atoi: optional sign, decimal digits. */
function atoi(s: string): number | Fail {
  if (!/^[+-]?[0-9]+$/.test(s)) return { error: `strconv.Atoi: parsing ${q(s)}: invalid syntax` };
  const n = BigInt(s);
  if (n >= 1n << 63n || n < -(1n << 63n)) return { error: `strconv.Atoi: parsing ${q(s)}: value out of range` };
  return Number(n);
}

/** A pflag string slice: every occurrence is one CSV record ("a,b" or "\"a,b\",c"). */
function splitSlice(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (v === '') continue;
    const fields = v.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? [];
    for (const f of fields) {
      if (f === '') continue;
      const field = f.endsWith(',') ? f.slice(0, -1) : f;
      out.push(/^".*"$/.test(field) ? field.slice(1, -1).replace(/""/g, '"') : field);
    }
    if (v.endsWith(',')) out.push('');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Object building blocks

/** Client-side metadata: the zero creationTimestamp serializes as null, as kubectl prints it. */
function meta(name: string, namespace: string | undefined, labels?: Labels): ObjectMeta {
  const m: Record<string, unknown> = { name, creationTimestamp: null };
  if (labels !== undefined) m.labels = { ...labels };
  if (namespace !== undefined && namespace !== '') m.namespace = namespace;
  return m as ObjectMeta;
}


/** validation.IsConfigMapKey: the rules for ConfigMap and Secret keys. */
function configMapKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
    errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** util.ParseLiteralSource: "key=value", split at the first "=", the key not empty. */
function parseLiteral(source: string): [string, string] | Fail {
  const eq = source.indexOf('=');
  if (eq <= 0) return { error: `error: invalid literal source ${source}, expected key=value` };
  return [source.slice(0, eq), source.slice(eq + 1)];
}

// ---------------------------------------------------------------------------------------------
// kubectl create deployment

export interface DeploymentFlags {
  /** Each --image occurrence as typed; a comma splits one into several images (a pflag string slice). */
  image: string[];
  /** -r/--replicas as typed. */
  replicas?: string;
  port?: string;
  namespace?: string;
  /** The words after `--`: the containers' command. */
  rest?: string[];
}

/** utilrand.String's alphabet: no vowels, no look-alike digits. */
const RAND_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The container name kubectl derives from an image: the last path segment without tag or
 * digest; "." and "_" become "-" and then a random 5-character suffix keeps names unique.
 */
export function containerNameForImage(image: string, randInt: (n: number) => number): string {
  let name = image.split('/').pop() ?? '';
  if (name.includes(':')) name = name.split(':')[0] ?? '';
  if (name.includes('@')) name = name.split('@')[0] ?? '';
  if (!/[_.]/.test(name)) return name;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += RAND_ALPHABET[randInt(RAND_ALPHABET.length)] ?? 'b';
  return `${name.replace(/[_.]/g, '-')}-${suffix}`;
}

/**
 * `kubectl create deployment NAME --image=IMAGE [--replicas=N] [--port=P] [-- COMMAND...]`.
 * randInt(n) draws from [0, n) for the suffix of a container name made DNS-safe.
 */
export function createDeployment(args: readonly string[], flags: DeploymentFlags, randInt: (n: number) => number = () => 0): GeneratorResult {
  const cmd = 'kubectl create deployment';
  const replicas = flags.replicas === undefined ? 1 : parseIntBase0(flags.replicas, 32);
  if (isFail(replicas)) return flagError(cmd, '-r, --replicas', flags.replicas ?? '', replicas.error);
  const port = flags.port === undefined ? -1 : parseIntBase0(flags.port, 32);
  if (isFail(port)) return flagError(cmd, '--port', flags.port ?? '', port.error);
  if (flags.image.length === 0) return requiredFlag('image');
  const name = oneName(cmd, args);
  if (isFail(name)) return name;
  const images = splitSlice(flags.image);
  const command = flags.rest ?? [];
  if (images.length > 1 && command.length > 0) return { error: 'error: cannot specify multiple --image options and command' };

  const labels = { app: name };
  const containers = images.map((image, i) => ({
    name: containerNameForImage(image, randInt),
    image,
    ...(command.length > 0 ? { command: [...command] } : {}),
    ...(i === 0 && port >= 0 ? { ports: [{ containerPort: port }] } : {}),
    resources: {},
  }));
  return {
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(name, flags.namespace, labels),
      spec: {
        replicas,
        selector: { matchLabels: { ...labels } },
        strategy: {},
        // The pod template's metadata holds only the labels (and the zero timestamp).
        template: { metadata: { creationTimestamp: null, labels: { ...labels } }, spec: { containers } },
      },
      status: {},
    },
  };
}

// ---------------------------------------------------------------------------------------------
// kubectl create namespace

/** `kubectl create namespace NAME`. A Namespace has no namespace, whatever -n says. */
export function createNamespace(args: readonly string[]): GeneratorResult {
  const name = oneName('kubectl create namespace', args);
  if (isFail(name)) return name;
  if (name === '') return { error: 'error: name must be specified' };
  return { object: { apiVersion: 'v1', kind: 'Namespace', metadata: meta(name, undefined), spec: {}, status: {} } };
}

// ---------------------------------------------------------------------------------------------
// kubectl create configmap

export interface ConfigMapFlags {
  /** Each --from-literal occurrence (a string array: commas stay inside the value). */
  fromLiteral: string[];
  namespace?: string;
}

/** `kubectl create configmap NAME --from-literal=key=value...`. */
export function createConfigMap(args: readonly string[], flags: ConfigMapFlags): GeneratorResult {
  const name = oneName('kubectl create configmap', args);
  if (isFail(name)) return name;
  if (name === '') return { error: 'error: name must be specified' };
  const data: StringMap = {};
  for (const source of flags.fromLiteral) {
    const kv = parseLiteral(source);
    if (isFail(kv)) return kv;
    const [key, value] = kv;
    const errs = configMapKeyErrors(key);
    if (errs.length > 0) return { error: `error: ${q(key)} is not a valid key name for a ConfigMap: ${errs.join(',')}` };
    if (key in data) return { error: `error: cannot add key ${q(key)}, another key by that name already exists in Data for ConfigMap ${q(name)}` };
    data[key] = value;
  }
  return {
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name, flags.namespace), ...(Object.keys(data).length > 0 ? { data } : {}) },
  };
}

// ---------------------------------------------------------------------------------------------
// kubectl create secret generic

export interface SecretFlags {
  fromLiteral: string[];
  /** --type; left out of the object when not given (the API server then makes it Opaque). */
  type?: string;
  namespace?: string;
}

/** `kubectl create secret generic NAME --from-literal=key=value... [--type=T]`: values base64-encoded. */
export function createSecretGeneric(args: readonly string[], flags: SecretFlags): GeneratorResult {
  const name = oneName('kubectl create secret generic', args);
  if (isFail(name)) return name;
  if (name === '') return { error: 'error: name must be specified' };
  const data: StringMap = {};
  for (const source of flags.fromLiteral) {
    const kv = parseLiteral(source);
    if (isFail(kv)) return kv;
    const [key, value] = kv;
    const errs = configMapKeyErrors(key);
    // Secret's wording differs from ConfigMap's: "not valid", no colon, errors joined by ";".
    if (errs.length > 0) return { error: `error: ${q(key)} is not valid key name for a Secret ${errs.join(';')}` };
    if (key in data) return { error: `error: cannot add key ${key}, another key by that name already exists` };
    data[key] = encodeBase64(value);
  }
  return {
    object: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(name, flags.namespace),
      ...(Object.keys(data).length > 0 ? { data } : {}),
      ...(flags.type ? { type: flags.type } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// kubectl create service clusterip|nodeport

export interface ServiceFlags {
  /** Each --tcp occurrence ("80:8080", "80", or comma-separated several). */
  tcp: string[];
  /** --clusterip (clusterip only): an address, or "None" for a headless service. */
  clusterIp?: string;
  /** --node-port (nodeport only), as typed. */
  nodePort?: string;
  namespace?: string;
}

const SERVICE_TYPES = { clusterip: 'ClusterIP', nodeport: 'NodePort' } as const;

/** validation.IsValidPortName, as create service reports a named target port. */
function portNameErrors(p: string): string[] {
  const errs: string[] = [];
  if (p.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(p)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(p)) errs.push('must contain at least one letter (a-z)');
  if (p.includes('--')) errs.push('must not contain consecutive hyphens');
  if (p.startsWith('-') || p.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** "port[:targetPort]": the port a uint16, the target a number 1-65535 or a port name. */
function parseTcp(spec: string): { port: number; targetPort: number | string } | Fail {
  const [first = '', second] = spec.split(':');
  if (!/^[0-9]+$/.test(first)) return { error: `error: strconv.ParseUint: parsing ${q(first)}: invalid syntax` };
  const port = Number(first);
  if (port > 65535) return { error: `error: strconv.ParseUint: parsing ${q(first)}: value out of range` };
  if (second === undefined) return { port, targetPort: port };
  const asNumber = atoi(second);
  if (isFail(asNumber)) {
    const errs = portNameErrors(second);
    return errs.length > 0 ? { error: `error: ${errs.join(',')}` } : { port, targetPort: second };
  }
  if (asNumber < 1 || asNumber > 65535) return { error: 'error: must be between 1 and 65535, inclusive' };
  return { port, targetPort: asNumber };
}

/** `kubectl create service clusterip|nodeport NAME --tcp=port:targetPort...`. */
export function createService(kind: keyof typeof SERVICE_TYPES, args: readonly string[], flags: ServiceFlags): GeneratorResult {
  const cmd = `kubectl create service ${kind}`;
  const nodePort = flags.nodePort === undefined ? 0 : parseIntBase0(flags.nodePort, 64);
  if (isFail(nodePort)) return flagError(cmd, '--node-port', flags.nodePort ?? '', nodePort.error);
  const name = oneName(cmd, args);
  if (isFail(name)) return name;
  const type = SERVICE_TYPES[kind];
  const tcp = splitSlice(flags.tcp);
  const headless = flags.clusterIp === 'None';
  if (headless && type !== 'ClusterIP') return { error: 'error: ClusterIP=None can only be used with ClusterIP service type' };
  if (!headless && tcp.length === 0) return { error: 'error: at least one tcp port specifier must be provided' };

  const ports: Record<string, unknown>[] = [];
  for (const spec of tcp) {
    const p = parseTcp(spec);
    if (isFail(p)) return p;
    ports.push({ name: spec.replace(/:/g, '-'), port: p.port, protocol: 'TCP', targetPort: p.targetPort, ...(nodePort !== 0 ? { nodePort } : {}) });
  }
  const labels = { app: name };
  return {
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(name, flags.namespace, labels),
      spec: {
        ...(ports.length > 0 ? { ports } : {}),
        selector: { ...labels },
        type,
        ...(flags.clusterIp ? { clusterIP: flags.clusterIp } : {}),
      },
      status: { loadBalancer: {} },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// kubectl run

export interface RunFlags {
  /** undefined when --image was not given at all (cobra's required-flag error), "" when given empty. */
  image?: string;
  /** -l/--labels "k=v,k2=v2": replaces the default run=NAME. */
  labels?: string;
  env: string[];
  port?: string;
  /** --restart as typed (default Always). */
  restart?: string;
  /** --command: the extra words become the container's command instead of its args. */
  command: boolean;
  /** The words after `--`. */
  rest: string[];
  namespace?: string;
}

// distribution/reference's ReferenceRegexp: [domain[:port]/]path[:tag][@digest].
const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_PART = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const IMAGE_REFERENCE = new RegExp(
  `^(?:${DOMAIN}/)?${PATH_PART}(?:/${PATH_PART})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);

/** generate.ParseLabels: "k=v" pairs separated by commas; the label syntax itself is the API server's to check. */
function parseRunLabels(spec: string): Labels | Fail {
  const labels: Labels = {};
  for (const pair of spec.split(',')) {
    const parts = pair.split('=');
    const [key, value] = parts;
    if (parts.length !== 2 || key === undefined || value === undefined) return { error: `error: unexpected label spec: ${pair}` };
    if (key === '') return { error: 'error: unexpected empty label key' };
    labels[key] = value;
  }
  return labels;
}

/** --env NAME=value; NAME must be a C-ish identifier that may also hold '.' and '-'. */
function parseEnv(env: readonly string[]): { name: string; value?: string }[] | Fail {
  const out: { name: string; value?: string }[] = [];
  for (const e of env) {
    const eq = e.indexOf('=');
    const name = eq < 0 ? '' : e.slice(0, eq);
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name) || name.startsWith('..') || name === '.') return { error: `error: invalid env: ${e}` };
    const value = e.slice(eq + 1);
    out.push(value === '' ? { name } : { name, value });
  }
  return out;
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];

/** `kubectl run NAME --image=IMAGE [--labels] [--env]... [--port] [--restart] [--command] -- [ARGS...]`: a Pod. */
export function run(args: readonly string[], flags: RunFlags): GeneratorResult {
  const cmd = 'kubectl run';
  if (flags.image === undefined) return requiredFlag('image');
  const [name, ...extra] = args;
  if (name === undefined) return usageError(cmd, 'NAME is required for run');
  const image = flags.image;
  if (image === '') return { error: 'error: --image is required' };
  if (!IMAGE_REFERENCE.test(image)) return { error: `error: Invalid image name ${q(image)}: invalid reference format` };
  const restart = flags.restart || 'Always';
  if (!RESTART_POLICIES.includes(restart)) return usageError(cmd, `invalid restart policy: ${restart}`);
  if (name === '') return { error: 'error: Parameter: name is required' };
  const env = parseEnv(flags.env);
  if (isFail(env)) return env;
  const labels = flags.labels ? parseRunLabels(flags.labels) : { run: name };
  if (isFail(labels)) return labels;
  const port = flags.port ? atoi(flags.port) : undefined;
  if (isFail(port)) return { error: `error: ${port.error}` };

  const words = [...extra, ...flags.rest];
  const container = {
    name,
    image,
    ...(words.length > 0 ? { [flags.command ? 'command' : 'args']: words } : {}),
    ...(env.length > 0 ? { env } : {}),
    ...(port !== undefined ? { ports: [{ containerPort: port }] } : {}),
    resources: {},
  };
  return {
    object: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta(name, flags.namespace, labels),
      spec: { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: restart },
      status: {},
    },
  };
}

// ---------------------------------------------------------------------------------------------
// What kubectl prints after sending a generated object

/** "deployment.apps/web created", with " (dry run)" or " (server dry run)"; ends with a newline. */
export function createdMessage(object: KubeObject, dryRun: 'client' | 'server' | 'none' = 'none'): string {
  const type = resourceForKind(object.apiVersion, object.kind);
  const ref = 'error' in type ? `${object.kind.toLowerCase()}/${object.metadata.name ?? ''}` : objectRef(type, object.metadata.name ?? '');
  return `${ref} created${dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''}\n`;
}

/**
 * The API server refused a generated object. create deployment, configmap, secret and service
 * wrap the error in their own words ("error: failed to create deployment: ..."); create namespace
 * and run pass it through ("Error from server (AlreadyExists): ..."). Ends with a newline.
 */
export function createFailedMessage(object: KubeObject, status: Status): string {
  const spec = object.spec as { type?: unknown } | undefined;
  const what: Record<string, string> = {
    Deployment: 'deployment',
    ConfigMap: 'configmap',
    Secret: 'secret',
    Service: `${String(spec?.type ?? '')} service`,
  };
  const wrapped = what[object.kind];
  return wrapped === undefined ? formatStatus(status) : `error: failed to create ${wrapped}: ${status.message}\n`;
}
