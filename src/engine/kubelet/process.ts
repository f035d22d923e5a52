import { civilFromDays, rfc3339, VIRTUAL_EPOCH_MS } from '../virtualTime';
import { knownImage, type ImageRef } from './images';
import { type Confinement, confinedProgram } from './security';
import { isTeachingImage, parseUrl, teachingProgram } from './teaching';

export type Stamp = 'nginx' | 'iso' | 'date';

/** Whose coreutils an image ships, which sets how `cat` and `ls` word their errors. */
export type Tool = 'busybox' | 'gnu';

/**
 * What a container's main process does, as data: a few steps run once, then either an end,
 * a loop repeated forever (`while true; do …; done`) or serving until it is stopped. The
 * runtime reads logs, file writes and the exit off it for any elapsed time, so nothing has to
 * tick. Reads (`cat`, `ls`) are resolved against the container's files when they are looked at,
 * at the virtual time the step ran.
 */
export type Step =
  | { readonly sleepMs: number }
  | { readonly log: string; readonly stamp?: Stamp }
  /** `afterReads`: the status is that of the reads just before (the script's last command was `cat` or `ls`). */
  | { readonly exit: number; readonly afterReads?: true }
  | { readonly cat: string; readonly tool: Tool }
  | { readonly ls: string; readonly tool: Tool }
  /** Writes (or appends) text to a file; with the date stamp, date(1)'s output comes first. */
  | { readonly write: string; readonly text: string; readonly append: boolean; readonly stamp?: 'date' }
  | { readonly remove: string };

export interface Program {
  readonly steps: readonly Step[];
  /** Repeated forever after the steps. */
  readonly loop?: readonly Step[];
  /** After the steps, keeps running (a server) until stopped. */
  readonly serves: boolean;
  /** Listening ports, once started (probes and traffic reach them). */
  readonly ports: readonly number[];
  /** From start until it accepts connections. */
  readonly startupMs: number;
  readonly cpuMilli: number;
  readonly memoryMiB: number;
  /** Exits promptly on SIGTERM; a shell or sleep as PID 1 does not, and is killed at the end of the grace period. */
  readonly handlesSigterm: boolean;
  /** After SIGTERM it keeps serving this long before it exits 0 (a graceful drain), within the grace period. */
  readonly drainMs?: number;
  /** The process could not be started at all (containerd's StartError). */
  readonly startError?: string;
  /** What it does on the network beyond listening: read by the traffic model (src/engine/dataplane). */
  readonly app?: AppBehaviour;
  /** Memory grows by this much every second from start (a leak) until the memory limit kills it. */
  readonly leakMiBPerSec?: number;
  /** Speaks HTTP on its ports: these paths answer 200 (others 404, or 500 with app.serverError). */
  readonly httpPaths?: readonly string[];
}

/** A host and port a program talks to, as written in its configuration ("db", "db.shop.svc.cluster.local", an IP). */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/**
 * How a program behaves as a networked application, for the traffic model. A server answers on
 * its `ports`; each request it serves needs every upstream to answer too (a web front end's
 * database); a broken build answers errors. A client sends requests by itself at a rate.
 */
export interface AppBehaviour {
  /** Every request it serves makes one request to each of these first; it fails if any fails. */
  readonly upstreams?: readonly Endpoint[];
  /** Answers HTTP 500 to every request, readiness checks included (a broken release). */
  readonly serverError?: boolean;
  /** Sends requests of its own, `rps` per second (may be fractional: 0.5 is one every 2 s). */
  readonly client?: Endpoint & { readonly rps: number; readonly path?: string; readonly timeoutSec?: number };
  /** Which teaching image this is, for logs and the UI ("web", "api", "db", "loadgen", …). */
  readonly role?: string;
  /**
   * The client is a one-shot command (`wget -qO- http://web`, `curl -s web:8080`, `nslookup web`):
   * the program has no exit step of its own; the traffic model makes the request, writes what the
   * tool prints (runtime.appendLog) and ends the container with the tool's exit code
   * (runtime.finish). In a loop (`while true; do wget …; sleep 1; done`), the tool each request
   * is worded as, the rate coming from the loop's sleeps. For nslookup, `host` is the name looked up.
   */
  readonly oneShot?: 'wget' | 'curl' | 'nslookup';
  /** wget -q, curl -s (without -S): no progress or error lines, only the body. */
  readonly quiet?: boolean;
  /** curl -f: an HTTP error status is a failure (exit 22) instead of a body. */
  readonly failOnHttpError?: boolean;
  /**
   * Where the body goes instead of the log: a file (`wget URL` saves index.html, `-O FILE`,
   * `curl -o FILE`, `> FILE`) or /dev/null. Progress and errors still reach the log.
   */
  readonly bodyTo?: string;
}

export interface ContainerSpecLike {
  readonly image?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
}

/** A file as a program finds it: its content, or why it cannot be read. */
export type FileRead = { readonly text: string } | { readonly error: 'missing' | 'directory' };

/** The container's files as its program sees them, at a time in ms since the program started. */
export interface ProgramFiles {
  read(path: string, atMs: number): FileRead;
  /** The names in a directory; undefined when the path is not a directory. */
  list(path: string, atMs: number): readonly string[] | undefined;
}

/**
 * What is known of the container's files when its program is made: where writing fails, and
 * (for programs that read their configuration or data at start) the files as they are then.
 */
export interface FileContext {
  readonly readOnly: (path: string) => boolean;
  readonly read?: (path: string) => FileRead;
  /** The names in a directory; undefined when it is not one (or does not exist). */
  readonly list?: (path: string) => readonly string[] | undefined;
  /** The path is on a mounted volume, not the container's own layer (lost with the container). */
  readonly onVolume?: (path: string) => boolean;
}

/** A loop without a sleep keeps one core busy. */
export const BUSY_LOOP_MILLI = 1000;

