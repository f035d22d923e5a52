/**
 * The three patch types of a PATCH request (kubectl patch --type merge|strategic|json):
 * - merge: RFC 7386 JSON merge patch: maps merge, null deletes, lists are replaced whole;
 * - strategic: the same, except lists Kubernetes declares with a merge key (containers and
 *   volumes by name, container ports by containerPort, …) merge item by item, and `$patch:
 *   delete` / `$patch: replace` directives apply;
 * - json: RFC 6902 operations (add, remove, replace, test, move, copy) on JSON pointers.
 */
export type PatchType = 'merge' | 'strategic' | 'json';

type Json = unknown;
type Obj = Record<string, Json>;
const isObj = (v: Json): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export class PatchError extends Error {}

export function applyPatch(type: PatchType, target: Json, patchText: string): Json {
  let patch: Json;
  try {
    patch = JSON.parse(patchText);
  } catch {
    throw new PatchError(`invalid JSON in the patch: ${patchText}`);
  }
  if (type === 'json') return jsonPatch(target, patch);
  if (!isObj(patch)) throw new PatchError(type === 'merge' ? 'json: cannot unmarshal into a merge patch: not an object' : 'unable to find api field in struct for the patch: not an object');
  return type === 'merge' ? mergePatch(target, patch) : strategicPatch(target, patch);
}

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return patch;
  const result: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete result[k];
    else result[k] = mergePatch(result[k], v);
  }
  return result;
}

/** Lists with a merge key in the Kubernetes types (patchStrategy "merge"), by field name. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  conditions: 'type',
  hostAliases: 'ip',
  ownerReferences: 'uid',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
};
/** Lists of plain values merged as sets. */
const SET_LISTS = new Set(['finalizers']);

function mergeKeyFor(field: string, items: readonly Json[]): string | undefined {
  if (field === 'ports') {
    // Container ports merge by containerPort, Service ports by port.
    return items.some((i) => isObj(i) && 'containerPort' in i) ? 'containerPort' : 'port';
  }
  return MERGE_KEYS[field];
}

function strategicPatch(target: Json, patch: Obj): Json {
  if (patch.$patch === 'replace') {
    const { $patch: _directive, ...rest } = patch;
    return rest;
  }
  if (patch.$patch === 'delete') return undefined;
  const result: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) delete result[k];
    else if (Array.isArray(v)) result[k] = strategicList(k, Array.isArray(result[k]) ? (result[k] as Json[]) : [], v);
    else if (isObj(v)) {
      const merged = strategicPatch(result[k], v);
      if (merged === undefined) delete result[k];
      else result[k] = merged;
    } else result[k] = v;
  }
  return result;
}

function strategicList(field: string, live: Json[], patch: Json[]): Json[] {
  if (SET_LISTS.has(field)) return [...live, ...patch.filter((p) => !live.includes(p))];
  const key = mergeKeyFor(field, [...patch, ...live]);
  if (key === undefined || !patch.every(isObj)) return patch;
  if (patch.some((p) => isObj(p) && p.$patch === 'replace')) return patch.filter((p) => !(isObj(p) && p.$patch === 'replace'));
  const result = [...live];
  for (const item of patch as Obj[]) {
    const i = result.findIndex((x) => isObj(x) && x[key] === item[key]);
    if (item.$patch === 'delete') {
      if (i >= 0) result.splice(i, 1);
    } else if (i >= 0) result[i] = strategicPatch(result[i], item);
    else result.push(strategicPatch({}, item));
  }
  return result;
}

/** RFC 6902. */
function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = structuredCopy(target);
  for (const op of ops) {
    if (!isObj(op) || typeof op.op !== 'string' || typeof op.path !== 'string') throw new PatchError('the server rejected our request due to an error in our request');
    const path = op.path;
    switch (op.op) {
      case 'add':
        doc = put(doc, path, op.value, 'add');
        break;
      case 'replace':
        get(doc, path);
        doc = put(doc, path, op.value, 'replace');
        break;
      case 'remove':
        get(doc, path);
        doc = remove(doc, path);
        break;
      case 'test':
        if (JSON.stringify(get(doc, path)) !== JSON.stringify(op.value)) throw new PatchError(`testing value ${path} failed: test failed`);
        break;
      case 'move':
      case 'copy': {
        const value = get(doc, String(op.from));
        if (op.op === 'move') doc = remove(doc, String(op.from));
        doc = put(doc, path, structuredCopy(value), 'add');
        break;
      }
      default:
        throw new PatchError(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`add operation does not apply: doc is missing path: "${path}": missing value`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(doc: Json, path: string): Json {
  let cur = doc;
  for (const part of pointer(path)) {
    if (Array.isArray(cur) && /^\d+$/.test(part) && Number(part) < cur.length) cur = cur[Number(part)];
    else if (isObj(cur) && part in cur) cur = cur[part];
    else throw new PatchError(`replace operation does not apply: doc is missing path: ${path}: missing value`);
  }
  return cur;
}

function put(doc: Json, path: string, value: Json, mode: 'add' | 'replace'): Json {
  const parts = pointer(path);
  if (parts.length === 0) return value;
  const parent = get(doc, `/${parts.slice(0, -1).map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`.replace(/^\/$/, ''));
  const last = parts[parts.length - 1] as string;
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new PatchError(`add operation does not apply: doc is missing path: "${path}": missing value`);
    if (mode === 'add') parent.splice(i, 0, value);
    else parent[i] = value;
  } else if (isObj(parent)) parent[last] = value;
  else throw new PatchError(`add operation does not apply: doc is missing path: "${path}": missing value`);
  return doc;
}

function remove(doc: Json, path: string): Json {
  const parts = pointer(path);
  const parent = get(doc, `/${parts.slice(0, -1).join('/')}`.replace(/^\/$/, ''));
  const last = parts[parts.length - 1] as string;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObj(parent)) delete parent[last];
  return doc;
}

function structuredCopy(v: Json): Json {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}
