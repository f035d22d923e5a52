import { terminalOrder } from '../kubectl/commandResult';
import { imagesHelp } from './console/imagesHelp';
import type { EngineClient } from './engineClient';
import { FAULT_HELP, faultCommand, parseFaultCommand } from './faultCommand';
import type { ActionOutcome, SessionAction } from './protocol';
import type { AppStore } from './store';

/**
 * The one way anything changes the cluster from the page: the console, the editor's Apply
 * button and the map's menus all come here. The command is echoed into the console as the
 * learner would type it, dispatched as a named action, and its output printed under it.
 */
export async function runAction(engine: EngineClient, store: AppStore, action: SessionAction): Promise<ActionOutcome> {
  const s = store.getState();
  s.appendConsole([{ kind: 'input', text: commandLine(action), atMs: s.snapshot.now }]);
  let outcome: ActionOutcome;
  try {
    outcome = await engine.dispatch(action);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    outcome = { exitCode: 1, stdout: '', stderr: `error: ${message}\n`, startedAtMs: s.snapshot.now, endedAtMs: s.snapshot.now };
  }
  printOutcome(store, outcome);
  return outcome;
}

/**
 * A line typed in the console: `kubectl …` (or `k …`), `etcdctl …`, a fault command (kill,
 * partition, heal, ssh … systemctl), `clear` or `help`. `-f NAME` reads the editor's tab NAME.
 */
export async function runConsoleLine(engine: EngineClient, store: AppStore, line: string): Promise<ActionOutcome | null> {
  const trimmed = line.trim();
  const s = store.getState();
  s.pushHistory(trimmed);
  if (trimmed === '') return null;
  if (trimmed === 'clear') {
    s.clearConsole();
    return null;
  }
  const action = actionFor(trimmed, store);
  if ('error' in action) {
    s.appendConsole([
      { kind: 'input', text: trimmed, atMs: s.snapshot.now },
      { kind: action.help === true ? 'info' : 'stderr', text: action.error },
    ]);
    return null;
  }
  return runAction(engine, store, action);
}

/** Turns a console line into an action, or says why it is not one. */
export function actionFor(line: string, store: AppStore): SessionAction | { error: string; help?: boolean } {
  const [first] = line.split(/\s+/, 1);
  const rest = line.slice((first ?? '').length).trim();
  if (first === 'kubectl' || first === 'k') {
    return { type: 'kubectl', command: rest, ...filesFor(rest, store.getState().tabs) };
  }
  if (first === 'etcdctl') return { type: 'etcdctl', command: rest };
  if (first === 'curl') return { type: 'curl', command: rest };
  if (first === 'load') return { type: 'load', command: rest };
  if (first === 'help') return { error: HELP, help: true };
  if (first === 'images') return { error: imagesHelp(rest), help: true };
  if (first === 'crash') return parseCrash(rest);
  const fault = parseFaultCommand(line);
  if (fault !== null) return 'error' in fault ? { error: fault.error } : { type: 'fault', fault: fault.fault };
  return { error: `${first ?? line}: command not found (type "help" for what this console runs)` };
}

/**
 * The editor's tabs a command reads go with it, so the action log holds what it read: the
 * names after -f/--filename (also in bundles like -Rf), or every tab when a name is not one.
 */
export function filesFor(command: string, tabs: readonly { name: string; text: string }[]): { files?: Record<string, string> } {
  const words = command.split(/\s+/);
  const named: string[] = [];
  let reads = false;
  words.forEach((w, i) => {
    const inline = /^(?:--filename|--kustomize|-[a-zA-Z]*[fk])=(.+)$/.exec(w);
    if (inline !== null) {
      reads = true;
      named.push(inline[1] as string);
    } else if (/^(?:--filename|--kustomize)$|^-[a-zA-Z]*[fk]$/.test(w)) {
      reads = true;
      const next = words[i + 1];
      if (next !== undefined) named.push(next);
    } else if (/^-[a-zA-Z]*f[^=]/.test(w) && !w.startsWith('--')) {
      // -fweb.yaml: the value glued to the shorthand.
      reads = true;
      named.push(w.slice(w.indexOf('f') + 1));
    }
  });
  if (!reads) return {};
  const byName = new Map(tabs.map((t) => [t.name, t.text]));
  const picked = named.every((n) => byName.has(n) || n === '-') ? tabs.filter((t) => named.includes(t.name)) : tabs;
  const files: Record<string, string> = {};
  for (const t of picked) files[t.name] = t.text;
  return { files };
}

/** `crash pod [-n NS] NAME [-c CONTAINER]`: what the map's "Crash container" runs. */
export function parseCrash(args: string): SessionAction | { error: string } {
  const words = args.split(/\s+/).filter((w) => w !== '');
  const usage = { error: 'usage: crash pod [-n NAMESPACE] NAME [-c CONTAINER]   (kills the container\'s main process: exit code 137)' };
  if (words[0] !== 'pod' && words[0] !== 'po' && words[0] !== 'pods') return usage;
  let namespace = 'default';
  let container: string | undefined;
  let pod: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    const value = words[i + 1];
    if ((w === '-n' || w === '--namespace') && value !== undefined) namespace = value;
    else if ((w === '-c' || w === '--container') && value !== undefined) container = value;
    else if (pod === undefined && !w.startsWith('-')) {
      pod = w;
      continue;
    } else return usage;
    i++;
  }
  if (pod === undefined) return usage;
  return { type: 'crashContainer', namespace, pod, ...(container === undefined ? {} : { container }) };
}

/** The line a learner would have typed for an action. */
export function commandLine(action: SessionAction): string {
  switch (action.type) {
    case 'kubectl':
      return `kubectl ${action.command}`;
    case 'etcdctl':
      return `etcdctl ${action.command}`;
    case 'curl':
      return `curl ${action.command}`;
    case 'load':
      return action.command === '' ? 'load' : `load ${action.command}`;
    case 'fault':
      return faultCommand(action.fault);
    case 'crashContainer':
      return `crash pod ${action.namespace === 'default' ? '' : `-n ${action.namespace} `}${action.pod}${action.container === undefined ? '' : ` -c ${action.container}`}`;
  }
}

function printOutcome(store: AppStore, outcome: ActionOutcome): void {
  const lines: { kind: 'stdout' | 'stderr'; text: string }[] = [];
  const { ahead, rest } = terminalOrder(outcome);
  if (ahead !== '') lines.push({ kind: 'stderr', text: ahead.replace(/\n$/, '') });
  if (outcome.stdout !== '') lines.push({ kind: 'stdout', text: outcome.stdout.replace(/\n$/, '') });
  if (rest !== '') lines.push({ kind: 'stderr', text: rest.replace(/\n$/, '') });
  if (lines.length > 0) store.getState().appendConsole(lines);
}

const HELP = `This console runs:
  kubectl ...             get, describe, apply -f TAB, create, delete, scale, rollout, set image,
                          cordon, drain, taint, label, logs, top, events, explain, config …
                          (-f NAME reads the editor tab NAME; --context master-3 talks to one master)
  etcdctl ...             member list, endpoint status --cluster -w table, get / --prefix --keys-only …
  curl [-s] [-m SECS] URL  from this laptop, outside the cluster: http://worker-1:30080/ (a NodePort)
  load URL [--rate N]     keep sending N requests/s from this laptop (see the Traffic chart);
                          load lists them, load stop [URL] ends them
${FAULT_HELP}
  images [NAME]           the images pods can run here, and what each does
  clear (or Ctrl+L)       clear the console
Keys: ↑/↓ history, Tab completes commands, kinds and names.`;