const quiet = { ports: [], startupMs: 0, cpuMilli: 0, memoryMiB: 1, serves: false, handlesSigterm: false } as const;

/** Utilities the small images ship; they do their job and exit 0. */
const UTILITIES = new Set(['hostname', 'id', 'whoami', 'uname', 'ps', 'df', 'mkdir', 'ping', 'nc', 'test', 'ip', 'ifconfig', 'mount']);

/** How an image's /bin/sh words its errors: BusyBox ash, Debian's dash, or bash (Oracle Linux images). */
type Shell = 'ash' | 'dash' | 'bash';

interface Ctx {
  readonly tool: Tool;
  readonly sh: Shell;
  readonly files: FileContext | undefined;
  /** Commands the image does not ship, though others do (BusyBox has wget but no curl). */
  readonly missing: ReadonlySet<string>;
}

/** Images whose userland is BusyBox (Alpine's too; the curl image and Kubeplay's are built on Alpine). */
const BUSYBOX_IMAGES = new Set(['docker.io/library/busybox', 'docker.io/library/alpine', 'docker.io/curlimages/curl']);
const NO_CURL = new Set(['docker.io/library/busybox', 'docker.io/library/alpine']);
/** The MySQL image is built on Oracle Linux, where sh is bash. */
const BASH_SH_IMAGES = new Set(['docker.io/library/mysql']);

function contextOf(ref: ImageRef, files: FileContext | undefined): Ctx {
  const busybox = BUSYBOX_IMAGES.has(ref.repository) || isTeachingImage(ref);
  const missing: ReadonlySet<string> = NO_CURL.has(ref.repository) ? new Set(['curl']) : new Set();
  return { tool: busybox ? 'busybox' : 'gnu', sh: busybox ? 'ash' : BASH_SH_IMAGES.has(ref.repository) ? 'bash' : 'dash', files, missing };
}

/**
 * The argv Kubernetes runs: `command` replaces the image's ENTRYPOINT (and drops its CMD),
 * `args` replaces CMD.
 */
export function argv(c: ContainerSpecLike, image: { entrypoint: readonly string[]; cmd: readonly string[] }): string[] {
  if (c.command !== undefined && c.command.length > 0) return [...c.command, ...(c.args ?? [])];
  return [...image.entrypoint, ...(c.args ?? image.cmd)];
}

/** The program a container runs, given its image, command/args, resolved environment and what is known of its files. */
export function programFor(ref: ImageRef, c: ContainerSpecLike, env: Readonly<Record<string, string>>, files?: FileContext, confinement?: Confinement): Program {
  // Under its securityContext and runtime a program may behave otherwise (src/engine/kubelet/security.ts).
  if (confinement !== undefined) return confinedProgram(ref, c, confinement, () => programFor(ref, c, env, files));
  const info = knownImage(ref);
  if (info === undefined) return { ...quiet, steps: [{ exit: 0 }] };
  let words = argv(c, info);
  // The teaching images' own programs; any other command runs on their Alpine userland.
  const teaching = isTeachingImage(ref) ? teachingProgram(ref, words, env, files) : undefined;
  if (teaching !== undefined) return teaching;
  // The official images' entrypoint scripts hand over to the command they are given.
  if (words[0] === '/docker-entrypoint.sh' || words[0] === 'docker-entrypoint.sh') {
    const rest = words.slice(1);
    if (rest[0] === 'nginx') return nginx(info.ports, info.cpuMilli, info.memoryMiB);
    words = rest;
  }
  // The curl image's entrypoint runs curl when given options or a URL instead of a command.
  if (words[0] === '/entrypoint.sh') {
    const rest = words.slice(1);
    words = rest.length === 0 || rest[0]?.startsWith('-') === true || rest[0]?.includes('://') === true ? ['curl', ...rest] : rest;
  }
  return run(words, env, info.cpuMilli, info.memoryMiB, contextOf(ref, files));
}

function run(words: readonly string[], env: Readonly<Record<string, string>>, cpuMilli: number, memoryMiB: number, ctx: Ctx): Program {
  const [prog = '', ...rest] = words;
  const name = baseName(prog);
  switch (name) {
    case 'sh':
    case 'bash':
    case 'ash': {
      const c = rest.indexOf('-c');
      // A shell with no script and no terminal reads an empty stdin and exits.
      if (c < 0 || rest[c + 1] === undefined) return { ...quiet, steps: [{ exit: 0 }] };
      return script(rest[c + 1] ?? '', env, { ...ctx, sh: name === 'bash' ? 'bash' : ctx.sh }, name);
    }
    case 'nginx':
      return nginx([80], cpuMilli, memoryMiB);
    case 'httpd-foreground':
    case 'httpd':
      return { ...server([80], 300, cpuMilli, memoryMiB, ['AH00558: httpd: Could not reliably determine the server\'s fully qualified domain name, using 10.244.0.1. Set the \'ServerName\' directive globally to suppress this message'], 'date'), httpPaths: ROOT_PATHS };
    case 'redis-server':
      return server([6379], 100, cpuMilli, memoryMiB, ['1:C * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo', '1:M * Server initialized', '1:M * Ready to accept connections tcp'], undefined);
    case 'memcached':
      return server([11211], 50, cpuMilli, memoryMiB, [], undefined);
    case 'mongod':
      return server([27017], 2_000, cpuMilli, memoryMiB, ['{"t":{"$date":"…"},"s":"I",  "c":"NETWORK",  "id":23016,   "ctx":"listener","msg":"Waiting for connections","attr":{"port":27017,"ssl":"off"}}'], undefined);
    case 'postgres':
      if (!env.POSTGRES_PASSWORD && env.POSTGRES_HOST_AUTH_METHOD !== 'trust') {
        return {
          ...quiet,
          steps: [
            ...[
              'Error: Database is uninitialized and superuser password is not specified.',
              '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
              '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
              '',
              '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all',
              '       connections without a password. This is *not* recommended.',
            ].map((log) => ({ log })),
            { exit: 1 },
          ],
        };
      }
      return server([5432], 3_000, cpuMilli, memoryMiB, ['LOG:  database system is ready to accept connections'], 'iso');
    case 'mysqld':
      if (!env.MYSQL_ROOT_PASSWORD && !env.MYSQL_ALLOW_EMPTY_PASSWORD && !env.MYSQL_RANDOM_ROOT_PASSWORD) {
        return {
          ...quiet,
          steps: [
            { log: '[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified', stamp: 'iso' },
            { log: '    You need to specify one of the following as an environment variable:' },
            { log: '    - MYSQL_ROOT_PASSWORD' },
            { log: '    - MYSQL_ALLOW_EMPTY_PASSWORD' },
            { log: '    - MYSQL_RANDOM_ROOT_PASSWORD' },
            { exit: 1 },
          ],
        };
      }
      return server([3306], 8_000, cpuMilli, memoryMiB, ['[System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections.'], 'iso');
    case 'mariadbd':
      return mariadb(env, cpuMilli, memoryMiB);
    case 'rabbitmq-server':
      return server([4369, 5672, 15692, 25672], 8_000, cpuMilli, memoryMiB, ['[info] <0.9.0> Server startup complete; 3 plugins started.', '[info] <0.9.0>  * rabbitmq_prometheus', '[info] <0.9.0>  * rabbitmq_management_agent', '[info] <0.9.0>  * rabbitmq_web_dispatch'], 'iso');
    case 'pause':
      return { ...quiet, steps: [], serves: true };
    case 'python3':
    case 'python':
    case 'node':
      // An interpreter with no script and no terminal reads an empty stdin and exits.
      return rest.length === 0 ? { ...quiet, steps: [{ exit: 0 }] } : { ...quiet, steps: [], serves: true, cpuMilli: 5, memoryMiB: 20 };
    default:
      return simple(words, env, ctx) ?? { ...quiet, steps: [], startError: execNotFound(prog) };
  }
}

