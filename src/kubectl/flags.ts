import type { KubectlFlags } from './kubectlEnv';

export type FlagKind = 'string' | 'bool' | 'list';

export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  readonly kind: FlagKind;
  /** The value of the bare flag, for a string flag that may stand alone (`--dry-run` = client). */
  readonly noOptDefault?: string;
}

const s = (name: string, short?: string): FlagSpec => ({ name, kind: 'string', ...(short === undefined ? {} : { short }) });
const b = (name: string, short?: string): FlagSpec => ({ name, kind: 'bool', ...(short === undefined ? {} : { short }) });
const l = (name: string, short?: string): FlagSpec => ({ name, kind: 'list', ...(short === undefined ? {} : { short }) });

/** Flags every command takes (kubectl's global flags that mean something here). */
/** The global flags every command takes (exported for tab completion). */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [s('namespace', 'n'), s('context')];

const output = s('output', 'o');
const selector = s('selector', 'l');
const allNamespaces = b('all-namespaces', 'A');
const filename = l('filename', 'f');
const dryRun: FlagSpec = { name: 'dry-run', kind: 'string', noOptDefault: 'client' };
const fieldSelector = s('field-selector');

/**
 * The flags each command declares, as kubectl's cobra commands do: a flag another command
 * has is still "unknown" here, and the short forms are per command (-f is --follow for logs,
 * -p is --previous for logs and --patch for patch, -l is --labels for run).
 */
export const COMMAND_FLAGS: Record<string, readonly FlagSpec[]> = {
  get: [output, selector, allNamespaces, fieldSelector, b('show-labels'), b('no-headers'), s('sort-by'), b('watch', 'w')],
  describe: [selector, allNamespaces, b('show-events')],
  apply: [filename, dryRun, output, b('recursive', 'R')],
  create: [filename, dryRun, output, l('image'), s('replicas'), s('port'), l('from-literal'), l('from-file'), s('type'), l('tcp'), s('clusterip'), s('node-port'), b('save-config')],
  run: [s('image'), s('labels', 'l'), l('env'), s('port'), s('restart'), b('command'), dryRun, output, b('stdin', 'i'), b('tty', 't'), b('rm')],
  delete: [filename, selector, b('all'), allNamespaces, s('cascade'), s('grace-period'), b('force'), b('now'), b('wait'), s('timeout'), dryRun, fieldSelector],
  scale: [s('replicas'), filename, s('current-replicas')],
  label: [b('overwrite'), selector, b('all'), dryRun],
  annotate: [b('overwrite'), selector, b('all'), dryRun],
  rollout: [s('revision'), s('to-revision'), s('timeout'), b('watch', 'w'), dryRun],
  set: [dryRun, b('all'), selector],
  patch: [s('patch', 'p'), s('type'), dryRun, output, s('subresource')],
  cordon: [dryRun, selector],
  uncordon: [dryRun, selector],
  drain: [b('ignore-daemonsets'), b('delete-emptydir-data'), b('force'), s('grace-period'), s('timeout'), b('disable-eviction'), dryRun, selector],
  taint: [b('overwrite'), selector, b('all'), dryRun],
  logs: [s('container', 'c'), b('previous', 'p'), s('tail'), b('timestamps'), b('all-containers'), selector, b('follow', 'f'), s('since'), b('prefix')],
  top: [b('containers'), allNamespaces, selector, s('sort-by'), b('no-headers')],
  events: [allNamespaces, s('for'), l('types'), output, b('watch', 'w'), b('no-headers')],
  explain: [b('recursive'), s('api-version'), output],
  'api-resources': [b('namespaced'), output, s('api-group'), b('no-headers')],
  'cluster-info': [],
  config: [],
  version: [b('client'), output],
};

const ARG_NEEDED = (flag: string, shown: string): string => `error: flag needs an argument: '${flag}' in ${shown}`;

