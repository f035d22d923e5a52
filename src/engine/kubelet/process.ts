import { knownImage, type ImageRef } from './images';

/**
 * What a container's main process does, as data: a few steps run once, then either an end,
 * a loop repeated forever (`while true; do …; done`) or serving until it is stopped. The
 * runtime reads logs and the exit off it for any elapsed time, so nothing has to tick.
 */
export type Step = { readonly sleepMs: number } | { readonly log: string; readonly stamp?: 'nginx' | 'iso' | 'date' } | { readonly exit: number };

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
  /** The process could not be started at all (containerd's StartError). */
  readonly startError?: string;
}

export interface ContainerSpecLike {
  readonly image?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
}

/** A loop without a sleep keeps one core busy. */
export const BUSY_LOOP_MILLI = 1000;

const quiet = { ports: [], startupMs: 0, cpuMilli: 0, memoryMiB: 1, serves: false, handlesSigterm: false } as const;

/** Utilities the small images ship; they do their job and exit 0. */
const UTILITIES = new Set(['ls', 'cat', 'hostname', 'id', 'whoami', 'uname', 'ps', 'df', 'touch', 'mkdir', 'wget', 'curl', 'nslookup', 'ping', 'nc', 'printf', 'test', 'ip', 'ifconfig', 'mount']);

/**
 * The argv Kubernetes runs: `command` replaces the image's ENTRYPOINT (and drops its CMD),
 * `args` replaces CMD.
 */
export function argv(c: ContainerSpecLike, image: { entrypoint: readonly string[]; cmd: readonly string[] }): string[] {
  if (c.command !== undefined && c.command.length > 0) return [...c.command, ...(c.args ?? [])];
  return [...image.entrypoint, ...(c.args ?? image.cmd)];
}

/** The program a container runs, given its image, command/args and resolved environment. */
export function programFor(ref: ImageRef, c: ContainerSpecLike, env: Readonly<Record<string, string>>): Program {
  const info = knownImage(ref);
  if (info === undefined) return { ...quiet, steps: [{ exit: 0 }] };
  let words = argv(c, info);
  // The official images' entrypoint scripts hand over to the command they are given.
  if (words[0] === '/docker-entrypoint.sh' || words[0] === 'docker-entrypoint.sh') {
    const rest = words.slice(1);
    if (rest[0] === 'nginx') return nginx(info.cpuMilli, info.memoryMiB);
    words = rest;
  }
  return run(words, env, info.cpuMilli, info.memoryMiB);
}

function run(words: readonly string[], env: Readonly<Record<string, string>>, cpuMilli: number, memoryMiB: number): Program {
  const [prog = '', ...rest] = words;
  const name = prog.slice(prog.lastIndexOf('/') + 1);
  switch (name) {
    case 'sh':
    case 'bash':
    case 'ash': {
      const c = rest.indexOf('-c');
      // A shell with no script and no terminal reads an empty stdin and exits.
      if (c < 0 || rest[c + 1] === undefined) return { ...quiet, steps: [{ exit: 0 }] };
      return script(rest[c + 1] ?? '', env);
    }
    case 'nginx':
      return nginx(cpuMilli, memoryMiB);
    case 'httpd-foreground':
    case 'httpd':
      return server([80], 300, cpuMilli, memoryMiB, ['AH00558: httpd: Could not reliably determine the server\'s fully qualified domain name, using 10.244.0.1. Set the \'ServerName\' directive globally to suppress this message'], 'date');
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
    case 'pause':
      return { ...quiet, steps: [], serves: true };
    case 'python3':
    case 'python':
    case 'node':
      // An interpreter with no script and no terminal reads an empty stdin and exits.
      return rest.length === 0 ? { ...quiet, steps: [{ exit: 0 }] } : { ...quiet, steps: [], serves: true, cpuMilli: 5, memoryMiB: 20 };
    default:
      return simple(words, env) ?? { ...quiet, steps: [], startError: execNotFound(prog) };
  }
}

function execNotFound(prog: string): string {
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${prog}": executable file not found in $PATH: unknown`;
}

function nginx(cpuMilli: number, memoryMiB: number): Program {
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
  return { steps: [...entry, { sleepMs: 50 }, ...started], serves: true, ports: [80], startupMs: 60, cpuMilli, memoryMiB, handlesSigterm: true };
}

function server(ports: number[], startupMs: number, cpuMilli: number, memoryMiB: number, lines: string[], stamp: 'nginx' | 'iso' | 'date' | undefined): Program {
  const logs = lines.map((log): Step => (stamp === undefined ? { log } : { log, stamp }));
  return { steps: [{ sleepMs: startupMs }, ...logs], serves: true, ports, startupMs, cpuMilli, memoryMiB, handlesSigterm: true };
}

/** One command outside a shell: sleep, echo, true/false, env, date, a utility. */
function simple(words: readonly string[], env: Readonly<Record<string, string>>): Program | undefined {
  const steps = commandSteps(words, env);
  if (steps === undefined) return undefined;
  if (steps === 'forever') return { ...quiet, steps: [], serves: true };
  return { ...quiet, steps: steps.some((s) => 'exit' in s) ? steps : [...steps, { exit: 0 }] };
}

