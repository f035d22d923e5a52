import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenTranscript } from '../../scenario/goldenTranscript';

/** What kube-apiserver stores for these, so `etcdctl get /registry …` has something to show. */
const OBJECTS = `apiVersion: v1
kind: ConfigMap
metadata: { name: web-1 }
data: { color: blue }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: web-2 }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  ports: [{ port: 80 }]
`;

const GOLDEN = new URL('./testdata/etcdctl.txt', import.meta.url);

describe('etcdctl', () => {
  it('matches the golden transcript (UPDATE_GOLDEN=1 rewrites it)', () => {
    const actual = goldenTranscript([
      { wait: 3_000 },
      { etcdctl: 'member list' },
      { etcdctl: 'member list -w table' },
      { etcdctl: 'endpoint status --cluster -w table' },
      { etcdctl: 'endpoint health --cluster' },
      { kubectl: 'create -f -', stdin: OBJECTS },
      { etcdctl: 'get /registry/configmaps --prefix --keys-only' },
      { etcdctl: 'get /registry/services/specs/default/web' },
      { etcdctl: 'endpoint status --endpoints=https://10.0.0.12:2379' },
      { fault: { partition: [['zone-a'], ['zone-b']] } },
      { wait: 5_000 },
      { etcdctl: 'endpoint status --cluster -w table' },
      { etcdctl: 'endpoint health --cluster' },
      { etcdctl: 'get /registry/configmaps --prefix --keys-only --endpoints=https://10.0.0.12:2379' },
      // Waits move the time the next step is scheduled at, as a scenario's `at` does: the commands
      // above took their 5 s timeouts, so this lands about 5 s after the heal.
      { fault: { heal: 'all' } },
      { fault: { kill: 'master-1' } },
      { wait: 15_000 },
      { etcdctl: 'endpoint status --cluster -w table' },
      { etcdctl: 'endpoint status -w json --endpoints=master-2' },
      { etcdctl: 'endpoint statuss' },
      { etcdctl: 'get' },
      { etcdctl: 'member list -w yaml' },
      { etcdctl: 'member list --cluster=maybe' },
      { etcdctl: 'get /x --endpoints=https://10.9.9.9:2379' },
    ]);
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, actual);
    expect(actual).toBe(readFileSync(GOLDEN, 'utf8'));
  });
});
