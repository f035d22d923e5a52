import { describe, expect, it } from 'vitest';
import { clusterHarness, type Request } from '../testing/clusterHarness';
import type { ApiCallResult } from './apiClient';
import type { KubeObject } from './apiObjects';
import {
  admitNamespaceUpdate,
  admitPodSpec,
  evaluatePod,
  existingPodWarnings,
  forbiddenDetail,
  isSignificantPodUpdate,
  type LevelVersion,
  namespaceLabelErrors,
  type PodSpec,
  podTemplateOf,
  policyFromLabels,
} from './podSecurity';

const RESTRICTED: LevelVersion = { level: 'restricted', version: 'latest' };
const BASELINE: LevelVersion = { level: 'baseline', version: 'latest' };
const detail = (lv: LevelVersion, spec: PodSpec, annotations?: Record<string, string>): string => forbiddenDetail(evaluatePod(lv, annotations === undefined ? {} : { annotations }, spec));

/** A container that passes restricted on its own. */
const hardened = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: 'nginx',
  securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, ...extra },
});

describe('PodSecurity messages, as real clusters print them', () => {
  it('lists a bare pod on the host network against restricted (k8s-netperf)', () => {
    expect(detail(RESTRICTED, { hostNetwork: true, containers: [{ name: 'client-host', image: 'x' }] })).toBe(
      'host namespaces (hostNetwork=true), allowPrivilegeEscalation != false (container "client-host" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "client-host" must set securityContext.capabilities.drop=["ALL"]), ' +
        'runAsNonRoot != true (pod or container "client-host" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "client-host" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
  });

  it('puts baseline failures before restricted ones, and a hostPath under restricted volume types', () => {
    const spec: PodSpec = { containers: [{ name: 'shell', image: 'busybox', securityContext: { privileged: true } }], volumes: [{ name: 'host', hostPath: { path: '/' } }] };
    expect(detail(RESTRICTED, spec)).toBe(
      'privileged (container "shell" must not set securityContext.privileged=true), allowPrivilegeEscalation != false (container "shell" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "shell" must set securityContext.capabilities.drop=["ALL"]), restricted volume types (volume "host" uses restricted volume type "hostPath"), ' +
        'runAsNonRoot != true (pod or container "shell" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "shell" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
    // Under baseline the same volume is a hostPath volume; checks come in the order of their ids (hostPathVolumes, privileged).
    expect(detail(BASELINE, spec)).toBe('hostPath volumes (volume "host"), privileged (container "shell" must not set securityContext.privileged=true)');
  });

  it('names host ports and several volumes in the plural (gatekeeper, calico)', () => {
    const spec: PodSpec = { hostNetwork: true, containers: [{ ...hardened('manager'), ports: [{ hostPort: 8443 }, { hostPort: 8888 }, { hostPort: 9090 }] }] };
    expect(detail({ level: 'restricted', version: 24 }, spec)).toBe('host namespaces (hostNetwork=true), hostPort (container "manager" uses hostPorts 8443, 8888, 9090)');
    const cni: PodSpec = { containers: [hardened('install-cni')], volumes: ['cni-bin-dir', 'cni-net-dir', 'cni-log-dir'].map((name) => ({ name, hostPath: { path: `/${name}` } })) };
    expect(detail(RESTRICTED, cni)).toBe('restricted volume types (volumes "cni-bin-dir", "cni-net-dir", "cni-log-dir" use restricted volume type "hostPath")');
  });

  it('groups several containers, and sorts added capabilities', () => {
    const two: PodSpec = { containers: ['kube-rbac-proxy', 'manager'].map((name) => ({ name, image: 'x', securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true } })) };
    expect(detail(RESTRICTED, two)).toBe(
      'unrestricted capabilities (containers "kube-rbac-proxy", "manager" must set securityContext.capabilities.drop=["ALL"]), ' +
        'seccompProfile (pod or containers "kube-rbac-proxy", "manager" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
    const adds: PodSpec = { containers: [hardened('agent', { capabilities: { drop: ['ALL'], add: ['SYS_PTRACE', 'CHOWN', 'NET_ADMIN', 'NET_BIND_SERVICE'] } })] };
    expect(detail(RESTRICTED, adds)).toBe('unrestricted capabilities (container "agent" must not include "CHOWN", "NET_ADMIN", "SYS_PTRACE" in securityContext.capabilities.add)');
    expect(detail(BASELINE, adds)).toBe('non-default capabilities (container "agent" must not include "NET_ADMIN", "SYS_PTRACE" in securityContext.capabilities.add)');
  });

  it('reports runAsUser=0 and explicit runAsNonRoot=false at pod and container level', () => {
    expect(detail(RESTRICTED, { containers: [hardened('volume-permissions', { runAsUser: 0 })] })).toBe('runAsUser=0 (container "volume-permissions" must not set runAsUser=0)');
    const spec: PodSpec = { securityContext: { runAsNonRoot: false, runAsUser: 0 }, containers: [hardened('a', { runAsNonRoot: false }), hardened('b')] };
    expect(detail(RESTRICTED, spec)).toBe('runAsNonRoot != true (pod and container "a" must not set securityContext.runAsNonRoot=false), runAsUser=0 (pod must not set runAsUser=0)');
  });

  it('accepts settings made once at pod level for every container', () => {
    const spec: PodSpec = {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [{ name: 'init', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }],
      containers: [{ name: 'app', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      volumes: [{ name: 'cfg', configMap: { name: 'c' } }, { name: 'data', persistentVolumeClaim: { claimName: 'd' } }, { name: 'tmp', emptyDir: {} }],
    };
    expect(evaluatePod(RESTRICTED, {}, spec)).toEqual([]);
  });

  it('words the other baseline checks as the policy does', () => {
    expect(detail(BASELINE, { hostPID: true, hostIPC: true, containers: [] })).toBe('host namespaces (hostPID=true, hostIPC=true)');
    expect(detail(BASELINE, { containers: [{ name: 'a', securityContext: { procMount: 'Unmasked' } }] })).toBe('procMount (container "a" must not set securityContext.procMount to "Unmasked")');
    expect(detail(BASELINE, { securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [{ name: 'a', securityContext: { seccompProfile: { type: 'Unconfined' } } }] })).toBe(
      'seccompProfile (pod and container "a" must not set securityContext.seccompProfile.type to "Unconfined")',
    );
    expect(detail(BASELINE, { securityContext: { seLinuxOptions: { type: 'spc_t' } }, containers: [{ name: 'a', securityContext: { seLinuxOptions: { user: 'root' } } }] })).toBe(
      'seLinuxOptions (pod and container "a" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set)',
    );
    expect(detail(BASELINE, { containers: [{ name: 'a', securityContext: { appArmorProfile: { type: 'Unconfined' } } }] })).toBe(
      'forbidden AppArmor profile (container "a" must not set AppArmor profile type to "Unconfined")',
    );
    expect(detail(BASELINE, { securityContext: { windowsOptions: { hostProcess: true } }, containers: [] })).toBe('hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)');
    expect(detail(BASELINE, { securityContext: { sysctls: [{ name: 'kernel.msgmax' }, { name: 'net.ipv4.tcp_rmem' }, { name: 'vm.swappiness' }] }, containers: [] })).toBe(
      'forbidden sysctls (kernel.msgmax, vm.swappiness)',
    );
  });

  it('evaluates an older policy version with the checks of that version', () => {
    const sysctl: PodSpec = { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem' }] }, containers: [] };
    expect(detail({ level: 'baseline', version: 31 }, sysctl)).toBe('forbidden sysctls (net.ipv4.tcp_rmem)');
    const root: PodSpec = { containers: [hardened('a', { runAsUser: 0 })] };
    expect(detail({ level: 'restricted', version: 22 }, root)).toBe('');
    // Before v1.19 seccomp was an annotation; the field is not required.
    const bare: PodSpec = { containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } } }] };
    expect(detail({ level: 'restricted', version: 18 }, bare, { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' })).toBe(
      'seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined")',
    );
    // A version newer than the server's is evaluated as the newest it knows.
    expect(detail({ level: 'baseline', version: 40 }, sysctl)).toBe('');
  });

  it('lets Windows pods off the checks that mean nothing there (v1.25+)', () => {
    const spec: PodSpec = { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'w', image: 'x' }] };
    expect(detail(RESTRICTED, spec)).toBe('');
    expect(detail({ level: 'restricted', version: 24 }, spec)).toContain('allowPrivilegeEscalation != false');
  });
});

describe('namespace labels', () => {
  it('reads the level and version of each mode, privileged:latest by default', () => {
    const { policy, errors } = policyFromLabels({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'v1.30' });
    expect(errors).toEqual([]);
    expect(policy).toEqual({ enforce: { level: 'baseline', version: 'latest' }, audit: { level: 'privileged', version: 'latest' }, warn: { level: 'restricted', version: 30 } });
  });

  it('refuses unreadable labels with the field errors kube-apiserver gives, enforcing restricted meanwhile', () => {
    const labels = { 'pod-security.kubernetes.io/enforce': 'strict', 'pod-security.kubernetes.io/warn-version': '1.30' };
    expect(namespaceLabelErrors(labels)).toEqual([
      { field: 'metadata.labels[pod-security.kubernetes.io/enforce]', type: 'Invalid value', value: 'strict', detail: 'must be one of privileged, baseline, restricted' },
      { field: 'metadata.labels[pod-security.kubernetes.io/warn-version]', type: 'Invalid value', value: '1.30', detail: 'must be "latest" or "v1.x"' },
    ]);
    expect(policyFromLabels({ 'pod-security.kubernetes.io/enforce': 'strict' }).policy.enforce.level).toBe('restricted');
    expect(policyFromLabels({ 'pod-security.kubernetes.io/warn': 'strict' }).policy.warn.level).toBe('privileged');
  });

  it('checks the existing pods only when the enforce level gets stricter', () => {
    const enforce = (level: string, version?: string): Record<string, string> => ({ 'pod-security.kubernetes.io/enforce': level, ...(version === undefined ? {} : { 'pod-security.kubernetes.io/enforce-version': version }) });
    expect(admitNamespaceUpdate(enforce('restricted'), undefined)).toEqual({ checkPods: RESTRICTED });
    expect(admitNamespaceUpdate(enforce('baseline'), enforce('restricted'))).toEqual({});
    expect(admitNamespaceUpdate(enforce('privileged'), undefined)).toEqual({});
    expect(admitNamespaceUpdate(enforce('baseline', 'v1.30'), enforce('restricted'))).toEqual({ checkPods: { level: 'baseline', version: 30 } });
    expect(admitNamespaceUpdate({ ...enforce('restricted'), team: 'a' }, enforce('restricted'))).toEqual({});
    expect(admitNamespaceUpdate(enforce('nope'), undefined)).toHaveProperty('errors');
  });

  it('lists the pods that break the new level, one line per set of reasons', () => {
    const pod = (name: string, spec: PodSpec): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec });
    const plain: PodSpec = { containers: [{ name: 'web', image: 'nginx' }] };
    const pods = [pod('web-b', plain), pod('web-a', plain), pod('web-c', plain), pod('tools', { containers: [hardened('t', { privileged: true })] }), pod('ok', { containers: [hardened('o')] })];
    expect(existingPodWarnings('shop', RESTRICTED, pods)).toEqual([
      'existing pods in namespace "shop" violate the new PodSecurity enforce level "restricted:latest"',
      'tools: privileged',
      'web-a (and 2 other pods): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile',
    ]);
    expect(existingPodWarnings('shop', RESTRICTED, [pods[3] as KubeObject, pod('tools-2', { containers: [hardened('t', { privileged: true })] })])).toEqual([
      'existing pods in namespace "shop" violate the new PodSecurity enforce level "restricted:latest"',
      'tools (and 1 other pod): privileged',
    ]);
    expect(existingPodWarnings('shop', RESTRICTED, [pods[4] as KubeObject])).toEqual([]);
  });
});

