/**
 * What pods and pod templates share in describe output: containers (image, ports, state,
 * resources, probes, environment, mounts), volumes, the Pod Template block of the
 * workload describers, and the pod-level numbers derived from a spec (QoS class, the
 * requests and limits a node accounts for).
 */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import {
  type DescribeWriter,
  type Obj,
  byteOrder,
  formatLabelSelector,
  goBool,
  goList,
  intOrString,
  isSet,
  list,
  meta,
  obj,
  rfc1123z,
  str,
  strMap,
  strings,
  writeAnnotations,
  writeLabels,
  writeTolerations,
} from './format';
import { type Qty, ZERO, addQty, cmpQty, formatQty, parseQty, qtyMilli, qtyValue } from './quantity';

const LEVEL_1 = 1;
const LEVEL_2 = 2;
const LEVEL_3 = 3;

/** The "Containers:" (or "Init Containers:") section; `space` is "  " inside a Pod Template. */
export function writeContainers(w: DescribeWriter, label: string, containers: readonly Obj[], statuses: readonly Obj[], pod: KubeObject | undefined, space: string): void {
  const byName = new Map(statuses.map((s) => [str(s.name), s]));
  w.write(0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const c of containers) {
    const st = byName.get(str(c.name));
    writeBasicInfo(w, c, st, space);
    writeCommand(w, c);
    if (st !== undefined) writeState(w, st);
    // A pod's requests default to its limits (the API server does it for pods, not templates).
    const resources = obj(c.resources);
    writeResources(w, pod === undefined ? resources : { ...resources, requests: effectiveRequests(c) }, LEVEL_2);
    writeProbes(w, c);
    if (list(c.envFrom).length > 0) writeEnvFrom(w, c);
    writeEnv(w, c, pod);
    writeMounts(w, c);
  }
}

