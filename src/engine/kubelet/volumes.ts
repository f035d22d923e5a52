import type { KubeObject } from '../apiserver/apiObjects';
import { decodeBase64, encodeBase64 } from '../encoding';
import { bytes, milliCpu } from '../quantity';
import { VIRTUAL_EPOCH_MS } from '../virtualTime';
import { programWrites, unixDate, type FileRead, type Program, type ProgramFiles } from './process';

/**
 * The kubelet's volumes: what a pod's volumes hold (ConfigMap, Secret, downward API and projected
 * payloads, as the volume plugins build them), the files behind every volume as data over virtual
 * time, and a container's view of its files through its volume mounts. Pure: times are passed in.
 */

type Obj = Record<string, unknown>;

export interface KeyToPath {
  readonly key: string;
  readonly path: string;
  readonly mode?: number;
}
interface ObjectSource {
  readonly items?: readonly KeyToPath[];
  readonly optional?: boolean;
}
export interface ConfigMapSource extends ObjectSource {
  readonly name: string;
}
export interface SecretSource extends ObjectSource {
  readonly secretName?: string;
  /** The field's name in a projected volume's secret source. */
  readonly name?: string;
}
export interface DownwardItem {
  readonly path: string;
  readonly fieldRef?: { readonly fieldPath: string };
  readonly resourceFieldRef?: { readonly containerName?: string; readonly resource: string; readonly divisor?: string | number };
  readonly mode?: number;
}
export interface ProjectedSource {
  readonly configMap?: ConfigMapSource;
  readonly secret?: SecretSource;
  readonly downwardAPI?: { readonly items?: readonly DownwardItem[] };
  readonly serviceAccountToken?: { readonly path: string; readonly audience?: string; readonly expirationSeconds?: number };
}
export interface VolumeSpec {
  readonly name: string;
  readonly configMap?: ConfigMapSource & { readonly defaultMode?: number };
  readonly secret?: SecretSource & { readonly defaultMode?: number };
  readonly emptyDir?: { readonly medium?: string; readonly sizeLimit?: string };
  readonly downwardAPI?: { readonly items?: readonly DownwardItem[]; readonly defaultMode?: number };
  readonly projected?: { readonly sources?: readonly ProjectedSource[]; readonly defaultMode?: number };
  readonly persistentVolumeClaim?: { readonly claimName: string; readonly readOnly?: boolean };
  readonly ephemeral?: Obj;
  readonly hostPath?: { readonly path: string; readonly type?: string };
}
export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly subPath?: string;
  readonly subPathExpr?: string;
  readonly readOnly?: boolean;
}

/** 0644, the mode of the files of ConfigMap, Secret, downward API and projected volumes by default. */
export const DEFAULT_MODE = 0o644;

export type Payload = ReadonlyMap<string, { readonly text: string; readonly mode: number }>;
export type Built = { readonly payload: Payload } | { readonly error: string };

// ---- messages ----

/** The FailedMount event of a volume plugin's SetUp failure. */
export function mountFailedMessage(volume: string, error: string): string {
  return `MountVolume.SetUp failed for volume "${volume}" : ${error}`;
}

/**
 * The FailedMount event of a pod whose volumes could not be processed (a claim not bound, not
 * found…). v1.31 records it only for such errors, not when the wait for the mounts times out.
 */
export function unableToMountMessage(unmounted: readonly string[], unattached: readonly string[], failed: readonly string[], errors: readonly string[]): string {
  return `Unable to attach or mount volumes: unmounted volumes=[${unmounted.join(' ')}], unattached volumes=[${unattached.join(' ')}], failed to process volumes=[${failed.join(' ')}]: ${errors.join('; ')}`;
}

/** nestedpendingoperations' back-off after a failed mount: 500 ms, doubling, at most 2m2s. */
export function mountRetryMs(failures: number): number {
  return Math.min(500 * 2 ** Math.max(0, failures - 1), 122_000);
}

