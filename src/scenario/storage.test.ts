import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../engine/apiserver/apiObjects';
import type { Cluster } from '../engine/cluster';
import { storedObjects } from '../engine/testing/clusterHarness';
import { type ActionRecord, type RunResult, runScenario } from './runScenario';
import { formatScenarioError, parseScenario, type Scenario } from './scenario';

/**
 * Storage end to end, from the scenario files in ./scenarios: zonal disks from the default
 * StorageClass, WaitForFirstConsumer, a StatefulSet's data following its pod within its zone,
 * and what deleting a claim does under each reclaim policy. The expected text follows
 * kube-scheduler's FitError, kubectl's tables and the external-provisioner's events.
 */

type Obj = Record<string, unknown>;
const ZONE = 'topology.kubernetes.io/zone';
const SCENARIOS = new URL('./scenarios/', import.meta.url);

function load(file: string): Scenario {
  const parsed = parseScenario(readFileSync(new URL(file, SCENARIOS), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => formatScenarioError(file, e)).join('\n'));
  return parsed.scenario;
}

/** The run of a scenario file, and its records by the time the scenario gives them and the command. */
function run(file: string, untilMs?: number) {
  const result: RunResult = runScenario(load(file), untilMs === undefined ? {} : { untilMs });
  /** An action starts at its time or when the one before it ends: the first record of the command from that time on. */
  const step = (atSeconds: number, command: string): ActionRecord => {
    const r = result.records.find((x) => x.command === command && x.at >= atSeconds * 1000 && x.at < atSeconds * 1000 + 30_000);
    if (r === undefined) throw new Error(`no "${command}" at ${atSeconds}s in ${file}`);
    return r;
  };
  return { ...result, step };
}

/** The rows of a kubectl table as objects keyed by header, cut where the header's columns start (cells may be empty). */
function table(text: string): Record<string, string>[] {
  const [header = '', ...rows] = text.split('\n').filter((l) => l !== '');
  const starts = [...header.matchAll(/(?:^|\s{2,})(\S+(?: \S+)*)/g)].map((m) => (m.index ?? 0) + m[0].length - (m[1] ?? '').length);
  const names = starts.map((s, i) => header.slice(s, starts[i + 1]).trim());
  return rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row.slice(starts[i], starts[i + 1]).trim()])));
}

