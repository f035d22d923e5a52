/**
 * What kube-controller-manager's EndpointSlice and Endpoints controllers (v1.31) make of a
 * Service and the pods its selector picks: pkg/controller/endpointslice with
 * staging/src/k8s.io/endpointslice (reconciler, utils) and pkg/controller/endpoint.
 * Pure functions over plain objects; the controllers feed them their informer caches.
 */
import type { KubeObject } from '../apiserver/apiObjects';
import { parseRfc3339, rfc3339 } from '../virtualTime';
import { isPodReady, jsonCopy } from './podUtil';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** --max-endpoints-per-slice's default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

interface ServicePort {
  name?: string;
  port?: number;
  protocol?: string;
  targetPort?: number | string;
  appProtocol?: string;
}

interface ServiceSpec {
  selector?: Record<string, string>;
  clusterIP?: string;
  ports?: ServicePort[];
  publishNotReadyAddresses?: boolean;
}

interface ContainerPort {
  name?: string;
  containerPort?: number;
  protocol?: string;
}

interface PodSpec {
  nodeName?: string;
  hostname?: string;
  subdomain?: string;
  containers?: { ports?: ContainerPort[] }[];
}

/** A port as both APIs list it (EndpointPort / discovery EndpointPort). */
export interface EndpointPort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export const serviceSpec = (s: KubeObject): ServiceSpec => (s.spec ?? {}) as ServiceSpec;
const podSpec = (p: KubeObject): PodSpec => (p.spec ?? {}) as PodSpec;
const podIP = (p: KubeObject): string => ((p.status ?? {}) as { podIP?: string }).podIP ?? '';

/** A Service the controllers manage: one with a selector (an empty selector is no selector). */
export function hasSelector(svc: KubeObject): boolean {
  return Object.keys(serviceSpec(svc).selector ?? {}).length > 0;
}

export function isHeadless(svc: KubeObject): boolean {
  return serviceSpec(svc).clusterIP === 'None';
}

/** The pods a Service selects: same namespace, every selector label equal. */
export function selectedBy(svc: KubeObject, pod: KubeObject): boolean {
  const sel = serviceSpec(svc).selector ?? {};
  if (Object.keys(sel).length === 0 || pod.metadata.namespace !== svc.metadata.namespace) return false;
  const labels = pod.metadata.labels ?? {};
  return Object.entries(sel).every(([k, v]) => labels[k] === v);
}

/** ShouldPodBeInEndpoints: not Succeeded or Failed, has an IP, and (unless asked) not terminating. */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  const phase = ((pod.status ?? {}) as { phase?: string }).phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (podIP(pod) === '') return false;
  return includeTerminating || pod.metadata.deletionTimestamp === undefined;
}

/** podutil.FindPort: a numeric targetPort as is, a named one looked up in the pod's container ports. */
export function findPort(pod: KubeObject, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (target === undefined) return undefined;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of podSpec(pod).containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return p.containerPort;
  }
  return undefined;
}

/** The pod's ports for the Service, one per service port the pod resolves (the others are skipped, as the controllers skip them). */
export function endpointPorts(svc: KubeObject, pod: KubeObject): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of serviceSpec(svc).ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol === undefined ? {} : { appProtocol: sp.appProtocol }) });
  }
  return out;
}

const portsKey = (ports: readonly EndpointPort[]): string => JSON.stringify(ports);

/** A pod's DNS hostname in the Service: only when the pod names the Service as its subdomain (StatefulSets do). */
function hostnameFor(svc: KubeObject, pod: KubeObject): string | undefined {
  const s = podSpec(pod);
  return s.hostname && s.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace ? s.hostname : undefined;
}

