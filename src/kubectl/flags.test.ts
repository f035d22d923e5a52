import { describe, expect, it } from 'vitest';
import { flagBool, flagList, flagString } from './kubectlEnv';
import { parseFlags } from './flags';

const parse = (command: string, line: string) => {
  const r = parseFlags(command, line.split(' ').filter((w) => w !== ''));
  if ('error' in r) throw new Error(r.error);
  return r;
};

describe('kubectl flag parsing', () => {
  it('takes every spelling kubectl takes for a value', () => {
    for (const line of ['get pods -o yaml', 'get pods -oyaml', 'get pods -o=yaml', 'get pods --output yaml', 'get pods --output=yaml']) {
      expect(parse('get', line).flags.output).toBe('yaml');
    }
  });

  it('reads global flags before the command and repeatable flags in order', () => {
    const r = parse('create', '-n tools create configmap cfg --from-literal=a=1 --from-literal b=2');
    expect(r.args).toEqual(['create', 'configmap', 'cfg']);
    expect(r.flags.namespace).toBe('tools');
    expect(flagList(r.flags, 'from-literal')).toEqual(['a=1', 'b=2']);
  });

  it('gives short flags the meaning of their command', () => {
    expect(flagBool(parse('logs', 'logs web -f -p').flags, 'follow')).toBe(true);
    expect(parse('logs', 'logs web -f').flags.filenames).toEqual([]);
    expect(flagString(parse('patch', 'patch deploy web -p {}').flags, 'patch')).toBe('{}');
    expect(flagString(parse('run', 'run web --image=nginx -l app=web').flags, 'labels')).toBe('app=web');
    const it_ = parse('run', 'run sh -it --image=busybox');
    expect([flagBool(it_.flags, 'stdin'), flagBool(it_.flags, 'tty')]).toEqual([true, true]);
  });

  it('keeps the words after -- apart', () => {
    const r = parse('run', 'run pause --image=busybox -- sleep 3600');
    expect(r.args).toEqual(['run', 'pause']);
    expect(r.afterDashes).toEqual(['sleep', '3600']);
  });

  it('reads a bare --dry-run as client, and refuses other values', () => {
    expect(parse('apply', 'apply -f - --dry-run').flags.dryRun).toBe('client');
    expect(parse('apply', 'apply --dry-run=server -f -').flags.dryRun).toBe('server');
    expect(parseFlags('apply', ['apply', '--dry-run=yes'])).toEqual({ error: 'error: Invalid dry-run value (yes). Must be "none", "server", or "client".' });
  });

  it("refuses flags the command does not declare, in kubectl's words", () => {
    expect(parseFlags('get', ['get', 'pods', '--replicas=3'])).toEqual({ error: "error: unknown flag: --replicas\nSee 'kubectl get --help' for usage." });
    expect(parseFlags('get', ['get', 'pods', '-z'])).toEqual({ error: "error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage." });
    expect(parseFlags('get', ['get', 'pods', '-o'])).toEqual({ error: "error: flag needs an argument: 'o' in -o" });
    expect(parseFlags('drain', ['drain', 'worker-1', '--force=maybe'])).toEqual({
      error: 'error: invalid argument "maybe" for "--force" flag: strconv.ParseBool: parsing "maybe": invalid syntax\nSee \'kubectl drain --help\' for usage.',
    });
  });
});
