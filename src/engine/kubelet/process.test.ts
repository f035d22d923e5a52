import { describe, expect, it } from 'vitest';
import { parseImageRef, pullError } from './images';
import { argv, execCommand, programEnd, programFor, programLogs, programWrites } from './process';

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
