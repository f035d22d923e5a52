import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import type { ApiClient } from '../apiserver/apiClient';
import { clusterHarness } from '../testing/clusterHarness';
import { parseImageRef } from './images';
import { programEnd, programFor, programLogs } from './process';
import {
  claimProblem,
  configMapPayload,
  ContainerFs,
  downwardApiPayload,
  mountRetryMs,
  normalizePath,
  projectedPayload,
  secretPayload,
  serviceAccountToken,
  unableToMountMessage,
  usedVolumes,
  VolumeData,
} from './volumes';

type Obj = Record<string, unknown>;

const texts = (built: ReturnType<typeof configMapPayload>): Record<string, string> | string => ('error' in built ? built.error : Object.fromEntries([...built.payload].map(([p, f]) => [p, f.text])));
const modes = (built: ReturnType<typeof configMapPayload>): Record<string, string> => ('error' in built ? {} : Object.fromEntries([...built.payload].map(([p, f]) => [p, f.mode.toString(8)])));
const cm = (name: string, data: Record<string, string>, extra: Obj = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data, ...extra });
const secret = (name: string, data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' }, type: 'Opaque', data });
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const NODE = { cpuMilli: 4000, memoryBytes: 8 * 2 ** 30 - 100 * 2 ** 20, ephemeralStorageBytes: 96_636_764_160 };

describe('volume payloads', () => {
  it('projects every key of a ConfigMap as a file, 0644 by default, or the listed items at their paths and modes', () => {
    const settings = cm('settings', { 'app.properties': 'color=blue\nmode=fast\n', 'log.level': 'debug' });
    expect(texts(configMapPayload({ name: 'settings' }, settings))).toEqual({ 'app.properties': 'color=blue\nmode=fast\n', 'log.level': 'debug' });
    expect(modes(configMapPayload({ name: 'settings' }, settings))).toEqual({ 'app.properties': '644', 'log.level': '644' });
    const items = { name: 'settings', items: [{ key: 'log.level', path: 'conf/level', mode: 0o400 }] };
    expect(texts(configMapPayload(items, settings, 0o440))).toEqual({ 'conf/level': 'debug' });
    expect(modes(configMapPayload(items, settings, 0o440))).toEqual({ 'conf/level': '400' });
    expect(modes(configMapPayload({ name: 'settings' }, settings, 0o440))).toEqual({ 'app.properties': '440', 'log.level': '440' });
    // binaryData is decoded into the file.
    expect(texts(configMapPayload({ name: 'bin' }, cm('bin', {}, { binaryData: { 'blob.txt': b64('raw') } })))).toEqual({ 'blob.txt': 'raw' });
  });

  it('fails as the configmap and secret plugins do: a missing object, a missing key; optional ones mount empty', () => {
    expect(texts(configMapPayload({ name: 'nope' }, null))).toBe('configmap "nope" not found');
    expect(texts(configMapPayload({ name: 'nope', optional: true }, null))).toEqual({});
    expect(texts(configMapPayload({ name: 'settings', items: [{ key: 'missing', path: 'x' }] }, cm('settings', { a: '1' })))).toBe('configmap references non-existent config key: missing');
    expect(texts(configMapPayload({ name: 'settings', optional: true, items: [{ key: 'missing', path: 'x' }, { key: 'a', path: 'a' }] }, cm('settings', { a: '1' })))).toEqual({ a: '1' });
    expect(texts(secretPayload({ secretName: 'creds' }, null))).toBe('secret "creds" not found');
    expect(texts(secretPayload({ secretName: 'creds', items: [{ key: 'token', path: 't' }] }, secret('creds', { password: b64('x') })))).toBe('references non-existent secret key: token');
  });

  it('writes the decoded bytes of a Secret (UTF-8 included)', () => {
    const s = secret('creds', { username: b64('admin'), password: b64('s3cr3t-pässwörd\n') });
    expect(texts(secretPayload({ secretName: 'creds' }, s))).toEqual({ username: 'admin', password: 's3cr3t-pässwörd\n' });
  });

  it('writes downward API labels and annotations one key="value" per line, sorted, without a final newline', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', namespace: 'shop', uid: 'u-1', labels: { tier: 'front', app: 'web' }, annotations: { build: 'v1 "quoted"' } },
      spec: { containers: [{ name: 'app', resources: { requests: { memory: '64Mi' }, limits: { cpu: '500m' } } }] },
    };
    const items = [
      { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
      { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
      { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
      { path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } },
      { path: 'tier', fieldRef: { fieldPath: "metadata.labels['tier']" } },
      { path: 'cpu_limit', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: '1m' } },
      { path: 'cpu_limit_cores', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu' } },
      { path: 'mem_request', resourceFieldRef: { containerName: 'app', resource: 'requests.memory', divisor: '1Mi' } },
      // No memory limit: the node's allocatable memory.
      { path: 'mem_limit', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
    ];
    expect(texts(downwardApiPayload(items, undefined, { pod, node: NODE }))).toEqual({
      labels: 'app="web"\ntier="front"',
      annotations: 'build="v1 \\"quoted\\""',
      name: 'web-1',
      ns: 'shop',
      tier: 'front',
      cpu_limit: '500',
      cpu_limit_cores: '1',
      mem_request: '64',
      mem_limit: '8092',
    });
  });

  it('projects several sources into one volume, and aggregates their errors', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u-2', labels: { a: 'b' } }, spec: { serviceAccountName: 'builder' } };
    const objects = new Map<string, KubeObject>([['configmaps/settings', cm('settings', { mode: 'fast' })]]);
    const src = { pod, node: NODE, now: 0, object: (r: { resource: string; name: string }) => objects.get(`${r.resource}/${r.name}`) ?? null };
    const ok = projectedPayload([{ configMap: { name: 'settings' } }, { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }, { serviceAccountToken: { path: 'token' } }], undefined, src);
    const files = texts(ok) as Record<string, string>;
    expect(Object.keys(files)).toEqual(['mode', 'labels', 'token']);
    expect(files.labels).toBe('a="b"');
    const token = files.token ?? '';
    expect(token.split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Obj;
    expect(claims).toMatchObject({ sub: 'system:serviceaccount:default:builder', 'kubernetes.io': { pod: { name: 'p', uid: 'u-2' } } });
    expect(token).toBe(serviceAccountToken(pod, undefined, 3607, 0));
    const bad = projectedPayload([{ configMap: { name: 'a' } }, { secret: { name: 'b' } }], undefined, src);
    expect(texts(bad)).toBe('[configmap "a" not found, secret "b" not found]');
    expect(texts(projectedPayload([{ configMap: { name: 'a' } }], undefined, src))).toBe('configmap "a" not found');
  });
});

describe('volume manager rules', () => {
  it('retries a failed mount after 500 ms, doubling up to 2m2s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(mountRetryMs)).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 122_000, 122_000]);
  });

  it('words claim problems as the desired-state populator, and the pod event as the kubelet', () => {
    const claim = (status: Obj, spec: Obj = {}): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec, status });
    expect(claimProblem(null, 'default', 'data')).toBe('error processing PVC default/data: failed to fetch PVC from API server: persistentvolumeclaims "data" not found');
    expect(claimProblem(claim({ phase: 'Pending' }), 'default', 'data')).toBe('error processing PVC default/data: PVC is not bound');
    expect(claimProblem(claim({ phase: 'Bound' }, { volumeName: 'pv-1' }), 'default', 'data')).toBeUndefined();
    expect(unableToMountMessage(['cache', 'data'], [], ['data'], ['error processing PVC default/data: PVC is not bound'])).toBe(
      'Unable to attach or mount volumes: unmounted volumes=[cache data], unattached volumes=[], failed to process volumes=[data]: error processing PVC default/data: PVC is not bound',
    );
  });

  it('mounts only the volumes some container uses', () => {
    const spec = { volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }, { name: 'c', emptyDir: {} }], initContainers: [{ volumeMounts: [{ name: 'c', mountPath: '/c' }] }], containers: [{ volumeMounts: [{ name: 'a', mountPath: '/a' }] }] };
    expect(usedVolumes(spec).map((v) => v.name)).toEqual(['a', 'c']);
  });
});

