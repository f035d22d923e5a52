import type { KubeObject } from '../apiserver/apiObjects';
import { ClusterView } from '../clusterView';
import type { ContainerRecord, ContainerRuntime } from '../kubelet/runtime';
import type { AppBehaviour } from '../kubelet/process';
import type { Network } from '../network';
import type { EtcdCluster } from '../store/etcdCluster';
import type { NodeSpec } from '../topology';
import type { World } from '../world';
import { DNS_SERVICE_IP, resolveName } from './dns';
import { flowAllowed, type PeerPod } from './networkPolicy';
import { type EndpointEntry, type ServiceEntry, ServiceTable, usableEndpoints } from './serviceTable';
import { nslookupOutput, type RequestResult, toolOutput } from './toolOutput';
import { addTally, emptyTally, type Failure, type Tally, TrafficSeries } from './trafficSeries';

/** How often the traffic model sends a slice of each client's requests. */
export const TRAFFIC_TICK_MS = 100;
/** kube-proxy's --iptables-min-sync-period: changes reach the rules at most once a second. */
export const PROXY_MIN_SYNC_MS = 1_000;
/** Linux gives up on an unanswered connect after its SYN retries (tcp_syn_retries 6: ~127 s). */
export const CONNECT_TIMEOUT_MS = 127_000;
/** The learner's laptop, as the cluster sees it (TEST-NET-1, RFC 5737). */
export const EXTERNAL_CLIENT_IP = '192.0.2.10';
/** How deep a chain of upstreams is followed (web → api → db → …). */
const MAX_DEPTH = 4;

type Obj = Record<string, unknown>;
type Client = NonNullable<AppBehaviour['client']>;
type ToolName = NonNullable<AppBehaviour['oneShot']>;
/** Where a tool's request goes (a URL's host, port and path; for nslookup, the name). */
type ToolClient = Omit<Client, 'rps'>;
/** wget -q / curl -s, and curl -f. */
type ToolOpts = { readonly quiet: boolean; readonly failOnHttpError: boolean };

/** A pod (or the outside world) sending requests. */
interface Peer {
  readonly node: string;
  readonly ip: string;
  /** Outside the cluster: no cluster DNS, no route to ClusterIPs or pod IPs. */
  readonly external?: boolean;
  readonly pod?: { readonly namespace: string; readonly labels: Record<string, string>; readonly uid: string };
}

/** Where one request goes after DNS and kube-proxy: a pod's address and port, and the node it is on. */
interface Backend {
  readonly ip: string;
  readonly port: number;
  readonly node?: string;
  readonly podUid?: string;
}

type Route =
  | { readonly kind: 'dns'; readonly tried: readonly string[]; readonly timedOut: boolean }
  | { readonly kind: 'drop' | 'reject'; readonly ip: string; readonly service?: ServiceEntry }
  /** `from` replaces the sender when traffic enters through another node (NodePort: SNAT to the node). */
  | { readonly kind: 'backends'; readonly ip: string; readonly service?: ServiceEntry; readonly backends: readonly Backend[]; readonly from?: Peer };

/** What a backend does with a request: answers (a share `okShare` successfully, the rest with 500s) or fails. */
type Answer = { readonly kind: 'ok'; readonly okShare: number; readonly container: ContainerRecord; readonly podName: string } | { readonly kind: Exclude<Failure, 'dns' | 'error'> };

interface Source {
  readonly id: string;
  /** The container sending; none for a load from outside the cluster (the learner's laptop). */
  readonly container?: ContainerRecord;
  /** The sender's host: the container's node, or the laptop. */
  readonly node: string;
  readonly client: Client;
  readonly app: AppBehaviour;
  readonly startedAt: number;
  credit: number;
  okCarry: number;
  /** The second being summed for a load generator's log line. */
  secondAt: number;
  second: Tally;
  /** A one-shot tool that has sent its request (and maybe waits for a time-out). */
  fired: boolean;
  /** The series this source's requests count towards as a client ("client/default/deployment/loadgen", "outside/…"). */
  seriesKey?: string;
  /** For a load from outside: what `load` lists. */
  readonly outside?: ExternalLoad;
}

