import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatTranscript, parseTranscript, TranscriptDriver } from './transcript';

// Golden interaction transcripts (see testdata/README.md). UPDATE_GOLDEN=1 rewrites
// the expected output from what the driver prints now; review the diff before keeping it.
const dir = fileURLToPath(new URL('./testdata/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .sort();
const update = process.env.UPDATE_GOLDEN === '1';

describe('raft interaction transcripts', () => {
  it('has transcripts to run', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', (file) => {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    const cases = parseTranscript(text);
    const driver = new TranscriptDriver();
    const actual = cases.map((c) => ({ ...c, expected: driver.run(c.command) }));
    if (update) {
      writeFileSync(path, formatTranscript(actual));
      return;
    }
    for (const [i, c] of cases.entries()) {
      const got = (actual[i] as (typeof actual)[number]).expected;
      expect(got, `${file}:${c.line}: ${c.command}\n(regenerate with UPDATE_GOLDEN=1 if the change is intended)`).toBe(c.expected);
    }
    // The file is in the form the rewriter produces, so a regeneration diff shows only real changes.
    expect(formatTranscript(cases)).toBe(text);
  });
});

describe('transcript format', () => {
  it('round-trips comments, cases and the long form for output with blank lines', () => {
    const text = '# a comment\n#\n# more\nstatus\n----\nok\n\nlog 1\n----\n----\na\n\nb\n----\n----\n';
    const cases = parseTranscript(text);
    expect(cases.map((c) => [c.command, c.expected, c.line])).toEqual([
      ['status', 'ok', 4],
      ['log 1', 'a\n\nb', 8],
    ]);
    expect(formatTranscript(cases)).toBe(text);
  });

  it('prints errors instead of throwing', () => {
    const d = new TranscriptDriver();
    expect(d.run('campaign 1')).toBe('error: no members yet: start with add-nodes');
    expect(d.run('add-nodes 3 bogus=1')).toMatch(/^error: add-nodes: unknown option bogus=/);
    expect(d.run('add-nodes 3')).toBe('ok');
    expect(d.run('tick 4')).toMatch(/^error: no member 4/);
  });
});
