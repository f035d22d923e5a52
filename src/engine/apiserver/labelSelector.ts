/**
 * Label selectors as kubectl -l and the API's labelSelector parameter write them:
 * `app=web`, `app==web`, `tier!=db`, `env in (prod,staging)`, `env notin (dev)`, `app`, `!app`,
 * joined by commas.
 */
export type Requirement =
  | { readonly key: string; readonly op: 'in' | 'notin'; readonly values: readonly string[] }
  | { readonly key: string; readonly op: 'exists' | '!exists' };

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

export function parseLabelSelector(text: string): Requirement[] | { error: string } {
  const reqs: Requirement[] = [];
  // Split on commas outside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '' || parts.length > 0) parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^(\S+?)\s*(==|=|!=)\s*(\S*)$/.exec(p)) !== null) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      if (!KEY.test(key)) return { error: `unable to parse requirement: invalid label key "${key}"` };
      reqs.push({ key, op: op === '!=' ? 'notin' : 'in', values: [value] });
    } else if ((m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p)) !== null) {
      const [, key, op, list] = m as unknown as [string, string, 'in' | 'notin', string];
      reqs.push({ key, op, values: list.split(',').map((v) => v.trim()) });
    } else if ((m = /^!\s*(\S+)$/.exec(p)) !== null) {
      reqs.push({ key: m[1] as string, op: '!exists' });
    } else if (KEY.test(p)) {
      reqs.push({ key: p, op: 'exists' });
    } else {
      return { error: `unable to parse requirement: found '${p}', expected: in, notin, =, ==, !=, identifier` };
    }
  }
  return reqs;
}

export function matchesSelector(reqs: readonly Requirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key] as string);
      case 'notin':
        return !has || !r.values.includes(l[r.key] as string);
    }
  });
}