describe('a container file system', () => {
  const config = (): VolumeData => {
    const d = new VolumeData();
    d.replaceAll(new Map([['app.properties', 'color=blue\n'], ['conf/level', 'debug']]), 0);
    return d;
  };

  it('resolves paths through the deepest mount, subPaths and hostPath prefixes; the rest is the container layer', () => {
    const data = new VolumeData();
    const cfg = config();
    const host = new VolumeData();
    const fs = new ContainerFs(
      [
        { mountPath: '/data', data, prefix: '', readOnly: false },
        { mountPath: '/data/conf/', data: cfg, prefix: 'conf', readOnly: true },
        { mountPath: '/srv/logs', data: host, prefix: '/var/log/app', readOnly: false },
      ],
      new VolumeData(false, { 'etc/motd': 'hi\n' }),
    );
    expect(normalizePath('/data//conf/./x/../level')).toBe('/data/conf/level');
    expect(fs.resolve('/data/conf/level')).toMatchObject({ data: cfg, path: 'conf/level', readOnly: true });
    expect(fs.resolve('/data/f')).toMatchObject({ data, path: 'f', readOnly: false });
    expect(fs.resolve('/srv/logs/a.log')).toMatchObject({ data: host, path: 'var/log/app/a.log' });
    expect(fs.read('/etc/motd', 0)).toEqual({ text: 'hi\n' });
    expect(fs.read('/data/conf/level', 5)).toEqual({ text: 'debug' });
    expect(fs.read('/data/conf', 5)).toEqual({ error: 'directory' });
    expect(fs.read('/nope', 5)).toEqual({ error: 'missing' });
    // Mount points show in their parent directory; an empty volume is an empty directory.
    expect(fs.list('/data', 5)).toEqual(['conf']);
    expect(fs.list('/srv', 5)).toEqual(['logs']);
    expect(fs.list('/srv/logs', 5)).toEqual([]);
    expect(fs.list('/data/conf/level', 5)).toBeUndefined();
  });

  it('keeps a file mounted by subPath as it was when the container started, while the volume moves on', () => {
    const cfg = config();
    const fs = new ContainerFs(
      [
        { mountPath: '/etc/app.properties', data: cfg, prefix: 'app.properties', readOnly: true, frozenAt: 10 },
        { mountPath: '/etc/config', data: cfg, prefix: '', readOnly: true },
      ],
      new VolumeData(),
    );
    cfg.replaceAll(new Map([['app.properties', 'color=red\n']]), 60_000);
    expect(fs.read('/etc/config/app.properties', 70_000)).toEqual({ text: 'color=red\n' });
    expect(fs.read('/etc/config/app.properties', 30_000)).toEqual({ text: 'color=blue\n' });
    expect(fs.read('/etc/app.properties', 70_000)).toEqual({ text: 'color=blue\n' });
    expect(fs.list('/etc/config', 70_000)).toEqual(['app.properties']);
  });

  it("reads a writer's files at the time of the read: the loop's appends appear as they happen", () => {
    const shared = new VolumeData();
    const writerFs = new ContainerFs([{ mountPath: '/data', data: shared, prefix: '', readOnly: false }], new VolumeData());
    const readerFs = new ContainerFs([{ mountPath: '/usr/share/nginx/html', data: shared, prefix: '', readOnly: true }], new VolumeData());
    const program = programFor(parseImageRef('busybox:1.36'), { command: ['sh', '-c', 'echo start > /data/index.html; while true; do date >> /data/index.html; sleep 5; done'] }, {}, { readOnly: (p) => writerFs.readOnly(p) });
    const writer: { program: typeof program; startedAt?: number; finishedAt?: number } = { program, startedAt: 1_000 };
    writerFs.attach(writer);
    expect(readerFs.read('/usr/share/nginx/html/index.html', 500)).toEqual({ error: 'missing' });
    expect(readerFs.read('/usr/share/nginx/html/index.html', 1_000)).toEqual({ text: 'start\nWed Jan  1 00:00:01 UTC 2025\n' });
    expect(readerFs.read('/usr/share/nginx/html/index.html', 12_000)).toEqual({ text: 'start\nWed Jan  1 00:00:01 UTC 2025\nWed Jan  1 00:00:06 UTC 2025\nWed Jan  1 00:00:11 UTC 2025\n' });
    // The writer stops (its container exits): nothing more is written, what it wrote stays.
    writer.finishedAt = 7_000;
    expect(readerFs.read('/usr/share/nginx/html/index.html', 60_000)).toEqual({ text: 'start\nWed Jan  1 00:00:01 UTC 2025\nWed Jan  1 00:00:06 UTC 2025\n' });
    expect(shared.list('', 60_000)).toEqual(['index.html']);
  });

  it('refuses writes on read-only mounts with the shell\'s words, and the command fails', () => {
    const fs = new ContainerFs([{ mountPath: '/etc/config', data: config(), prefix: '', readOnly: true }], new VolumeData());
    const ctx = { readOnly: (p: string) => fs.readOnly(p) };
    const busybox = programFor(parseImageRef('busybox:1.36'), { command: ['sh', '-c', 'echo x > /etc/config/x'] }, {}, ctx);
    expect(programLogs(busybox, 10).map((l) => l.line)).toEqual(["sh: can't create /etc/config/x: Read-only file system"]);
    expect(programEnd(busybox)).toEqual({ exit: { afterMs: 0, code: 1 } });
    // Debian's dash numbers the line of the script.
    const dash = programFor(parseImageRef('nginx:1.27'), { command: ['sh', '-c', 'echo hi\necho x >> /etc/config/x'] }, {}, ctx);
    expect(programLogs(dash, 10).map((l) => l.line)).toEqual(['hi', 'sh: 2: cannot create /etc/config/x: Read-only file system']);
    const touched = programFor(parseImageRef('busybox:1.36'), { command: ['touch', '/etc/config/new'] }, {}, ctx);
    expect(programLogs(touched, 10).map((l) => l.line)).toEqual(['touch: /etc/config/new: Read-only file system']);
  });

  it('prints a file with cat, a directory with ls, and a missing file as busybox or GNU coreutils say it', () => {
    const fs = new ContainerFs([{ mountPath: '/etc/config', data: config(), prefix: '', readOnly: true }], new VolumeData());
    const run = (image: string, script: string) => {
      const p = programFor(parseImageRef(image), { command: ['sh', '-c', script] }, {});
      return { lines: programLogs(p, 10, 5_000, fs.forProgram(0)).map((l) => l.line), code: programEnd(p, fs.forProgram(0)).exit?.code };
    };
    expect(run('busybox:1.36', 'cat /etc/config/app.properties; ls /etc/config')).toEqual({ lines: ['color=blue', 'app.properties', 'conf'], code: 0 });
    expect(run('busybox:1.36', 'cat /x')).toEqual({ lines: ["cat: can't open '/x': No such file or directory"], code: 1 });
    expect(run('debian:12', 'cat /x')).toEqual({ lines: ['cat: /x: No such file or directory'], code: 1 });
    expect(run('busybox:1.36', 'cat /x; echo done')).toEqual({ lines: ["cat: can't open '/x': No such file or directory", 'done'], code: 0 });
    expect(run('ubuntu:24.04', 'ls /nope')).toEqual({ lines: ["ls: cannot access '/nope': No such file or directory"], code: 2 });
    expect(run('busybox:1.36', 'cat /etc/config')).toEqual({ lines: ['cat: read error: Is a directory'], code: 1 });
  });
});