// ---- which volumes, and what they need ----

/** The volumes some container mounts, in the pod's order (the kubelet leaves unused volumes alone). */
export function usedVolumes(spec: { readonly volumes?: readonly VolumeSpec[]; readonly containers?: readonly { readonly volumeMounts?: readonly VolumeMount[] }[]; readonly initContainers?: readonly { readonly volumeMounts?: readonly VolumeMount[] }[] }): VolumeSpec[] {
  const mounted = new Set([...(spec.initContainers ?? []), ...(spec.containers ?? [])].flatMap((c) => (c.volumeMounts ?? []).map((m) => m.name)));
  return (spec.volumes ?? []).filter((v) => mounted.has(v.name));
}

/** Volumes whose files the kubelet writes from API objects; they are mounted read-only and refreshed by the periodic sync. */
export function isApiDataVolume(v: VolumeSpec): boolean {
  return v.configMap !== undefined || v.secret !== undefined || v.downwardAPI !== undefined || v.projected !== undefined;
}

/** Volumes kept in memory (tmpfs): they do not survive a reboot of the node. */
export function isTmpfs(v: VolumeSpec): boolean {
  return v.secret !== undefined || v.projected !== undefined || v.downwardAPI !== undefined || v.emptyDir?.medium === 'Memory';
}

/** The claim a volume mounts: its own, or a generic ephemeral volume's (named <pod>-<volume>). */
export function claimOf(v: VolumeSpec, podName: string): string | undefined {
  if (v.persistentVolumeClaim !== undefined) return v.persistentVolumeClaim.claimName;
  return v.ephemeral !== undefined ? `${podName}-${v.name}` : undefined;
}

export interface ObjectRef {
  readonly resource: 'configmaps' | 'secrets';
  readonly name: string;
}

/** The ConfigMaps and Secrets a volume's files come from. */
export function objectRefs(v: VolumeSpec): ObjectRef[] {
  const refs: ObjectRef[] = [];
  if (v.configMap !== undefined) refs.push({ resource: 'configmaps', name: v.configMap.name });
  if (v.secret !== undefined) refs.push({ resource: 'secrets', name: v.secret.secretName ?? '' });
  for (const s of v.projected?.sources ?? []) {
    if (s.configMap !== undefined) refs.push({ resource: 'configmaps', name: s.configMap.name });
    if (s.secret !== undefined) refs.push({ resource: 'secrets', name: s.secret.name ?? s.secret.secretName ?? '' });
  }
  return refs;
}

/** Why a claim cannot be mounted yet, as the desired-state populator says it; undefined when it is bound. */
export function claimProblem(claim: KubeObject | null, namespace: string, name: string): string | undefined {
  const why = (e: string): string => `error processing PVC ${namespace}/${name}: ${e}`;
  if (claim === null) return why(`failed to fetch PVC from API server: persistentvolumeclaims "${name}" not found`);
  if (claim.metadata.deletionTimestamp !== undefined) return why('PVC is being deleted');
  if ((claim.status as Obj | undefined)?.phase !== 'Bound') return why('PVC is not bound');
  if (String((claim.spec as Obj | undefined)?.volumeName ?? '') === '') return why('PVC has empty pvc.Spec.VolumeName');
  return undefined;
}

/** The PersistentVolume behind a bound claim was not found. */
export function volumeMissingProblem(namespace: string, claim: string, pv: string): string {
  return `error processing PVC ${namespace}/${claim}: failed to fetch PV ${pv} from API server: persistentvolumes "${pv}" not found`;
}

// ---- payloads ----

/** What the downward API reads besides the pod: the node's allocatable resources, the default of unset limits. */
export interface NodeAllocatable {
  readonly cpuMilli: number;
  readonly memoryBytes: number;
  readonly ephemeralStorageBytes: number;
}

