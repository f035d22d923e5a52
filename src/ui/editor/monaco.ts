/**
 * Monaco with YAML and the Kubernetes schemas. Loaded only by dynamic import() from the
 * editor panel, after the page is up: everything here (the editor, its workers and the
 * schemas) lands in lazy chunks, not in the page's first bundle.
 */
// The editor core plus only the contributions a manifest editor uses (editor.all.js would
// also bring the diff editor, inline completions, colour pickers, …).
import 'monaco-editor/esm/vs/editor/browser/coreCommands.js';
import 'monaco-editor/esm/vs/editor/browser/widget/codeEditor/codeEditorWidget.js';
import 'monaco-editor/esm/vs/editor/contrib/bracketMatching/browser/bracketMatching.js';
import 'monaco-editor/esm/vs/editor/contrib/clipboard/browser/clipboard.js';
import 'monaco-editor/esm/vs/editor/contrib/codeAction/browser/codeActionContributions.js';
import 'monaco-editor/esm/vs/editor/contrib/comment/browser/comment.js';
import 'monaco-editor/esm/vs/editor/contrib/contextmenu/browser/contextmenu.js';
import 'monaco-editor/esm/vs/editor/contrib/cursorUndo/browser/cursorUndo.js';
import 'monaco-editor/esm/vs/editor/contrib/find/browser/findController.js';
import 'monaco-editor/esm/vs/editor/contrib/folding/browser/folding.js';
import 'monaco-editor/esm/vs/editor/contrib/format/browser/formatActions.js';
import 'monaco-editor/esm/vs/editor/contrib/gotoError/browser/gotoError.js';
import 'monaco-editor/esm/vs/editor/contrib/hover/browser/hoverContribution.js';
import 'monaco-editor/esm/vs/editor/contrib/indentation/browser/indentation.js';
import 'monaco-editor/esm/vs/editor/contrib/linesOperations/browser/linesOperations.js';
import 'monaco-editor/esm/vs/editor/contrib/links/browser/links.js';
import 'monaco-editor/esm/vs/editor/contrib/multicursor/browser/multicursor.js';
import 'monaco-editor/esm/vs/editor/contrib/smartSelect/browser/smartSelect.js';
import 'monaco-editor/esm/vs/editor/contrib/snippet/browser/snippetController2.js';
import 'monaco-editor/esm/vs/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/esm/vs/editor/contrib/tokenization/browser/tokenization.js';
import 'monaco-editor/esm/vs/editor/contrib/wordHighlighter/browser/wordHighlighter.js';
import 'monaco-editor/esm/vs/editor/contrib/wordOperations/browser/wordOperations.js';
import 'monaco-editor/esm/vs/editor/contrib/readOnlyMessage/browser/contribution.js';
import 'monaco-editor/esm/vs/editor/common/standaloneStrings.js';
import 'monaco-editor/esm/vs/base/browser/ui/codicons/codiconStyles.js';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import { configureMonacoYaml } from 'monaco-yaml';
import YamlWorker from './yaml.worker?worker';
import type { AppStore, EditorProblem, EditorTab } from '../store';
import { buildEditorSchema, type GeneratedSchemas } from './editorSchema';

/** The marker owner of the API server's errors (monaco-yaml's own markers have theirs). */
export const API_MARKER_OWNER = 'kubernetes-api';

export interface MountedEditor {
  /** Moves the cursor to a problem and shows it. */
  reveal(line: number, column: number): void;
  focus(): void;
  dispose(): void;
}

export interface MountOptions {
  /** Ctrl/Cmd+Enter in the editor. */
  onApply: () => void;
}

let configured: Promise<void> | undefined;

