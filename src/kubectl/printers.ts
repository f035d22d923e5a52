import { stringify } from 'yaml';
import type { KubeObject, Status } from '../engine/apiserver/apiObjects';
import { resourceForKind, type ResourceType } from '../engine/apiserver/resources';
import { humanDuration } from '../engine/duration';
import { parseRfc3339 } from '../engine/virtualTime';
import { evaluateJsonPath, JsonPathError } from './jsonpath';
import { tabular } from './tabular';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const none = (v: unknown): string => (typeof v === 'string' && v !== '' ? v : '<none>');

/** "deployment.apps/web": how kubectl names an object in messages and -o name. */
export function objectRef(t: ResourceType, name: string): string {
  return `${kindRef(t)}/${name}`;
}

/** "deployment.apps", "pod": the lower-case kind with its group, as messages name a type. */
export function kindRef(t: ResourceType): string {
  return `${t.singular}${t.group === '' ? '' : `.${t.group}`}`;
}

/** `Error from server (Reason): message`, as kubectl prints a failed API call. */
export function formatStatus(s: Status, prefix = ''): string {
  if (s.reason === 'Invalid') return formatInvalid(s);
  return `Error from server${s.reason ? ` (${s.reason})` : ''}: ${prefix}${s.message}\n`;
}

/**
 * A 422 as kubectl words it: `The Deployment "web" is invalid: field: why`, or with several
 * causes one per line after the colon, each starting "* ".
 */
function formatInvalid(s: Status): string {
  const kind = s.details?.kind ?? '';
  const name = s.details?.name ?? '';
  const head = kind === '' && name === '' ? 'The request is invalid' : `The ${kind} "${name}" is invalid`;
  const causes = (s.details?.causes ?? []).map((c) => (c.field === '' ? c.message : `${c.field}: ${c.message}`));
  if (causes.length === 0) return `${head}: ${s.message.slice(s.message.indexOf(' is invalid: ') + 13)}\n`;
  if (causes.length === 1) return `${head}: ${causes[0]}\n`;
  return `${head}: \n${causes.map((c) => `* ${c}\n`).join('')}`;
}

// ---------------------------------------------------------------------------------------------
// Cell formatting shared by the kinds

function since(timestamp: unknown, now: number): string {
  const t = parseRfc3339(str(timestamp));
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}

const age = (x: KubeObject, now: number): string => since(x.metadata.creationTimestamp, now);

