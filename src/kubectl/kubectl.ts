import { closest } from '../engine/schema/jsonSchema';
import { apiResources } from './commands/apiResources';
import { apply } from './commands/apply';
import { clusterInfo } from './commands/clusterInfo';
import { config } from './commands/config';
import { create } from './commands/create';
import { del } from './commands/delete';
import { get } from './commands/get';
import { annotate, label } from './commands/label';
import { scale } from './commands/scale';
import { version } from './commands/version';
import { fail, type KubectlCommand, type KubectlEnv, type KubectlFlags, type KubectlResult } from './kubectlEnv';
import { shellWords } from './shellWords';

const COMMANDS: Record<string, KubectlCommand> = {
  get,
  apply,
  create,
  delete: del,
  scale,
  label,
  annotate,
  'api-resources': apiResources,
  'cluster-info': clusterInfo,
  config,
  version,
};

/**
 * kubectl over the simulated cluster. `line` is what follows "kubectl"; `stdin` is what `-f -`
 * reads. Commands talk to the API through the context's client, so results arrive in virtual
 * time through `done`. One command per file under commands/.
 */
export function runKubectl(env: KubectlEnv, line: string, stdin: string | undefined, done: (r: KubectlResult) => void): void {
  let words: string[];
  try {
    words = shellWords(line);
  } catch (err) {
    return done(fail(`error: ${(err as Error).message}`));
  }
  const flags: KubectlFlags = { allNamespaces: false, filenames: [] };
  const args: string[] = [];
  let missing: string | undefined;
  for (let i = 0; i < words.length && missing === undefined; i++) {
    const w = words[i] as string;
    if (!w.startsWith('-') || w === '-') {
      args.push(w);
      continue;
    }
    const eq = w.indexOf('=');
    const flag = eq >= 0 ? w.slice(0, eq) : w;
    const inline = eq >= 0 ? w.slice(eq + 1) : undefined;
    const value = (): string | undefined => {
      if (inline !== undefined) return inline;
      const next = words[i + 1];
      if (next === undefined) missing = `error: flag needs an argument: '${flag.replace(/^-+/, '')}' in ${flag}`;
      else i++;
      return next;
    };
    switch (flag) {
      case '-n':
      case '--namespace':
        flags.namespace = value();
        break;
      case '-A':
      case '--all-namespaces':
        flags.allNamespaces = true;
        break;
      case '--context':
        flags.context = value();
        break;
      case '-l':
      case '--selector':
        flags.selector = value();
        break;
      case '--replicas':
        flags.replicas = value();
        break;
      case '--overwrite':
        flags.overwrite = inline === undefined || inline === 'true';
        break;
      case '-o':
      case '--output':
        flags.output = value();
        break;
      case '-f':
      case '--filename': {
        const f = value();
        if (f !== undefined) flags.filenames.push(f);
        break;
      }
      case '--dry-run': {
        const v = inline ?? 'client';
        if (v !== 'client' && v !== 'server' && v !== 'none') return done(fail(`error: Invalid dry-run value (${v}). Must be "none", "server", or "client".`));
        flags.dryRun = v;
        break;
      }
      default:
        return done(fail(`error: unknown flag: ${flag}\nSee 'kubectl ${args[0] ?? ''} --help' for usage.`.replace('kubectl  --help', 'kubectl --help')));
    }
  }
  if (missing !== undefined) return done(fail(missing));
  const [command, ...rest] = args;
  if (command === undefined) return done(fail(`error: a command is needed: ${Object.keys(COMMANDS).join(', ')}`));
  const run = COMMANDS[command];
  if (run === undefined) {
    const near = closest(command, Object.keys(COMMANDS));
    return done(fail(`error: unknown command "${command}" for "kubectl"${near ? `\n\nDid you mean this?\n\t${near}` : ''}`));
  }
  run(env, rest, flags, stdin, done);
}
