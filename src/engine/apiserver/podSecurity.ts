import type { FieldError, KubeObject } from './apiObjects';

/**
 * Pod Security Admission (k8s.io/pod-security-admission) as kube-apiserver v1.32 runs it with
 * no admission configuration (what kubeadm sets up): every namespace defaults to
 * privileged:latest, nothing is exempt, and the namespace labels
 * pod-security.kubernetes.io/{enforce,audit,warn}[-version] choose the level per mode.
 * The checks and their wording are the Pod Security Standards', version by version.
 */

export type Level = 'privileged' | 'baseline' | 'restricted';

/** A level at a policy version: the minor of v1.N, or latest (the server's own, v1.32). */
export interface LevelVersion {
  readonly level: Level;
  readonly version: number | 'latest';
}

export interface Policy {
  readonly enforce: LevelVersion;
  readonly audit: LevelVersion;
  readonly warn: LevelVersion;
}

/** The newest policy version this API server knows: latest, and any later label, evaluate as this. */
export const LATEST_MINOR = 32;
const LABEL_PREFIX = 'pod-security.kubernetes.io/';
const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];

/** "restricted:latest", "baseline:v1.30": how messages name a policy. */
export function levelVersionString(lv: LevelVersion): string {
  return `${lv.level}:${lv.version === 'latest' ? 'latest' : `v1.${lv.version}`}`;
}

// ---- Pod specs, as far as the checks read them ------------------------------------------

interface SecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  procMount?: string;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type?: string };
  appArmorProfile?: { type?: string };
  seLinuxOptions?: { type?: string; user?: string; role?: string };
  windowsOptions?: { hostProcess?: boolean };
  sysctls?: { name: string }[];
}

interface Container {
  name?: string;
  image?: string;
  ports?: { hostPort?: number }[];
  securityContext?: SecurityContext;
}

export interface PodSpec {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  os?: { name?: string };
  securityContext?: SecurityContext;
  initContainers?: Container[];
  containers?: Container[];
  ephemeralContainers?: Container[];
  volumes?: Record<string, unknown>[];
}

export interface PodMeta {
  annotations?: Record<string, string>;
}

/** A failed check: the short reason and what exactly is wrong. */
export interface Violation {
  readonly reason: string;
  readonly detail: string;
}

type CheckFn = (meta: PodMeta, spec: PodSpec) => Violation | undefined;

interface VersionedCheck {
  /** The first policy minor this version applies from. */
  readonly since: number;
  readonly check: CheckFn;
  /** Baseline checks a restricted check replaces (its stricter form). */
  readonly overrides?: readonly string[];
}

interface Check {
  readonly id: string;
  readonly level: 'baseline' | 'restricted';
  readonly versions: readonly VersionedCheck[];
}

// ---- Message helpers, as the policy package words lists ---------------------------------

export const joinQuote = (items: readonly string[]): string => (items.length === 0 ? '' : `"${items.join('", "')}"`);
const plural = (one: string, many: string, n: number): string => (n === 1 ? one : many);
/** `container "a"` or `containers "a", "b"`. */
const containersPhrase = (names: readonly string[]): string => `${plural('container', 'containers', names.length)} ${joinQuote(names)}`;
/** Go's sets.String.List(): unique and sorted. */
const sortedSet = (items: Iterable<string>): string[] => [...new Set(items)].sort();

/** Init containers, then containers, then ephemeral containers (the policy's visitContainers order). */
function allContainers(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}
const nameOf = (c: Container): string => c.name ?? '';
const isWindows = (spec: PodSpec): boolean => spec.os?.name === 'windows';
/** From v1.25 the restricted checks that mean nothing on Windows skip Windows pods. */
const exceptWindows =
  (check: CheckFn): CheckFn =>
  (meta, spec) =>
    isWindows(spec) ? undefined : check(meta, spec);

/**
 * "pod and containers "a", "b"": the pod (when its own field is bad) and the containers that set
 * a bad value explicitly, as the checks that look at both levels name them.
 */