function baseName(prog: string): string {
  return prog.slice(prog.lastIndexOf('/') + 1);
}

function execNotFound(prog: string): string {
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${prog}": executable file not found in $PATH: unknown`;
}

/** Any of these lets the MariaDB entrypoint initialise an empty data directory (the MYSQL_ names are still read). */
const MARIADB_PASSWORD_OPTIONS = ['MARIADB_ROOT_PASSWORD', 'MARIADB_ROOT_PASSWORD_HASH', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', 'MARIADB_RANDOM_ROOT_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'];

/** MariaDB: its entrypoint starts as root, re-runs itself as mysql, and refuses to initialise without a root password option. */
function mariadb(env: Readonly<Record<string, string>>, cpuMilli: number, memoryMiB: number): Program {
  const note = (text: string): Step => ({ log: `[Note] [Entrypoint]: ${text}`, stamp: 'iso' });
  const started = note('Entrypoint script for MariaDB Server 1:11.4.4+maria~ubu2404 started.');
  const entry = [started, note("Switching to dedicated user 'mysql'"), started];
  if (!MARIADB_PASSWORD_OPTIONS.some((k) => env[k])) {
    return {
      ...quiet,
      steps: [
        ...entry,
        { log: '[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified', stamp: 'iso' },
        { log: '\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD' },
        { exit: 1 },
      ],
    };
  }
  const ready = server([3306], 4_000, cpuMilli, memoryMiB, ['[Note] mariadbd: ready for connections.'], 'iso');
  return { ...ready, steps: [...entry, ...ready.steps, { log: "Version: '11.4.4-MariaDB-ubu2404'  socket: '/run/mysqld/mysqld.sock'  port: 3306  mariadb.org binary distribution" }] };
}

/** The paths a stock web server answers from its default document root. */
const ROOT_PATHS: readonly string[] = ['/', '/index.html', ''];

function nginx(ports: readonly number[], cpuMilli: number, memoryMiB: number): Program {
  const entry = [
    '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
    '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
    '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
    '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
    '/docker-entrypoint.sh: Configuration complete; ready for start up',
  ].map((log): Step => ({ log }));
  const started = ['[notice] 1#1: using the "epoll" event method', '[notice] 1#1: nginx/1.27.3', '[notice] 1#1: start worker processes', '[notice] 1#1: start worker process 29'].map(
    (log): Step => ({ log, stamp: 'nginx' }),
  );
  return { steps: [...entry, { sleepMs: 50 }, ...started], serves: true, ports: [...ports], startupMs: 60, cpuMilli, memoryMiB, handlesSigterm: true, httpPaths: ROOT_PATHS };
}

function server(ports: number[], startupMs: number, cpuMilli: number, memoryMiB: number, lines: string[], stamp: Stamp | undefined): Program {
  const logs = lines.map((log): Step => (stamp === undefined ? { log } : { log, stamp }));
  return { steps: [{ sleepMs: startupMs }, ...logs], serves: true, ports, startupMs, cpuMilli, memoryMiB, handlesSigterm: true };
}

/** The steps of a command and its exit status: a number, or that of the reads it is made of. */
interface Ran {
  readonly steps: Step[];
  readonly status: number | 'reads';
  /** The first request a client tool in it makes, and how many of `steps` come before it. */
  readonly client?: { readonly call: ClientCall; readonly at: number };
}

/** The closing step of steps that end with a command of this status. */
function exitStep(status: number | 'reads'): Step {
  return status === 'reads' ? { exit: 0, afterReads: true } : { exit: status };
}

/** One command outside a shell: sleep, echo, true/false, env, date, cat, ls, a utility. */
function simple(words: readonly string[], env: Readonly<Record<string, string>>, ctx: Ctx): Program | undefined {
  const ran = commandSteps(words, env, ctx);
  if (ran === undefined) return undefined;
  if (ran === 'forever') return { ...quiet, steps: [], serves: true };
  if (ran.client !== undefined) return oneShot(ran.steps, ran.client);
  return { ...quiet, steps: ran.steps.some((s) => 'exit' in s) ? ran.steps : [...ran.steps, exitStep(ran.status)] };
}

/** A program that ends with a client tool's request: the traffic model answers it and ends the container. */
function oneShot(steps: readonly Step[], client: NonNullable<Ran['client']>): Program {
  return { ...quiet, steps: steps.slice(0, client.at), app: clientApp(client.call, 0) };
}

/** The steps of one simple command; 'forever' for `sleep infinity`; undefined when unknown. */
function commandSteps(words: readonly string[], env: Readonly<Record<string, string>>, ctx: Ctx): Ran | 'forever' | undefined {
  const [prog = '', ...args] = words;
  const name = baseName(prog);
  const ok = (steps: Step[]): Ran => ({ steps, status: 0 });
  switch (name) {
    case 'sleep': {
      if (args[0] === 'infinity') return 'forever';
      const seconds = Number((args[0] ?? '').replace(/s$/, ''));
      return Number.isFinite(seconds) && seconds >= 0 ? ok([{ sleepMs: Math.round(seconds * 1000) }]) : { steps: [{ log: `sleep: invalid number '${args[0] ?? ''}'` }], status: 1 };
    }
    case 'echo':
      return ok([echoLog(args)]);
    case 'printf':
      return ok(textLines(printfText(args)).map((log) => ({ log })));
    case 'true':
    case ':':
      return ok([]);
    case 'false':
      return { steps: [], status: 1 };
    case 'exit':
      return ok([{ exit: Number(args[0] ?? '0') || 0 }]);
    case 'date':
      return ok([{ log: '', stamp: 'date' }]);
    case 'env':
    case 'printenv':
      return ok(envLines(env).map((log) => ({ log })));
    case 'cat':
    case 'ls':
      return reads(name, args, ctx) ?? ok([]);
    case 'touch':
      return fileChanges(args.filter((a) => !a.startsWith('-')), (path) => ({ write: path, text: '', append: true }), ctx, (p) => (ctx.tool === 'busybox' ? `touch: ${p}: Read-only file system` : `touch: cannot touch '${p}': Read-only file system`));
    case 'rm':
      return fileChanges(args.filter((a) => !a.startsWith('-')), (path) => ({ remove: path }), ctx, (p) => (ctx.tool === 'busybox' ? `rm: can't remove '${p}': Read-only file system` : `rm: cannot remove '${p}': Read-only file system`));
    default:
      return UTILITIES.has(name) ? ok([]) : undefined;
    case 'wget':
    case 'curl':
    case 'nslookup':
      return ctx.missing.has(name) ? undefined : clientSteps(name, args);
  }
}

/** echo's line; `$(date)` at its start is date(1)'s output, stamped when the line is written. */
function echoLog(args: readonly string[]): { log: string; stamp?: 'date' } {
  const text = args.filter((a) => a !== '-n' && a !== '-e').join(' ');
  return text.startsWith('$(date)') ? { log: text.slice('$(date)'.length), stamp: 'date' } : { log: text };
}

/** printf's output for a format with %s and the common escapes. */
function printfText(args: readonly string[]): string {
  const [format = '', ...values] = args;
  let i = 0;
  return format.replace(/\\n|\\t|\\\\|%s|%%/g, (m) => (m === '\\n' ? '\n' : m === '\\t' ? '\t' : m === '\\\\' ? '\\' : m === '%%' ? '%' : (values[i++] ?? '')));
}

type ClientTool = 'wget' | 'curl' | 'nslookup';

/** A request a client tool makes: to a URL's host, port and path, or (nslookup) a name lookup. */
interface ClientCall {
  readonly tool: ClientTool;
  readonly host: string;
  readonly port: number;
  readonly path?: string;
  readonly quiet: boolean;
  readonly failOnHttpError: boolean;
  readonly bodyTo?: string;
  /** wget -T, curl -m (or --connect-timeout): how long it waits for an answer. */
  readonly timeoutSec?: number;
}

/** Options that take a value (the next word, unless attached): the first other word is the target. */
const VALUE_OPTIONS: Readonly<Record<ClientTool, { readonly short: string; readonly long: ReadonlySet<string> }>> = {
  wget: { short: 'OoTtUPYe', long: new Set(['--output-document', '--output-file', '--timeout', '--tries', '--user-agent', '--directory-prefix', '--header', '--post-data', '--post-file']) },
  curl: {
    short: 'AbcCdDeEFHKmorTuUwxXyYz',
    long: new Set(['--max-time', '--connect-timeout', '--header', '--request', '--data', '--data-raw', '--data-binary', '--user', '--user-agent', '--output', '--write-out', '--retry', '--retry-delay', '--resolve', '--cacert', '--cert', '--key', '--proxy', '--referer', '--cookie', '--range']),
  },
  nslookup: { short: '', long: new Set() },
};

/** wget/curl/nslookup: a request for the traffic model; without a target, wget and nslookup do nothing, curl says how to use it. */
function clientSteps(tool: ClientTool, args: readonly string[]): Ran {
  const call = clientCall(tool, args);
  if (call !== undefined) return { steps: [], status: 0, client: { call, at: 0 } };
  if (tool === 'curl') return { steps: [{ log: "curl: try 'curl --help' or 'curl --manual' for more information" }], status: 2 };
  return { steps: [], status: 0 };
}

function clientCall(tool: ClientTool, args: readonly string[]): ClientCall | undefined {
  const { short, long } = VALUE_OPTIONS[tool];
  const flags = new Map<string, string>();
  let target: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (tool === 'curl' && a === '--url') target ??= args[++i];
    else if (a.startsWith('--')) {
      const [name = a, attached] = a.split(/=(.*)/);
      flags.set(name, attached ?? (long.has(name) ? (args[++i] ?? '') : ''));
    } else if (a.startsWith('-') && a.length > 1) {
      // A cluster of one-letter flags (-qO-, -fsS); a value option ends it, taking the rest or the next word.
      for (let k = 1; k < a.length; k++) {
        const ch = a[k] ?? '';
        const takes = short.includes(ch);
        flags.set(`-${ch}`, !takes ? '' : k < a.length - 1 ? a.slice(k + 1) : (args[++i] ?? ''));
        if (takes) break;
      }
    } else target ??= a;
  }
  if (target === undefined) return undefined;
  if (tool === 'nslookup') return { tool, host: target, port: 53, quiet: false, failOnHttpError: false };
  const url = parseUrl(target);
  if (url === undefined) return undefined;
  const has = (...names: string[]): boolean => names.some((n) => flags.has(n));
  const quietFlag = tool === 'wget' ? has('-q', '--quiet') : has('-s', '--silent') && !has('-S', '--show-error');
  const bodyTo = outputFile(tool, flags, url.path);
  const timeoutText = tool === 'wget' ? (flags.get('-T') ?? flags.get('--timeout')) : (flags.get('-m') ?? flags.get('--max-time') ?? flags.get('--connect-timeout'));
  const timeoutSec = timeoutText === undefined || timeoutText.trim() === '' ? NaN : Number(timeoutText);
  return {
    tool,
    ...url,
    quiet: quietFlag,
    failOnHttpError: tool === 'curl' && has('-f', '--fail'),
    ...(bodyTo === undefined ? {} : { bodyTo }),
    ...(Number.isFinite(timeoutSec) && timeoutSec > 0 ? { timeoutSec } : {}),
  };
}

