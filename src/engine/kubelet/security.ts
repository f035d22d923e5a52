/**
 * Pod security as the kubelet and containerd apply it: the effective securityContext of a
 * container (user, capabilities, privilege escalation, seccomp, read-only root), the kubelet's
 * runAsNonRoot check, what it changes for the programs that run (nginx as non-root, the
 * kubeplay/escape teaching exploit), and what RuntimeClass sandboxes cost.
 */
import type { KubeObject } from '../apiserver/apiObjects';
import type { ImageRef } from './images';
import type { ContainerSpecLike, FileContext, Program, Step } from './process';
import type { ContainerFs } from './volumes';

/** The teaching image that tries to break out of its container. */
export const ESCAPE_REPOSITORY = 'docker.io/kubeplay/escape';
/** Where a successful escape leaves its mark on the node (a hostPath reader of /tmp finds it). */
export const ESCAPE_EVIDENCE = '/tmp/kubeplay-escaped';
/** Where the escaped exploit sees the node's root file system (mount /dev/sda1 /host, chroot /proc/1/root…). */
export const ESCAPE_HOST_MOUNT = '/host';

/** The kernel the nodes run, as the kubelet reports it in nodeInfo.kernelVersion. */
const HOST_KERNEL = '6.1.0-28-amd64';
/** What uname -r says inside a sandbox: gVisor's Sentry claims 4.4.0; Kata boots its own guest kernel. */
const SANDBOX_KERNEL: Readonly<Record<string, string>> = { runsc: '4.4.0', kata: '6.1.62' };
/** How each sandbox names the kernel an exploit reached. */
const SANDBOX_NAME: Readonly<Record<string, string>> = { runsc: "gVisor: the kernel it reached is the sandbox's (runsc)", kata: "Kata: the kernel it reached is the VM's (kata)" };

/**
 * Memory a sandboxed pod costs the node beyond its containers: gVisor's Sentry and Gofer, Kata's
 * VM (its guest kernel and agent; 120Mi as the Kubernetes docs' RuntimeClass overhead example).
 * runc adds nothing.
 */
export const SANDBOX_MEMORY_MIB: Readonly<Record<string, number>> = { runsc: 20, kata: 120 };

export function sandboxOverheadBytes(handler: string): number {
  return (SANDBOX_MEMORY_MIB[handler] ?? 0) * 2 ** 20;
}

/** Every capability of the 6.1 kernel, in number order (what privileged and add: [ALL] give). */
export const ALL_CAPABILITIES: readonly string[] = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE',
  'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE',
  'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF', 'CHECKPOINT_RESTORE',
];

/** containerd's default set for a container that asks for nothing. */
export const DEFAULT_CAPABILITIES: readonly string[] = ['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE'];

/**
 * The USER of each catalogue image's config ('' is root). Most official images start as root and
 * drop privileges in their entrypoint (gosu), which runAsNonRoot cannot see.
 */
const IMAGE_USERS: Readonly<Record<string, string>> = {
  'docker.io/library/memcached': 'memcache',
  'registry.k8s.io/pause': '65535:65535',
  'docker.io/nginxinc/nginx-unprivileged': '101',
  [ESCAPE_REPOSITORY]: '',
};
/** The kubeplay teaching images run as an unprivileged user of their own. */
const TEACHING_IMAGE_USER = '10001';
/** Names of image users in the images' /etc/passwd, for those the config names rather than numbers. */
const PASSWD: Readonly<Record<string, number>> = { root: 0, memcache: 11211, nginx: 101 };

/** The user an image runs as when the pod does not say, as in its config ("" for root, "101", "memcache", "65535:65535"). */
export function imageUser(ref: ImageRef): string {
  const known = IMAGE_USERS[ref.repository];
  if (known !== undefined) return known;
  return ref.repository.startsWith('docker.io/kubeplay/') ? TEACHING_IMAGE_USER : '';
}

