import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { provisionedVolume, provisioningZone, shouldProvision } from '../storage/provisioner';
import { claimInUse, defaultClass, findBestMatch, planClaim, planVolume } from './pvUtil';

type Obj = Record<string, unknown>;

const pvc = (name: string, spec: Obj = {}, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, ...(annotations ? { annotations } : {}) },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'manual', ...spec },
  status: { phase: 'Pending' },
});
const pv = (name: string, size: string, spec: Obj = {}, status: Obj = { phase: 'Available' }, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name, ...(labels ? { labels } : {}) },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], storageClassName: 'manual', ...spec },
  status,
});
const sc = (name: string, extra: Obj = {}): KubeObject => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: 'pd.csi.kubeplay.io', ...extra });
const node = (name: string, zone: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } } });

describe('findBestMatch', () => {
  const volumes = [pv('big', '10Gi'), pv('small', '2Gi'), pv('tiny', '500Mi'), pv('other', '1Gi', { storageClassName: 'fast' })];

  it('takes the smallest volume of the class that holds the request', () => {
    expect(findBestMatch(pvc('c'), volumes, false)?.metadata.name).toBe('small');
  });

  it('skips volumes bound elsewhere, Released ones, and ones lacking an access mode or the selector labels', () => {
    const taken = [pv('small', '2Gi', { claimRef: { namespace: 'default', name: 'x', uid: 'u' } }), pv('released', '1Gi', {}, { phase: 'Released' }), pv('big', '10Gi', {}, { phase: 'Available' }, { disk: 'ssd' })];
    expect(findBestMatch(pvc('c'), taken, false)?.metadata.name).toBe('big');
    expect(findBestMatch(pvc('c', { accessModes: ['ReadWriteMany'] }), taken, false)).toBeUndefined();
    expect(findBestMatch(pvc('c', { selector: { matchLabels: { disk: 'hdd' } } }), taken, false)).toBeUndefined();
  });

  it('leaves a delayed claim to the scheduler unless a volume is pre-bound to it; with a node, checks its affinity', () => {
    const zonal = pv('zonal', '1Gi', { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a'] }] }] } } });
    expect(findBestMatch(pvc('c'), [zonal], true)).toBeUndefined();
    expect(findBestMatch(pvc('c'), [zonal], true, { 'topology.kubernetes.io/zone': 'zone-b' })).toBeUndefined();
    expect(findBestMatch(pvc('c'), [zonal], true, { 'topology.kubernetes.io/zone': 'zone-a' })?.metadata.name).toBe('zonal');
    const prebound = pv('mine', '5Gi', { claimRef: { namespace: 'default', name: 'c' } });
    expect(findBestMatch(pvc('c'), [zonal, prebound], true)?.metadata.name).toBe('mine');
  });
});

describe('planClaim', () => {
  const wffc = sc('standard', { volumeBindingMode: 'WaitForFirstConsumer' });

  it('waits for the first consumer, then for that pod to be scheduled', () => {
    const claim = pvc('data', { storageClassName: 'standard' });
    expect(planClaim(claim, [], [wffc], [])).toEqual({ kind: 'pending', event: { type: 'Normal', reason: 'WaitForFirstConsumer', message: 'waiting for first consumer to be created before binding' } });
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app', namespace: 'default' }, spec: { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } };
    expect(planClaim(claim, [], [wffc], [pod])).toMatchObject({ event: { reason: 'WaitForPodScheduled', message: 'waiting for pod app to be scheduled' } });
  });

  it('hands a claim with a selected node to the external provisioner', () => {
    const claim = pvc('data', { storageClassName: 'standard' }, { 'volume.kubernetes.io/selected-node': 'worker-1' });
    expect(planClaim(claim, [], [wffc], [])).toMatchObject({ kind: 'provision', provisioner: 'pd.csi.kubeplay.io', annotate: true, event: { reason: 'ExternalProvisioning' } });
  });

  it('reports a missing class, and a claim with no class and no volume', () => {
    expect(planClaim(pvc('data', { storageClassName: 'gold' }), [], [], [])).toMatchObject({ event: { type: 'Warning', reason: 'ProvisioningFailed', message: 'storageclass.storage.k8s.io "gold" not found' } });
    expect(planClaim(pvc('data', { storageClassName: '' }), [], [], [])).toMatchObject({ event: { reason: 'FailedBinding', message: 'no persistent volumes available for this claim and no storage class is set' } });
  });

  it('calls a bound claim whose volume is gone Lost', () => {
    const claim = pvc('data', { volumeName: 'pv-1' }, { 'pv.kubernetes.io/bind-completed': 'yes' });
    expect(planClaim(claim, [], [], [])).toMatchObject({ kind: 'lost', event: { reason: 'ClaimLost' } });
  });
});

describe('planVolume', () => {
  const ref = { namespace: 'default', name: 'data', uid: 'uid-data' };
  it('is Available without a claim, Bound with it, Released when the claim is gone, then reclaimed', () => {
    expect(planVolume(pv('v', '1Gi', {}, { phase: 'Pending' }), [])).toEqual({ kind: 'phase', phase: 'Available' });
    expect(planVolume(pv('v', '1Gi', { claimRef: ref }), [pvc('data', { volumeName: 'v' })])).toEqual({ kind: 'phase', phase: 'Bound' });
    expect(planVolume(pv('v', '1Gi', { claimRef: ref }, { phase: 'Bound' }), [])).toEqual({ kind: 'phase', phase: 'Released' });
    // A new claim of the same name is not the one the volume was bound to.
    expect(planVolume(pv('v', '1Gi', { claimRef: ref }, { phase: 'Bound' }), [{ ...pvc('data'), metadata: { name: 'data', namespace: 'default', uid: 'new' } }])).toEqual({ kind: 'phase', phase: 'Released' });
    expect(planVolume(pv('v', '1Gi', { claimRef: ref, persistentVolumeReclaimPolicy: 'Delete' }, { phase: 'Released' }), [])).toEqual({ kind: 'reclaim', policy: 'Delete' });
  });
});

describe('protection and defaults', () => {
  it('keeps a claim while a scheduled pod mounts it', () => {
    const pod = (nodeName?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { ...(nodeName ? { nodeName } : {}), volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } });
    expect(claimInUse(pvc('data'), [pod('worker-1')])).toBe(true);
    expect(claimInUse(pvc('data'), [pod()])).toBe(false);
  });

  it('picks the newest default class', () => {
    const def = (name: string, at: string): KubeObject => ({ ...sc(name), metadata: { name, creationTimestamp: at, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } });
    expect(defaultClass([def('old', '2025-01-01T00:00:00Z'), sc('plain'), def('new', '2025-01-02T00:00:00Z')])?.metadata.name).toBe('new');
    expect(defaultClass([sc('plain')])).toBeUndefined();
  });
});

describe('provisioner', () => {
  const wffc = sc('standard', { volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Delete' });
  const annotated = (extra: Record<string, string> = {}): KubeObject => pvc('data', { storageClassName: 'standard' }, { 'volume.kubernetes.io/storage-provisioner': 'pd.csi.kubeplay.io', ...extra });

  it('provisions a WaitForFirstConsumer claim only once a node is selected, in that node zone', () => {
    expect(shouldProvision(annotated(), wffc)).toBe(false);
    const claim = annotated({ 'volume.kubernetes.io/selected-node': 'worker-2' });
    expect(shouldProvision(claim, wffc)).toBe(true);
    const nodes = [node('worker-1', 'zone-a'), node('worker-2', 'zone-b')];
    expect(provisioningZone(claim, wffc, nodes)).toEqual({ zone: 'zone-b' });
    expect(provisioningZone(claim, { ...wffc, allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['zone-a'] }] }] }, nodes)).toHaveProperty('error');
  });

  it('makes pvc-<uid> pre-bound to the claim, pinned to the zone', () => {
    const v = provisionedVolume(annotated(), wffc, 'zone-b', 'id');
    expect(v.metadata).toEqual({ name: 'pvc-uid-data', annotations: { 'pv.kubernetes.io/provisioned-by': 'pd.csi.kubeplay.io' } });
    expect(v.spec).toMatchObject({
      capacity: { storage: '1Gi' },
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: 'uid-data' },
      persistentVolumeReclaimPolicy: 'Delete',
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-b'] }] }] } },
    });
  });
});