/**
 * Where the tool saves the body instead of printing it: wget saves to a file named after the URL
 * (index.html for a directory) unless told `-O -`; curl prints it unless told `-o FILE` or `-O`.
 */
function outputFile(tool: ClientTool, flags: ReadonlyMap<string, string>, path: string): string | undefined {
  const remoteName = path.split('?')[0]?.split('/').at(-1) || 'index.html';
  const given = tool === 'wget' ? (flags.get('-O') ?? flags.get('--output-document')) : (flags.get('-o') ?? flags.get('--output'));
  if (given !== undefined) return given === '-' || STDOUT_PATHS.has(given) ? undefined : given;
  return tool === 'wget' || flags.has('-O') || flags.has('--remote-name') ? remoteName : undefined;
}

/** What a program's client requests look like to the traffic model. */
function clientApp(call: ClientCall, rps: number): AppBehaviour {
  const endpoint = { host: call.host, port: call.port, rps, ...(call.path === undefined ? {} : { path: call.path }), ...(call.timeoutSec === undefined ? {} : { timeoutSec: call.timeoutSec }) };
  return { client: endpoint, oneShot: call.tool, ...(call.quiet ? { quiet: true } : {}), ...(call.failOnHttpError ? { failOnHttpError: true } : {}), ...(call.bodyTo === undefined ? {} : { bodyTo: call.bodyTo }) };
}

