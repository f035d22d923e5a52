import type { MemberStatus } from '../../engine/store/etcdProtocol';
import { asciiTable, humanizeBytes } from '../asciiTable';
import type { EtcdctlFlags } from './etcdctl';
import { clientURL, type CommandResult, COMMAND_TIMEOUT_MS, type EtcdctlEnv, resolveEndpoints } from './etcdctlEnv';

/**
 * `etcdctl endpoint status`: each endpoint's own view (ID, version, db size, leader?, term,
 * committed and applied index). It needs no quorum, so it shows a cut-off member's stale term.
 * With --cluster the endpoints are every member. An endpoint that does not answer within the
 * command timeout is reported on stderr and makes the exit code 1.
 */
export function endpointStatus(env: EtcdctlEnv, _args: string[], flags: EtcdctlFlags, done: (r: CommandResult) => void): void {
  const targets = resolveEndpoints(env, flags.cluster ? undefined : flags.endpoints);
  if ('error' in targets) return done({ exitCode: 1, stdout: '', stderr: `${targets.error}\n` });
  const results = new Map<string, MemberStatus | string>();
  for (const m of targets.members) {
    env.client.status(
      m,
      (o) => {
        results.set(m, o.ok && o.result.kind === 'status' ? o.result.status : 'context deadline exceeded');
        if (results.size === targets.members.length) done(render(env, targets.members, results, flags));
      },
      COMMAND_TIMEOUT_MS,
    );
  }
}

function render(env: EtcdctlEnv, members: string[], results: Map<string, MemberStatus | string>, flags: EtcdctlFlags): CommandResult {
  const ok = members.filter((m) => typeof results.get(m) !== 'string');
  const stderr = members
    .filter((m) => typeof results.get(m) === 'string')
    .map((m) => `Failed to get the status of endpoint ${clientURL(env.memberIPs.get(m) as string)} (${results.get(m) as string})\n`)
    .join('');
  const rows = ok.map((m) => {
    const s = results.get(m) as MemberStatus;
    return [clientURL(env.memberIPs.get(m) as string), s.id, s.version, humanizeBytes(s.dbSize), String(s.leader === s.id), String(s.isLearner), String(s.raftTerm), String(s.raftIndex), String(s.raftAppliedIndex), s.errors.join(', ')];
  });
  let stdout: string;
  if (flags.writeOut === 'table') {
    stdout = asciiTable(['endpoint', 'ID', 'version', 'db size', 'is leader', 'is learner', 'raft term', 'raft index', 'raft applied index', 'errors'], rows);
  } else if (flags.writeOut === 'json') {
    stdout = `${JSON.stringify(ok.map((m) => statusJSON(env, m, results.get(m) as MemberStatus)))}\n`;
  } else {
    stdout = rows.map((r) => `${r.join(', ')}\n`).join('');
  }
  return { exitCode: stderr === '' ? 0 : 1, stdout, stderr };
}

/** The shape etcdctl -w json prints for one endpoint (IDs as decimal numbers there; we keep hex strings). */
function statusJSON(env: EtcdctlEnv, member: string, s: MemberStatus): unknown {
  return {
    Endpoint: clientURL(env.memberIPs.get(member) as string),
    Status: {
      header: { member_id: s.id, raft_term: s.raftTerm },
      version: s.version,
      dbSize: s.dbSize,
      leader: s.leader,
      raftIndex: s.raftIndex,
      raftTerm: s.raftTerm,
      raftAppliedIndex: s.raftAppliedIndex,
      isLearner: s.isLearner,
    },
  };
}
