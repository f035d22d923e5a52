import type { Cluster } from '../engine/cluster';
import { describeFault } from '../engine/faults';
import explainSchemas from '../generated/kubernetes-schemas.full.json';
import { type CommandResult, terminalOrder } from '../kubectl/commandResult';
import type { Scenario, ScenarioAction } from './scenario';
import { Session } from './session';

export { CONSOLE_HOST } from './session';

/** One line of a run's record: what ran, when, and what it printed. */
export interface ActionRecord extends CommandResult {
  readonly at: number;
  readonly action: ScenarioAction['kind'];
  readonly command: string;
}

export interface RunResult {
  readonly records: readonly ActionRecord[];
  /** Virtual time at the end. */
  readonly endMs: number;
  readonly stateHash: string;
  readonly cluster: Cluster;
}

/**
 * Runs a scenario headless: builds its cluster, performs its actions in virtual time, then
 * runs on to `untilMs`. Actions run one after another, as typed in a shell: one starts at its
 * `at` time or when the one before it has finished, whichever is later.
 */
export function runScenario(scenario: Scenario, options: { untilMs?: number; seed?: number | string } = {}): RunResult {
  // The OpenAPI schemas for explain are read here, never by the engine, so the engine's bundle stays small.
  const session = new Session({ seed: options.seed ?? scenario.seed, spec: scenario.cluster, etcd: scenario.etcd }, explainSchemas);
  const { cluster, world } = session;
  const files = scenario.files ?? {};
  const records: ActionRecord[] = [];
  for (const action of scenario.actions) {
    if (action.atMs > world.now) world.runUntil(action.atMs);
    const at = world.now;
    if (action.kind === 'fault') {
      session.run({ kind: 'fault', fault: action.fault });
      records.push({ at, action: 'fault', command: describeFault(action.fault), exitCode: 0, stdout: '', stderr: '' });
      continue;
    }
    // `-f -` with no stdin of its own reads the scenario's manifests.
    const result =
      action.kind === 'kubectl'
        ? session.run({ kind: 'kubectl', command: action.command, files, stdin: action.stdin ?? scenario.manifests })
        : session.run({ kind: action.kind, command: action.command });
    records.push({ at, action: action.kind, command: action.command, ...result });
  }
  const until = options.untilMs ?? world.now;
  if (until > world.now) world.runUntil(until);
  return { records, endMs: world.now, stateHash: cluster.stateHash(), cluster };
}

/** The transcript form: "[1m30s] $ etcdctl …" followed by exactly what the console would show. */
export function formatTranscript(run: RunResult, formatTime: (ms: number) => string): string {
  let out = '';
  for (const r of run.records) {
    if (r.action === 'fault') out += `[${formatTime(r.at)}] ! ${r.command}\n`;
    else {
      const { ahead, stdout, rest } = terminalOrder(r);
      out += `[${formatTime(r.at)}] $ ${r.action}${r.command === '' ? '' : ` ${r.command}`}\n${ahead}${stdout}${rest}`;
    }
  }
  return out;
}