/** A load from the learner's laptop: requests at a steady rate to a URL, from outside the cluster, until stopped. */
export interface ExternalLoad {
  /** As typed, normalised: "http://worker-1:30080/". */
  readonly url: string;
  readonly rps: number;
  /** Virtual ms it started at. */
  readonly startedAt: number;
  /** The series its requests count towards ("outside/<url, encoded>"). */
  readonly seriesKey: string;
}

/**
 * The cluster's data plane: kube-proxy's Service rules, cluster DNS and the pod network, with
 * NetworkPolicy enforced on every flow. Traffic is simulated as request rates: every 100 ms each
 * client sends its share, and each request succeeds only if its name resolves, kube-proxy has a
 * ready endpoint for it, the path is not partitioned, the endpoint's node is alive, something
 * listens on the port and network policy lets it through — then the server's own upstreams
 * decide. kube-proxy's rules follow the EndpointSlices at most once a second, so a dead
 * endpoint keeps receiving (and failing) requests until the control plane removes it.
 *
 * kube-proxy and the network-policy agent of every node are modelled as one, reading what the
 * API serves: on a real cluster each node's copy lags by its own watch, a few milliseconds.
 */
export class DataPlane {
  private view: ClusterView | undefined;
  private table = new ServiceTable([], []);
  private lastSync = -Infinity;
  private dirty = true;
  private readonly sources = new Map<string, Source>();
  private ticking = false;
  private ticks = 0;
  private readonly podsByUid = new Map<string, KubeObject>();
  private readonly podsByIP = new Map<string, KubeObject>();
  private readonly series = new Map<string, TrafficSeries>();
  /** Nodes by name and by address: where requests to a node go, and which node a pod is on. */
  private readonly nodeByName: ReadonlyMap<string, NodeSpec>;
  private readonly nodeByIP: ReadonlyMap<string, NodeSpec>;
  /** The API's pods by etcd key, so an update finds what it replaces. */
  private readonly podsByKey = new Map<string, KubeObject>();
  /** One tick's answers for upstream chains, by pod and target. */
  private memo = new Map<string, number>();

  constructor(
    private readonly world: World,
    private readonly etcd: EtcdCluster,
    private readonly runtimes: ReadonlyMap<string, ContainerRuntime>,
    nodes: readonly NodeSpec[],
  ) {
    this.nodeByName = new Map(nodes.map((n) => [n.name, n]));
    this.nodeByIP = new Map(nodes.map((n) => [n.internalIP, n]));
    for (const rt of runtimes.values()) rt.observers.add((c) => this.observe(rt, c));
  }

  /**
   * The series of every Service, client workload and load from outside that has had traffic, by
   * key ("service/default/web", "client/default/deployment/loadgen", "outside/<URL, encoded>").
   */
  allSeries(): ReadonlyMap<string, TrafficSeries> {
    return this.series;
  }

  seriesOf(key: string): TrafficSeries | undefined {
    return this.series.get(key);
  }

  /** The Services kube-proxy has programmed, as of its last sync. */
  programmed(): ServiceTable {
    return this.table;
  }

  /**
   * One request from outside the cluster (the learner's laptop, `host`) to a node's address or
   * name and a NodePort: what it got. ClusterIPs, pod IPs and cluster DNS names are not reachable
   * from outside, as on a real cluster.
   */
  externalRequest(host: string, target: string, port: number, path: string): { result: RequestResult; service?: ServiceEntry } {
    this.sync();
    return this.single(outsidePeer(host), target, port, path);
  }

  /**
   * Starts sending `rps` requests a second from outside the cluster (the laptop `fromHost`) to
   * host:port/path, as a load tool on the learner's machine would, until stopped: through a
   * node's NodePort, the way outside traffic enters a cluster. A load to the same URL is replaced.
   */
  startLoad(fromHost: string, target: { host: string; port: number; path: string }, rps: number): ExternalLoad {
    const url = loadUrl(target);
    const id = `outside:${url}`;
    this.sources.delete(id);
    const load: ExternalLoad = { url, rps, startedAt: this.world.now, seriesKey: `outside/${encodeURIComponent(url)}` };
    this.sources.set(id, {
      id,
      node: fromHost,
      client: { host: target.host, port: target.port, path: target.path, rps },
      app: {},
      startedAt: this.world.now,
      credit: 0,
      okCarry: 0,
      secondAt: second(this.world.now),
      second: emptyTally(),
      fired: false,
      seriesKey: load.seriesKey,
      outside: load,
    });
    this.startTicking();
    return load;
  }