function setters(podBad: boolean, containers: readonly string[]): string[] {
  return [...(podBad ? ['pod'] : []), ...(containers.length > 0 ? [containersPhrase(containers)] : [])];
}

// ---- Baseline checks ------------------------------------------------------------------------

const privileged: CheckFn = (_meta, spec) => {
  const bad = allContainers(spec).filter((c) => c.securityContext?.privileged === true).map(nameOf);
  if (bad.length === 0) return undefined;
  return { reason: 'privileged', detail: `${containersPhrase(bad)} must not set securityContext.privileged=true` };
};

const ALLOWED_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

const capabilitiesBaseline: CheckFn = (_meta, spec) => {
  const bad: string[] = [];
  const caps: string[] = [];
  for (const c of allContainers(spec)) {
    const added = (c.securityContext?.capabilities?.add ?? []).filter((cap) => !ALLOWED_CAPABILITIES.has(cap));
    if (added.length === 0) continue;
    bad.push(nameOf(c));
    caps.push(...added);
  }
  if (bad.length === 0) return undefined;
  return { reason: 'non-default capabilities', detail: `${containersPhrase(bad)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add` };
};

const hostNamespaces: CheckFn = (_meta, spec) => {
  const shared = [spec.hostNetwork === true ? 'hostNetwork=true' : '', spec.hostPID === true ? 'hostPID=true' : '', spec.hostIPC === true ? 'hostIPC=true' : ''].filter((s) => s !== '');
  return shared.length === 0 ? undefined : { reason: 'host namespaces', detail: shared.join(', ') };
};

const hostPathVolumes: CheckFn = (_meta, spec) => {
  const bad = (spec.volumes ?? []).filter((v) => v.hostPath !== undefined).map((v) => String(v.name ?? ''));
  return bad.length === 0 ? undefined : { reason: 'hostPath volumes', detail: `${plural('volume', 'volumes', bad.length)} ${joinQuote(bad)}` };
};

const hostPorts: CheckFn = (_meta, spec) => {
  const bad: string[] = [];
  const ports: string[] = [];
  for (const c of allContainers(spec)) {
    const used = (c.ports ?? []).map((p) => p.hostPort ?? 0).filter((p) => p !== 0);
    if (used.length === 0) continue;
    bad.push(nameOf(c));
    ports.push(...used.map(String));
  }
  if (bad.length === 0) return undefined;
  // Sorted as text, as the policy's string set sorts them ("10250" before "80").
  const list = sortedSet(ports);
  return { reason: 'hostPort', detail: `${containersPhrase(bad)} ${plural('uses', 'use', bad.length)} ${plural('hostPort', 'hostPorts', list.length)} ${list.join(', ')}` };
};

const procMount: CheckFn = (_meta, spec) => {
  const bad: string[] = [];
  const types: string[] = [];
  for (const c of allContainers(spec)) {
    const t = c.securityContext?.procMount;
    if (t === undefined || t === 'Default') continue;
    bad.push(nameOf(c));
    types.push(t);
  }
  if (bad.length === 0) return undefined;
  return { reason: 'procMount', detail: `${containersPhrase(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}` };
};

function seLinuxOptions(allowedTypes: ReadonlySet<string>): CheckFn {
  return (_meta, spec) => {
    const badTypes: string[] = [];
    let setUser = false;
    let setRole = false;
    const valid = (o: NonNullable<SecurityContext['seLinuxOptions']>): boolean => {
      let ok = true;
      if (!allowedTypes.has(o.type ?? '')) {
        ok = false;
        badTypes.push(o.type ?? '');
      }
      if ((o.user ?? '') !== '') {
        ok = false;
        setUser = true;
      }
      if ((o.role ?? '') !== '') {
        ok = false;
        setRole = true;
      }
      return ok;
    };
    const podOpts = spec.securityContext?.seLinuxOptions;
    const podBad = podOpts !== undefined && !valid(podOpts);
    const bad = allContainers(spec)
      .filter((c) => {
        const o = c.securityContext?.seLinuxOptions;
        return o !== undefined && !valid(o);
      })
      .map(nameOf);
    if (!podBad && bad.length === 0) return undefined;
    const types = sortedSet(badTypes);
    const what = [...(types.length > 0 ? [`${plural('type', 'types', types.length)} ${joinQuote(types)}`] : []), ...(setUser ? ['user may not be set'] : []), ...(setRole ? ['role may not be set'] : [])];
    return { reason: 'seLinuxOptions', detail: `${setters(podBad, bad).join(' and ')} set forbidden securityContext.seLinuxOptions: ${what.join('; ')}` };
  };
}

