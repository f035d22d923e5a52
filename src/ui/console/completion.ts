/**
 * Tab completion of a console line, as bash completes kubectl and etcdctl: commands, flags,
 * resource types, object names, namespaces, contexts, nodes and the editor's files. Pure: it
 * runs inside the engine worker over a CompletionSource that reads the ClusterView.
 */
import { RESOURCES, type ResourceType } from '../../engine/apiserver/resources';
import { COMMAND_FLAGS, GLOBAL_FLAGS, type FlagSpec } from '../../kubectl/flags';
import { KUBECTL_COMMANDS } from '../../kubectl/kubectl';
import type { Completion } from '../protocol';

/** What completion may name. Reading it must not change the simulation. */
export interface CompletionSource {
  /** Object names of a resource type (plural) in a namespace; `undefined`: a cluster-scoped type, or every namespace (-A). */
  names(plural: string, namespace: string | undefined): string[];
  namespaces(): string[];
  /** kubeconfig contexts (`kubectl config get-contexts`). */
  contexts(): string[];
  nodes(): string[];
  zones(): string[];
  /** The editor's tabs: what `-f NAME` reads. */
  files(): string[];
}

/** What the word under the cursor may become; `skip` characters of it stay as typed (`--namespace=`, `pods,`). */
interface Options {
  readonly skip?: number;
  readonly options: readonly string[];
}

const NONE: Options = { options: [] };

const FIRST_WORDS = ['clear', 'crash', 'curl', 'etcdctl', 'heal', 'help', 'images', 'isolate', 'k', 'kill', 'kubectl', 'load', 'partition', 'restart', 'ssh'];

const SUBCOMMANDS: Readonly<Record<string, readonly string[]>> = {
  rollout: ['history', 'pause', 'restart', 'resume', 'status', 'undo'],
  config: ['current-context', 'get-contexts', 'use-context'],
  set: ['image'],
  top: ['node', 'pod'],
  create: ['configmap', 'deployment', 'namespace', 'secret', 'service'],
};

const CREATE_TYPES: Readonly<Record<string, readonly string[]>> = { secret: ['generic'], service: ['clusterip', 'nodeport'] };

/** Kinds a command accepts, where it accepts fewer than every type. */
const KINDS_FOR: Readonly<Record<string, readonly string[]>> = {
  scale: ['Deployment', 'ReplicaSet', 'StatefulSet'],
  rollout: ['Deployment', 'DaemonSet', 'StatefulSet'],
  set: ['Pod', 'Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet', 'Job'],
};

/** Commands whose arguments are TYPE NAME… or TYPE/NAME…. */
const RESOURCE_COMMANDS = new Set(['get', 'describe', 'delete', 'label', 'annotate', 'patch']);
const NODE_COMMANDS = new Set(['cordon', 'uncordon', 'drain']);

/** `-o` values our printers know. */
const OUTPUTS = ['json', 'jsonpath=', 'name', 'yaml'];

/** The fixed values of value flags. */
const FLAG_VALUES: Readonly<Record<string, readonly string[]>> = {
  'dry-run': ['client', 'none', 'server'],
  cascade: ['background', 'foreground', 'orphan'],
  restart: ['Always', 'Never', 'OnFailure'],
};

const ETCDCTL_FLAGS = ['--cluster', '--endpoints=', '--keys-only', '--prefix', '--write-out=', '-w'];
const ETCDCTL_VALUE_FLAGS = new Set(['endpoints', 'write-out', 'w']);

export function completeLine(line: string, cursor: number, source: CompletionSource): Completion {
  const before = line.slice(0, Math.max(0, Math.min(cursor, line.length)));
  const from = before.search(/\S*$/);
  const word = before.slice(from);
  const words = before.slice(0, from).split(/\s+/).filter((w) => w !== '');
  const found = words.length === 0 ? { options: FIRST_WORDS } : completeCommand(words, word, source);
  const skip = found.skip ?? 0;
  const typed = word.slice(skip);
  const candidates = [...new Set(found.options.filter((o) => o.startsWith(typed)))].sort();
  return { from: from + skip, candidates };
}

function completeCommand(words: readonly string[], word: string, source: CompletionSource): Options {
  const [first, ...rest] = words;
  switch (first) {
    case 'kubectl':
    case 'k':
      return completeKubectl(rest, word, source);
    case 'etcdctl':
      return completeEtcdctl(rest, word);
    default:
      return completeFault(first ?? '', rest, word, source);
  }
}

