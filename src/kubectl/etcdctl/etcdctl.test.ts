import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../engine/cluster';
import { EtcdClient } from '../../engine/store/etcdClient';
import type { Fault } from '../../engine/faults';
import { describeFault } from '../../engine/faults';
import { runEtcdctl } from './etcdctl';
import type { CommandResult, EtcdctlEnv } from './etcdctlEnv';

/** The default cluster, a learner's machine outside it, and etcdctl running there. */
function setup(): { cluster: Cluster; env: EtcdctlEnv } {
  const cluster = new Cluster({ seed: 1 });
  cluster.world.net.addHost('console', 'outside', undefined, { external: true });
  const masters = cluster.nodes.filter((n) => n.role === 'control-plane');
  const env: EtcdctlEnv = {
    world: cluster.world,
    etcd: cluster.etcd,
    client: new EtcdClient(cluster.world, 'console'),
    memberIPs: new Map(masters.map((n) => [n.name, n.internalIP])),
  };
  return { cluster, env };
}

/** Runs one command to its end in virtual time. */
function run(env: EtcdctlEnv, line: string): CommandResult {
  const result = env.world.runUntilDone<CommandResult>((done) => runEtcdctl(env, line, done), 60_000);
  if (result === undefined) throw new Error(`etcdctl ${line} did not finish`);
  return result;
}

type Step = { etcdctl: string } | { fault: Fault } | { wait: number } | { put: [string, string] };

function transcript(steps: Step[]): string {
  const { cluster, env } = setup();
  let out = '';
  for (const s of steps) {
    if ('wait' in s) cluster.world.runFor(s.wait);
    else if ('fault' in s) {
      cluster.applyFault(s.fault);
      out += `! ${describeFault(s.fault)}\n`;
    } else if ('put' in s) {
      let ok = false;
      env.client.txn('master-1', { compare: [], success: [{ op: 'put', key: s.put[0], value: s.put[1] }], failure: [] }, (o) => (ok = o.ok));
      cluster.world.runFor(100);
      if (!ok) throw new Error(`put ${s.put[0]} failed`);
    } else {
      const r = run(env, s.etcdctl);
      out += `[${(cluster.world.now / 1000).toFixed(3)}s] $ etcdctl ${s.etcdctl}\n${r.stdout}${r.stderr.split('\n').filter((l) => l !== '').map((l) => `stderr: ${l}\n`).join('')}exit ${r.exitCode}\n\n`;
    }
  }
  return out;
}

const GOLDEN = new URL('./testdata/etcdctl.txt', import.meta.url);

describe('etcdctl', () => {
  it('matches the golden transcript (UPDATE_GOLDEN=1 rewrites it)', () => {
    const actual = transcript([
      { wait: 3_000 },
      { etcdctl: 'member list' },
      { etcdctl: 'member list -w table' },
      { etcdctl: 'endpoint status --cluster -w table' },
      { etcdctl: 'endpoint health --cluster' },
      { put: ['/registry/pods/default/web-1', '{"kind":"Pod"}'] },
      { put: ['/registry/pods/default/web-2', '{"kind":"Pod"}'] },
      { put: ['/registry/services/specs/default/web', '{"kind":"Service"}'] },
      { etcdctl: 'get /registry/pods --prefix --keys-only' },
      { etcdctl: 'get /registry/services/specs/default/web' },
      { etcdctl: 'endpoint status --endpoints=https://10.0.0.12:2379' },
      { fault: { partition: [['zone-a'], ['zone-b']] } },
      { wait: 5_000 },
      { etcdctl: 'endpoint status --cluster -w table' },
      { etcdctl: 'endpoint health --cluster' },
      { etcdctl: 'get /registry/pods --prefix --keys-only --endpoints=https://10.0.0.12:2379' },
      { fault: { heal: 'all' } },
      { fault: { kill: 'master-1' } },
      { wait: 5_000 },
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
