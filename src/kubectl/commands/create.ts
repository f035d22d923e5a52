import type { ApiClient } from '../../engine/apiserver/apiClient';
import type { KubeObject, Status } from '../../engine/apiserver/apiObjects';
import { createConfigMap, createDeployment, createdMessage, createFailedMessage, createNamespace, createSecretGeneric, createService, type GeneratorResult } from '../generators';
import { fail, flagList, flagString, type KubectlCommand, type KubectlEnv, type KubectlFlags, type KubectlResult } from '../kubectlEnv';
import { readManifests, withoutNullTimestamps } from '../manifests';
import { formatStatus, objectRef, tryPrintData } from '../printers';
import { clientFor } from './client';

/** The -o values of commands that print the objects they send (kubectl's create/run/patch print flags). */
const PRINT_FORMATS = 'go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml';

/** The error for an -o these commands cannot print, or undefined when it can (or none was given). */
export function printFormatError(output: string | undefined): string | undefined {
  if (output === undefined || output === '' || ['json', 'yaml', 'name'].includes(output) || output.startsWith('jsonpath=')) return undefined;
  return `error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${PRINT_FORMATS}`;
}

/** Objects printed one after another as -o prints them (YAML documents separated by "---"), or the jsonpath error. */
export function printEach(output: string, objects: readonly KubeObject[]): { stdout: string } | { error: string } {
  let stdout = '';
  for (const [i, x] of objects.entries()) {
    const p = tryPrintData(output, x);
    if ('error' in p) return p;
    stdout += `${i > 0 && output === 'yaml' ? '---\n' : ''}${p.stdout}`;
  }
  return { stdout };
}

/**
 * Sends an object a generator built (create deployment…, run) and reports it as kubectl does:
 * "deployment.apps/web created", or with -o the object as sent (--dry-run=client: as built).
 */
export function submitGenerated(env: KubectlEnv, flags: KubectlFlags, built: GeneratorResult, failed: (object: KubeObject, status: Status) => string, done: (r: KubectlResult) => void): void {
  if ('error' in built) return done(fail(built.error));
  const output = flags.output ?? '';
  const formatError = printFormatError(output);
  if (formatError !== undefined) return done(fail(formatError));
  const dryRun = flags.dryRun ?? 'none';
  const report = (object: KubeObject): KubectlResult => {
    if (output === '') return { exitCode: 0, stdout: createdMessage(object, dryRun), stderr: '' };
    const p = printEach(output, [object]);
    return 'error' in p ? fail(p.error) : { exitCode: 0, stdout: p.stdout, stderr: '' };
  };
  if (dryRun === 'client') return done(report(built.object));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  client.request({ verb: 'create', body: withoutNullTimestamps(built.object), ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }), ...(dryRun === 'server' ? { dryRun: true } : {}) }, (r) => {
    if (!r.ok) return done(fail(r.error));
    if (!r.result.ok) return done(fail(failed(built.object, r.result.status)));
    done(report(r.result.value as KubeObject));
  });
}

/** The flags each `create` subcommand declares (besides -n, --context, -o and --dry-run). */
const SUBCOMMAND_FLAGS: Record<string, readonly string[]> = {
  deployment: ['image', 'replicas', 'port'],
  namespace: [],
  configmap: ['from-literal'],
  'secret generic': ['from-literal', 'type'],
  'service clusterip': ['tcp', 'clusterip'],
  'service nodeport': ['tcp', 'node-port'],
};

const ALIASES: Record<string, string> = { deploy: 'deployment', ns: 'namespace', cm: 'configmap', svc: 'service', pdb: 'poddisruptionbudget', pc: 'priorityclass', resourcequota: 'quota', sa: 'serviceaccount', ing: 'ingress', cj: 'cronjob' };
const GROUPS: Record<string, readonly string[]> = { secret: ['generic'], service: ['clusterip', 'nodeport'] };
/** Subcommands real kubectl has that this playground does not build. */
const ELSEWHERE = new Set([
  'clusterrole',
  'clusterrolebinding',
  'cronjob',
  'ingress',
  'job',
  'poddisruptionbudget',
  'priorityclass',
  'quota',
  'role',
  'rolebinding',
  'serviceaccount',
  'token',
  'secret docker-registry',
  'secret tls',
  'service loadbalancer',
  'service externalname',
]);

const notHere = (name: string): { error: string } => ({ error: `error: kubectl create ${name} is not available in this playground: write the object in a file and use kubectl create -f` });

/** `create deployment web …` → "deployment" and its arguments; `create secret generic s …` → "secret generic". */
function subcommand(args: readonly string[]): { name: string; rest: string[] } | { error: string } {
  const [first = '', ...rest] = args;
  const name = ALIASES[first] ?? first;
  const group = GROUPS[name];
  if (group !== undefined) {
    const [kind, ...after] = rest;
    if (kind !== undefined && group.includes(kind)) return { name: `${name} ${kind}`, rest: after };
    if (kind !== undefined && ELSEWHERE.has(`${name} ${kind}`)) return notHere(`${name} ${kind}`);
    // kubectl prints the group's help here; its list of types is what matters.
    if (kind === undefined) return { error: `error: kubectl create ${name} needs a type: ${group.join(', ')}` };
    return { error: `error: unknown command "${rest.join(' ')}"\nSee 'kubectl create ${name} -h' for help and examples` };
  }
  if (SUBCOMMAND_FLAGS[name] !== undefined) return { name, rest };
  if (ELSEWHERE.has(name)) return notHere(name);
  return { error: `Error: must specify one of -f and -k\n\nerror: unknown command "${args.join(' ')}"\nSee 'kubectl create -h' for help and examples` };
}

