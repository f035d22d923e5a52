/** `kubectl describe node`: describeNode with its lease, pods table and allocated resources. */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { podResources } from './containers';
import { type DescribeWriter, type Obj, byteOrder, isSet, list, meta, obj, rfc1123z, since, spec as specOf, status as statusOf, str, strMap, strings, writeAnnotations, writeLabels, writeTaints } from './format';
import { type Qty, ZERO, addQty, formatQty, parseQty, qtyMilli, qtyValue } from './quantity';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** Roles from node-role.kubernetes.io/<role> labels and the older kubernetes.io/role=<role>. */
function roles(node: KubeObject): string {
  const found = new Set<string>();
  for (const [k, v] of Object.entries(strMap(meta(node).labels))) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) found.add(k.slice(ROLE_PREFIX.length));
    else if (k === 'kubernetes.io/role' && v !== '') found.add(v);
  }
  return found.size === 0 ? '<none>' : [...found].sort(byteOrder).join(',');
}

/** The pods the node runs, as the field selector spec.nodeName=<node>,status.phase!=Succeeded,status.phase!=Failed finds them, in the API's order. */
export function nonTerminatedPods(node: KubeObject, pods: readonly KubeObject[]): KubeObject[] {
  const name = str(node.metadata.name);
  const key = (p: KubeObject): string => `${str(p.metadata.namespace)}/${str(p.metadata.name)}`;
  return pods
    .filter((p) => str(specOf(p).nodeName) === name && !['Succeeded', 'Failed'].includes(str(statusOf(p).phase)))
    .sort((a, b) => byteOrder(key(a), key(b)));
}

export function describeNode(w: DescribeWriter, node: KubeObject, pods: readonly KubeObject[], lease: KubeObject | null | undefined, now: number): void {
  const md = meta(node);
  const spec = specOf(node);
  const st = statusOf(node);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Roles:\t${roles(node)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(md.creationTimestamp)}\n`);
  writeTaints(w, 'Taints', spec.taints);
  w.write(0, `Unschedulable:\t${spec.unschedulable === true}\n`);
  if (lease !== undefined) writeLease(w, node, lease);
  writeConditions(w, list(st.conditions));
  w.write(0, 'Addresses:\n');
  for (const a of list(st.addresses)) w.write(1, `${str(a.type)}:\t${str(a.address)}\n`);
  for (const [title, field] of [
    ['Capacity', 'capacity'],
    ['Allocatable', 'allocatable'],
  ] as const) {
    const values = obj(st[field]);
    const names = Object.keys(values).sort(byteOrder);
    if (names.length === 0) continue;
    w.write(0, `${title}:\n`);
    for (const name of names) w.write(0, `  ${name}:\t${formatQty(parseQty(values[name]))}\n`);
  }
  writeSystemInfo(w, obj(st.nodeInfo));
  if (str(spec.podCIDR)) w.write(0, `PodCIDR:\t${str(spec.podCIDR)}\n`);
  if (strings(spec.podCIDRs).length > 0) w.write(0, `PodCIDRs:\t${strings(spec.podCIDRs).join(',')}\n`);
  if (str(spec.providerID)) w.write(0, `ProviderID:\t${str(spec.providerID)}\n`);
  writeNodeResources(w, node, nonTerminatedPods(node, pods), now);
}

/** The node's Lease in kube-node-lease; kubectl prints the error when it cannot get one. */
function writeLease(w: DescribeWriter, node: KubeObject, lease: KubeObject | null): void {
  if (lease === null) {
    w.write(0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${str(node.metadata.name)}" not found\n`);
    return;
  }
  const spec = specOf(lease);
  w.write(0, 'Lease:\n');
  w.write(1, `HolderIdentity:\t${str(spec.holderIdentity) || '<unset>'}\n`);
  w.write(1, `AcquireTime:\t${!isSet(spec.acquireTime) ? '<unset>' : rfc1123z(spec.acquireTime)}\n`);
  w.write(1, `RenewTime:\t${!isSet(spec.renewTime) ? '<unset>' : rfc1123z(spec.renewTime)}\n`);
}

