import { memberId } from '../../engine/store/etcdMember';
import { asciiTable } from '../asciiTable';
import type { EtcdctlFlags } from './etcdctl';
import { clientURL, type CommandResult, COMMAND_TIMEOUT_MS, type EtcdctlEnv, peerURL, resolveEndpoints } from './etcdctlEnv';

/**
 * `etcdctl member list`: the membership as the first endpoint that answers sees it (members
 * are fixed by the scenario, so every member knows the same list).
 */
export function memberList(env: EtcdctlEnv, _args: string[], flags: EtcdctlFlags, done: (r: CommandResult) => void): void {
  const targets = resolveEndpoints(env, flags.endpoints);
  if ('error' in targets) return done({ exitCode: 1, stdout: '', stderr: `${targets.error}\n` });
  const ask = (i: number): void => {
    const m = targets.members[i];
    if (m === undefined) return done({ exitCode: 1, stdout: '', stderr: 'Error: context deadline exceeded\n' });
    env.client.status(m, (o) => (o.ok ? done(render(env, flags)) : ask(i + 1)), COMMAND_TIMEOUT_MS);
  };
  ask(0);
}

function render(env: EtcdctlEnv, flags: EtcdctlFlags): CommandResult {
  const rows = env.etcd.memberIds.map((name) => {
    const ip = env.memberIPs.get(name) as string;
    return [memberId(name), 'started', name, peerURL(ip), clientURL(ip), 'false'];
  });
  let stdout: string;
  if (flags.writeOut === 'table') stdout = asciiTable(['ID', 'Status', 'Name', 'Peer Addrs', 'Client Addrs', 'Is Learner'], rows);
  else if (flags.writeOut === 'json') {
    stdout = `${JSON.stringify({ members: rows.map((r) => ({ ID: r[0], name: r[2], peerURLs: [r[3]], clientURLs: [r[4]] })) })}\n`;
  } else stdout = rows.map((r) => `${r.join(', ')}\n`).join('');
  return { exitCode: 0, stdout, stderr: '' };
}