describe('admission of pods and workloads', () => {
  const labels = { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' };
  const privileged: PodSpec = { containers: [{ name: 'x', image: 'nginx', securityContext: { privileged: true } }] };
  const plain: PodSpec = { containers: [{ name: 'web', image: 'nginx' }] };

  it('refuses a pod breaking the enforce level, without warnings', () => {
    expect(admitPodSpec(labels, {}, privileged, true)).toEqual({ forbidden: 'violates PodSecurity "baseline:latest": privileged (container "x" must not set securityContext.privileged=true)', warnings: [] });
  });

  it('admits a pod within the enforce level and warns about the warn level', () => {
    const verdict = admitPodSpec(labels, {}, plain, true);
    expect(verdict.forbidden).toBeUndefined();
    expect(verdict.warnings).toEqual([
      'would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    ]);
  });

  it('only warns about workloads, whatever the enforce level', () => {
    const verdict = admitPodSpec({ 'pod-security.kubernetes.io/enforce': 'restricted' }, {}, privileged, false);
    expect(verdict).toEqual({ warnings: [] });
    expect(admitPodSpec(labels, {}, privileged, false).warnings[0]).toMatch(/^would violate PodSecurity "restricted:latest": privileged \(container "x"/);
  });

  it('says nothing in an unlabelled namespace', () => {
    expect(admitPodSpec(undefined, {}, privileged, true)).toEqual({ warnings: [] });
  });

  it('finds the pod template of each workload kind', () => {
    const template = { metadata: { labels: { app: 'a' } }, spec: plain };
    expect(podTemplateOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}, spec: { template } })?.spec).toBe(plain);
    expect(podTemplateOf({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: {}, spec: { jobTemplate: { spec: { template } } } })?.spec).toBe(plain);
    expect(podTemplateOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })).toBeUndefined();
  });

  it('re-checks a pod update only when an image or container changes', () => {
    const pod = (image: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels }, spec: { containers: [{ name: 'a', image }] } });
    expect(isSignificantPodUpdate(pod('nginx', { x: 'y' }), pod('nginx'))).toBe(false);
    expect(isSignificantPodUpdate(pod('nginx:2'), pod('nginx'))).toBe(true);
  });
});

