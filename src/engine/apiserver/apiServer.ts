import { encodeBase64 } from '../encoding';
import type { ScheduledEvent } from '../eventQueue';
import type { Message } from '../network';
import type { Rng } from '../rng';
import { goDecodeError, validateAgainstKind } from '../schema/kubernetesSchemas';
import { formatPath } from '../schema/jsonSchema';
import { EtcdClient, type ClientOutcome } from '../store/etcdClient';
import type { KeyValue, StoreOp, TxnRequest } from '../store/kvStore';
import { rfc3339 } from '../virtualTime';
import { uuidV4 } from '../uuid';
import type { World } from '../world';
import { allocateClusterIP, allocateNodePorts, emptyRange, NODE_PORT_KEY, releaseClusterIP, SERVICE_CIDR, SERVICE_IP_KEY, without, type RangeState } from './allocators';
import {
  alreadyExists,
  type ApiResult,
  badRequest,
  conflict,
  expired,
  type FieldError,
  forbidden,
  invalid,
  type KubeObject,
  methodNotAllowed,
  notFound,
  type Status,
  serviceUnavailable,
  storageError,
  tooManyRequests,
} from './apiObjects';
import {
  API_PORT,
  ApiMsg,
  type ContainerLogsRequest,
  type ContainerLogsResponse,
  type ExecOptions,
  type ExecRequest,
  type ExecResponse,
  KUBELET_PORT,
  KubeletMsg,
  type LogOptions,
  METRICS_RESOURCES,
  METRICS_SERVER_PORT,
  type MetricsApiRequest,
  type MetricsApiResponse,
  MetricsMsg,
  WATCH_KEEPALIVE_MS,
  type ApiRequest, type ApiResponse, type PropagationPolicy, type ReadyzRequest, type ReadyzResponse, type WatchEventsMessage, type WatchEventType } from './apiProtocol';
import { canonical } from './canonical';
import { applyDefaults } from './defaults';
import { matchesFields, parseFieldSelector, type FieldRequirement } from './fieldSelector';
import { matchesSelector, parseLabelSelector, type Requirement } from './labelSelector';
import { applyPatch, PatchError, type PatchType } from './patch';
import { admitNamespaceUpdate, admitPodSpec, existingPodWarnings, isSignificantPodUpdate, namespaceLabelErrors, podTemplateOf, type PodMeta, type PodSpec } from './podSecurity';
import { apiVersionOf, etcdKey, resolveResource, resourceForKind, RESOURCES, type ResourceType } from './resources';
import { applyRuntimeClass, checkOverhead, runtimeClassNotFound } from './runtimeClassAdmission';
import { generateJobSelector, prepareForCreate, prepareForUpdate, statusUpdate } from './strategy';
import { validateSemantics } from './validation';
import { ANN_BETA_STORAGE_CLASS, ANN_DEFAULT_CLASS, defaultClass, PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from '../controllers/pvUtil';
import { CSI_DRIVER } from '../storage/provisioner';

/** The port kube-apiserver's process listens on for its local etcd's answers. */
const ETCD_CLIENT_PORT = 'kube-apiserver';
/** Where it listens for kubelets' answers (container logs). */
const KUBELET_CLIENT_PORT = 'kube-apiserver-kubelet';
/** Where it listens for answers from aggregated API servers (metrics-server). */
const AGGREGATOR_CLIENT_PORT = 'kube-apiserver-aggregator';
/** How long kube-apiserver waits for a kubelet to answer before reporting the dial timeout. */
const KUBELET_TIMEOUT_MS = 10_000;
/** Namespaces the API server creates at start and refuses to delete. */
export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
const UNDELETABLE_NAMESPACES = new Set(['default', 'kube-public', 'kube-system']);
/** How often a write that lost a race (conflict, allocator contention) is retried inside the server. */
const WRITE_RETRIES = 5;

export interface ListObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly resourceVersion: string };
  readonly items: KubeObject[];
}

export interface RequestOptions {
  readonly namespace?: string;
  readonly dryRun?: boolean;
  /** Hands a warning to the requester (admission's "Warning: 299" headers); ignored when absent. */
  readonly warn?: (text: string) => void;
}

type Done<T> = (r: ApiResult<T>) => void;

interface ServerWatch {
  readonly client: string;
  readonly port: string;
  readonly reqId: number;
  unsubscribe: () => void;
  seq: number;
  keepalive: ScheduledEvent | undefined;
}

/** A change as the watch cache keeps it: the object after (absent for a deletion) and before, decoded once and frozen. */
interface CachedEvent {
  readonly revision: number;
  readonly object?: KubeObject;
  readonly prev?: KubeObject;
}

/** How long an etcd readiness result answers /readyz (one probe period). */
const READYZ_CACHE_MS = 1_000;

/** How many events each resource's watch cache keeps (kube-apiserver sizes it per resource; 100 at least). */
const WATCH_CACHE_EVENTS = 1_000;

/** The events of one resource since `windowStart`, and the client watches fed from them. */
class WatchCache {
  etcdWatch = 0;
  private readonly events: CachedEvent[] = [];
  private readonly subscribers = new Set<Subscriber>();
  /** Watchers selecting one value of the trigger field, by that value. */
  private readonly indexed = new Map<string, Set<Subscriber>>();
  private ended: string | undefined;

  constructor(
    /** Every event with a revision from here on is in the buffer. */
    private windowStart: number,
    /** The field watchers are indexed on (pods: spec.nodeName, as kube-apiserver's trigger function). */
    private readonly trigger?: (o: KubeObject) => string,
  ) {}

  /** Whether a watch from `rv` (events after rv) can be served from here. */
  covers(rv: number): boolean {
    return this.ended === undefined && rv + 1 >= this.windowStart;
  }

  idle(): boolean {
    return this.subscribers.size === 0 && this.indexed.size === 0;
  }

  /** With `triggerValue`, the watcher is only given the events whose object had or has that value in the trigger field. */
  subscribe(rv: number, deliver: Subscriber, triggerValue?: string): () => void {
    if (this.ended !== undefined) {
      deliver([], this.ended);
      return () => undefined;
    }
    const backlog = this.events.filter((e) => e.revision > rv);
    if (backlog.length > 0) deliver(backlog);
    if (triggerValue === undefined || this.trigger === undefined) {
      this.subscribers.add(deliver);
      return () => this.subscribers.delete(deliver);
    }
    const set = this.indexed.get(triggerValue) ?? new Set<Subscriber>();
    set.add(deliver);
    this.indexed.set(triggerValue, set);
    return () => {
      set.delete(deliver);
      if (set.size === 0 && this.indexed.get(triggerValue) === set) this.indexed.delete(triggerValue);
    };
  }

  append(batch: readonly CachedEvent[]): void {
    if (batch.length === 0) return;
    this.events.push(...batch);
    const excess = this.events.length - WATCH_CACHE_EVENTS;
    if (excess > 0) {
      const dropped = this.events.splice(0, excess);
      this.windowStart = (dropped.at(-1)?.revision ?? this.windowStart - 1) + 1;
    }
    for (const s of [...this.subscribers]) s(batch);
    if (this.indexed.size === 0 || this.trigger === undefined) return;
    const byValue = new Map<string, CachedEvent[]>();
    for (const e of batch) {
      const values = new Set<string>();
      if (e.object !== undefined) values.add(this.trigger(e.object));
      if (e.prev !== undefined) values.add(this.trigger(e.prev));
      for (const v of values) {
        if (!this.indexed.has(v)) continue;
        const events = byValue.get(v);
        if (events === undefined) byValue.set(v, [e]);
        else events.push(e);
      }
    }
    for (const [v, events] of byValue) for (const s of [...(this.indexed.get(v) ?? [])]) s(events);
  }

  end(reason: string): void {
    this.ended = reason;
    const all = [...this.subscribers, ...[...this.indexed.values()].flatMap((set) => [...set])];
    this.subscribers.clear();
    this.indexed.clear();
    for (const s of all) s([], reason);
  }
}

type Subscriber = (events: readonly CachedEvent[], end?: string) => void;