/** Everything a volume's files may come from: the pod, the node, and the ConfigMaps and Secrets (null: not found). */
export interface PayloadSources {
  readonly pod: KubeObject;
  readonly node: NodeAllocatable;
  readonly object: (ref: ObjectRef) => KubeObject | null;
  /** The virtual time, for a service account token's claims. */
  readonly now: number;
}

/** The files of a ConfigMap, Secret, downward API or projected volume, or the plugin's error. */
export function volumePayload(v: VolumeSpec, src: PayloadSources): Built {
  if (v.configMap !== undefined) return configMapPayload(v.configMap, src.object({ resource: 'configmaps', name: v.configMap.name }), v.configMap.defaultMode);
  if (v.secret !== undefined) return secretPayload(v.secret, src.object({ resource: 'secrets', name: v.secret.secretName ?? '' }), v.secret.defaultMode);
  if (v.downwardAPI !== undefined) return downwardApiPayload(v.downwardAPI.items ?? [], v.downwardAPI.defaultMode, src);
  if (v.projected !== undefined) return projectedPayload(v.projected.sources ?? [], v.projected.defaultMode, src);
  return { payload: new Map() };
}

/** Keys to files: every key, or the listed items; a listed key that is missing fails unless the source is optional. */
function keysToFiles(data: ReadonlyMap<string, string>, src: ObjectSource, defaultMode: number | undefined, missingKey: (key: string) => string): Built {
  const mode = defaultMode ?? DEFAULT_MODE;
  const payload = new Map<string, { text: string; mode: number }>();
  if (src.items === undefined || src.items.length === 0) {
    for (const [key, text] of data) payload.set(key, { text, mode });
    return { payload };
  }
  for (const item of src.items) {
    const text = data.get(item.key);
    if (text === undefined) {
      if (src.optional === true) continue;
      return { error: missingKey(item.key) };
    }
    payload.set(item.path, { text, mode: item.mode ?? mode });
  }
  return { payload };
}

export function configMapPayload(src: ConfigMapSource, cm: KubeObject | null, defaultMode?: number): Built {
  if (cm === null) return src.optional === true ? { payload: new Map() } : { error: `configmap "${src.name}" not found` };
  const data = new Map(Object.entries(((cm as Obj).data ?? {}) as Record<string, string>));
  for (const [key, value] of Object.entries(((cm as Obj).binaryData ?? {}) as Record<string, string>)) data.set(key, decodeBase64(value));
  return keysToFiles(data, src, defaultMode, (key) => `configmap references non-existent config key: ${key}`);
}

/** A Secret's files hold the decoded bytes of its base64 data (stringData is already merged by the API server). */
export function secretPayload(src: SecretSource, secret: KubeObject | null, defaultMode?: number): Built {
  const name = src.secretName ?? src.name ?? '';
  if (secret === null) return src.optional === true ? { payload: new Map() } : { error: `secret "${name}" not found` };
  const data = new Map(Object.entries(((secret as Obj).data ?? {}) as Record<string, string>).map(([k, v]) => [k, decodeBase64(v)]));
  return keysToFiles(data, src, defaultMode, (key) => `references non-existent secret key: ${key}`);
}

export function downwardApiPayload(items: readonly DownwardItem[], defaultMode: number | undefined, src: Pick<PayloadSources, 'pod' | 'node'>): Built {
  const payload = new Map<string, { text: string; mode: number }>();
  for (const item of items) {
    const text = item.fieldRef !== undefined ? fieldValue(src.pod, item.fieldRef.fieldPath) : item.resourceFieldRef !== undefined ? resourceValue(src.pod, src.node, item.resourceFieldRef) : '';
    payload.set(item.path, { text, mode: item.mode ?? defaultMode ?? DEFAULT_MODE });
  }
  return { payload };
}

