import { Cluster } from '../engine/cluster';
import { describeFault } from '../engine/faults';
import { EtcdClient } from '../engine/store/etcdClient';
import { runEtcdctl } from '../kubectl/etcdctl/etcdctl';
import type { CommandResult, EtcdctlEnv } from '../kubectl/etcdctl/etcdctlEnv';
import explainSchemas from '../generated/kubernetes-schemas.full.json';
import { runKubectl } from '../kubectl/kubectl';
import type { KubectlEnv } from '../kubectl/kubectlEnv';
import type { Scenario, ScenarioAction } from './scenario';

/** One line of a run's record: what ran, when, and what it printed. */
export interface ActionRecord {
  readonly at: number;
  readonly action: ScenarioAction['kind'];
  readonly command: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunResult {
  readonly records: readonly ActionRecord[];
  /** Virtual time at the end. */
  readonly endMs: number;
  readonly stateHash: string;
  readonly cluster: Cluster;
}

/** The learner's machine: outside the cluster, so partitions never cut it off. */
export const CONSOLE_HOST = 'console';

/** A command may wait this long in virtual time for its answer before the run gives up on it. */
const COMMAND_LIMIT_MS = 120_000;

/**
 * Runs a scenario headless: builds its cluster, performs its actions in virtual time, then
 * runs on to `untilMs`. Actions run one after another, as typed in a shell: one starts at its
 * `at` time or when the one before it has finished, whichever is later.
 */
export function runScenario(scenario: Scenario, options: { untilMs?: number; seed?: number | string } = {}): RunResult {
  const cluster = new Cluster({ seed: options.seed ?? scenario.seed, spec: scenario.cluster, etcd: scenario.etcd });
  const world = cluster.world;
  world.net.addHost(CONSOLE_HOST, 'outside', undefined, { external: true });
  const env: EtcdctlEnv = {
    world,
    etcd: cluster.etcd,
    client: new EtcdClient(world, CONSOLE_HOST),
    memberIPs: new Map(cluster.nodes.filter((n) => n.role === 'control-plane').map((n) => [n.name, n.internalIP])),
  };
  // kubectl's contexts: the cluster's (through the load balancer), and one pinned to each master.
  const defaultContext = 'kubernetes-admin@kubeplay';
  const clients = new Map([[defaultContext, cluster.apiClient(CONSOLE_HOST, 'kubectl')]]);
  for (const m of cluster.masters) clients.set(m, cluster.apiClient(CONSOLE_HOST, `kubectl-${m}`, m));
  // The OpenAPI schemas for explain are read here, never by the engine, so the engine's bundle stays small.
  const files = new Map(Object.entries(scenario.files ?? {}));
  const kubectl: KubectlEnv = { world, defaultContext, clients, explainSchemas, files };
  const records: ActionRecord[] = [];
  for (const action of scenario.actions) {
    if (action.atMs > world.now) world.runUntil(action.atMs);
    const at = world.now;
    if (action.kind === 'fault') {
      cluster.applyFault(action.fault);
      records.push({ at, action: 'fault', command: describeFault(action.fault), exitCode: 0, stdout: '', stderr: '' });
      continue;
    }
    const result =
      action.kind === 'etcdctl'
        ? runToEnd(world, (done) => runEtcdctl(env, action.command, done))
        : // `-f -` with no stdin of its own reads the scenario's manifests.
          runToEnd(world, (done) => runKubectl(kubectl, action.command, action.stdin ?? scenario.manifests, done));
    records.push({ at, action: action.kind, command: action.command, ...result });
  }
  const until = options.untilMs ?? world.now;
  if (until > world.now) world.runUntil(until);
  return { records, endMs: world.now, stateHash: cluster.stateHash(), cluster };
}

function runToEnd(world: Cluster['world'], start: (done: (r: CommandResult) => void) => void): CommandResult {
  return world.runUntilDone(start, COMMAND_LIMIT_MS) ?? { exitCode: 1, stdout: '', stderr: 'Error: the command got no answer\n' };
}

/** The transcript form: "[1m30s] $ etcdctl …" followed by exactly what the console would show. */
export function formatTranscript(run: RunResult, formatTime: (ms: number) => string): string {
  let out = '';
  for (const r of run.records) {
    if (r.action === 'fault') out += `[${formatTime(r.at)}] ! ${r.command}\n`;
    else out += `[${formatTime(r.at)}] $ ${r.action} ${r.command}\n${r.stdout}${r.stderr}`;
  }
  return out;
}