  /** Whether a host name means anything outside the cluster: a node's name, or an IPv4 address. */
  resolvesFromOutside(host: string): boolean {
    return this.nodeByName.has(host) || isIPv4(host);
  }

  /** Stops the load to `url` (every load from outside when undefined); says which stopped. */
  stopLoad(url?: string): ExternalLoad[] {
    const stopped = this.loads().filter((l) => url === undefined || l.url === url);
    for (const l of stopped) this.sources.delete(`outside:${l.url}`);
    return stopped;
  }

  /** The loads running from outside, oldest first. */
  loads(): ExternalLoad[] {
    const out: ExternalLoad[] = [];
    for (const s of this.sources.values()) if (s.outside !== undefined) out.push(s.outside);
    return out.sort((a, b) => a.startedAt - b.startedAt);
  }

  private net(): Network {
    return this.world.net;
  }

  private observe(rt: ContainerRuntime, c: ContainerRecord): void {
    const client = c.program.app?.client;
    if (client === undefined || c.startedAt === undefined) return;
    if (c.finishedAt !== undefined) {
      this.sources.delete(c.id);
      return;
    }
    if (this.sources.has(c.id)) return;
    const app = c.program.app ?? {};
    this.sources.set(c.id, { id: c.id, container: c, node: rt.node, client, app, startedAt: c.startedAt, credit: 0, okCarry: 0, secondAt: second(this.world.now), second: emptyTally(), fired: false });
    this.startTicking();
  }

  private startTicking(): void {
    if (this.ticking) return;
    this.ticking = true;
    const delay = TRAFFIC_TICK_MS - (this.world.now % TRAFFIC_TICK_MS);
    this.world.schedule(delay, 'traffic tick', () => this.tick());
  }

  private tick(): void {
    this.ticks++;
    this.sync();
    this.memo = new Map();
    for (const s of [...this.sources.values()]) {
      if (s.container !== undefined && (s.container.finishedAt !== undefined || !this.net().isAlive(s.node))) {
        this.flushSecond(s, true);
        this.sources.delete(s.id);
        continue;
      }
      this.drive(s);
    }
    if (this.sources.size === 0) {
      this.ticking = false;
      return;
    }
    this.world.schedule(TRAFFIC_TICK_MS, 'traffic tick', () => this.tick());
  }

  /** kube-proxy's sync: rebuild the rules when the API changed, at most once a second. */
  private sync(): void {
    this.view ??= new ClusterView(this.etcd);
    const changed = this.view.refresh();
    for (const key of changed) {
      if (key.startsWith('/registry/pods/')) this.updatePod(key);
      else if (key.startsWith('/registry/services/') || key.startsWith('/registry/endpointslices/')) this.dirty = true;
    }
    if (!this.dirty || this.world.now - this.lastSync < PROXY_MIN_SYNC_MS) return;
    this.table = new ServiceTable(this.view.list('services'), this.view.list('endpointslices'));
    this.lastSync = this.world.now;
    this.dirty = false;
  }

  private updatePod(key: string): void {
    const pod = this.view?.atKey(key);
    const old = this.podsByKey.get(key);
    if (old !== undefined) {
      this.podsByKey.delete(key);
      if (this.podsByUid.get(old.metadata.uid ?? '') === old) this.podsByUid.delete(old.metadata.uid ?? '');
      const ip = podIP(old);
      if (ip !== undefined && this.podsByIP.get(ip) === old) this.podsByIP.delete(ip);
    }
    if (pod === undefined) return;
    this.podsByKey.set(key, pod);
    this.podsByUid.set(pod.metadata.uid ?? '', pod);
    const ip = podIP(pod);
    if (ip !== undefined) this.podsByIP.set(ip, pod);
  }

  // ---- clients ----