/** A pod field as the downward API writes it: labels and annotations one `key="value"` per line, sorted. */
export function fieldValue(pod: KubeObject, fieldPath: string): string {
  const m = pod.metadata;
  const subscript = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (subscript !== null) return (subscript[1] === 'labels' ? m.labels : m.annotations)?.[subscript[2] ?? ''] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? 'default';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'metadata.labels':
      return formatMap(m.labels ?? {});
    case 'metadata.annotations':
      return formatMap(m.annotations ?? {});
    default:
      return '';
  }
}

function formatMap(map: Readonly<Record<string, string>>): string {
  return Object.keys(map)
    .sort()
    .map((k) => `${k}=${JSON.stringify(map[k] ?? '')}`)
    .join('\n');
}

/** limits.cpu, requests.memory…: rounded up in units of the divisor; an unset limit is the node's allocatable. */
function resourceValue(pod: KubeObject, node: NodeAllocatable, ref: NonNullable<DownwardItem['resourceFieldRef']>): string {
  type Resources = { limits?: Record<string, string | number>; requests?: Record<string, string | number> };
  const spec = (pod.spec ?? {}) as { containers?: { name: string; resources?: Resources }[]; initContainers?: { name: string; resources?: Resources }[] };
  const c = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].find((x) => x.name === ref.containerName);
  const [kind = '', resource = ''] = ref.resource.split('.');
  const set = kind === 'limits' ? c?.resources?.limits?.[resource] : (c?.resources?.requests?.[resource] ?? c?.resources?.limits?.[resource]);
  const divisor = ref.divisor ?? '1';
  if (resource === 'cpu') {
    const milli = set !== undefined ? milliCpu(set) : kind === 'limits' ? node.cpuMilli : 0;
    return String(Math.ceil(milli / milliCpu(divisor)));
  }
  const fallback = resource === 'memory' ? node.memoryBytes : node.ephemeralStorageBytes;
  const value = set !== undefined ? bytes(set) : kind === 'limits' ? fallback : 0;
  return String(Math.ceil(value / bytes(divisor)));
}

/** Errors of several sources, as Kubernetes aggregates them: one alone, several in brackets. */
function aggregate(errors: readonly string[]): string {
  return errors.length === 1 ? (errors[0] ?? '') : `[${errors.join(', ')}]`;
}

export function projectedPayload(sources: readonly ProjectedSource[], defaultMode: number | undefined, src: PayloadSources): Built {
  const payload = new Map<string, { text: string; mode: number }>();
  const errors: string[] = [];
  const add = (built: Built): void => {
    if ('error' in built) errors.push(built.error);
    else for (const [path, file] of built.payload) payload.set(path, file);
  };
  for (const s of sources) {
    if (s.configMap !== undefined) add(configMapPayload(s.configMap, src.object({ resource: 'configmaps', name: s.configMap.name }), defaultMode));
    if (s.secret !== undefined) add(secretPayload(s.secret, src.object({ resource: 'secrets', name: s.secret.name ?? s.secret.secretName ?? '' }), defaultMode));
    if (s.downwardAPI !== undefined) add(downwardApiPayload(s.downwardAPI.items ?? [], defaultMode, src));
    if (s.serviceAccountToken !== undefined) {
      const t = s.serviceAccountToken;
      // Tokens are private to the pod's user: 0600 unless the volume says otherwise.
      payload.set(t.path, { text: serviceAccountToken(src.pod, t.audience, t.expirationSeconds ?? 3607, src.now), mode: defaultMode ?? 0o600 });
    }
  }
  return errors.length > 0 ? { error: aggregate(errors) } : { payload };
}

/**
 * A bound service account token: a JWT with the claims a real one carries (audience, expiry,
 * issuer, the pod and service account it is bound to). Its signature is not a real one.
 */
