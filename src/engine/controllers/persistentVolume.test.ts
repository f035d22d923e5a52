import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { clusterHarness } from '../testing/clusterHarness';

type Obj = Record<string, unknown>;
const spec = (o: KubeObject | undefined): Obj => (o?.spec ?? {}) as Obj;
const phase = (o: KubeObject | undefined): unknown => (o?.status as Obj | undefined)?.phase;

/** A cluster: the leading controller manager runs the PV binder, the protection controllers and the CSI provisioner. */
function setup() {
  const h = clusterHarness();
  const claim = (name: string, extra: Obj = {}): KubeObject =>
    h.ok({ verb: 'create', namespace: 'default', body: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra } } });
  const pod = (name: string, claimName: string, extra: Obj = {}): KubeObject =>
    h.ok({
      verb: 'create',
      namespace: 'default',
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'nginx', image: 'nginx' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }], ...extra } },
    });
  const nodeOf = (name: string): string | undefined => spec(h.get('pods', name)).nodeName as string | undefined;
  const zoneOf = (node: string): string | undefined => h.get('nodes', node)?.metadata.labels?.['topology.kubernetes.io/zone'];
  const leader = () => [...h.cluster.schedulers.values()].find((s) => s.isLeader);
  /** The cloud's disks, which the provisioner fills. */
  const provisioner = { disks: h.cluster.disks };
  return { ...h, claim, pod, nodeOf, zoneOf, leader, provisioner };
}