/** Workers, the YAML language service with the Kubernetes schema, and the themes: once per page. */
function configure(): Promise<void> {
  configured ??= (async () => {
    self.MonacoEnvironment = {
      getWorker: (_workerId: string, label: string) => (label === 'yaml' ? new YamlWorker() : new EditorWorker()),
    };
    const generated = (await import('../../generated/kubernetes-schemas.full.json')).default as unknown as GeneratedSchemas;
    configureMonacoYaml(withWorkerHandshake(), {
      enableSchemaRequest: false,
      hover: true,
      completion: true,
      validate: true,
      // The hover's "source" would be a link to the in-memory schema: nothing to open.
      hoverSchemaSource: false,
      schemas: [{ uri: 'inmemory://kubeplay/kubernetes.json', fileMatch: ['*'], schema: buildEditorSchema(generated) }],
    });
    followSystemTheme();
  })();
  return configured;
}

/** What monaco-yaml's worker manager passes to createWebWorker (the API before Monaco 0.53). */
interface LegacyWorkerOptions {
  readonly moduleId?: string;
  readonly label?: string;
  readonly createData?: unknown;
}

/**
 * Monaco as monaco-yaml should see it. Since Monaco 0.53, `editor.createWebWorker` wants the
 * Worker itself, while monaco-yaml 5.5 still passes a label and its `createData` (Monaco
 * then runs the YAML service nowhere: "Missing requestHandler or method: doValidation").
 * This creates the worker through MonacoEnvironment and sends the two messages its start-up
 * expects (one to wake it, then createData) before Monaco's own first message.
 */
function withWorkerHandshake(): typeof monaco {
  const create = monaco.editor.createWebWorker;
  const hasWorker = (o: LegacyWorkerOptions | monaco.editor.IInternalWebWorkerOptions): o is monaco.editor.IInternalWebWorkerOptions => 'worker' in o;
  const createWebWorker = (opts: LegacyWorkerOptions | monaco.editor.IInternalWebWorkerOptions): ReturnType<typeof create> => {
    if (hasWorker(opts)) return create(opts);
    const worker = Promise.resolve(self.MonacoEnvironment?.getWorker?.(opts.moduleId ?? '', opts.label ?? 'yaml')).then((w) => {
      if (w === undefined) throw new Error(`no worker for ${opts.label ?? 'yaml'}`);
      w.postMessage('start');
      w.postMessage(opts.createData);
      return w;
    });
    return create({ worker });
  };
  return { ...monaco, editor: { ...monaco.editor, createWebWorker: createWebWorker as typeof create } };
}

/** Creates the editor in `container`, showing the store's tabs, one model per tab. */
export async function mountEditor(container: HTMLElement, store: AppStore, options: MountOptions): Promise<MountedEditor> {
  await configure();
  const editor = monaco.editor.create(container, editorOptions());
  const models = new TabModels();
  const viewStates = new Map<string, monaco.editor.ICodeEditorViewState | null>();

  const showTab = (name: string): void => {
    const current = models.nameOf(editor.getModel());
    if (current === name) return;
    if (current !== undefined) viewStates.set(current, editor.saveViewState());
    const model = models.get(name) ?? null;
    editor.setModel(model);
    const state = viewStates.get(name);
    if (model !== null && state !== undefined && state !== null) editor.restoreViewState(state);
  };

  // Every marker of the shown file (YAML syntax, schema, API) on the host element, for tests
  // and tools that cannot reach Monaco's API: data-markers="10:warning 24:error".
  const exposeMarkers = (): void => {
    const model = editor.getModel();
    const markers = model === null ? [] : monaco.editor.getModelMarkers({ resource: model.uri });
    container.dataset.markers = [...markers]
      .sort((a, b) => a.startLineNumber - b.startLineNumber)
      .map((m) => `${m.startLineNumber}:${SEVERITY[m.severity] ?? 'info'}`)
      .join(' ');
  };

  const state = store.getState();
  models.sync(state.tabs);
  models.showProblems(state.problems);
  showTab(state.activeTab);

  const unsubscribe = store.subscribe((s, prev) => {
    const created = s.tabs !== prev.tabs && models.sync(s.tabs);
    for (const name of viewStates.keys()) if (models.get(name) === undefined) viewStates.delete(name);
    if (s.activeTab !== prev.activeTab || s.tabs !== prev.tabs) showTab(s.activeTab);
    if (created || s.problems !== prev.problems) models.showProblems(s.problems);
  });
  const disposables = [
    monaco.editor.onDidChangeMarkers(exposeMarkers),
    editor.onDidChangeModel(exposeMarkers),
    editor.onDidChangeModelContent(() => {
      const model = editor.getModel();
      const name = models.nameOf(model);
      if (model === null || name === undefined) return;
      const text = model.getValue();
      // Our own sync from the store comes back here; only the learner's edits go to the store.
      if (models.noteText(name, text)) store.getState().setTabText(name, text);
    }),
  ];
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => {
    options.onApply();
  });

  return {
    reveal: (line, column) => {
      editor.revealLineInCenterIfOutsideViewport(line);
      editor.setPosition({ lineNumber: line, column });
      editor.focus();
    },
    focus: () => {
      editor.focus();
    },
    dispose: () => {
      unsubscribe();
      for (const d of disposables) d.dispose();
      editor.dispose();
      models.dispose();
    },
  };
}