const SELINUX_TYPES_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const SELINUX_TYPES_1_31 = new Set([...SELINUX_TYPES_1_0, 'container_engine_t']);

const validSeccomp = (t: string | undefined): boolean => t === 'RuntimeDefault' || t === 'Localhost';
const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION = 'container.seccomp.security.alpha.kubernetes.io/';

/** Before v1.19 seccomp was set by annotations. */
const seccompAnnotations: CheckFn = (meta, spec) => {
  const ok = (v: string): boolean => v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
  const annotations = meta.annotations ?? {};
  const keys = [SECCOMP_POD_ANNOTATION, ...allContainers(spec).map((c) => `${SECCOMP_CONTAINER_ANNOTATION}${nameOf(c)}`)];
  const bad = sortedSet(keys.filter((k) => annotations[k] !== undefined && !ok(annotations[k] as string)).map((k) => `${k}=${JSON.stringify(annotations[k])}`));
  return bad.length === 0 ? undefined : { reason: 'seccompProfile', detail: `forbidden ${plural('annotation', 'annotations', bad.length)} ${bad.join(', ')}` };
};

/** Explicitly set bad seccomp types (baseline); with `required`, also pods and containers that set none (restricted). */
function seccompProfile(required: boolean): CheckFn {
  return (_meta, spec) => {
    const badValues: string[] = [];
    const podType = spec.securityContext?.seccompProfile;
    const podBad = podType !== undefined && !validSeccomp(podType.type);
    if (podBad) badValues.push(podType.type ?? '');
    const podSet = podType !== undefined && !podBad;
    const explicit: string[] = [];
    const implicit: string[] = [];
    for (const c of allContainers(spec)) {
      const p = c.securityContext?.seccompProfile;
      if (p !== undefined && !validSeccomp(p.type)) {
        explicit.push(nameOf(c));
        badValues.push(p.type ?? '');
      } else if (p === undefined && !podSet) implicit.push(nameOf(c));
    }
    if (podBad || explicit.length > 0) {
      return { reason: 'seccompProfile', detail: `${setters(podBad, explicit).join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}` };
    }
    if (!required || implicit.length === 0) return undefined;
    return { reason: 'seccompProfile', detail: `pod or ${containersPhrase(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` };
  };
}

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

