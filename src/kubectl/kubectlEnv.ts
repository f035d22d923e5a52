import type { ApiClient } from '../engine/apiserver/apiClient';
import type { World } from '../engine/world';

export interface KubectlResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where kubectl runs: the world (for AGE), and one API client per context. */
export interface KubectlEnv {
  readonly world: World;
  /** The context in use when no --context is given. */
  readonly defaultContext: string;
  /** Context name → client: "kubernetes-admin@kubeplay" goes through the load balancer, "master-3" is pinned. */
  readonly clients: ReadonlyMap<string, ApiClient>;
}

export interface KubectlFlags {
  namespace?: string;
  allNamespaces: boolean;
  context?: string;
  output?: string;
  filenames: string[];
  dryRun?: 'client' | 'server' | 'none';
}

export type KubectlCommand = (env: KubectlEnv, args: string[], flags: KubectlFlags, stdin: string | undefined, done: (r: KubectlResult) => void) => void;

export const ok = (stdout: string): KubectlResult => ({ exitCode: 0, stdout, stderr: '' });
export const fail = (stderr: string): KubectlResult => ({ exitCode: 1, stdout: '', stderr: stderr.endsWith('\n') ? stderr : `${stderr}\n` });
