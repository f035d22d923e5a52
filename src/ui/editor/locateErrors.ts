import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type Pair } from 'yaml';
import type { EditorProblem } from '../store';

/**
 * Places what `kubectl apply -f TAB` printed on stderr at the lines of TAB it is about: the
 * document of the object an error names (by kind and name, in a file of several documents
 * split by `---`), and in it the field the message names (`spec.replicas`,
 * `spec.template.spec.containers[0].image`, the Go decoder's
 * `DeploymentSpec.spec.replicas`). A field that is not written points at its nearest
 * written parent, or the document's `kind` line; an object not found, at line 1.
 */
export function locateApplyErrors(text: string, tab: string, stderr: string): EditorProblem[] {
  const file = readDocuments(text);
  const problems: EditorProblem[] = [];
  for (const entry of errorEntries(stderr)) {
    for (const p of locateEntry(file, entry)) {
      if (!problems.some((q) => q.line === p.line && q.message === p.message)) problems.push({ tab, ...p });
    }
  }
  return problems;
}

type Segment = string | number;

interface Position {
  readonly line: number;
  readonly column: number;
}

interface DocInfo {
  readonly root: Node | null;
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  /** The `kind:` key, or the document's first line. */
  readonly home: Position;
}

interface SourceFile {
  readonly docs: readonly DocInfo[];
  readonly lines: readonly string[];
  readonly position: (offset: number) => Position;
}

type Located = Omit<EditorProblem, 'tab'>;

interface Target {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  /** Documents missing apiVersion or kind. */
  readonly untyped?: boolean;
}

// ---- stderr → one entry per error ----------------------------------------------------------

/** Error lines with their continuation lines ("* field: why", "ensure CRDs are installed first"). */
export function errorEntries(stderr: string): string[][] {
  const entries: string[][] = [];
  for (const line of stderr.split('\n')) {
    if (line.trim() === '' || line.startsWith('Warning: ')) continue;
    const last = entries[entries.length - 1];
    if (last === undefined || /^(error: |Error from server|The .+ is invalid)/.test(line)) entries.push([line]);
    else last.push(line);
  }
  return entries;
}

function locateEntry(file: SourceFile, entry: readonly string[]): Located[] {
  const head = entry[0] ?? '';
  const whole = entry.join('\n');

  const parse = /^error: error parsing .*?: error converting YAML to JSON: yaml: line (\d+): /.exec(head);
  if (parse !== null) {
    const line = clampLine(file, Number(parse[1]));
    return [{ line, column: indentOf(file.lines[line - 1] ?? '') + 1, message: whole }];
  }

  const invalid = /^The (\S+) "([^"]*)" is invalid: ?(.*)$/.exec(head);
  if (invalid !== null) {
    const [, kind, name, rest] = invalid as unknown as [string, string, string, string];
    const causes = rest === '' ? entry.slice(1).map((l) => l.replace(/^\* /, '')) : [rest];
    return causes.map((cause) => at(file, { kind, name }, fieldOfCause(cause), `The ${kind} "${name}" is invalid: ${cause}`));
  }

  const mapping = /^error: resource mapping not found for name: "([^"]*)" namespace: "[^"]*" from "[^"]*": no matches for kind "([^"]*)"/.exec(head);
  if (mapping !== null) return [at(file, { kind: mapping[2] as string, name: mapping[1] as string }, [], whole)];

  if (/error validating data: .*(apiVersion|kind) not set/.test(head)) return [at(file, { untyped: true }, [], whole)];

  const decode = /(\w+) in version "[^"]*" cannot be handled as a (\w+): (.*)$/.exec(head);
  if (decode !== null) {
    const kind = decode[2] as string;
    const detail = decode[3] as string;
    const unknown = [...detail.matchAll(/unknown field "([^"]+)"/g)].map((m) => m[1] as string);
    if (unknown.length > 0) {
      const prefix = head.slice(0, head.length - detail.length);
      return unknown.map((f) => at(file, { kind }, parseFieldPath(f), `${prefix}strict decoding error: unknown field "${f}"`));
    }
    // The Go decoder names the struct then the JSON path: "DeploymentSpec.spec.replicas" (no list indices).
    const goField = /Go struct field \w+\.(\S+) of type/.exec(detail);
    return [at(file, { kind }, goField === null ? [] : parseFieldPath(goField[1] as string), whole)];
  }

  const namespace = /namespaces "([^"]+)" not found/.exec(head);
  if (namespace !== null) return [at(file, { namespace: namespace[1] as string }, ['metadata', 'namespace'], whole)];

  // Anything else that names an object: `pods "sleeper" is forbidden: …`.
  const named = /\b[a-z][a-z.]*s "([^"]+)"/.exec(head.replace(/^.*?error when [^"]*"[^"]*": /, ''));
  return [at(file, named === null ? {} : { name: named[1] as string }, [], whole)];
}