/** kube-apiserver indexes pod watches by spec.nodeName: each kubelet hears only of its own node's pods. */
const podNodeName = (o: KubeObject): string => String((o.spec as { nodeName?: unknown } | undefined)?.nodeName ?? '');

/** Objects the watch cache shares between watchers are frozen: a client that changed one would change it for all. */
function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}

/**
 * One kube-apiserver, on a master, over that master's etcd member (reached on loopback, as
 * kubeadm sets it up: --etcd-servers=https://127.0.0.1:2379). Every write is an etcd
 * transaction through Raft; resourceVersion is the etcd modification revision, and a stale one
 * is a 409 Conflict. Requests are answered through callbacks, in virtual time.
 */
export class ApiServer {
  private readonly etcd: EtcdClient;
  private readonly watches = new Map<string, ServerWatch>();
  /** The latest etcd readiness result and the /readyz probes waiting for the one in flight. */
  private readiness: { at: number; result?: { ready: boolean; detail: string }; waiting: ((ready: boolean, detail: string) => void)[] } = { at: -Infinity, waiting: [] };
  /** The watch cache of each resource (by plural name). */
  private readonly caches = new Map<string, WatchCache>();
  private bootstrapTimer: ScheduledEvent | undefined;
  private readonly kubeletCalls = new Map<number, { done: (r: ContainerLogsResponse) => void; deadline: ScheduledEvent }>();
  /** Exec streams proxied to kubelets: the dial deadline runs until the kubelet takes the stream. */
  private readonly execCalls = new Map<number, { answer: (r: ExecResponse) => void; deadline?: ScheduledEvent }>();
  private nextKubeletCall = 0;
  /** The host of the metrics-server the APIService v1beta1.metrics.k8s.io points at; none until one is installed. */
  private metricsServer: string | undefined;
  private readonly metricsCalls = new Map<number, { done: (r: ApiResult<unknown>) => void; deadline: ScheduledEvent }>();

  constructor(
    private readonly world: World,
    readonly host: string,
    private readonly rng: Rng,
  ) {
    this.etcd = new EtcdClient(world, host, 8_000, undefined, ETCD_CLIENT_PORT);
  }

  /** Starts serving the API on the master's port 6443, and makes sure the system namespaces exist. */
  listen(): void {
    this.world.net.setHandler(this.host, (m) => this.serve(m), API_PORT);
    this.world.net.setHandler(this.host, (m) => this.kubeletAnswer(m), KUBELET_CLIENT_PORT);
    this.world.net.setHandler(this.host, (m) => this.metricsAnswer(m), AGGREGATOR_CLIENT_PORT);
    this.bootstrap();
  }

  /** Stops serving: the master died. Requests in progress are never answered; watches end silently. */
  stop(): void {
    this.world.net.setHandler(this.host, undefined, API_PORT);
    this.world.net.setHandler(this.host, undefined, KUBELET_CLIENT_PORT);
    this.world.net.setHandler(this.host, undefined, AGGREGATOR_CLIENT_PORT);
    for (const c of this.kubeletCalls.values()) this.world.cancel(c.deadline);
    this.kubeletCalls.clear();
    for (const c of this.execCalls.values()) if (c.deadline) this.world.cancel(c.deadline);
    this.execCalls.clear();
    for (const c of this.metricsCalls.values()) this.world.cancel(c.deadline);
    this.metricsCalls.clear();
    this.etcd.reset();
    for (const w of this.watches.values()) if (w.keepalive) this.world.cancel(w.keepalive);
    this.watches.clear();
    this.caches.clear();
    this.readiness = { at: -Infinity, waiting: [] };
    if (this.bootstrapTimer) this.world.cancel(this.bootstrapTimer);
    this.bootstrapTimer = undefined;
  }

