import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { runAction } from '../commands';
import { useEngine } from '../engineClient';
import { Panel } from '../Panel';
import { appStore, useAppStore, type EditorProblem } from '../store';
import './editor.css';
import type { MountedEditor } from './monaco';
import { persistEditor, restoreEditor } from './persistence';
import { shortProblemText } from './problemText';
import { closeTab, NEW_TAB_TEXT, newTabName } from './tabs';

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const APPLY_KEYS = IS_MAC ? '⌘↵' : 'Ctrl+Enter';

type EditorLoad = { state: 'loading' } | { state: 'ready' } | { state: 'failed'; message: string };

/** What the footer says about the last Apply or Dry run. */
type Status = { kind: 'idle' } | { kind: 'busy'; dryRun: boolean } | { kind: 'ok' | 'failed'; text: string };

/**
 * The manifest editor: tabs of YAML files, Monaco with the Kubernetes schemas once it has
 * loaded (the file is shown read-only until then), Apply and Dry run, and the API server's
 * errors placed at the lines they are about.
 */
export function EditorPanel() {
  const engine = useEngine();
  const tabs = useAppStore((s) => s.tabs);
  const activeTab = useAppStore((s) => s.activeTab);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [load, setLoad] = useState<EditorLoad>({ state: 'loading' });
  const editorRef = useRef<MountedEditor | null>(null);
  const hostRef = useRef<HTMLDivElement | null>(null);

  useLayoutEffect(() => {
    restoreEditor(appStore);
    return persistEditor(appStore);
  }, []);

  // Ctrl+Enter works while the buttons are disabled: one apply at a time all the same.
  const busyRef = useRef(false);
  const apply = useCallback(
    async (dryRun: boolean) => {
      const { tabs: all, activeTab: tab } = appStore.getState();
      const text = all.find((t) => t.name === tab)?.text;
      if (text === undefined || busyRef.current) return;
      busyRef.current = true;
      setStatus({ kind: 'busy', dryRun });
      const files = Object.fromEntries(all.map((t) => [t.name, t.text]));
      const command = `apply -f ${tab}${dryRun ? ' --dry-run=server' : ''}`;
      const outcome = await runAction(engine, appStore, { type: 'kubectl', command, files });
      const problems = outcome.exitCode === 0 ? [] : await placeErrors(text, tab, outcome.stderr);
      // Edited while the command ran: these lines may not be where the errors are any more.
      if (appStore.getState().tabs.find((t) => t.name === tab)?.text === text) appStore.getState().setProblems(tab, problems);
      busyRef.current = false;
      setStatus(outcome.exitCode === 0 ? { kind: 'ok', text: summary(outcome.stdout, dryRun) } : { kind: 'failed', text: failure(problems.length, dryRun) });
    },
    [engine],
  );

  // The latest apply for Monaco's key binding, which is registered once.
  const applyRef = useRef(apply);
  useEffect(() => {
    applyRef.current = apply;
  }, [apply]);

  useEffect(() => {
    let cancelled = false;
    let mounted: MountedEditor | null = null;
    const start = (): void => {
      import('./monaco')
        .then(async ({ mountEditor }) => {
          if (cancelled || hostRef.current === null) return;
          mounted = await mountEditor(hostRef.current, appStore, { onApply: () => void applyRef.current(false) });
          if (cancelled) {
            mounted.dispose();
            return;
          }
          editorRef.current = mounted;
          setLoad({ state: 'ready' });
        })
        .catch((err: unknown) => {
          if (!cancelled) setLoad({ state: 'failed', message: err instanceof Error ? err.message : String(err) });
        });
    };
    // After the map and the rest of the page are up and interactive.
    const idle = typeof requestIdleCallback === 'function' ? requestIdleCallback(start, { timeout: 1500 }) : undefined;
    const timer = idle === undefined ? setTimeout(start, 300) : undefined;
    return () => {
      cancelled = true;
      if (idle !== undefined) cancelIdleCallback(idle);
      if (timer !== undefined) clearTimeout(timer);
      mounted?.dispose();
      editorRef.current = null;
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent): void => {
    // Monaco handles its own Ctrl+Enter; this one serves the read-only view and the tab strip.
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
      e.preventDefault();
      void apply(false);
    }
  };

  const busy = status.kind === 'busy';
  const text = tabs.find((t) => t.name === activeTab)?.text ?? '';
  const actions = (
    <>
      <button type="button" className="btn" data-testid="editor-dry-run" disabled={busy} onClick={() => void apply(true)} title={`kubectl apply -f ${activeTab} --dry-run=server`}>
        Dry run
      </button>
      <button type="button" className="btn btn--primary" data-testid="editor-apply" disabled={busy} onClick={() => void apply(false)} title={`kubectl apply -f ${activeTab}`} aria-keyshortcuts="Control+Enter Meta+Enter">
        Apply <kbd className="editor__kbd">{APPLY_KEYS}</kbd>
      </button>
    </>
  );

  return (
    <Panel area="editor" title="Manifests" actions={actions}>
      <div className="editor" onKeyDown={onKeyDown} data-testid="editor" data-editor-state={load.state} data-active-tab={activeTab} data-busy={busy}>
        <TabStrip />
        <div className="editor__main">
          <div ref={hostRef} className="editor__monaco" data-testid="editor-monaco" hidden={load.state !== 'ready'} />
          {load.state === 'ready' ? null : (
            <div className="editor__fallback">
              <p className="editor__loading" role="status">
                {load.state === 'loading' ? 'Loading editor…' : `The editor could not load (${load.message}); Apply still sends this file.`}
              </p>
              <pre className="editor__pre mono" data-testid="editor-fallback" tabIndex={0} aria-label={`${activeTab} (read-only until the editor loads)`}>
                {text}
              </pre>
            </div>
          )}
        </div>
        <Problems tab={activeTab} onPick={(p) => editorRef.current?.reveal(p.line, p.column)} />
        <StatusLine status={status} />
      </div>
    </Panel>
  );
}

function TabStrip() {
  const tabs = useAppStore((s) => s.tabs);
  const activeTab = useAppStore((s) => s.activeTab);
  const addTab = (): void => {
    const s = appStore.getState();
    const name = newTabName(s.tabs);
    s.setTabs([...s.tabs, { name, text: NEW_TAB_TEXT }], name);
  };
  const close = (name: string): void => {
    const s = appStore.getState();
    const next = closeTab(s.tabs, s.activeTab, name);
    if (next === null) return;
    s.setTabs(next.tabs, next.active);
  };
  return (
    <nav className="editor__tabs" aria-label="Manifest files">
      {tabs.map((t) => {
        const active = t.name === activeTab;
        return (
          <div key={t.name} className={`editor__tab${active ? ' is-active' : ''}`} data-testid="editor-tab" data-tab={t.name} data-active={active}>
            <button type="button" aria-current={active ? 'true' : undefined} className="editor__tab-name mono" data-testid="editor-tab-select" onClick={() => appStore.getState().setActiveTab(t.name)}>
              {t.name}
            </button>
            <button type="button" className="editor__tab-close" aria-label={`Close ${t.name}`} data-testid="editor-close-tab" disabled={tabs.length <= 1} onClick={() => close(t.name)}>
              ×
            </button>
          </div>
        );
      })}
      <button type="button" className="editor__tab-add" aria-label="New file" title="New file" data-testid="editor-new-tab" onClick={addTab}>
        +
      </button>
    </nav>
  );
}

const NO_PROBLEMS: readonly EditorProblem[] = [];

function Problems({ tab, onPick }: { tab: string; onPick: (p: EditorProblem) => void }) {
  const all = useAppStore((s) => s.problems);
  const problems = all.some((p) => p.tab === tab) ? all.filter((p) => p.tab === tab) : NO_PROBLEMS;
  if (problems.length === 0) return null;
  return (
    <ul className="editor__problems" data-testid="editor-problems" aria-label={`Problems in ${tab}`}>
      {problems.map((p, i) => (
        <li key={`${p.line}:${p.column}:${i}`}>
          <button type="button" className="editor__problem" data-testid="editor-problem" data-line={p.line} data-column={p.column} onClick={() => onPick(p)} title={p.message}>
            <span className="editor__problem-at mono">{`${p.line}:${p.column}`}</span>
            <span className="editor__problem-text">{shortProblemText(p.message)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function StatusLine({ status }: { status: Status }) {
  const text =
    status.kind === 'idle' ? `${APPLY_KEYS} applies this file` : status.kind === 'busy' ? (status.dryRun ? 'Dry run…' : 'Applying…') : status.text;
  return (
    <p className={`editor__status editor__status--${status.kind}`} data-testid="editor-status" data-status={status.kind} role="status" aria-live="polite">
      {text}
    </p>
  );
}

/** The API's errors at their lines; none if the locator cannot load (the console still has them). */
async function placeErrors(text: string, tab: string, stderr: string): Promise<EditorProblem[]> {
  try {
    // Only a failed apply needs the YAML parser: it stays out of the page's first bundle.
    const { locateApplyErrors } = await import('./locateErrors');
    return locateApplyErrors(text, tab, stderr);
  } catch {
    return [];
  }
}

/** "deployment.apps/web configured, service/web unchanged". */
function summary(stdout: string, dryRun: boolean): string {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  const text = lines.map((l) => l.replace(/ \((server )?dry run\)$/, '')).join(', ');
  return `${dryRun ? 'Dry run: ' : ''}${text === '' ? 'done' : text}`;
}

function failure(count: number, dryRun: boolean): string {
  const what = dryRun ? 'Dry run failed' : 'Apply failed';
  return count === 0 ? `${what}: see the console` : `${what}: ${count} problem${count === 1 ? '' : 's'} (see the console)`;
}
