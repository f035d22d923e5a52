/**
 * The JSONPath templates of `kubectl get -o jsonpath='…'`: text with {expressions}, where an
 * expression is a path (.a.b, [0], [*], ['key'], [?(@.type=="Ready")]), a quoted literal
 * ("\n"), or `range <path>` … `end`. Several results of one expression are joined by spaces,
 * as kubectl joins them.
 */
type Node = { kind: 'text'; text: string } | { kind: 'path'; steps: Step[] } | { kind: 'range'; steps: Step[]; body: Node[] };
type Step = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' } | { kind: 'filter'; path: Step[]; op: '==' | '!='; value: string };

export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

export function evaluateJsonPath(template: string, data: unknown): string {
  const nodes = parseTemplate(template);
  return render(nodes, data);
}

function render(nodes: Node[], data: unknown): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'path') out += select(n.steps, [data]).map(format).join(' ');
    else for (const item of select(n.steps, [data])) out += render(n.body, item);
  }
  return out;
}

function format(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return JSON.stringify(v);
}

function select(steps: Step[], values: unknown[]): unknown[] {
  let current = values;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'field') {
        if (v !== null && typeof v === 'object' && !Array.isArray(v) && step.name in v) next.push((v as Record<string, unknown>)[step.name]);
      } else if (step.kind === 'index') {
        if (Array.isArray(v)) {
          const i = step.index < 0 ? v.length + step.index : step.index;
          if (i >= 0 && i < v.length) next.push(v[i]);
        }
      } else if (step.kind === 'all') {
        if (Array.isArray(v)) next.push(...v);
        else if (v !== null && typeof v === 'object') next.push(...Object.values(v));
      } else if (Array.isArray(v)) {
        for (const item of v) {
          const [got] = select(step.path, [item]);
          const s = got === undefined ? undefined : format(got);
          if ((step.op === '==' && s === step.value) || (step.op === '!=' && s !== step.value)) next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}

function parseTemplate(template: string): Node[] {
  const root: Node[] = [];
  const stack: { body: Node[] }[] = [{ body: root }];
  let i = 0;
  let text = '';
  const top = (): Node[] => (stack[stack.length - 1] as { body: Node[] }).body;
  while (i < template.length) {
    const c = template[i] as string;
    if (c !== '{') {
      text += c;
      i++;
      continue;
    }
    if (text !== '') top().push({ kind: 'text', text });
    text = '';
    const end = findClose(template, i);
    const expr = template.slice(i + 1, end).trim();
    i = end + 1;
    if (expr === 'end') {
      if (stack.length === 1) throw new JsonPathError('not in range, nothing to end');
      stack.pop();
    } else if (expr.startsWith('range ')) {
      const node: Node = { kind: 'range', steps: parsePath(expr.slice(6).trim()), body: [] };
      top().push(node);
      stack.push({ body: node.body });
    } else if (/^"(?:[^"\\]|\\.)*"$/.test(expr)) {
      top().push({ kind: 'text', text: JSON.parse(expr) as string });
    } else {
      top().push({ kind: 'path', steps: parsePath(expr) });
    }
  }
  if (text !== '') top().push({ kind: 'text', text });
  if (stack.length > 1) throw new JsonPathError('unclosed action');
  return root;
}

function findClose(s: string, open: number): number {
  let inQuote = false;
  for (let j = open + 1; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === '"') inQuote = !inQuote;
    else if (c === '}' && !inQuote) return j;
  }
  throw new JsonPathError('unclosed action');
}

function parsePath(expr: string): Step[] {
  const steps: Step[] = [];
  let i = expr.startsWith('$') ? 1 : 0;
  while (i < expr.length) {
    const c = expr[i];
    if (c === '.') {
      const m = /^\.([^.[\]]*)/.exec(expr.slice(i)) as RegExpExecArray;
      if (m[1] !== '') steps.push(m[1] === '*' ? { kind: 'all' } : { kind: 'field', name: m[1] as string });
      i += m[0].length;
    } else if (c === '[') {
      const close = expr.indexOf(']', i);
      if (close < 0) throw new JsonPathError(`unterminated array index in ${expr}`);
      const inner = expr.slice(i + 1, close).trim();
      i = close + 1;
      let m: RegExpExecArray | null;
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if ((m = /^'([^']*)'$/.exec(inner)) !== null) steps.push({ kind: 'field', name: m[1] as string });
      else if ((m = /^\?\(@((?:\.[^.=!\s]+)+)\s*(==|!=)\s*(?:"([^"]*)"|'([^']*)'|(\S+))\)$/.exec(inner)) !== null) {
        steps.push({ kind: 'filter', path: parsePath(m[1] as string), op: m[2] as '==' | '!=', value: m[3] ?? m[4] ?? (m[5] as string) });
      } else throw new JsonPathError(`unrecognized identifier ${inner}`);
    } else {
      throw new JsonPathError(`unrecognized character in action: U+${(c as string).charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} '${c}'`);
    }
  }
  return steps;
}