function writeConditions(w: DescribeWriter, conditions: readonly Obj[]): void {
  if (conditions.length === 0) return;
  w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
  w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
  for (const c of conditions) {
    w.write(1, `${str(c.type)} \t${str(c.status)} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${str(c.reason)} \t${str(c.message)}\n`);
  }
}

function writeSystemInfo(w: DescribeWriter, info: Obj): void {
  w.write(0, 'System Info:\n');
  const rows: [string, string][] = [
    ['Machine ID', 'machineID'],
    ['System UUID', 'systemUUID'],
    ['Boot ID', 'bootID'],
    ['Kernel Version', 'kernelVersion'],
    ['OS Image', 'osImage'],
    ['Operating System', 'operatingSystem'],
    ['Architecture', 'architecture'],
    ['Container Runtime Version', 'containerRuntimeVersion'],
    ['Kubelet Version', 'kubeletVersion'],
    ['Kube-Proxy Version', 'kubeProxyVersion'],
  ];
  for (const [title, field] of rows) w.write(0, `  ${title}:\t${str(info[field])}\n`);
}

/** int64(a / b * 100) as Go computes it; Go turns a division by zero into the smallest int64. */
function percent(a: number, b: number): string {
  const f = (a / b) * 100;
  return Number.isFinite(f) ? String(Math.trunc(f)) : '-9223372036854775808';
}

function writeNodeResources(w: DescribeWriter, node: KubeObject, pods: readonly KubeObject[], now: number): void {
  const st = statusOf(node);
  const allocatable = Object.keys(obj(st.allocatable)).length > 0 ? obj(st.allocatable) : obj(st.capacity);
  const alloc = (name: string): Qty => parseQty(allocatable[name]);
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const cell = (q: Qty, of: Qty, milli: boolean): string => `${formatQty(q)} (${milli ? percent(qtyMilli(q), qtyMilli(of)) : percent(qtyValue(q), qtyValue(of))}%)`;
  const totals = { requests: new Map<string, Qty>(), limits: new Map<string, Qty>() };
  for (const pod of pods) {
    const req = podResources(pod, 'requests');
    const lim = podResources(pod, 'limits');
    mergeInto(totals.requests, req);
    mergeInto(totals.limits, lim);
    const get = (l: Map<string, Qty>, name: string): Qty => l.get(name) ?? ZERO;
    w.write(
      1,
      `${str(pod.metadata.namespace)}\t${str(pod.metadata.name)}\t\t${cell(get(req, 'cpu'), alloc('cpu'), true)}\t${cell(get(lim, 'cpu'), alloc('cpu'), true)}\t` +
        `${cell(get(req, 'memory'), alloc('memory'), false)}\t${cell(get(lim, 'memory'), alloc('memory'), false)}\t${since(pod.metadata.creationTimestamp, now)}\n`,
    );
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  // Totals against a zero allocatable print 0%, unlike the per-pod rows.
  const total = (name: string, milli: boolean): string => {
    const of = alloc(name);
    const zero = (milli ? qtyMilli(of) : qtyValue(of)) === 0;
    const part = (q: Qty): string => (zero ? `${formatQty(q)} (0%)` : cell(q, of, milli));
    return `${name}\t${part(totals.requests.get(name) ?? ZERO)}\t${part(totals.limits.get(name) ?? ZERO)}\n`;
  };
  w.write(1, total('cpu', true));
  w.write(1, total('memory', false));
  w.write(1, total('ephemeral-storage', false));
  const names = Object.keys(allocatable).sort(byteOrder);
  for (const name of names.filter((n) => n.startsWith('hugepages-'))) w.write(1, total(name, false));
  const standard = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);
  for (const name of names.filter((n) => !n.startsWith('hugepages-') && !standard.has(n))) {
    w.write(1, `${name}\t${formatQty(totals.requests.get(name) ?? ZERO)}\t${formatQty(totals.limits.get(name) ?? ZERO)}\n`);
  }
}

function mergeInto(into: Map<string, Qty>, values: Map<string, Qty>): void {
  for (const [name, q] of values) {
    const prev = into.get(name);
    into.set(name, prev === undefined ? q : addQty(prev, q));
  }
}
