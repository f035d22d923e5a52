import type { EtcdctlFlags } from './etcdctl';
import { clientURL, type CommandResult, COMMAND_TIMEOUT_MS, type EtcdctlEnv, resolveEndpoints } from './etcdctlEnv';

/**
 * `etcdctl endpoint health`: a linearizable read through each endpoint. A member that can
 * reach a quorum answers within milliseconds; one that cannot fails after the command
 * timeout, and the cluster is reported unhealthy (exit code 1).
 */
export function endpointHealth(env: EtcdctlEnv, _args: string[], flags: EtcdctlFlags, done: (r: CommandResult) => void): void {
  const targets = resolveEndpoints(env, flags.cluster ? undefined : flags.endpoints);
  if ('error' in targets) return done({ exitCode: 1, stdout: '', stderr: `${targets.error}\n` });
  const results = new Map<string, { ok: boolean; tookMs: number }>();
  const started = env.world.now;
  for (const m of targets.members) {
    env.client.range(m, 'health', { deadlineMs: COMMAND_TIMEOUT_MS }, (o) => {
      results.set(m, { ok: o.ok, tookMs: env.world.now - started });
      if (results.size < targets.members.length) return;
      let stdout = '';
      let stderr = '';
      const rows = targets.members.map((t) => {
        const r = results.get(t) as { ok: boolean; tookMs: number };
        return { ep: clientURL(env.memberIPs.get(t) as string), ...r };
      });
      if (flags.writeOut === 'json') {
        stdout = `${JSON.stringify(rows.map((r) => ({ endpoint: r.ep, health: r.ok, took: `${r.tookMs}ms`, ...(r.ok ? {} : { error: 'context deadline exceeded' }) })))}\n`;
      } else {
        for (const r of rows) {
          if (r.ok) stdout += `${r.ep} is healthy: successfully committed proposal: took = ${r.tookMs}ms\n`;
          else stderr += `${r.ep} is unhealthy: failed to commit proposal: context deadline exceeded\n`;
        }
      }
      const healthy = rows.every((r) => r.ok);
      if (!healthy) stderr += 'Error: unhealthy cluster\n';
      done({ exitCode: healthy ? 0 : 1, stdout, stderr });
    });
  }
}
