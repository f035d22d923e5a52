import { shellWords } from '../shellWords';
import { endpointHealth } from './endpointHealth';
import { endpointStatus } from './endpointStatus';
import { type CommandResult, type EtcdctlEnv } from './etcdctlEnv';
import { get } from './get';
import { memberList } from './memberList';

export interface EtcdctlFlags {
  readonly endpoints?: string;
  readonly writeOut: 'simple' | 'table' | 'json';
  readonly cluster: boolean;
  readonly prefix: boolean;
  readonly keysOnly: boolean;
}

type Command = (env: EtcdctlEnv, args: string[], flags: EtcdctlFlags, done: (r: CommandResult) => void) => void;

const COMMANDS: Record<string, Command> = {
  'endpoint status': endpointStatus,
  'endpoint health': endpointHealth,
  'member list': memberList,
  get,
};

const BOOL_FLAGS = new Set(['cluster', 'prefix', 'keys-only']);
const VALUE_FLAGS = new Set(['endpoints', 'write-out']);

const fail = (stderr: string, exitCode = 1): CommandResult => ({ exitCode, stdout: '', stderr: stderr.endsWith('\n') ? stderr : `${stderr}\n` });

/**
 * etcdctl (API v3) over the simulated etcd cluster: `endpoint status`, `endpoint health`,
 * `member list`, `get`. The command line is what follows "etcdctl". Commands take virtual
 * time (they talk to members over the network), so the result arrives through `done`.
 */
export function runEtcdctl(env: EtcdctlEnv, line: string, done: (r: CommandResult) => void): void {
  let words: string[];
  try {
    words = shellWords(line);
  } catch (err) {
    done(fail(`Error: ${(err as Error).message}`));
    return;
  }
  const positional: string[] = [];
  const values: Record<string, string> = {};
  const bools = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (!w.startsWith('-') || w === '-') {
      positional.push(w);
      continue;
    }
    let name = w.replace(/^--?/, '');
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    if (name === 'w') name = 'write-out';
    if (BOOL_FLAGS.has(name)) {
      if (value === undefined || value === 'true') bools.add(name);
      else if (value !== 'false') return done(fail(`Error: invalid argument "${value}" for "--${name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`));
    } else if (VALUE_FLAGS.has(name)) {
      value ??= words[++i];
      if (value === undefined) return done(fail(`Error: flag needs an argument: --${name}`));
      values[name] = value;
    } else {
      return done(fail(`Error: unknown flag: ${w}`));
    }
  }
  const writeOut = values['write-out'] ?? 'simple';
  if (writeOut !== 'simple' && writeOut !== 'table' && writeOut !== 'json') {
    return done(fail(`Error: unsupported output format "${writeOut}" (simple, table or json)`));
  }
  const two = positional.slice(0, 2).join(' ');
  const name = COMMANDS[two] ? two : (positional[0] ?? '');
  const command = COMMANDS[name];
  if (command === undefined) {
    const known = Object.keys(COMMANDS).join(', ');
    return done(fail(positional.length === 0 ? `Error: a command is needed: ${known}` : `Error: unknown command "${positional.join(' ')}" for "etcdctl" (this playground knows: ${known})`));
  }
  const flags: EtcdctlFlags = {
    ...(values.endpoints === undefined ? {} : { endpoints: values.endpoints }),
    writeOut,
    cluster: bools.has('cluster'),
    prefix: bools.has('prefix'),
    keysOnly: bools.has('keys-only'),
  };
  command(env, positional.slice(name.split(' ').length), flags, done);
}