  private drive(s: Source): void {
    if (s.app.oneShot !== undefined && s.container?.program.loop === undefined) {
      if (!s.fired) this.oneShot(s);
      return;
    }
    this.flushSecond(s, false);
    s.credit += (s.client.rps * TRAFFIC_TICK_MS) / 1000;
    const n = Math.floor(s.credit + 1e-9);
    if (n <= 0) return;
    s.credit -= n;
    const from = this.peerOfContainer(s);
    if (s.app.oneShot !== undefined) {
      // A loop of wget/curl: each run prints what it got.
      const rt = this.runtimes.get(s.node);
      for (let i = 0; i < n; i++) for (const line of this.runTool(s, from).lines) if (s.container !== undefined) rt?.appendLog(s.container.id, line);
      return;
    }
    const { tally, service } = this.send(from, s.client.host, s.client.port, n, s);
    this.count(s, tally, service);
    addTally(s.second, tally);
  }

  /** A load generator logs one line a second: how many requests it sent and what became of them. */
  private flushSecond(s: Source, final: boolean): void {
    if (s.app.oneShot !== undefined) return;
    const at = second(this.world.now);
    if (!final && at === s.secondAt) return;
    const t = s.second;
    if (t.requests > 0 && s.container !== undefined) this.runtimes.get(s.node)?.appendLog(s.container.id, summaryLine(s.client, t));
    s.secondAt = at;
    s.second = emptyTally();
  }

  /** `kubectl run check --image=busybox -- wget -qO- http://web`: one request, its output, the tool's exit code. */
  private oneShot(s: Source): void {
    s.fired = true;
    const from = this.peerOfContainer(s);
    const { code, waitMs, lines } = this.runTool(s, from);
    const rt = this.runtimes.get(s.node);
    const id = s.container?.id ?? '';
    const end = (): void => {
      for (const line of lines) rt?.appendLog(id, line);
      rt?.finish(id, code);
    };
    // A request nobody answers ends, with the tool's complaint, when its time-out runs out.
    if (waitMs <= 0) end();
    else this.world.schedule(waitMs, `${s.app.oneShot ?? 'client'} gives up`, end);
  }

  /** One run of wget/curl/nslookup: what it prints, its exit code and how long it takes. */
  private runTool(s: Source, from: Peer): { code: number; waitMs: number; lines: string[] } {
    const run = this.toolRun(from, s.app.oneShot ?? 'wget', s.client, { quiet: s.app.quiet === true, failOnHttpError: s.app.failOnHttpError === true });
    this.count(s, run.tally, run.service);
    return { code: run.code, waitMs: run.waitMs, lines: run.lines };
  }

  /** A tool's request from `from` and what it prints of the answer, with the tally it counts towards. */
  private toolRun(from: Peer, tool: ToolName, client: ToolClient, opts: ToolOpts): { code: number; waitMs: number; lines: string[]; tally: Tally; service?: ServiceEntry } {
    const ns = from.pod?.namespace ?? 'default';
    if (tool === 'nslookup') {
      const dns = this.resolve(from, client.host, ns);
      const out = nslookupOutput(dns.ok ? { ok: true, fqdn: dns.fqdn, ips: dns.ips } : { ok: false, tried: dns.tried, timedOut: dns.timedOut });
      const tally = dns.ok ? { ...emptyTally(), requests: 1, ok: 1 } : { ...emptyTally(), requests: 1, dns: 1 };
      return { code: out.code, waitMs: dns.ok ? 0 : dns.timedOut ? 15_000 : 0, lines: out.lines, tally };
    }
    const { result, service } = this.single(from, client.host, client.port, client.path ?? '/');
    const timeoutMs = client.timeoutSec !== undefined ? client.timeoutSec * 1000 : CONNECT_TIMEOUT_MS;
    const waitMs = result.kind === 'timeout' ? timeoutMs : result.kind === 'dns' && result.timedOut ? 10_000 : 0;
    const out = toolOutput({ tool, host: client.host, port: client.port, path: client.path ?? '/', ...opts, timeoutSet: client.timeoutSec !== undefined }, result, waitMs);
    const tally = { ...emptyTally(), requests: 1 };
    if (result.kind === 'ok') {
      if (result.status < 400) tally.ok = 1;
      else tally.error = 1;
    } else tally[result.kind] = 1;
    return { code: out.code, waitMs, lines: out.lines, tally, ...(service ? { service } : {}) };
  }

  private count(s: Source, tally: Tally, service: ServiceEntry | undefined): void {
    s.seriesKey ??= `client/${this.workloadOf(s.container?.podUid ?? '')}`;
    this.record(s.seriesKey, tally, service);
  }

