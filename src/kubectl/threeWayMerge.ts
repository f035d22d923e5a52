/**
 * The three-way merge of `kubectl apply` (client-side apply), on JSON values:
 * - original: the configuration applied last time (the last-applied-configuration annotation);
 * - modified: the configuration applied now;
 * - live: the object as the server has it (with fields others set: status, defaults, replicas
 *   changed by `kubectl scale`, …).
 * A field in the original but not in the new configuration is removed from the live object;
 * a field in the new configuration is set; every other live field is kept. Maps merge key by
 * key; lists of objects with a merge key (containers, env and volumes by name, ports by
 * containerPort or port) merge item by item, as a strategic merge patch does, so fields the
 * server defaulted in an item (imagePullPolicy, protocol) survive a re-apply; other lists are
 * replaced whole.
 */
type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function threeWayMerge(original: Json, modified: Json, live: Json): Json {
  if (!isObj(modified) || !isObj(live)) return modified;
  const orig = isObj(original) ? original : {};
  const result: Obj = { ...live };
  for (const key of Object.keys(orig)) if (!(key in modified)) delete result[key];
  for (const [key, value] of Object.entries(modified)) {
    if (isObj(value) && isObj(live[key])) result[key] = threeWayMerge(orig[key], value, live[key]);
    else if (Array.isArray(value) && Array.isArray(live[key])) result[key] = mergeList(orig[key], value, live[key] as Json[]);
    else result[key] = value;
  }
  return result;
}

const MERGE_KEYS = ['name', 'containerPort', 'port', 'mountPath'];

/** Lists keyed by a merge key merge item by item; the new configuration decides which items and their order. */
function mergeList(original: Json, modified: Json[], live: Json[]): Json[] {
  const mergeKey = MERGE_KEYS.find((k) => modified.length > 0 && modified.every((item) => isObj(item) && item[k] !== undefined));
  if (mergeKey === undefined) return modified;
  const find = (list: Json, key: Json): Json => (Array.isArray(list) ? list.find((x) => isObj(x) && x[mergeKey] === key) : undefined);
  return modified.map((item) => {
    const key = (item as Obj)[mergeKey];
    const liveItem = find(live, key);
    return liveItem === undefined ? item : threeWayMerge(find(original, key), item, liveItem);
  });
}

export { canonical as canonicalJson, sortKeys } from '../engine/apiserver/canonical';
