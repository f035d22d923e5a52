import type { ApiClient } from '../../engine/apiserver/apiClient';
import type { KubectlEnv, KubectlFlags } from '../kubectlEnv';

/** The API client of the chosen context (--context, or the default one), noting warnings on the flags' list. */
export function clientFor(env: KubectlEnv, flags: KubectlFlags): ApiClient | { error: string } {
  const name = flags.context ?? env.defaultContext;
  const client = env.clients.get(name);
  if (client === undefined) return { error: `error: context "${name}" does not exist` };
  return flags.warnings === undefined ? client : noticingWarnings(client, flags.warnings);
}

/**
 * The client, with the warnings of every answer also added to `seen` (kubectl's deduplicating
 * warning writer): the one client every command shares, watching only its requests.
 */
function noticingWarnings(client: ApiClient, seen: string[]): ApiClient {
  const request: ApiClient['request'] = (req, done, options) =>
    client.request(
      req,
      (r) => {
        if (r.ok) for (const w of r.warnings ?? []) if (!seen.includes(w)) seen.push(w);
        done(r);
      },
      options,
    );
  return new Proxy(client, {
    get: (target, prop) => {
      if (prop === 'request') return request;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