function envLines(env: Readonly<Record<string, string>>): string[] {
  return Object.keys(env)
    .sort()
    .map((k) => `${k}=${env[k] ?? ''}`);
}

/** `cat FILE…` and `ls [-1] PATH…` (flags otherwise, or no path, are not modelled: they print nothing). */
function reads(name: 'cat' | 'ls', args: readonly string[], ctx: Ctx): Ran | undefined {
  const flags = args.filter((a) => a.startsWith('-') && a !== '-');
  const paths = args.filter((a) => !a.startsWith('-'));
  if (paths.length === 0 || flags.some((f) => name === 'cat' || f !== '-1')) return undefined;
  return { steps: paths.map((p): Step => (name === 'cat' ? { cat: p, tool: ctx.tool } : { ls: p, tool: ctx.tool })), status: 'reads' };
}

/** touch/rm: each path changed, or the utility's error where the file system is read-only. */
function fileChanges(paths: readonly string[], change: (path: string) => Step, ctx: Ctx, readOnlyError: (path: string) => string): Ran {
  const steps: Step[] = [];
  let status = 0;
  for (const p of paths) {
    if (ctx.files?.readOnly(p) === true) {
      steps.push({ log: readOnlyError(p) });
      status = 1;
    } else steps.push(change(p));
  }
  return { steps, status };
}

/** Where a command's standard output goes: a file (created, or appended to), or nowhere. */
interface Redirect {
  readonly path: string;
  readonly append: boolean;
}

/** Paths that are the container's own standard output (the logging sidecar idiom). */
const STDOUT_PATHS = new Set(['/dev/stdout', '/proc/1/fd/1', '/proc/self/fd/1']);

/**
 * A command whose output goes to a file: the shell creates (or opens for appending) the file
 * first, then runs the command. echo, printf, date and env write what they would print; other
 * commands' output is not modelled (the file is only created). Writing where the file system is
 * read-only fails before the command runs, as a shell says it.
 */
function redirected(words: readonly string[], out: Redirect, env: Readonly<Record<string, string>>, ctx: Ctx, shell: string, line: number): Ran | 'forever' | undefined {
  if (STDOUT_PATHS.has(out.path)) return commandSteps(words, env, ctx);
  const ran = commandSteps(words, env, ctx);
  if (ran === undefined || ran === 'forever') return ran;
  const silent = ran.steps.filter((s) => 'sleepMs' in s || 'exit' in s || 'write' in s || 'remove' in s);
  // A client tool that prints its body prints it where its output is redirected.
  const call = ran.client?.call;
  const client = (at: number): Partial<Ran> => (call === undefined ? {} : { client: { call: { ...call, bodyTo: call.bodyTo ?? out.path }, at } });
  if (out.path === '/dev/null') return { steps: silent, status: ran.status, ...client(0) };
  if (ctx.files?.readOnly(out.path) === true) return { steps: [{ log: cannotCreate(ctx.sh, shell, line, out.path) }], status: 1 };
  const [prog = '', ...args] = words;
  const name = baseName(prog);
  const written: Step =
    name === 'date'
      ? { write: out.path, text: '\n', append: out.append, stamp: 'date' }
      : name === 'echo'
        ? echoWrite(args, out)
        : { write: out.path, text: name === 'printf' ? printfText(args) : name === 'env' || name === 'printenv' ? envLines(env).map((l) => `${l}\n`).join('') : '', append: out.append };
  return { steps: [written, ...silent], status: ran.status, ...client(1) };
}

