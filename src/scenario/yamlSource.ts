import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Pair } from 'yaml';
import type { JsonPath } from '../engine/schema/jsonSchema';

/** 1-based line and column, as editors and compilers show them. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface SourceError extends SourcePosition {
  readonly message: string;
}

export interface YamlDocument {
  /** 0-based position among the documents of the file (split by ---). */
  readonly index: number;
  readonly value: unknown;
  /** Where the value at `path` is written (the key, for an object field); the nearest enclosing node if absent. */
  positionOf(path: JsonPath): SourcePosition;
}

export interface ParsedYaml {
  readonly documents: readonly YamlDocument[];
  /** Syntax errors: nothing in the file is used when there are any. */
  readonly errors: readonly SourceError[];
}

/**
 * Parses one or more YAML documents, keeping enough of the source to say
 * where any value came from. Empty documents (a trailing ---) are skipped.
 */
export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const errors: SourceError[] = [];
  const documents: YamlDocument[] = [];
  const pos = (offset: number): SourcePosition => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  for (const doc of list) {
    for (const e of doc.errors) {
      let at = pos(e.pos[0]);
      if (e.code === 'BLOCK_AS_IMPLICIT_KEY' || e.code === 'MULTILINE_IMPLICIT_KEY') {
        // "key: value" followed by a more-indented "other: x": the culprit is the later line.
        const all = text.split('\n');
        const indentOf = (l: string): number => /^ */.exec(l)?.[0].length ?? 0;
        const base = indentOf(all[at.line - 1] ?? '');
        const next = all.findIndex((l, i) => i >= at.line && l.trim() !== '' && indentOf(l) > base);
        if (next >= 0) at = { line: next + 1, column: indentOf(all[next] as string) + 1 };
      }
      // One message per line is enough: the parser often reports a mistake twice.
      if (errors.some((x) => x.line === at.line)) continue;
      errors.push({ ...at, message: describeYamlError(e.code, e.message) });
    }
    if (doc.errors.length > 0 || doc.contents === null) continue;
    const d = doc as Document.Parsed;
    documents.push({
      index: documents.length,
      value: d.toJS({ maxAliasCount: 100 }) as unknown,
      positionOf: (path) => pos(offsetOf(d.contents as Node, path)),
    });
  }
  if (text.includes('\t') && errors.length > 0) {
    const line = text.split('\n').findIndex((l) => /^\s*\t/.test(l));
    if (line >= 0) errors.unshift({ line: line + 1, column: 1, message: 'tabs are not allowed for indentation in YAML: indent with spaces' });
  }
  return { documents, errors };
}

function offsetOf(root: Node, path: JsonPath): number {
  let node: Node = root;
  let at = node.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as string | number;
    if (isMap(node)) {
      const pair = (node.items as Pair[]).find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
      if (pair === undefined) return at;
      const keyStart = (pair.key as Node | null)?.range?.[0];
      if (i === path.length - 1 && keyStart !== undefined) return keyStart;
      if (!pair.value) return keyStart ?? at;
      node = pair.value as Node;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (item === undefined) return at;
      node = item;
    } else {
      return at;
    }
    at = node.range?.[0] ?? at;
  }
  return at;
}

/** The yaml library's messages, made plainer for the mistakes learners make most. */
function describeYamlError(code: string, message: string): string {
  const first = message.split('\n')[0] as string;
  switch (code) {
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return `${first} (check the indentation: items of one list or map must start in the same column)`;
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'this line is indented deeper than the one above it, so it reads as part of that value: line it up with the keys beside it';
    case 'DUPLICATE_KEY':
      return 'a key appears twice in the same map';
    case 'TAB_AS_INDENT':
      return 'tabs are not allowed for indentation in YAML: indent with spaces';
    default:
      return first;
  }
}
