import { describe, expect, it } from 'vitest';
import { canonicalJson, threeWayMerge } from './threeWayMerge';

describe('threeWayMerge (kubectl apply)', () => {
  it('removes what the file no longer has, sets what it has, keeps what others set', () => {
    const original = { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { replicas: 3, paused: false } };
    const modified = { metadata: { labels: { app: 'web' } }, spec: { replicas: 5 } };
    const live = { metadata: { labels: { app: 'web', tier: 'front', team: 'a' }, uid: 'u1' }, spec: { replicas: 3, paused: false, strategy: { type: 'RollingUpdate' } }, status: { readyReplicas: 3 } };
    expect(threeWayMerge(original, modified, live)).toEqual({
      metadata: { labels: { app: 'web', team: 'a' }, uid: 'u1' },
      spec: { replicas: 5, strategy: { type: 'RollingUpdate' } },
      status: { readyReplicas: 3 },
    });
  });

  it('merges containers by name and ports by containerPort, keeping what the server defaulted', () => {
    const config = { containers: [{ name: 'web', image: 'nginx:1.28', ports: [{ containerPort: 80 }] }] };
    const live = { containers: [{ name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }] }] };
    expect(threeWayMerge(config, config, { containers: [{ ...config.containers[0], imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }] }] })).toEqual({
      containers: [{ name: 'web', image: 'nginx:1.28', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
    });
    expect(threeWayMerge({}, config, live)).toEqual({ containers: [{ name: 'web', image: 'nginx:1.28', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }] }] });
    // A container removed from the file goes; lists without a merge key are replaced whole.
    expect(threeWayMerge(config, { containers: [{ name: 'api', image: 'x' }] }, live)).toEqual({ containers: [{ name: 'api', image: 'x' }] });
    expect(threeWayMerge({ args: ['a'] }, { args: ['b'] }, { args: ['a', 'c'] })).toEqual({ args: ['b'] });
  });

  it('compares objects whatever their key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
  });
});
