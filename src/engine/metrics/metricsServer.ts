import type { ApiClient } from '../apiserver/apiClient';
import { type ApiResult, badRequest, type KubeObject, type Status } from '../apiserver/apiObjects';
import {
  KUBELET_PORT,
  KubeletStatsMsg,
  type MetricsApiRequest,
  type MetricsApiResponse,
  METRICS_SERVER_PORT,
  MetricsMsg,
  type ResourceStatsRequest,
  type ResourceStatsResponse,
} from '../apiserver/apiProtocol';
import { matchesFields, parseFieldSelector } from '../apiserver/fieldSelector';
import { matchesSelector, parseLabelSelector } from '../apiserver/labelSelector';
import { Informer } from '../client/informer';
import type { ScheduledEvent } from '../eventQueue';
import type { Message } from '../network';
import { rfc3339 } from '../virtualTime';
import type { World } from '../world';
import { type Batch, EMPTY_STORE, formatBinaryBytes, formatNanoCores, goDuration, nodeUsage, type Point, type PodPoints, podUsage, type Store, storeBatch, type Usage } from './metricsStorage';

/** --metric-resolution=15s: how often every kubelet is scraped. */
export const METRIC_RESOLUTION_MS = 15_000;
/** --kubelet-request-timeout: a kubelet that has not answered by then is left out of the cycle. */
const SCRAPE_TIMEOUT_MS = 10_000;
/** Where the kubelets' answers arrive. */
const SCRAPE_REPLY_PORT = 'metrics-server-scraper';

const GROUP_VERSION = 'metrics.k8s.io/v1beta1';

/**
 * metrics-server: every 15 s it scrapes /metrics/resource of every node's kubelet, keeps the last
 * two samples, and serves NodeMetrics and PodMetrics (the Metrics API the API servers aggregate
 * under metrics.k8s.io) from them. It stores nothing in etcd: a restart starts from empty.
 */
export class MetricsServer {
  private readonly nodes: Informer;
  private readonly pods: Informer;
  private store: Store = EMPTY_STORE;
  private running = false;
  private timer: ScheduledEvent | undefined;
  private cycle: { id: number; waiting: Set<string>; nodes: Map<string, Point>; pods: PodPoints[]; deadline: ScheduledEvent } | undefined;
  private cycles = 0;

  constructor(
    private readonly world: World,
    client: ApiClient,
    /** The host it runs on: where the API servers' proxied requests reach it. */
    readonly host: string,
    private readonly resolutionMs = METRIC_RESOLUTION_MS,
  ) {
    this.nodes = new Informer(world, client, 'nodes', {});
    this.pods = new Informer(world, client, 'pods', {});
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.nodes.start();
    this.pods.start();
    this.world.net.setHandler(this.host, (m) => this.serve(m), METRICS_SERVER_PORT);
    this.world.net.setHandler(this.host, (m) => this.scraped(m), SCRAPE_REPLY_PORT);
    this.tick();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.nodes.stop();
    this.pods.stop();
    this.world.net.setHandler(this.host, undefined, METRICS_SERVER_PORT);
    this.world.net.setHandler(this.host, undefined, SCRAPE_REPLY_PORT);
    if (this.timer) this.world.cancel(this.timer);
    if (this.cycle) this.world.cancel(this.cycle.deadline);
    this.timer = undefined;
    this.cycle = undefined;
    this.store = EMPTY_STORE;
  }

  // ---- scraping ----

  private tick(): void {
    this.scrape();
    this.timer = this.world.schedule(this.resolutionMs, `metrics-server ${this.host} scrape`, () => this.tick());
  }

  /** One cycle: ask every known node at once; store the batch when all answered or the timeout passed. */
  private scrape(): void {
    if (this.cycle !== undefined) return;
    // A Node whose machine does not exist cannot be dialled: its scrape fails, like an unreachable kubelet's.
    const names = this.nodes
      .list()
      .map((n) => n.metadata.name ?? '')
      .filter((n) => this.world.net.hasHost(n));
    if (names.length === 0) return;
    const id = ++this.cycles;
    const deadline = this.world.schedule(SCRAPE_TIMEOUT_MS, `metrics-server ${this.host} scrape timeout`, () => this.finishCycle(id));
    this.cycle = { id, waiting: new Set(names), nodes: new Map(), pods: [], deadline };
    for (const node of names) {
      const req: ResourceStatsRequest = { reqId: id, replyPort: SCRAPE_REPLY_PORT };
      this.world.net.send(this.host, node, KubeletStatsMsg.Request, req, KUBELET_PORT);
    }
  }

  private scraped(m: Message): void {
    if (m.type !== KubeletStatsMsg.Response || m.copy > 0) return;
    const r = m.payload as ResourceStatsResponse;
    const c = this.cycle;
    if (c === undefined || r.reqId !== c.id || !c.waiting.has(r.node)) return;
    c.waiting.delete(r.node);
    c.nodes.set(r.node, r.nodeSample);
    c.pods.push(...r.pods);
    if (c.waiting.size === 0) {
      this.world.cancel(c.deadline);
      this.finishCycle(c.id);
    }
  }

  private finishCycle(id: number): void {
    const c = this.cycle;
    if (c === undefined || c.id !== id) return;
    this.cycle = undefined;
    const batch: Batch = { nodes: c.nodes, pods: c.pods };
    this.store = storeBatch(this.store, batch, this.resolutionMs);
  }

