import { type KeyboardEvent, memo, type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { runConsoleLine } from '../commands';
import { useEngine } from '../engineClient';
import { formatVirtualTime } from '../formatVirtualTime';
import { Panel } from '../Panel';
import { appStore, type ConsoleLine, useAppStore } from '../store';
import { applyCompletion, AT_BOTTOM, consoleText, formatCandidates, type HistoryCursor, historyStep } from './consoleInput';
import './console.css';

/** Within this many pixels of the end the scrollback counts as "at the bottom" and follows new output. */
const STICK_PX = 24;

/**
 * A terminal for the simulated cluster: kubectl, etcdctl and the fault commands, with history
 * (↑/↓), tab completion from the engine, Ctrl+L to clear, and output that can be selected and copied.
 */
export function ConsolePanel() {
  const lines = useAppStore((s) => s.consoleLines);
  const inputRef = useRef<HTMLInputElement>(null);
  const { outputRef, onScroll, followOutput } = useFollowOutput(lines);
  const [copied, copyAll] = useCopyAll(outputRef);

  const focusInput = (): void => inputRef.current?.focus({ preventScroll: true });
  const onOutputClick = (): void => {
    // A click ends a selection too: only a plain click moves the focus, so output can be copied.
    if ((window.getSelection()?.toString() ?? '') === '') focusInput();
  };
  const clear = (): void => {
    appStore.getState().clearConsole();
    focusInput();
  };
  // Ctrl+L clears as in a shell, from the prompt or the scrollback (the browser's own Ctrl+L is the address bar).
  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.ctrlKey && !e.altKey && !e.metaKey && !e.shiftKey && e.key.toLowerCase() === 'l') {
      e.preventDefault();
      appStore.getState().clearConsole();
    }
  };

  const actions = (
    <>
      <button type="button" className="btn console__action" onClick={copyAll} disabled={lines.length === 0} data-testid="console-copy">
        {copied ? 'Copied' : 'Copy all'}
      </button>
      <button type="button" className="btn console__action" onClick={clear} disabled={lines.length === 0} data-testid="console-clear">
        Clear
      </button>
    </>
  );

  return (
    <Panel area="console" title="Console" actions={actions}>
      <div className="console" onKeyDown={onKeyDown}>
        {/* The log is focusable so it can be scrolled with the keyboard; a click in it goes back to the prompt. */}
        <div ref={outputRef} className="console__output" role="log" aria-label="Console output" tabIndex={0} data-testid="console-output" onScroll={onScroll} onClick={onOutputClick}>
          {chunksOf(lines).map((chunk) => (
            <Chunk key={chunk.key} lines={chunk.lines} />
          ))}
        </div>
        <PromptLine inputRef={inputRef} onSubmit={followOutput} measureRef={outputRef} />
      </div>
    </Panel>
  );
}

/** Lines are drawn in groups of this many (by id), so an append re-renders one group, not thousands of lines. */
const CHUNK = 100;

function chunksOf(lines: readonly ConsoleLine[]): { key: number; lines: readonly ConsoleLine[] }[] {
  const chunks: { key: number; lines: ConsoleLine[] }[] = [];
  for (const line of lines) {
    const key = Math.floor(line.id / CHUNK);
    const last = chunks[chunks.length - 1];
    if (last !== undefined && last.key === key) last.lines.push(line);
    else chunks.push({ key, lines: [line] });
  }
  return chunks;
}

/** Lines never change once printed and ids run on without gaps, so the same first id and length mean the same group. */
const Chunk = memo(
  function Chunk({ lines }: { lines: readonly ConsoleLine[] }) {
    return (
      <div className="console__chunk">
        {lines.map((line) => (
          <Block key={line.id} line={line} />
        ))}
      </div>
    );
  },
  (a, b) => a.lines.length === b.lines.length && a.lines[0]?.id === b.lines[0]?.id,
);

/** One entry of the scrollback: a command with its prompt and virtual time, or what it printed. */
const Block = memo(function Block({ line }: { line: ConsoleLine }) {
  if (line.kind !== 'input') {
    return (
      <div className={`console__block console__block--${line.kind}`} data-kind={line.kind}>
        {line.text}
      </div>
    );
  }
  const at = line.atMs === undefined ? undefined : formatVirtualTime(line.atMs);
  return (
    <div className="console__block console__block--input" data-kind="input" title={at === undefined ? undefined : `Ran at ${at} (virtual time)`}>
      <span className="console__prompt">$ </span>
      <span className="console__command">{line.text}</span>
      {at === undefined ? null : <span className="console__time">{at}</span>}
    </div>
  );
});

interface PromptLineProps {
  inputRef: RefObject<HTMLInputElement | null>;
  /** Called as a command is submitted: the scrollback should show its output. */
  onSubmit: () => void;
  /** The scrollback, to know how many characters a line of candidates may take. */
  measureRef: RefObject<HTMLDivElement | null>;
}