describe('persistent volumes', () => {
  it('ships a default StorageClass "standard" and gives it to claims that name no class', () => {
    const { get, claim } = setup();
    const sc = get('storageclasses', 'standard');
    expect(sc).toMatchObject({
      metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'pd.csi.kubeplay.io',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
    expect(spec(claim('data')).storageClassName).toBe('standard');
    // An explicit "" opts out of the default class.
    expect(spec(claim('none', { storageClassName: '' })).storageClassName).toBe('');
    expect(get('persistentvolumeclaims', 'data')?.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
  });

  it('waits for the first consumer, provisions in its node zone, binds, and keeps later pods in that zone', () => {
    const { claim, pod, get, events, run, nodeOf, zoneOf, leader, provisioner } = setup();
    const c = claim('data');
    run(20_000);
    expect(phase(get('persistentvolumeclaims', 'data'))).toBe('Pending');
    expect(events('data')).toEqual(['WaitForFirstConsumer: waiting for first consumer to be created before binding']);

    pod('app', 'data');
    run(20_000);
    const node = nodeOf('app') ?? '';
    expect(node).toMatch(/^worker-/);
    const pvc = get('persistentvolumeclaims', 'data');
    const pvName = `pvc-${c.metadata.uid ?? ''}`;
    expect(pvc?.metadata.annotations).toMatchObject({
      'volume.kubernetes.io/selected-node': node,
      'volume.kubernetes.io/storage-provisioner': 'pd.csi.kubeplay.io',
      'volume.beta.kubernetes.io/storage-provisioner': 'pd.csi.kubeplay.io',
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
    });
    expect(spec(pvc).volumeName).toBe(pvName);
    expect(pvc?.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } });
    const pv = get('persistentvolumes', pvName);
    expect(phase(pv)).toBe('Bound');
    expect(pv?.metadata.annotations).toEqual({ 'pv.kubernetes.io/provisioned-by': 'pd.csi.kubeplay.io' });
    expect(spec(pv)).toMatchObject({
      capacity: { storage: '1Gi' },
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: c.metadata.uid },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zoneOf(node)] }] }] } },
    });
    expect(provisioner.disks.get(pvName)?.zone).toBe(zoneOf(node));
    expect(phase(get('pods', 'app'))).toBe('Running');
    // The binder's ExternalProvisioning and the provisioner's Provisioning race (real clusters show either order).
    const seen = events('data');
    expect(seen[0]).toBe('WaitForFirstConsumer: waiting for first consumer to be created before binding');
    expect(seen.slice(1, 3).sort()).toEqual([
      'ExternalProvisioning: Waiting for a volume to be created either by the external provisioner \'pd.csi.kubeplay.io\' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.',
      'Provisioning: External provisioner is provisioning volume for claim "default/data"',
    ]);
    expect(seen.slice(3)).toEqual([`ProvisioningSucceeded: Successfully provisioned volume ${pvName}`]);

    // The next pod with the claim can only go where the disk is.
    const zone = zoneOf(node);
    for (let i = 0; i < 4; i++) {
      const name = `again-${i}`;
      pod(name, 'data', { terminationGracePeriodSeconds: 0 });
      run(10_000);
      expect(zoneOf(nodeOf(name) ?? '')).toBe(zone);
    }
    // A worker of the other zone is filtered out by the volume's node affinity.
    const otherZoneWorker = ['worker-1', 'worker-2', 'worker-3'].find((w) => zoneOf(w) !== zone) ?? '';
    const decision = leader()?.decisions.get(get('pods', 'again-3')?.metadata.uid ?? '');
    expect(decision?.nodes.find((n) => n.node === otherZoneWorker)?.filter).toEqual({ plugin: 'VolumeBinding', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had volume node affinity conflict'] });
  });

  it('binds a StatefulSet claims www-web-0..2 and runs its pods', () => {
    const { ok, names, get, run } = setup();
    ok({
      verb: 'create',
      namespace: 'default',
      body: {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'web' },
        spec: {
          replicas: 3,
          serviceName: 'nginx',
          selector: { matchLabels: { app: 'nginx' } },
          template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }] }] } },
          volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
        },
      },
    });
    run(90_000);
    expect(names('persistentvolumeclaims').sort()).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    for (const i of [0, 1, 2]) {
      expect(phase(get('persistentvolumeclaims', `www-web-${i}`))).toBe('Bound');
      expect(phase(get('pods', `web-${i}`))).toBe('Running');
    }
  });

  it('deletes a provisioned volume with its claim (reclaim policy Delete), once no pod uses the claim', () => {
    const { claim, pod, ok, get, run, provisioner } = setup();
    const c = claim('data');
    pod('app', 'data', { terminationGracePeriodSeconds: 0 });
    run(30_000);
    const pvName = `pvc-${c.metadata.uid ?? ''}`;
    expect(phase(get('persistentvolumes', pvName))).toBe('Bound');
    ok({ verb: 'delete', resource: 'persistentvolumeclaims', namespace: 'default', name: 'data' });
    run(10_000);
    // pvc-protection: the pod still mounts it, so the claim is Terminating and the volume stays.
    expect(get('persistentvolumeclaims', 'data')?.metadata.deletionTimestamp).toBeDefined();
    expect(phase(get('persistentvolumes', pvName))).toBe('Bound');
    ok({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'app' });
    run(30_000);
    expect(get('persistentvolumeclaims', 'data')).toBeUndefined();
    expect(get('persistentvolumes', pvName)).toBeUndefined();
    expect(provisioner.disks.has(pvName)).toBe(false);
  });

  it('binds a static volume to an Immediate claim without a pod, and leaves it Released with Retain', () => {
    const { ok, get, run, claim } = setup();
    ok({ verb: 'create', body: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'manual' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'Immediate' } });
    const pv = (name: string, size: string): KubeObject =>
      ok({
        verb: 'create',
        body: { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'manual', hostPath: { path: `/mnt/${name}` } } },
      });
    pv('big', '10Gi');
    pv('small', '2Gi');
    pv('tiny', '500Mi');
    run(5_000);
    expect(phase(get('persistentvolumes', 'small'))).toBe('Available');
    const c = claim('data', { storageClassName: 'manual' });
    run(10_000);
    // The smallest volume that holds 1Gi.
    expect(spec(get('persistentvolumeclaims', 'data')).volumeName).toBe('small');
    expect(phase(get('persistentvolumeclaims', 'data'))).toBe('Bound');
    expect(phase(get('persistentvolumes', 'small'))).toBe('Bound');
    expect(spec(get('persistentvolumes', 'small')).claimRef).toMatchObject({ name: 'data', uid: c.metadata.uid });
    expect(phase(get('persistentvolumes', 'big'))).toBe('Available');
    ok({ verb: 'delete', resource: 'persistentvolumeclaims', namespace: 'default', name: 'data' });
    run(10_000);
    expect(get('persistentvolumeclaims', 'data')).toBeUndefined();
    expect(phase(get('persistentvolumes', 'small'))).toBe('Released');
  });

  it('says why a claim without a class and without volumes stays Pending', () => {
    const { claim, events, run } = setup();
    claim('orphan', { storageClassName: '' });
    run(5_000);
    expect(events('orphan')).toEqual(['FailedBinding: no persistent volumes available for this claim and no storage class is set']);
  });
});