const appArmorProfile: CheckFn = (meta, spec) => {
  const okType = (t: string | undefined): boolean => t === 'RuntimeDefault' || t === 'Localhost';
  const okAnnotation = (v: string): boolean => v === '' || v === 'runtime/default' || v.startsWith('localhost/');
  const badValues: string[] = [];
  const podProfile = spec.securityContext?.appArmorProfile;
  const podBad = podProfile !== undefined && !okType(podProfile.type);
  if (podBad) badValues.push(podProfile.type ?? '');
  const bad = allContainers(spec).filter((c) => {
    const p = c.securityContext?.appArmorProfile;
    if (p === undefined || okType(p.type)) return false;
    badValues.push(p.type ?? '');
    return true;
  });
  const annotations = Object.entries(meta.annotations ?? {})
    .filter(([k, v]) => k.startsWith(APPARMOR_ANNOTATION) && !okAnnotation(v))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .sort();
  const who = setters(podBad, bad.map(nameOf));
  if (annotations.length > 0) who.push(plural('annotation', 'annotations', annotations.length));
  if (who.length === 0) return undefined;
  // The bad types sorted, then the bad annotations sorted: one list, as the check builds it.
  const values = [...sortedSet(badValues), ...annotations];
  return { reason: plural('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length), detail: `${who.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}` };
};

const SYSCTLS_1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SYSCTLS_1_29 = [...SYSCTLS_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];

function sysctls(allowed: readonly string[]): CheckFn {
  return (_meta, spec) => {
    const bad = (spec.securityContext?.sysctls ?? []).map((s) => s.name).filter((n) => !allowed.includes(n));
    return bad.length === 0 ? undefined : { reason: 'forbidden sysctls', detail: bad.join(', ') };
  };
}

const windowsHostProcess: CheckFn = (_meta, spec) => {
  const podBad = spec.securityContext?.windowsOptions?.hostProcess === true;
  const bad = allContainers(spec).filter((c) => c.securityContext?.windowsOptions?.hostProcess === true).map(nameOf);
  if (!podBad && bad.length === 0) return undefined;
  return { reason: 'hostProcess', detail: `${setters(podBad, bad).join(' and ')} must not set securityContext.windowsOptions.hostProcess=true` };
};

// ---- Restricted checks ----------------------------------------------------------------------

const allowPrivilegeEscalation: CheckFn = (_meta, spec) => {
  const bad = allContainers(spec).filter((c) => c.securityContext?.allowPrivilegeEscalation !== false).map(nameOf);
  if (bad.length === 0) return undefined;
  return { reason: 'allowPrivilegeEscalation != false', detail: `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false` };
};

const capabilitiesRestricted: CheckFn = (_meta, spec) => {
  const missingDrop: string[] = [];
  const adding: string[] = [];
  const caps: string[] = [];
  for (const c of allContainers(spec)) {
    const set = c.securityContext?.capabilities;
    if (set === undefined || !(set.drop ?? []).includes('ALL')) missingDrop.push(nameOf(c));
    const added = (set?.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (added.length === 0) continue;
    adding.push(nameOf(c));
    caps.push(...added);
  }
  const details = [
    ...(missingDrop.length > 0 ? [`${containersPhrase(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`] : []),
    ...(adding.length > 0 ? [`${containersPhrase(adding)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`] : []),
  ];
  return details.length === 0 ? undefined : { reason: 'unrestricted capabilities', detail: details.join('; ') };
};

const ALLOWED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
/** The volume sources restricted forbids, in the order the check tests them. */
const RESTRICTED_VOLUME_TYPES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

const restrictedVolumes: CheckFn = (_meta, spec) => {
  const bad: string[] = [];
  const types: string[] = [];
  for (const v of spec.volumes ?? []) {
    if (Object.keys(v).some((k) => ALLOWED_VOLUME_TYPES.has(k))) continue;
    bad.push(String(v.name ?? ''));
    types.push(RESTRICTED_VOLUME_TYPES.find((t) => v[t] !== undefined) ?? 'unknown');
  }
  if (bad.length === 0) return undefined;
  const list = sortedSet(types);
  return {
    reason: 'restricted volume types',
    detail: `${plural('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${plural('uses', 'use', bad.length)} ${plural('restricted volume type', 'restricted volume types', list.length)} ${joinQuote(list)}`,
  };
};

const runAsNonRoot: CheckFn = (_meta, spec) => {
  const podValue = spec.securityContext?.runAsNonRoot;
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of allContainers(spec)) {
    const v = c.securityContext?.runAsNonRoot;
    if (v === false) explicit.push(nameOf(c));
    else if (v === undefined && podValue !== true) implicit.push(nameOf(c));
  }
  if (podValue === false || explicit.length > 0) {
    return { reason: 'runAsNonRoot != true', detail: `${setters(podValue === false, explicit).join(' and ')} must not set securityContext.runAsNonRoot=false` };
  }
  if (implicit.length === 0) return undefined;
  return { reason: 'runAsNonRoot != true', detail: `pod or ${containersPhrase(implicit)} must set securityContext.runAsNonRoot=true` };
};

const runAsUser: CheckFn = (_meta, spec) => {
  const podBad = spec.securityContext?.runAsUser === 0;
  const bad = allContainers(spec).filter((c) => c.securityContext?.runAsUser === 0).map(nameOf);
  if (!podBad && bad.length === 0) return undefined;
  return { reason: 'runAsUser=0', detail: `${setters(podBad, bad).join(' and ')} must not set runAsUser=0` };
};

// ---- The registry ---------------------------------------------------------------------------

const versioned = (since: number, check: CheckFn, overrides?: readonly string[]): VersionedCheck => ({ since, check, ...(overrides === undefined ? {} : { overrides }) });

/** Every check, sorted by id: results come baseline checks first, then restricted ones, each in id order. */
const CHECKS: readonly Check[] = [
  { id: 'allowPrivilegeEscalation', level: 'restricted', versions: [versioned(8, allowPrivilegeEscalation), versioned(25, exceptWindows(allowPrivilegeEscalation))] },
  { id: 'appArmorProfile', level: 'baseline', versions: [versioned(0, appArmorProfile)] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [versioned(0, capabilitiesBaseline)] },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [versioned(22, capabilitiesRestricted, ['capabilities_baseline']), versioned(25, exceptWindows(capabilitiesRestricted), ['capabilities_baseline'])],
  },
  { id: 'hostNamespaces', level: 'baseline', versions: [versioned(0, hostNamespaces)] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [versioned(0, hostPathVolumes)] },
  { id: 'hostPorts', level: 'baseline', versions: [versioned(0, hostPorts)] },
  { id: 'privileged', level: 'baseline', versions: [versioned(0, privileged)] },
  { id: 'procMount', level: 'baseline', versions: [versioned(0, procMount)] },
  { id: 'restrictedVolumes', level: 'restricted', versions: [versioned(0, restrictedVolumes, ['hostPathVolumes'])] },
  { id: 'runAsNonRoot', level: 'restricted', versions: [versioned(0, runAsNonRoot)] },
  { id: 'runAsUser', level: 'restricted', versions: [versioned(23, runAsUser)] },
  { id: 'seLinuxOptions', level: 'baseline', versions: [versioned(0, seLinuxOptions(SELINUX_TYPES_1_0)), versioned(31, seLinuxOptions(SELINUX_TYPES_1_31))] },
  { id: 'seccompProfile_baseline', level: 'baseline', versions: [versioned(0, seccompAnnotations), versioned(19, seccompProfile(false))] },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    versions: [versioned(19, seccompProfile(true), ['seccompProfile_baseline']), versioned(25, exceptWindows(seccompProfile(true)), ['seccompProfile_baseline'])],
  },
  { id: 'sysctls', level: 'baseline', versions: [versioned(0, sysctls(SYSCTLS_1_0)), versioned(27, sysctls(SYSCTLS_1_27)), versioned(29, sysctls(SYSCTLS_1_29)), versioned(32, sysctls(SYSCTLS_1_32))] },
  { id: 'windowsHostProcess', level: 'baseline', versions: [versioned(0, windowsHostProcess)] },
];

