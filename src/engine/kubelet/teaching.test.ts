import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import { clusterHarness } from '../testing/clusterHarness';
import { runKubectl } from '../../kubectl/kubectl';
import type { KubectlResult } from '../../kubectl/kubectlEnv';
import { CATALOGUE_DOCS } from './catalogueDocs';
import { catalogueRepositories, knownImage, parseImageRef, pullError } from './images';
import { type FileContext, programEnd, programFor, programLogs, programWrites, type Program } from './process';
import { ContainerFs, VolumeData } from './volumes';

type Obj = Record<string, unknown>;

const program = (image: string, env: Record<string, string> = {}, files?: FileContext, c: { command?: string[]; args?: string[] } = {}): Program => programFor(parseImageRef(image), { image, ...c }, env, files);
const lines = (p: Program, elapsedMs = 60_000): string[] => programLogs(p, elapsedMs).map((l) => l.line);

/** A container's files at start, as the kubelet shows them to a program: its own layer under these mounts. */
function filesOf(mounts: { path: string; data: VolumeData; readOnly?: boolean }[], at = 0): FileContext {
  const fs = new ContainerFs(
    mounts.map((m) => ({ mountPath: m.path, data: m.data, prefix: '', readOnly: m.readOnly === true })),
    new VolumeData(),
  );
  return { readOnly: (p) => fs.readOnly(p), read: (p) => fs.read(p, at), list: (p) => fs.list(p, at), onVolume: (p) => fs.resolve(p).data !== fs.layer };
}

function volumeWith(files: Record<string, string>): VolumeData {
  return new VolumeData(false, files);
}

const DB_ENV = { DB_PASSWORD: 's3cret', HOSTNAME: 'db-0' };

describe('teaching images: the registry', () => {
  it('serves the published tags (and latest) of each teaching image', () => {
    for (const image of ['kubeplay/web:v1', 'kubeplay/web:v2', 'kubeplay/web:v3', 'kubeplay/web', 'kubeplay/db:v1', 'docker.io/kubeplay/loadgen:v1', 'kubeplay/toolbox:v1']) expect(pullError(parseImageRef(image)), image).toBeUndefined();
  });

  it('fails to pull a tag that was never published with the registry\'s "not found", and an unknown repository like any other', () => {
    expect(pullError(parseImageRef('kubeplay/web:v9'))).toBe(
      'failed to pull and unpack image "docker.io/kubeplay/web:v9": failed to resolve reference "docker.io/kubeplay/web:v9": docker.io/kubeplay/web:v9: not found',
    );
    expect(pullError(parseImageRef('kubeplay/frontend:v1'))).toContain('pull access denied, repository does not exist or may require authorization');
    expect(knownImage(parseImageRef('kubeplay/web:v9'))).toBeUndefined();
  });
});

