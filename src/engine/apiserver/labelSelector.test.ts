import { describe, expect, it } from 'vitest';
import { matchesSelector, parseLabelSelector, type Requirement } from './labelSelector';

const sel = (s: string): Requirement[] => {
  const r = parseLabelSelector(s);
  if ('error' in r) throw new Error(r.error);
  return r;
};

describe('label selectors', () => {
  const web = { app: 'web', tier: 'front', env: 'prod' };
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app=api', false],
    ['tier!=db', true],
    ['env in (prod, staging)', true],
    ['env notin (prod)', false],
    ['app,tier', true],
    ['!canary', true],
    ['!app', false],
    ['app=web,env in (dev)', false],
    ['missing!=x', true],
  ])('%s on app=web,tier=front,env=prod → %s', (s, expected) => {
    expect(matchesSelector(sel(s), web)).toBe(expected);
  });

  it('refuses what it cannot parse, in the API server\'s words', () => {
    expect(parseLabelSelector('app=web,=x')).toEqual({ error: "unable to parse requirement: found '=x', expected: in, notin, =, ==, !=, identifier" });
    expect(parseLabelSelector('a$=c')).toEqual({ error: 'unable to parse requirement: invalid label key "a$"' });
    expect(parseLabelSelector('env in prod')).toMatchObject({ error: expect.stringContaining('unable to parse requirement') });
  });

  it('matches everything when empty', () => {
    expect(matchesSelector(sel(''), undefined)).toBe(true);
  });
});