describe('PodSecurity and RuntimeClass in the API server', () => {
  const h = clusterHarness();
  /** A request's answer with the warnings that came with it. */
  const send = (req: Request): { ok: boolean; message: string; warnings: readonly string[] } => {
    const r = h.cluster.world.runUntilDone<ApiCallResult>((done) => h.client.request(req, done), 60_000);
    if (r === undefined || !r.ok) throw new Error('no answer');
    return { ok: r.result.ok, message: r.result.ok ? '' : r.result.status.message, warnings: r.warnings ?? [] };
  };
  const deployment = (replicas: number, image = 'nginx:1.27'): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'psa' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
  });
  h.ok({ verb: 'create', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'psa', labels: { 'pod-security.kubernetes.io/warn': 'baseline', 'pod-security.kubernetes.io/enforce': 'baseline' } } } });

  const patch = (resource: string, name: string, namespace: string | undefined, body: unknown): Request => ({
    verb: 'patch',
    resource,
    name,
    ...(namespace === undefined ? {} : { namespace }),
    patchType: 'merge',
    patch: JSON.stringify(body),
  });

  it('warns about a workload on create and when its pod template changes, not when only replicas do', () => {
    const privileged = deployment(1);
    (privileged.spec as { template: { spec: PodSpec } }).template.spec.hostNetwork = true;
    expect(send({ verb: 'create', body: privileged }).warnings).toEqual(['would violate PodSecurity "baseline:latest": host namespaces (hostNetwork=true)']);
    expect(send(patch('deployments', 'web', 'psa', { spec: { replicas: 2 } }))).toEqual({ ok: true, message: '', warnings: [] });
    expect(send(patch('deployments', 'web', 'psa', { spec: { template: { spec: { hostPID: true } } } })).warnings).toEqual([
      'would violate PodSecurity "baseline:latest": host namespaces (hostNetwork=true, hostPID=true)',
    ]);
  });

  it('lists running pods a stricter level refuses, then re-judges a pod only when its images change', () => {
    h.ok({ verb: 'create', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'legacy' } } });
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'old', namespace: 'legacy' }, spec: { hostNetwork: true, containers: [{ name: 'a', image: 'nginx:1.26' }] } };
    expect(send({ verb: 'create', body: pod }).ok).toBe(true);
    expect(send(patch('namespaces', 'legacy', undefined, { metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } })).warnings).toEqual([
      'existing pods in namespace "legacy" violate the new PodSecurity enforce level "baseline:latest"',
      'old: host namespaces',
    ]);
    expect(send(patch('pods', 'old', 'legacy', { metadata: { labels: { tier: 'web' } } })).ok).toBe(true);
    expect(send(patch('pods', 'old', 'legacy', { spec: { containers: [{ name: 'a', image: 'nginx:1.27' }] } })).message).toBe(
      'pods "old" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)',
    );
  });

  it('names the generateName prefix when RuntimeClass refuses, the full name when PodSecurity does', () => {
    const pod = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'job-', namespace: 'psa' }, spec: { containers: [{ name: 'a', image: 'busybox' }], ...spec } });
    expect(send({ verb: 'create', body: pod({ runtimeClassName: 'kata' }) }).message).toBe('pods "job-" is forbidden: pod rejected: RuntimeClass "kata" not found');
    expect(send({ verb: 'create', body: pod({ hostIPC: true }) }).message).toMatch(/^pods "job-[a-z0-9]{5}" is forbidden: violates PodSecurity "baseline:latest": host namespaces \(hostIPC=true\)$/);
    expect(send({ verb: 'create', body: pod({ overhead: { cpu: '1' } }) }).message).toMatch(/^pods "job-[a-z0-9]{5}" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead$/);
  });

  it('gives the warnings of a dry run too, writing nothing', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dry', namespace: 'psa' }, spec: { containers: [{ name: 'a', image: 'busybox', ports: [{ containerPort: 80, hostPort: 8080 }] }] } };
    expect(send({ verb: 'create', body: pod, dryRun: true }).message).toBe('pods "dry" is forbidden: violates PodSecurity "baseline:latest": hostPort (container "a" uses hostPort 8080)');
    const labelled = h.get('namespaces', 'psa') as KubeObject;
    const relaxed = { ...labelled, metadata: { ...labelled.metadata, labels: { ...labelled.metadata.labels, 'pod-security.kubernetes.io/enforce': 'privileged' } } };
    expect(send({ verb: 'update', body: relaxed, dryRun: true })).toEqual({ ok: true, message: '', warnings: [] });
    expect(send({ verb: 'create', body: pod, dryRun: true }).warnings).toEqual([]);
  });
});
