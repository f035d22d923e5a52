import type { ImageInfo, ImageRef } from './images';
import type { AppBehaviour, FileContext, Program, Step } from './process';

/**
 * Kubeplay's teaching images (docker.io/kubeplay/<name>, written `kubeplay/web:v1`): small
 * programs whose behaviour depends on how they are deployed — configuration from env or a
 * mounted file, a Service name to reach, a volume that keeps data — so a lesson's mistakes show
 * up as they would on a real cluster (CrashLoopBackOff with a clear log line, a failing
 * readiness probe, an OOMKill). Each exists only with the tags it was published with.
 */

export interface TeachingImage extends ImageInfo {
  /** Published versions; `latest` is one of them. */
  readonly tags: readonly string[];
  readonly latest: string;
}

const MiB = 1024 * 1024;
const REPOSITORY = 'docker.io/kubeplay/';

/** Alpine-based images: a BusyBox userland under each program. */
export const TEACHING_IMAGES: Readonly<Record<string, TeachingImage>> = {
  web: { tags: ['v1', 'v2', 'v3'], latest: 'v2', sizeBytes: 9 * MiB, entrypoint: ['kubeplay-web'], cmd: [], ports: [8080], cpuMilli: 2, memoryMiB: 24 },
  api: { tags: ['v1'], latest: 'v1', sizeBytes: 9 * MiB, entrypoint: ['kubeplay-api'], cmd: [], ports: [8080], cpuMilli: 2, memoryMiB: 20 },
  db: { tags: ['v1'], latest: 'v1', sizeBytes: 14 * MiB, entrypoint: ['kubeplay-db'], cmd: ['serve'], ports: [5432], cpuMilli: 3, memoryMiB: 40 },
  'content-sync': { tags: ['v1'], latest: 'v1', sizeBytes: 5 * MiB, entrypoint: ['kubeplay-content-sync'], cmd: [], ports: [], cpuMilli: 1, memoryMiB: 6 },
  loadgen: { tags: ['v1'], latest: 'v1', sizeBytes: 6 * MiB, entrypoint: ['kubeplay-loadgen'], cmd: [], ports: [], cpuMilli: 5, memoryMiB: 12 },
  crash: { tags: ['v1'], latest: 'v1', sizeBytes: 4 * MiB, entrypoint: ['kubeplay-crash'], cmd: [], ports: [], cpuMilli: 1, memoryMiB: 8 },
  'slow-start': { tags: ['v1'], latest: 'v1', sizeBytes: 8 * MiB, entrypoint: ['kubeplay-slow-start'], cmd: [], ports: [8080], cpuMilli: 2, memoryMiB: 30 },
  leak: { tags: ['v1'], latest: 'v1', sizeBytes: 6 * MiB, entrypoint: ['kubeplay-leak'], cmd: [], ports: [8080], cpuMilli: 2, memoryMiB: 20 },
  toolbox: { tags: ['v1'], latest: 'v1', sizeBytes: 6 * MiB, entrypoint: [], cmd: ['sleep', 'infinity'], ports: [], cpuMilli: 0, memoryMiB: 1 },
};

export function teachingRepositories(): string[] {
  return Object.keys(TEACHING_IMAGES).map((name) => `${REPOSITORY}${name}`);
}

export function isTeachingImage(ref: ImageRef): boolean {
  return ref.repository.startsWith(REPOSITORY);
}

/** The image behind a reference: only with a published tag (or, with `anyTag`, whether the repository exists). */
export function teachingImage(ref: ImageRef, opts: { readonly anyTag?: boolean } = {}): TeachingImage | undefined {
  if (!isTeachingImage(ref)) return undefined;
  const image = TEACHING_IMAGES[ref.repository.slice(REPOSITORY.length)];
  if (image === undefined || opts.anyTag === true) return image;
  return ref.tag === 'latest' || (ref.tag !== undefined && image.tags.includes(ref.tag)) ? image : undefined;
}

/**
 * The program of a teaching image's own binary; undefined for any other command (a shell, sleep,
 * wget…), which runs on the image's BusyBox userland like any other Alpine image.
 */