describe('kubeplay/web', () => {
  it('exits 1 without its database settings, saying what is missing and where it looked', () => {
    const p = program('kubeplay/web:v1');
    expect(lines(p)).toEqual(['error: missing DB_HOST and DB_PASSWORD: not set in the environment, and /etc/web/web.conf does not exist']);
    expect(programEnd(p)).toEqual({ exit: { afterMs: 0, code: 1 } });
    const half = program('kubeplay/web:v1', { DB_HOST: 'db' });
    expect(lines(half)).toEqual(['error: missing DB_PASSWORD: not set in the environment, and /etc/web/web.conf does not exist']);
  });

  it('connects through the host it is given and serves on 8080, with the database as its upstream', () => {
    const p = program('kubeplay/web:v1', { DB_HOST: 'db', DB_PASSWORD: 'pw', DB_USER: 'shop' });
    expect(lines(p, 0)).toEqual(['connecting to database db:5432 as shop']);
    expect(lines(p)).toEqual(['connecting to database db:5432 as shop', 'listening on :8080 (version v1)']);
    expect(programEnd(p)).toEqual({});
    expect(p.ports).toEqual([8080]);
    expect(p.app).toEqual({ role: 'web', upstreams: [{ host: 'db', port: 5432 }] });
    expect(p.httpPaths).toEqual(['/', '/healthz']);
  });

  it('reads /etc/web/web.conf when mounted; the environment wins over it', () => {
    const conf = volumeWith({ 'web.conf': '# shop front\nDB_HOST=db.shop.svc.cluster.local\nDB_PORT=6432\nDB_USER="shop"\nDB_PASSWORD=from-file\n' });
    const fromFile = program('kubeplay/web:v1', {}, filesOf([{ path: '/etc/web', data: conf, readOnly: true }]));
    expect(lines(fromFile)[0]).toBe('connecting to database db.shop.svc.cluster.local:6432 as shop');
    const both = program('kubeplay/web:v1', { DB_HOST: 'db' }, filesOf([{ path: '/etc/web', data: conf, readOnly: true }]));
    expect(both.app?.upstreams).toEqual([{ host: 'db', port: 6432 }]);
    const partial = program('kubeplay/web:v1', {}, filesOf([{ path: '/etc/web', data: volumeWith({ 'web.conf': 'DB_HOST=db\n' }) }]));
    expect(lines(partial)).toEqual(['error: missing DB_PASSWORD: not set in the environment nor in /etc/web/web.conf']);
  });

  it('refuses a DB_PORT that is not a port number', () => {
    expect(lines(program('kubeplay/web:v1', { DB_HOST: 'db', DB_PASSWORD: 'pw', DB_PORT: 'postgres' }))).toEqual(['error: DB_PORT "postgres" is not a port number']);
  });

  it('differs by version: v2 says so and starts slower, v3 answers every request with 500', () => {
    const env = { DB_HOST: 'db', DB_PASSWORD: 'pw' };
    const [v1, v2, v3] = ['v1', 'v2', 'v3'].map((v) => program(`kubeplay/web:${v}`, env));
    expect(lines(v2 as Program).at(-1)).toBe('listening on :8080 (version v2)');
    expect((v2 as Program).startupMs).toBeGreaterThan((v1 as Program).startupMs);
    expect(v1?.app?.serverError).toBeUndefined();
    expect(v3?.app?.serverError).toBe(true);
    expect(programEnd(v3 as Program)).toEqual({});
  });

  it('runs other commands on its BusyBox userland', () => {
    const p = program('kubeplay/web:v1', {}, undefined, { command: ['sh', '-c', 'echo hi; exit 3'] });
    expect(lines(p)).toEqual(['hi']);
    expect(programEnd(p)).toEqual({ exit: { afterMs: 0, code: 3 } });
  });
});

describe('kubeplay/api', () => {
  it('serves without a database when DB_HOST is not set, and with it as upstream when it is', () => {
    const alone = program('kubeplay/api:v1');
    expect(lines(alone)).toEqual(['DB_HOST is not set: serving without a database', 'listening on :8080 (api v1)']);
    expect(alone.app).toEqual({ role: 'api' });
    expect(program('kubeplay/api:v1', { DB_HOST: 'db', DB_PORT: '5433' }).app).toEqual({ role: 'api', upstreams: [{ host: 'db', port: 5433 }] });
  });
});