/**
 * Parses a command's words into positional arguments and flags. `--flag=value`, `--flag value`,
 * `-o yaml`, `-oyaml`, `-o=yaml`, bundled short booleans (`-it`), and `--` after which every
 * word is an argument (kept apart: `kubectl run … -- sleep 3600`).
 */
export function parseFlags(command: string, words: readonly string[]): { args: string[]; flags: KubectlFlags; afterDashes: string[] } | { error: string } {
  const specs = [...GLOBAL_FLAGS, ...(COMMAND_FLAGS[command] ?? [])];
  const byLong = new Map(specs.map((f) => [f.name, f]));
  const byShort = new Map(specs.filter((f) => f.short !== undefined).map((f) => [f.short as string, f]));
  const values = new Map<string, string | boolean | string[]>();
  const args: string[] = [];
  const set = (f: FlagSpec, v: string | boolean): void => {
    if (f.kind === 'list') values.set(f.name, [...((values.get(f.name) as string[] | undefined) ?? []), String(v)]);
    else values.set(f.name, v);
  };
  const usage = `See 'kubectl ${command} --help' for usage.`;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '--') return finish(command, args, values, words.slice(i + 1));
    if (!w.startsWith('-') || w === '-') {
      args.push(w);
      continue;
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = w.slice(2, eq >= 0 ? eq : undefined);
      const f = byLong.get(name);
      if (f === undefined) return { error: `error: unknown flag: --${name}\n${usage}` };
      if (f.kind === 'bool') {
        const v = eq >= 0 ? w.slice(eq + 1) : 'true';
        if (v !== 'true' && v !== 'false') return { error: `error: invalid argument "${v}" for "--${name}" flag: strconv.ParseBool: parsing "${v}": invalid syntax\n${usage}` };
        set(f, v === 'true');
      } else if (eq >= 0) set(f, w.slice(eq + 1));
      else if (f.noOptDefault !== undefined) set(f, f.noOptDefault);
      else {
        const next = words[i + 1];
        if (next === undefined) return { error: ARG_NEEDED(name, w) };
        set(f, next);
        i++;
      }
      continue;
    }
    // Short flags: "-o yaml", "-oyaml", "-o=yaml", or bundled booleans "-it".
    for (let j = 1; j < w.length; j++) {
      const c = w[j] as string;
      const f = byShort.get(c);
      if (f === undefined) return { error: `error: unknown shorthand flag: '${c}' in ${w}\n${usage}` };
      if (f.kind === 'bool') {
        set(f, true);
        continue;
      }
      const attached = w.slice(j + 1).replace(/^=/, '');
      if (attached !== '') set(f, attached);
      else {
        const next = words[i + 1];
        if (next === undefined) return { error: ARG_NEEDED(c, w) };
        set(f, next);
        i++;
      }
      break;
    }
  }
  return finish(command, args, values, []);
}

function finish(command: string, args: string[], values: Map<string, string | boolean | string[]>, afterDashes: string[]): { args: string[]; flags: KubectlFlags; afterDashes: string[] } | { error: string } {
  const str = (name: string): string | undefined => {
    const v = values.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const flags: KubectlFlags = { allNamespaces: values.get('all-namespaces') === true, filenames: command === 'logs' ? [] : ((values.get('filename') as string[] | undefined) ?? []), values };
  const assign = <K extends keyof KubectlFlags>(key: K, v: KubectlFlags[K] | undefined): void => {
    if (v !== undefined) flags[key] = v;
  };
  assign('namespace', str('namespace'));
  assign('context', str('context'));
  assign('output', str('output'));
  assign('selector', str('selector'));
  assign('replicas', str('replicas'));
  if (values.has('overwrite')) flags.overwrite = values.get('overwrite') === true;
  const dry = values.get('dry-run');
  if (dry !== undefined) {
    const v = String(dry);
    if (v !== 'client' && v !== 'server' && v !== 'none') return { error: `error: Invalid dry-run value (${v}). Must be "none", "server", or "client".` };
    flags.dryRun = v;
  }
  return { args, flags, afterDashes };
}