export function teachingProgram(ref: ImageRef, words: readonly string[], env: Readonly<Record<string, string>>, files?: FileContext): Program | undefined {
  const image = teachingImage(ref);
  const name = ref.repository.slice(REPOSITORY.length);
  const [prog = '', ...args] = words;
  if (image === undefined || prog.slice(prog.lastIndexOf('/') + 1) !== `kubeplay-${name}`) return undefined;
  const version = ref.tag === 'latest' || ref.tag === undefined ? image.latest : ref.tag;
  switch (name) {
    case 'web':
      return web(version, env, files);
    case 'api':
      return api(env);
    case 'db':
      return db(args[0] ?? 'serve', env, files);
    case 'content-sync':
      return contentSync(env, files);
    case 'loadgen':
      return loadgen(env);
    case 'crash':
      return crash();
    case 'slow-start':
      return slowStart();
    case 'leak':
      return leak(env);
    default:
      return undefined;
  }
}

// ---- building blocks ----

const base = { steps: [], ports: [], startupMs: 0, cpuMilli: 1, memoryMiB: 8, serves: false, handlesSigterm: true } as const;

/** Paths the HTTP servers answer 200 on. */
const HTTP_PATHS: readonly string[] = ['/', '/healthz'];

/** Logs one line and exits 1: a configuration error, which the kubelet restarts into CrashLoopBackOff. */
function fail(line: string): Program {
  return { ...base, steps: [{ log: line }, { exit: 1 }] };
}

/** A server on 8080: its start lines, then after `startupMs` it listens. */
/**
 * After SIGTERM the teaching servers keep answering this long before they exit, as well-behaved
 * servers do (a shutdown delay): the endpoint's removal has time to reach every node's
 * kube-proxy, so a rolling update with readiness probes loses no request.
 */
export const TEACHING_DRAIN_MS = 5_000;

function httpServer(lines: readonly string[], startupMs: number, ready: string, app: AppBehaviour, res: { cpuMilli: number; memoryMiB: number }): Program {
  const steps: Step[] = [...lines.map((log) => ({ log })), { sleepMs: startupMs }, { log: ready }];
  return { ...base, ...res, steps, serves: true, ports: [8080], startupMs, httpPaths: HTTP_PATHS, app, handlesSigterm: true, drainMs: TEACHING_DRAIN_MS };
}

/** An env value, unset when empty (as the shell's ${X:-default} reads it). */
function setting(env: Readonly<Record<string, string>>, key: string): string | undefined {
  const v = env[key];
  return v === undefined || v === '' ? undefined : v;
}

function positiveNumber(text: string): number | undefined {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The scheme a URL names ("http", "ftp"), or undefined when it names none ("web:8080"). */
export function urlScheme(text: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1];
}

/**
 * A URL as the load generator and the client tools read it: http://web:8080/x, https://web,
 * or web:8080 (http assumed); the path defaults to /.
 */
export function parseUrl(text: string): { host: string; port: number; path: string } | undefined {
  const m = /^(?:(https?):\/\/)?([^/:?#\s]+)(?::(\d+))?(\S*)$/.exec(text);
  // Another scheme (ftp://), or http:// with no host, is not a URL these tools reach.
  if (m === null || (m[1] === undefined && urlScheme(text) !== undefined)) return undefined;
  const [, scheme = 'http', host = '', port, rest = ''] = m;
  return { host, port: port !== undefined ? Number(port) : scheme === 'https' ? 443 : 80, path: rest.startsWith('/') ? rest : `/${rest}` };
}

// ---- web and api ----

export const WEB_CONF = '/etc/web/web.conf';

/** KEY=value lines; blank lines and # comments are skipped, surrounding quotes dropped. */
export function parseConf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const eq = line.indexOf('=');
    if (line === '' || line.startsWith('#') || eq <= 0) continue;
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim().replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}

/** The front end's database settings: the environment wins over the mounted file. */
function webSettings(env: Readonly<Record<string, string>>, files: FileContext | undefined): { get: (key: string) => string | undefined; fileFound: boolean } {
  const read = files?.read?.(WEB_CONF);
  const conf = read !== undefined && 'text' in read ? parseConf(read.text) : undefined;
  return { get: (key) => setting(env, key) ?? (conf?.[key] === '' ? undefined : conf?.[key]), fileFound: conf !== undefined };
}

/** The database endpoint from DB_HOST/DB_PORT, or the error line for a bad port. */
function databaseOf(get: (key: string) => string | undefined, host: string): { host: string; port: number } | { error: string } {
  const portText = get('DB_PORT') ?? '5432';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) return { error: `error: DB_PORT "${portText}" is not a port number` };
  return { host, port };
}