const zoneOf = (cluster: Cluster, node: string): string | undefined => storedObjects(cluster, `minions/${node}`)[0]?.metadata.labels?.[ZONE];
const spec = (o: KubeObject | undefined): Obj => (o?.spec ?? {}) as Obj;
/** The zones a volume's required node affinity admits. */
const volumeZones = (pv: KubeObject | undefined): unknown => {
  const terms = (((spec(pv).nodeAffinity as Obj | undefined)?.required as Obj | undefined)?.nodeSelectorTerms ?? []) as { matchExpressions?: { key: string; values: string[] }[] }[];
  return terms.flatMap((t) => (t.matchExpressions ?? []).filter((e) => e.key === ZONE).flatMap((e) => e.values));
};
const eventsAbout = (cluster: Cluster, name: string): KubeObject[] => storedObjects(cluster, 'events/default/').filter((e) => (e.involvedObject as Obj).name === name);
const logLines = (r: ActionRecord): string[] => r.stdout.split('\n').filter((l) => l !== '');
/** kubeplay/db's first start on an empty volume. */
const INITIALISED = ['initialising database in /var/lib/kubeplay/db', 'database initialised', 'listening on :5432'];
/** Its start on a volume it initialised before, which records who created it and when (date(1), UTC). */
const FOUND = /^found existing database created by db-0 at (Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d UTC \d{4}$/;

describe('scenario files', () => {
  it('each parses and says what it shows', () => {
    const files = readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml'));
    expect(files).toEqual(expect.arrayContaining(['statefulset-data-survives.yaml', 'pvc-delete-loses-data.yaml', 'waitforfirstconsumer.yaml']));
    for (const f of files) expect(load(f).description ?? '', f).toMatch(/\w.{40,}/);
  });
});

describe('statefulset-data-survives', () => {
  it('a StatefulSet database keeps its data and its zone after its node dies', { timeout: 30_000 }, () => {
    const { step, cluster } = run('statefulset-data-survives.yaml');

    // The default class is zonal and waits for the first consumer.
    expect(table(step(60, 'get storageclass').stdout)).toEqual([
      { NAME: 'standard (default)', PROVISIONER: 'pd.csi.kubeplay.io', RECLAIMPOLICY: 'Delete', VOLUMEBINDINGMODE: 'WaitForFirstConsumer', ALLOWVOLUMEEXPANSION: 'true', AGE: expect.any(String) },
    ]);
    // The scenario kills worker-1: db-0 must have started there (zone-a, with worker-3 beside it).
    const before = table(step(60, 'get pod db-0 -o wide').stdout)[0];
    expect(before).toMatchObject({ NAME: 'db-0', READY: '1/1', STATUS: 'Running', NODE: 'worker-1' });
    const pv = storedObjects(cluster, 'persistentvolumes/')[0];
    expect(volumeZones(pv)).toEqual([zoneOf(cluster, 'worker-1')]);
    expect(logLines(step(60, 'logs db-0'))).toEqual(INITIALISED);

    // Evicted 30 s after the node went Unknown, the pod stays Terminating: no kubelet confirms it stopped,
    // and the StatefulSet will not make a second db-0 while the first may still run.
    expect(table(step(200, 'get pod db-0 -o wide').stdout)[0]).toMatchObject({ STATUS: 'Terminating', NODE: 'worker-1' });
    const force = step(200, 'delete pod db-0 --force --grace-period=0');
    expect(force.stdout).toBe('pod "db-0" force deleted\n');
    expect(force.stderr).toBe('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');

    // The new db-0 runs where the disk can follow: the other worker of the same zone.
    const after = table(step(260, 'get pod db-0 -o wide').stdout)[0];
    expect(after).toMatchObject({ STATUS: 'Running', NODE: 'worker-3' });
    expect(zoneOf(cluster, 'worker-3')).toBe(zoneOf(cluster, 'worker-1'));
    // The database the first pod created is found by the second: the data came along.
    const second = logLines(step(260, 'logs db-0'));
    expect(second[0]).toMatch(FOUND);
    expect(second.slice(1)).toEqual(['listening on :5432']);

    // With zone-a's last worker drained, no node both runs the pod and reaches its disk.
    expect(step(270, 'drain worker-3 --ignore-daemonsets').stdout).toBe('node/worker-3 cordoned\nevicting pod default/db-0\npod/db-0 evicted\nnode/worker-3 drained\n');
    expect(table(step(330, 'get pod db-0 -o wide').stdout)[0]).toMatchObject({ READY: '0/1', STATUS: 'Pending', NODE: '<none>' });
    const message =
      '0/6 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) had volume node affinity conflict, 1 node(s) were unschedulable, ' +
      '3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.';
    const pod = storedObjects(cluster, 'pods/default/db-0')[0];
    expect(((pod?.status as Obj).conditions as Obj[]).find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    expect(eventsAbout(cluster, 'db-0').filter((e) => e.reason === 'FailedScheduling' && (e.involvedObject as Obj).uid === pod?.metadata.uid).map((e) => e.message)).toEqual([message]);
    expect(step(330, 'describe pod db-0').stdout.split('\n')).toContainEqual(expect.stringMatching(/^ {2}Warning {2}FailedScheduling {2}\d+s +default-scheduler {2}0\/6 nodes are available: /));
    // The volume never moved.
    expect(storedObjects(cluster, 'persistentvolumes/').map((v) => v.metadata.name)).toEqual([pv?.metadata.name]);
    expect(cluster.disks.get(pv?.metadata.name ?? '')?.zone).toBe('zone-a');
  });
});

describe('pvc-delete-loses-data', () => {
  it('deleting the claim of a Delete-policy volume deletes the disk: the next StatefulSet starts empty', () => {
    const { step, cluster } = run('pvc-delete-loses-data.yaml');
    expect(logLines(step(60, 'logs db-0'))).toEqual(INITIALISED);
    const before = table(step(60, 'get pvc,pv').stdout.split('\n\n')[1] ?? '')[0];
    const oldVolume = (before?.NAME ?? '').replace('persistentvolume/', '');
    expect(before).toMatchObject({ 'RECLAIM POLICY': 'Delete', STATUS: 'Bound', CLAIM: 'default/data-db-0' });

    // Deleting the StatefulSet leaves its claim, Bound.
    expect(step(70, 'delete statefulset db').stdout).toBe('statefulset.apps "db" deleted\n');
    expect(table(step(70, 'get pvc').stdout)).toEqual([expect.objectContaining({ NAME: 'data-db-0', STATUS: 'Bound', VOLUME: oldVolume })]);
    // kubectl waits until the claim is gone: pvc-protection holds it until the pod has stopped (10 s grace).
    const del = step(70, 'delete pvc data-db-0');
    expect(del.stdout).toBe('persistentvolumeclaim "data-db-0" deleted\n');
    const released = table(step(71, 'get pvc,pv').stdout);
    expect(released).toEqual([expect.objectContaining({ NAME: `persistentvolume/${oldVolume}`, STATUS: 'Released', CLAIM: 'default/data-db-0' })]);
    expect(step(100, 'get pvc,pv').stderr).toBe('No resources found\n');

    // Same StatefulSet, same claim name, a new claim: a new disk, and only the new pod's line on it.
    const now = table(step(170, 'get pvc,pv').stdout.split('\n\n')[1] ?? '')[0];
    expect(now?.NAME).toMatch(/^persistentvolume\/pvc-/);
    expect(now?.NAME).not.toBe(`persistentvolume/${oldVolume}`);
    // A new, empty volume: the database is initialised again; nothing of the old one is found.
    expect(logLines(step(170, 'logs db-0'))).toEqual(INITIALISED);
    expect(cluster.disks.has(oldVolume)).toBe(false);
    expect(storedObjects(cluster, `persistentvolumes/${oldVolume}`)).toEqual([]);
  });
});

describe('waitforfirstconsumer', () => {
  it('a claim without a consumer stays Pending; a zone-b pod gets it a zone-b disk', () => {
    const { step, cluster } = run('waitforfirstconsumer.yaml');
    expect(step(40, 'get pvc,pv').stdout).toBe(
      [
        'NAME                         STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE',
        'persistentvolumeclaim/data   Pending                                      standard       <unset>                 35s',
        '',
      ].join('\n'),
    );
    expect(step(40, 'describe pvc data').stdout).toMatch(/\n {2}Normal {2}WaitForFirstConsumer {2}\S+(?: \(x\d+ over \S+\))? +persistentvolume-controller {2}waiting for first consumer to be created before binding\n/);

    expect(table(step(75, 'get pod app -o wide').stdout)[0]).toMatchObject({ STATUS: 'Running', NODE: 'worker-2' });
    const pvc = storedObjects(cluster, 'persistentvolumeclaims/default/data')[0];
    expect(pvc?.metadata.annotations).toMatchObject({ 'volume.kubernetes.io/selected-node': 'worker-2', 'volume.kubernetes.io/storage-provisioner': 'pd.csi.kubeplay.io' });
    const pv = storedObjects(cluster, `persistentvolumes/${String(spec(pvc).volumeName)}`)[0];
    expect(volumeZones(pv)).toEqual(['zone-b']);
    expect(cluster.disks.get(pv?.metadata.name ?? '')?.zone).toBe('zone-b');
    expect(step(75, 'describe pv').stdout).toContain('Node Affinity:     \n  Required Terms:  \n    Term 0:        topology.kubernetes.io/zone in [zone-b]\n');
    // The binder's wait, then the provisioner's work; the binder's ExternalProvisioning comes in between.
    const reasons = eventsAbout(cluster, 'data').map((e) => e.reason);
    expect(reasons[0]).toBe('WaitForFirstConsumer');
    expect(reasons.slice(1).sort()).toEqual(['ExternalProvisioning', 'Provisioning', 'ProvisioningSucceeded']);
  });
});

describe('immediate-binding', () => {
  it('an Immediate claim gets its disk before any pod; a pod bound to the other zone cannot be scheduled', () => {
    const { step, cluster } = run('immediate-binding.yaml');
    expect(table(step(30, 'get pvc,pv').stdout.split('\n\n')[0] ?? '')[0]).toMatchObject({ NAME: 'persistentvolumeclaim/scratch', STATUS: 'Bound', STORAGECLASS: 'immediate' });
    const pvc = storedObjects(cluster, 'persistentvolumeclaims/default/scratch')[0];
    expect(pvc?.metadata.annotations?.['volume.kubernetes.io/selected-node']).toBeUndefined();
    // csi-provisioner's name hash puts "scratch" in the second of the sorted zones.
    expect(volumeZones(storedObjects(cluster, `persistentvolumes/${String(spec(pvc).volumeName)}`)[0])).toEqual(['zone-b']);

    expect(table(step(60, 'get pod app -o wide').stdout)[0]).toMatchObject({ STATUS: 'Pending', NODE: '<none>' });
    const message =
      "0/6 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) had volume node affinity conflict, " +
      '3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.';
    expect(eventsAbout(cluster, 'app').map((e) => `${String(e.reason)}: ${String(e.message)}`)).toEqual([`FailedScheduling: ${message}`]);
  });
});

describe('retain-keeps-volume', () => {
  it('deleting the claim of a Retain-policy volume leaves it Released, its disk and data kept', () => {
    const { step, cluster } = run('retain-keeps-volume.yaml');
    const volume = table(step(45, 'get pvc,pv').stdout.split('\n\n')[1] ?? '')[0];
    const name = (volume?.NAME ?? '').replace('persistentvolume/', '');
    expect(volume).toMatchObject({ 'RECLAIM POLICY': 'Retain', STATUS: 'Bound' });
    expect(step(50, 'delete pvc data').stdout).toBe('persistentvolumeclaim "data" deleted\n');
    expect(table(step(90, 'get pvc,pv').stdout)).toEqual([expect.objectContaining({ NAME: `persistentvolume/${name}`, 'RECLAIM POLICY': 'Retain', STATUS: 'Released', CLAIM: 'default/data' })]);
    expect(cluster.disks.has(name)).toBe(true);
    const log = cluster.diskFiles.get(name)?.read('log', cluster.world.now);
    expect(log !== undefined && 'text' in log ? log.text : '').toMatch(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC 2025\n$/);
  });
});
