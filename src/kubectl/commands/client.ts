import type { ApiClient } from '../../engine/apiserver/apiClient';
import type { KubectlEnv, KubectlFlags } from '../kubectlEnv';

/** The API client of the chosen context (--context, or the default one). */
export function clientFor(env: KubectlEnv, flags: KubectlFlags): ApiClient | { error: string } {
  const name = flags.context ?? env.defaultContext;
  const client = env.clients.get(name);
  if (client === undefined) return { error: `error: context "${name}" does not exist` };
  return client;
}