/** labels.FormatLabels: "k=v,k2=v2" sorted by key, or <none>. */
export function formatLabels(labels: unknown): string {
  const m = o(labels);
  const keys = Object.keys(m).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${str(m[k])}`).join(',');
}

/** A metav1.LabelSelector as labels.Selector.String() writes it: requirements sorted by key. */
function selectorString(sel: unknown): string {
  const s = o(sel);
  const reqs: [string, string][] = Object.entries(o(s.matchLabels)).map(([k, v]) => [k, `${k}=${str(v)}`]);
  for (const e of arr(s.matchExpressions)) {
    const key = str(e.key);
    const values = (Array.isArray(e.values) ? (e.values as unknown[]).map(str) : []).sort().join(',');
    const text = { In: `${key} in (${values})`, NotIn: `${key} notin (${values})`, Exists: key, DoesNotExist: `!${key}` }[str(e.operator)];
    if (text !== undefined) reqs.push([key, text]);
  }
  return reqs
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, t]) => t)
    .join(',');
}

/** metav1.FormatLabelSelector: the selector's string, <none> when it selects on nothing. */
function formatSelector(sel: unknown): string {
  if (sel === undefined || sel === null) return '<none>';
  return selectorString(sel) || '<none>';
}

function containerCells(podSpec: unknown): { names: string; images: string } {
  const cs = arr(o(podSpec).containers);
  return { names: cs.map((c) => str(c.name)).join(','), images: cs.map((c) => str(c.image)).join(',') };
}

/** An IntOrString as Go prints it: 1, "50%". */
const intOrString = (v: unknown): string => (v === undefined || v === null ? 'N/A' : str(v));

/** "host:port,… + N more...", the first three endpoints, as kubectl lists them. */
function listWithMore(list: string[], count: number, empty: string): string {
  if (count > 3) return `${list.slice(0, 3).join(',')} + ${count - 3} more...`;
  return list.length === 0 ? empty : list.join(',');
}

function endpointsCell(x: KubeObject): string {
  const subsets = arr(x.subsets);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addrs = arr(ss.addresses);
    const ports = arr(ss.ports);
    if (ports.length === 0) {
      count += addrs.length;
      list.push(...addrs.map((a) => str(a.ip)));
      continue;
    }
    for (const p of ports) {
      count += addrs.length;
      list.push(...addrs.map((a) => `${str(a.ip).includes(':') ? `[${str(a.ip)}]` : str(a.ip)}:${num(p.port)}`));
    }
  }
  return listWithMore(list, count, '');
}

/** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order. */
export function accessModes(modes: unknown): string {
  const have = Array.isArray(modes) ? (modes as unknown[]) : [];
  const short: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return short
    .filter(([m]) => have.includes(m))
    .map(([, s]) => s)
    .join(',');
}

// ---------------------------------------------------------------------------------------------
// Columns per kind (pkg/printers/internalversion/printers.go); `wide` columns appear with -o wide,
// in their place among the others.

export interface Column {
  readonly name: string;
  readonly wide?: boolean;
  readonly cell: (x: KubeObject, now: number) => string;
}

const col = (name: string, cell: Column['cell']): Column => ({ name, cell });
const wide = (name: string, cell: Column['cell']): Column => ({ name, cell, wide: true });
const NAME = col('NAME', (x) => str(x.metadata.name));
const AGE = col('AGE', age);
const spec = (x: KubeObject): Obj => o(x.spec);
const status = (x: KubeObject): Obj => o(x.status);
const template = (x: KubeObject): Obj => o(o(spec(x).template).spec);
const CONTAINERS = wide('CONTAINERS', (x) => containerCells(template(x)).names);
const IMAGES = wide('IMAGES', (x) => containerCells(template(x)).images);
const SELECTOR = wide('SELECTOR', (x) => formatSelector(spec(x).selector));

/** printPod: the STATUS column is the phase, overridden by the reason a container reports. */
export function podCells(x: KubeObject, now: number): { ready: string; reason: string; restarts: string } {
  const st = status(x);
  const phase = str(st.phase);
  let reason = str(st.reason) || phase || 'Pending';
  let ready = 0;
  let restarts = 0;
  let lastRestart: number | undefined;
  const initStatuses = arr(st.initContainerStatuses);
  const noteRestart = (c: Obj): void => {
    restarts += num(c.restartCount);
    const finished = parseRfc3339(str(o(o(c.lastState).terminated).finishedAt));
    if (finished !== undefined && (lastRestart === undefined || finished > lastRestart)) lastRestart = finished;
  };
  let initializing = false;
  for (const [i, c] of initStatuses.entries()) {
    noteRestart(c);
    const state = o(c.state);
    const term = o(state.terminated);
    const waiting = o(state.waiting);
    if (state.terminated !== undefined && num(term.exitCode) === 0) continue;
    if (state.terminated !== undefined) reason = term.reason ? `Init:${str(term.reason)}` : term.signal ? `Init:Signal:${num(term.signal)}` : `Init:ExitCode:${num(term.exitCode)}`;
    else if (waiting.reason && waiting.reason !== 'PodInitializing') reason = `Init:${str(waiting.reason)}`;
    else reason = `Init:${i}/${arr(spec(x).initContainers).length}`;
    initializing = true;
    break;
  }
  if (!initializing) {
    restarts = 0;
    lastRestart = undefined;
    let running = false;
    for (const c of [...arr(st.containerStatuses)].reverse()) {
      noteRestart(c);
      const state = o(c.state);
      const term = o(state.terminated);
      const waiting = o(state.waiting);
      if (waiting.reason) reason = str(waiting.reason);
      else if (state.terminated !== undefined && term.reason) reason = str(term.reason);
      else if (state.terminated !== undefined) reason = term.signal ? `Signal:${num(term.signal)}` : `ExitCode:${num(term.exitCode)}`;
      else if (c.ready === true && state.running !== undefined) {
        running = true;
        ready++;
      }
    }
    if (reason === 'Completed' && running) {
      const readyCond = arr(st.conditions).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = readyCond ? 'Running' : 'NotReady';
    }
  }
  if (x.metadata.deletionTimestamp !== undefined && st.reason === 'NodeLost') reason = 'Unknown';
  else if (x.metadata.deletionTimestamp !== undefined && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  const total = arr(spec(x).containers).length;
  const restartText = restarts !== 0 && lastRestart !== undefined ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, reason, restarts: restartText };
}

const POD: Column[] = [
  NAME,
  col('READY', (x, now) => podCells(x, now).ready),
  col('STATUS', (x, now) => podCells(x, now).reason),
  col('RESTARTS', (x, now) => podCells(x, now).restarts),
  AGE,
  wide('IP', (x) => none(arr(status(x).podIPs)[0]?.ip ?? status(x).podIP)),
  wide('NODE', (x) => none(spec(x).nodeName)),
  wide('NOMINATED NODE', (x) => none(status(x).nominatedNodeName)),
  wide('READINESS GATES', (x) => {
    const gates = arr(spec(x).readinessGates);
    if (gates.length === 0) return '<none>';
    const conds = arr(status(x).conditions);
    const ok = gates.filter((g) => conds.find((c) => c.type === g.conditionType)?.status === 'True').length;
    return `${ok}/${gates.length}`;
  }),
];

function serviceExternalIp(x: KubeObject): string {
  const s = spec(x);
  const external = Array.isArray(s.externalIPs) ? (s.externalIPs as unknown[]).map(str) : [];
  switch (str(s.type) || 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = [...new Set(arr(o(status(x).loadBalancer).ingress).map((i) => str(i.ip) || str(i.hostname)).filter((v) => v !== ''))].sort().join(',');
      const lb = ingress.length > 16 ? `${ingress.slice(0, 13)}...` : ingress;
      if (external.length > 0) return [...(lb === '' ? [] : lb.split(',')), ...external].join(',');
      return lb === '' ? '<pending>' : lb;
    }
    case 'ExternalName':
      return str(s.externalName);
    default:
      return '<unknown>';
  }
}

function eventTimes(x: KubeObject, now: number): { first: string; last: string; count: number } {
  const first = x.firstTimestamp ? since(x.firstTimestamp, now) : since(x.eventTime, now);
  let last = x.lastTimestamp ? since(x.lastTimestamp, now) : first;
  let count = num(x.count);
  const series = o(x.series);
  if (x.series !== undefined && x.series !== null) {
    last = since(series.lastObservedTime, now);
    count = num(series.count);
  } else if (count === 0) count = 1;
  return { first, last, count };
}

function hpaTargets(x: KubeObject): string {
  const metrics = arr(spec(x).metrics);
  if (metrics.length === 0) return '<none>';
  const current = arr(status(x).currentMetrics);
  const list = metrics.map((m, i) => {
    const cur = o(current[i]);
    const source = (key: string): { target: Obj; current: Obj } => ({ target: o(o(m[key]).target), current: o(o(cur[key]).current) });
    switch (str(m.type)) {
      case 'Resource':
      case 'ContainerResource': {
        const key = m.type === 'Resource' ? 'resource' : 'containerResource';
        const { target, current: now } = source(key);
        const name = str(o(m[key]).name);
        if (target.averageValue !== undefined) return `${name}: ${cur[key] ? str(now.averageValue) : '<unknown>'}/${str(target.averageValue)}`;
        const have = cur[key] && now.averageUtilization !== undefined ? `${num(now.averageUtilization)}%` : '<unknown>';
        return `${name}: ${have}/${target.averageUtilization === undefined ? '<auto>' : `${num(target.averageUtilization)}%`}`;
      }
      case 'Pods': {
        const { target, current: now } = source('pods');
        return `${cur.pods ? str(now.averageValue) : '<unknown>'}/${str(target.averageValue)}`;
      }
      case 'Object':
      case 'External': {
        const key = m.type === 'Object' ? 'object' : 'external';
        const { target, current: now } = source(key);
        if (target.averageValue !== undefined) return `${cur[key] && now.averageValue !== undefined ? str(now.averageValue) : '<unknown>'}/${str(target.averageValue)} (avg)`;
        return `${cur[key] ? str(now.value) : '<unknown>'}/${str(target.value)}`;
      }
      default:
        return '<unknown type>';
    }
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

function jobCells(x: KubeObject, now: number): { status: string; completions: string; duration: string } {
  const s = spec(x);
  const st = status(x);
  const succeeded = num(st.succeeded);
  const parallelism = num(s.parallelism);
  const completions = s.completions !== undefined && s.completions !== null ? `${succeeded}/${num(s.completions)}` : parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
  const start = parseRfc3339(str(st.startTime));
  const end = parseRfc3339(str(st.completionTime));
  const duration = start === undefined ? '' : humanDuration((end ?? now) - start);
  const cond = (type: string): boolean => arr(st.conditions).find((c) => c.type === type)?.status === 'True';
  const state = cond('Complete')
    ? 'Complete'
    : cond('Failed')
      ? 'Failed'
      : x.metadata.deletionTimestamp !== undefined
        ? 'Terminating'
        : cond('Suspended')
          ? 'Suspended'
          : cond('FailureTarget')
            ? 'FailureTarget'
            : 'Running';
  return { status: state, completions, duration };
}

function nodeStatus(x: KubeObject): string {
  const ready = arr(status(x).conditions).find((c) => c.type === 'Ready');
  const parts = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (spec(x).unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(x: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(x.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return [...roles].sort().join(',') || '<none>';
}

const nodeAddress = (x: KubeObject, type: string): string => none(arr(status(x).addresses).find((a) => a.type === type)?.address);
const nodeInfo = (x: KubeObject, key: string): string => str(o(status(x).nodeInfo)[key]) || '<unknown>';

const COLUMNS: Record<string, readonly Column[]> = {
  Pod: POD,
  Deployment: [
    NAME,
    col('READY', (x) => `${num(status(x).readyReplicas)}/${num(spec(x).replicas)}`),
    col('UP-TO-DATE', (x) => String(num(status(x).updatedReplicas))),
    col('AVAILABLE', (x) => String(num(status(x).availableReplicas))),
    AGE,
    CONTAINERS,
    IMAGES,
    // The deployment printer writes the selector's string as is: empty, not <none>.
    wide('SELECTOR', (x) => selectorString(spec(x).selector)),
  ],
  ReplicaSet: [
    NAME,
    col('DESIRED', (x) => String(num(spec(x).replicas))),
    col('CURRENT', (x) => String(num(status(x).replicas))),
    col('READY', (x) => String(num(status(x).readyReplicas))),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  DaemonSet: [
    NAME,
    col('DESIRED', (x) => String(num(status(x).desiredNumberScheduled))),
    col('CURRENT', (x) => String(num(status(x).currentNumberScheduled))),
    col('READY', (x) => String(num(status(x).numberReady))),
    col('UP-TO-DATE', (x) => String(num(status(x).updatedNumberScheduled))),
    col('AVAILABLE', (x) => String(num(status(x).numberAvailable))),
    col('NODE SELECTOR', (x) => formatLabels(template(x).nodeSelector)),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  StatefulSet: [NAME, col('READY', (x) => `${num(status(x).readyReplicas)}/${num(spec(x).replicas)}`), AGE, CONTAINERS, IMAGES],
  Job: [
    NAME,
    col('STATUS', (x, now) => jobCells(x, now).status),
    col('COMPLETIONS', (x, now) => jobCells(x, now).completions),
    col('DURATION', (x, now) => jobCells(x, now).duration),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  Service: [
    NAME,
    col('TYPE', (x) => str(spec(x).type)),
    col('CLUSTER-IP', (x) => (Array.isArray(spec(x).clusterIPs) && (spec(x).clusterIPs as unknown[]).length > 0 ? str((spec(x).clusterIPs as unknown[])[0]) : '<none>')),
    col('EXTERNAL-IP', serviceExternalIp),
    col('PORT(S)', (x) => arr(spec(x).ports).map((p) => `${num(p.port)}${num(p.nodePort) > 0 ? `:${num(p.nodePort)}` : ''}/${str(p.protocol)}`).join(',') || '<none>'),
    AGE,
    wide('SELECTOR', (x) => formatLabels(spec(x).selector)),
  ],
  Endpoints: [NAME, col('ENDPOINTS', endpointsCell), AGE],
  EndpointSlice: [
    NAME,
    col('ADDRESSTYPE', (x) => str(x.addressType)),
    col('PORTS', (x) => {
      const ports = arr(x.ports);
      return listWithMore(ports.map((p) => (p.port !== undefined && p.port !== null ? String(num(p.port)) : p.name !== undefined ? str(p.name) : '*')), ports.length, '<unset>');
    }),
    col('ENDPOINTS', (x) => {
      const addrs = arr(x.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? (e.addresses as unknown[]).map(str) : []));
      return listWithMore(addrs, addrs.length, '<unset>');
    }),
    AGE,
  ],
  ConfigMap: [NAME, col('DATA', (x) => String(Object.keys(o(x.data)).length + Object.keys(o(x.binaryData)).length)), AGE],
  Secret: [NAME, col('TYPE', (x) => str(x.type)), col('DATA', (x) => String(Object.keys(o(x.data)).length)), AGE],
  Namespace: [NAME, col('STATUS', (x) => str(status(x).phase)), AGE],
  Node: [
    NAME,
    col('STATUS', nodeStatus),
    col('ROLES', nodeRoles),
    AGE,
    col('VERSION', (x) => str(o(status(x).nodeInfo).kubeletVersion)),
    wide('INTERNAL-IP', (x) => nodeAddress(x, 'InternalIP')),
    wide('EXTERNAL-IP', (x) => nodeAddress(x, 'ExternalIP')),
    wide('OS-IMAGE', (x) => nodeInfo(x, 'osImage')),
    wide('KERNEL-VERSION', (x) => nodeInfo(x, 'kernelVersion')),
    wide('CONTAINER-RUNTIME', (x) => nodeInfo(x, 'containerRuntimeVersion')),
  ],
  Event: [
    col('LAST SEEN', (x, now) => eventTimes(x, now).last),
    col('TYPE', (x) => str(x.type)),
    col('REASON', (x) => str(x.reason)),
    col('OBJECT', (x) => {
      const io = o(x.involvedObject);
      return io.name ? `${str(io.kind).toLowerCase()}/${str(io.name)}` : str(io.kind).toLowerCase();
    }),
    wide('SUBOBJECT', (x) => str(o(x.involvedObject).fieldPath)),
    wide('SOURCE', (x) => {
      const src = o(x.source);
      const component = str(src.component) || str(x.reportingComponent);
      const host = str(src.host) || str(x.reportingInstance);
      return host === '' ? component : `${component}, ${host}`;
    }),
    col('MESSAGE', (x) => oneLine(str(x.message).trim())),
    wide('FIRST SEEN', (x, now) => eventTimes(x, now).first),
    wide('COUNT', (x, now) => String(eventTimes(x, now).count)),
    wide('NAME', (x) => str(x.metadata.name)),
  ],
  PersistentVolumeClaim: [
    NAME,
    col('STATUS', (x) => (x.metadata.deletionTimestamp !== undefined ? 'Terminating' : str(status(x).phase))),
    col('VOLUME', (x) => str(spec(x).volumeName)),
    col('CAPACITY', (x) => (spec(x).volumeName ? str(o(status(x).capacity).storage) : '')),
    col('ACCESS MODES', (x) => (spec(x).volumeName ? accessModes(status(x).accessModes) : '')),
    col('STORAGECLASS', (x) => x.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? str(spec(x).storageClassName)),
    col('VOLUMEATTRIBUTESCLASS', (x) => str(spec(x).volumeAttributesClassName) || '<unset>'),
    AGE,
    wide('VOLUMEMODE', (x) => str(spec(x).volumeMode) || '<unset>'),
  ],
  PersistentVolume: [
    NAME,
    col('CAPACITY', (x) => str(o(spec(x).capacity).storage)),
    col('ACCESS MODES', (x) => accessModes(spec(x).accessModes)),
    col('RECLAIM POLICY', (x) => str(spec(x).persistentVolumeReclaimPolicy)),
    col('STATUS', (x) => (x.metadata.deletionTimestamp !== undefined ? 'Terminating' : str(status(x).phase))),
    col('CLAIM', (x) => (spec(x).claimRef ? `${str(o(spec(x).claimRef).namespace)}/${str(o(spec(x).claimRef).name)}` : '')),
    col('STORAGECLASS', (x) => x.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? str(spec(x).storageClassName)),
    col('VOLUMEATTRIBUTESCLASS', (x) => str(spec(x).volumeAttributesClassName) || '<unset>'),
    col('REASON', (x) => str(status(x).reason)),
    AGE,
    wide('VOLUMEMODE', (x) => str(spec(x).volumeMode) || '<unset>'),
  ],
  HorizontalPodAutoscaler: [
    NAME,
    col('REFERENCE', (x) => `${str(o(spec(x).scaleTargetRef).kind)}/${str(o(spec(x).scaleTargetRef).name)}`),
    col('TARGETS', hpaTargets),
    col('MINPODS', (x) => (spec(x).minReplicas === undefined ? '<unset>' : String(num(spec(x).minReplicas)))),
    col('MAXPODS', (x) => String(num(spec(x).maxReplicas))),
    col('REPLICAS', (x) => String(num(status(x).currentReplicas))),
    AGE,
  ],
  Lease: [NAME, col('HOLDER', (x) => str(spec(x).holderIdentity)), AGE],
  NetworkPolicy: [NAME, col('POD-SELECTOR', (x) => formatSelector(spec(x).podSelector ?? {})), AGE],
  RuntimeClass: [NAME, col('HANDLER', (x) => str(x.handler)), AGE],
  PodDisruptionBudget: [
    NAME,
    col('MIN AVAILABLE', (x) => intOrString(spec(x).minAvailable)),
    col('MAX UNAVAILABLE', (x) => intOrString(spec(x).maxUnavailable)),
    col('ALLOWED DISRUPTIONS', (x) => String(num(status(x).disruptionsAllowed))),
    AGE,
  ],
  StorageClass: [
    col('NAME', (x) => {
      const a = x.metadata.annotations ?? {};
      const isDefault = a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
      return `${str(x.metadata.name)}${isDefault ? ' (default)' : ''}`;
    }),
    col('PROVISIONER', (x) => str(x.provisioner)),
    col('RECLAIMPOLICY', (x) => str(x.reclaimPolicy) || 'Delete'),
    col('VOLUMEBINDINGMODE', (x) => str(x.volumeBindingMode) || 'Immediate'),
    col('ALLOWVOLUMEEXPANSION', (x) => String(x.allowVolumeExpansion === true)),
    AGE,
  ],
};

/** A cell ends at its first line break, marked "...", as kubectl's table printer cuts it. */
function oneLine(text: string): string {
  const at = text.search(/[\f\n\r]/);
  return at < 0 ? text : `${text.slice(0, at)}...`;
}

/** The columns `kubectl get` prints for a kind (the server's table in real clusters); NAME and AGE for the rest. */
export function columnsFor(t: ResourceType): readonly Column[] {
  return COLUMNS[t.kind] ?? [NAME, AGE];
}

export interface TableOptions {
  readonly wide: boolean;
  /** -A on a namespaced kind: a NAMESPACE column first. */
  readonly withNamespace: boolean;
  /** Several kinds in one command: names written "deployment.apps/web". */
  readonly withKind: boolean;
  /** --show-labels: a LABELS column last. */
  readonly showLabels: boolean;
  readonly noHeaders: boolean;
  readonly now: number;
}

/**
 * One kind's objects as a table, with kubectl's decorations; '' for no objects (kubectl prints no
 * header over an empty table).
 */
export function printTable(t: ResourceType, objects: readonly KubeObject[], opts: TableOptions): string {
  if (objects.length === 0) return '';
  const cols = columnsFor(t).filter((c) => opts.wide || !c.wide);
  const nameAt = cols.findIndex((c) => c.name === 'NAME');
  const head = [...(opts.withNamespace ? ['NAMESPACE'] : []), ...cols.map((c) => c.name), ...(opts.showLabels ? ['LABELS'] : [])];
  const rows = objects.map((x) => {
    const cells = cols.map((c, i) => (i === nameAt && opts.withKind ? `${kindRef(t)}/${c.cell(x, opts.now)}` : c.cell(x, opts.now)));
    return [...(opts.withNamespace ? [str(x.metadata.namespace)] : []), ...cells, ...(opts.showLabels ? [formatLabels(x.metadata.labels)] : [])];
  });
  return tabular(opts.noHeaders ? rows : [head, ...rows]);
}

// ---------------------------------------------------------------------------------------------
// -o name | yaml | json | jsonpath

/** The resource type of an object the API returned (or a generator built). */
function typeOf(x: KubeObject): ResourceType | undefined {
  const t = resourceForKind(x.apiVersion, x.kind);
  return 'error' in t ? undefined : t;
}

/** kubectl's List wrapper around several objects (get -o yaml|json with more than one). */
export function asList(objects: readonly KubeObject[]): Obj {
  return { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };
}

/**
 * An object or a List printed as -o name, yaml, json or jsonpath=… prints it. JSON and YAML come
 * out with sorted keys, as kubectl prints the unstructured objects it reads; YAML quotes strings
 * YAML 1.1 would read as something else (timestamps, numbers, yes/no).
 */
export function printData(output: string, data: unknown): string {
  if (output.startsWith('jsonpath=')) return evaluateJsonPath(output.slice('jsonpath='.length), data);
  if (output === 'name') {
    const d = o(data);
    const items = Array.isArray(d.items) && str(d.kind).endsWith('List') ? (d.items as KubeObject[]) : [data as KubeObject];
    return items
      .map((x) => {
        const t = typeOf(x);
        return `${t ? kindRef(t) : x.kind.toLowerCase()}/${str(x.metadata.name)}\n`;
      })
      .join('');
  }
  const value = sortKeys(data);
  return output === 'json' ? `${JSON.stringify(value, null, 4)}\n` : stringify(value, { version: '1.1', indentSeq: false });
}

/** printData, with a JSONPath kubectl cannot read turned into kubectl's error. */
export function tryPrintData(output: string, data: unknown): { stdout: string } | { error: string } {
  try {
    return { stdout: printData(output, data) };
  } catch (err) {
    if (!(err instanceof JsonPathError)) throw err;
    return { error: `error: error parsing jsonpath ${output.slice('jsonpath='.length)}, ${err.message}` };
  }
}

export interface PrintOptions {
  readonly output: string | undefined;
  readonly allNamespaces: boolean;
  readonly now: number;
}

/** Objects as `kubectl get` of one kind prints them: table (default or wide), name, yaml, json or jsonpath. */
export function printObjects(t: ResourceType, objects: readonly KubeObject[], list: boolean, opts: PrintOptions): string {
  const out = opts.output ?? '';
  if (out !== '' && out !== 'wide') return printData(out, list ? asList(objects) : objects[0]);
  return printTable(t, objects, { wide: out === 'wide', withNamespace: opts.allNamespaces, withKind: false, showLabels: false, noHeaders: false, now: opts.now });
}

export const OUTPUT_FORMATS = ['', 'wide', 'name', 'yaml', 'json'];

/** Whether `-o` names a format kubectl get can print. */
export function isOutputFormat(out: string | undefined): boolean {
  return OUTPUT_FORMATS.includes(out ?? '') || (out ?? '').startsWith('jsonpath=');
}

/** The error kubectl gives for an -o it cannot print. */
export function outputFormatError(out: string): string {
  return `error: unable to match a printer suitable for the output format "${out}", allowed formats are: json,jsonpath,name,wide,yaml`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.keys(v as Obj)
      .sort()
      .map((k) => [k, sortKeys((v as Obj)[k])]),
  );
}