  /** Requests counted towards the Service they went through and the client that sent them. */
  private record(clientKey: string, tally: Tally, service: ServiceEntry | undefined): void {
    const t = second(this.world.now);
    if (service !== undefined) this.seriesFor(`service/${service.namespace}/${service.name}`).add(t, tally);
    this.seriesFor(clientKey).add(t, tally);
  }

  private seriesFor(key: string): TrafficSeries {
    let s = this.series.get(key);
    if (s === undefined) this.series.set(key, (s = new TrafficSeries()));
    return s;
  }

  /** "default/deployment/loadgen": the workload that owns the client's pod (a bare pod is its own). */
  private workloadOf(podUid: string): string {
    const pod = this.podsByUid.get(podUid);
    if (pod === undefined) return `unknown/pod/${podUid}`;
    const ns = pod.metadata.namespace ?? 'default';
    const owner = pod.metadata.ownerReferences?.find((o) => o.controller === true);
    if (owner === undefined) return `${ns}/pod/${pod.metadata.name ?? ''}`;
    if (owner.kind === 'ReplicaSet') {
      const rs = this.view?.get('replicasets', ns, owner.name);
      const dep = rs?.metadata.ownerReferences?.find((o) => o.controller === true && o.kind === 'Deployment');
      if (dep !== undefined) return `${ns}/deployment/${dep.name}`;
    }
    return `${ns}/${owner.kind.toLowerCase()}/${owner.name}`;
  }

  private peerOfContainer(s: Source): Peer {
    return s.container === undefined ? outsidePeer(s.node) : this.peerOf(s.node, s.container.podUid);
  }

  /** A pod on a node, as a sender: its address, namespace and labels (what DNS search and policy go by). */
  private peerOf(node: string, podUid: string): Peer {
    const pod = this.podsByUid.get(podUid);
    const ip = this.runtimes.get(node)?.sandbox(podUid)?.ip ?? '';
    if (pod === undefined) return { node, ip };
    return { node, ip, pod: { namespace: pod.metadata.namespace ?? 'default', labels: { ...(pod.metadata.labels ?? {}) }, uid: pod.metadata.uid ?? '' } };
  }

  // ---- requests ----

  /** `n` requests from `from` to host:port: how many succeeded and how the others failed. */
  private send(from: Peer, host: string, port: number, n: number, s: Source): { tally: Tally; service?: ServiceEntry } {
    const tally: Tally = { ...emptyTally(), requests: n };
    const route = this.route(from, host, port, from.pod?.namespace ?? 'default');
    const service = 'service' in route ? route.service : undefined;
    if (route.kind === 'dns') {
      tally.dns = n;
      return { tally, ...(service ? { service } : {}) };
    }
    if (route.kind !== 'backends') {
      tally[route.kind === 'drop' ? 'timeout' : 'refused'] = n;
      return { tally, ...(service ? { service } : {}) };
    }
    const shares = this.spread(n, route.backends.length);
    route.backends.forEach((b, i) => {
      const count = shares[i] ?? 0;
      if (count === 0) return;
      const answer = this.answer(route.from ?? from, b, 0);
      if (answer.kind !== 'ok') {
        tally[answer.kind] += count;
        return;
      }
      s.okCarry += count * answer.okShare;
      const ok = Math.min(count, Math.floor(s.okCarry + 1e-9));
      s.okCarry -= ok;
      tally.ok += ok;
      tally.error += count - ok;
    });
    return { tally, ...(service ? { service } : {}) };
  }

  /** One request, for a tool that prints what it got: the first backend in kube-proxy's rotation answers. */
  private single(from: Peer, host: string, port: number, path: string): { result: RequestResult; service?: ServiceEntry } {
    const route = this.route(from, host, port, from.pod?.namespace ?? 'default');
    const service = 'service' in route ? route.service : undefined;
    const withService = (result: RequestResult) => ({ result, ...(service ? { service } : {}) });
    if (route.kind === 'dns') return withService({ kind: 'dns', tried: route.tried, timedOut: route.timedOut });
    if (route.kind !== 'backends') return withService(route.kind === 'drop' ? { kind: 'timeout', ip: route.ip } : { kind: 'refused', ip: route.ip });
    const b = route.backends[this.ticks % route.backends.length];
    if (b === undefined) return withService({ kind: 'refused', ip: route.ip });
    const answer = this.answer(route.from ?? from, b, 0);
    if (answer.kind !== 'ok') return withService({ kind: answer.kind, ip: route.ip });
    if (answer.okShare < 1) return withService({ kind: 'ok', ip: route.ip, status: 500, body: 'Internal Server Error\n' });
    const { status, body } = this.page(answer.container, answer.podName, path);
    return withService({ kind: 'ok', ip: route.ip, status, body });
  }