/** The image user as the runtime reports it to the kubelet: a uid when numeric, else a name (the group part dropped). */
function parseImageUser(user: string): { uid?: number; name?: string } {
  const u = user.split(':')[0] ?? '';
  if (u === '') return { uid: 0 };
  return /^\d+$/.test(u) ? { uid: Number(u) } : { name: u };
}

interface SeccompProfile {
  readonly type?: string;
  readonly localhostProfile?: string;
}
/** The fields of a pod's securityContext that a container's can override, and those only a container has. */
interface SharedContext {
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly runAsNonRoot?: boolean;
  readonly seccompProfile?: SeccompProfile;
}
export interface ContainerSecurityContext extends SharedContext {
  readonly privileged?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
}
/** What of a pod spec security looks at. */
export interface PodSecuritySpec {
  readonly securityContext?: SharedContext;
  readonly hostPID?: boolean;
  readonly volumes?: readonly { readonly name: string; readonly hostPath?: { readonly path: string } }[];
}
export interface ContainerSecuritySpec {
  readonly name: string;
  readonly securityContext?: ContainerSecurityContext;
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean }[];
}

export type Seccomp = 'Unconfined' | 'RuntimeDefault' | `localhost/${string}`;

/** A container's security once pod and container settings, the image and the runtime's defaults are combined. */
export interface EffectiveSecurity {
  /** The uid the process starts as. */
  readonly uid: number;
  /** runAsUser, from the container or else the pod. */
  readonly runAsUser?: number;
  /** The image's user when it is a name, not a number (runAsNonRoot cannot verify it). */
  readonly imageUserName?: string;
  readonly runAsNonRoot: boolean;
  readonly privileged: boolean;
  /** no_new_privs is off: setuid binaries and file capabilities can still raise privileges. */
  readonly allowPrivilegeEscalation: boolean;
  /** The bounding set, in kernel order: what the process holds as root (a non-root one holds none). */
  readonly capabilities: readonly string[];
  readonly readOnlyRootFilesystem: boolean;
  readonly seccomp: Seccomp;
}

/**
 * Container fields override the pod's one by one. The process runs as runAsUser, else the image's
 * user (root when it names none). Capabilities: containerd's defaults, then add: [ALL] or
 * drop: [ALL], then each named add, then each named drop; privileged gives them all. Privilege
 * escalation is allowed unless set to false. Seccomp defaults to Unconfined (the kubelet's
 * --seccomp-default is off) and privileged containers get none.
 */
export function effectiveSecurity(pod: PodSecuritySpec, container: ContainerSecuritySpec, user: string): EffectiveSecurity {
  const p = pod.securityContext ?? {};
  const c = container.securityContext ?? {};
  const runAsUser = c.runAsUser ?? p.runAsUser;
  const image = parseImageUser(user);
  const privileged = c.privileged === true;
  const profile = c.seccompProfile ?? p.seccompProfile;
  return {
    uid: runAsUser ?? image.uid ?? PASSWD[image.name ?? ''] ?? 0,
    ...(runAsUser === undefined ? {} : { runAsUser }),
    ...(image.name === undefined ? {} : { imageUserName: image.name }),
    runAsNonRoot: (c.runAsNonRoot ?? p.runAsNonRoot) === true,
    privileged,
    allowPrivilegeEscalation: c.allowPrivilegeEscalation !== false,
    capabilities: privileged ? ALL_CAPABILITIES : capabilitySet(c.capabilities?.add ?? [], c.capabilities?.drop ?? []),
    readOnlyRootFilesystem: c.readOnlyRootFilesystem === true,
    seccomp: privileged ? 'Unconfined' : seccompOf(profile),
  };
}

function capabilitySet(add: readonly string[], drop: readonly string[]): string[] {
  const up = (list: readonly string[]): string[] => list.map((x) => x.toUpperCase());
  const [adds, drops] = [up(add), up(drop)];
  let caps = new Set(DEFAULT_CAPABILITIES);
  if (adds.includes('ALL')) caps = new Set(ALL_CAPABILITIES);
  if (drops.includes('ALL')) caps = new Set();
  for (const a of adds) if (a !== 'ALL') caps.add(a);
  for (const d of drops) caps.delete(d);
  const rank = (x: string): number => (ALL_CAPABILITIES.includes(x) ? ALL_CAPABILITIES.indexOf(x) : ALL_CAPABILITIES.length);
  return [...caps].sort((a, b) => rank(a) - rank(b));
}

