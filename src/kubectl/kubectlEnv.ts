import type { ApiClient } from '../engine/apiserver/apiClient';
import type { World } from '../engine/world';
import type { CommandResult } from './commandResult';
import type { ExplainSchemas } from './explain';

/** What a kubectl command printed and how it ended. */
export type KubectlResult = CommandResult;

/** Where kubectl runs: the world (for AGE), and one API client per context. */
export interface KubectlEnv {
  readonly world: World;
  /** The context in use when no --context is given (`kubectl config use-context` changes it). */
  defaultContext: string;
  /** Context name → client: "kubernetes-admin@kubeplay" goes through the load balancer, "master-3" is pinned. */
  readonly clients: ReadonlyMap<string, ApiClient>;
  /** The address clients use for the API: the load balancer's. */
  readonly server?: string;
  /**
   * The OpenAPI schemas `kubectl explain` reads. Large, so the host loads them apart from the
   * engine and sets them when they arrive; until then explain says they are loading.
   */
  explainSchemas?: ExplainSchemas;
  /** The files `-f name` can read, by name (the editor's tabs in the UI, a scenario's `files:` in the CLI). */
  readonly files?: ReadonlyMap<string, string>;
}

/** The Kubernetes version the simulated cluster reports (what kubeadm 1.32 would install). */
export const KUBERNETES_VERSION = 'v1.32.4';
/** The load balancer in front of the API servers (kubeadm's --control-plane-endpoint). */
export const CONTROL_PLANE_ENDPOINT = 'https://10.0.0.100:6443';

/** The flags every command shares, typed, and the rest by long name (see flags.ts). */
export interface KubectlFlags {
  namespace?: string;
  allNamespaces: boolean;
  context?: string;
  output?: string;
  filenames: string[];
  dryRun?: 'client' | 'server' | 'none';
  selector?: string;
  /** --replicas for scale. */
  replicas?: string;
  /** --overwrite for label and annotate. */
  overwrite?: boolean;
  /** Every other flag the command declares, by long name: a string, a list (repeatable flags) or a boolean. */
  readonly values: Map<string, string | boolean | string[]>;
  /** The env's files, handed to commands that read `-f name` through manifests.ts (see withFiles). */
  files?: ReadonlyMap<string, string>;
  /** Where the context's client (clientFor) gathers the API server's warnings, each once, for runKubectl to print. */
  warnings?: string[];
}

/** A string flag's value (the last one given). */
export function flagString(flags: KubectlFlags, name: string): string | undefined {
  const v = flags.values.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** A repeatable flag's values, in order. */
export function flagList(flags: KubectlFlags, name: string): string[] {
  const v = flags.values.get(name);
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function flagBool(flags: KubectlFlags, name: string): boolean {
  return flags.values.get(name) === true;
}

/** A command: its arguments after the command word, its flags, stdin, and the words after `--`. */
export type KubectlCommand = (env: KubectlEnv, args: string[], flags: KubectlFlags, stdin: string | undefined, done: (r: KubectlResult) => void, afterDashes: string[]) => void;

export const ok = (stdout: string): KubectlResult => ({ exitCode: 0, stdout, stderr: '' });
export const fail = (stderr: string): KubectlResult => ({ exitCode: 1, stdout: '', stderr: stderr.endsWith('\n') ? stderr : `${stderr}\n` });