function echoWrite(args: readonly string[], out: Redirect): Step {
  const line = echoLog(args);
  const text = `${line.log}${args.includes('-n') ? '' : '\n'}`;
  return line.stamp === undefined ? { write: out.path, text, append: out.append } : { write: out.path, text, append: out.append, stamp: 'date' };
}

/** A shell's words when it cannot open a file for writing on a read-only file system. */
function cannotCreate(sh: Shell, name: string, line: number, path: string): string {
  if (sh === 'ash') return `${name}: can't create ${path}: Read-only file system`;
  if (sh === 'dash') return `${name}: ${line}: cannot create ${path}: Read-only file system`;
  return `${name}: line ${line}: ${path}: Read-only file system`;
}

/** A `sh -c` script: commands separated by `;`, `&&`, newlines, and `while true; do …; done`. */
function script(text: string, env: Readonly<Record<string, string>>, ctx: Ctx, shell: string): Program {
  const expanded = text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string | undefined, b: string | undefined) => env[a ?? b ?? ''] ?? '');
  const loopMatch = /while\s+(?:true|:|\[\s*1\s*\])\s*;?\s*do\b([\s\S]*?)\bdone/.exec(expanded);
  const before = loopMatch ? expanded.slice(0, loopMatch.index) : expanded;
  const head = statements(before, 1, ctx, shell);
  if (head === 'forever') return { ...quiet, steps: [], serves: true };
  if ('unknown' in head) return { ...quiet, steps: [...head.steps, { log: `sh: ${head.unknown}: not found` }, { exit: 127 }] };
  if (loopMatch) {
    const bodyText = loopMatch[1] ?? '';
    const bodyLine = 1 + lineBreaks(expanded.slice(0, loopMatch.index + loopMatch[0].indexOf(bodyText)));
    const body = statements(bodyText, bodyLine, ctx, shell);
    if (body === 'forever') return { ...quiet, steps: head.steps, serves: true };
    if ('unknown' in body) return { ...quiet, steps: [...head.steps, ...body.steps, { log: `sh: ${body.unknown}: not found` }, { exit: 127 }] };
    const steps = head.steps;
    const sleeps = body.steps.some((s) => 'sleepMs' in s && s.sleepMs > 0);
    // A loop that never sleeps spins a full core (the cgroup's cpu limit caps it); its log lines
    // are still paced a second apart so the log stays readable.
    const loop = sleeps ? body.steps : [...body.steps, { sleepMs: 1_000 }];
    const program: Program = { ...quiet, steps, loop, cpuMilli: sleeps ? 1 : BUSY_LOOP_MILLI };
    if (body.client === undefined) return program;
    // One request per round: the rate is set by the round's sleeps.
    const roundMs = loop.reduce((sum, s) => sum + ('sleepMs' in s ? s.sleepMs : 0), 0);
    return { ...program, app: clientApp(body.client.call, 1_000 / roundMs) };
  }
  if (head.client !== undefined) return oneShot(head.steps, head.client);
  return { ...quiet, steps: head.steps.some((s) => 'exit' in s) ? head.steps : [...head.steps, exitStep(head.status)] };
}

function lineBreaks(text: string): number {
  return text.split('\n').length - 1;
}

/**
 * The steps of `;`/`&&`/newline-separated commands and the last one's status; 'forever' if one
 * never ends; the first unknown command (a shell prints "not found" and exits 127).
 */
function statements(text: string, firstLine: number, ctx: Ctx, shell: string): Ran | { steps: Step[]; unknown: string } | 'forever' {
  const steps: Step[] = [];
  let status: number | 'reads' = 0;
  let client: Ran['client'];
  const ran = (): Ran => (client === undefined ? { steps, status } : { steps, status, client });
  const lines = text.split('\n');
  for (const [i, lineText] of lines.entries()) {
    for (const part of lineText.split(/;|&&/)) {
      const { words, out } = parseCommand(part);
      if (words.length === 0 || words[0] === 'trap') continue;
      const s = out === undefined ? commandSteps(words, {}, ctx) : redirected(words, out, {}, ctx, shell, firstLine + i);
      if (s === undefined) return { steps, unknown: words[0] ?? '' };
      if (s === 'forever') return 'forever';
      if (s.client !== undefined) client ??= { call: s.client.call, at: steps.length + s.client.at };
      steps.push(...s.steps);
      status = s.status;
      if (s.steps.some((x) => 'exit' in x)) return ran();
    }
  }
  return ran();
}

/**
 * Words of a command, with single and double quotes, and its output redirection (`> file`,
 * `>> file`, `>file`); redirections of other descriptors (`2>&1`, `2>/dev/null`) and of input
 * are dropped.
 */
function parseCommand(text: string): { words: string[]; out?: Redirect } {
  const words: string[] = [];
  let out: Redirect | undefined;
  const tokens = [...text.trim().matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => ({ text: m[1] ?? m[2] ?? m[3] ?? '', quoted: m[3] === undefined }));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined) continue;
    const redirect = t.quoted ? null : /^(\d?)(>>|>|<)(.*)$/.exec(t.text);
    if (redirect === null) {
      words.push(t.text);
      continue;
    }
    const [, fd = '', op = '', attached = ''] = redirect;
    const target = attached !== '' ? attached : (tokens[++i]?.text ?? '');
    if (op !== '<' && (fd === '' || fd === '1') && !target.startsWith('&')) out = { path: target, append: op === '>>' };
  }
  return out === undefined ? { words } : { words, out };
}