// ---- kubectl --------------------------------------------------------------------------------

interface KubectlWords {
  command?: string;
  /** Arguments after the command (a subcommand first, for rollout/config/set/top/create). */
  readonly args: string[];
  namespace?: string;
  allNamespaces: boolean;
  /** The last word was a flag that takes the next word as its value. */
  pending?: FlagSpec;
}

/** Reads the complete words of a kubectl line as flags.ts would: which command, its arguments, -n, -A. */
function readKubectl(words: readonly string[]): KubectlWords {
  const out: KubectlWords = { args: [], allNamespaces: false };
  let dashes = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (dashes || !w.startsWith('-') || w === '-') {
      if (out.command === undefined) out.command = w;
      else out.args.push(w);
      continue;
    }
    if (w === '--') {
      dashes = true;
      continue;
    }
    const specs = flagSpecs(out.command);
    const flag = w.startsWith('--') ? readLongFlag(w, specs) : readShortFlags(w, specs);
    if (flag === undefined) continue;
    if (flag.spec.name === 'all-namespaces') out.allNamespaces = flag.value !== 'false';
    if (flag.value === undefined) {
      const next = words[i + 1];
      if (next === undefined) out.pending = flag.spec;
      else {
        setValue(out, flag.spec, next);
        i++;
      }
    } else setValue(out, flag.spec, flag.value);
  }
  return out;
}

function setValue(out: KubectlWords, spec: FlagSpec, value: string): void {
  if (spec.name === 'namespace') out.namespace = value;
}

function flagSpecs(command: string | undefined): readonly FlagSpec[] {
  return [...GLOBAL_FLAGS, ...(command === undefined ? [] : (COMMAND_FLAGS[command] ?? []))];
}

/** A flag and its value; `value` undefined when the value is the next word. Bool flags read as "true". */
function readLongFlag(w: string, specs: readonly FlagSpec[]): { spec: FlagSpec; value?: string } | undefined {
  const eq = w.indexOf('=');
  const name = w.slice(2, eq >= 0 ? eq : undefined);
  const spec = specs.find((f) => f.name === name);
  if (spec === undefined) return undefined;
  if (eq >= 0) return { spec, value: w.slice(eq + 1) };
  if (spec.kind === 'bool') return { spec, value: 'true' };
  return spec.noOptDefault === undefined ? { spec } : { spec, value: spec.noOptDefault };
}

/** `-n`, `-nkube-system`, `-n=x`, bundled booleans `-it`. */
function readShortFlags(w: string, specs: readonly FlagSpec[]): { spec: FlagSpec; value?: string } | undefined {
  let last: { spec: FlagSpec; value?: string } | undefined;
  for (let j = 1; j < w.length; j++) {
    const spec = specs.find((f) => f.short === w[j]);
    if (spec === undefined) return last;
    if (spec.kind === 'bool') {
      last = { spec, value: 'true' };
      continue;
    }
    const attached = w.slice(j + 1).replace(/^=/, '');
    return attached === '' ? { spec } : { spec, value: attached };
  }
  return last;
}

function completeKubectl(words: readonly string[], word: string, source: CompletionSource): Options {
  const k = readKubectl(words);
  if (k.pending !== undefined) return { options: flagValues(k.pending.name, k.command, source) };
  if (word.startsWith('--') && word.includes('=')) {
    const eq = word.indexOf('=');
    return { skip: eq + 1, options: flagValues(word.slice(2, eq), k.command, source) };
  }
  if (word.startsWith('-')) return { options: flagNames(flagSpecs(k.command)) };
  if (k.command === undefined) return { options: KUBECTL_COMMANDS };
  return completeArgs(k, word, source);
}

/** `--name=` for flags with a value (and `--name` too when it may stand alone), `--name` for booleans, `-x` short forms. */
function flagNames(specs: readonly FlagSpec[]): string[] {
  return specs.flatMap((f) => {
    const long = f.kind === 'bool' ? [`--${f.name}`] : f.noOptDefault === undefined ? [`--${f.name}=`] : [`--${f.name}`, `--${f.name}=`];
    return f.short === undefined ? long : [...long, `-${f.short}`];
  });
}

function flagValues(name: string, command: string | undefined, source: CompletionSource): readonly string[] {
  switch (name) {
    case 'namespace':
      return source.namespaces();
    case 'context':
      return source.contexts();
    case 'filename':
      return source.files();
    case 'output':
      return command === 'get' ? [...OUTPUTS, 'wide'] : OUTPUTS;
    case 'sort-by':
      return command === 'top' ? ['cpu', 'memory'] : [];
    default:
      return FLAG_VALUES[name] ?? [];
  }
}