  /** Shares of n requests over k backends, as kube-proxy's random choice evens out: equal, the remainder rotating. */
  private spread(n: number, k: number): number[] {
    if (k === 0) return [];
    const base = Math.floor(n / k);
    const extra = n % k;
    const rot = this.ticks % k;
    return Array.from({ length: k }, (_, i) => base + ((i - rot + k) % k < extra ? 1 : 0));
  }

  private resolve(from: Peer, host: string, namespace: string): ({ ok: true; fqdn: string; ips: readonly string[]; service: ServiceEntry; endpoint?: EndpointEntry } | { ok: false; tried: readonly string[]; timedOut: boolean }) {
    // The lookup itself is a flow to kube-dns (UDP 53), which an egress policy may block.
    if (from.pod !== undefined) {
      const verdict = flowAllowed(this.policies(), (ns) => this.namespaceLabels(ns), {
        from: this.peerPod(from),
        to: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ip: DNS_SERVICE_IP },
        port: 53,
        protocol: 'UDP',
      });
      if (!verdict.allowed) return { ok: false, tried: [host], timedOut: true };
    }
    const answer = resolveName(host, namespace, this.table);
    return answer.ok ? answer : { ok: false, tried: answer.tried, timedOut: false };
  }

  /** DNS, then kube-proxy's rules: the pods a request to host:port can reach. */
  private route(from: Peer, host: string, port: number, namespace: string): Route {
    let ip = host;
    let dnsService: ServiceEntry | undefined;
    let headlessIPs: readonly string[] | undefined;
    if (!isIPv4(host)) {
      const node = this.nodeByName.get(host);
      if (node !== undefined) ip = node.internalIP;
      else if (from.external === true) return { kind: 'dns', tried: [host], timedOut: false };
      else {
        const dns = this.resolve(from, host, namespace);
        if (!dns.ok) return { kind: 'dns', tried: dns.tried, timedOut: dns.timedOut };
        ip = dns.ips[0] ?? '';
        dnsService = dns.service;
        if (dns.service.clusterIP === undefined) headlessIPs = dns.endpoint !== undefined ? [dns.endpoint.ip] : dns.ips;
      }
    }
    if (headlessIPs !== undefined && dnsService !== undefined) {
      // A headless name is the pods' own addresses: no kube-proxy, the client picks one.
      return { kind: 'backends', ip, service: dnsService, backends: headlessIPs.map((a) => this.podBackend(a, port)) };
    }
    const svc = from.external === true ? undefined : this.table.byIP(ip);
    if (svc !== undefined) return this.viaService(svc, ip, port);
    const entry = this.nodeByIP.get(ip);
    if (entry !== undefined) {
      const np = this.table.nodePort(port);
      if (np === undefined) return { kind: 'reject', ip };
      // externalTrafficPolicy: Cluster — the entry node forwards to any endpoint, as itself.
      if (!this.reachable(from.node, entry.name)) return { kind: 'drop', ip, service: np.service };
      const via = this.viaService(np.service, ip, np.port.port);
      return via.kind === 'backends' ? { ...via, from: { node: entry.name, ip: entry.internalIP } } : via;
    }
    if (from.external !== true && this.podsByIP.has(ip)) return { kind: 'backends', ip, backends: [this.podBackend(ip, port)] };
    return { kind: 'drop', ip };
  }

  private viaService(svc: ServiceEntry, ip: string, port: number): Route {
    const sp = svc.ports.find((p) => p.port === port && p.protocol === 'TCP');
    // No rule for that port: the packet goes to an address nobody has and is never answered.
    if (sp === undefined) return { kind: 'drop', ip, service: svc };
    const endpoints = usableEndpoints(svc).filter((e) => e.ports.has(sp.name));
    // kube-proxy rejects connections to a Service without endpoints.
    if (endpoints.length === 0) return { kind: 'reject', ip, service: svc };
    return { kind: 'backends', ip, service: svc, backends: endpoints.map((e) => ({ ip: e.ip, port: e.ports.get(sp.name) ?? port, ...(e.nodeName ? { node: e.nodeName } : {}), ...(e.podUid ? { podUid: e.podUid } : {}) })) };
  }

  private podBackend(ip: string, port: number): Backend {
    const pod = this.podsByIP.get(ip);
    const node = (pod?.spec as Obj | undefined)?.nodeName;
    return { ip, port, ...(typeof node === 'string' ? { node } : {}), ...(pod?.metadata.uid ? { podUid: pod.metadata.uid } : {}) };
  }

  private reachable(a: string, b: string): boolean {
    return this.net().isAlive(b) && (a === b || this.net().linked(a, b));
  }

  /** What the pod behind a backend does with a request from `from`. */
  private answer(from: Peer, b: Backend, depth: number): Answer {
    const uid = b.podUid ?? this.podsByIP.get(b.ip)?.metadata.uid;
    const node = b.node ?? (this.podsByUid.get(uid ?? '')?.spec as Obj | undefined)?.nodeName;
    if (uid === undefined || typeof node !== 'string' || !this.reachable(from.node, node)) return { kind: 'timeout' };
    const rt = this.runtimes.get(node);
    // The address is no longer on the node (the pod is gone): nothing answers.
    if (rt?.sandbox(uid)?.ip !== b.ip) return { kind: 'timeout' };
    const pod = this.podsByUid.get(uid);
    if (pod !== undefined) {
      const verdict = flowAllowed(this.policies(), (ns) => this.namespaceLabels(ns), { from: this.peerPod(from), to: this.peerPod({ node, ip: b.ip, pod: { namespace: pod.metadata.namespace ?? 'default', labels: { ...(pod.metadata.labels ?? {}) }, uid } }), port: b.port, protocol: 'TCP', toNamedPorts: namedPorts(pod) });
      if (!verdict.allowed) return { kind: 'timeout' };
    }
    const now = this.world.now;
    const server = rt.containersOf(uid).find((c) => c.startedAt !== undefined && c.finishedAt === undefined && c.program.ports.includes(b.port) && now >= c.startedAt + c.program.startupMs);
    if (server === undefined) return { kind: 'refused' };
    const app = server.program.app;
    const podName = pod?.metadata.name ?? '';
    if (app?.serverError === true) return { kind: 'ok', okShare: 0, container: server, podName };
    let share = 1;
    for (const up of app?.upstreams ?? []) share *= this.upstreamShare({ node, ip: b.ip, ...(pod ? { pod: { namespace: pod.metadata.namespace ?? 'default', labels: { ...(pod.metadata.labels ?? {}) }, uid } } : {}) }, up.host, up.port, depth + 1);
    return { kind: 'ok', okShare: share, container: server, podName };
  }

  /** The share of a server's calls to an upstream that succeed right now (for its own answers). */
  private upstreamShare(from: Peer, host: string, port: number, depth: number): number {
    if (depth > MAX_DEPTH) return 0;
    const key = `${from.pod?.uid ?? from.ip}|${host}:${port}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    this.memo.set(key, 0);
    const route = this.route(from, host, port, from.pod?.namespace ?? 'default');
    let share = 0;
    if (route.kind === 'backends' && route.backends.length > 0) {
      for (const b of route.backends) {
        const a = this.answer(route.from ?? from, b, depth);
        if (a.kind === 'ok') share += a.okShare;
      }
      share /= route.backends.length;
    }
    this.memo.set(key, share);
    return share;
  }

  /** What a server answers for a path: nginx and httpd serve their document root (a volume, if one is mounted there). */
  private page(c: ContainerRecord, podName: string, path: string): { status: number; body: string } {
    const repo = c.image.repository;
    const root = repo.endsWith('/nginx') ? '/usr/share/nginx/html' : repo.endsWith('/httpd') ? '/usr/local/apache2/htdocs' : undefined;
    const role = c.program.app?.role;
    if (root === undefined) {
      if (role === 'web' || role === 'api') return { status: 200, body: `Hello from ${podName} (${role} ${c.image.tag ?? 'latest'})\n` };
      return { status: 200, body: '' };
    }
    // The image ships its index.html; a volume mounted on the document root hides it.
    const file = path === '/' || path === '' ? `${root}/index.html` : `${root}${path}`;
    const got = c.files?.read(file, this.world.now);
    if (got !== undefined && 'text' in got) return { status: 200, body: got.text };
    // No index in the document root: the server forbids listing the directory.
    return path === '/' || path === '' ? { status: 403, body: '' } : { status: 404, body: '' };
  }

  // ---- network policy ----

  private policies(): KubeObject[] {
    return this.view?.list('networkpolicies') ?? [];
  }

  private namespaceLabels(ns: string): Record<string, string> | undefined {
    const o = this.view?.get('namespaces', '', ns);
    return o === undefined ? undefined : { ...(o.metadata.labels ?? {}) };
  }

  /** A peer as network policy sees it: a pod (with its node's address: a pod's own node may always reach it), or an address. */
  private peerPod(p: Peer): PeerPod | { ip: string } {
    if (p.pod === undefined) return { ip: p.ip };
    const nodeIp = this.nodeByName.get(p.node)?.internalIP;
    return { namespace: p.pod.namespace, labels: p.pod.labels, ip: p.ip, ...(nodeIp === undefined ? {} : { nodeIp }) };
  }

  /**
   * One run of wget, curl or nslookup in a pod on `node` (`kubectl exec POD -- wget -qO- http://web`):
   * what it prints, its exit code and how long it takes, worded as the pods' own one-shot runs.
   */
  execTool(node: string, podUid: string, tool: ToolName, client: ToolClient, opts: ToolOpts): { lines: string[]; code: number; waitMs: number } {
    this.sync();
    const { lines, code, waitMs, tally, service } = this.toolRun(this.peerOf(node, podUid), tool, client, opts);
    // Counted like the pod's own requests: towards the Service and the pod's workload.
    this.record(`client/${this.workloadOf(podUid)}`, tally, service);
    return { lines, code, waitMs };
  }
}