function seccompOf(p: SeccompProfile | undefined): Seccomp {
  if (p?.type === 'RuntimeDefault') return 'RuntimeDefault';
  if (p?.type === 'Localhost') return `localhost/${p.localhostProfile ?? ''}`;
  return 'Unconfined';
}

/**
 * The kubelet's runAsNonRoot check before it creates a container, in its words (shown as
 * CreateContainerConfigError); undefined when the container may run.
 */
export function runAsNonRootError(s: EffectiveSecurity, pod: KubeObject, container: string): string | undefined {
  if (!s.runAsNonRoot) return undefined;
  const where = `(pod: "${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})", container: ${container})`;
  if (s.runAsUser !== undefined) return s.runAsUser === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  if (s.imageUserName !== undefined) return `container has runAsNonRoot and image has non-numeric user (${s.imageUserName}), cannot verify user is non-root ${where}`;
  return s.uid === 0 ? `container has runAsNonRoot and image will run as root ${where}` : undefined;
}

// ---- what a container's process meets ----

/** Why writing a path fails for the container's user: not at all, permission (13), read-only file system (30). */
export type Access = 'ok' | 'EACCES' | 'EROFS';

/** Everything a program's behaviour under its security depends on. */
export interface Confinement {
  readonly security: EffectiveSecurity;
  /** The RuntimeClass handler: runc shares the node's kernel; runsc (gVisor) and kata sandbox it. */
  readonly handler: string;
  readonly node: string;
  readonly hostPID: boolean;
  /** Where the container has the node's / mounted writable (a hostPath volume of /), if it does. */
  readonly hostRoot?: string;
  readonly access: (path: string) => Access;
}

