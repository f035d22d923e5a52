import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { Rng } from '../rng';
import { SchedulerCache } from './cache';
import { snapshotOf, type Snapshot } from './framework';

const node = (name: string, version: number, images: string[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, resourceVersion: String(version), labels: { 'kubernetes.io/hostname': name } },
  spec: {},
  status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, images: images.map((i) => ({ names: [i], sizeBytes: 100_000_000 })) },
});

const pod = (name: string, nodeName: string | undefined, phase = 'Running'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { ...(nodeName === undefined ? {} : { nodeName }), containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m' } } }] },
  status: { phase },
});

/** What the plugins read from a snapshot, comparable across two ways of building it. */
const view = (s: Snapshot) => ({
  nodes: s.nodes.map((n) => ({ name: n.name, pods: n.pods.map((p) => p.key).sort(), cpu: n.requested.milliCpu, images: [...n.images.keys()] })),
  spread: [...s.imageSpread].sort(),
});

describe('SchedulerCache', () => {
  it('after any sequence of node and pod changes, its snapshot is the one built from scratch', () => {
    for (let seed = 0; seed < 20; seed++) {
      const rng = new Rng(`cache-${seed}`);
      const cache = new SchedulerCache();
      const nodes = new Map<string, KubeObject>();
      const pods = new Map<string, KubeObject>();
      let version = 0;
      for (let step = 0; step < 300; step++) {
        const nodeName = `n-${rng.int(8)}`;
        const podName = `p-${rng.int(40)}`;
        const r = rng.int(10);
        if (r === 0) {
          nodes.delete(nodeName);
          cache.removeNode(nodeName);
        } else if (r <= 2) {
          const n = node(nodeName, ++version, rng.int(2) === 0 ? ['nginx:latest'] : ['nginx:latest', 'redis:7']);
          nodes.set(nodeName, n);
          cache.setNode(n);
        } else if (r === 3) {
          pods.delete(podName);
          cache.removePod(`uid-${podName}`);
        } else {
          const p = pod(podName, rng.int(4) === 0 ? undefined : nodeName, rng.int(6) === 0 ? 'Succeeded' : 'Running');
          pods.set(podName, p);
          cache.setPod(p);
        }
        if (rng.int(5) === 0) expect(view(cache.snapshot()), `seed ${seed} step ${step}`).toEqual(view(snapshotOf([...nodes.values()], [...pods.values()])));
      }
    }
  });

  it('rebuilds only the nodes that changed; earlier snapshots stay as they were', () => {
    const cache = new SchedulerCache();
    for (const name of ['a', 'b', 'c']) cache.setNode(node(name, 1, []));
    const first = cache.snapshot();
    cache.setPod(pod('x', 'b'));
    const second = cache.snapshot();
    expect(second.nodes[0]).toBe(first.nodes[0]);
    expect(second.nodes[2]).toBe(first.nodes[2]);
    expect(second.nodes[1]).not.toBe(first.nodes[1]);
    expect(first.nodes[1]?.pods).toHaveLength(0);
    expect(second.nodes[1]?.pods.map((p) => p.name)).toEqual(['x']);
    // A pod moving nodes (an assumption replaced by the real binding elsewhere) leaves the old one.
    cache.setPod(pod('x', 'c'));
    expect(cache.snapshot().nodes.map((n) => n.pods.length)).toEqual([0, 0, 1]);
  });
});