describe('kubeplay/db', () => {
  const DATA = '/var/lib/kubeplay/db';

  it('needs a password, and its data directory on a volume', () => {
    expect(lines(program('kubeplay/db:v1', { HOSTNAME: 'db-0' }))).toEqual(['error: DB_PASSWORD is not set: the database needs a password (give it from a Secret)']);
    const noVolume = program('kubeplay/db:v1', DB_ENV, filesOf([]));
    expect(lines(noVolume)).toEqual(['error: data directory /var/lib/kubeplay/db is not on a volume; data would be lost when the container is replaced (mount a PersistentVolumeClaim there)']);
    expect(programEnd(noVolume)).toEqual({ exit: { afterMs: 0, code: 1 } });
  });

  it('refuses an empty data directory unless told to initialise it', () => {
    const p = program('kubeplay/db:v1', DB_ENV, filesOf([{ path: DATA, data: new VolumeData() }]));
    expect(lines(p)).toEqual(['error: data directory /var/lib/kubeplay/db is empty and initialisation was not asked for (set DB_INIT=true, or run "kubeplay-db init" in an init container)']);
    expect(programEnd(p)).toEqual({ exit: { afterMs: 0, code: 1 } });
  });

  it('initialises the directory (as `kubeplay-db init`, or with DB_INIT=true), recording who created it', () => {
    const init = program('kubeplay/db:v1', DB_ENV, filesOf([{ path: DATA, data: new VolumeData() }]), { args: ['init'] });
    expect(lines(init)).toEqual(['initialising database in /var/lib/kubeplay/db', 'database initialised']);
    expect(programEnd(init)).toEqual({ exit: { afterMs: 1_500, code: 0 } });
    expect(programWrites(init, 10_000).map((w) => `${w.path} ${JSON.stringify(w.text)}${w.stamp === undefined ? '' : ` +${w.stamp}`}`)).toEqual([
      '/var/lib/kubeplay/db/KP_VERSION "1\\n"',
      '/var/lib/kubeplay/db/CREATED_BY "db-0\\n"',
      '/var/lib/kubeplay/db/CREATED_AT "\\n" +date',
    ]);
    const serving = program('kubeplay/db:v1', { ...DB_ENV, DB_INIT: 'true' }, filesOf([{ path: DATA, data: new VolumeData() }]));
    expect(lines(serving)).toEqual(['initialising database in /var/lib/kubeplay/db', 'database initialised', 'listening on :5432']);
    expect(serving.ports).toEqual([5432]);
    expect(serving.app).toEqual({ role: 'db' });
  });

  it('finds an existing database and says who created it and when; init leaves it alone', () => {
    const disk = volumeWith({ KP_VERSION: '1\n', CREATED_BY: 'db-7\n', CREATED_AT: 'Wed Jan  1 00:03:00 UTC 2025\n' });
    const p = program('kubeplay/db:v1', DB_ENV, filesOf([{ path: DATA, data: disk }]));
    expect(lines(p)).toEqual(['found existing database created by db-7 at Wed Jan  1 00:03:00 UTC 2025', 'listening on :5432']);
    const init = program('kubeplay/db:v1', DB_ENV, filesOf([{ path: DATA, data: disk }]), { command: ['kubeplay-db', 'init'] });
    expect(lines(init)).toEqual(['found existing database created by db-7 at Wed Jan  1 00:03:00 UTC 2025: nothing to initialise']);
    expect(programEnd(init)).toEqual({ exit: { afterMs: 0, code: 0 } });
  });

  it('will not take over a directory that holds something else', () => {
    const p = program('kubeplay/db:v1', DB_ENV, filesOf([{ path: DATA, data: volumeWith({ 'lost+found/x': '' }) }]));
    expect(lines(p)).toEqual(['error: data directory /var/lib/kubeplay/db is not empty but holds no kubeplay database']);
  });
});