/** The confinement of a container about to start, given its files (its layer under its mounts). */
export function confine(pod: PodSecuritySpec, container: ContainerSecuritySpec, security: EffectiveSecurity, handler: string, node: string, files: ContainerFs): Confinement {
  const hostRootVolumes = new Set((pod.volumes ?? []).filter((v) => v.hostPath !== undefined && /^\/*$/.test(v.hostPath.path)).map((v) => v.name));
  const hostRoot = (container.volumeMounts ?? []).find((m) => hostRootVolumes.has(m.name) && m.readOnly !== true)?.mountPath;
  const access = (path: string): Access => {
    const r = files.resolve(path);
    if (r.readOnly) return 'EROFS';
    if (r.data !== files.layer) return 'ok';
    if (security.readOnlyRootFilesystem) return 'EROFS';
    // The image's directories belong to root; /tmp is writable by all.
    return security.uid === 0 || /^\/tmp(\/|$)/.test(path) ? 'ok' : 'EACCES';
  };
  return { security, handler, node, hostPID: pod.hostPID === true, ...(hostRoot === undefined ? {} : { hostRoot }), access };
}

/** What programs are told of their files: a read-only root file system fails writes outside volumes. */
export function fileContext(conf: Confinement): FileContext {
  return { readOnly: (path) => conf.access(path) === 'EROFS' };
}

/**
 * The program a container runs under its confinement: the escape image's exploit, nginx failing
 * as the classic hardening gotcha, or else the program it would run anyway (`normal`).
 */
export function confinedProgram(ref: ImageRef, c: ContainerSpecLike, conf: Confinement, normal: () => Program): Program {
  if (runsExploit(ref, c)) return escapeProgram(conf);
  const layout = NGINX_LAYOUTS[ref.repository];
  if (layout !== undefined && runsNginx(c)) return confinedNginx(normal(), conf, layout);
  return normal();
}

/** Whether the container runs the escape image's exploit and it breaks out (leaving its mark on the node). */
export function escapes(ref: ImageRef, c: ContainerSpecLike, conf: Confinement): boolean {
  return runsExploit(ref, c) && escapeAttempt(conf).route !== undefined;
}

function runsExploit(ref: ImageRef, c: ContainerSpecLike): boolean {
  return ref.repository === ESCAPE_REPOSITORY && (c.command === undefined || c.command.length === 0);
}

// ---- nginx, not as root ----

/** Where each nginx image keeps what it writes at start, and whether its config names a user (only root can switch to it). */
interface NginxLayout {
  readonly temp: string;
  readonly pid: string;
  readonly port: number;
  readonly userDirective: boolean;
  /** The image gave its user (and group 0) its config, cache and pid paths. */
  readonly ownsItsFiles: boolean;
}
const NGINX_LAYOUTS: Readonly<Record<string, NginxLayout>> = {
  'docker.io/library/nginx': { temp: '/var/cache/nginx/client_temp', pid: '/run/nginx.pid', port: 80, userDirective: true, ownsItsFiles: false },
  'docker.io/nginxinc/nginx-unprivileged': { temp: '/tmp/client_temp', pid: '/tmp/nginx.pid', port: 8080, userDirective: false, ownsItsFiles: true },
};

function runsNginx(c: ContainerSpecLike): boolean {
  const words = c.command !== undefined && c.command.length > 0 ? c.command : ['/docker-entrypoint.sh', ...(c.args ?? ['nginx'])];
  const [first = '', second = ''] = words;
  return first === 'nginx' || (/(^|\/)docker-entrypoint\.sh$/.test(first) && second === 'nginx');
}

const ERRNO: Readonly<Record<Exclude<Access, 'ok'>, string>> = { EACCES: '13: Permission denied', EROFS: '30: Read-only file system' };

/**
 * nginx as non-root or on a read-only root: the entrypoint cannot edit its default config, then
 * nginx stops at the first thing it cannot do (mkdir its temp path, bind port 80 without root,
 * write its pid file) and exits 1. With nothing in the way it is the image's usual program.
 */
function confinedNginx(normal: Program, conf: Confinement, layout: NginxLayout): Program {
  const root = conf.security.uid === 0;
  const access = (path: string): Access => {
    const a = conf.access(path);
    return a === 'EACCES' && layout.ownsItsFiles ? 'ok' : a;
  };
  const confEditable = access('/etc/nginx/conf.d/default.conf') === 'ok';
  const failure = nginxFailure(access, root, layout);
  if (confEditable && failure === undefined) return normal;
  const firstPause = normal.steps.findIndex((s) => 'sleepMs' in s);
  const entry = firstPause < 0 ? [] : normal.steps.slice(0, firstPause);
  const entryLines = confEditable ? entry : withoutIpv6Edit(entry);
  if (failure === undefined) return { ...normal, steps: [...entryLines, ...normal.steps.slice(Math.max(firstPause, 0))] };
  const both = (level: string, text: string): Step[] => [{ log: `[${level}] 1#1: ${text}`, stamp: 'nginx' }, { log: `nginx: [${level}] ${text}` }];
  const warn = root || !layout.userDirective ? [] : both('warn', 'the "user" directive makes sense only if the master process runs with super-user privileges, ignored in /etc/nginx/nginx.conf:2');
  return { ...normal, steps: [...entryLines, { sleepMs: 50 }, ...warn, ...both('emerg', failure), { exit: 1 }], serves: false, ports: [], handlesSigterm: true };
}

/** nginx's start in order: its temp paths, its listening sockets, its pid file. */
function nginxFailure(access: (path: string) => Access, root: boolean, layout: NginxLayout): string | undefined {
  const temp = access(layout.temp);
  if (temp !== 'ok') return `mkdir() "${layout.temp}" failed (${ERRNO[temp]})`;
  // A non-root process holds no capabilities, so NET_BIND_SERVICE in the bounding set does not help.
  if (!root && layout.port < 1024) return `bind() to 0.0.0.0:${layout.port} failed (13: Permission denied)`;
  const pid = access(layout.pid);
  return pid === 'ok' ? undefined : `open() "${layout.pid}" failed (${ERRNO[pid]})`;
}

/** 10-listen-on-ipv6-by-default.sh gives up when it cannot touch the default config. */
function withoutIpv6Edit(entry: readonly Step[]): Step[] {
  const prefix = '10-listen-on-ipv6-by-default.sh: info: ';
  const out: Step[] = [];
  for (const s of entry) {
    const ipv6 = 'log' in s && s.log.startsWith(prefix);
    if (!ipv6) out.push(s);
    else if (!out.some((x) => 'log' in x && x.log.startsWith(prefix))) out.push({ log: `${prefix}can not modify /etc/nginx/conf.d/default.conf (read-only file system?)` });
  }
  return out;
}

// ---- kubeplay/escape ----

interface Route {
  readonly title: string;
  /** What the exploit prints trying it. */
  readonly lines: readonly string[];
  /** What stopped it; undefined when it worked. */
  readonly blocked?: string;
}

/**
 * The exploit's attempt, route by route, until one works: the node's disk (privileged), the
 * cgroup v1 release_agent (CAP_SYS_ADMIN), the node's PID 1 (hostPID with CAP_SYS_PTRACE), a
 * writable hostPath of /. A sandboxed runtime stops the kernel routes: what they reach is the
 * sandbox's kernel, not the node's; it does not stop files the pod was given.
 */
export function escapeAttempt(conf: Confinement): { lines: string[]; route?: string } {
  const s = conf.security;
  const lines = [`[*] kubeplay/escape v1: simulated container breakout (a teaching exploit)`];
  const root = s.uid === 0 || s.allowPrivilegeEscalation;
  lines.push(`[*] id: uid=${s.uid}`);
  if (s.uid !== 0) {
    lines.push('[*] not root: trying the setuid-root helper /usr/local/bin/rootme');
    lines.push(s.allowPrivilegeEscalation ? '    euid=0: the setuid bit worked (allowPrivilegeEscalation is not false)' : `    still uid=${s.uid}: no_new_privs is set (allowPrivilegeEscalation: false), setuid bits are ignored`);
  }
  const caps = root ? s.capabilities : [];
  lines.push(`[*] capabilities: ${caps.length > 0 ? caps.join(',') : '(none)'}`);
  lines.push(`[*] kernel: Linux ${SANDBOX_KERNEL[conf.handler] ?? HOST_KERNEL} (runtime handler ${conf.handler})`);
  const routes = [diskRoute(conf, root), cgroupRoute(conf, root, caps), pid1Route(conf, root, caps), hostPathRoute(conf, root)];
  for (const [i, r] of routes.entries()) {
    lines.push(`[${i + 1}] ${r.title}`, ...r.lines.map((l) => `    ${l}`));
    if (r.blocked === undefined) return { lines, route: r.title };
    lines.push(`    [-] blocked: ${r.blocked}`);
  }
  lines.push('[!] escape failed: every route was blocked');
  return { lines };
}

function sandboxed(conf: Confinement): string | undefined {
  if (conf.handler === 'runc') return undefined;
  return `${SANDBOX_NAME[conf.handler] ?? `the kernel it reached is the sandbox's (${conf.handler})`}, not the host's`;
}

const NOT_ROOT = 'mount: permission denied (are you root?)';

function diskRoute(conf: Confinement, root: boolean): Route {
  const title = 'mount the node disk: mount /dev/sda1 /host';
  const noDevice = 'mount: mounting /dev/sda1 on /host failed: No such file or directory';
  if (!root) return { title, lines: [NOT_ROOT], blocked: 'not root' };
  if (!conf.security.privileged) return { title, lines: [noDevice], blocked: "not privileged: the node's disks are not in the container's /dev" };
  const sandbox = sandboxed(conf);
  if (sandbox !== undefined) return { title, lines: [noDevice], blocked: sandbox };
  return { title, lines: ["mounted the node's root file system on /host"] };
}

function cgroupRoute(conf: Confinement, root: boolean, caps: readonly string[]): Route {
  const title = 'cgroup release_agent: mount -t cgroup -o rdma cgroup /tmp/cgrp';
  if (!root) return { title, lines: [NOT_ROOT], blocked: 'not root' };
  if (!caps.includes('SYS_ADMIN')) {
    const lines = [NOT_ROOT, 'unshare -UrmC: a user namespace to get CAP_SYS_ADMIN in'];
    if (conf.security.seccomp === 'RuntimeDefault') return { title, lines: [...lines, 'unshare: unshare failed: Operation not permitted'], blocked: 'seccomp RuntimeDefault refuses unshare(2) without CAP_SYS_ADMIN' };
    return { title, lines: [...lines, 'sh: /tmp/cgrp/release_agent: Operation not permitted'], blocked: 'no CAP_SYS_ADMIN (and the kernel refuses release_agent from a user namespace: CVE-2022-0492 is fixed)' };
  }
  const sandbox = sandboxed(conf);
  if (sandbox !== undefined) return { title, lines: ['mount: mounting cgroup on /tmp/cgrp failed: No such device'], blocked: sandbox };
  return { title, lines: ['release_agent set: the node runs /cmd as root when /tmp/cgrp/x empties', 'echo $$ > /tmp/cgrp/x/cgroup.procs'] };
}

function pid1Route(conf: Confinement, root: boolean, caps: readonly string[]): Route {
  const title = 'the node PID 1: chroot /proc/1/root';
  const chrootFailed = (why: string): string => `chroot: cannot change root directory to '/proc/1/root': ${why}`;
  if (!conf.hostPID) return { title, lines: ['PID 1 is this container\'s own process'], blocked: 'no hostPID: the node\'s processes are out of sight' };
  if (!root || !caps.includes('SYS_CHROOT')) return { title, lines: [chrootFailed('Operation not permitted')], blocked: root ? 'no CAP_SYS_CHROOT' : 'not root' };
  if (!caps.includes('SYS_PTRACE')) return { title, lines: [chrootFailed('Permission denied')], blocked: "no CAP_SYS_PTRACE: the node's PID 1 holds capabilities this process lacks" };
  const sandbox = sandboxed(conf);
  if (sandbox !== undefined) return { title, lines: ["PID 1 is the sandbox's init"], blocked: sandbox };
  return { title, lines: ["in the node's root file system as root"] };
}

function hostPathRoute(conf: Confinement, root: boolean): Route {
  const title = "a hostPath volume of the node's /";
  if (conf.hostRoot === undefined) return { title, lines: ["no volume mounts the node's / writable"], blocked: "no hostPath of the node's /" };
  const cron = `${conf.hostRoot.replace(/\/$/, '')}/etc/cron.d/kubeplay`;
  if (!root) return { title, lines: [`touch: cannot touch '${cron}': Permission denied`], blocked: "not root: the node's files belong to root" };
  const note = conf.handler === 'runc' ? [] : ['(a sandbox shields the kernel, not the files a pod is given)'];
  return { title, lines: [`wrote ${cron}: the node's cron runs it as root`, ...note] };
}

/** The exploit as a program: its attempt, then a running backdoor, or exit 1 (and CrashLoopBackOff). */
function escapeProgram(conf: Confinement): Program {
  const { lines, route } = escapeAttempt(conf);
  const steps: Step[] = lines.flatMap((log, i): Step[] => (i > 0 && log.startsWith('[') ? [{ sleepMs: 300 }, { log }] : [{ log }]));
  const base = { ports: [], startupMs: 0, cpuMilli: 1, memoryMiB: 3, handlesSigterm: false } as const;
  if (route === undefined) return { ...base, steps: [...steps, { exit: 1 }], serves: false };
  const mark = `kubeplay/escape was here: ${route}\n`;
  return {
    ...base,
    steps: [
      ...steps,
      { write: `${ESCAPE_HOST_MOUNT}${ESCAPE_EVIDENCE}`, text: mark, append: false },
      { log: `[+] escaped to node ${conf.node}: root on the host (wrote ${ESCAPE_EVIDENCE} there)` },
      { log: '[+] backdoor running: the node is compromised' },
    ],
    serves: true,
  };
}