  /**
   * What kube-apiserver's bootstrap controller does: create the system namespaces and the
   * `kubernetes` Service (the first address of the service range) if they are missing, retrying
   * until etcd takes the writes.
   */
  private bootstrap(): void {
    const wanted: KubeObject[] = [
      ...SYSTEM_NAMESPACES.map((name): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } })),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', type: 'ClusterIP' },
      },
      // The cluster's default class, as kind ships one named "standard": zonal disks, made where the first consumer runs.
      {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'standard', annotations: { [ANN_DEFAULT_CLASS]: 'true' } },
        provisioner: CSI_DRIVER,
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
      },
    ];
    const next = (i: number): void => {
      const o = wanted[i];
      if (o === undefined) return;
      this.create(o, {}, (r) => {
        if (r.ok || r.status.reason === 'AlreadyExists') return next(i + 1);
        this.bootstrapTimer = this.world.schedule(1_000, `apiserver bootstrap ${this.host}`, () => next(i));
      });
    };
    next(0);
  }

  /**
   * The etcd check of /readyz: a quorum read of a health key with a short deadline. Probes that
   * arrive while one is in flight share it, and a result is reused for READYZ_CACHE_MS, so every
   * load balancer and client checking each second costs etcd one read per second, not one each.
   */
  private etcdReadiness(done: (ready: boolean, detail: string) => void): void {
    const last = this.readiness;
    if (last.result !== undefined && this.world.now - last.at < READYZ_CACHE_MS) return done(last.result.ready, last.result.detail);
    last.waiting.push(done);
    if (last.waiting.length > 1) return;
    this.etcd.range(this.host, 'health', { deadlineMs: 1_000 }, (o) => {
      const result = { ready: o.ok, detail: o.ok ? '' : `[-]etcd failed: ${etcdMessage(o)}` };
      const waiting = last.waiting;
      this.readiness = { at: this.world.now, result, waiting: [] };
      for (const w of waiting) w(result.ready, result.detail);
    });
  }

  private serve(m: Message): void {
    if (m.copy > 0) return; // HTTP runs over TCP: network-made copies never reach the server.
    if (m.type === ApiMsg.Readyz) {
      const req = m.payload as ReadyzRequest;
      this.etcdReadiness((ready, detail) => {
        const resp: ReadyzResponse = { reqId: req.reqId, ready, detail };
        this.world.net.send(this.host, m.from, ApiMsg.ReadyzResponse, resp, req.replyPort);
      });
      return;
    }
    if (m.type !== ApiMsg.Request) return;
    const req = m.payload as ApiRequest;
    // Admission's warnings go back with the answer, whatever it is; the same text once.
    const warnings: string[] = [];
    const warn = (text: string): void => {
      if (!warnings.includes(text)) warnings.push(text);
    };
    const answer = (result: ApiResult<unknown>): void => {
      const resp: ApiResponse = { reqId: req.reqId, server: this.host, result, ...(warnings.length > 0 ? { warnings } : {}) };
      this.world.net.send(this.host, m.from, ApiMsg.Response, resp, req.replyPort);
    };
    if (req.verb === 'cancelWatch') return this.cancelWatch(`${m.from}/${req.replyPort}/${req.watchId ?? 0}`);
    const opts: RequestOptions = { ...(req.namespace === undefined ? {} : { namespace: req.namespace }), ...(req.dryRun ? { dryRun: true } : {}), warn };
    if (req.subresource === 'eviction') return this.evict(req.namespace ?? 'default', req.name ?? '', (req.body as { deleteOptions?: { gracePeriodSeconds?: number } } | undefined)?.deleteOptions?.gracePeriodSeconds, answer);
    if (req.subresource === 'binding') return this.bind(req.namespace ?? 'default', req.name ?? '', req.body, answer);
    if (req.subresource === 'log') return this.logs(req.namespace ?? 'default', req.name ?? '', req.log ?? {}, answer);
    if (req.subresource === 'exec') return this.exec(req.namespace ?? 'default', req.name ?? '', req.exec ?? { command: [] }, answer);
    if (req.verb === 'create') return this.create(req.body, opts, answer);
    if (req.verb === 'update') return this.update(req.body, { ...opts, ...(req.subresource === undefined ? {} : { subresource: req.subresource }) }, answer);
    if (req.resource === METRICS_RESOURCES.nodes || req.resource === METRICS_RESOURCES.pods) return this.metrics(req, answer);
    const type = resolveResource(req.resource ?? '');
    if ('error' in type) return answer({ ok: false, status: notFoundResource(type.error) });
    const namespace = type.namespaced ? (req.namespace ?? (req.verb === 'list' || req.verb === 'watch' ? undefined : 'default')) : undefined;
    const selectors = { ...(req.labelSelector === undefined ? {} : { labelSelector: req.labelSelector }), ...(req.fieldSelector === undefined ? {} : { fieldSelector: req.fieldSelector }) };
    switch (req.verb) {
      case 'list':
        return this.list(type, namespace, answer, selectors);
      case 'watch':
        return this.watch(type, namespace, { ...selectors, resourceVersion: req.resourceVersion ?? '' }, m.from, req, answer);
      case 'get':
        return this.get(type, namespace, req.name ?? '', answer);
      case 'patch':
        return this.patch(type, namespace, req.name ?? '', req.patchType ?? 'strategic', req.patch ?? '{}', { ...opts, ...(req.subresource === 'status' ? { subresource: 'status' } : {}) }, answer);
      case 'delete':
        return this.delete(type, namespace, req.name ?? '', { ...(req.propagationPolicy ? { propagationPolicy: req.propagationPolicy } : {}), ...(req.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: req.gracePeriodSeconds }), ...(req.dryRun ? { dryRun: true } : {}) }, answer);
      default:
        return answer({ ok: false, status: methodNotAllowed(`the server does not allow this method on the requested resource`) });
    }
  }

  create(body: unknown, opts: RequestOptions, done: Done<KubeObject>): void {
    const decoded = this.decode(body, opts.namespace);
    if (!decoded.ok) return done(decoded);
    const { type, object } = decoded.value;
    // Mutating admission runs before the name is generated: its errors name the prefix.
    const requestedName = object.metadata.name || object.metadata.generateName || '';
    if ((object.metadata.name ?? '') === '' && typeof object.metadata.generateName === 'string') object.metadata.name = `${object.metadata.generateName}${this.nameSuffix()}`;
    const name = object.metadata.name as string;
    prepareForCreate(object);
    object.metadata.uid = this.newUid();
    generateJobSelector(object);
    object.metadata.creationTimestamp = rfc3339(this.world.now);
    const key = etcdKey(type, object.metadata.namespace, name);
    const isService = type.kind === 'Service';
    const attempt = (tries: number): void => {
      this.readKeys([...(type.namespaced ? [etcdKey(NAMESPACES, undefined, object.metadata.namespace ?? 'default')] : []), ...(isService ? [SERVICE_IP_KEY, NODE_PORT_KEY] : [])], (read) => {
        if (!read.ok) return done(read);
        let namespace: KubeObject | undefined;
        if (type.namespaced) {
          const ns = read.value.get(etcdKey(NAMESPACES, undefined, object.metadata.namespace ?? 'default'));
          if (ns === undefined) return done({ ok: false, status: notFound(NAMESPACES, object.metadata.namespace ?? 'default') });
          namespace = decodeKv(ns);
          if (namespace.metadata.deletionTimestamp !== undefined) {
            return done({ ok: false, status: forbidden(type, name, `unable to create new content in namespace ${object.metadata.namespace} because it is being terminated`) });
          }
        }
        // Admission once, against the namespace as read (a retry has been admitted already).
        if (tries > 0) return store(tries, read.value);
        this.admitCreate(type, object, requestedName, namespace, opts, (refused) => (refused === undefined ? store(tries, read.value) : done({ ok: false, status: refused })));
      });
    };
    const store = (tries: number, read: ReadonlyMap<string, KeyValue>): void => {
      const stored: KubeObject = JSON.parse(JSON.stringify(object)) as KubeObject;
      const ops: StoreOp[] = [{ op: 'put', key, value: '' }];
      const compare: TxnRequest['compare'][number][] = [{ key, target: 'version', result: '=', operand: 0 }];
      if (isService) {
        const allocated = this.allocateForService(stored, read);
        if ('error' in allocated) return done({ ok: false, status: invalid(type, name, [allocated.error]) });
        for (const [k, state] of allocated.ranges) {
          ops.push({ op: 'put', key: k, value: JSON.stringify(state) });
          const kv = read.get(k);
          compare.push({ key: k, target: 'mod', result: '=', operand: kv?.modRevision ?? 0 });
        }
      }
      ops[0] = { op: 'put', key, value: JSON.stringify(stored) };
      if (opts.dryRun) return done({ ok: true, value: stored });
      this.etcd.txn(this.host, { compare, success: ops, failure: [] }, (o) => {
        if (!o.ok) return done({ ok: false, status: storageError(etcdMessage(o)) });
        if (o.result.kind === 'txn' && o.result.txn.succeeded) return done({ ok: true, value: withVersion(stored, o.result.txn.revision) });
        // Either the name is taken or another API server took an address first: look again.
        this.readKeys([key], (again) => {
          if (again.ok && again.value.has(key)) return done({ ok: false, status: alreadyExists(type, name) });
          if (tries < WRITE_RETRIES) return attempt(tries + 1);
          done({ ok: false, status: conflict(type, name) });
        });
      });
    };
    this.admitStorage(object, (refused) => (refused === undefined ? attempt(0) : done({ ok: false, status: refused })));
  }

  /**
   * The admission plugins of a create that need the namespace, in kube-apiserver's order:
   * RuntimeClass's mutation (a pod's class applied), PodSecurity (pods refused or warned
   * about, workloads' pod templates warned about, namespace labels checked), RuntimeClass's
   * validation (an overhead not from the class). Only a pod naming a class costs a read.
   */
  private admitCreate(type: ResourceType, object: KubeObject, requestedName: string, namespace: KubeObject | undefined, opts: RequestOptions, next: (refused?: Status) => void): void {
    const name = object.metadata.name ?? '';
    if (type.kind === 'Namespace') {
      const errors = namespaceLabelErrors(object.metadata.labels);
      return next(errors.length > 0 ? invalid(type, name, errors) : undefined);
    }
    const labels = namespace?.metadata.labels;
    if (type.kind !== 'Pod') {
      const template = podTemplateOf(object);
      if (template !== undefined) for (const w of admitPodSpec(labels, template.metadata, template.spec, false).warnings) opts.warn?.(w);
      return next();
    }
    this.applyRuntimeClass(object, requestedName, (rc) => {
      if ('refused' in rc) return next(rc.refused);
      const verdict = admitPodSpec(labels, object.metadata as PodMeta, (object.spec ?? {}) as PodSpec, true);
      if (verdict.forbidden !== undefined) return next(forbidden(type, name, verdict.forbidden));
      for (const w of verdict.warnings) opts.warn?.(w);
      const overhead = checkOverhead((object.spec ?? {}) as Record<string, unknown>, rc.runtimeClass);
      next(overhead === undefined ? undefined : forbidden(type, name, overhead));
    });
  }

  /** RuntimeClass's mutation of a new pod: its class (read only when it names one) applied to its spec. */
  private applyRuntimeClass(pod: KubeObject, requestedName: string, done: (r: { runtimeClass?: KubeObject } | { refused: Status }) => void): void {
    const className = (pod.spec as { runtimeClassName?: unknown } | undefined)?.runtimeClassName;
    if (typeof className !== 'string') return done({});
    this.get(RUNTIME_CLASSES, undefined, className, (got) => {
      if (!got.ok) return done({ refused: got.status.code === 404 ? forbidden(PODS, requestedName, runtimeClassNotFound(className)) : got.status });
      const applied = applyRuntimeClass((pod.spec ?? {}) as Record<string, unknown>, got.value);
      if ('refused' in applied) return done({ refused: forbidden(PODS, requestedName, applied.refused) });
      pod.spec = applied.spec;
      done({ runtimeClass: got.value });
    });
  }

  /**
   * PodSecurity on an update. Only a write that can change the verdict is judged (a pod's
   * images, a workload's pod template, a namespace's labels), so the controllers' everyday
   * writes cost no extra read. A stricter enforce level on a namespace has its pods checked.
   */
  private admitUpdate(type: ResourceType, current: KubeObject, next: KubeObject, opts: RequestOptions, proceed: (refused?: Status) => void): void {
    const name = current.metadata.name ?? '';
    if (type.kind === 'Namespace') {
      const verdict = admitNamespaceUpdate(next.metadata.labels, current.metadata.labels);
      if ('errors' in verdict) return proceed(invalid(type, name, verdict.errors));
      const level = verdict.checkPods;
      if (level === undefined) return proceed();
      return this.list(PODS, name, (pods) => {
        const warnings = pods.ok ? existingPodWarnings(name, level, pods.value.items) : ['failed to list pods while checking new PodSecurity enforce level'];
        for (const w of warnings) opts.warn?.(w);
        proceed();
      });
    }
    const isPod = type.kind === 'Pod';
    const template = isPod ? { metadata: next.metadata as PodMeta, spec: (next.spec ?? {}) as PodSpec } : podTemplateOf(next);
    if (template === undefined) return proceed();
    if (isPod ? !isSignificantPodUpdate(next, current) : canonical(template) === canonical(podTemplateOf(current))) return proceed();
    this.get(NAMESPACES, undefined, current.metadata.namespace ?? 'default', (ns) => {
      // Without its namespace a pod cannot be judged; a workload is only ever warned about.
      if (!ns.ok) return proceed(isPod ? ns.status : undefined);
      const verdict = admitPodSpec(ns.value.metadata.labels, template.metadata, template.spec, isPod);
      for (const w of verdict.warnings) opts.warn?.(w);
      proceed(verdict.forbidden === undefined ? undefined : forbidden(type, name, verdict.forbidden));
    });
  }

  /**
   * The storage admission plugins: StorageObjectInUseProtection puts the protection finalizer on
   * every new claim and volume; DefaultStorageClass gives a claim that names no class (the field
   * absent, not "") the default class's name.
   */
  private admitStorage(object: KubeObject, next: (refused?: Status) => void): void {
    if (object.kind !== 'PersistentVolumeClaim' && object.kind !== 'PersistentVolume') return next();
    const finalizer = object.kind === 'PersistentVolume' ? PV_PROTECTION_FINALIZER : PVC_PROTECTION_FINALIZER;
    if (!(object.metadata.finalizers ?? []).includes(finalizer)) object.metadata.finalizers = [...(object.metadata.finalizers ?? []), finalizer];
    const spec = (object.spec ?? {}) as { storageClassName?: string };
    if (object.kind === 'PersistentVolume' || spec.storageClassName !== undefined || object.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] !== undefined) return next();
    const classes = RESOURCES.find((t) => t.kind === 'StorageClass') as ResourceType;
    this.list(classes, undefined, (r) => {
      if (!r.ok) return next(r.status);
      const cls = defaultClass(r.value.items);
      if (cls !== undefined) object.spec = { ...spec, storageClassName: cls.metadata.name };
      next();
    });
  }

  /** Cluster IP and node ports for a new Service, from the allocators' state in etcd. */
  private allocateForService(svc: KubeObject, read: ReadonlyMap<string, KeyValue>): { ranges: Map<string, RangeState> } | { error: FieldError } {
    const spec = (svc.spec ?? {}) as Record<string, unknown>;
    const ranges = new Map<string, RangeState>();
    const ipState = parseRange(read.get(SERVICE_IP_KEY), SERVICE_CIDR);
    if (spec.clusterIP !== 'None') {
      const ip = allocateClusterIP(ipState, typeof spec.clusterIP === 'string' ? spec.clusterIP : undefined, this.rng);
      if ('error' in ip) return ip;
      spec.clusterIP = ip.ip;
      ranges.set(SERVICE_IP_KEY, ip.state);
    }
    spec.clusterIPs = [spec.clusterIP];
    spec.ipFamilies = ['IPv4'];
    spec.ipFamilyPolicy = 'SingleStack';
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
      const ports = allocateNodePorts(parseRange(read.get(NODE_PORT_KEY), '30000-32767'), (spec.ports ?? []) as Record<string, unknown>[], this.rng);
      if ('error' in ports) return ports;
      ranges.set(NODE_PORT_KEY, ports.state);
      spec.externalTrafficPolicy ??= 'Cluster';
    }
    return { ranges };
  }

  get(type: ResourceType, namespace: string | undefined, name: string, done: Done<KubeObject>): void {
    this.etcd.range(this.host, etcdKey(type, namespace, name), {}, (o) => {
      if (!o.ok) return done({ ok: false, status: storageError(etcdMessage(o)) });
      const kv = o.result.kind === 'range' ? o.result.range.kvs[0] : undefined;
      done(kv === undefined ? { ok: false, status: notFound(type, name) } : { ok: true, value: fromStorage(kv) });
    });
  }

  /** Lists a namespace's objects of a type, or every namespace's with namespace undefined. */
  list(type: ResourceType, namespace: string | undefined, done: Done<ListObject>, selectors: { labelSelector?: string; fieldSelector?: string } = {}): void {
    const filter = parseSelectors(type, selectors);
    if ('error' in filter) return done({ ok: false, status: badRequest(filter.error) });
    this.etcd.range(this.host, prefixOf(type, namespace), { prefix: true }, (o) => {
      if (!o.ok) return done({ ok: false, status: storageError(etcdMessage(o)) });
      if (o.result.kind !== 'range') return done({ ok: false, status: storageError('unexpected answer from etcd') });
      const range = o.result.range;
      const items = range.kvs.map(fromStorage).filter(filter.matches);
      done({ ok: true, value: { apiVersion: apiVersionOf(type), kind: `${type.kind}List`, metadata: { resourceVersion: String(range.revision) }, items } });
    });
  }

  /**
   * Streams the changes to a type's objects after `resourceVersion` (from a list), on top of an
   * etcd watch: ADDED, MODIFIED and DELETED events, a keep-alive every few seconds, and an end
   * (410 Expired when that version has been compacted away; or when etcd cancels the watch,
   * as it does when its member loses the leader).
   */
  private watch(type: ResourceType, namespace: string | undefined, opts: { labelSelector?: string; fieldSelector?: string; resourceVersion: string }, client: string, req: ApiRequest, answer: (r: ApiResult<unknown>) => void): void {
    const filter = parseSelectors(type, opts);
    if ('error' in filter) return answer({ ok: false, status: badRequest(filter.error) });
    const rv = Number(opts.resourceVersion);
    if (!Number.isInteger(rv) || rv < 0) return answer({ ok: false, status: badRequest(`invalid resource version: ${opts.resourceVersion}`) });
    const id = `${client}/${req.replyPort}/${req.reqId}`;
    const w: ServerWatch = { client, port: req.replyPort, reqId: req.reqId, unsubscribe: () => undefined, seq: 0, keepalive: undefined };
    const send = (events: WatchEventsMessage['events'], end?: Status): void => {
      const msg: WatchEventsMessage = { reqId: w.reqId, seq: ++w.seq, events, ...(end ? { end } : {}) };
      this.world.net.send(this.host, w.client, ApiMsg.WatchEvent, msg, w.port);
    };
    const inNamespace = (o: KubeObject): boolean => namespace === undefined || o.metadata.namespace === namespace;
    const deliver = (batch: readonly CachedEvent[], end?: string): void => {
      if (this.watches.get(id) !== w) return;
      const events: { type: WatchEventType; object: KubeObject }[] = [];
      for (const e of batch) {
        if (e.revision <= rv) continue;
        const object = e.object ?? e.prev;
        if (object === undefined || !inNamespace(object)) continue;
        const now = e.object !== undefined && filter.matches(e.object);
        const was = e.prev !== undefined && filter.matches(e.prev);
        // Leaving or entering the selection reads, to the watcher, as a deletion or a creation.
        if (e.object === undefined) {
          if (was) events.push({ type: 'DELETED', object });
        } else if (now) events.push({ type: was ? 'MODIFIED' : 'ADDED', object: e.object });
        else if (was) events.push({ type: 'DELETED', object: e.object });
      }
      if (end !== undefined) {
        send(events, end.includes('compacted') ? expired(`too old resource version: ${rv}`) : storageError(end));
        return this.cancelWatch(id);
      }
      if (events.length > 0) send(events);
    };
    this.watches.set(id, w);
    w.unsubscribe = this.watchCache(type, rv).subscribe(rv, deliver, triggerValue(type, opts.fieldSelector));
    const keepalive = (): void => {
      send([]);
      w.keepalive = this.world.schedule(WATCH_KEEPALIVE_MS, `watch keepalive ${this.host}`, keepalive);
    };
    keepalive();
  }

  /**
   * kube-apiserver's watch cache: one etcd watch per resource, whose events are decoded once and
   * kept (the newest WATCH_CACHE_EVENTS) for every client watch of that resource. A client
   * asking for a version older than the cache holds gets its own etcd watch from that version.
   */
  private watchCache(type: ResourceType, rv: number): WatchCache {
    const existing = this.caches.get(type.plural);
    if (existing !== undefined && existing.covers(rv)) return existing;
    if (existing !== undefined) return this.startCache(type, rv, false);
    return this.startCache(type, rv, true);
  }

  private startCache(type: ResourceType, rv: number, shared: boolean): WatchCache {
    const cache = new WatchCache(rv + 1, type.kind === 'Pod' ? podNodeName : undefined);
    if (shared) this.caches.set(type.plural, cache);
    cache.etcdWatch = this.etcd.watch(this.host, { key: prefixOf(type, undefined), prefix: true, startRevision: rv + 1 }, (ev) => {
      const batch: CachedEvent[] = ev.events.map(({ event }) => {
        const prev = event.prevKv === undefined ? undefined : deepFreeze(withVersion(decodeKv(event.prevKv), event.type === 'DELETE' ? event.kv.modRevision : event.prevKv.modRevision));
        const object = event.type === 'DELETE' ? undefined : deepFreeze(fromStorage(event.kv));
        return { revision: event.kv.modRevision, ...(object === undefined ? {} : { object }), ...(prev === undefined ? {} : { prev }) };
      });
      cache.append(batch);
      if (ev.canceled !== undefined) {
        if (this.caches.get(type.plural) === cache) this.caches.delete(type.plural);
        cache.end(ev.canceled);
      }
      // A private cache serves one watcher: when it has gone, so does the etcd watch.
      if (!shared && cache.idle()) this.etcd.cancelWatch(this.host, cache.etcdWatch);
    });
    return cache;
  }

  private cancelWatch(id: string): void {
    const w = this.watches.get(id);
    if (w === undefined) return;
    this.watches.delete(id);
    if (w.keepalive) this.world.cancel(w.keepalive);
    w.unsubscribe();
  }

  /**
   * Replaces an object. With metadata.resourceVersion it succeeds only if the object has not
   * changed since that version (409 Conflict otherwise); without, it replaces whatever is there.
   * The status subresource writes only status; the main resource never writes status.
   */
  update(body: unknown, opts: RequestOptions & { subresource?: string }, done: Done<KubeObject>): void {
    const decoded = this.decode(body, opts.namespace);
    if (!decoded.ok) return done(decoded);
    const { type, object } = decoded.value;
    this.get(type, object.metadata.namespace, object.metadata.name ?? '', (got) => {
      if (!got.ok) return done(got);
      const wanted = object.metadata.resourceVersion;
      if (wanted !== undefined && wanted !== got.value.metadata.resourceVersion) return done({ ok: false, status: conflict(type, object.metadata.name ?? '') });
      this.write(type, got.value, object, opts, done);
    });
  }

  /** Reads, patches and writes back, retrying when another writer got there in between. */
  patch(type: ResourceType, namespace: string | undefined, name: string, patchType: PatchType, patchText: string, opts: RequestOptions & { subresource?: string }, done: Done<KubeObject>): void {
    const attempt = (tries: number): void => {
      this.get(type, namespace, name, (got) => {
        if (!got.ok) return done(got);
        let patched: KubeObject;
        try {
          patched = applyPatch(patchType, got.value, patchText) as KubeObject;
        } catch (err) {
          if (!(err instanceof PatchError)) throw err;
          return done({ ok: false, status: { ...badRequest(err.message), code: patchType === 'json' ? 422 : 400 } });
        }
        const decoded = this.decode(patched, namespace);
        if (!decoded.ok) return done(decoded);
        const wanted = decoded.value.object.metadata.resourceVersion;
        if (wanted !== got.value.metadata.resourceVersion) return done({ ok: false, status: conflict(type, name) });
        this.write(type, got.value, decoded.value.object, opts, (r) => {
          if (!r.ok && r.status.reason === 'Conflict' && tries < WRITE_RETRIES) return attempt(tries + 1);
          done(r);
        });
      });
    };
    attempt(0);
  }

  /** The write of an update or patch, given the current object and the decoded new one. */
  private write(type: ResourceType, current: KubeObject, incoming: KubeObject, opts: RequestOptions & { subresource?: string }, done: Done<KubeObject>): void {
    const name = current.metadata.name ?? '';
    let next: KubeObject;
    if (opts.subresource === 'status') next = statusUpdate(incoming, current);
    else if (opts.subresource === 'finalize') next = { ...current, metadata: { ...current.metadata }, spec: { ...(current.spec as object), finalizers: (incoming.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [] } };
    else {
      next = incoming;
      const errors = prepareForUpdate(next, current);
      if (errors.length > 0) return done({ ok: false, status: invalid(type, name, errors) });
    }
    delete next.metadata.resourceVersion;
    // An object being deleted goes once its last finalizer is removed.
    if (next.metadata.deletionTimestamp !== undefined && readyToGo(next)) {
      if (opts.dryRun) return done({ ok: true, value: next });
      return this.remove(type, current, (r) => done(r.ok ? { ok: true, value: next } : r));
    }
    const { resourceVersion: _rv, ...currentMeta } = current.metadata;
    if (canonical({ ...current, metadata: currentMeta }) === canonical(next)) return done({ ok: true, value: current });
    const commit = (refused?: Status): void => {
      if (refused !== undefined) return done({ ok: false, status: refused });
      if (opts.dryRun) return done({ ok: true, value: next });
      this.casPut(type, current, next, done);
    };
    // Subresources (status, finalize) are not admitted by PodSecurity.
    if (opts.subresource !== undefined) return commit();
    this.admitUpdate(type, current, next, opts, commit);
  }

  /**
   * Deletes an object, as the API server's graceful deletion does: a pod on a node gets a
   * deletionTimestamp and its grace period (its kubelet deletes it when its containers have
   * stopped); an object with finalizers, or deleted with Foreground or Orphan propagation (which
   * add the foregroundDeletion / orphan finalizer for the garbage collector), is only marked;
   * a namespace is marked Terminating until the namespace controller has emptied it.
   * Everything else goes at once.
   */
  delete(type: ResourceType, namespace: string | undefined, name: string, opts: { propagationPolicy?: PropagationPolicy; gracePeriodSeconds?: number; dryRun?: boolean }, done: Done<KubeObject>): void {
    if (type.kind === 'Namespace' && UNDELETABLE_NAMESPACES.has(name)) return done({ ok: false, status: forbidden(type, name, 'this namespace may not be deleted') });
    const attempt = (tries: number): void => {
      this.get(type, namespace, name, (got) => {
        if (!got.ok) return done(got);
        const current = got.value;
        const next: KubeObject = JSON.parse(JSON.stringify(current)) as KubeObject;
        const meta = next.metadata;
        const finalizers = [...(meta.finalizers ?? [])];
        const policy = opts.propagationPolicy ?? 'Background';
        const add = policy === 'Foreground' ? 'foregroundDeletion' : policy === 'Orphan' ? 'orphan' : undefined;
        if (add !== undefined && !finalizers.includes(add) && (meta.deletionTimestamp === undefined || add === 'foregroundDeletion')) finalizers.push(add);
        meta.finalizers = finalizers;
        if (finalizers.length === 0) delete meta.finalizers;
        const grace = this.gracePeriod(current, opts.gracePeriodSeconds);
        let markOnly = finalizers.length > 0 || grace > 0;
        if (type.kind === 'Namespace') {
          markOnly = true;
          next.status = { ...(next.status as object), phase: 'Terminating' };
        }
        if (!markOnly) {
          if (opts.dryRun) return done({ ok: true, value: current });
          return this.remove(type, current, (r) => (!r.ok && r.status.reason === 'Conflict' && tries < WRITE_RETRIES ? attempt(tries + 1) : done(r.ok ? { ok: true, value: current } : r)));
        }
        // Set once; a later delete may only shorten a pod's grace period.
        const deadline = this.world.now + grace * 1000;
        if (meta.deletionTimestamp === undefined || (type.kind === 'Pod' && grace < Number(meta.deletionGracePeriodSeconds ?? Infinity))) {
          meta.deletionTimestamp = rfc3339(deadline);
          meta.deletionGracePeriodSeconds = grace;
        }
        if (canonical(next) === canonical(current)) return done({ ok: true, value: current });
        if (opts.dryRun) return done({ ok: true, value: next });
        this.casPut(type, current, next, (w) => (!w.ok && w.status.reason === 'Conflict' && tries < WRITE_RETRIES ? attempt(tries + 1) : done(w)));
      });
    };
    attempt(0);
  }

  /** A pod bound to a node and still running is deleted gracefully; anything else at once. */
  private gracePeriod(o: KubeObject, requested: number | undefined): number {
    if (o.kind !== 'Pod') return 0;
    const spec = (o.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = (o.status as { phase?: string } | undefined)?.phase;
    if (spec.nodeName === undefined || phase === 'Succeeded' || phase === 'Failed') return 0;
    return requested ?? spec.terminationGracePeriodSeconds ?? 30;
  }

  /** Removes an object from etcd (freeing a Service's addresses in the same transaction). */
  private remove(type: ResourceType, current: KubeObject, done: Done<KubeObject>): void {
    const name = current.metadata.name ?? '';
    const key = etcdKey(type, current.metadata.namespace, name);
    const keys = type.kind === 'Service' ? [SERVICE_IP_KEY, NODE_PORT_KEY] : [];
    this.readKeys(keys, (read) => {
      if (!read.ok) return done(read);
      const compare: TxnRequest['compare'][number][] = [{ key, target: 'mod', result: '=', operand: Number(current.metadata.resourceVersion) }];
      const ops: StoreOp[] = [{ op: 'delete', key }];
      if (type.kind === 'Service') {
        const spec = (current.spec ?? {}) as { clusterIP?: string; ports?: { nodePort?: number }[] };
        const ip = read.value.get(SERVICE_IP_KEY);
        if (ip !== undefined) {
          ops.push({ op: 'put', key: SERVICE_IP_KEY, value: JSON.stringify(releaseClusterIP(parseRange(ip, SERVICE_CIDR), spec.clusterIP)) });
          compare.push({ key: SERVICE_IP_KEY, target: 'mod', result: '=', operand: ip.modRevision });
        }
        const ports = read.value.get(NODE_PORT_KEY);
        const used = (spec.ports ?? []).map((p) => p.nodePort).filter((p): p is number => p !== undefined);
        if (ports !== undefined && used.length > 0) {
          ops.push({ op: 'put', key: NODE_PORT_KEY, value: JSON.stringify(without(parseRange(ports, ''), used)) });
          compare.push({ key: NODE_PORT_KEY, target: 'mod', result: '=', operand: ports.modRevision });
        }
      }
      this.etcd.txn(this.host, { compare, success: ops, failure: [] }, (o) => {
        if (!o.ok) return done({ ok: false, status: storageError(etcdMessage(o)) });
        if (o.result.kind !== 'txn' || !o.result.txn.succeeded) return done({ ok: false, status: conflict(type, name) });
        done({ ok: true, value: current });
      });
    });
  }

  /**
   * POST pods/<name>/eviction: a delete that a PodDisruptionBudget may refuse (429), as kubectl
   * drain uses it. A pod that is not running counts against no budget.
   */
  private evict(namespace: string, name: string, gracePeriodSeconds: number | undefined, done: Done<unknown>): void {
    const pods = RESOURCES.find((t) => t.kind === 'Pod') as ResourceType;
    const pdbs = RESOURCES.find((t) => t.kind === 'PodDisruptionBudget') as ResourceType;
    this.get(pods, namespace, name, (got) => {
      if (!got.ok) return done(got);
      const pod = got.value;
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      const gone = (): void => this.delete(pods, namespace, name, gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }, (r) => done(r.ok ? { ok: true, value: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } } : r));
      if (phase !== 'Running' || pod.metadata.deletionTimestamp !== undefined) return gone();
      this.list(pdbs, namespace, (l) => {
        if (!l.ok) return done(l);
        const matching = l.value.items.filter((b) => {
          const sel = (b.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector;
          const labels = pod.metadata.labels ?? {};
          return sel !== undefined && Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
        });
        if (matching.length > 1) return done({ ok: false, status: { ...storageError('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.'), code: 500 } });
        const pdb = matching[0];
        if (pdb === undefined) return gone();
        const st = (pdb.status ?? {}) as { observedGeneration?: number; disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; disruptedPods?: Record<string, string> };
        const refuse = (why: string): void =>
          done({ ok: false, status: tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", { reason: 'DisruptionBudget', message: why, field: '' }) });
        if ((st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1)) return refuse(`The disruption budget ${pdb.metadata.name} is still being processed by the server.`);
        if ((st.disruptionsAllowed ?? 0) <= 0) return refuse(`The disruption budget ${pdb.metadata.name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`);
        // Spend one disruption (a conflict means another eviction spent it first: that one wins).
        const spent: KubeObject = { ...pdb, status: { ...st, disruptionsAllowed: (st.disruptionsAllowed ?? 0) - 1, disruptedPods: { ...(st.disruptedPods ?? {}), [name]: rfc3339(this.world.now) } } };
        this.write(pdbs, pdb, spent, { subresource: 'status' }, (w) => (w.ok ? gone() : done(w)));
      });
    });
  }

  /** POST pods/<name>/binding: the scheduler's decision; a pod is bound once. */
  private bind(namespace: string, name: string, body: unknown, done: Done<unknown>): void {
    const pods = RESOURCES.find((t) => t.kind === 'Pod') as ResourceType;
    const target = (body as { target?: { name?: string } } | undefined)?.target?.name;
    if (typeof target !== 'string' || target === '') return done({ ok: false, status: badRequest('binding target must be a node name') });
    this.get(pods, namespace, name, (got) => {
      if (!got.ok) return done(got);
      const spec = (got.value.spec ?? {}) as { nodeName?: string };
      if (spec.nodeName !== undefined) return done({ ok: false, status: { ...conflict(pods, name), message: `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${spec.nodeName}"` } });
      if (got.value.metadata.deletionTimestamp !== undefined) return done({ ok: false, status: { ...conflict(pods, name), message: `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is being deleted, cannot be assigned to a host` } });
      // The binding registry also records the decision in the pod's status: PodScheduled=True.
      const status = (got.value.status ?? {}) as { conditions?: { type: string }[] };
      const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(this.world.now) };
      const conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), scheduled];
      const bound: KubeObject = { ...got.value, spec: { ...spec, nodeName: target }, status: { ...status, conditions } };
      this.casPut(pods, got.value, bound, (w) => done(w.ok ? { ok: true, value: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } } : w));
    });
  }

  /** The pod and the container a log or exec request is for, as the pod registry checks them, and the pod's node (none yet: undefined). */
  private podContainerFor(namespace: string, name: string, wanted: string | undefined, done: Done<unknown>, then: (pod: KubeObject, container: string, node: string | undefined) => void): void {
    const pods = RESOURCES.find((t) => t.kind === 'Pod') as ResourceType;
    this.get(pods, namespace, name, (got) => {
      if (!got.ok) return done(got);
      const picked = podContainer(got.value, wanted);
      if ('error' in picked) return done({ ok: false, status: badRequest(picked.error) });
      then(got.value, picked.container, ((got.value.spec ?? {}) as { nodeName?: string }).nodeName);
    });
  }

  /**
   * GET pods/<name>/log: checks the container, then asks the kubelet of the pod's node for the
   * log (kube-apiserver proxies to the kubelet's port 10250). A pod on no node has no log yet.
   */
  private logs(namespace: string, name: string, opts: LogOptions, done: Done<unknown>): void {
    this.podContainerFor(namespace, name, opts.container, done, (pod, container, node) => {
      if (node === undefined) return done({ ok: true, value: '' });
      const reqId = ++this.nextKubeletCall;
      const deadline = this.world.schedule(KUBELET_TIMEOUT_MS, `apiserver kubelet call ${this.host}`, () => {
        this.kubeletCalls.delete(reqId);
        done({ ok: false, status: storageError(`Get "https://${node}:${KUBELET_PORT}/containerLogs/${namespace}/${name}/${container}": dial tcp ${node}:${KUBELET_PORT}: i/o timeout`) });
      });
      this.kubeletCalls.set(reqId, {
        deadline,
        done: (r) => done(r.error === undefined ? { ok: true, value: r.text ?? '' } : { ok: false, status: badRequest(r.error) }),
      });
      const call: ContainerLogsRequest = { reqId, namespace, pod: name, container, replyPort: KUBELET_CLIENT_PORT, ...opts };
      this.world.net.send(this.host, node, KubeletMsg.ContainerLogs, call, KUBELET_PORT);
    });
  }

  /**
   * POST pods/<name>/exec: checks the container as the pod registry does, then proxies the stream
   * to the kubelet of the pod's node. Until the kubelet takes the stream, a silent node is a dial
   * time-out; afterwards the command may run as long as it runs.
   */
  private exec(namespace: string, name: string, opts: ExecOptions, done: Done<unknown>): void {
    this.podContainerFor(namespace, name, opts.container, done, (pod, container, node) => {
      if (node === undefined) return done({ ok: false, status: badRequest(`pod ${name} does not have a host assigned`) });
      const address = ((pod.status ?? {}) as { hostIP?: string }).hostIP ?? node;
      const reqId = ++this.nextKubeletCall;
      const deadline = this.world.schedule(KUBELET_TIMEOUT_MS, `apiserver kubelet exec ${this.host}`, () => {
        this.execCalls.delete(reqId);
        done({ ok: false, status: storageError(`error dialing backend: dial tcp ${address}:${KUBELET_PORT}: i/o timeout`) });
      });
      const call: { answer: (r: ExecResponse) => void; deadline?: ScheduledEvent } = {
        deadline,
        answer: (r) => {
          if (call.deadline !== undefined) this.world.cancel(call.deadline);
          call.deadline = undefined;
          if (r.result === undefined) return;
          this.execCalls.delete(reqId);
          done({ ok: true, value: r.result });
        },
      };
      this.execCalls.set(reqId, call);
      const req: ExecRequest = { reqId, namespace, pod: name, container, command: opts.command, replyPort: KUBELET_CLIENT_PORT };
      this.world.net.send(this.host, node, KubeletMsg.Exec, req, KUBELET_PORT);
    });
  }

  private kubeletAnswer(m: Message): void {
    if (m.type === KubeletMsg.ExecResponse) return this.execCalls.get((m.payload as ExecResponse).reqId)?.answer(m.payload as ExecResponse);
    if (m.type !== KubeletMsg.ContainerLogsResponse) return;
    const r = m.payload as ContainerLogsResponse;
    const call = this.kubeletCalls.get(r.reqId);
    if (call === undefined) return;
    this.kubeletCalls.delete(r.reqId);
    this.world.cancel(call.deadline);
    call.done(r);
  }

  /**
   * Registers the APIService v1beta1.metrics.k8s.io: requests for nodes.metrics.k8s.io and
   * pods.metrics.k8s.io are proxied to metrics-server on `host` (undefined: not installed).
   */
  setMetricsServer(host: string | undefined): void {
    this.metricsServer = host;
  }

  /**
   * The aggregation layer: metrics.k8s.io is not stored in etcd but served by metrics-server;
   * kube-apiserver forwards the request and relays the answer, or says the backend is unavailable.
   */
  private metrics(req: ApiRequest, done: Done<unknown>): void {
    const backend = this.metricsServer;
    const resource = req.resource ?? '';
    // Without the APIService the group does not exist: a bare 404, as for any unknown path.
    if (backend === undefined) return done({ ok: false, status: { ...notFoundResource('the server could not find the requested resource') } });
    if (req.verb !== 'get' && req.verb !== 'list') return done({ ok: false, status: methodNotAllowed('the server does not allow this method on the requested resource') });
    const reqId = ++this.nextKubeletCall;
    const what = `get ${resource}${req.verb === 'get' ? ` ${req.name ?? ''}` : ''}`;
    const deadline = this.world.schedule(KUBELET_TIMEOUT_MS, `apiserver metrics call ${this.host}`, () => {
      this.metricsCalls.delete(reqId);
      done({ ok: false, status: serviceUnavailable(`the server is currently unable to handle the request (${what})`) });
    });
    this.metricsCalls.set(reqId, { deadline, done });
    const call: MetricsApiRequest = {
      reqId,
      replyPort: AGGREGATOR_CLIENT_PORT,
      verb: req.verb,
      resource: resource === METRICS_RESOURCES.nodes ? 'nodes' : 'pods',
      ...(req.namespace === undefined || resource === METRICS_RESOURCES.nodes ? {} : { namespace: req.namespace }),
      ...(req.name === undefined ? {} : { name: req.name }),
      ...(req.labelSelector === undefined ? {} : { labelSelector: req.labelSelector }),
      ...(req.fieldSelector === undefined ? {} : { fieldSelector: req.fieldSelector }),
    };
    this.world.net.send(this.host, backend, MetricsMsg.Request, call, METRICS_SERVER_PORT);
  }

  private metricsAnswer(m: Message): void {
    if (m.type !== MetricsMsg.Response) return;
    const r = m.payload as MetricsApiResponse;
    const call = this.metricsCalls.get(r.reqId);
    if (call === undefined) return;
    this.metricsCalls.delete(r.reqId);
    this.world.cancel(call.deadline);
    call.done(r.result);
  }

  /** Writes `next` over `current` if nobody wrote in between (a 409 Conflict otherwise). */
  private casPut(type: ResourceType, current: KubeObject, next: KubeObject, done: Done<KubeObject>): void {
    const name = current.metadata.name ?? '';
    const key = etcdKey(type, current.metadata.namespace, name);
    const { resourceVersion: _rv, ...metadata } = next.metadata;
    const stored: KubeObject = { ...next, metadata };
    const txn: TxnRequest = { compare: [{ key, target: 'mod', result: '=', operand: Number(current.metadata.resourceVersion) }], success: [{ op: 'put', key, value: JSON.stringify(stored) }], failure: [] };
    this.etcd.txn(this.host, txn, (w) => {
      if (!w.ok) return done({ ok: false, status: storageError(etcdMessage(w)) });
      if (w.result.kind !== 'txn' || !w.result.txn.succeeded) return done({ ok: false, status: conflict(type, name) });
      done({ ok: true, value: withVersion(stored, w.result.txn.revision) });
    });
  }

  /** Quorum reads of several keys, one after another; absent keys are left out of the map. */
  private readKeys(keys: readonly string[], done: Done<Map<string, KeyValue>>): void {
    const found = new Map<string, KeyValue>();
    const next = (i: number): void => {
      const key = keys[i];
      if (key === undefined) return done({ ok: true, value: found });
      this.etcd.range(this.host, key, {}, (o) => {
        if (!o.ok) return done({ ok: false, status: storageError(etcdMessage(o)) });
        const kv = o.result.kind === 'range' ? o.result.range.kvs[0] : undefined;
        if (kv !== undefined) found.set(key, kv);
        next(i + 1);
      });
    };
    next(0);
  }

  /** Checks a request body: kind known, schema (strict decoding), semantics; then defaults it. */
  private decode(body: unknown, namespace: string | undefined): ApiResult<{ type: ResourceType; object: KubeObject }> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, status: badRequest('the request body must be a JSON object') };
    const raw = body as Partial<KubeObject>;
    if (typeof raw.apiVersion !== 'string' || typeof raw.kind !== 'string') {
      return { ok: false, status: badRequest("Object 'Kind' is missing in the request body") };
    }
    const type = resourceForKind(raw.apiVersion, raw.kind);
    if ('error' in type) return { ok: false, status: badRequest(type.error) };
    // Request bodies are JSON: a JSON round trip is the deep copy that keeps exactly what would cross the wire.
    const object = JSON.parse(JSON.stringify(raw)) as KubeObject;
    object.metadata = object.metadata ?? {};
    const name = typeof object.metadata.name === 'string' ? object.metadata.name : '';
    const schemaErrors = validateAgainstKind(raw.apiVersion, raw.kind, object) ?? [];
    const prefix = `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: `;
    const unknown = schemaErrors.filter((e) => e.message.startsWith('unknown field'));
    if (unknown.length > 0) {
      return { ok: false, status: badRequest(`${prefix}strict decoding error: ${unknown.map((e) => `unknown field "${formatPath(e.path)}"`).join(', ')}`) };
    }
    const typeErrors = schemaErrors.filter((e) => e.message !== 'Required value');
    if (typeErrors.length > 0) {
      const e = typeErrors[0] as (typeof typeErrors)[number];
      return { ok: false, status: badRequest(`${prefix}${goDecodeError(e) ?? `${formatPath(e.path)}: ${e.message}`}`) };
    }
    dropNulls(object);
    // A Secret's stringData is write-only: the API merges it into data (base64), overriding.
    if (object.kind === 'Secret') mergeStringData(object);
    if (type.namespaced) {
      const ns = namespace ?? object.metadata.namespace ?? 'default';
      if (object.metadata.namespace !== undefined && object.metadata.namespace !== ns) {
        return { ok: false, status: badRequest('the namespace of the provided object does not match the namespace sent on the request') };
      }
      object.metadata.namespace = ns;
    } else {
      delete object.metadata.namespace;
    }
    const required: FieldError[] = schemaErrors
      .filter((e) => e.message === 'Required value' && !UNVALIDATED_REQUIRED.has(`${type.kind}.${formatPath(e.path)}`))
      .map((e) => ({ field: formatPath(e.path), type: 'Required value' }));
    const errors = [...required, ...validateSemantics(type, object).filter((e) => !required.some((r) => r.field === e.field))];
    if (errors.length > 0) return { ok: false, status: invalid(type, name, errors) };
    applyDefaults(object);
    return { ok: true, value: { type, object } };
  }

  private newUid(): string {
    return uuidV4(this.rng);
  }

  /** generateName's suffix: five characters from the alphabet apimachinery uses (no vowels, no look-alikes). */
  private nameSuffix(): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    return Array.from({ length: 5 }, () => alphabet[this.rng.int(alphabet.length)]).join('');
  }
}

