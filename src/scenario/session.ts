import { Cluster, type ClusterOptions } from '../engine/cluster';
import { ClusterView } from '../engine/clusterView';
import type { Fault } from '../engine/faults';
import { EtcdClient } from '../engine/store/etcdClient';
import { runCurl } from '../kubectl/curl';
import { runEtcdctl } from '../kubectl/etcdctl/etcdctl';
import type { CommandResult, EtcdctlEnv } from '../kubectl/etcdctl/etcdctlEnv';
import type { ExplainSchemas } from '../kubectl/explain';
import { runKubectl } from '../kubectl/kubectl';
import { runLoad } from '../kubectl/load';
import type { KubectlEnv } from '../kubectl/kubectlEnv';

/** The learner's machine: outside the cluster, so partitions never cut it off. */
export const CONSOLE_HOST = 'console';

/** kubectl's context through the load balancer; one more context is pinned to each master. */
export const DEFAULT_CONTEXT = 'kubernetes-admin@kubeplay';

/**
 * A command may run this long in virtual time before the console stops waiting for it (a real
 * terminal would wait until Ctrl+C): past kubectl's own longest wait (delete's, 5 minutes).
 */
export const COMMAND_LIMIT_MS = 600_000;

/** One thing the learner does at the console, in the editor or on the map. */
export type Command =
  | { readonly kind: 'kubectl'; readonly command: string; readonly stdin?: string; readonly files?: Readonly<Record<string, string>> }
  | { readonly kind: 'etcdctl'; readonly command: string }
  | { readonly kind: 'fault'; readonly fault: Fault }
  | { readonly kind: 'crashContainer'; readonly namespace: string; readonly pod: string; readonly container?: string }
  /** curl on the learner's laptop: reaches the cluster from outside (a node's NodePort). */
  | { readonly kind: 'curl'; readonly command: string }
  /** Steady requests from the learner's laptop until stopped (`load http://worker-1:30080/ --rate 20`). */
  | { readonly kind: 'load'; readonly command: string };

/**
 * A cluster with a console beside it: kubectl (one context per master plus the load
 * balancer's), etcdctl, and the faults. The CLI's scenario runner and the playground both run
 * commands through here, so a session replays the same in Node and in the browser.
 *
 * Commands run as typed in a shell: to completion, in virtual time (a write the control plane
 * cannot commit waits for its timeout, and the clock moves on meanwhile).
 */
export class Session {
  readonly cluster: Cluster;
  /** The observer's view of the stored objects (reading it sends nothing over the network). */
  readonly view: ClusterView;
  private readonly kubectl: KubectlEnv;
  private readonly etcdctl: EtcdctlEnv;
  private readonly files = new Map<string, string>();

  constructor(options: ClusterOptions, explainSchemas?: ExplainSchemas) {
    const cluster = new Cluster(options);
    this.cluster = cluster;
    this.view = new ClusterView(cluster.etcd);
    const world = cluster.world;
    world.net.addHost(CONSOLE_HOST, 'outside', undefined, { external: true });
    this.etcdctl = {
      world,
      etcd: cluster.etcd,
      client: new EtcdClient(world, CONSOLE_HOST),
      memberIPs: new Map(cluster.nodes.filter((n) => n.role === 'control-plane').map((n) => [n.name, n.internalIP])),
    };
    const clients = new Map([[DEFAULT_CONTEXT, cluster.apiClient(CONSOLE_HOST, 'kubectl')]]);
    for (const m of cluster.masters) clients.set(m, cluster.apiClient(CONSOLE_HOST, `kubectl-${m}`, m));
    this.kubectl = { world, defaultContext: DEFAULT_CONTEXT, clients, files: this.files, ...(explainSchemas === undefined ? {} : { explainSchemas }) };
  }

  get world(): Cluster['world'] {
    return this.cluster.world;
  }

  /** The schemas `kubectl explain` reads; large, so a host may hand them over once loaded. */
  setExplainSchemas(schemas: ExplainSchemas): void {
    this.kubectl.explainSchemas = schemas;
  }

  /** The kubectl contexts: the default one first. */
  contexts(): string[] {
    return [...this.kubectl.clients.keys()];
  }

  /** Runs one command to its end and says what it printed. `stdin` is what `-f -` reads. */
  run(command: Command, stdin?: string): CommandResult {
    switch (command.kind) {
      case 'fault':
        this.cluster.applyFault(command.fault);
        return { exitCode: 0, stdout: '', stderr: '' };
      case 'crashContainer':
        return this.crash(command.namespace, command.pod, command.container);
      case 'etcdctl':
        return this.toEnd((done) => runEtcdctl(this.etcdctl, command.command, done));
      case 'curl': {
        const result = runCurl(this.world, this.cluster.dataPlane, CONSOLE_HOST, command.command);
        this.world.runUntil(this.world.now);
        return result;
      }
      case 'load':
        return runLoad(this.world, this.cluster.dataPlane, CONSOLE_HOST, command.command);
      case 'kubectl':
        this.files.clear();
        for (const [name, text] of Object.entries(command.files ?? {})) this.files.set(name, text);
        return this.toEnd((done) => runKubectl(this.kubectl, command.command, command.stdin ?? stdin, done));
    }
  }

  /**
   * Kills a container's main process, as a crash or `kill 1` inside it would: containerd reports
   * exit 137 and the kubelet restarts it by the pod's restartPolicy.
   */
  private crash(namespace: string, pod: string, container: string | undefined): CommandResult {
    const fail = (message: string): CommandResult => ({ exitCode: 1, stdout: '', stderr: `error: ${message}\n` });
    // A fresh read, not the long-lived view: a replay must find the same pod whatever the view saw before.
    const view = new ClusterView(this.cluster.etcd);
    view.refresh();
    const p = view.get('pods', namespace, pod);
    if (p === undefined) return fail(`pods "${pod}" not found`);
    const uid = p.metadata.uid ?? '';
    const node = (p.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
    const runtime = this.cluster.runtimes.get(node);
    if (runtime === undefined || !this.world.net.isAlive(node) || runtime.sandbox(uid) === undefined) return fail(`pod ${namespace}/${pod} is not running on a live node`);
    const running = runtime.containersOf(uid).filter((c) => c.startedAt !== undefined && c.finishedAt === undefined && (container === undefined || c.name === container));
    const target = running[running.length - 1];
    if (target === undefined) return fail(container === undefined ? `pod ${pod} has no running container` : `container ${container} of pod ${pod} is not running`);
    runtime.crash(target.id);
    return { exitCode: 0, stdout: `container "${target.name}" of pod ${namespace}/${pod} on ${node} was killed (exit code 137)\n`, stderr: '' };
  }

  /**
   * Runs a command to its answer, then finishes the millisecond it ended in, so every action
   * starts and ends on a millisecond boundary: the action log records only the millisecond,
   * and a replay must reach the same point in the event queue.
   */
  private toEnd(start: (done: (r: CommandResult) => void) => void): CommandResult {
    const result = this.world.runUntilDone(start, COMMAND_LIMIT_MS) ?? { exitCode: 1, stdout: '', stderr: `error: the command was still running after ${COMMAND_LIMIT_MS / 60_000} minutes of virtual time; the console stopped waiting for it\n` };
    this.world.runUntil(this.world.now);
    return result;
  }
}

