import { describe, expect, it } from 'vitest';
import { parseImageRef, pullError } from './images';
import { argv, execCommand, leakOomAfterMs, memoryMiBAt, programEnd, programFor, programLogs, programWrites } from './process';

const run = (image: string, c: { command?: string[]; args?: string[] } = {}, env: Record<string, string> = {}) => programFor(parseImageRef(image), { image, ...c }, env);
const lines = (image: string, c: { command?: string[]; args?: string[] }, elapsedMs: number) => programLogs(run(image, c), elapsedMs).map((l) => l.line);

describe('image references', () => {
  it('normalises as containerd does: Docker Hub, library/, latest', () => {
    expect(parseImageRef('nginx').canonical).toBe('docker.io/library/nginx:latest');
    expect(parseImageRef('nginx:1.27').canonical).toBe('docker.io/library/nginx:1.27');
    expect(parseImageRef('bitnami/redis:7').canonical).toBe('docker.io/bitnami/redis:7');
    expect(parseImageRef('registry.k8s.io/pause:3.10').repository).toBe('registry.k8s.io/pause');
    expect(parseImageRef('localhost:5000/app').canonical).toBe('localhost:5000/app:latest');
    expect(parseImageRef('nginx@sha256:abc').tag).toBeUndefined();
  });

  it('pulls the known images with any tag and refuses the rest with containerd\'s error', () => {
    expect(pullError(parseImageRef('nginx:1.25.3'))).toBeUndefined();
    expect(pullError(parseImageRef('docker.io/library/busybox'))).toBeUndefined();
    expect(pullError(parseImageRef('ngnix'))).toBe(
      'failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    );
  });
});

describe('container programs', () => {
  it('uses command for ENTRYPOINT and args for CMD, as Kubernetes does', () => {
    const image = { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] };
    expect(argv({}, image)).toEqual(['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
    expect(argv({ args: ['nginx-debug'] }, image)).toEqual(['/docker-entrypoint.sh', 'nginx-debug']);
    expect(argv({ command: ['sleep'], args: ['5'] }, image)).toEqual(['sleep', '5']);
    expect(argv({ command: ['sleep', '5'] }, image)).toEqual(['sleep', '5']);
  });

  it('runs servers until stopped, listening on their ports', () => {
    const nginx = run('nginx');
    expect(programEnd(nginx)).toEqual({});
    expect(nginx.ports).toEqual([80]);
    expect(nginx.handlesSigterm).toBe(true);
    expect(lines('nginx', {}, 1_000)).toContain('/docker-entrypoint.sh: Configuration complete; ready for start up');
  });

  it('ends a shell with no script at once (no terminal), and runs a script to its exit code', () => {
    expect(programEnd(run('busybox'))).toEqual({ exit: { afterMs: 0, code: 0 } });
    expect(programEnd(run('busybox', { command: ['sh', '-c', 'echo hi; sleep 2; exit 3'] }))).toEqual({ exit: { afterMs: 2_000, code: 3 } });
    expect(lines('busybox', { command: ['sh', '-c', 'echo hi; sleep 2; exit 3'] }, 5_000)).toEqual(['hi']);
    expect(programEnd(run('busybox', { command: ['sleep', '3600'] }))).toEqual({ exit: { afterMs: 3_600_000, code: 0 } });
    expect(programEnd(run('busybox', { command: ['sleep', 'infinity'] }))).toEqual({});
  });

  it('loops forever in `while true`, logging each round, and keeps only the newest lines', () => {
    const c = { command: ['sh', '-c', 'while true; do echo tick; sleep 5; done'] };
    expect(programEnd(run('busybox', c))).toEqual({});
    expect(lines('busybox', c, 12_000)).toEqual(['tick', 'tick', 'tick']);
    const long = programLogs(run('busybox', c), 86_400_000, 100);
    expect(long).toHaveLength(100);
    expect(long.at(-1)?.atMs).toBe(86_400_000);
  });

  it('fails like a shell on an unknown command, and like runc on an unknown executable', () => {
    expect(programEnd(run('busybox', { command: ['sh', '-c', 'nginxx -g foo'] }))).toEqual({ exit: { afterMs: 0, code: 127 } });
    expect(lines('busybox', { command: ['sh', '-c', 'nginxx -g foo'] }, 10)).toEqual(['sh: nginxx: not found']);
    const p = run('busybox', { command: ['nginxx'] });
    expect(p.startError).toContain('exec: "nginxx": executable file not found in $PATH');
    expect(programEnd(p)).toEqual({ exit: { afterMs: 0, code: 128 } });
  });

  it('expands environment variables in scripts, and a database without its password exits 1 saying why', () => {
    expect(programLogs(run('busybox', { command: ['sh', '-c', 'echo $GREETING ${NAME}'] }, { GREETING: 'hello', NAME: 'kube' }), 10).map((l) => l.line)).toEqual(['hello kube']);
    const pg = run('postgres:16');
    expect(programEnd(pg)).toEqual({ exit: { afterMs: 0, code: 1 } });
    expect(programLogs(pg, 10)[0]?.line).toBe('Error: Database is uninitialized and superuser password is not specified.');
    expect(programEnd(programFor(parseImageRef('postgres:16'), { image: 'postgres:16' }, { POSTGRES_PASSWORD: 's3cret' }))).toEqual({});
  });

  it('runs a script on after a failing command, and exits with the status of its last one', () => {
    const p = run('busybox', { command: ['sh', '-c', 'false; echo still here'] });
    expect(programLogs(p, 10).map((l) => l.line)).toEqual(['still here']);
    expect(programEnd(p)).toEqual({ exit: { afterMs: 0, code: 0 } });
    expect(programEnd(run('busybox', { command: ['sh', '-c', 'echo a; false'] }))).toEqual({ exit: { afterMs: 0, code: 1 } });
  });

  it('sends redirected output to files: > truncates, >> appends, $(date) and date are stamped when written, /dev/null drops', () => {
    const p = run('busybox', { command: ['sh', '-c', 'echo "hello world" > /data/a; echo -n x >> /data/a; printf "%s=%s\\n" k v > /data/b; echo gone > /dev/null; echo "$(date) INFO up" >> /var/log/app.log 2>&1; echo shown'] });
    expect(programLogs(p, 10).map((l) => l.line)).toEqual(['shown']);
    expect(programWrites(p, 10)).toEqual([
      { atMs: 0, path: '/data/a', text: 'hello world\n', append: false },
      { atMs: 0, path: '/data/a', text: 'x', append: true },
      { atMs: 0, path: '/data/b', text: 'k=v\n', append: false },
      { atMs: 0, path: '/var/log/app.log', text: ' INFO up\n', append: true, stamp: 'date' },
    ]);
  });

  it('runs an exec probe against the files: output and status of what it reads, undefined for commands it does not know', () => {
    const files = { read: (path: string) => (path === '/tmp/healthy' ? { text: 'ok\n' } : { error: 'missing' as const }), list: () => undefined };
    expect(execCommand(parseImageRef('busybox:1.36'), ['cat', '/tmp/healthy'], files)).toEqual({ code: 0, output: 'ok' });
    expect(execCommand(parseImageRef('busybox:1.36'), ['cat', '/tmp/ready'], files)).toEqual({ code: 1, output: "cat: can't open '/tmp/ready': No such file or directory" });
    expect(execCommand(parseImageRef('redis:7'), ['sh', '-c', 'cat /tmp/ready'], files)).toEqual({ code: 1, output: 'cat: /tmp/ready: No such file or directory' });
    expect(execCommand(parseImageRef('redis:7'), ['redis-cli', 'ping'], files)).toBeUndefined();
  });
});

describe('the public catalogue', () => {
  it('pulls the other common official images with any tag, and the curl and unprivileged nginx images', () => {
    for (const image of ['mariadb:11.4', 'rabbitmq:3-management', 'golang:1.23', 'curlimages/curl:8.11.1', 'nginxinc/nginx-unprivileged:1.27']) expect(pullError(parseImageRef(image)), image).toBeUndefined();
  });

  it('runs MariaDB only with a root password option, as its entrypoint insists', () => {
    const bare = run('mariadb:11.4');
    expect(programEnd(bare)).toEqual({ exit: { afterMs: 0, code: 1 } });
    expect(programLogs(bare, 10).map((l) => l.line)).toEqual([
      '[Note] [Entrypoint]: Entrypoint script for MariaDB Server 1:11.4.4+maria~ubu2404 started.',
      "[Note] [Entrypoint]: Switching to dedicated user 'mysql'",
      '[Note] [Entrypoint]: Entrypoint script for MariaDB Server 1:11.4.4+maria~ubu2404 started.',
      '[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified',
      '\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD',
    ]);
    // The old MYSQL_ names are still read.
    const db = run('mariadb:11.4', {}, { MYSQL_ROOT_PASSWORD: 'pw' });
    expect(programEnd(db)).toEqual({});
    expect(db.ports).toEqual([3306]);
    expect(programLogs(db, 10_000).map((l) => l.line)).toContain('[Note] mariadbd: ready for connections.');
  });

  it('listens where the images do: RabbitMQ on AMQP 5672, the unprivileged nginx on 8080 (probes answered there)', () => {
    expect(run('rabbitmq:3.13').ports).toContain(5672);
    expect(programLogs(run('rabbitmq:3.13'), 10_000).map((l) => l.line)).toContain('[info] <0.9.0> Server startup complete; 3 plugins started.');
    const nginx = run('nginxinc/nginx-unprivileged:1.27');
    expect(nginx.ports).toEqual([8080]);
    expect(nginx.httpPaths).toContain('/');
  });

  it('runs curl from the curl image: with no URL it says how to use it and exits 2, with options or a URL it makes the request', () => {
    const bare = run('curlimages/curl:8.11.1');
    expect(programLogs(bare, 10).map((l) => l.line)).toEqual(["curl: try 'curl --help' or 'curl --manual' for more information"]);
    expect(programEnd(bare)).toEqual({ exit: { afterMs: 0, code: 2 } });
    expect(run('curlimages/curl', { args: ['-s', 'http://web:8080/'] }).app).toEqual({ client: { host: 'web', port: 8080, path: '/', rps: 0 }, oneShot: 'curl', quiet: true });
    expect(run('curlimages/curl', { args: ['curl', 'web'] }).app?.client).toEqual({ host: 'web', port: 80, path: '/', rps: 0 });
  });

  it('has no curl in BusyBox or Alpine: a shell says not found (127), runc cannot exec it', () => {
    const sh = run('busybox:1.36', { command: ['sh', '-c', 'curl http://web'] });
    expect(programLogs(sh, 10).map((l) => l.line)).toEqual(['sh: curl: not found']);
    expect(programEnd(sh)).toEqual({ exit: { afterMs: 0, code: 127 } });
    expect(run('alpine:3.20', { command: ['curl', 'http://web'] }).startError).toContain('exec: "curl": executable file not found in $PATH');
  });
});

describe('client tools in commands and scripts', () => {
  it('turns a one-shot wget into a request the traffic model answers: no exit of its own', () => {
    // kubectl run check --image=busybox --restart=Never -- wget -qO- http://web
    const p = run('busybox', { args: ['wget', '-qO-', 'http://web'] });
    expect(p.app).toEqual({ client: { host: 'web', port: 80, path: '/', rps: 0 }, oneShot: 'wget', quiet: true });
    expect(p.steps).toEqual([]);
    expect(programEnd(p)).toEqual({});
  });

  it('reads the target past options that take a value, in clusters or apart', () => {
    expect(run('busybox', { command: ['wget', '-O-', '-T', '2', 'http://web:8080/x'] }).app).toEqual({ client: { host: 'web', port: 8080, path: '/x', rps: 0, timeoutSec: 2 }, oneShot: 'wget' });
    expect(run('busybox', { command: ['wget', '-q', '-O', '/dev/stdout', 'web.shop.svc.cluster.local:5000'] }).app?.client).toEqual({ host: 'web.shop.svc.cluster.local', port: 5000, path: '/', rps: 0 });
    expect(run('curlimages/curl', { command: ['curl', '-fsS', '-m', '5', '-H', 'Host: x', 'https://api/v1?q=1'] }).app).toEqual({ client: { host: 'api', port: 443, path: '/v1?q=1', rps: 0, timeoutSec: 5 }, oneShot: 'curl', failOnHttpError: true });
    expect(run('curlimages/curl', { command: ['curl', '--max-time=1.5', 'web'] }).app?.client?.timeoutSec).toBe(1.5);
    expect(run('busybox', { command: ['nslookup', 'web'] }).app).toEqual({ client: { host: 'web', port: 53, rps: 0 }, oneShot: 'nslookup' });
  });

  it('says where a body goes when not to the log: wget saves to a file named after the URL unless told -O -', () => {
    const bodyTo = (command: string[]): string | undefined => run('curlimages/curl', { command }).app?.bodyTo;
    expect(bodyTo(['wget', 'http://web'])).toBe('index.html');
    expect(bodyTo(['wget', 'http://web/files/a.txt?v=2'])).toBe('a.txt');
    expect(bodyTo(['wget', '-q', '-O', '/dev/null', 'http://web'])).toBe('/dev/null');
    expect(bodyTo(['curl', '-so', '/tmp/page', 'http://web'])).toBe('/tmp/page');
    expect(bodyTo(['curl', '-s', 'http://web'])).toBeUndefined();
    expect(bodyTo(['sh', '-c', 'wget -qO- http://web > /dev/null'])).toBe('/dev/null');
  });

  it('keeps what a script does before its request, and drops what would follow (the tool ends the container)', () => {
    const p = run('busybox', { command: ['sh', '-c', 'echo checking; wget -qO- http://web && echo done'] });
    expect(programLogs(p, 10).map((l) => l.line)).toEqual(['checking']);
    expect(programEnd(p)).toEqual({});
    expect(p.app?.oneShot).toBe('wget');
  });

  it('sends one request per round of a `while true` loop, at the rate its sleeps give', () => {
    const every = run('busybox', { command: ['sh', '-c', 'while true; do wget -qO- http://web; sleep 1; done'] });
    expect(every.app).toEqual({ client: { host: 'web', port: 80, path: '/', rps: 1 }, oneShot: 'wget', quiet: true });
    expect(every.loop).toEqual([{ sleepMs: 1_000 }]);
    const fast = run('busybox', { command: ['sh', '-c', 'while true; do date; wget -q -O- http://web:8080/api > /dev/null; sleep 0.5; done'] });
    expect(fast.app?.client).toEqual({ host: 'web', port: 8080, path: '/api', rps: 2 });
    expect(programLogs(fast, 1_200)).toHaveLength(3);
  });

  it('still lets an exec probe run wget as a utility that succeeds', () => {
    const files = { read: () => ({ error: 'missing' as const }), list: () => undefined };
    expect(execCommand(parseImageRef('busybox'), ['wget', '-q', '-O-', 'http://localhost'], files)).toEqual({ code: 0, output: '' });
  });
});

describe('memory of a leaking program', () => {
  it('grows from its idle use at its rate, reaching a limit at a time known from the start', () => {
    const p = { ...run('busybox', { command: ['sleep', '3600'] }), memoryMiB: 20, leakMiBPerSec: 5 };
    expect(memoryMiBAt(p, 0)).toBe(20);
    expect(memoryMiBAt(p, 4_000)).toBe(40);
    // (128 - 20) / 5 = 21.6 s.
    expect(leakOomAfterMs(p, 128)).toBe(21_600);
    expect(leakOomAfterMs(run('nginx'), 128)).toBeUndefined();
  });
});
