import type { Fault } from '../engine/faults';
import { DEFAULT_ETCD_SETTINGS } from '../engine/store/etcdMember';
import { DEFAULT_CLUSTER_SPEC } from '../engine/topology';
import { terminalOrder } from '../kubectl/commandResult';
import { runScenario } from './runScenario';
import type { Scenario, ScenarioAction } from './scenario';

/** A step of a golden transcript test: a command, a fault, or time passing. */
export type GoldenStep = { kubectl: string; stdin?: string } | { etcdctl: string } | { fault: Fault } | { wait: number };

/**
 * Runs steps as a scenario on the default cluster (the path the CLI, lessons and links take)
 * and writes what happened as text for a golden file: each command with its time, its output
 * and its exit code; each fault as "! …". A wait moves the time the next step starts at;
 * `files` are the files `-f NAME` reads.
 */
export function goldenTranscript(steps: readonly GoldenStep[], seed = 1, files?: Readonly<Record<string, string>>): string {
  let at = 0;
  const actions: ScenarioAction[] = [];
  for (const s of steps) {
    if ('wait' in s) at += s.wait;
    else if ('fault' in s) actions.push({ atMs: at, kind: 'fault', fault: s.fault });
    else if ('etcdctl' in s) actions.push({ atMs: at, kind: 'etcdctl', command: s.etcdctl });
    else actions.push({ atMs: at, kind: 'kubectl', command: s.kubectl, ...(s.stdin === undefined ? {} : { stdin: s.stdin }) });
  }
  const scenario: Scenario = { name: 'golden', seed, cluster: DEFAULT_CLUSTER_SPEC, etcd: DEFAULT_ETCD_SETTINGS, manifests: '', ...(files === undefined ? {} : { files }), actions };
  let out = '';
  for (const r of runScenario(scenario).records) {
    if (r.action === 'fault') {
      out += `! ${r.command}\n`;
      continue;
    }
    // Some output (jsonpath) ends without a newline, as the real tools' does; the transcript starts a line anyway.
    const stdout = r.stdout === '' || r.stdout.endsWith('\n') ? r.stdout : `${r.stdout}\n`;
    const { ahead, rest } = terminalOrder(r);
    out += `[${(r.at / 1000).toFixed(3)}s] $ ${r.action}${r.command === '' ? '' : ` ${r.command}`}\n${ahead}${stdout}${rest}exit ${r.exitCode}\n\n`;
  }
  return out;
}