describe('kubeplay/content-sync, loadgen, crash, slow-start, leak', () => {
  it('content-sync rewrites index.html every SYNC_INTERVAL seconds, logging each sync', () => {
    const html = new VolumeData();
    const p = program('kubeplay/content-sync:v1', { SYNC_INTERVAL: '5' }, filesOf([{ path: '/usr/share/nginx/html', data: html }]));
    expect(lines(p, 11_000)).toEqual(['syncing content to /usr/share/nginx/html/index.html every 5s', 'synced /usr/share/nginx/html/index.html', 'synced /usr/share/nginx/html/index.html', 'synced /usr/share/nginx/html/index.html']);
    expect(programWrites(p, 11_000).filter((w) => !w.append).map((w) => w.atMs)).toEqual([0, 5_000, 10_000]);
    expect(programEnd(p)).toEqual({});
    const elsewhere = program('kubeplay/content-sync:v1', { CONTENT_DIR: '/srv/www/' });
    expect(programWrites(elsewhere, 0)[0]?.path).toBe('/srv/www/index.html');
    const readOnly = program('kubeplay/content-sync:v1', {}, filesOf([{ path: '/usr/share/nginx/html', data: html, readOnly: true }]));
    expect(lines(readOnly)).toEqual(['error: cannot write /usr/share/nginx/html/index.html: Read-only file system']);
  });

  it('loadgen sends RATE requests a second to TARGET, and needs a TARGET', () => {
    const p = program('kubeplay/loadgen:v1', { TARGET: 'http://web:8080/api' });
    expect(lines(p)).toEqual(['sending 10 requests per second to http://web:8080/api']);
    expect(p.app).toEqual({ role: 'loadgen', client: { host: 'web', port: 8080, path: '/api', rps: 10 } });
    expect(p.ports).toEqual([]);
    expect(programEnd(p)).toEqual({});
    expect(program('kubeplay/loadgen:v1', { TARGET: 'http://web', RATE: '0.5' }).app?.client).toEqual({ host: 'web', port: 80, path: '/', rps: 0.5 });
    expect(lines(program('kubeplay/loadgen:v1'))).toEqual(['error: TARGET is not set: give the URL to send requests to, e.g. http://web:8080/']);
  });

  it('crash panics 3 s after starting and exits 1', () => {
    const p = program('kubeplay/crash:v1');
    expect(programEnd(p)).toEqual({ exit: { afterMs: 3_000, code: 1 } });
    expect(lines(p)).toEqual(['starting crash v1', 'panic: runtime error: invalid memory address or nil pointer dereference']);
  });

  it('slow-start listens only after 45 s', () => {
    const p = program('kubeplay/slow-start:v1');
    expect(p.startupMs).toBe(45_000);
    expect(lines(p, 44_999)).toEqual(['warming up: loading caches, this takes about 45 seconds']);
    expect(lines(p, 45_000).at(-1)).toBe('listening on :8080');
  });

  it('leak grows LEAK_MB_PER_SEC (default 5) from about 20 MiB', () => {
    expect(program('kubeplay/leak:v1')).toMatchObject({ memoryMiB: 20, leakMiBPerSec: 5, ports: [8080] });
    expect(program('kubeplay/leak:v1', { LEAK_MB_PER_SEC: '12' }).leakMiBPerSec).toBe(12);
    expect(lines(program('kubeplay/leak:v1', { LEAK_MB_PER_SEC: 'lots' }))).toEqual(['error: LEAK_MB_PER_SEC "lots" is not a positive number']);
  });

  it('toolbox stays up for `kubectl exec`, and runs checks given as a command', () => {
    expect(programEnd(program('kubeplay/toolbox:v1'))).toEqual({});
    expect(program('kubeplay/toolbox:v1', {}, undefined, { args: ['curl', '-s', 'http://web:8080/healthz'] }).app).toEqual({ client: { host: 'web', port: 8080, path: '/healthz', rps: 0 }, oneShot: 'curl', quiet: true });
  });
});

// ---- on a live cluster ----

type Harness = ReturnType<typeof clusterHarness>;

function pod(name: string, spec: Obj, node?: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { ...(node === undefined ? {} : { nodeName: node }), ...spec } };
}

/** `kubectl logs`: through the API server to the node's kubelet. */
function logs(h: Harness, name: string, container?: string): string {
  const log = container === undefined ? {} : { container };
  const r = h.cluster.world.runUntilDone<Parameters<Parameters<ApiClient['request']>[1]>[0]>((done) => h.client.request({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'default', name, log }, done), 60_000);
  if (r === undefined || !r.ok) return `<${String(r?.error)}>`;
  return r.result.ok ? String(r.result.value) : `<${r.result.status.message}>`;
}

function kubectl(h: Harness, line: string): KubectlResult {
  const env = { world: h.cluster.world, defaultContext: 'admin', clients: new Map([['admin', h.client]]) };
  const r = h.cluster.world.runUntilDone<KubectlResult>((done) => runKubectl(env, line, undefined, done), 60_000);
  if (r === undefined) throw new Error(`kubectl ${line}: no answer`);
  return r;
}

const statusOf = (p: KubeObject | undefined, i = 0): Obj => (((p?.status as Obj | undefined)?.containerStatuses ?? []) as Obj[])[i] ?? {};
const stateOf = (p: KubeObject | undefined): Obj => (statusOf(p).state ?? {}) as Obj;

function secret(name: string, data: Record<string, string>): KubeObject {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, btoa(v)]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' }, data: encoded } as KubeObject;
}