function completeArgs(k: KubectlWords, word: string, source: CompletionSource): Options {
  const command = k.command as string;
  const args = k.args;
  const subs = SUBCOMMANDS[command];
  if (subs !== undefined && args.length === 0) return { options: subs };
  if (RESOURCE_COMMANDS.has(command)) return resourceArgs(args, word, k, source, command === 'get');
  if (command === 'scale') return resourceArgs(args, word, k, source);
  if ((command === 'rollout' || command === 'set') && args.length >= 1) return args.length <= 2 ? resourceArgs(args.slice(1), word, k, source) : NONE;
  if (command === 'explain') return args.length === 0 ? { options: typeWords(allTypes()) } : NONE;
  if (NODE_COMMANDS.has(command)) return { options: source.nodes() };
  if (command === 'taint') return taintArgs(args, word, k, source);
  if (command === 'logs') return args.length === 0 ? logsTarget(word, k, source) : NONE;
  if (command === 'top') return args.length === 1 ? { options: topNames(args[0] as string, k, source) } : NONE;
  if (command === 'config') return args[0] === 'use-context' && args.length === 1 ? { options: source.contexts() } : NONE;
  if (command === 'create') return args.length === 1 ? { options: CREATE_TYPES[args[0] as string] ?? [] } : NONE;
  return NONE;
}

/**
 * TYPE[,TYPE…] [NAME…] or TYPE/NAME…, as kubectl's resource builder reads them. `command` (scale,
 * rollout, set) narrows the types to those it works on.
 */
function resourceArgs(args: readonly string[], word: string, k: KubectlWords, source: CompletionSource, withAll = false): Options {
  const types = allowedTypes(k.command);
  if (word.includes('/')) return { options: slashNames(word, types, k, source) };
  const [first] = args;
  if (first === undefined) {
    const comma = word.lastIndexOf(',') + 1;
    return { skip: comma, options: [...typeWords(types), ...(withAll ? ['all'] : [])] };
  }
  if (first.includes('/')) return NONE;
  const named = first.split(',').flatMap((w) => (w === 'all' ? [] : types.filter((t) => namesType(t, w))));
  return { options: named.flatMap((t) => namesIn(t, k, source)) };
}

function taintArgs(args: readonly string[], word: string, k: KubectlWords, source: CompletionSource): Options {
  const nodes = RESOURCES.filter((t) => t.kind === 'Node');
  if (word.includes('/')) return { options: slashNames(word, nodes, k, source) };
  if (args.length === 0) return { options: typeWords(nodes) };
  const [first] = args;
  return args.length === 1 && first !== undefined && nodes.some((t) => namesType(t, first)) ? { options: source.nodes() } : NONE;
}

/** `kubectl logs POD` or `kubectl logs deploy/web`. */
function logsTarget(word: string, k: KubectlWords, source: CompletionSource): Options {
  if (word.includes('/')) return { options: slashNames(word, allTypes(), k, source) };
  return { options: source.names('pods', podNamespace(k)) };
}

function topNames(what: string, k: KubectlWords, source: CompletionSource): readonly string[] {
  if (['node', 'nodes', 'no'].includes(what)) return source.nodes();
  return ['pod', 'pods', 'po'].includes(what) ? source.names('pods', podNamespace(k)) : [];
}

/** "deploy/w" → "deploy/web", keeping the type as the learner spelt it. */
function slashNames(word: string, types: readonly ResourceType[], k: KubectlWords, source: CompletionSource): string[] {
  const typeWord = word.slice(0, word.indexOf('/'));
  const type = types.find((t) => namesType(t, typeWord));
  return type === undefined ? [] : namesIn(type, k, source).map((n) => `${typeWord}/${n}`);
}

function namesIn(type: ResourceType, k: KubectlWords, source: CompletionSource): string[] {
  return source.names(type.plural, type.namespaced ? podNamespace(k) : undefined);
}

/** The namespace a namespaced name is looked up in: -n, else "default"; every namespace with -A. */
function podNamespace(k: KubectlWords): string | undefined {
  return k.allNamespaces ? undefined : (k.namespace ?? 'default');
}

function allTypes(): readonly ResourceType[] {
  return RESOURCES;
}