function web(version: string, env: Readonly<Record<string, string>>, files: FileContext | undefined): Program {
  const { get, fileFound } = webSettings(env, files);
  const missing = ['DB_HOST', 'DB_PASSWORD'].filter((k) => get(k) === undefined);
  if (missing.length > 0) {
    const where = fileFound ? `not set in the environment nor in ${WEB_CONF}` : `not set in the environment, and ${WEB_CONF} does not exist`;
    return fail(`error: missing ${missing.join(' and ')}: ${where}`);
  }
  const database = databaseOf(get, get('DB_HOST') ?? '');
  if ('error' in database) return fail(database.error);
  const user = get('DB_USER') ?? 'kubeplay';
  // v2 warms a bigger template cache; v3 is the broken release: it starts, then answers 500.
  const startupMs = version === 'v2' ? 2_500 : 1_500;
  const app: AppBehaviour = { role: 'web', upstreams: [database], ...(version === 'v3' ? { serverError: true } : {}) };
  return httpServer([`connecting to database ${database.host}:${database.port} as ${user}`], startupMs, `listening on :8080 (version ${version})`, app, { cpuMilli: 2, memoryMiB: 24 });
}

function api(env: Readonly<Record<string, string>>): Program {
  const host = setting(env, 'DB_HOST');
  if (host === undefined) return httpServer(['DB_HOST is not set: serving without a database'], 1_000, 'listening on :8080 (api v1)', { role: 'api' }, { cpuMilli: 2, memoryMiB: 20 });
  const database = databaseOf((k) => setting(env, k), host);
  if ('error' in database) return fail(database.error);
  return httpServer([`using database ${database.host}:${database.port}`], 1_000, 'listening on :8080 (api v1)', { role: 'api', upstreams: [database] }, { cpuMilli: 2, memoryMiB: 20 });
}

// ---- db ----

export const DB_DATA = '/var/lib/kubeplay/db';
/** Marker files of an initialised data directory: the format version, and who made it and when. */
const DB_VERSION_FILE = `${DB_DATA}/KP_VERSION`;
const DB_CREATED_BY = `${DB_DATA}/CREATED_BY`;
const DB_CREATED_AT = `${DB_DATA}/CREATED_AT`;

/** The data directory as the program finds it at start. */
type DataDir = { readonly state: 'empty' } | { readonly state: 'foreign' } | { readonly state: 'ours'; readonly createdBy: string; readonly createdAt: string };

function dataDir(files: FileContext | undefined): DataDir {
  const text = (path: string): string | undefined => {
    const r = files?.read?.(path);
    return r !== undefined && 'text' in r ? r.text.trim() : undefined;
  };
  if (text(DB_VERSION_FILE) !== undefined) return { state: 'ours', createdBy: text(DB_CREATED_BY) ?? 'unknown', createdAt: text(DB_CREATED_AT) ?? 'unknown' };
  return (files?.list?.(DB_DATA) ?? []).length === 0 ? { state: 'empty' } : { state: 'foreign' };
}

/** `kubeplay-db serve` (the default) or `kubeplay-db init` (for an init container). */
function db(mode: string, env: Readonly<Record<string, string>>, files: FileContext | undefined): Program {
  if (mode !== 'serve' && mode !== 'init') return { ...base, steps: [{ log: `kubeplay-db: unknown command "${mode}" (use serve or init)` }, { exit: 2 }] };
  if (setting(env, 'DB_PASSWORD') === undefined) return fail('error: DB_PASSWORD is not set: the database needs a password (give it from a Secret)');
  if (files?.onVolume?.(DB_DATA) !== true) return fail(`error: data directory ${DB_DATA} is not on a volume; data would be lost when the container is replaced (mount a PersistentVolumeClaim there)`);
  if (files.readOnly(DB_DATA)) return fail(`error: cannot write to data directory ${DB_DATA}: Read-only file system`);
  const dir = dataDir(files);
  if (dir.state === 'foreign') return fail(`error: data directory ${DB_DATA} is not empty but holds no kubeplay database`);
  if (dir.state === 'ours') {
    const found = `database created by ${dir.createdBy} at ${dir.createdAt}`;
    if (mode === 'init') return { ...base, steps: [{ log: `found existing ${found}: nothing to initialise` }, { exit: 0 }] };
    return dbServer([{ log: `found existing ${found}` }]);
  }
  if (mode === 'serve' && setting(env, 'DB_INIT') !== 'true') {
    return fail(`error: data directory ${DB_DATA} is empty and initialisation was not asked for (set DB_INIT=true, or run "kubeplay-db init" in an init container)`);
  }
  const init: Step[] = [
    { log: `initialising database in ${DB_DATA}` },
    { sleepMs: 1_500 },
    { write: DB_VERSION_FILE, text: '1\n', append: false },
    { write: DB_CREATED_BY, text: `${env.HOSTNAME ?? 'unknown'}\n`, append: false },
    { write: DB_CREATED_AT, text: '\n', append: false, stamp: 'date' },
    { log: 'database initialised' },
  ];
  return mode === 'init' ? { ...base, steps: [...init, { exit: 0 }] } : dbServer(init);
}