// ---- on a live cluster ----

type Harness = ReturnType<typeof clusterHarness>;

function pod(name: string, node: string, containers: Obj[], volumes: Obj[], spec: Obj = {}, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) }, spec: { nodeName: node, containers, volumes, ...spec } };
}

/** `kubectl logs`: through the API server to the node's kubelet. */
function logs(h: Harness, name: string, container?: string, previous = false): string {
  const log = { ...(container === undefined ? {} : { container }), ...(previous ? { previous } : {}) };
  const r = h.cluster.world.runUntilDone<Parameters<Parameters<ApiClient['request']>[1]>[0]>(
    (done) => h.client.request({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'default', name, log }, done),
    60_000,
  );
  if (r === undefined || !r.ok) return `<${String(r?.error)}>`;
  return r.result.ok ? String(r.result.value) : `<${r.result.status.message}>`;
}

const state = (p: KubeObject | undefined, i = 0): Obj => ((((p?.status as Obj | undefined)?.containerStatuses ?? []) as Obj[])[i]?.state ?? {}) as Obj;
const phase = (p: KubeObject | undefined): unknown => (p?.status as Obj | undefined)?.phase;

describe('kubelet: volumes', () => {
  it('holds a pod whose ConfigMap volume is missing in ContainerCreating, retrying with back-off, and starts it once the ConfigMap exists', () => {
    const h = clusterHarness();
    const volumes = [{ name: 'config', configMap: { name: 'app-config' } }];
    h.ok({ verb: 'create', body: pod('web', 'worker-1', [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'cat /etc/config/app.properties; sleep 3600'], volumeMounts: [{ name: 'config', mountPath: '/etc/config' }] }], volumes) });
    h.run(30_000);
    const p = h.get('pods', 'web');
    expect(phase(p)).toBe('Pending');
    expect(state(p)).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect((p?.status as Obj).podIP).toBeUndefined();
    expect(h.events('web')).toEqual(['FailedMount: MountVolume.SetUp failed for volume "config" : configmap "app-config" not found']);
    const failed = h.list('events', 'default').find((e) => e.reason === 'FailedMount');
    // Attempts at 0, 0.5, 1.5, 3.5, 7.5 and 15.5 s; the next is due at 31.5 s.
    expect(failed?.count).toBe(6);
    expect(failed?.source).toEqual({ component: 'kubelet', host: 'worker-1' });
    h.ok({ verb: 'create', body: cm('app-config', { 'app.properties': 'color=blue\nmode=fast\n' }) });
    h.run(6_000);
    expect(state(h.get('pods', 'web')).running).toBeDefined();
    expect(logs(h, 'web')).toBe('color=blue\nmode=fast\n');
  });

  it('mounts Secret files decoded, items at their paths, and downward API labels', () => {
    const h = clusterHarness();
    h.ok({ verb: 'create', body: secret('db', { password: b64('s3cr3t'), user: b64('admin') }) });
    h.ok({ verb: 'create', body: cm('settings', { 'app.properties': 'color=blue\n', unused: 'x' }) });
    const volumes = [
      { name: 'secret', secret: { secretName: 'db' } },
      { name: 'config', configMap: { name: 'settings', items: [{ key: 'app.properties', path: 'conf/app.properties' }] } },
      { name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
    ];
    const mounts = [
      { name: 'secret', mountPath: '/etc/secret', readOnly: true },
      { name: 'config', mountPath: '/etc/config' },
      { name: 'podinfo', mountPath: '/etc/podinfo' },
    ];
    const script = 'cat /etc/secret/password; echo; ls /etc/secret; ls /etc/config; cat /etc/config/conf/app.properties; cat /etc/podinfo/labels; echo; sleep 3600';
    h.ok({ verb: 'create', body: pod('reader', 'worker-2', [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', script], volumeMounts: mounts }], volumes, {}, { app: 'web', tier: 'front' }) });
    h.run(10_000);
    expect(logs(h, 'reader')).toBe('s3cr3t\npassword\nuser\nconf\ncolor=blue\napp="web"\ntier="front"\n');
  });

  it('refreshes a mounted ConfigMap within the sync period, while the environment keeps its value', () => {
    const h = clusterHarness();
    h.ok({ verb: 'create', body: cm('settings', { mode: 'blue' }) });
    const c = {
      name: 'app',
      image: 'busybox:1.36',
      command: ['sh', '-c', 'while true; do echo "env=$MODE"; cat /etc/config/mode; echo; sleep 10; done'],
      env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }],
      volumeMounts: [{ name: 'config', mountPath: '/etc/config' }],
    };
    h.ok({ verb: 'create', body: pod('app', 'worker-3', [c], [{ name: 'config', configMap: { name: 'settings' } }]) });
    h.run(10_000);
    const before = h.get('configmaps', 'settings') as KubeObject;
    h.ok({ verb: 'update', body: { ...before, data: { mode: 'green' } } });
    h.run(5_000);
    expect(logs(h, 'app').split('\n').slice(-3)).toEqual(['env=blue', 'blue', '']);
    h.run(90_000);
    expect(logs(h, 'app').split('\n').slice(-3)).toEqual(['env=blue', 'green', '']);
  });

  it('shares an emptyDir between the containers of a pod; it survives a container restart, not the pod', () => {
    const h = clusterHarness();
    const writer = { name: 'writer', image: 'busybox:1.36', command: ['sh', '-c', 'while true; do date >> /data/index.html; sleep 5; done'], volumeMounts: [{ name: 'html', mountPath: '/data' }] };
    // The reader exits after reading, so it is restarted: a new container, with a layer of its own.
    const reader = { name: 'reader', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 12; cat /html/index.html; echo mine > /tmp/own; exit 1'], volumeMounts: [{ name: 'html', mountPath: '/html' }] };
    const web = { name: 'web', image: 'nginx:1.27', volumeMounts: [{ name: 'html', mountPath: '/usr/share/nginx/html', readOnly: true }] };
    h.ok({ verb: 'create', body: pod('site', 'worker-1', [writer, reader, web], [{ name: 'html', emptyDir: {} }]) });
    h.run(15_000);
    // The first reader started with the writer: it read the dates of 0, 5 and 10 s.
    const first = logs(h, 'site', 'reader', true).trimEnd().split('\n');
    expect(first).toHaveLength(3);
    expect(first.every((l) => /^Wed Jan {2}1 00:00:\d\d UTC 2025$/.test(l))).toBe(true);
    const kubelet = h.cluster.kubelets.get('worker-1');
    const served = (): string => {
      const f = kubelet?.readContainerFile('default', 'site', 'web', '/usr/share/nginx/html/index.html');
      return f !== undefined && 'text' in f ? f.text : '';
    };
    expect(served().startsWith(`${first.join('\n')}\n`)).toBe(true);
    const uid = h.get('pods', 'site')?.metadata.uid ?? '';
    const readers = (h.cluster.runtimes.get('worker-1')?.containersOf(uid) ?? []).filter((c) => c.name === 'reader').sort((a, b) => a.attempt - b.attempt);
    expect(readers.map((c) => c.files?.read('/tmp/own', h.cluster.world.now))).toEqual([{ text: 'mine\n' }, { error: 'missing' }]);
    h.run(15_000);
    // The restarted reader has exited too (it waits out its back-off): it saw what the writer wrote before its restart and since.
    const second = logs(h, 'site', 'reader').trimEnd().split('\n');
    expect(second.slice(0, 3)).toEqual(first);
    expect(second.length).toBeGreaterThanOrEqual(5);
    // A new pod of the same name gets a new, empty emptyDir.
    h.ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'site' });
    h.run(40_000);
    expect(h.get('pods', 'site')).toBeUndefined();
    h.ok({ verb: 'create', body: pod('site', 'worker-1', [writer, web], [{ name: 'html', emptyDir: {} }]) });
    h.run(3_000);
    expect(served().split('\n')).toHaveLength(2);
  });

  it('refuses to write on a read-only mount: the shell says so and the command fails', () => {
    const h = clusterHarness();
    h.ok({ verb: 'create', body: cm('settings', { mode: 'blue' }) });
    const c = { name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo x > /etc/config/x'], volumeMounts: [{ name: 'config', mountPath: '/etc/config' }] };
    h.ok({ verb: 'create', body: pod('ro', 'worker-2', [c], [{ name: 'config', configMap: { name: 'settings' } }], { restartPolicy: 'Never' }) });
    h.run(10_000);
    expect(logs(h, 'ro')).toBe("sh: can't create /etc/config/x: Read-only file system\n");
    expect(state(h.get('pods', 'ro')).terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  });

  it('waits for an unbound claim, saying why every sync; then files written on the claim outlive the pod', () => {
    const h = clusterHarness();
    h.ok({ verb: 'create', namespace: 'default', body: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } });
    // Pinned to a node, the pod skips the scheduler, which would have waited for the claim.
    const writer = { name: 'db', image: 'busybox:1.36', command: ['sh', '-c', 'echo "row 1" >> /var/lib/data/table; sleep 3600'], volumeMounts: [{ name: 'data', mountPath: '/var/lib/data' }] };
    h.ok({ verb: 'create', body: pod('pinned', 'worker-1', [writer], [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }]) });
    h.run(15_000);
    expect(state(h.get('pods', 'pinned'))).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(h.events('pinned')).toEqual(['FailedMount: Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC default/data: PVC is not bound']);
    h.ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'pinned' });
    // Through the scheduler: the claim is provisioned and bound for the first consumer.
    const scheduled = (name: string, command: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ ...writer, command: ['sh', '-c', command] }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } });
    h.ok({ verb: 'create', body: scheduled('db-1', 'echo "row 1" >> /var/lib/data/table; sleep 3600') });
    h.run(30_000);
    expect(state(h.get('pods', 'db-1')).running).toBeDefined();
    h.ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'db-1' });
    h.run(40_000);
    h.ok({ verb: 'create', body: scheduled('db-2', 'echo "row 2" >> /var/lib/data/table; cat /var/lib/data/table; sleep 3600') });
    h.run(30_000);
    expect(logs(h, 'db-2')).toBe('row 1\nrow 2\n');
  });

  it('keeps hostPath files on the node: the next pod there finds them, a pod on another node does not', () => {
    const h = clusterHarness();
    const volumes = [{ name: 'host', hostPath: { path: '/var/local/app', type: 'DirectoryOrCreate' } }];
    const c = (script: string) => [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', script], volumeMounts: [{ name: 'host', mountPath: '/host' }] }];
    h.ok({ verb: 'create', body: pod('first', 'worker-1', c('echo "from first" > /host/note; sleep 3600'), volumes) });
    h.run(8_000);
    h.ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'first' });
    h.run(40_000);
    h.ok({ verb: 'create', body: pod('second', 'worker-1', c('cat /host/note; sleep 3600'), volumes) });
    h.ok({ verb: 'create', body: pod('elsewhere', 'worker-2', c('cat /host/note; sleep 3600'), volumes) });
    h.run(8_000);
    expect(logs(h, 'second')).toBe('from first\n');
    expect(logs(h, 'elsewhere')).toBe("cat: can't open '/host/note': No such file or directory\n");
  });

  it('restarts a container whose exec liveness probe cannot read its file any more', () => {
    const h = clusterHarness();
    const c = {
      name: 'liveness',
      image: 'busybox:1.36',
      args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
      livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
    };
    h.ok({ verb: 'create', body: pod('liveness-exec', 'worker-3', [c], []) });
    h.run(25_000);
    expect(h.events('liveness-exec').filter((e) => e.startsWith('Unhealthy'))).toEqual([]);
    h.run(30_000);
    expect(h.events('liveness-exec')).toContain("Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory");
    expect(h.events('liveness-exec')).toContain('Killing: Container liveness failed liveness probe, will be restarted');
  });
});
