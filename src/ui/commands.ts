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
    return { type: 'kubectl', command: rest, ...filesFor(rest, store) };
  }
  if (first === 'etcdctl') return { type: 'etcdctl', command: rest };
  if (first === 'help') return { error: HELP, help: true };
  const fault = parseFaultCommand(line);
  if (fault !== null) return 'error' in fault ? { error: fault.error } : { type: 'fault', fault: fault.fault };
  return { error: `${first ?? line}: command not found (type "help" for what this console runs)` };
}

/** The editor's tabs go with a command that reads files, so the action log holds what it read. */
function filesFor(command: string, store: AppStore): { files?: Record<string, string> } {
  if (!/(^|\s)(-f|--filename|-k|--kustomize)(\s|=|$)|\s-f\S/.test(command)) return {};
  const files: Record<string, string> = {};
  for (const t of store.getState().tabs) files[t.name] = t.text;
  return { files };
}

/** The line a learner would have typed for an action. */
export function commandLine(action: SessionAction): string {
  switch (action.type) {
    case 'kubectl':
      return `kubectl ${action.command}`;
    case 'etcdctl':
      return `etcdctl ${action.command}`;
    case 'fault':
      return faultCommand(action.fault);
    case 'crashContainer':
      return `crash pod ${action.namespace === 'default' ? '' : `-n ${action.namespace} `}${action.pod}${action.container === undefined ? '' : ` -c ${action.container}`}`;
  }
}

function printOutcome(store: AppStore, outcome: ActionOutcome): void {
  const lines: { kind: 'stdout' | 'stderr'; text: string }[] = [];
  if (outcome.stdout !== '') lines.push({ kind: 'stdout', text: outcome.stdout.replace(/\n$/, '') });
  if (outcome.stderr !== '') lines.push({ kind: 'stderr', text: outcome.stderr.replace(/\n$/, '') });
  if (lines.length > 0) store.getState().appendConsole(lines);
}

const HELP = `This console runs:
  kubectl ...             get, describe, apply -f TAB, create, delete, scale, rollout, set image,
                          cordon, drain, taint, label, logs, top, events, explain, config …
                          (-f NAME reads the editor tab NAME; --context master-3 talks to one master)
  etcdctl ...             member list, endpoint status --cluster -w table, get / --prefix --keys-only …
${FAULT_HELP}
  clear (or Ctrl+L)       clear the console
Keys: ↑/↓ history, Tab completes commands, kinds and names.`;