/** The version of a check in force at a policy minor (undefined before its first). */
function versionAt(c: Check, minor: number): VersionedCheck | undefined {
  return [...c.versions].reverse().find((x) => x.since <= minor);
}

/** The failed checks of a pod (or pod template) at a level and version, in the order messages list them. */
export function evaluatePod(lv: LevelVersion, meta: PodMeta, spec: PodSpec): Violation[] {
  if (lv.level === 'privileged') return [];
  const minor = lv.version === 'latest' ? LATEST_MINOR : Math.min(lv.version, LATEST_MINOR);
  const active = (level: Check['level']): { id: string; at: VersionedCheck }[] =>
    CHECKS.filter((c) => c.level === level).flatMap((c) => {
      const at = versionAt(c, minor);
      return at === undefined ? [] : [{ id: c.id, at }];
    });
  const baseline = active('baseline');
  const restricted = lv.level === 'restricted' ? active('restricted') : [];
  const overridden = new Set(restricted.flatMap((r) => r.at.overrides ?? []));
  return [...baseline.filter((b) => !overridden.has(b.id)), ...restricted].flatMap((c) => c.at.check(meta, spec) ?? []);
}

/** "reason (detail), reason (detail)": the text after `violates PodSecurity "…": `. */
export function forbiddenDetail(violations: readonly Violation[]): string {
  return violations.map((x) => (x.detail === '' ? x.reason : `${x.reason} (${x.detail})`)).join(', ');
}

