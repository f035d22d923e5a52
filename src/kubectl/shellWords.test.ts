import { describe, expect, it } from 'vitest';
import { asciiTable, humanizeBytes } from './asciiTable';
import { shellWords } from './shellWords';

describe('shellWords', () => {
  it('splits on spaces and keeps quoted words whole', () => {
    expect(shellWords(`get --prefix "/registry/pods" 'a b' c\\ d`)).toEqual(['get', '--prefix', '/registry/pods', 'a b', 'c d']);
    expect(shellWords('  endpoint   status  ')).toEqual(['endpoint', 'status']);
    expect(shellWords('put k ""')).toEqual(['put', 'k', '']);
  });
  it('refuses an unterminated quote', () => {
    expect(() => shellWords('get "abc')).toThrow('unterminated double quote');
  });
});

describe('asciiTable and humanizeBytes (as etcdctl prints)', () => {
  it('centres upper-cased headers and right-aligns cells', () => {
    expect(asciiTable(['ID', 'is leader'], [['8e9e05c52164694d', 'true'], ['1', 'false']])).toBe(
      [
        '+------------------+-----------+',
        '|        ID        | IS LEADER |',
        '+------------------+-----------+',
        '| 8e9e05c52164694d |      true |',
        '|                1 |     false |',
        '+------------------+-----------+',
        '',
      ].join('\n'),
    );
  });
  it('prints sizes in SI units', () => {
    expect([humanizeBytes(5), humanizeBytes(20_480), humanizeBytes(1_234_567), humanizeBytes(999)]).toEqual(['5 B', '20 kB', '1.2 MB', '999 B']);
  });
});