const targetRef = (pod: KubeObject) => ({ kind: 'Pod', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' });

/** The labels both controllers give their objects: the Service's, plus the headless marker. */
export function inheritedLabels(svc: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  return labels;
}

// ==================================================================== EndpointSlices

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  targetRef: { kind: string; namespace: string; name: string; uid: string };
  nodeName?: string;
  zone?: string;
}

/** One endpoint of a slice, as podToEndpoint builds it; zone from the pod's node. */
export function sliceEndpoint(svc: KubeObject, pod: KubeObject, node: KubeObject | undefined): SliceEndpoint {
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const serving = isPodReady(pod);
  const ready = serviceSpec(svc).publishNotReadyAddresses === true || (serving && !terminating);
  const hostname = hostnameFor(svc, pod);
  const nodeName = podSpec(pod).nodeName;
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  return {
    addresses: [podIP(pod)],
    conditions: { ready, serving, terminating },
    ...(hostname === undefined ? {} : { hostname }),
    targetRef: targetRef(pod),
    ...(nodeName ? { nodeName } : {}),
    ...(zone === undefined ? {} : { zone }),
  };
}

export interface DesiredEndpoints {
  /** Endpoints grouped by the ports they resolve to (a slice holds one port set). */
  readonly groups: Map<string, { ports: EndpointPort[]; endpoints: SliceEndpoint[] }>;
  /** Pods skipped because their node is not known yet (the sync is retried). */
  readonly missingNodes: boolean;
}

/** The endpoints a Service should have: its pods with an IP, terminating ones included, by pod name. */
export function desiredSliceEndpoints(svc: KubeObject, pods: readonly KubeObject[], nodes: (name: string) => KubeObject | undefined): DesiredEndpoints {
  const groups = new Map<string, { ports: EndpointPort[]; endpoints: SliceEndpoint[] }>();
  let missingNodes = false;
  const chosen = pods.filter((p) => selectedBy(svc, p) && shouldPodBeInEndpoints(p, true));
  for (const pod of [...chosen].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const node = nodes(podSpec(pod).nodeName ?? '');
    if (node === undefined) {
      missingNodes = true;
      continue;
    }
    const ports = endpointPorts(svc, pod);
    const key = portsKey(ports);
    const g = groups.get(key) ?? { ports, endpoints: [] };
    g.endpoints.push(sliceEndpoint(svc, pod, node));
    groups.set(key, g);
  }
  return { groups, missingNodes };
}

interface SliceShape {
  endpoints?: SliceEndpoint[] | null;
  ports?: EndpointPort[] | null;
}

const endpointKey = (e: SliceEndpoint): string => `${e.targetRef.namespace}/${e.targetRef.name}/${e.addresses.join(',')}`;

/** The writes that bring a Service's slices to the desired endpoints. */
export interface SlicePlan {
  readonly create: KubeObject[];
  readonly update: KubeObject[];
  readonly remove: KubeObject[];
}

/** The labels, owner and type a slice of this Service must carry (the managed fields). */
function sliceMeta(svc: KubeObject): { labels: Record<string, string>; ownerReferences: NonNullable<KubeObject['metadata']['ownerReferences']> } {
  const labels = inheritedLabels(svc);
  labels[SERVICE_NAME_LABEL] = svc.metadata.name ?? '';
  labels[MANAGED_BY_LABEL] = MANAGED_BY;
  const ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name ?? '', uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }];
  return { labels, ownerReferences };
}

