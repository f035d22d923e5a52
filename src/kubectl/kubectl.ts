import { stderrAhead } from './commandResult';
import { closest } from '../engine/schema/jsonSchema';
import { apiResources } from './commands/apiResources';
import { apply } from './commands/apply';
import { clusterInfo } from './commands/clusterInfo';
import { config } from './commands/config';
import { create } from './commands/create';
import { del } from './commands/delete';
import { describe } from './commands/describe';
import { events } from './commands/events';
import { exec, EXEC_FLAGS } from './commands/exec';
import { explain } from './commands/explain';
import { expose, EXPOSE_FLAGS } from './commands/expose';
import { get } from './commands/get';
import { annotate, label } from './commands/label';
import { logs } from './commands/logs';
import { cordon, drain, taint, uncordon } from './commands/nodes';
import { patch } from './commands/patch';
import { rollout } from './commands/rollout';
import { run as runPod } from './commands/run';
import { scale } from './commands/scale';
import { set } from './commands/set';
import { top } from './commands/top';
import { version } from './commands/version';
import { COMMAND_FLAGS, parseFlags } from './flags';
import { fail, type KubectlCommand, type KubectlEnv, type KubectlResult } from './kubectlEnv';
import { withFiles } from './manifests';
import { shellWords } from './shellWords';

const COMMANDS: Record<string, KubectlCommand> = {
  get,
  describe,
  // apply reads -f through manifests.ts, which finds named files on its flags.
  apply: withFiles(apply),
  create,
  delete: del,
  run: runPod,
  patch,
  events,
  explain,
  scale,
  rollout,
  set,
  cordon,
  uncordon,
  drain,
  taint,
  logs,
  exec,
  expose,
  top,
  label,
  annotate,
  'api-resources': apiResources,
  'cluster-info': clusterInfo,
  config,
  version,
};

// These two declare their flags beside their code; parsing and completion find them in the shared table.
Object.assign(COMMAND_FLAGS, { exec: EXEC_FLAGS, expose: EXPOSE_FLAGS });

/** The commands this kubectl runs, sorted (tab completion offers them). */
export const KUBECTL_COMMANDS: readonly string[] = Object.keys(COMMANDS).sort();

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
  // The command is the first word that is neither a flag nor a global flag's value (`kubectl -n tools get pods`).
  const command = words.find((w, i) => !w.startsWith('-') && !['-n', '--namespace', '--context'].includes(words[i - 1] ?? ''));
  if (command === undefined) return done(fail(`error: a command is needed: ${Object.keys(COMMANDS).join(', ')}`));
  const run = COMMANDS[command];
  if (run === undefined) {
    const near = closest(command, Object.keys(COMMANDS));
    return done(fail(`error: unknown command "${command}" for "kubectl"${near ? `\n\nDid you mean this?\n\t${near}` : ''}`));
  }
  const parsed = parseFlags(command, words);
  if ('error' in parsed) return done(fail(parsed.error));
  const [, ...rest] = parsed.args;
  const warnings: string[] = [];
  run(env, rest, { ...parsed.flags, warnings }, stdin, (r) => done(withWarnings(r, warnings)), parsed.afterDashes);
}

/** The API server's warnings, as kubectl writes them to stderr as each answer arrives: ahead of everything else it says. */
function withWarnings(r: KubectlResult, warnings: readonly string[]): KubectlResult {
  return stderrAhead(r, warnings.map((w) => `Warning: ${w}\n`).join(''));
}