function dbServer(first: readonly Step[]): Program {
  const startupMs = 2_000;
  const steps: Step[] = [...first, { sleepMs: startupMs }, { log: 'listening on :5432' }];
  const before = first.reduce((t, s) => t + ('sleepMs' in s ? s.sleepMs : 0), 0);
  return { ...base, steps, serves: true, ports: [5432], startupMs: before + startupMs, cpuMilli: 3, memoryMiB: 40, app: { role: 'db' } };
}

// ---- content-sync, loadgen ----

const PAGE_HEAD = '<!DOCTYPE html>\n<html>\n<body>\n<h1>Hello from Kubeplay</h1>\n<p>Synced by content-sync at ';
const PAGE_TAIL = '</p>\n</body>\n</html>\n';

/** Rewrites index.html every SYNC_INTERVAL seconds (the page carries the time of the sync). */
function contentSync(env: Readonly<Record<string, string>>, files: FileContext | undefined): Program {
  const dir = (setting(env, 'CONTENT_DIR') ?? '/usr/share/nginx/html').replace(/\/+$/, '');
  const intervalText = setting(env, 'SYNC_INTERVAL') ?? '10';
  const interval = positiveNumber(intervalText);
  if (interval === undefined) return fail(`error: SYNC_INTERVAL "${intervalText}" is not a number of seconds`);
  const page = `${dir}/index.html`;
  if (files?.readOnly(page) === true) return fail(`error: cannot write ${page}: Read-only file system`);
  const loop: Step[] = [
    { write: page, text: PAGE_HEAD, append: false },
    { write: page, text: PAGE_TAIL, append: true, stamp: 'date' },
    { log: `synced ${page}` },
    { sleepMs: Math.round(interval * 1_000) },
  ];
  return { ...base, steps: [{ log: `syncing content to ${page} every ${interval}s` }], loop, cpuMilli: 1, memoryMiB: 6 };
}

/** Sends RATE requests a second to TARGET; what they get is logged by the traffic model. */
function loadgen(env: Readonly<Record<string, string>>): Program {
  const target = setting(env, 'TARGET');
  if (target === undefined) return fail('error: TARGET is not set: give the URL to send requests to, e.g. http://web:8080/');
  const url = parseUrl(target);
  if (url === undefined) return fail(`error: TARGET "${target}" is not a URL`);
  const rateText = setting(env, 'RATE') ?? '10';
  const rps = positiveNumber(rateText);
  if (rps === undefined) return fail(`error: RATE "${rateText}" is not a number of requests per second`);
  return {
    ...base,
    steps: [{ log: `sending ${rps} requests per second to ${target}` }],
    serves: true,
    cpuMilli: Math.max(1, Math.round(rps / 2)),
    memoryMiB: 12,
    app: { role: 'loadgen', client: { ...url, rps } },
  };
}

// ---- crash, slow-start, leak ----

function crash(): Program {
  return { ...base, steps: [{ log: 'starting crash v1' }, { sleepMs: 3_000 }, { log: 'panic: runtime error: invalid memory address or nil pointer dereference' }, { exit: 1 }] };
}

/** Listens only 45 s after starting: a liveness probe without a startupProbe kills it first. */
function slowStart(): Program {
  return httpServer(['warming up: loading caches, this takes about 45 seconds'], 45_000, 'listening on :8080', { role: 'slow-start' }, { cpuMilli: 20, memoryMiB: 30 });
}

/** Allocates LEAK_MB_PER_SEC MiB every second and never frees it, from about 20 MiB. */
function leak(env: Readonly<Record<string, string>>): Program {
  const rateText = setting(env, 'LEAK_MB_PER_SEC') ?? '5';
  const rate = positiveNumber(rateText);
  if (rate === undefined) return fail(`error: LEAK_MB_PER_SEC "${rateText}" is not a positive number`);
  const server = httpServer([`leaking ${rate} MiB every second`], 500, 'listening on :8080', { role: 'leak' }, { cpuMilli: 2, memoryMiB: 20 });
  return { ...server, leakMiBPerSec: rate };
}