function newSlice(svc: KubeObject, ports: EndpointPort[] | null, endpoints: SliceEndpoint[] | null, trigger: string | undefined): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name ?? ''}-`,
      namespace: svc.metadata.namespace ?? 'default',
      ...sliceMeta(svc),
      ...(trigger === undefined ? {} : { annotations: { [TRIGGER_TIME]: trigger } }),
    },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

function withContent(slice: KubeObject, svc: KubeObject, endpoints: SliceEndpoint[] | null, trigger: string | undefined): KubeObject {
  const annotations = { ...(slice.metadata.annotations ?? {}) };
  if (trigger !== undefined) annotations[TRIGGER_TIME] = trigger;
  const metadata = { ...slice.metadata, ...sliceMeta(svc), annotations };
  if (Object.keys(annotations).length === 0) delete (metadata as { annotations?: unknown }).annotations;
  return { ...slice, metadata, endpoints };
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The reconciler, simplified but with its traits: a slice keeps the endpoints it already holds
 * (updated in place), new endpoints fill slices with room before new slices are made, slices
 * left empty go, and a Service with no endpoints keeps a single placeholder slice (no endpoints,
 * no ports) so its existence is visible.
 */
export function planSlices(svc: KubeObject, existing: readonly KubeObject[], desired: DesiredEndpoints, trigger: string | undefined, max = MAX_ENDPOINTS_PER_SLICE): SlicePlan {
  const plan = { create: [] as KubeObject[], update: [] as KubeObject[], remove: [] as KubeObject[] };
  const byPorts = new Map<string, KubeObject[]>();
  for (const s of existing) {
    const key = portsKey((s as SliceShape).ports ?? []);
    byPorts.set(key, [...(byPorts.get(key) ?? []), s]);
  }
  for (const [key, group] of desired.groups) {
    const slices = byPorts.get(key) ?? [];
    byPorts.delete(key);
    const want = new Map(group.endpoints.map((e) => [endpointKey(e), e]));
    const placed = new Set<string>();
    const contents: { slice: KubeObject; endpoints: SliceEndpoint[] }[] = [];
    for (const slice of slices) {
      const kept = ((slice as SliceShape).endpoints ?? []).map((e) => want.get(endpointKey(e))).filter((e): e is SliceEndpoint => e !== undefined && !placed.has(endpointKey(e)));
      for (const e of kept) placed.add(endpointKey(e));
      contents.push({ slice, endpoints: kept });
    }
    const fresh = group.endpoints.filter((e) => !placed.has(endpointKey(e)));
    for (const c of contents) while (c.endpoints.length < max && c.endpoints.length > 0 && fresh.length > 0) c.endpoints.push(fresh.shift() as SliceEndpoint);
    for (const c of contents) {
      if (c.endpoints.length === 0 && fresh.length > 0) c.endpoints.push(...fresh.splice(0, max));
      if (c.endpoints.length === 0) plan.remove.push(c.slice);
      else if (!sameJson((c.slice as SliceShape).endpoints, c.endpoints) || !labelsCurrent(c.slice, svc)) plan.update.push(withContent(c.slice, svc, c.endpoints, trigger));
    }
    while (fresh.length > 0) plan.create.push(newSlice(svc, group.ports, fresh.splice(0, max), trigger));
  }
  const leftovers = [...byPorts.values()].flat();
  if (desired.groups.size === 0) {
    // Keep (or make) one placeholder: an existing empty slice if there is one.
    const placeholder = leftovers.find((s) => ((s as SliceShape).endpoints ?? []).length === 0 && ((s as SliceShape).ports ?? []).length === 0);
    for (const s of leftovers) if (s !== placeholder) plan.remove.push(s);
    if (placeholder === undefined) plan.create.push(newSlice(svc, null, null, trigger));
    else if (!labelsCurrent(placeholder, svc)) plan.update.push(withContent(placeholder, svc, null, trigger));
  } else plan.remove.push(...leftovers);
  return plan;
}

function labelsCurrent(slice: KubeObject, svc: KubeObject): boolean {
  const want = sliceMeta(svc);
  return sameJson(slice.metadata.labels ?? {}, want.labels) && sameJson(slice.metadata.ownerReferences ?? [], want.ownerReferences);
}

/** Whether a slice is this controller's and belongs to the Service (by label, as the real one lists them). */
export function isManagedSliceOf(slice: KubeObject, namespace: string, service: string): boolean {
  const l = slice.metadata.labels ?? {};
  return slice.metadata.namespace === namespace && l[SERVICE_NAME_LABEL] === service && l[MANAGED_BY_LABEL] === MANAGED_BY;
}

// ==================================================================== Endpoints (core/v1)

interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: string; namespace: string; name: string; uid: string };
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: { name?: string; port: number; protocol: string; appProtocol?: string }[];
}

function endpointAddress(svc: KubeObject, pod: KubeObject): EndpointAddress {
  const hostname = hostnameFor(svc, pod);
  const nodeName = podSpec(pod).nodeName;
  return { ip: podIP(pod), ...(hostname === undefined ? {} : { hostname }), ...(nodeName ? { nodeName } : {}), targetRef: targetRef(pod) };
}

const byIpThenUid = (a: EndpointAddress, b: EndpointAddress): number => a.ip.localeCompare(b.ip) || a.targetRef.uid.localeCompare(b.targetRef.uid);

/**
 * The Endpoints' subsets (syncService then RepackSubsets): addresses that share the same ports
 * form a subset; ready pods (or every pod with publishNotReadyAddresses) go to addresses, the
 * others to notReadyAddresses; terminating pods are left out unless not-ready ones are published.
 */
export function endpointSubsets(svc: KubeObject, pods: readonly KubeObject[]): EndpointSubset[] {
  const spec = serviceSpec(svc);
  const tolerate = spec.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of pods) {
    if (!selectedBy(svc, pod) || !shouldPodBeInEndpoints(pod, tolerate)) continue;
    const ports = endpointPorts(svc, pod);
    // A pod resolving none of the ports has no place, except in a headless service without ports.
    if (ports.length === 0 && !((spec.ports ?? []).length === 0 && isHeadless(svc))) continue;
    const key = portsKey(ports);
    const g = groups.get(key) ?? { ports, ready: [], notReady: [] };
    (tolerate || isPodReady(pod) ? g.ready : g.notReady).push(endpointAddress(svc, pod));
    groups.set(key, g);
  }
  const subsets = [...groups.values()].map((g): EndpointSubset => {
    const ports = g.ports.map((p) => ({ ...(p.name === '' ? {} : { name: p.name }), port: p.port, protocol: p.protocol, ...(p.appProtocol === undefined ? {} : { appProtocol: p.appProtocol }) }));
    return {
      ...(g.ready.length === 0 ? {} : { addresses: g.ready.sort(byIpThenUid) }),
      ...(g.notReady.length === 0 ? {} : { notReadyAddresses: g.notReady.sort(byIpThenUid) }),
      ...(ports.length === 0 ? {} : { ports }),
    };
  });
  const first = (s: EndpointSubset): string => (s.addresses ?? s.notReadyAddresses ?? [])[0]?.ip ?? '';
  return subsets.sort((a, b) => first(a).localeCompare(first(b)));
}

/** The Endpoints object for a Service with these subsets: the current one updated, or a new one. */
export function desiredEndpointsObject(svc: KubeObject, current: KubeObject | undefined, subsets: EndpointSubset[], trigger: string | undefined): KubeObject {
  const base: KubeObject = current === undefined ? { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svc.metadata.name ?? '', namespace: svc.metadata.namespace ?? 'default' } } : jsonCopy(current);
  const annotations = { ...(base.metadata.annotations ?? {}) };
  if (trigger === undefined) delete annotations[TRIGGER_TIME];
  else annotations[TRIGGER_TIME] = trigger;
  const metadata = { ...base.metadata, labels: inheritedLabels(svc), annotations };
  if (Object.keys(metadata.labels).length === 0) delete (metadata as { labels?: unknown }).labels;
  if (Object.keys(annotations).length === 0) delete (metadata as { annotations?: unknown }).annotations;
  const out: KubeObject = { ...base, metadata };
  if (subsets.length === 0) delete out.subsets;
  else out.subsets = subsets;
  return out;
}

/** Whether the Endpoints must be written: its subsets or labels differ (a new trigger time alone is no reason). */
export function endpointsChanged(current: KubeObject, svc: KubeObject, subsets: EndpointSubset[]): boolean {
  const want = inheritedLabels(svc);
  return !sameJson(current.subsets ?? [], subsets) || !sameJson(current.metadata.labels ?? {}, want);
}

// ==================================================================== last-change-trigger-time

/**
 * The trigger time tracker both controllers keep per Service: the time of the earliest change
 * (a pod's Ready transition, the Service's creation) not yet written out, as RFC 3339.
 */
export class TriggerTimeTracker {
  private readonly seen = new Map<string, { pods: Map<string, number>; service: number }>();

  compute(svc: KubeObject, pods: readonly KubeObject[]): string | undefined {
    const key = `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;
    const prev = this.seen.get(key);
    const next = { pods: new Map<string, number>(), service: timeOf(svc.metadata.creationTimestamp) };
    let min: number | undefined;
    const consider = (t: number): void => void (min = min === undefined ? t : Math.min(min, t));
    for (const p of pods) {
      const t = timeOf(((p.status ?? {}) as { conditions?: { type?: string; lastTransitionTime?: string }[] }).conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime);
      next.pods.set(p.metadata.name ?? '', t);
      if (t >= 0 && prev?.pods.get(p.metadata.name ?? '') !== t) consider(t);
    }
    if (next.service >= 0 && prev?.service !== next.service) consider(next.service);
    this.seen.set(key, next);
    return min === undefined ? undefined : rfc3339(min);
  }

  forget(namespace: string, name: string): void {
    this.seen.delete(`${namespace}/${name}`);
  }
}

/** A metav1.Time as virtual ms; absent or unparsable is -1 (virtual time starts at 0). */
function timeOf(t: string | undefined): number {
  return t === undefined ? -1 : (parseRfc3339(t) ?? -1);
}
