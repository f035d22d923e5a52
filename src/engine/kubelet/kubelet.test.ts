import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { clusterHarness } from '../testing/clusterHarness';
import { parseRfc3339 } from '../virtualTime';

type Obj = Record<string, unknown>;

/** A pod already bound to a node (no scheduler involved). */
function pod(name: string, node: string, containers: Obj[], spec: Obj = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: node, containers, ...spec } };
}

const status = (p: KubeObject | undefined): Obj => (p?.status ?? {}) as Obj;
const containerStatus = (p: KubeObject | undefined, i = 0): Obj => ((status(p).containerStatuses ?? []) as Obj[])[i] ?? {};
const state = (p: KubeObject | undefined, i = 0): Obj => (containerStatus(p, i).state ?? {}) as Obj;
const condition = (p: KubeObject | undefined, type: string): Obj | undefined => ((status(p).conditions ?? []) as Obj[]).find((c) => c.type === type);

describe('kubelet: nodes', () => {
  it('registers every node Ready with the kubelet conditions; masters carry the control-plane role and NoSchedule taint', () => {
    const { list } = clusterHarness();
    const nodes = list('nodes');
    expect(nodes.map((n) => n.metadata.name)).toEqual(['master-1', 'master-2', 'master-3', 'worker-1', 'worker-2', 'worker-3']);
    for (const n of nodes) {
      const conditions = (status(n).conditions as Obj[]).map((c) => `${String(c.type)}=${String(c.status)} ${String(c.reason)}`);
      expect(conditions).toEqual(['MemoryPressure=False KubeletHasSufficientMemory', 'DiskPressure=False KubeletHasNoDiskPressure', 'PIDPressure=False KubeletHasSufficientPID', 'Ready=True KubeletReady']);
    }
    const master = nodes[0] as KubeObject;
    const worker = nodes[3] as KubeObject;
    expect(master.metadata.labels).toMatchObject({ 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': 'master-1', 'topology.kubernetes.io/zone': 'zone-a' });
    expect((master.spec as Obj).taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect((worker.spec as Obj).taints).toBeUndefined();
    expect(worker.metadata.labels?.['topology.kubernetes.io/zone']).toBe('zone-a');
    // 4 CPUs and 8Gi as the default topology gives workers; 100Mi held back for hard eviction.
    expect(status(worker).capacity).toMatchObject({ cpu: '4', memory: '8388608Ki', pods: '110' });
    expect((status(worker).allocatable as Obj).memory).toBe('8286208Ki');
    expect(status(worker).addresses).toEqual([
      { type: 'InternalIP', address: '10.0.1.10' },
      { type: 'Hostname', address: 'worker-1' },
    ]);
  });

  it('renews each node Lease in kube-node-lease every 10 seconds', () => {
    const { get, run, cluster } = clusterHarness();
    const renew = (): number => parseRfc3339(String((get('leases', 'worker-2', 'kube-node-lease')?.spec as Obj).renewTime)) ?? NaN;
    const first = renew();
    expect((get('leases', 'worker-2', 'kube-node-lease')?.spec as Obj).leaseDurationSeconds).toBe(40);
    run(30_000);
    const later = renew();
    expect(later - first).toBeGreaterThanOrEqual(20_000);
    expect(cluster.world.now - later).toBeLessThanOrEqual(10_500);
  });
});

describe('kubelet: pods', () => {
  it('pulls, creates and starts a container; the pod becomes Running and, after its readiness probe, Ready', () => {
    const { ok, get, run, events } = clusterHarness();
    ok({ verb: 'create', body: pod('web', 'worker-1', [{ name: 'nginx', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 } }]) });
    run(1_000);
    expect(state(get('pods', 'web'))).toEqual({ waiting: { reason: 'ContainerCreating' } });
    run(10_000);
    const p = get('pods', 'web');
    expect(status(p).phase).toBe('Running');
    expect(condition(p, 'Ready')?.status).toBe('True');
    expect(containerStatus(p)).toMatchObject({ ready: true, started: true, restartCount: 0, image: 'nginx:1.27' });
    expect(String(containerStatus(p).containerID)).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    // worker-1 is the 4th node: its pods get addresses from 10.244.3.0/24.
    expect(String(status(p).podIP)).toMatch(/^10\.244\.3\.\d+$/);
    expect(status(p).hostIP).toBe('10.0.1.10');
    expect(events('web').map((e) => e.replace(/in [\d.]+m?s \([\d.]+m?s/, 'in T (T'))).toEqual([
      'Pulling: Pulling image "nginx:1.27"',
      'Pulled: Successfully pulled image "nginx:1.27" in T (T including waiting). Image size: 75497472 bytes.',
      'Created: Created container nginx',
      'Started: Started container nginx',
    ]);
  });

  it('reports an image that does not exist as ErrImagePull, then ImagePullBackOff, retrying with a growing back-off', () => {
    const { ok, get, run, list } = clusterHarness();
    ok({ verb: 'create', body: pod('typo', 'worker-2', [{ name: 'web', image: 'ngnix' }]) });
    run(1_700);
    const first = state(get('pods', 'typo')).waiting as Obj;
    expect(first.reason).toBe('ErrImagePull');
    expect(first.message).toContain('failed to pull and unpack image "docker.io/library/ngnix:latest"');
    run(3_000);
    expect(state(get('pods', 'typo'))).toEqual({ waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "ngnix"' } });
    run(120_000);
    const pulls = list('events', 'default').find((e) => e.reason === 'Pulling' && (e.involvedObject as Obj).name === 'typo');
    // Back-off 10 s, 20 s, 40 s, 80 s: in two minutes, four attempts after the first.
    expect(pulls?.count).toBe(4);
    expect(status(get('pods', 'typo')).phase).toBe('Pending');
  });

  it('restarts a crashing container with CrashLoopBackOff: immediately, then after 10 s, 20 s, 40 s', () => {
    const { ok, get, run } = clusterHarness();
    ok({ verb: 'create', body: pod('crash', 'worker-3', [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo starting; exit 3'] }]) });
    run(5_000);
    const p = get('pods', 'crash');
    expect(status(p).phase).toBe('Running');
    expect(containerStatus(p).restartCount).toBe(1);
    expect(String((state(p).waiting as Obj).message)).toMatch(/^back-off 10s restarting failed container=app pod=crash_default\(/);
    expect((containerStatus(p).lastState as Obj).terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    run(12_000);
    expect(containerStatus(get('pods', 'crash')).restartCount).toBe(2);
    run(20_000);
    expect(containerStatus(get('pods', 'crash')).restartCount).toBe(3);
    expect(String((state(get('pods', 'crash')).waiting as Obj).message)).toMatch(/^back-off 40s/);
  });

  it('ends pods by restartPolicy: Never fails on a non-zero exit, OnFailure succeeds after a zero exit', () => {
    const { ok, get, run } = clusterHarness();
    ok({ verb: 'create', body: pod('never', 'worker-1', [{ name: 'job', image: 'busybox:1.36', command: ['sh', '-c', 'exit 1'] }], { restartPolicy: 'Never' }) });
    ok({ verb: 'create', body: pod('once', 'worker-2', [{ name: 'job', image: 'busybox:1.36', command: ['sleep', '2'] }], { restartPolicy: 'OnFailure' }) });
    run(10_000);
    const never = get('pods', 'never');
    expect(status(never).phase).toBe('Failed');
    expect(state(never).terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const once = get('pods', 'once');
    expect(status(once).phase).toBe('Succeeded');
    expect(state(once).terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(condition(once, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('terminates gracefully: nginx exits on SIGTERM at once, a sleeping shell only when the grace period ends', () => {
    const { ok, get, run, events } = clusterHarness();
    ok({ verb: 'create', body: pod('web', 'worker-1', [{ name: 'nginx', image: 'nginx:1.27' }]) });
    ok({ verb: 'create', body: pod('sleepy', 'worker-2', [{ name: 'sh', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] }]) });
    run(10_000);
    ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'web' });
    ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'sleepy' });
    run(2_000);
    expect(get('pods', 'web')).toBeUndefined();
    expect(get('pods', 'sleepy')?.metadata.deletionTimestamp).toBeDefined();
    expect(events('sleepy')).toContain('Killing: Stopping container sh');
    run(27_000);
    expect(get('pods', 'sleepy')).toBeDefined();
    run(3_000);
    expect(get('pods', 'sleepy')).toBeUndefined();
  });

  it('holds a container whose ConfigMap is missing (CreateContainerConfigError) and starts it once the ConfigMap exists', () => {
    const { ok, get, run, events } = clusterHarness();
    const env = [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }];
    ok({ verb: 'create', body: pod('cfg', 'worker-1', [{ name: 'app', image: 'busybox:1.36', command: ['sleep', 'infinity'], env }]) });
    run(5_000);
    expect(state(get('pods', 'cfg'))).toEqual({ waiting: { reason: 'CreateContainerConfigError', message: 'configmap "settings" not found' } });
    expect(events('cfg')).toContain('Failed: Error: configmap "settings" not found');
    ok({ verb: 'create', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { mode: 'fast' } } });
    run(75_000);
    expect(state(get('pods', 'cfg')).running).toBeDefined();
  });

  it('kills a container that needs more memory than its limit: OOMKilled, exit code 137', () => {
    const { ok, get, run } = clusterHarness();
    ok({ verb: 'create', body: pod('db', 'worker-2', [{ name: 'mongo', image: 'mongo:7', resources: { limits: { memory: '64Mi' } } }]) });
    run(30_000);
    const last = (containerStatus(get('pods', 'db')).lastState as Obj).terminated as Obj;
    expect(last).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  it('runs init containers first, one after another; the app waits in PodInitializing', () => {
    const { ok, get, run } = clusterHarness();
    const inits = [
      { name: 'wait', image: 'busybox:1.36', command: ['sleep', '5'] },
      { name: 'migrate', image: 'busybox:1.36', command: ['sh', '-c', 'echo migrated'] },
    ];
    ok({ verb: 'create', body: pod('app', 'worker-3', [{ name: 'web', image: 'nginx:1.27' }], { initContainers: inits }) });
    run(4_000);
    let p = get('pods', 'app');
    expect(condition(p, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [wait migrate]' });
    expect(state(p)).toEqual({ waiting: { reason: 'PodInitializing' } });
    run(15_000);
    p = get('pods', 'app');
    expect(condition(p, 'Initialized')?.status).toBe('True');
    expect(((status(p).initContainerStatuses as Obj[])[1]?.state as Obj).terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(status(p).phase).toBe('Running');
  });

  it('restarts a container whose liveness probe fails three times', () => {
    const { ok, get, run, events } = clusterHarness();
    const probe = { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 5, failureThreshold: 3 };
    ok({ verb: 'create', body: pod('live', 'worker-1', [{ name: 'nginx', image: 'nginx:1.27', livenessProbe: probe }]) });
    run(30_000);
    expect(containerStatus(get('pods', 'live')).restartCount).toBeGreaterThanOrEqual(1);
    const said = events('live');
    expect(said).toContain('Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 404');
    expect(said).toContain('Killing: Container nginx failed liveness probe, will be restarted');
  });
});

describe('kubelet: faults', () => {
  it('a stopped kubelet leaves its containers running; started again, it stops what was deleted meanwhile', () => {
    const { cluster, ok, get, run } = clusterHarness();
    ok({ verb: 'create', body: pod('web', 'worker-1', [{ name: 'nginx', image: 'nginx:1.27' }]) });
    run(10_000);
    const runtime = cluster.runtimes.get('worker-1');
    const uid = get('pods', 'web')?.metadata.uid ?? '';
    cluster.applyFault({ stopKubelet: 'worker-1' });
    run(5_000);
    expect(runtime?.containersOf(uid).filter((c) => c.finishedAt === undefined)).toHaveLength(1);
    ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'web' });
    run(60_000);
    // Nobody on the node finishes the deletion: the pod stays Terminating, its container runs.
    expect(get('pods', 'web')?.metadata.deletionTimestamp).toBeDefined();
    expect(runtime?.containersOf(uid).filter((c) => c.finishedAt === undefined)).toHaveLength(1);
    cluster.applyFault({ startKubelet: 'worker-1' });
    run(10_000);
    expect(get('pods', 'web')).toBeUndefined();
    expect(runtime?.containersOf(uid)).toEqual([]);
  });

  it('after a node reboot the kubelet starts the pod again, counting the restart, and reports the new boot', () => {
    const { cluster, ok, get, run, events } = clusterHarness();
    ok({ verb: 'create', body: pod('web', 'worker-2', [{ name: 'nginx', image: 'nginx:1.27' }]) });
    run(10_000);
    const before = String(containerStatus(get('pods', 'web')).containerID);
    cluster.applyFault({ kill: 'worker-2' });
    run(5_000);
    cluster.applyFault({ restart: 'worker-2' });
    run(20_000);
    const p = get('pods', 'web');
    expect(state(p).running).toBeDefined();
    expect(containerStatus(p).restartCount).toBe(1);
    expect(String(containerStatus(p).containerID)).not.toBe(before);
    expect(events('worker-2', 'default').some((e) => e.startsWith('Rebooted: Node worker-2 has been rebooted, boot id: '))).toBe(true);
  });
});