/** The learner's laptop as a sender: outside the cluster, at the documentation address. */
function outsidePeer(host: string): Peer {
  return { node: host, ip: EXTERNAL_CLIENT_IP, external: true };
}

/** "http://worker-1:30080/": a load's URL as the list shows it (the port only when it is not 80). */
export function loadUrl(t: { host: string; port: number; path: string }): string {
  return `http://${t.host}${t.port === 80 ? '' : `:${t.port}`}${t.path === '' ? '/' : t.path}`;
}

/** The load generator's line for one second of requests. */
function summaryLine(client: Client, t: Tally): string {
  const target = loadUrl({ host: client.host, port: client.port, path: client.path ?? '/' });
  return `${target}: ${tallyText(t)}`;
}

/** "20 requests, 20 ok (100%)"; with failures, how many failed and why. */
export function tallyText(t: Tally): string {
  const failed = t.requests - t.ok;
  const pct = t.requests === 0 ? 0 : Math.round((100 * t.ok) / t.requests);
  if (failed === 0) return `${t.requests} requests, ${t.ok} ok (100%)`;
  const why = (
    [
      ['dns', 'name not resolved'],
      ['refused', 'connection refused'],
      ['timeout', 'timed out'],
      ['error', 'HTTP 5xx'],
    ] as const
  )
    .filter(([k]) => t[k] > 0)
    .map(([k, text]) => `${t[k]} ${text}`)
    .join(', ');
  return `${t.requests} requests, ${t.ok} ok (${pct}%), ${failed} failed: ${why}`;
}

function second(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

function isIPv4(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s);
}

function podIP(pod: KubeObject): string | undefined {
  const ip = (pod.status as Obj | undefined)?.podIP;
  return typeof ip === 'string' ? ip : undefined;
}

function namedPorts(pod: KubeObject): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of ((pod.spec as Obj | undefined)?.containers ?? []) as { ports?: { name?: string; containerPort?: number }[] }[]) {
    for (const p of c.ports ?? []) if (p.name !== undefined && typeof p.containerPort === 'number') out[p.name] = p.containerPort;
  }
  return out;
}