const NAMESPACES = RESOURCES.find((t) => t.kind === 'Namespace') as ResourceType;
const PODS = RESOURCES.find((t) => t.kind === 'Pod') as ResourceType;
const RUNTIME_CLASSES = RESOURCES.find((t) => t.kind === 'RuntimeClass') as ResourceType;

function prefixOf(type: ResourceType, namespace: string | undefined): string {
  return type.namespaced && namespace !== undefined ? `${type.etcdPrefix}/${namespace}/` : `${type.etcdPrefix}/`;
}

/** The value a watch's field selector requires of the watch cache's trigger field (pods' spec.nodeName), if it requires one. */
function triggerValue(type: ResourceType, fieldSelector: string | undefined): string | undefined {
  if (type.kind !== 'Pod' || fieldSelector === undefined) return undefined;
  const fields = parseFieldSelector(type.kind, fieldSelector);
  if ('error' in fields) return undefined;
  return fields.find((f) => f.field === 'spec.nodeName' && f.op === '=')?.value;
}

/** Label and field selectors together, as one predicate. */
function parseSelectors(type: ResourceType, s: { labelSelector?: string; fieldSelector?: string }): { matches: (o: KubeObject) => boolean } | { error: string } {
  const labels: Requirement[] | { error: string } = s.labelSelector === undefined ? [] : parseLabelSelector(s.labelSelector);
  if ('error' in labels) return labels;
  const fields: FieldRequirement[] | { error: string } = s.fieldSelector === undefined ? [] : parseFieldSelector(type.kind, s.fieldSelector);
  if ('error' in fields) return fields;
  return { matches: (o) => matchesSelector(labels, o.metadata.labels) && matchesFields(fields, o) };
}