function editorOptions(): monaco.editor.IStandaloneEditorConstructionOptions {
  const mono = getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim();
  return {
    model: null,
    theme: themeName(),
    ariaLabel: 'Manifest editor',
    minimap: { enabled: false },
    fontSize: 12.5,
    ...(mono === '' ? {} : { fontFamily: mono }),
    tabSize: 2,
    insertSpaces: true,
    detectIndentation: false,
    scrollBeyondLastLine: false,
    automaticLayout: true,
    quickSuggestions: { other: true, comments: false, strings: true },
    lineNumbersMinChars: 3,
    // The column is 400px: no room for a glyph margin nobody uses here.
    glyphMargin: false,
    lineDecorationsWidth: 6,
    // The panel clips its content: hovers and suggestions must be able to leave it.
    fixedOverflowWidgets: true,
    renderLineHighlight: 'line',
    scrollbar: { verticalScrollbarSize: 10, horizontalScrollbarSize: 10 },
  };
}

/** One Monaco model per tab (file:///NAME), kept equal to the tab's text in the store. */
class TabModels {
  private readonly models = new Map<string, monaco.editor.ITextModel>();
  /** The text each model last had, so a keystroke's round trip through the store reads no model. */
  private readonly known = new Map<string, string>();

  get(name: string): monaco.editor.ITextModel | undefined {
    return this.models.get(name);
  }

  nameOf(model: monaco.editor.ITextModel | null): string | undefined {
    for (const [name, m] of this.models) if (m === model) return name;
    return undefined;
  }

  /** Records the model's text; true when it differs from what the store was last known to hold. */
  noteText(name: string, text: string): boolean {
    if (this.known.get(name) === text) return false;
    this.known.set(name, text);
    return true;
  }

  /** Creates, updates and disposes models to match the tabs; true when a model was created. */
  sync(tabs: readonly EditorTab[]): boolean {
    let created = false;
    for (const tab of tabs) {
      const model = this.models.get(tab.name);
      if (model === undefined) {
        const uri = monaco.Uri.parse(`file:///${tab.name}`);
        const made = monaco.editor.getModel(uri) ?? monaco.editor.createModel(tab.text, 'yaml', uri);
        if (made.getValue() !== tab.text) made.setValue(tab.text);
        this.models.set(tab.name, made);
        created = true;
      } else if (this.known.get(tab.name) !== tab.text && model.getValue() !== tab.text) {
        // Changed outside the editor (a lesson, a script): as one edit, so undo brings it back.
        this.known.set(tab.name, tab.text);
        model.pushEditOperations([], [{ range: model.getFullModelRange(), text: tab.text }], () => null);
      }
      this.known.set(tab.name, tab.text);
    }
    for (const [name, model] of this.models) {
      if (tabs.some((t) => t.name === name)) continue;
      model.dispose();
      this.models.delete(name);
      this.known.delete(name);
    }
    return created;
  }