/** A program's memory (MiB) at a time after its start: its idle use, plus what it has leaked. */
export function memoryMiBAt(p: Program, elapsedMs: number): number {
  return p.memoryMiB + ((p.leakMiBPerSec ?? 0) * Math.max(0, elapsedMs)) / 1_000;
}

/** When a leaking program's memory reaches `limitMiB` (ms after its start); undefined when it does not leak. */
export function leakOomAfterMs(p: Program, limitMiB: number): number | undefined {
  const rate = p.leakMiBPerSec ?? 0;
  if (rate <= 0) return undefined;
  return Math.max(0, Math.ceil(((limitMiB - p.memoryMiB) / rate) * 1_000));
}

export interface ProgramRun {
  /** When it ends by itself (ms after start) and with what code; undefined if it runs until stopped. */
  readonly exit?: { readonly afterMs: number; readonly code: number };
}

/**
 * When a program ends on its own, and with what code. A script whose last command reads files
 * exits with that command's status, which needs the files (without them it counts as success).
 */
export function programEnd(p: Program, files?: ProgramFiles): ProgramRun {
  if (p.startError !== undefined) return { exit: { afterMs: 0, code: 128 } };
  let t = 0;
  let reads: { step: Step; atMs: number }[] = [];
  for (const s of p.steps) {
    if ('exit' in s) return { exit: { afterMs: t, code: s.afterReads === true && files !== undefined ? readsStatus(reads, files) : s.exit } };
    if ('cat' in s || 'ls' in s) reads.push({ step: s, atMs: t });
    else reads = [];
    if ('sleepMs' in s) t += s.sleepMs;
  }
  return {};
}

/** The status of `cat`/`ls` over the paths read: 1 if any failed (2 for GNU ls). */
function readsStatus(reads: readonly { step: Step; atMs: number }[], files: ProgramFiles): number {
  for (const { step, atMs } of reads) {
    if (readOutput(step, atMs, files).failed) return 'ls' in step && step.tool === 'gnu' ? 2 : 1;
  }
  return 0;
}

/** What a `cat` or `ls` step prints, in lines (the last `unended` when the file has no final newline), and whether it failed. */
function readOutput(step: Step, atMs: number, files: ProgramFiles | undefined): { lines: string[]; failed: boolean; unended?: boolean } {
  if ('cat' in step) {
    const r = files?.read(step.cat, atMs) ?? { error: 'missing' as const };
    if ('text' in r) return { lines: textLines(r.text), failed: false, unended: r.text !== '' && !r.text.endsWith('\n') };
    const busybox = step.tool === 'busybox';
    if (r.error === 'directory') return { lines: [busybox ? 'cat: read error: Is a directory' : `cat: ${step.cat}: Is a directory`], failed: true };
    return { lines: [busybox ? `cat: can't open '${step.cat}': No such file or directory` : `cat: ${step.cat}: No such file or directory`], failed: true };
  }
  if ('ls' in step) {
    const names = files?.list(step.ls, atMs);
    if (names !== undefined) return { lines: names.filter((n) => !n.startsWith('.')), failed: false };
    const r = files?.read(step.ls, atMs);
    if (r !== undefined && 'text' in r) return { lines: [step.ls], failed: false };
    return { lines: [step.tool === 'busybox' ? `ls: ${step.ls}: No such file or directory` : `ls: cannot access '${step.ls}': No such file or directory`], failed: true };
  }
  return { lines: [], failed: false };
}

/** A file's content as lines of output (a final newline ends the last line, it does not start another). */
function textLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * The steps a program has reached by `elapsedMs` after its start that `wanted` selects, with the
 * offset of each; at most `limit`, newest kept. Whole loop iterations that would be trimmed
 * anyway are skipped, so a long-running loop stays cheap.
 */
function timeline(p: Program, elapsedMs: number, wanted: (s: Step) => boolean, limit: number): { atMs: number; step: Step }[] {
  const out: { atMs: number; step: Step }[] = [];
  let t = 0;
  const walk = (steps: readonly Step[]): boolean => {
    for (const s of steps) {
      if (t > elapsedMs) return false;
      if ('sleepMs' in s) t += s.sleepMs;
      else if ('exit' in s) return false;
      else if (wanted(s)) {
        out.push({ atMs: t, step: s });
        if (out.length > limit) out.shift();
      }
    }
    return t <= elapsedMs;
  };
  if (!walk(p.steps) || p.loop === undefined) return out;
  const loopMs = p.loop.reduce((sum, s) => sum + ('sleepMs' in s ? s.sleepMs : 0), 0);
  const perLoop = p.loop.filter(wanted).length;
  if (perLoop === 0) return out;
  if (loopMs > 0) {
    const total = Math.floor((elapsedMs - t) / loopMs);
    t += Math.max(0, total - Math.ceil(limit / perLoop) - 1) * loopMs;
  }
  while (walk(p.loop)) {
    /* until past elapsedMs */
  }
  return out;
}

export interface LogLine {
  readonly atMs: number;
  readonly line: string;
  readonly stamp?: Stamp;
  /** Not ended by a newline (yet): a file without a final newline, printed last. */
  readonly partial?: true;
}

/**
 * Log lines a program has written by `elapsedMs` after its start, with the offset of each; at
 * most `limit`, newest kept. `cat` and `ls` print what the files held when they ran.
 */