/** No finalizer left (and, for a namespace, its spec.finalizers emptied by the namespace controller). */
function readyToGo(o: KubeObject): boolean {
  if ((o.metadata.finalizers ?? []).length > 0) return false;
  if (o.kind === 'Namespace' && ((o.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0) return false;
  if (o.kind === 'Pod' && Number(o.metadata.deletionGracePeriodSeconds ?? 0) > 0) return false;
  return true;
}

function parseRange(kv: KeyValue | undefined, range: string): RangeState {
  return kv === undefined ? emptyRange(range) : (JSON.parse(kv.value) as RangeState);
}

/** An unknown resource in the URL path: 404 with the server's own words. */
function notFoundResource(message: string): Status {
  return { ...badRequest(message), code: 404, reason: 'NotFound' };
}

function decodeKv(kv: KeyValue): KubeObject {
  return JSON.parse(kv.value) as KubeObject;
}

function withVersion(o: KubeObject, revision: number): KubeObject {
  return { ...o, metadata: { ...o.metadata, resourceVersion: String(revision) } };
}

function fromStorage(kv: KeyValue): KubeObject {
  return withVersion(decodeKv(kv), kv.modRevision);
}

/** etcd's error text, as kube-apiserver passes it on. */
function etcdMessage(o: ClientOutcome & { ok: false }): string {
  return o.error === 'client: no response' ? 'etcdserver: request timed out' : o.error;
}

/**
 * Fields the OpenAPI marks required that kube-apiserver's validation does not require: an
 * EndpointSlice of a Service with no ready pods has `endpoints: null`.
 */
const UNVALIDATED_REQUIRED: ReadonlySet<string> = new Set(['EndpointSlice.endpoints', 'NetworkPolicy.spec.podSelector']);

/** Go struct fields of type metav1.Time are not pointers: a null decodes to the zero time and is written back as null. */
const NULL_TIMES = new Set(['creationTimestamp', 'lastProbeTime', 'lastTransitionTime', 'lastHeartbeatTime', 'lastUpdateTime', 'startedAt', 'finishedAt']);

/** Decoding as Go does: a null field is an unset one (omitted when written back), except non-pointer times. */
function dropNulls(o: unknown): void {
  if (Array.isArray(o)) {
    for (const item of o) dropNulls(item);
    return;
  }
  if (o === null || typeof o !== 'object') return;
  const rec = o as Record<string, unknown>;
  for (const [k, v] of Object.entries(rec)) {
    if (v === null) {
      if (!NULL_TIMES.has(k)) delete rec[k];
    } else dropNulls(v);
  }
}

/** Secret.stringData → data, as the v1 conversion does: its keys win over data's, and it is not stored. */
function mergeStringData(secret: KubeObject): void {
  const o = secret as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
  if (o.stringData === undefined) return;
  const data = { ...(o.data ?? {}) };
  for (const [k, v] of Object.entries(o.stringData)) data[k] = encodeBase64(String(v));
  o.data = data;
  delete o.stringData;
}

/**
 * The container a log or exec request is for, as the pod registry checks it: the one named (a
 * container or an init container), or the only container when none is named.
 */
function podContainer(pod: KubeObject, requested: string | undefined): { container: string } | { error: string } {
  const spec = (pod.spec ?? {}) as { containers?: { name: string }[]; initContainers?: { name: string }[] };
  const name = pod.metadata.name ?? '';
  const containers = (spec.containers ?? []).map((c) => c.name);
  const inits = (spec.initContainers ?? []).map((c) => c.name);
  const container = requested ?? (containers.length === 1 ? containers[0] : undefined);
  if (container === undefined) {
    const initPart = inits.length > 0 ? ` or one of the init containers: [${inits.join(' ')}]` : '';
    return { error: `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${initPart}` };
  }
  if (!containers.includes(container) && !inits.includes(container)) return { error: `container ${container} is not valid for pod ${name}` };
  return { container };
}