// ---- Namespace labels -----------------------------------------------------------------------

function parseLevel(text: string): Level | undefined {
  return LEVELS.find((l) => l === text);
}

function parseVersion(text: string): number | 'latest' | undefined {
  if (text === 'latest') return 'latest';
  const m = /^v1\.(0|[1-9][0-9]*)$/.exec(text);
  return m === null ? undefined : Number(m[1]);
}

/**
 * The policy a namespace's labels choose, and the label errors. An unreadable enforce level
 * enforces restricted (fail closed); an unreadable audit or warn level is privileged (fail
 * open); an unreadable version is latest.
 */
export function policyFromLabels(labels: Readonly<Record<string, string>> | undefined): { policy: Policy; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const mode = (name: 'enforce' | 'audit' | 'warn', failLevel: Level): LevelVersion => {
    const levelKey = `${LABEL_PREFIX}${name}`;
    const versionKey = `${LABEL_PREFIX}${name}-version`;
    let level: Level = 'privileged';
    let version: number | 'latest' = 'latest';
    const levelText = labels?.[levelKey];
    if (levelText !== undefined) {
      const parsed = parseLevel(levelText);
      if (parsed === undefined) errors.push(labelError(levelKey, levelText, `must be one of ${LEVELS.join(', ')}`));
      level = parsed ?? failLevel;
    }
    const versionText = labels?.[versionKey];
    if (versionText !== undefined) {
      const parsed = parseVersion(versionText);
      if (parsed === undefined) errors.push(labelError(versionKey, versionText, 'must be "latest" or "v1.x"'));
      version = parsed ?? 'latest';
    }
    return { level, version };
  };
  const enforce = mode('enforce', 'restricted');
  const audit = mode('audit', 'privileged');
  const warn = mode('warn', 'privileged');
  return { policy: { enforce, audit, warn }, errors };
}

const labelError = (key: string, value: string, detail: string): FieldError => ({ field: `metadata.labels[${key}]`, type: 'Invalid value', value, detail });

/** A namespace create: its pod-security labels must be readable. */
export function namespaceLabelErrors(labels: Readonly<Record<string, string>> | undefined): FieldError[] {
  return policyFromLabels(labels).errors;
}

/**
 * A namespace update: refused for label errors it introduces; when it makes the enforce level
 * stricter, the level its existing pods are to be checked against.
 */
export function admitNamespaceUpdate(labels: Readonly<Record<string, string>> | undefined, oldLabels: Readonly<Record<string, string>> | undefined): { errors: FieldError[] } | { checkPods?: LevelVersion } {
  const next = policyFromLabels(labels);
  const old = policyFromLabels(oldLabels);
  // Labels already broken the same way before this write do not block it.
  if (next.errors.length > 0 && (old.errors.length === 0 || JSON.stringify(next.errors) !== JSON.stringify(old.errors))) return { errors: next.errors };
  const [to, from] = [next.policy.enforce, old.policy.enforce];
  if (to.level === 'privileged' || (to.level === from.level && to.version === from.version)) return {};
  if (to.version === from.version && LEVELS.indexOf(to.level) <= LEVELS.indexOf(from.level)) return {};
  return { checkPods: to };
}

/**
 * The warnings for a new enforce level that existing pods break: one line naming the
 * namespace, then per distinct set of reasons the lexically first pod breaking them (and how
 * many others do), sorted.
 */