  /** The API server's errors as Error markers on their tabs (the other tabs' are cleared). */
  showProblems(problems: readonly EditorProblem[]): void {
    for (const [name, model] of this.models) {
      const mine = problems.filter((p) => p.tab === name);
      monaco.editor.setModelMarkers(model, API_MARKER_OWNER, mine.map((p) => markerFor(model, p)));
    }
  }

  dispose(): void {
    for (const model of this.models.values()) model.dispose();
    this.models.clear();
    this.known.clear();
  }
}

const SEVERITY: Partial<Record<monaco.MarkerSeverity, string>> = {
  [monaco.MarkerSeverity.Error]: 'error',
  [monaco.MarkerSeverity.Warning]: 'warning',
  [monaco.MarkerSeverity.Info]: 'info',
  [monaco.MarkerSeverity.Hint]: 'hint',
};

/** An API error as an Error marker from its column to the end of its line. */
function markerFor(model: monaco.editor.ITextModel, p: EditorProblem): monaco.editor.IMarkerData {
  const line = Math.min(Math.max(1, p.line), model.getLineCount());
  const end = model.getLineMaxColumn(line);
  const start = Math.min(Math.max(1, p.column), end);
  return {
    severity: monaco.MarkerSeverity.Error,
    message: p.message,
    source: 'kube-apiserver',
    startLineNumber: line,
    startColumn: start,
    endLineNumber: line,
    endColumn: Math.max(end, start + 1),
  };
}

// ---- theme: Monaco's own, with the page's panel colours, light or dark as the system is ------------

const LIGHT = window.matchMedia('(prefers-color-scheme: light)');

function themeName(): string {
  return LIGHT.matches ? 'kubeplay-light' : 'kubeplay-dark';
}

/** Defines both themes from the page's colour tokens and switches when the system does. */
function followSystemTheme(): void {
  const define = (): void => {
    const css = getComputedStyle(document.documentElement);
    // The minifier shortens #ffffff to #fff; Monaco reads only 6- and 8-digit colours.
    const token = (name: string): string => css.getPropertyValue(name).trim().replace(/^#([0-9a-f])([0-9a-f])([0-9a-f])([0-9a-f])?$/i, (_m, r: string, g: string, b: string, a?: string) => `#${r}${r}${g}${g}${b}${b}${a === undefined ? '' : a + a}`);
    const colors: Record<string, string> = {
      'editor.background': token('--panel'),
      'editorGutter.background': token('--panel'),
      'editor.lineHighlightBackground': token('--panel-raised'),
      'editor.lineHighlightBorder': token('--panel-raised'),
      'editorLineNumber.foreground': token('--text-faint'),
      'editorLineNumber.activeForeground': token('--text-muted'),
      'editorWidget.background': token('--panel-raised'),
      'editorWidget.border': token('--border-strong'),
      'editorHoverWidget.background': token('--panel-raised'),
      'editorHoverWidget.border': token('--border-strong'),
      'editorSuggestWidget.background': token('--panel-raised'),
      'editorSuggestWidget.border': token('--border-strong'),
      focusBorder: token('--accent'),
    };
    // A token the browser cannot read (an old cached stylesheet) falls back to Monaco's own colour.
    const valid = Object.fromEntries(Object.entries(colors).filter(([, v]) => /^#([0-9a-f]{6}|[0-9a-f]{8})$/i.test(v)));
    monaco.editor.defineTheme(themeName(), { base: LIGHT.matches ? 'vs' : 'vs-dark', inherit: true, rules: [], colors: valid });
    monaco.editor.setTheme(themeName());
  };
  define();
  LIGHT.addEventListener('change', define);
}