/** The `$` prompt and the line being typed. */
function PromptLine({ inputRef, onSubmit, measureRef }: PromptLineProps) {
  const engine = useEngine();
  const [value, setValue] = useState('');
  const [running, setRunning] = useState(0);
  const history = useRef<HistoryCursor>(AT_BOTTOM);
  /** The line and cursor after the last Tab: a second Tab there lists the candidates. */
  const lastTab = useRef<string | null>(null);
  /** Set by Escape so the next Tab leaves the console (the keyboard is never trapped). */
  const releaseTab = useRef(false);
  const pendingCursor = useRef<number | null>(null);

  useLayoutEffect(() => {
    const input = inputRef.current;
    if (input === null || pendingCursor.current === null) return;
    input.setSelectionRange(pendingCursor.current, pendingCursor.current);
    pendingCursor.current = null;
  }, [value, inputRef]);

  const edit = (line: string, cursor: number): void => {
    pendingCursor.current = cursor;
    setValue(line);
  };

  const submit = (): void => {
    const line = value;
    setValue('');
    history.current = AT_BOTTOM;
    lastTab.current = null;
    onSubmit();
    setRunning((n) => n + 1);
    runConsoleLine(engine, appStore, line)
      .catch((err: unknown) => {
        appStore.getState().appendConsole([{ kind: 'stderr', text: `error: ${err instanceof Error ? err.message : String(err)}` }]);
      })
      .finally(() => {
        setRunning((n) => n - 1);
      });
  };

  const walkHistory = (direction: -1 | 1): void => {
    const step = historyStep(appStore.getState().history, history.current, value, direction);
    if (step === null) return;
    history.current = step.at;
    edit(step.value, step.value.length);
  };

  const complete = async (line: string, cursor: number): Promise<void> => {
    let completion;
    try {
      completion = await engine.complete(line, cursor);
    } catch {
      return; // No completion is no harm: the line stays as typed.
    }
    const input = inputRef.current;
    // The learner typed on while the engine answered: the answer is for another line.
    if (input === null || input.value !== line || input.selectionStart !== cursor) return;
    const result = applyCompletion(line, cursor, completion);
    const key = `${cursor}:${line}`;
    if (result.kind === 'edit') {
      lastTab.current = `${result.cursor}:${result.line}`;
      edit(result.line, result.cursor);
    } else if (result.kind === 'ambiguous' && lastTab.current === key) {
      appStore.getState().appendConsole([{ kind: 'info', text: formatCandidates(result.candidates, columnsOf(measureRef.current)) }]);
      onSubmit();
    } else lastTab.current = key;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    const input = e.currentTarget;
    if (e.key === 'Tab' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !releaseTab.current && input.value !== '') {
      e.preventDefault();
      void complete(input.value, input.selectionStart ?? input.value.length);
      return;
    }
    releaseTab.current = e.key === 'Escape';
    if (e.key === 'Enter') {
      e.preventDefault();
      submit();
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      walkHistory(e.key === 'ArrowUp' ? -1 : 1);
    }
  };

  return (
    <div className="console__prompt-line" data-running={running > 0}>
      <span className="console__prompt" aria-hidden="true">
        $
      </span>
      <input
        ref={inputRef}
        className="console__input"
        aria-label="Command"
        aria-describedby="console-keys"
        data-testid="console-input"
        value={value}
        placeholder="Type a command, or help"
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        autoCorrect="off"
        onChange={(e) => {
          setValue(e.target.value);
        }}
        onKeyDown={onKeyDown}
      />
      <span className="console__status" role="status" data-testid="console-status">
        {running > 0 ? 'running…' : ''}
      </span>
      <span id="console-keys" className="sr-only">
        Enter runs the command. Up and Down walk the history. Tab completes; press Escape first to move focus with Tab. Control L clears the console.
      </span>
    </div>
  );
}

/** Keeps the scrollback at its end as output arrives, unless the learner scrolled up to read. */
function useFollowOutput(lines: readonly ConsoleLine[]) {
  const outputRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  const toBottom = useCallback(() => {
    const el = outputRef.current;
    if (el !== null && stick.current) el.scrollTop = el.scrollHeight;
  }, []);

  useLayoutEffect(toBottom, [lines, toBottom]);

  useEffect(() => {
    const el = outputRef.current;
    if (el === null) return undefined;
    // Resizing the panel moves the end; follow it if we were there.
    const observer = new ResizeObserver(toBottom);
    observer.observe(el);
    return () => {
      observer.disconnect();
    };
  }, [toBottom]);

  const onScroll = (): void => {
    const el = outputRef.current;
    if (el !== null) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_PX;
  };
  const followOutput = (): void => {
    stick.current = true;
    toBottom();
  };
  return { outputRef, onScroll, followOutput };
}

/** Copies the whole scrollback; says "Copied" for a moment. Without clipboard access it selects the text instead. */
function useCopyAll(outputRef: RefObject<HTMLDivElement | null>): [boolean, () => void] {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return undefined;
    const t = window.setTimeout(() => {
      setCopied(false);
    }, 1500);
    return () => {
      window.clearTimeout(t);
    };
  }, [copied]);
  const copy = (): void => {
    const text = consoleText(appStore.getState().consoleLines);
    // Promise.resolve().then: navigator.clipboard is missing outside secure contexts.
    Promise.resolve()
      .then(() => navigator.clipboard.writeText(text))
      .then(
      () => {
        setCopied(true);
      },
      () => {
        selectContents(outputRef.current);
      },
    );
  };
  return [copied, copy];
}

function selectContents(el: HTMLElement | null): void {
  const selection = window.getSelection();
  if (el === null || selection === null) return;
  const range = document.createRange();
  range.selectNodeContents(el);
  selection.removeAllRanges();
  selection.addRange(range);
}

/** How many monospace characters fit across the scrollback. */
function columnsOf(el: HTMLElement | null): number {
  if (el === null) return 80;
  const probe = document.createElement('span');
  probe.textContent = '0'.repeat(10);
  probe.setAttribute('aria-hidden', 'true');
  el.appendChild(probe);
  const charWidth = probe.getBoundingClientRect().width / 10;
  probe.remove();
  const style = getComputedStyle(el);
  const inner = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return charWidth > 0 ? Math.max(20, Math.floor(inner / charWidth)) : 80;
}
