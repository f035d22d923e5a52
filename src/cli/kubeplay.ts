// The headless CLI: `npx kubeplay run <scenario.yaml>` and `npx kubeplay validate <file>`.
// It runs the same engine, commands and Scenario format as the playground, in Node.
import { readFileSync } from 'node:fs';
import { DurationError, formatDuration, parseDuration } from '../engine/duration';
import { formatPath } from '../engine/schema/jsonSchema';
import { validateAgainstKind } from '../engine/schema/kubernetesSchemas';
import { formatScenarioError, parseScenario } from '../scenario/scenario';
import { formatTranscript, runScenario } from '../scenario/runScenario';
import { parseYaml } from '../scenario/yamlSource';

const USAGE = `Usage:
  kubeplay run <scenario.yaml> [--until <duration>] [--seed <n>] [--json]
  kubeplay validate <file.yaml>

run       runs a Scenario in virtual time and prints a transcript of its actions
          (--json: one JSON object per action, then one with the final state hash)
validate  checks a Scenario or a file of Kubernetes manifests, reporting errors as file:line:column
`;

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): string;
}

/** Runs the CLI and returns the exit code: 0 ran (or valid), 2 invalid input or usage. */
export function main(argv: readonly string[], io: CliIO): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  const flags = new Map<string, string | true>();
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a === '--json') flags.set('json', true);
    else if (a === '--until' || a === '--seed') {
      const v = rest[++i];
      if (v === undefined) return usage(io, `flag needs an argument: ${a}`);
      flags.set(a.slice(2), v);
    } else if (a.startsWith('--until=') || a.startsWith('--seed=')) flags.set(a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
    else if (a.startsWith('-')) return usage(io, `unknown flag: ${a}`);
    else files.push(a);
  }
  if (files.length !== 1) return usage(io, `${command} needs exactly one file`);
  const file = files[0] as string;
  let text: string;
  try {
    text = io.readFile(file);
  } catch (err) {
    io.err(`error: cannot read ${file}: ${(err as Error).message}\n`);
    return 2;
  }
  if (command === 'validate') return validate(file, text, io);
  if (command === 'run') return run(file, text, flags, io);
  return usage(io, `unknown command "${command}"`);
}

function usage(io: CliIO, message: string): number {
  io.err(`error: ${message}\n\n${USAGE}`);
  return 2;
}

function run(file: string, text: string, flags: Map<string, string | true>, io: CliIO): number {
  const parsed = parseScenario(text);
  if (!parsed.ok) {
    for (const e of parsed.errors) io.err(`${formatScenarioError(file, e)}\n`);
    return 2;
  }
  let untilMs: number | undefined;
  const until = flags.get('until');
  if (typeof until === 'string') {
    try {
      untilMs = parseDuration(until);
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      return usage(io, `--until: ${err.message}`);
    }
  }
  const seedFlag = flags.get('seed');
  let seed: number | string | undefined;
  if (typeof seedFlag === 'string') seed = /^-?\d+$/.test(seedFlag) ? Number(seedFlag) : seedFlag;
  const result = runScenario(parsed.scenario, { ...(untilMs === undefined ? {} : { untilMs }), ...(seed === undefined ? {} : { seed }) });
  if (flags.get('json') === true) {
    for (const r of result.records) io.out(`${JSON.stringify(r)}\n`);
    io.out(`${JSON.stringify({ at: result.endMs, final: true, stateHash: result.stateHash })}\n`);
  } else {
    io.out(formatTranscript(result, formatDuration));
    io.out(`[${formatDuration(result.endMs)}] end: state ${result.stateHash}\n`);
  }
  return 0;
}

function validate(file: string, text: string, io: CliIO): number {
  const yaml = parseYaml(text);
  if (yaml.errors.length > 0) {
    for (const e of yaml.errors) io.err(`${file}:${e.line}:${e.column}: ${e.message}\n`);
    return 2;
  }
  const first = yaml.documents[0]?.value as { kind?: unknown } | undefined;
  if (first?.kind === 'Scenario') {
    const parsed = parseScenario(text);
    if (!parsed.ok) {
      for (const e of parsed.errors) io.err(`${formatScenarioError(file, e)}\n`);
      return 2;
    }
    io.out(`${file}: valid Scenario "${parsed.scenario.name}" (${parsed.scenario.actions.length} actions)\n`);
    return 0;
  }
  let bad = false;
  const names: string[] = [];
  for (const doc of yaml.documents) {
    const obj = doc.value as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } } | null;
    const where = (path: (string | number)[]): string => {
      const p = doc.positionOf(path);
      return `${file}:${p.line}:${p.column}`;
    };
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      io.err(`${where([])}: a manifest must be a map with apiVersion, kind and metadata\n`);
      bad = true;
      continue;
    }
    if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') {
      io.err(`${where([])}: apiVersion not set\n`);
      bad = true;
      continue;
    }
    if (typeof obj.kind !== 'string' || obj.kind === '') {
      io.err(`${where([])}: kind not set\n`);
      bad = true;
      continue;
    }
    const errors = validateAgainstKind(obj.apiVersion, obj.kind, obj);
    if (errors === undefined) {
      io.err(`${where(['kind'])}: no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\n`);
      bad = true;
      continue;
    }
    for (const e of errors) io.err(`${where(e.path as (string | number)[])}: ${obj.kind}.${formatPath(e.path)}: ${e.message}\n`);
    if (errors.length > 0) bad = true;
    names.push(`${obj.kind}/${typeof obj.metadata?.name === 'string' ? obj.metadata.name : '?'}`);
  }
  if (bad) return 2;
  io.out(`${file}: valid (${names.length} document${names.length === 1 ? '' : 's'}: ${names.join(', ')})\n`);
  return 0;
}

/** Node entry point (bin/kubeplay.mjs). */
export function cli(): void {
  const code = main(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    readFile: (p) => readFileSync(p, 'utf8'),
  });
  process.exitCode = code;
}
