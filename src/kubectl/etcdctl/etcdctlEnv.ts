import type { EtcdClient } from '../../engine/store/etcdClient';
import type { EtcdCluster } from '../../engine/store/etcdCluster';
import type { World } from '../../engine/world';

export type { CommandResult } from '../commandResult';

/** Where etcdctl runs: a client host, the etcd cluster, and each member's address. */
export interface EtcdctlEnv {
  readonly world: World;
  readonly etcd: EtcdCluster;
  readonly client: EtcdClient;
  /** Member name → its IP (the master's InternalIP). */
  readonly memberIPs: ReadonlyMap<string, string>;
}

export const CLIENT_PORT = 2379;
export const PEER_PORT = 2380;
/** etcdctl's --command-timeout default. */
export const COMMAND_TIMEOUT_MS = 5_000;

export const clientURL = (ip: string): string => `https://${ip}:${CLIENT_PORT}`;
export const peerURL = (ip: string): string => `https://${ip}:${PEER_PORT}`;

/** Resolves --endpoints entries (URLs, host:port or member names) to members, in the order given. */
export function resolveEndpoints(env: EtcdctlEnv, raw: string | undefined): { members: string[] } | { error: string } {
  const all = [...env.memberIPs.keys()];
  if (raw === undefined) return { members: all };
  const members: string[] = [];
  for (const ep of raw.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const host = ep.replace(/^https?:\/\//, '').replace(/:\d+$/, '');
    const member = all.find((m) => m === host || env.memberIPs.get(m) === host);
    if (member === undefined) return { error: `Error: no etcd member listens at ${ep} (members: ${all.map((m) => clientURL(env.memberIPs.get(m) as string)).join(', ')})` };
    members.push(member);
  }
  return { members };
}