  // ---- the Metrics API ----

  private serve(m: Message): void {
    if (m.type !== MetricsMsg.Request || m.copy > 0) return;
    const req = m.payload as MetricsApiRequest;
    const resp: MetricsApiResponse = { reqId: req.reqId, result: this.answer(req) };
    this.world.net.send(this.host, m.from, MetricsMsg.Response, resp, req.replyPort);
  }

  /** What the Metrics API returns for a request (exposed for tests through the API servers). */
  private answer(req: MetricsApiRequest): ApiResult<unknown> {
    const now = this.world.now;
    const filter = selectorFilter(req.resource === 'nodes' ? 'Node' : 'Pod', req.labelSelector, req.fieldSelector);
    if ('error' in filter) return { ok: false, status: badRequest(filter.error) };
    if (req.resource === 'nodes') {
      if (req.verb === 'get') {
        const node = this.nodes.get(req.name ?? '');
        const item = node === undefined ? undefined : this.nodeMetrics(node, now);
        return item === undefined ? { ok: false, status: notFoundMetrics('nodemetrics', req.name ?? '') } : { ok: true, value: item };
      }
      const items = this.nodes
        .list()
        .filter(filter.matches)
        .flatMap((n) => this.nodeMetrics(n, now) ?? []);
      return { ok: true, value: { kind: 'NodeMetricsList', apiVersion: GROUP_VERSION, metadata: {}, items } };
    }
    if (req.verb === 'get') {
      const ns = req.namespace ?? 'default';
      const pod = this.pods.get(`${ns}/${req.name ?? ''}`);
      if (pod === undefined) return { ok: false, status: { ...notFoundMetrics('pods', req.name ?? ''), details: { name: req.name ?? '', kind: 'pods' } } };
      const item = this.podMetrics(pod, now);
      return item === undefined ? { ok: false, status: notFoundMetrics('podmetrics', `${ns}/${req.name ?? ''}`) } : { ok: true, value: item };
    }
    const items = this.pods
      .list()
      .filter((p) => req.namespace === undefined || p.metadata.namespace === req.namespace)
      .filter(filter.matches)
      .flatMap((p) => this.podMetrics(p, now) ?? []);
    return { ok: true, value: { kind: 'PodMetricsList', apiVersion: GROUP_VERSION, metadata: {}, items } };
  }

  private nodeMetrics(node: KubeObject, now: number): KubeObject | undefined {
    const name = node.metadata.name ?? '';
    const u = nodeUsage(this.store, name);
    if (u === undefined) return undefined;
    return {
      kind: 'NodeMetrics',
      apiVersion: GROUP_VERSION,
      // metrics-server stamps the object when it answers; the sample's own time is `timestamp`.
      metadata: { name, creationTimestamp: rfc3339(now), ...labelsOf(node) },
      timestamp: rfc3339(u.timestamp),
      window: goDuration(u.windowMs),
      usage: usageOf(u),
    };
  }

  /** Running pods only, as metrics-server reports them. */
  private podMetrics(pod: KubeObject, now: number): KubeObject | undefined {
    if ((pod.status as { phase?: string } | undefined)?.phase !== 'Running') return undefined;
    const u = podUsage(this.store, pod.metadata.namespace ?? 'default', pod.metadata.name ?? '');
    if (u === undefined) return undefined;
    return {
      kind: 'PodMetrics',
      apiVersion: GROUP_VERSION,
      metadata: { name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? 'default', creationTimestamp: rfc3339(now), ...labelsOf(pod) },
      timestamp: rfc3339(u.timestamp),
      window: goDuration(u.windowMs),
      containers: u.containers.map((c) => ({ name: c.name, usage: usageOf(c.usage) })),
    };
  }
}

/** The object's labels, omitted when empty (omitempty). */
function labelsOf(o: KubeObject): { labels?: Record<string, string> } {
  const labels = o.metadata.labels ?? {};
  return Object.keys(labels).length === 0 ? {} : { labels: { ...labels } };
}

function usageOf(u: Usage): { cpu: string; memory: string } {
  return { cpu: formatNanoCores(u.cpuNano), memory: formatBinaryBytes(u.memoryBytes) };
}

/** metrics-server's NotFound: `nodemetrics.metrics.k8s.io "worker-1" not found`, `podmetrics.metrics.k8s.io "default/web" not found`. */
function notFoundMetrics(resource: 'nodemetrics' | 'podmetrics' | 'pods', name: string): Status {
  const qualified = resource === 'pods' ? 'pods' : `${resource}.metrics.k8s.io`;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${qualified} "${name}" not found`,
    reason: 'NotFound',
    details: { name, ...(resource === 'pods' ? { kind: 'pods' } : { group: 'metrics.k8s.io', kind: resource }) },
    code: 404,
  } as Status;
}

function selectorFilter(kind: string, labelSelector: string | undefined, fieldSelector: string | undefined): { matches: (o: KubeObject) => boolean } | { error: string } {
  const labels = labelSelector === undefined ? [] : parseLabelSelector(labelSelector);
  if ('error' in labels) return labels;
  const fields = fieldSelector === undefined ? [] : parseFieldSelector(kind, fieldSelector);
  if ('error' in fields) return fields;
  return { matches: (o) => matchesSelector(labels, o.metadata.labels) && matchesFields(fields, o) };
}