describe('teaching images on a cluster', () => {
  it('web goes into CrashLoopBackOff without its settings, and runs Ready with them from a ConfigMap and a Secret', () => {
    const h = clusterHarness();
    h.ok({ verb: 'create', body: pod('bare', { containers: [{ name: 'web', image: 'kubeplay/web:v1' }] }, 'worker-1') });
    h.run(30_000);
    const bare = h.get('pods', 'bare');
    expect(stateOf(bare).waiting).toMatchObject({ reason: 'CrashLoopBackOff' });
    expect(statusOf(bare).lastState).toMatchObject({ terminated: { exitCode: 1, reason: 'Error' } });
    expect(logs(h, 'bare')).toBe('error: missing DB_HOST and DB_PASSWORD: not set in the environment, and /etc/web/web.conf does not exist\n');

    h.ok({ verb: 'create', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'default' }, data: { DB_HOST: 'db', DB_USER: 'shop' } } as KubeObject });
    h.ok({ verb: 'create', body: secret('db-password', { password: 's3cret' }) });
    const web = {
      name: 'web',
      image: 'kubeplay/web:v1',
      envFrom: [{ configMapRef: { name: 'web-config' } }],
      env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-password', key: 'password' } } }],
      readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
    };
    h.ok({ verb: 'create', body: pod('configured', { containers: [web] }, 'worker-1') });
    h.run(15_000);
    const p = h.get('pods', 'configured');
    expect(statusOf(p)).toMatchObject({ ready: true, restartCount: 0 });
    expect(logs(h, 'configured')).toBe('connecting to database db:5432 as shop\nlistening on :8080 (version v1)\n');
  });

  it('web reads its settings from a mounted ConfigMap file', () => {
    const h = clusterHarness();
    h.ok({ verb: 'create', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-conf', namespace: 'default' }, data: { 'web.conf': 'DB_HOST=db\nDB_PASSWORD=pw\n' } } as KubeObject });
    const container = { name: 'web', image: 'kubeplay/web:v2', volumeMounts: [{ name: 'conf', mountPath: '/etc/web' }] };
    h.ok({ verb: 'create', body: pod('web', { containers: [container], volumes: [{ name: 'conf', configMap: { name: 'web-conf' } }] }, 'worker-2') });
    h.run(15_000);
    expect(stateOf(h.get('pods', 'web')).running).toBeDefined();
    expect(logs(h, 'web')).toBe('connecting to database db:5432 as kubeplay\nlistening on :8080 (version v2)\n');
  });

  it('web:v3 starts but its readiness probe gets 500, so it never becomes Ready', () => {
    const h = clusterHarness();
    const web = { name: 'web', image: 'kubeplay/web:v3', env: [{ name: 'DB_HOST', value: 'db' }, { name: 'DB_PASSWORD', value: 'pw' }], readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 } };
    h.ok({ verb: 'create', body: pod('broken', { containers: [web] }, 'worker-1') });
    h.run(30_000);
    const p = h.get('pods', 'broken');
    expect(stateOf(p).running).toBeDefined();
    expect(statusOf(p).ready).toBe(false);
    expect(h.events('broken')).toContain('Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 500');
  });

  it('an unpublished tag fails to pull with the registry\'s "not found"', () => {
    const h = clusterHarness();
    h.ok({ verb: 'create', body: pod('typo', { containers: [{ name: 'web', image: 'kubeplay/web:v9' }] }, 'worker-1') });
    h.run(3_000);
    expect(h.events('typo')).toContain(
      'Failed: Failed to pull image "kubeplay/web:v9": failed to pull and unpack image "docker.io/kubeplay/web:v9": failed to resolve reference "docker.io/kubeplay/web:v9": docker.io/kubeplay/web:v9: not found',
    );
  });

  it('db refuses an empty claim, is initialised by an init container, and the next pod on the claim finds its data', () => {
    const h = clusterHarness();
    h.ok({ verb: 'create', body: secret('db', { password: 's3cret' }) });
    h.ok({ verb: 'create', namespace: 'default', body: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } });
    const db = {
      name: 'db',
      image: 'kubeplay/db:v1',
      env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
      volumeMounts: [{ name: 'data', mountPath: '/var/lib/kubeplay/db' }],
    };
    const volumes = [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }];

    h.ok({ verb: 'create', body: pod('db-0', { containers: [db], volumes }) });
    h.run(30_000);
    expect(stateOf(h.get('pods', 'db-0')).waiting).toMatchObject({ reason: 'CrashLoopBackOff' });
    expect(logs(h, 'db-0')).toContain('error: data directory /var/lib/kubeplay/db is empty and initialisation was not asked for');
    h.ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'db-0' });
    h.run(10_000);

    h.ok({ verb: 'create', body: pod('db-1', { initContainers: [{ ...db, name: 'init', args: ['init'] }], containers: [db], volumes }) });
    h.run(30_000);
    expect(stateOf(h.get('pods', 'db-1')).running).toBeDefined();
    expect(logs(h, 'db-1', 'init')).toBe('initialising database in /var/lib/kubeplay/db\ndatabase initialised\n');
    const [found, listening] = logs(h, 'db-1').split('\n');
    expect(found).toMatch(/^found existing database created by db-1 at Wed Jan {2}1 00:\d\d:\d\d UTC 2025$/);
    expect(listening).toBe('listening on :5432');

    h.ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'db-1' });
    h.run(40_000);
    h.ok({ verb: 'create', body: pod('db-2', { containers: [db], volumes }) });
    h.run(30_000);
    expect(logs(h, 'db-2').split('\n')[0]).toBe(found);
  });

  it('leak is OOMKilled when its memory reaches the limit, and kubectl top sees it grow until then', () => {
    const h = clusterHarness();
    const leak = (limit: string, rate: string) => ({ name: 'leak', image: 'kubeplay/leak:v1', env: [{ name: 'LEAK_MB_PER_SEC', value: rate }], resources: { limits: { memory: limit } } });
    h.ok({ verb: 'create', body: pod('small', { containers: [leak('64Mi', '5')], restartPolicy: 'Never' }, 'worker-1') });
    h.ok({ verb: 'create', body: pod('slow', { containers: [leak('1Gi', '2')] }, 'worker-2') });
    h.run(20_000);
    const small = h.get('pods', 'small');
    expect(stateOf(small).terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    const record = h.cluster.runtimes.get('worker-1')?.containersOf(small?.metadata.uid ?? '')[0];
    // (64 - 20) MiB at 5 MiB/s: 8.8 s after the start.
    expect((record?.finishedAt ?? 0) - (record?.startedAt ?? 0)).toBe(8_800);

    const memory = (): number => Number(/slow\s+\S+\s+(\d+)Mi/.exec(kubectl(h, 'top pod slow').stdout)?.[1] ?? NaN);
    h.run(20_000);
    const first = memory();
    h.run(60_000);
    const second = memory();
    // About 2 MiB more every second, give or take a scrape.
    expect(second - first).toBeGreaterThan(90);
    expect(second - first).toBeLessThan(150);
  });
});

describe('the image documentation', () => {
  const markdown = readFileSync(fileURLToPath(new URL('../../../docs/images.md', import.meta.url)), 'utf8');

  it('documents every repository of the catalogue, with what it does and needs', () => {
    const documented = new Set(CATALOGUE_DOCS.map((d) => d.repository));
    for (const repository of catalogueRepositories()) expect(documented.has(repository), repository).toBe(true);
    for (const d of CATALOGUE_DOCS) {
      expect(d.does, d.image).not.toBe('');
      expect(d.needs, d.image).not.toBe('');
    }
  });

  it('has a row in docs/images.md for every image, with the catalogue\'s tags and ports, under its group', () => {
    const teachingAt = markdown.indexOf("## Kubeplay's teaching images");
    expect(teachingAt).toBeGreaterThan(0);
    for (const d of CATALOGUE_DOCS) {
      const row = `| \`${d.image}\` | ${d.tags} | ${d.ports} | ${d.does} | ${d.needs} |`;
      const at = markdown.indexOf(row);
      expect(at, row).toBeGreaterThan(0);
      expect(at > teachingAt, d.image).toBe(d.group === 'teaching');
    }
  });
});