export function programLogs(p: Program, elapsedMs: number, limit = 5_000, files?: ProgramFiles): LogLine[] {
  const steps = timeline(p, elapsedMs, (s) => 'log' in s || 'cat' in s || 'ls' in s, limit);
  // Newest first, reading files only until there are enough lines: a reader looping over a big file stays cheap.
  const printed: LogLine[][] = [];
  let count = 0;
  for (let i = steps.length - 1; i >= 0 && count <= limit; i--) {
    const entry = steps[i];
    if (entry === undefined) continue;
    const { atMs, step } = entry;
    let lines: LogLine[] = [];
    if ('log' in step) lines = [step.stamp === undefined ? { atMs, line: step.log } : { atMs, line: step.log, stamp: step.stamp }];
    else if ('cat' in step || 'ls' in step) {
      const r = readOutput(step, atMs, files);
      lines = r.lines.map((line, k) => (r.unended === true && k === r.lines.length - 1 ? { atMs, line, partial: true } : { atMs, line }));
    }
    printed.push(lines);
    count += lines.length;
  }
  const out: LogLine[] = [];
  // Output is a stream: what follows a file without a final newline continues its last line.
  for (const l of printed.reverse().flat()) {
    const last = out.at(-1);
    if (last?.partial !== true || l.stamp !== undefined) {
      out.push(l);
      continue;
    }
    const joined: LogLine = { atMs: last.atMs, line: `${last.line}${l.line}`, ...(last.stamp === undefined ? {} : { stamp: last.stamp }) };
    out[out.length - 1] = l.partial === true ? { ...joined, partial: true } : joined;
  }
  return out.length > limit ? out.slice(out.length - limit) : out;
}

/** A change a program made to a file: written (or appended to) with text, or removed. */
export interface FileWrite {
  readonly atMs: number;
  readonly path: string;
  /** undefined: removed (with everything under it). */
  readonly text?: string;
  readonly append: boolean;
  /** date(1)'s output, at the time of the write, comes before the text. */
  readonly stamp?: 'date';
}

/** The file changes a program has made by `elapsedMs` after its start, oldest first; at most `limit`, newest kept. */
export function programWrites(p: Program, elapsedMs: number, limit = 2_000): FileWrite[] {
  return timeline(p, elapsedMs, (s) => 'write' in s || 'remove' in s, limit).map(({ atMs, step }): FileWrite => {
    if ('remove' in step) return { atMs, path: step.remove, append: false };
    if (!('write' in step)) return { atMs, path: '', append: true, text: '' };
    const write = { atMs, path: step.write, append: step.append, text: step.text };
    return step.stamp === undefined ? write : { ...write, stamp: step.stamp };
  });
}

/**
 * A command run in the container at once (an exec probe): its output and exit code, reading the
 * container's files as they are now. Undefined when the model does not know one of its commands
 * or it would not end by itself; such probes count as passing.
 */
export function execCommand(ref: ImageRef, command: readonly string[], files: ProgramFiles): { code: number; output: string } | undefined {
  const ctx = contextOf(ref, undefined);
  const [prog = '', ...rest] = command;
  const shell = baseName(prog);
  let ran: Ran | 'forever' | { unknown: string } | undefined;
  if ((shell === 'sh' || shell === 'bash' || shell === 'ash') && rest[0] === '-c') ran = statements(rest[1] ?? '', 1, { ...ctx, sh: shell === 'bash' ? 'bash' : ctx.sh }, shell);
  else ran = commandSteps(command, {}, ctx);
  if (ran === undefined || ran === 'forever' || !('status' in ran)) return undefined;
  // Everything happens now: sleeps are not waited for.
  const steps = ran.steps.filter((s) => !('sleepMs' in s));
  const p: Program = { ...quiet, steps: steps.some((s) => 'exit' in s) ? steps : [...steps, exitStep(ran.status)] };
  return { code: programEnd(p, files).exit?.code ?? 0, output: programLogs(p, 0, 5_000, files).map((l) => l.line).join('\n') };
}

/** "Wed Jan  1 00:00:05 UTC 2025", as date(1) prints it. */
export function unixDate(ms: number): string {
  const total = VIRTUAL_EPOCH_MS + ms;
  const days = Math.floor(total / 86_400_000);
  const [y, m, d] = civilFromDays(days);
  const weekday = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed'][((days % 7) + 7) % 7] ?? '';
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1] ?? '';
  return `${weekday} ${month} ${String(d).padStart(2, ' ')} ${rfc3339(ms).slice(11, 19)} UTC ${y}`;
}

/**
 * How CFS shares a node's CPU among runnable containers: each gets what it asks for (its demand,
 * already capped by its cpu limit) while the node has room; under contention the time is split
 * by weight (cpu.shares, from the cpu request) and whatever a container cannot use goes to the
 * others (water-filling). Returns the millicores each one gets.
 */
export function shareCpu(containers: readonly { readonly demandMilli: number; readonly weight: number }[], capacityMilli: number): number[] {
  const total = containers.reduce((s, c) => s + c.demandMilli, 0);
  if (total <= capacityMilli) return containers.map((c) => c.demandMilli);
  const got = containers.map(() => 0);
  let open = containers.map((_, i) => i).filter((i) => (containers[i]?.demandMilli ?? 0) > 0);
  let left = capacityMilli;
  while (open.length > 0 && left > 1e-9) {
    const weights = open.reduce((s, i) => s + Math.max(containers[i]?.weight ?? 0, 1e-6), 0);
    const slice = open.map((i) => (left * Math.max(containers[i]?.weight ?? 0, 1e-6)) / weights);
    // Those who want less than their slice are satisfied; the rest share what remains.
    const sated = open.filter((i, k) => (containers[i]?.demandMilli ?? 0) - (got[i] ?? 0) <= (slice[k] ?? 0));
    if (sated.length === 0) {
      open.forEach((i, k) => (got[i] = (got[i] ?? 0) + (slice[k] ?? 0)));
      break;
    }
    for (const i of sated) {
      const want = (containers[i]?.demandMilli ?? 0) - (got[i] ?? 0);
      got[i] = (got[i] ?? 0) + want;
      left -= want;
    }
    open = open.filter((i) => !sated.includes(i));
  }
  return got;
}
