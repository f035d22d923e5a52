import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import { clusterHarness } from '../testing/clusterHarness';
import { runKubectl } from '../../kubectl/kubectl';
import type { KubectlResult } from '../../kubectl/kubectlEnv';
import { parseImageRef } from './images';
import { ALL_CAPABILITIES, type Confinement, effectiveSecurity, escapeAttempt, imageUser, runAsNonRootError } from './security';

type Obj = Record<string, unknown>;

const nginx = imageUser(parseImageRef('nginx:1.27'));
const sec = (pod: Obj, container: Obj = {}, user = nginx) => effectiveSecurity(pod, { name: 'c', ...container }, user);

describe('effective security', () => {
  it('runs as root with containerd\'s 14 default capabilities, privilege escalation allowed and no seccomp', () => {
    expect(sec({})).toEqual({
      uid: 0,
      runAsNonRoot: false,
      privileged: false,
      allowPrivilegeEscalation: true,
      capabilities: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'NET_BIND_SERVICE', 'NET_RAW', 'SYS_CHROOT', 'MKNOD', 'AUDIT_WRITE', 'SETFCAP'],
      readOnlyRootFilesystem: false,
      seccomp: 'Unconfined',
    });
  });

  it('lets the container override the pod field by field', () => {
    const s = sec({ securityContext: { runAsUser: 1000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } }, { securityContext: { runAsUser: 2000, seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/audit.json' } } });
    expect(s).toMatchObject({ uid: 2000, runAsUser: 2000, runAsNonRoot: true, seccomp: 'localhost/profiles/audit.json' });
    expect(sec({ securityContext: { runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } } })).toMatchObject({ uid: 1000, seccomp: 'RuntimeDefault' });
  });

  it('applies add/drop as containerd does: ALL first, then each named add, then each named drop', () => {
    const caps = (add: string[], drop: string[]) => sec({}, { securityContext: { capabilities: { add, drop } } }).capabilities;
    expect(caps(['NET_BIND_SERVICE'], ['ALL'])).toEqual(['NET_BIND_SERVICE']);
    expect(caps(['ALL'], ['CHOWN'])).toEqual(ALL_CAPABILITIES.filter((c) => c !== 'CHOWN'));
    expect(caps(['sys_admin'], ['NET_RAW', 'MKNOD'])).toEqual(['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'SYS_ADMIN', 'AUDIT_WRITE', 'SETFCAP']);
    expect(caps(['SYS_ADMIN'], ['SYS_ADMIN'])).not.toContain('SYS_ADMIN');
  });

  it('gives a privileged container every capability and no seccomp filter, whatever it asks for', () => {
    const s = sec({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, { securityContext: { privileged: true, capabilities: { drop: ['ALL'] } } });
    expect(s.capabilities).toHaveLength(41);
    expect(s.seccomp).toBe('Unconfined');
  });

  it("takes the user from the image's config: root for most, a number or a name for some", () => {
    expect(['nginx:1.27', 'redis:7', 'kubeplay/escape:v1', 'nginxinc/nginx-unprivileged:1.27', 'memcached:1.6', 'registry.k8s.io/pause:3.10', 'kubeplay/web:v1'].map((i) => imageUser(parseImageRef(i)))).toEqual(['', '', '', '101', 'memcache', '65535:65535', '10001']);
    expect(sec({}, {}, '101').uid).toBe(101);
    expect(sec({}, {}, '65535:65535').uid).toBe(65535);
    expect(sec({}, {}, 'memcache')).toMatchObject({ uid: 11211, imageUserName: 'memcache' });
  });
});

describe("the kubelet's runAsNonRoot check", () => {
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', uid: 'u-1' } };
  const check = (podSc: Obj, containerSc: Obj, user: string) => runAsNonRootError(sec({ securityContext: podSc }, { securityContext: containerSc }, user), pod, 'app');

  it('refuses an image that runs as root, a runAsUser of 0 and a user it cannot verify', () => {
    expect(check({ runAsNonRoot: true }, {}, '')).toBe('container has runAsNonRoot and image will run as root (pod: "web_shop(u-1)", container: app)');
    expect(check({}, { runAsNonRoot: true, runAsUser: 0 }, '101')).toBe('container\'s runAsUser breaks non-root policy (pod: "web_shop(u-1)", container: app)');
    expect(check({ runAsNonRoot: true }, {}, 'memcache')).toBe('container has runAsNonRoot and image has non-numeric user (memcache), cannot verify user is non-root (pod: "web_shop(u-1)", container: app)');
  });

  it('accepts a non-root runAsUser, a non-root image, and anything without runAsNonRoot', () => {
    expect(check({ runAsNonRoot: true, runAsUser: 1000 }, {}, '')).toBeUndefined();
    expect(check({ runAsNonRoot: true }, {}, '10001')).toBeUndefined();
    expect(check({ runAsNonRoot: true }, { runAsNonRoot: false }, '')).toBeUndefined();
  });
});

describe('the escape exploit, route by route', () => {
  const conf = (pod: Obj, container: Obj, more: Partial<Confinement> = {}): Confinement => ({ security: sec(pod, container, ''), handler: 'runc', node: 'worker-1', hostPID: false, access: () => 'ok', ...more });
  const blocked = (c: Confinement) => escapeAttempt(c).lines.filter((l) => l.includes('[-] blocked'));

  it('is stopped by the default container on each route, for its own reason', () => {
    expect(escapeAttempt(conf({}, {})).route).toBeUndefined();
    expect(blocked(conf({}, {}))).toEqual([
      "    [-] blocked: not privileged: the node's disks are not in the container's /dev",
      '    [-] blocked: no CAP_SYS_ADMIN (and the kernel refuses release_agent from a user namespace: CVE-2022-0492 is fixed)',
      "    [-] blocked: no hostPID: the node's processes are out of sight",
      "    [-] blocked: no hostPath of the node's /",
    ]);
  });

  it('needs CAP_SYS_PTRACE besides hostPID to reach the node through PID 1', () => {
    expect(escapeAttempt(conf({}, {}, { hostPID: true })).route).toBeUndefined();
    expect(escapeAttempt(conf({}, { securityContext: { capabilities: { add: ['SYS_PTRACE'] } } }, { hostPID: true })).route).toBe('the node PID 1: chroot /proc/1/root');
  });

  it('becomes root through a setuid helper unless allowPrivilegeEscalation is false', () => {
    const user = { securityContext: { runAsUser: 10001, privileged: true } };
    expect(escapeAttempt(conf({}, user)).route).toBe('mount the node disk: mount /dev/sda1 /host');
    const nnp = escapeAttempt(conf({}, { securityContext: { runAsUser: 10001, allowPrivilegeEscalation: false, capabilities: { add: ['SYS_ADMIN'] } } }));
    expect(nnp.route).toBeUndefined();
    expect(nnp.lines).toContain('    still uid=10001: no_new_privs is set (allowPrivilegeEscalation: false), setuid bits are ignored');
  });

  it('writes through a hostPath of / even from a sandbox: gVisor guards the kernel, not the files it is given', () => {
    const attempt = escapeAttempt(conf({}, {}, { handler: 'runsc', hostRoot: '/node' }));
    expect(attempt.route).toBe("a hostPath volume of the node's /");
    expect(attempt.lines).toContain("    wrote /node/etc/cron.d/kubeplay: the node's cron runs it as root");
    expect(escapeAttempt(conf({}, { securityContext: { privileged: true } }, { handler: 'kata' })).lines).toContain("    [-] blocked: Kata: the kernel it reached is the VM's (kata), not the host's");
  });
});

// ---- on a live cluster ----

type Harness = ReturnType<typeof clusterHarness>;

function pod(name: string, containers: Obj[], spec: Obj = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'worker-1', containers, ...spec } };
}

/** `kubectl logs [--previous]`: through the API server to the node's kubelet. */
function logs(h: Harness, name: string, previous = false): string {
  const r = h.cluster.world.runUntilDone<Parameters<Parameters<ApiClient['request']>[1]>[0]>(
    (done) => h.client.request({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'default', name, log: previous ? { previous } : {} }, done),
    60_000,
  );
  if (r === undefined || !r.ok) return `<${String(r?.error)}>`;
  return r.result.ok ? String(r.result.value) : `<${r.result.status.message}>`;
}

const containerStatus = (p: KubeObject | undefined): Obj => ((((p?.status as Obj | undefined)?.containerStatuses ?? []) as Obj[])[0] ?? {}) as Obj;
const state = (p: KubeObject | undefined): Obj => (containerStatus(p).state ?? {}) as Obj;
const waitingReason = (p: KubeObject | undefined): unknown => (state(p).waiting as Obj | undefined)?.reason;
/** The log lines without nginx's date stamps. */
const unstamped = (text: string): string[] => text.trimEnd().split('\n').map((l) => l.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, ''));

describe('kubelet: securityContext', () => {
  it('refuses to start nginx under runAsNonRoot (CreateContainerConfigError) and runs busybox with a non-root runAsUser', () => {
    const h = clusterHarness();
    const web = h.ok({ verb: 'create', body: pod('web', [{ name: 'nginx', image: 'nginx:1.27' }], { securityContext: { runAsNonRoot: true } }) });
    h.ok({ verb: 'create', body: pod('sleeper', [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }], { securityContext: { runAsNonRoot: true, runAsUser: 1000 } }) });
    h.run(25_000);
    const message = `container has runAsNonRoot and image will run as root (pod: "web_default(${web.metadata.uid ?? ''})", container: nginx)`;
    expect(state(h.get('pods', 'web'))).toEqual({ waiting: { reason: 'CreateContainerConfigError', message } });
    expect(h.events('web')).toContain(`Failed: Error: ${message}`);
    expect(h.list('events', 'default').find((e) => e.reason === 'Failed' && (e.involvedObject as Obj).name === 'web')?.count).toBeGreaterThanOrEqual(2);
    expect(state(h.get('pods', 'sleeper')).running).toBeDefined();
  });

  it('makes nginx as non-root fail the classic way: it cannot create its cache directory, and crash-loops', () => {
    const h = clusterHarness();
    h.ok({ verb: 'create', body: pod('web', [{ name: 'nginx', image: 'nginx:1.27', securityContext: { runAsUser: 101 } }]) });
    h.run(8_000);
    const lines = unstamped(logs(h, 'web'));
    expect(lines).toContain('10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)');
    expect(lines.slice(-4)).toEqual([
      '[warn] 1#1: the "user" directive makes sense only if the master process runs with super-user privileges, ignored in /etc/nginx/nginx.conf:2',
      'nginx: [warn] the "user" directive makes sense only if the master process runs with super-user privileges, ignored in /etc/nginx/nginx.conf:2',
      '[emerg] 1#1: mkdir() "/var/cache/nginx/client_temp" failed (13: Permission denied)',
      'nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (13: Permission denied)',
    ]);
    expect(waitingReason(h.get('pods', 'web'))).toBe('CrashLoopBackOff');
    expect((containerStatus(h.get('pods', 'web')).lastState as Obj).terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  });

  it('fails writes outside volumes on a read-only root file system; nginx runs once its cache and /run are emptyDirs', () => {
    const h = clusterHarness();
    const ro = { readOnlyRootFilesystem: true };
    h.ok({ verb: 'create', body: pod('writer', [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo a > /scratch/a; echo b > /b; cat /scratch/a; sleep 3600'], securityContext: ro, volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }], { volumes: [{ name: 'scratch', emptyDir: {} }] }) });
    h.ok({ verb: 'create', body: pod('bare', [{ name: 'nginx', image: 'nginx:1.27', securityContext: ro }]) });
    const mounts = [{ name: 'cache', mountPath: '/var/cache/nginx' }, { name: 'run', mountPath: '/run' }];
    h.ok({ verb: 'create', body: pod('fixed', [{ name: 'nginx', image: 'nginx:1.27', securityContext: ro, volumeMounts: mounts }], { volumes: [{ name: 'cache', emptyDir: {} }, { name: 'run', emptyDir: {} }] }) });
    h.run(10_000);
    expect(logs(h, 'writer')).toBe("sh: can't create /b: Read-only file system\na\n");
    expect(unstamped(logs(h, 'bare')).slice(-1)).toEqual(['nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)']);
    expect(state(h.get('pods', 'fixed')).running).toBeDefined();
    expect(unstamped(logs(h, 'fixed'))).toContain('[notice] 1#1: start worker processes');
  });
});

describe('kubelet: the kubeplay/escape image', () => {
  const attacker = (name: string, securityContext: Obj, spec: Obj = {}): KubeObject => pod(name, [{ name: 'attacker', image: 'kubeplay/escape:v1', securityContext }], spec);
  /** A pod on the same node reading the node's /tmp through a hostPath volume. */
  const reader = (): KubeObject => pod('reader', [{ name: 'cat', image: 'busybox:1.36', command: ['sh', '-c', 'cat /node-tmp/kubeplay-escaped; sleep 3600'], volumeMounts: [{ name: 'tmp', mountPath: '/node-tmp' }] }], { volumes: [{ name: 'tmp', hostPath: { path: '/tmp' } }] });

  it('breaks out of a privileged container on runc: it keeps running and leaves a file on the node', () => {
    const h = clusterHarness();
    h.ok({ verb: 'create', body: attacker('priv', { privileged: true }) });
    h.run(10_000);
    const out = logs(h, 'priv');
    expect(out).toContain('[1] mount the node disk: mount /dev/sda1 /host\n    mounted the node\'s root file system on /host\n');
    expect(out).toContain('[+] escaped to node worker-1: root on the host (wrote /tmp/kubeplay-escaped there)\n');
    expect(state(h.get('pods', 'priv')).running).toBeDefined();
    h.ok({ verb: 'create', body: reader() });
    h.run(8_000);
    expect(logs(h, 'reader')).toBe('kubeplay/escape was here: mount the node disk: mount /dev/sda1 /host\n');
  });

  it('breaks out with CAP_SYS_ADMIN added, through the cgroup release_agent', () => {
    const h = clusterHarness();
    h.ok({ verb: 'create', body: attacker('sysadmin', { capabilities: { add: ['SYS_ADMIN'] } }) });
    h.run(10_000);
    const out = logs(h, 'sysadmin');
    expect(out).toContain("[-] blocked: not privileged: the node's disks are not in the container's /dev\n[2] cgroup release_agent: mount -t cgroup -o rdma cgroup /tmp/cgrp\n");
    expect(out).toContain('[+] escaped to node worker-1');
    expect(state(h.get('pods', 'sysadmin')).running).toBeDefined();
  });

  it('fails against a hardened pod: every route blocked, exit 1, CrashLoopBackOff; nothing on the node', () => {
    const h = clusterHarness();
    const hardened = { runAsNonRoot: true, runAsUser: 10001, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };
    h.ok({ verb: 'create', body: attacker('hardened', hardened) });
    h.run(12_000);
    const p = h.get('pods', 'hardened');
    expect(waitingReason(p)).toBe('CrashLoopBackOff');
    expect((containerStatus(p).lastState as Obj).terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const out = logs(h, 'hardened', true);
    expect(out).toContain('[*] capabilities: (none)\n');
    expect(out).toContain('    mount: permission denied (are you root?)\n    [-] blocked: not root\n');
    expect(out.trimEnd().split('\n').at(-1)).toBe('[!] escape failed: every route was blocked');
    expect(h.events('hardened').some((e) => e.startsWith('BackOff: Back-off restarting failed container attacker in pod hardened_default('))).toBe(true);
    h.ok({ verb: 'create', body: reader() });
    h.run(8_000);
    expect(logs(h, 'reader')).toBe("cat: can't open '/node-tmp/kubeplay-escaped': No such file or directory\n");
  });

  it('never starts under runAsNonRoot alone: the image runs as root', () => {
    const h = clusterHarness();
    h.ok({ verb: 'create', body: attacker('nonroot', { runAsNonRoot: true }) });
    h.run(10_000);
    expect(waitingReason(h.get('pods', 'nonroot'))).toBe('CreateContainerConfigError');
    expect(logs(h, 'nonroot')).toBe('<container "attacker" in pod "nonroot" is waiting to start: CreateContainerConfigError>');
  });

  it('fails even privileged under gVisor: the kernel it reaches is the sandbox\'s', () => {
    const h = clusterHarness();
    h.ok({ verb: 'create', body: { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'gvisor' }, handler: 'runsc' } });
    h.ok({ verb: 'create', body: attacker('sandboxed', { privileged: true }, { runtimeClassName: 'gvisor' }) });
    h.run(12_000);
    const out = logs(h, 'sandboxed', waitingReason(h.get('pods', 'sandboxed')) === 'CrashLoopBackOff');
    expect(out).toContain('[*] kernel: Linux 4.4.0 (runtime handler runsc)\n');
    expect(out).toContain("    [-] blocked: gVisor: the kernel it reached is the sandbox's (runsc), not the host's\n");
    expect(out).not.toContain('escaped to node');
    expect(waitingReason(h.get('pods', 'sandboxed'))).toBe('CrashLoopBackOff');
  });
});

describe('kubelet: RuntimeClass sandboxes', () => {
  it('charges the node for a Kata VM: kubectl top nodes shows about 120Mi more than for the same pod on runc', () => {
    const h = clusterHarness();
    h.ok({ verb: 'create', body: { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'kata' }, handler: 'kata' } });
    const sleeper = (name: string, node: string, spec: Obj): KubeObject => pod(name, [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }], { nodeName: node, ...spec });
    h.ok({ verb: 'create', body: sleeper('vm', 'worker-1', { runtimeClassName: 'kata' }) });
    h.ok({ verb: 'create', body: sleeper('plain', 'worker-2', {}) });
    h.run(40_000);
    const env = { world: h.cluster.world, defaultContext: 'admin', clients: new Map([['admin', h.client]]) };
    const top = h.cluster.world.runUntilDone<KubectlResult>((done) => runKubectl(env, 'top nodes', undefined, done), 60_000);
    const mem = (node: string): number => Number(/\s(\d+)Mi\s/.exec(top?.stdout.split('\n').find((l) => l.startsWith(node)) ?? '')?.[1] ?? NaN);
    // The system's own memory wobbles by up to 16Mi between nodes.
    expect(mem('worker-1') - mem('worker-2')).toBeGreaterThan(120 - 16);
    expect(mem('worker-1') - mem('worker-2')).toBeLessThan(120 + 16);
  });
});