export function existingPodWarnings(namespace: string, enforce: LevelVersion, pods: readonly KubeObject[]): string[] {
  const byReasons = new Map<string, { first: string; count: number }>();
  for (const pod of pods) {
    const found = evaluatePod(enforce, pod.metadata as PodMeta, (pod.spec ?? {}) as PodSpec);
    if (found.length === 0) continue;
    const reasons = found.map((x) => x.reason).join(', ');
    const name = pod.metadata.name ?? '';
    const seen = byReasons.get(reasons);
    byReasons.set(reasons, seen === undefined ? { first: name, count: 1 } : { first: name < seen.first ? name : seen.first, count: seen.count + 1 });
  }
  if (byReasons.size === 0) return [];
  const lines = [...byReasons].map(([reasons, { first, count }]) => {
    const others = count === 1 ? '' : count === 2 ? ' (and 1 other pod)' : ` (and ${count - 1} other pods)`;
    return `${first}${others}: ${reasons}`;
  });
  return [`existing pods in namespace ${JSON.stringify(namespace)} violate the new PodSecurity enforce level ${JSON.stringify(levelVersionString(enforce))}`, ...lines.sort()];
}

// ---- Pods and pod templates -----------------------------------------------------------------

/** What the plugin says of a pod or pod template: the refusal (after `is forbidden: `), and warnings. */
export interface PodVerdict {
  readonly forbidden?: string;
  readonly warnings: readonly string[];
}

/**
 * A pod create (or significant update) in a namespace with these labels: refused when it breaks
 * the enforce level, else warned about when it breaks the warn level. With `enforce` false (pod
 * templates of workloads) nothing is refused: workloads are only warned about.
 */
export function admitPodSpec(labels: Readonly<Record<string, string>> | undefined, meta: PodMeta, spec: PodSpec, enforce: boolean): PodVerdict {
  const { policy, errors } = policyFromLabels(labels);
  const quiet = errors.length === 0 && policy.warn.level === 'privileged' && policy.audit.level === 'privileged';
  if (quiet && (!enforce || policy.enforce.level === 'privileged')) return { warnings: [] };
  if (enforce) {
    const broken = evaluatePod(policy.enforce, meta, spec);
    if (broken.length > 0) return { forbidden: `violates PodSecurity ${JSON.stringify(levelVersionString(policy.enforce))}: ${forbiddenDetail(broken)}`, warnings: [] };
  }
  const warned = evaluatePod(policy.warn, meta, spec);
  return { warnings: warned.length === 0 ? [] : [`would violate PodSecurity ${JSON.stringify(levelVersionString(policy.warn))}: ${forbiddenDetail(warned)}`] };
}

/** The pod template of a workload (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController), if it has one. */
export function podTemplateOf(o: KubeObject): { metadata: PodMeta; spec: PodSpec } | undefined {
  type Template = { metadata?: PodMeta; spec?: PodSpec } | undefined;
  const spec = (o.spec ?? {}) as { template?: Template; jobTemplate?: { spec?: { template?: Template } } };
  let template: Template;
  if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController'].includes(o.kind)) template = spec.template;
  else if (o.kind === 'CronJob') template = spec.jobTemplate?.spec?.template;
  if (template === undefined) return undefined;
  return { metadata: template.metadata ?? {}, spec: template.spec ?? {} };
}

/**
 * Whether a pod update can change what the policy says (the plugin lets others through
 * unchecked): the fields of a pod that may change after creation and matter are images and
 * the seccomp annotations, and containers added.
 */
export function isSignificantPodUpdate(pod: KubeObject, old: KubeObject): boolean {
  const ann = (o: KubeObject, key: string): string | undefined => o.metadata.annotations?.[key];
  if (ann(pod, SECCOMP_POD_ANNOTATION) !== ann(old, SECCOMP_POD_ANNOTATION)) return true;
  const spec = (pod.spec ?? {}) as PodSpec;
  const oldSpec = (old.spec ?? {}) as PodSpec;
  const changed = (c: Container, o: Container | undefined): boolean => {
    const key = `${SECCOMP_CONTAINER_ANNOTATION}${nameOf(c)}`;
    return o === undefined || c.image !== o.image || ann(pod, key) !== ann(old, key);
  };
  for (const list of ['containers', 'initContainers'] as const) {
    const now = spec[list] ?? [];
    const before = oldSpec[list] ?? [];
    if (now.length !== before.length || now.some((c, i) => changed(c, before[i]))) return true;
  }
  return (spec.ephemeralContainers ?? []).some((c) => changed(c, (oldSpec.ephemeralContainers ?? []).find((o) => o.name === c.name)));
}