/** `spec.replicas: Invalid value: …` → spec.replicas; a cause without a field → none. */
function fieldOfCause(cause: string): Segment[] {
  const m = /^([A-Za-z_$][\w$-]*(?:\[[^\]]*\]|\.[A-Za-z_$][\w$-]*)*): /.exec(cause);
  return m === null ? [] : parseFieldPath(m[1] as string);
}

/** "spec.containers[0].image" → spec, containers, 0, image; "metadata.labels[app]" → …, labels, app. */
export function parseFieldPath(path: string): Segment[] {
  return [...path.matchAll(/([^.[\]]+)|\[([^\]]*)\]/g)].map((m) => (m[2] === undefined ? (m[1] as string) : /^\d+$/.test(m[2]) ? Number(m[2]) : m[2]));
}

// ---- the source: documents and field positions ----------------------------------------

function readDocuments(text: string): SourceFile {
  const counter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter: counter, prettyErrors: false });
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const position = (offset: number): Position => {
    const p = counter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const docs = list
    .filter((d) => d.contents !== null)
    .map((d): DocInfo => {
      const root = d.contents as Node;
      const str = (path: Segment[]): string | undefined => {
        const found = find(root, path);
        return found?.complete === true && isScalar(found.value) && typeof found.value.value === 'string' ? found.value.value : undefined;
      };
      const kindKey = find(root, ['kind']);
      const start = position(d.range[0]);
      return {
        root,
        apiVersion: str(['apiVersion']),
        kind: str(['kind']),
        name: str(['metadata', 'name']),
        namespace: str(['metadata', 'namespace']),
        home: kindKey?.complete === true ? position(kindKey.offset) : { line: start.line, column: 1 },
      };
    });
  return { docs, lines: text.split('\n'), position };
}

/** The problem at the field of the document the target names. */
function at(file: SourceFile, target: Target, field: readonly Segment[], message: string): Located {
  const doc = Object.keys(target).length === 0 ? undefined : pickDocument(file, target, field);
  if (doc === undefined) return { line: 1, column: 1, message };
  const found = field.length === 0 || doc.root === null ? undefined : find(doc.root, field);
  const pos = found === undefined || found.depth === 0 ? doc.home : file.position(found.offset);
  return { ...pos, message };
}

/** The documents that fit the target; with several, the one where the field is written. */
function pickDocument(file: SourceFile, target: Target, field: readonly Segment[]): DocInfo | undefined {
  const fits = file.docs.filter(
    (d) =>
      (target.kind === undefined || d.kind === target.kind) &&
      (target.name === undefined || d.name === target.name) &&
      (target.namespace === undefined || d.namespace === target.namespace) &&
      (target.untyped !== true || d.apiVersion === undefined || d.kind === undefined),
  );
  if (fits.length > 1 && field.length > 0) {
    const written = fits.find((d) => d.root !== null && find(d.root, field)?.complete === true);
    if (written !== undefined) return written;
  }
  return fits[0];
}

interface Found {
  /** Where the deepest written part of the path starts (a key, or a list item). */
  readonly offset: number;
  /** How many segments were found. */
  readonly depth: number;
  readonly complete: boolean;
  /** The node at the end of the path, when complete. */
  readonly value?: unknown;
}

/**
 * Walks a path through the YAML nodes. A name met at a list (the Go decoder's paths have no
 * indices) continues in the first item where the rest of the path is written.
 */
function find(node: Node, path: readonly Segment[], depth = 0): Found | undefined {
  if (path.length === 0) return { offset: node.range?.[0] ?? 0, depth, complete: true, value: node };
  const [seg, ...rest] = path as [Segment, ...Segment[]];
  if (isMap(node)) {
    const pair = (node.items as Pair[]).find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
    if (pair === undefined) return undefined;
    const keyStart = (pair.key as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0;
    const here: Found = { offset: keyStart, depth: depth + 1, complete: rest.length === 0, value: pair.value };
    if (rest.length === 0 || pair.value === null || typeof pair.value !== 'object') return here;
    return find(pair.value as Node, rest, depth + 1) ?? here;
  }
  if (isSeq(node)) {
    const items = node.items as Node[];
    if (typeof seg === 'number') {
      const item = items[seg];
      if (item === undefined) return undefined;
      const here: Found = { offset: item.range?.[0] ?? 0, depth: depth + 1, complete: rest.length === 0, value: item };
      return rest.length === 0 ? here : (find(item, rest, depth + 1) ?? here);
    }
    const tries = items.map((item) => find(item, path, depth)).filter((f): f is Found => f !== undefined);
    return tries.find((f) => f.complete) ?? tries.sort((a, b) => b.depth - a.depth)[0];
  }
  return undefined;
}

function clampLine(file: SourceFile, line: number): number {
  return Math.min(Math.max(1, line), Math.max(1, file.lines.length));
}

function indentOf(line: string): number {
  return /^ */.exec(line)?.[0].length ?? 0;
}
