// Raft/etcd benchmark: `npm run bench`. Prints figures; asserts nothing.
import { EtcdClient, EtcdCluster, World } from '../src/engine';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function group(members: number, seed: string): { world: World; etcd: EtcdCluster; ids: string[] } {
  const world = new World({ seed, network: { traceCapacity: 0 } });
  const ids = Array.from({ length: members }, (_, i) => `master-${i + 1}`);
  ids.forEach((id, i) => world.net.addHost(id, i % 2 === 0 ? 'zone-a' : 'zone-b'));
  world.net.addHost('client', 'zone-a');
  const etcd = new EtcdCluster(world, ids);
  world.runUntil(3_000);
  return { world, etcd, ids };
}

/** As many writes as 64 pipelined requests allow, for `virtualMs`; committed writes per wall second. */
function throughput(members: number): void {
  const { world, etcd, ids } = group(members, `bench-throughput-${members}`);
  const client = new EtcdClient(world, 'client');
  const leader = etcd.leader()?.id ?? (ids[0] as string);
  let committed = 0;
  let n = 0;
  const end = world.now + 20_000;
  const write = (): void => {
    if (world.now >= end) return;
    client.txn(leader, { compare: [], success: [{ op: 'put', key: `/bench/${n % 1000}`, value: String(n++) }], failure: [] }, (o) => {
      if (o.ok) committed++;
      write();
    });
  };
  for (let i = 0; i < 64; i++) write();
  const t0 = performance.now();
  world.runUntil(end + 1_000);
  const wallMs = performance.now() - t0;
  console.log(`\n${members}-member group, 64 writes in flight, 20 virtual s`);
  console.log(`  committed writes : ${fmt(committed)} in ${fmt(wallMs)} ms wall → ${fmt((committed / wallMs) * 1000)} writes/s of wall time`);
  console.log(`  (${fmt(committed / 20)} writes per virtual second; ${fmt(world.eventsProcessed)} events)`);
}

/** 100 writes/s for 10 virtual minutes: the load node heartbeats put on a 1,000-node cluster. */
function steady(members: number): void {
  const { world, ids } = group(members, `bench-steady-${members}`);
  const client = new EtcdClient(world, 'client');
  let committed = 0;
  let n = 0;
  const minutes = 10;
  const end = world.now + minutes * 60_000;
  const tick = (): void => {
    if (world.now >= end) return;
    client.txn(ids[n % ids.length] as string, { compare: [], success: [{ op: 'put', key: `/registry/leases/kube-node-lease/worker-${n % 1000}`, value: String(n++) }], failure: [] }, (o) => {
      if (o.ok) committed++;
    });
    world.schedule(10, 'bench write', tick);
  };
  tick();
  const t0 = performance.now();
  world.runUntil(end + 1_000);
  const wallMs = performance.now() - t0;
  console.log(`\n${members}-member group, 100 writes/s for ${minutes} virtual minutes`);
  console.log(`  committed writes : ${fmt(committed)}; ${fmt(wallMs)} ms wall → virtual/wall time ratio ${(((minutes * 60_000) / wallMs)).toFixed(0)}×`);
}

console.log(`raft/etcd benchmark — node ${process.version}`);
throughput(3);
throughput(5);
steady(3);
steady(5);