function allowedTypes(command: string | undefined): readonly ResourceType[] {
  const kinds = command === undefined ? undefined : KINDS_FOR[command];
  return kinds === undefined ? RESOURCES : RESOURCES.filter((t) => kinds.includes(t.kind));
}

function typeWords(types: readonly ResourceType[]): string[] {
  return types.flatMap((t) => [t.plural, t.singular, ...t.shortNames]);
}

/** The word names the type: plural, singular, short name, kind in any case, or qualified by group. */
function namesType(t: ResourceType, word: string): boolean {
  const lower = word.toLowerCase();
  return [t.plural, t.singular, ...t.shortNames].some((n) => lower === n || (t.group !== '' && (lower === `${n}.${t.group}` || lower === `${n}.${t.version}.${t.group}`)));
}

// ---- etcdctl --------------------------------------------------------------------------------

function completeEtcdctl(words: readonly string[], word: string): Options {
  const positional: string[] = [];
  let pending: string | undefined;
  for (const w of words) {
    if (pending !== undefined) {
      pending = undefined;
      continue;
    }
    if (!w.startsWith('-')) positional.push(w);
    else if (!w.includes('=') && ETCDCTL_VALUE_FLAGS.has(w.replace(/^--?/, ''))) pending = w.replace(/^--?/, '');
  }
  if (pending !== undefined) return { options: etcdctlValues(pending) };
  if (word.startsWith('-') && word.includes('=')) {
    const eq = word.indexOf('=');
    return { skip: eq + 1, options: etcdctlValues(word.slice(0, eq).replace(/^--?/, '')) };
  }
  if (word.startsWith('-')) return { options: ETCDCTL_FLAGS };
  const [first] = positional;
  if (first === undefined) return { options: ['endpoint', 'get', 'member'] };
  if (positional.length === 1 && first === 'endpoint') return { options: ['health', 'status'] };
  if (positional.length === 1 && first === 'member') return { options: ['list'] };
  return NONE;
}

function etcdctlValues(flag: string): readonly string[] {
  return flag === 'write-out' || flag === 'w' ? ['json', 'simple', 'table'] : [];
}

// ---- fault commands (faultCommand.ts) ---------------------------------------------------------

function completeFault(verb: string, args: readonly string[], word: string, source: CompletionSource): Options {
  switch (verb) {
    case 'kill':
    case 'restart':
      return args.length === 0 ? { options: [...source.nodes(), ...source.zones()] } : NONE;
    case 'isolate':
      return args.length === 0 ? { options: source.nodes() } : NONE;
    case 'heal':
      return args.length === 0 ? { options: ['all', 'links', 'partitions'] } : NONE;
    case 'partition': {
      // Groups are written "a, b | c" or "[a,b] | [c]": complete after the last separator.
      const skip = word.search(/[^,|[\]]*$/);
      return { skip, options: [...source.nodes(), ...source.zones()] };
    }
    case 'ssh':
      return { options: sshWords(args.length, source) };
    case 'crash':
      return { options: crashWords(args, source) };
    case 'curl': {
      // From outside, a node is the way in: its name and a NodePort. After a time-out flag, its seconds.
      const last = args[args.length - 1];
      return last === '-m' || last === '--max-time' || last === '--connect-timeout' ? NONE : { options: nodeUrls(source) };
    }
    case 'load':
      if (args.length === 0) return { options: ['stop', ...nodeUrls(source)] };
      if (args[0] === 'stop') return args.length === 1 ? { options: nodeUrls(source) } : NONE;
      return args.some((a) => a === '--rate' || a === '-r' || a.startsWith('--rate=')) ? NONE : { options: ['--rate'] };
    default:
      return NONE;
  }
}

/** "http://worker-1:" for every node: the start of a URL to a NodePort. */
function nodeUrls(source: CompletionSource): string[] {
  return source.nodes().map((n) => `http://${n}:`);
}

/** `crash pod [-n NS] NAME [-c CONTAINER]`. */
function crashWords(args: readonly string[], source: CompletionSource): readonly string[] {
  if (args.length === 0) return ['pod'];
  const last = args[args.length - 1];
  if (last === '-n' || last === '--namespace') return source.namespaces();
  if (last === '-c' || last === '--container') return [];
  const n = args.indexOf('-n');
  const namespace = n >= 0 ? (args[n + 1] ?? 'default') : 'default';
  return source.names('pods', namespace);
}

function sshWords(position: number, source: CompletionSource): readonly string[] {
  return [source.nodes(), ['systemctl'], ['restart', 'start', 'stop'], ['kubelet']][position] ?? [];
}
