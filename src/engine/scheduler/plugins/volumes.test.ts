import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apiserver/apiObjects';
import { checkBindings, type BindingCache } from './volumes';

type Obj = Record<string, unknown>;
const SELECTED = 'volume.kubernetes.io/selected-node';
const zonal = (zone: string): Obj => ({ nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }] }] } } });

const claim = (rv: number, annotations: Record<string, string> | undefined, volumeName = ''): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'default', uid: 'c1', resourceVersion: String(rv), ...(annotations === undefined ? {} : { annotations }) },
  spec: { volumeName },
});
const volume = (rv: number, spec: Obj): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1', resourceVersion: String(rv) }, spec });
const cache = (claims: KubeObject[], volumes: KubeObject[]): BindingCache => ({
  claim: (ns, name) => claims.find((c) => c.metadata.namespace === ns && c.metadata.name === name),
  volume: (name) => volumes.find((v) => v.metadata.name === name),
});
const workerA = { name: 'worker-1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } };
const bound = { 'pv.kubernetes.io/bind-completed': 'yes', [SELECTED]: 'worker-1', 'volume.kubernetes.io/storage-provisioner': 'pd.csi.kubeplay.io' };

describe('checkBindings: the wait in VolumeBinding PreBind', () => {
  const written = { volumes: [], claims: [claim(10, { [SELECTED]: 'worker-1' })] };

  it('waits while the cache is older than the annotation it wrote, instead of taking it for a reset', () => {
    expect(checkBindings(written, cache([claim(9, { 'volume.kubernetes.io/storage-provisioner': 'pd.csi.kubeplay.io' })], []), workerA)).toBe(false);
  });

  it('fails when the provisioner gave the node up, and when the annotations are gone altogether', () => {
    expect(checkBindings(written, cache([claim(11, { 'volume.kubernetes.io/storage-provisioner': 'pd.csi.kubeplay.io' })], []), workerA)).toBe('provisioning failed for PVC "data"');
    expect(checkBindings(written, cache([claim(11, undefined)], []), workerA)).toBe('selectedNode annotation reset for PVC "data"');
  });

  it('fails when the claim was bound to a volume the node cannot reach', () => {
    const check = checkBindings(written, cache([claim(12, bound, 'pv-1')], [volume(5, zonal('zone-b'))]), workerA);
    expect(check).toBe('pv "pv-1" node affinity doesn\'t match node "worker-1": no matching NodeSelectorTerms');
  });

  it('is done once the claim is fully bound to a reachable volume', () => {
    expect(checkBindings(written, cache([claim(12, { [SELECTED]: 'worker-1' }, 'pv-1')], [volume(5, zonal('zone-a'))]), workerA)).toBe(false);
    expect(checkBindings(written, cache([claim(12, bound, 'pv-1')], [volume(5, zonal('zone-a'))]), workerA)).toBe(true);
  });

  it('for a static volume it pre-bound: waits for the binder, fails if its claimRef was dropped', () => {
    const mine = volume(20, { ...zonal('zone-a'), claimRef: { namespace: 'default', name: 'data', uid: 'c1' } });
    const writes = { volumes: [mine], claims: [] };
    expect(checkBindings(writes, cache([claim(12, {})], [volume(19, {})]), workerA)).toBe(false);
    expect(checkBindings(writes, cache([claim(12, {})], [mine]), workerA)).toBe(false);
    expect(checkBindings(writes, cache([claim(13, bound, 'pv-1')], [mine]), workerA)).toBe(true);
    expect(checkBindings(writes, cache([claim(13, bound, 'pv-1')], [volume(21, zonal('zone-a'))]), workerA)).toBe('ClaimRef got reset for pv "pv-1"');
  });
});