function writeBasicInfo(w: DescribeWriter, c: Obj, st: Obj | undefined, space: string): void {
  w.write(LEVEL_1, `${space ? ' ' : ''}${str(c.name)}:\n`);
  if (st !== undefined) w.write(LEVEL_2, `Container ID:\t${str(st.containerID)}\n`);
  w.write(LEVEL_2, `Image:\t${str(c.image)}\n`);
  if (st !== undefined) w.write(LEVEL_2, `Image ID:\t${str(st.imageID)}\n`);
  const ports = list(c.ports);
  const portList = (field: string): string =>
    ports.map((p) => `${typeof p[field] === 'number' ? p[field] : 0}/${str(p.protocol) || 'TCP'}${str(p.name) ? ` (${str(p.name)})` : ''}`).join(', ');
  const containerPorts = portList('containerPort');
  w.write(LEVEL_2, containerPorts.includes(',') ? `Ports:\t${containerPorts}\n` : `Port:\t${containerPorts || '<none>'}\n`);
  const hostPorts = portList('hostPort');
  w.write(LEVEL_2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
  const seccomp = obj(obj(c.securityContext).seccompProfile);
  if (isSet(obj(c.securityContext).seccompProfile)) {
    w.write(LEVEL_2, `SeccompProfile:\t${str(seccomp.type)}\n`);
    if (str(seccomp.type) === 'Localhost') w.write(LEVEL_3, `LocalhostProfile:\t${str(seccomp.localhostProfile)}\n`);
  }
}

function writeCommand(w: DescribeWriter, c: Obj): void {
  for (const [title, field] of [
    ['Command', 'command'],
    ['Args', 'args'],
  ] as const) {
    const items = strings(c[field]);
    if (items.length === 0) continue;
    w.write(LEVEL_2, `${title}:\n`);
    for (const item of items) for (const line of item.split('\n')) w.write(LEVEL_3, `${line}\n`);
  }
}

function writeState(w: DescribeWriter, st: Obj): void {
  writeStatus(w, 'State', obj(st.state));
  if (isSet(obj(st.lastState).terminated)) writeStatus(w, 'Last State', obj(st.lastState));
  w.write(LEVEL_2, `Ready:\t${st.ready === true ? 'True' : 'False'}\n`);
  w.write(LEVEL_2, `Restart Count:\t${typeof st.restartCount === 'number' ? st.restartCount : 0}\n`);
}

function writeStatus(w: DescribeWriter, title: string, state: Obj): void {
  if (isSet(state.running)) {
    w.write(LEVEL_2, `${title}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(obj(state.running).startedAt)}\n`);
  } else if (isSet(state.waiting)) {
    w.write(LEVEL_2, `${title}:\tWaiting\n`);
    const reason = str(obj(state.waiting).reason);
    if (reason) w.write(LEVEL_3, `Reason:\t${reason}\n`);
  } else if (isSet(state.terminated)) {
    const t = obj(state.terminated);
    w.write(LEVEL_2, `${title}:\tTerminated\n`);
    if (str(t.reason)) w.write(LEVEL_3, `Reason:\t${str(t.reason)}\n`);
    if (str(t.message)) w.write(LEVEL_3, `Message:\t${str(t.message)}\n`);
    w.write(LEVEL_3, `Exit Code:\t${typeof t.exitCode === 'number' ? t.exitCode : 0}\n`);
    if (typeof t.signal === 'number' && t.signal > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(LEVEL_3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(LEVEL_2, `${title}:\tWaiting\n`);
  }
}

/** "Limits:" and "Requests:", each resource sorted by name with its canonical quantity. */
export function writeResources(w: DescribeWriter, resources: Obj, level: number): void {
  for (const [title, field] of [
    ['Limits', 'limits'],
    ['Requests', 'requests'],
  ] as const) {
    const values = obj(resources[field]);
    const names = Object.keys(values).sort(byteOrder);
    if (names.length > 0) w.write(level, `${title}:\n`);
    for (const name of names) w.write(level + 1, `${name}:\t${formatQty(parseQty(values[name]))}\n`);
  }
}

/** DescribeProbe, with the API server's defaults for the numbers a stored probe always has. */
function describeProbe(p: Obj): string {
  const n = (field: string, dflt: number): number => (typeof p[field] === 'number' ? (p[field] as number) : dflt);
  const attrs = `delay=${n('initialDelaySeconds', 0)}s timeout=${n('timeoutSeconds', 1)}s period=${n('periodSeconds', 10)}s #success=${n('successThreshold', 1)} #failure=${n('failureThreshold', 3)}`;
  if (isSet(p.exec)) return `exec ${goList(strings(obj(p.exec).command))} ${attrs}`;
  if (isSet(p.httpGet)) {
    const g = obj(p.httpGet);
    const port = intOrString(g.port);
    const host = str(g.host);
    const hostPort = port === '' ? host : host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    return `http-get ${(str(g.scheme) || 'HTTP').toLowerCase()}://${hostPort}${str(g.path)} ${attrs}`;
  }
  if (isSet(p.tcpSocket)) return `tcp-socket ${str(obj(p.tcpSocket).host)}:${intOrString(obj(p.tcpSocket).port)} ${attrs}`;
  if (isSet(p.grpc)) return `grpc <pod>:${intOrString(obj(p.grpc).port)} ${str(obj(p.grpc).service)} ${attrs}`;
  return `unknown ${attrs}`;
}

function writeProbes(w: DescribeWriter, c: Obj): void {
  if (isSet(c.livenessProbe)) w.write(LEVEL_2, `Liveness:\t${describeProbe(obj(c.livenessProbe))}\n`);
  if (isSet(c.readinessProbe)) w.write(LEVEL_2, `Readiness:\t${describeProbe(obj(c.readinessProbe))}\n`);
  if (isSet(c.startupProbe)) w.write(LEVEL_2, `Startup:\t${describeProbe(obj(c.startupProbe))}\n`);
}

function writeEnvFrom(w: DescribeWriter, c: Obj): void {
  w.write(LEVEL_2, 'Environment Variables from:\n');
  for (const e of list(c.envFrom)) {
    const [from, ref] = isSet(e.configMapRef) ? ['ConfigMap', obj(e.configMapRef)] : isSet(e.secretRef) ? ['Secret', obj(e.secretRef)] : ['', {} as Obj];
    const prefix = str(e.prefix);
    w.write(LEVEL_3, `${str(ref.name)}\t${from}${prefix ? ` with prefix '${prefix}'` : ''}\tOptional: ${goBool(ref.optional)}\n`);
  }
}

/** The value a downward-API field reference has in this pod (what kubectl's resolver finds). */
function fieldValue(pod: KubeObject | undefined, path: string): string {
  if (pod === undefined) return '';
  const md = meta(pod);
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m !== null) return strMap(md[m[1] as string])[m[2] as string] ?? '';
  const spec = obj(pod.spec);
  const st = obj(pod.status);
  const paths: Record<string, unknown> = {
    'metadata.name': md.name,
    'metadata.namespace': md.namespace,
    'metadata.uid': md.uid,
    'spec.nodeName': spec.nodeName,
    'spec.serviceAccountName': spec.serviceAccountName,
    'status.hostIP': st.hostIP,
    'status.podIP': st.podIP,
    'status.hostIPs': list(st.hostIPs).map((i) => str(i.ip)).join(','),
    'status.podIPs': list(st.podIPs).map((i) => str(i.ip)).join(','),
  };
  return str(paths[path]);
}

/** ExtractContainerResourceValue: the resource in units of the divisor, rounded up. */
function resourceValue(c: Obj, ref: Obj): string {
  const [kind, name] = str(ref.resource).split('.') as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || name === undefined) return '';
  const q = parseQty(obj(obj(c.resources)[kind])[name]);
  const divisor = parseQty(ref.divisor ?? '1');
  const d = divisor.n === 0n ? parseQty('1') : divisor;
  return name === 'cpu' ? String(Math.ceil(qtyMilli(q) / qtyMilli(d))) : String(Math.ceil(qtyValue(q) / qtyValue(d)));
}

function writeEnv(w: DescribeWriter, c: Obj, pod: KubeObject | undefined): void {
  const env = list(c.env);
  w.write(LEVEL_2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    const name = str(e.name);
    if (e.valueFrom === undefined || e.valueFrom === null) {
      str(e.value)
        .split('\n')
        .forEach((line, i) => w.write(LEVEL_3, i === 0 ? `${name}:\t${line}\n` : `\t${line}\n`));
      continue;
    }
    const from = obj(e.valueFrom);
    if (isSet(from.fieldRef)) {
      const f = obj(from.fieldRef);
      w.write(LEVEL_3, `${name}:\t${fieldValue(pod, str(f.fieldPath))} (${str(f.apiVersion) || 'v1'}:${str(f.fieldPath)})\n`);
    } else if (isSet(from.resourceFieldRef)) {
      const r = obj(from.resourceFieldRef);
      let value = resourceValue(c, r);
      if (value === '0' && (str(r.resource) === 'limits.cpu' || str(r.resource) === 'limits.memory')) value = 'node allocatable';
      w.write(LEVEL_3, `${name}:\t${value} (${str(r.resource)})\n`);
    } else if (isSet(from.secretKeyRef)) {
      const r = obj(from.secretKeyRef);
      w.write(LEVEL_3, `${name}:\t<set to the key '${str(r.key)}' in secret '${str(r.name)}'>\tOptional: ${goBool(r.optional)}\n`);
    } else if (isSet(from.configMapKeyRef)) {
      const r = obj(from.configMapKeyRef);
      w.write(LEVEL_3, `${name}:\t<set to the key '${str(r.key)}' of config map '${str(r.name)}'>\tOptional: ${goBool(r.optional)}\n`);
    }
  }
}

function writeMounts(w: DescribeWriter, c: Obj): void {
  const mounts = [...list(c.volumeMounts)].sort((a, b) => byteOrder(str(a.mountPath), str(b.mountPath)));
  const none = mounts.length === 0 ? '\t<none>' : '';
  w.write(LEVEL_2, `Mounts:${none}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly === true ? 'ro' : 'rw', ...(str(m.subPath) ? [`path=${JSON.stringify(str(m.subPath))}`] : [])];
    w.write(LEVEL_3, `${str(m.mountPath)} from ${str(m.name)} (${flags.join(',')})\n`);
  }
  const devices = [...list(c.volumeDevices)].sort((a, b) => byteOrder(str(a.devicePath), str(b.devicePath)));
  if (devices.length > 0) {
    w.write(LEVEL_2, `Devices:${none}\n`);
    for (const d of devices) w.write(LEVEL_3, `${str(d.devicePath)} from ${str(d.name)}\n`);
  }
}

// --- Volumes ---------------------------------------------------------------------------

/** %v of a *bool: kubectl 1.31 prints the pointer itself for projected sources, `<nil>` when unset. */
const goBoolPtr = (v: unknown): string => (typeof v === 'boolean' ? String(v) : '<nil>');

/** One volume's source lines, at level 2 (continuation lines carry their own 4 spaces, as in kubectl). */
function volumeSource(v: Obj): string {
  if (isSet(v.hostPath)) {
    const h = obj(v.hostPath);
    return `Type:\tHostPath (bare host directory volume)\n    Path:\t${str(h.path)}\n    HostPathType:\t${h.type === undefined ? '<none>' : str(h.type)}\n`;
  }
  if (isSet(v.emptyDir)) {
    const e = obj(v.emptyDir);
    const limit = isSet(e.sizeLimit) && parseQty(e.sizeLimit).n > 0n ? formatQty(parseQty(e.sizeLimit)) : '<unset>';
    return `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${str(e.medium)}\n    SizeLimit:\t${limit}\n`;
  }
  if (isSet(v.secret)) {
    const s = obj(v.secret);
    return `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${str(s.secretName)}\n    Optional:\t${goBool(s.optional)}\n`;
  }
  if (isSet(v.configMap)) {
    const c = obj(v.configMap);
    return `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${str(c.name)}\n    Optional:\t${goBool(c.optional)}\n`;
  }
  if (isSet(v.nfs)) {
    const n = obj(v.nfs);
    return `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${str(n.server)}\n    Path:\t${str(n.path)}\n    ReadOnly:\t${goBool(n.readOnly)}\n`;
  }
  if (isSet(v.persistentVolumeClaim)) {
    const p = obj(v.persistentVolumeClaim);
    return `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${str(p.claimName)}\n    ReadOnly:\t${goBool(p.readOnly)}\n`;
  }
  if (isSet(v.downwardAPI)) {
    const items = list(obj(v.downwardAPI).items).map((i) => {
      const src = isSet(i.fieldRef) ? str(obj(i.fieldRef).fieldPath) : str(obj(i.resourceFieldRef).resource);
      return `      ${src} -> ${str(i.path)}\n`;
    });
    return `Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n${items.join('')}`;
  }
  if (isSet(v.projected)) {
    let text = 'Type:\tProjected (a volume that contains injected data from multiple sources)\n';
    for (const s of list(obj(v.projected).sources)) {
      if (isSet(s.secret)) text += `    SecretName:\t${str(obj(s.secret).name)}\n    SecretOptionalName:\t${goBoolPtr(obj(s.secret).optional)}\n`;
      else if (isSet(s.downwardAPI)) text += '    DownwardAPI:\ttrue\n';
      else if (isSet(s.configMap)) text += `    ConfigMapName:\t${str(obj(s.configMap).name)}\n    ConfigMapOptional:\t${goBoolPtr(obj(s.configMap).optional)}\n`;
      else if (isSet(s.serviceAccountToken)) text += `    TokenExpirationSeconds:\t${obj(s.serviceAccountToken).expirationSeconds ?? 3600}\n`;
    }
    return text;
  }
  if (isSet(v.csi)) {
    const c = obj(v.csi);
    const attrs = strMap(c.volumeAttributes);
    const keys = Object.keys(attrs).sort(byteOrder);
    const lines = keys.length === 0 ? '<none>\n' : keys.map((k, i) => `${i > 0 ? '    \t' : ''}${k}=${attrs[k] as string}\n`).join('');
    return `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${str(c.driver)}\n    FSType:\t${str(c.fsType)}\n    ReadOnly:\t${goBool(c.readOnly)}\n    VolumeAttributes:\t${lines}`;
  }
  return '';
}

/** The "Volumes:" section; volume names get one more space inside a Pod Template. */
export function writeVolumes(w: DescribeWriter, volumes: readonly Obj[], space: string): void {
  if (volumes.length === 0) return w.write(0, `${space}Volumes:\t<none>\n`);
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(LEVEL_1, `${space ? ' ' : ''}${str(v.name)}:\n`);
    const source = volumeSource(v);
    if (source === '') w.write(LEVEL_1, '<unknown>\n');
    else w.write(LEVEL_2, source);
  }
}

/** `Topology Spread Constraints:\tzone:DoNotSchedule when max skew 1 is exceeded for selector app=web`. */
export function writeTopologySpread(w: DescribeWriter, constraints: readonly Obj[], space: string): void {
  if (constraints.length === 0) return;
  const sorted = [...constraints].sort((a, b) => byteOrder(str(a.topologyKey), str(b.topologyKey)));
  w.write(0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((c, i) => {
    if (i > 0) w.write(0, `${space}\t`);
    const selector = c.labelSelector === undefined ? '' : ` for selector ${formatLabelSelector(c.labelSelector)}`;
    w.write(0, `${str(c.topologyKey)}:${str(c.whenUnsatisfiable)} when max skew ${typeof c.maxSkew === 'number' ? c.maxSkew : 0} is exceeded${selector}\n`);
  });
}

/** DescribePodTemplate: the "Pod Template:" block of Deployments, ReplicaSets and StatefulSets. */
export function writePodTemplate(w: DescribeWriter, template: Obj): void {
  const md = obj(template.metadata);
  const spec = obj(template.spec);
  w.write(0, 'Pod Template:\n');
  writeLabels(w, '  Labels', md.labels);
  if (Object.keys(obj(md.annotations)).length > 0) writeAnnotations(w, '  Annotations', md.annotations);
  if (str(spec.serviceAccountName)) w.write(LEVEL_1, `Service Account:\t${str(spec.serviceAccountName)}\n`);
  if (list(spec.initContainers).length > 0) writeContainers(w, 'Init Containers', list(spec.initContainers), [], undefined, '  ');
  writeContainers(w, 'Containers', list(spec.containers), [], undefined, '  ');
  writeVolumes(w, list(spec.volumes), '  ');
  writeTopologySpread(w, list(spec.topologySpreadConstraints), '  ');
  if (str(spec.priorityClassName)) w.write(LEVEL_1, `Priority Class Name:\t${str(spec.priorityClassName)}\n`);
  writeLabels(w, '  Node-Selectors', spec.nodeSelector);
  writeTolerations(w, '  Tolerations', spec.tolerations);
}

// --- Pod-level numbers -----------------------------------------------------------------

/** A container's requests as the API server stores them: limits stand in for requests not given. */
function effectiveRequests(c: Obj): Obj {
  const r = obj(c.resources);
  return { ...obj(r.limits), ...obj(r.requests) };
}

/** qos.GetPodQOS: status.qosClass when set, else computed from the containers' cpu and memory. */
export function podQOS(pod: KubeObject): string {
  const fromStatus = str(obj(pod.status).qosClass);
  if (fromStatus) return fromStatus;
  const spec = obj(pod.spec);
  const requests = new Map<string, Qty>();
  const limits = new Map<string, Qty>();
  let guaranteed = true;
  const accumulate = (into: Map<string, Qty>, values: Obj): Set<string> => {
    const found = new Set<string>();
    for (const [name, raw] of Object.entries(values)) {
      if (name !== 'cpu' && name !== 'memory') continue;
      const q = parseQty(raw);
      if (q.n <= 0n) continue;
      found.add(name);
      into.set(name, addQty(into.get(name) ?? ZERO, q));
    }
    return found;
  };
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
    accumulate(requests, effectiveRequests(c));
    const limitsFound = accumulate(limits, obj(obj(c.resources).limits));
    if (!limitsFound.has('cpu') || !limitsFound.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (lim === undefined || cmpQty(lim, req) !== 0) guaranteed = false;
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

type ResourceList = Map<string, Qty>;

function addList(into: ResourceList, values: ResourceList): void {
  for (const [name, q] of values) into.set(name, into.has(name) ? addQty(into.get(name) as Qty, q) : q);
}

function maxList(into: ResourceList, values: ResourceList): void {
  for (const [name, q] of values) if (!into.has(name) || cmpQty(q, into.get(name) as Qty) > 0) into.set(name, q);
}

const toList = (values: Obj): ResourceList => new Map(Object.entries(values).map(([k, v]) => [k, parseQty(v)]));

/**
 * A pod's total requests or limits as the node accounts them: the sum over its containers
 * (sidecars included), at least the largest init container, plus the pod overhead.
 */
export function podResources(pod: KubeObject, kind: 'requests' | 'limits'): ResourceList {
  const spec = obj(pod.spec);
  const of = (c: Obj): ResourceList => toList(kind === 'requests' ? effectiveRequests(c) : obj(obj(c.resources).limits));
  const total: ResourceList = new Map();
  for (const c of list(spec.containers)) addList(total, of(c));
  const sidecars: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of list(spec.initContainers)) {
    if (str(c.restartPolicy) === 'Always') {
      addList(total, of(c));
      addList(sidecars, of(c));
      maxList(initMax, sidecars);
    } else {
      const tmp: ResourceList = new Map();
      addList(tmp, of(c));
      addList(tmp, sidecars);
      maxList(initMax, tmp);
    }
  }
  maxList(total, initMax);
  if (isSet(spec.overhead)) addList(total, toList(obj(spec.overhead)));
  return total;
}