/** The steps of one simple command; 'forever' for `sleep infinity`; undefined when unknown. */
function commandSteps(words: readonly string[], env: Readonly<Record<string, string>>): Step[] | 'forever' | undefined {
  const [prog = '', ...args] = words;
  const name = prog.slice(prog.lastIndexOf('/') + 1);
  switch (name) {
    case 'sleep': {
      if (args[0] === 'infinity') return 'forever';
      const seconds = Number((args[0] ?? '').replace(/s$/, ''));
      return Number.isFinite(seconds) && seconds >= 0 ? [{ sleepMs: Math.round(seconds * 1000) }] : [{ log: `sleep: invalid number '${args[0] ?? ''}'` }, { exit: 1 }];
    }
    case 'echo':
      return [{ log: args.filter((a) => a !== '-n' && a !== '-e').join(' ') }];
    case 'true':
    case ':':
      return [];
    case 'false':
      return [{ exit: 1 }];
    case 'exit':
      return [{ exit: Number(args[0] ?? '0') || 0 }];
    case 'date':
      return [{ log: '', stamp: 'date' }];
    case 'env':
    case 'printenv':
      return Object.keys(env)
        .sort()
        .map((k) => ({ log: `${k}=${env[k] ?? ''}` }));
    default:
      return UTILITIES.has(name) ? [] : undefined;
  }
}

/** A `sh -c` script: commands separated by `;`, `&&`, newlines, and `while true; do …; done`. */
function script(text: string, env: Readonly<Record<string, string>>): Program {
  const expanded = text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string | undefined, b: string | undefined) => env[a ?? b ?? ''] ?? '');
  const loopMatch = /while\s+(?:true|:|\[\s*1\s*\])\s*;?\s*do\b([\s\S]*?)\bdone/.exec(expanded);
  const before = loopMatch ? expanded.slice(0, loopMatch.index) : expanded;
  const head = statements(before);
  if (head === 'forever') return { ...quiet, steps: [], serves: true };
  if ('unknown' in head) return { ...quiet, steps: [...head.steps, { log: `sh: ${head.unknown}: not found` }, { exit: 127 }] };
  if (loopMatch) {
    const body = statements(loopMatch[1] ?? '');
    if (body === 'forever') return { ...quiet, steps: head.steps, serves: true };
    if ('unknown' in body) return { ...quiet, steps: [...head.steps, ...body.steps, { log: `sh: ${body.unknown}: not found` }, { exit: 127 }] };
    const steps = head.steps;
    const sleeps = body.steps.some((s) => 'sleepMs' in s && s.sleepMs > 0);
    // A loop that never sleeps spins a full core (the cgroup's cpu limit caps it); its log lines
    // are still paced a second apart so the log stays readable.
    const loop = sleeps ? body.steps : [...body.steps, { sleepMs: 1_000 }];
    return { ...quiet, steps, loop, cpuMilli: sleeps ? 1 : BUSY_LOOP_MILLI };
  }
  return { ...quiet, steps: head.steps.some((s) => 'exit' in s) ? head.steps : [...head.steps, { exit: 0 }] };
}

/** The steps of `;`/`&&`/newline-separated commands; 'forever' if one never ends; the first unknown command (a shell prints "not found" and exits 127). */
function statements(text: string): { steps: Step[] } | { steps: Step[]; unknown: string } | 'forever' {
  const steps: Step[] = [];
  for (const part of text.split(/;|&&|\n/)) {
    const words = splitWords(part);
    if (words.length === 0 || words[0] === 'trap') continue;
    const s = commandSteps(words, {});
    if (s === undefined) return { steps, unknown: words[0] ?? '' };
    if (s === 'forever') return 'forever';
    steps.push(...s);
    if (s.some((x) => 'exit' in x)) break;
  }
  return { steps };
}

/** Words of a command, with single and double quotes. */
function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const m of text.trim().matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

export interface ProgramRun {
  /** When it ends by itself (ms after start) and with what code; undefined if it runs until stopped. */
  readonly exit?: { readonly afterMs: number; readonly code: number };
}

/** When a program ends on its own. */
export function programEnd(p: Program): ProgramRun {
  if (p.startError !== undefined) return { exit: { afterMs: 0, code: 128 } };
  let t = 0;
  for (const s of p.steps) {
    if ('sleepMs' in s) t += s.sleepMs;
    else if ('exit' in s) return { exit: { afterMs: t, code: s.exit } };
  }
  return {};
}

/** Log lines a program has written by `elapsedMs` after its start, with the offset of each; at most `limit`, newest kept. */
export function programLogs(p: Program, elapsedMs: number, limit = 5_000): { atMs: number; line: string; stamp?: 'nginx' | 'iso' | 'date' }[] {
  const out: { atMs: number; line: string; stamp?: 'nginx' | 'iso' | 'date' }[] = [];
  let t = 0;
  const walk = (steps: readonly Step[]): boolean => {
    for (const s of steps) {
      if (t > elapsedMs) return false;
      if ('sleepMs' in s) t += s.sleepMs;
      else if ('exit' in s) return false;
      else {
        out.push(s.stamp === undefined ? { atMs: t, line: s.log } : { atMs: t, line: s.log, stamp: s.stamp });
        if (out.length > limit) out.shift();
      }
    }
    return t <= elapsedMs;
  };
  if (!walk(p.steps) || p.loop === undefined) return out;
  const loopMs = p.loop.reduce((sum, s) => sum + ('sleepMs' in s ? s.sleepMs : 0), 0);
  // Skip whole iterations that would be trimmed anyway, so a long-running loop stays cheap.
  const perLoop = p.loop.filter((s) => 'log' in s).length;
  if (perLoop > 0 && loopMs > 0) {
    const total = Math.floor((elapsedMs - t) / loopMs);
    const skip = Math.max(0, total - Math.ceil(limit / perLoop) - 1);
    t += skip * loopMs;
  } else if (perLoop === 0) return out;
  while (walk(p.loop)) {
    /* until past elapsedMs */
  }
  return out;
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
