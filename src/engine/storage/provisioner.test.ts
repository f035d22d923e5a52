import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { claimSpreadIndex, provisioningZone } from './provisioner';

const claim = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: {} });
const node = (name: string, zone: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } } });
const immediate: KubeObject = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'immediate' }, provisioner: 'pd.csi.kubeplay.io', volumeBindingMode: 'Immediate' };
const nodes = [node('worker-1', 'zone-a'), node('worker-2', 'zone-b'), node('worker-3', 'zone-c'), node('master-1', 'zone-a')];

describe('claimSpreadIndex (getPVCNameHashAndIndexOffset)', () => {
  it('is FNV-32 of a plain claim name', () => {
    // FNV-1 32-bit test vectors: "" → 0x811c9dc5, "a" → 0x050c5d7e.
    expect(claimSpreadIndex('a')).toBe(0x050c5d7e);
    expect(claimSpreadIndex('')).toBe(0x811c9dc5);
  });

  it("hashes only a StatefulSet claim's set name and offsets it by the ordinal", () => {
    expect(claimSpreadIndex('data-db-0')).toBe(claimSpreadIndex('db'));
    expect(claimSpreadIndex('data-db-2')).toBe(claimSpreadIndex('db') + 2);
    // Two claims of one replica share the hash, so the pod can reach both disks.
    expect(claimSpreadIndex('logs-db-1')).toBe(claimSpreadIndex('data-db-1'));
  });
});

describe('provisioningZone for an Immediate claim', () => {
  it("goes round the sorted zones from the one the claim's name hashes to", () => {
    const zoneOf = (name: string): unknown => provisioningZone(claim(name), immediate, nodes);
    const start = claimSpreadIndex('db') % 3;
    const zones = ['zone-a', 'zone-b', 'zone-c'];
    for (const i of [0, 1, 2, 3]) expect(zoneOf(`data-db-${i}`)).toEqual({ zone: zones[(start + i) % 3] });
  });

  it('keeps to the zones the class allows, and says so when none has nodes', () => {
    const onlyC = { ...immediate, allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['zone-c'] }] }] };
    expect(provisioningZone(claim('data-db-0'), onlyC, nodes)).toEqual({ zone: 'zone-c' });
    expect(provisioningZone(claim('data'), immediate, [])).toEqual({
      error: 'failed to provision volume with StorageClass "immediate": error generating accessibility requirements: no available topology found',
    });
  });
});