export function serviceAccountToken(pod: KubeObject, audience: string | undefined, expirationSeconds: number, now: number): string {
  const ns = pod.metadata.namespace ?? 'default';
  const sa = String((pod.spec as Obj | undefined)?.serviceAccountName ?? 'default');
  const iat = Math.floor((now + VIRTUAL_EPOCH_MS) / 1000);
  const issuer = 'https://kubernetes.default.svc.cluster.local';
  const claims = {
    aud: [audience ?? issuer],
    exp: iat + expirationSeconds,
    iat,
    iss: issuer,
    'kubernetes.io': { namespace: ns, pod: { name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' }, serviceaccount: { name: sa, uid: '' } },
    nbf: iat,
    sub: `system:serviceaccount:${ns}:${sa}`,
  };
  const header = base64Url(JSON.stringify({ alg: 'RS256', kid: 'kubeplay' }));
  return `${header}.${base64Url(JSON.stringify(claims))}.${base64Url(`kubeplay-signature:${pod.metadata.uid ?? ''}:${iat}`)}`;
}

/** Base64url without padding, as a JWT's parts are written. */
function base64Url(text: string): string {
  return encodeBase64(text).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

// ---- paths ----

/** An absolute path without `.`, `..`, repeated or trailing slashes ("/" for the root). */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

/** Joins paths inside a volume (no leading slash; '' is the volume's root). */
function joinInside(...parts: readonly string[]): string {
  return normalizePath(parts.filter((p) => p !== '').join('/')).slice(1);
}

function within(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

// ---- files over time ----

/** A change to a volume's files at a virtual time: text written or appended, or (text undefined) a path removed. */
interface FileEvent {
  readonly at: number;
  readonly path: string;
  readonly text?: string;
  readonly append: boolean;
  /** date(1)'s output at the time comes first (rendered only when the file is read). */
  readonly stamp?: 'date';
}

function contentOf(e: FileEvent): string {
  return e.stamp === 'date' ? `${unixDate(e.at)}${e.text ?? ''}` : (e.text ?? '');
}

/** A process writing to files as it runs: a container (its record is live: started and finished times fill in). */
export interface RunningProgram {
  readonly program: Program;
  readonly startedAt?: number;
  readonly finishedAt?: number;
}

/** Changes kept before the oldest are folded into the base (reads older than that see the folded state). */
const MAX_EVENTS = 4_000;
/** The newest changes of a running program that count (an appending loop's file keeps its last this many writes). */
const WRITES_KEPT = 2_000;

/** Changes by path, each list oldest first. */
type ByPath = ReadonlyMap<string, readonly FileEvent[]>;

function byPath(events: readonly FileEvent[]): ByPath {
  const index = new Map<string, FileEvent[]>();
  for (const e of events) {
    const list = index.get(e.path);
    if (list === undefined) index.set(e.path, [e]);
    else list.push(e);
  }
  return index;
}

/** How many of a list's changes happened by `at` (binary search: the lists are in time order). */
function countBy(list: readonly FileEvent[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid]?.at ?? Infinity) <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The paths from the volume's root down to a path's parent ('' included). */
function ancestors(path: string): string[] {
  const parts = path === '' ? [] : path.split('/');
  return parts.map((_, i) => parts.slice(0, i).join('/'));
}

interface Writer {
  readonly proc: RunningProgram;
  readonly fs: ContainerFs;
  /** Its changes up to a time, kept for reads at that time or before (a log request reads newest first). */
  cache?: { readonly until: number; readonly count: number; readonly first: number; readonly index: ByPath };
}

/**
 * The files of one volume (an emptyDir, a ConfigMap's payload, a disk, a node's host directories,
 * a container's own layer) over virtual time. Writes by the kubelet are recorded as they happen;
 * writes by running programs are read off the programs when the files are looked at, so a loop
 * writing every 5 s costs nothing until someone reads. Directories exist where files are.
 */
export class VolumeData {
  private readonly base = new Map<string, string>();
  private events: FileEvent[] = [];
  private index: ByPath | undefined;
  private writers: Writer[] = [];

  constructor(
    /** Kept in memory: lost when the node reboots. */
    readonly tmpfs = false,
    files: Readonly<Record<string, string>> = {},
  ) {
    for (const [path, text] of Object.entries(files)) this.base.set(path, text);
  }

  /**
   * Makes the files exactly these (the kubelet's atomic writer for API data volumes); only what
   * changed is recorded. Returns whether anything did.
   */
  replaceAll(files: ReadonlyMap<string, string>, at: number): boolean {
    const now = this.state(at, '');
    const changes: FileEvent[] = [];
    for (const path of now.keys()) if (!files.has(path)) changes.push({ at, path, append: false });
    for (const [path, text] of files) if (now.get(path) !== text) changes.push({ at, path, text, append: false });
    this.record(...changes);
    return changes.length > 0;
  }

  write(path: string, text: string, append: boolean, at: number): void {
    this.record({ at, path: joinInside(path), text, append });
  }

  /** A program that writes here as it runs, through its container's mounts. */
  addWriter(proc: RunningProgram, fs: ContainerFs): void {
    this.compact();
    this.writers.push({ proc, fs });
  }

  read(path: string, at: number): FileRead {
    this.compact();
    const p = joinInside(path);
    const indexes = this.indexes(at);
    const text = this.fileAt(p, at, indexes);
    if (text !== undefined) return { text };
    const under = this.paths(indexes).some((f) => f !== p && within(f, p) && this.fileAt(f, at, indexes) !== undefined);
    return p === '' || under ? { error: 'directory' } : { error: 'missing' };
  }

  /** The names directly in a directory, sorted as `ls` does (byte order); undefined when it is not a directory. */
  list(dir: string, at: number): string[] | undefined {
    const d = joinInside(dir);
    const files = this.state(at, d);
    if (files.has(d)) return undefined;
    const names = new Set<string>();
    for (const f of files.keys()) if (f !== d && within(f, d)) names.add(f.slice(d === '' ? 0 : d.length + 1).split('/')[0] ?? '');
    if (names.size === 0 && d !== '') return undefined;
    return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private record(...changes: readonly FileEvent[]): void {
    if (changes.length === 0) return;
    this.events.push(...changes);
    this.index = undefined;
    this.compact();
  }

  /** The files under `scope` (or on the way to it) at a time. */
  private state(at: number, scope: string): Map<string, string> {
    this.compact();
    const indexes = this.indexes(at);
    const files = new Map<string, string>();
    for (const p of this.paths(indexes)) {
      if (!within(p, scope) && !within(scope, p)) continue;
      const text = this.fileAt(p, at, indexes);
      if (text !== undefined) files.set(p, text);
    }
    return files;
  }

  /** The recorded changes' index, then each running writer's, up to `at`. */
  private indexes(at: number): ByPath[] {
    this.index ??= byPath(this.events);
    return [this.index, ...this.writers.map((w) => this.writerIndex(w, at))];
  }

  private paths(indexes: readonly ByPath[]): string[] {
    return [...new Set([...this.base.keys(), ...indexes.flatMap((i) => [...i.keys()])])];
  }

  /**
   * A file's content at a time: from its last full write (or removal, its own or a directory's
   * above it) on, the appends after it, whichever source made them. Only the changes since that
   * write are looked at, so a file rewritten every few seconds reads at once.
   */
  private fileAt(p: string, at: number, indexes: readonly ByPath[]): string | undefined {
    let resetAt = -Infinity;
    let text = this.base.get(p);
    const appends: FileEvent[] = [];
    const above = ancestors(p);
    for (const index of indexes) {
      const list = index.get(p) ?? [];
      const mine: FileEvent[] = [];
      for (let i = countBy(list, at) - 1; i >= 0; i--) {
        const e = list[i];
        if (e === undefined) continue;
        if (e.append && e.text !== undefined) {
          mine.push(e);
          continue;
        }
        if (e.at >= resetAt) {
          resetAt = e.at;
          text = e.text === undefined ? undefined : contentOf(e);
        }
        break;
      }
      appends.push(...mine.reverse());
      for (const a of above) {
        const removals = (index.get(a) ?? []).slice(0, countBy(index.get(a) ?? [], at)).filter((e) => e.text === undefined);
        const last = removals.at(-1);
        if (last !== undefined && last.at >= resetAt) {
          resetAt = last.at;
          text = undefined;
        }
      }
    }
    const after = appends.filter((e) => e.at >= resetAt).sort((a, b) => a.at - b.at);
    if (after.length === 0) return text;
    return `${text ?? ''}${after.map(contentOf).join('')}`;
  }

  private writerIndex(w: Writer, at: number): ByPath {
    const c = w.cache;
    // Valid for an earlier time unless writes it needs were dropped as too old.
    if (c !== undefined && at <= c.until && (c.count < WRITES_KEPT || at >= c.first)) return c.index;
    const events = this.writesOf(w.proc, w.fs, at);
    w.cache = { until: at, count: events.length, first: events[0]?.at ?? -Infinity, index: byPath(events) };
    return w.cache.index;
  }

  /** What a program has written to this volume by `at`, through the container's mounts. */
  private writesOf(proc: RunningProgram, fs: ContainerFs, at: number): FileEvent[] {
    const start = proc.startedAt;
    if (start === undefined || start > at) return [];
    const end = Math.min(at, proc.finishedAt ?? Infinity);
    const out: FileEvent[] = [];
    // A program writes to few paths, over and over.
    const resolved = new Map<string, Resolved>();
    for (const w of programWrites(proc.program, end - start, WRITES_KEPT)) {
      let where = resolved.get(w.path);
      if (where === undefined) resolved.set(w.path, (where = fs.resolve(w.path)));
      if (where.data !== this || where.readOnly) continue;
      const at = start + w.atMs;
      if (w.text === undefined) out.push({ at, path: where.path, append: false });
      else out.push(w.stamp === undefined ? { at, path: where.path, text: w.text, append: w.append } : { at, path: where.path, text: w.text, append: w.append, stamp: w.stamp });
    }
    return out;
  }

  /** Programs that have ended become plain recorded changes; the oldest changes fold into the base. */
  private compact(): void {
    const done = this.writers.filter((w) => w.proc.finishedAt !== undefined);
    if (done.length > 0) {
      this.writers = this.writers.filter((w) => w.proc.finishedAt === undefined);
      for (const w of done) this.events.push(...this.writesOf(w.proc, w.fs, w.proc.finishedAt ?? 0));
      this.events.sort((a, b) => a.at - b.at);
      this.index = undefined;
    }
    if (this.events.length > MAX_EVENTS) {
      const old = this.events.slice(0, this.events.length - MAX_EVENTS / 2);
      this.events = this.events.slice(old.length);
      this.index = undefined;
      for (const e of old) apply(this.base, e);
    }
  }
}

function apply(files: Map<string, string>, e: FileEvent): void {
  if (e.text === undefined) {
    for (const p of [...files.keys()]) if (within(p, e.path)) files.delete(p);
    return;
  }
  files.set(e.path, e.append ? `${files.get(e.path) ?? ''}${contentOf(e)}` : contentOf(e));
}

// ---- a container's files ----

/** A volume mounted into a container. */
export interface Mount {
  /** Normalized, absolute. */
  readonly mountPath: string;
  readonly data: VolumeData;
  /** Where in the volume the mount starts: '' for its root; a subPath, or a hostPath directory. */
  readonly prefix: string;
  readonly readOnly: boolean;
  /**
   * A subPath into a volume the kubelet rewrites (ConfigMap…): the bind mount keeps the file the
   * container started with, so later updates never reach it.
   */
  readonly frozenAt?: number;
}

/** Where a container path leads. */
export interface Resolved {
  readonly data: VolumeData;
  /** The path inside `data`. */
  readonly path: string;
  readonly readOnly: boolean;
  readonly frozenAt?: number;
  /** The path is a mount point. */
  readonly mountPoint: boolean;
}

/**
 * A container's file system: its own writable layer (the image's files plus what it writes;
 * lost when the container is replaced) under its volume mounts, the deepest mount winning.
 */
export class ContainerFs {
  private readonly mounts: readonly Mount[];

  constructor(
    mounts: readonly Mount[],
    readonly layer: VolumeData,
  ) {
    this.mounts = [...mounts].map((m) => ({ ...m, mountPath: normalizePath(m.mountPath) })).sort((a, b) => b.mountPath.length - a.mountPath.length);
  }

  resolve(path: string): Resolved {
    const p = normalizePath(path);
    for (const m of this.mounts) {
      if (p !== m.mountPath && !p.startsWith(`${m.mountPath}/`)) continue;
      const inside = joinInside(m.prefix, p.slice(m.mountPath.length));
      return { data: m.data, path: inside, readOnly: m.readOnly, mountPoint: p === m.mountPath, ...(m.frozenAt === undefined ? {} : { frozenAt: m.frozenAt }) };
    }
    return { data: this.layer, path: p.slice(1), readOnly: false, mountPoint: p === '/' };
  }

  readOnly(path: string): boolean {
    return this.resolve(path).readOnly;
  }

  read(path: string, at: number): FileRead {
    const r = this.resolve(path);
    const got = r.data.read(r.path, Math.min(at, r.frozenAt ?? Infinity));
    if ('error' in got && got.error === 'missing' && (r.mountPoint || this.mountsUnder(path).length > 0)) return { error: 'directory' };
    return got;
  }

  /** A directory's names, mount points in it included; undefined when the path is not a directory. */
  list(path: string, at: number): string[] | undefined {
    const r = this.resolve(path);
    const t = Math.min(at, r.frozenAt ?? Infinity);
    if (r.mountPoint && 'text' in r.data.read(r.path, t)) return undefined;
    const names = r.data.list(r.path, t);
    const mounted = this.mountsUnder(path);
    if (names === undefined && !r.mountPoint && mounted.length === 0) return undefined;
    return [...new Set([...(names ?? []), ...mounted])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Registers a program of this container as a writer of every volume it may write to, and of its own layer. */
  attach(proc: RunningProgram): void {
    const datas = new Set([this.layer, ...this.mounts.filter((m) => !m.readOnly).map((m) => m.data)]);
    for (const d of datas) d.addWriter(proc, this);
  }

  /** The files as a program started at `startedAt` sees them. */
  forProgram(startedAt: number): ProgramFiles {
    return { read: (path, atMs) => this.read(path, startedAt + atMs), list: (path, atMs) => this.list(path, startedAt + atMs) };
  }

  /** Names of the mount points directly inside a directory. */
  private mountsUnder(path: string): string[] {
    const p = normalizePath(path);
    const prefix = p === '/' ? '/' : `${p}/`;
    return this.mounts.filter((m) => m.mountPath.startsWith(prefix) && !m.mountPath.slice(prefix.length).includes('/')).map((m) => m.mountPath.slice(prefix.length));
  }
}

/** nginx's default page, which a volume mounted on its html directory hides. */
const NGINX_INDEX = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** The files of an image the model knows about (paths inside the container, without the leading slash). */
export function imageFiles(repository: string): Record<string, string> {
  if (repository === 'docker.io/library/nginx') return { 'usr/share/nginx/html/index.html': NGINX_INDEX };
  if (repository === 'docker.io/library/httpd') return { 'usr/local/apache2/htdocs/index.html': '<html><body><h1>It works!</h1></body></html>\n' };
  return {};
}

/**
 * subPathExpr: $(VAR) from the container's environment; an unknown variable expands to nothing.
 */
export function expandSubPath(expr: string, env: Readonly<Record<string, string>>): string {
  return expr.replace(/\$\((\w+)\)/g, (_m, name: string) => env[name] ?? '');
}
