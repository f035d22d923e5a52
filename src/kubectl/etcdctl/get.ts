import { encodeBase64 } from '../../engine/encoding';
import type { EtcdctlFlags } from './etcdctl';
import { type CommandResult, COMMAND_TIMEOUT_MS, type EtcdctlEnv, resolveEndpoints } from './etcdctlEnv';

/**
 * `etcdctl get <key> [--prefix] [--keys-only]`: a linearizable range through the first
 * endpoint. Simple output prints each key and its value on their own lines (with
 * --keys-only, each key followed by an empty line, as etcdctl does).
 */
export function get(env: EtcdctlEnv, args: string[], flags: EtcdctlFlags, done: (r: CommandResult) => void): void {
  const key = args[0];
  if (key === undefined || args.length > 2) return done({ exitCode: 1, stdout: '', stderr: 'Error: get command needs one argument as key and an optional argument as range_end\n' });
  const targets = resolveEndpoints(env, flags.endpoints);
  if ('error' in targets) return done({ exitCode: 1, stdout: '', stderr: `${targets.error}\n` });
  const member = targets.members[0] as string;
  env.client.range(member, key, { prefix: flags.prefix, deadlineMs: COMMAND_TIMEOUT_MS }, (o) => {
    if (!o.ok) return done({ exitCode: 1, stdout: '', stderr: `{"level":"warn","msg":"retrying of unary invoker failed","error":"${o.error === 'client: no response' ? 'context deadline exceeded' : o.error}"}\nError: context deadline exceeded\n` });
    if (o.result.kind !== 'range') return done({ exitCode: 1, stdout: '', stderr: 'Error: unexpected answer\n' });
    const kvs = o.result.range.kvs;
    if (flags.writeOut === 'json') {
      return done({ exitCode: 0, stdout: `${JSON.stringify({ header: { revision: o.result.range.revision }, kvs: kvs.map((kv) => ({ key: encodeBase64(kv.key), create_revision: kv.createRevision, mod_revision: kv.modRevision, version: kv.version, ...(flags.keysOnly ? {} : { value: encodeBase64(kv.value) }) })), count: kvs.length })}\n`, stderr: '' });
    }
    const stdout = kvs.map((kv) => (flags.keysOnly ? `${kv.key}\n\n` : `${kv.key}\n${kv.value}\n`)).join('');
    done({ exitCode: 0, stdout, stderr: '' });
  });
}