function generate(env: KubectlEnv, name: string, rest: string[], flags: KubectlFlags, afterDashes: string[]): GeneratorResult {
  const namespace = flags.namespace === undefined ? {} : { namespace: flags.namespace };
  const str = (flag: string): Record<string, string> => {
    const v = flagString(flags, flag);
    return v === undefined ? {} : { [flag.replace(/-(.)/g, (_m, c: string) => c.toUpperCase())]: v };
  };
  switch (name) {
    case 'deployment':
      // The suffix kubectl makes random for a container named after an image like "my_app" comes from the world's seed.
      return createDeployment(rest, { image: flagList(flags, 'image'), ...str('replicas'), ...str('port'), ...namespace, rest: afterDashes }, (n) => env.world.rng.fork('kubectl').int(n));
    case 'namespace':
      return createNamespace(rest);
    case 'configmap':
      return createConfigMap(rest, { fromLiteral: flagList(flags, 'from-literal'), ...namespace });
    case 'secret generic':
      return createSecretGeneric(rest, { fromLiteral: flagList(flags, 'from-literal'), ...str('type'), ...namespace });
    default:
      return createService(name === 'service nodeport' ? 'nodeport' : 'clusterip', rest, {
        tcp: flagList(flags, 'tcp'),
        ...(flagString(flags, 'clusterip') === undefined ? {} : { clusterIp: flagString(flags, 'clusterip') as string }),
        ...(flagString(flags, 'node-port') === undefined ? {} : { nodePort: flagString(flags, 'node-port') as string }),
        ...namespace,
      });
  }
}

/**
 * `kubectl create -f FILE|-` (every document, "deployment.apps/web created" each, going on after
 * a failure) and the generators: `create deployment|namespace|configmap|secret generic|service
 * clusterip|nodeport NAME …`, whose `--dry-run=client -o yaml` prints the object to start a manifest from.
 */
export const create: KubectlCommand = (env, args, flags, stdin, done, afterDashes) => {
  if (args.length === 0) return createFromFiles(env, flags, stdin, done);
  const sub = subcommand(args);
  if ('error' in sub) return done(fail(sub.error));
  const allowed = new Set([...(SUBCOMMAND_FLAGS[sub.name] ?? []), 'namespace', 'context', 'output', 'dry-run', 'save-config']);
  const stray = [...flags.values.keys()].find((k) => !allowed.has(k)) ?? (flags.filenames.length > 0 ? 'filename' : undefined);
  if (stray !== undefined) return done(fail(`error: unknown flag: --${stray}\nSee 'kubectl create ${sub.name} --help' for usage.`));
  submitGenerated(env, flags, generate(env, sub.name, sub.rest, flags, afterDashes), createFailedMessage, done);
};

function createFromFiles(env: KubectlEnv, flags: KubectlFlags, stdin: string | undefined, done: (r: KubectlResult) => void): void {
  const read = readManifests(flags, stdin, env.files);
  if ('error' in read) return done(fail(read.error));
  const output = flags.output ?? '';
  const formatError = printFormatError(output);
  if (formatError !== undefined) return done(fail(formatError));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  const dryRun = flags.dryRun ?? 'none';
  const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
  let stdout = '';
  let stderr = '';
  const created: KubeObject[] = [];
  const finish = (): void => {
    if (output !== '') {
      const p = printEach(output, created);
      if ('error' in p) stderr += `${p.error}\n`;
      else stdout = p.stdout;
    }
    done({ exitCode: stderr === '' ? 0 : 1, stdout, stderr });
  };
  const record = (object: KubeObject, ref: string): void => {
    created.push(object);
    stdout += `${ref} created${suffix}\n`;
  };
  const next = (i: number): void => {
    const doc = read.docs[i];
    if (doc === undefined) return finish();
    if ('error' in doc) {
      stderr += `${doc.error}\n`;
      return next(i + 1);
    }
    if (dryRun === 'client') {
      record(doc.object, objectRef(doc.type, doc.name));
      return next(i + 1);
    }
    sendCreate(client, doc.object, flags, dryRun, (r) => {
      if ('error' in r) stderr += `${r.error}\n`;
      else if ('status' in r) stderr += formatStatus(r.status, `error when creating "${doc.source}": `);
      else record(r.object, objectRef(doc.type, doc.name));
      next(i + 1);
    });
  };
  next(0);
}

function sendCreate(client: ApiClient, body: KubeObject, flags: KubectlFlags, dryRun: string, done: (r: { object: KubeObject } | { status: Status } | { error: string }) => void): void {
  client.request({ verb: 'create', body, ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }), ...(dryRun === 'server' ? { dryRun: true } : {}) }, (r) => {
    if (!r.ok) return done({ error: r.error });
    if (!r.result.ok) return done({ status: r.result.status });
    done({ object: r.result.value as KubeObject });
  });
}
