import { describe, expect, it } from 'vitest';
import { applyCompletion, AT_BOTTOM, commonPrefix, consoleText, formatCandidates, type HistoryCursor, historyStep } from './consoleInput';

describe('historyStep', () => {
  const history = ['kubectl get pods', 'kubectl get nodes', 'heal'];

  it('walks up and down, keeping the draft for the way back', () => {
    let at: HistoryCursor = AT_BOTTOM;
    let value = 'kubectl desc';
    const step = (d: -1 | 1): void => {
      const r = historyStep(history, at, value, d);
      if (r !== null) ({ at, value } = r);
    };
    step(-1);
    expect(value).toBe('heal');
    step(-1);
    step(-1);
    expect(value).toBe('kubectl get pods');
    step(-1);
    expect(value).toBe('kubectl get pods');
    step(1);
    expect(value).toBe('kubectl get nodes');
    step(1);
    step(1);
    expect(value).toBe('kubectl desc');
    expect(at.index).toBeNull();
  });

  it('does nothing without history or below the bottom', () => {
    expect(historyStep([], AT_BOTTOM, 'x', -1)).toBeNull();
    expect(historyStep(history, AT_BOTTOM, 'x', 1)).toBeNull();
  });
});

describe('applyCompletion', () => {
  it('inserts a single candidate with a space', () => {
    expect(applyCompletion('kubectl sc', 10, { from: 8, candidates: ['scale'] })).toEqual({ kind: 'edit', line: 'kubectl scale ', cursor: 14 });
  });

  it('adds no space after a candidate that expects more', () => {
    expect(applyCompletion('kubectl scale --rep', 19, { from: 14, candidates: ['--replicas='] })).toEqual({ kind: 'edit', line: 'kubectl scale --replicas=', cursor: 25 });
  });

  it('replaces the whole word under the cursor and keeps the rest of the line', () => {
    const line = 'kubectl sc deploy web';
    expect(applyCompletion(line, 10, { from: 8, candidates: ['scale'] })).toEqual({ kind: 'edit', line: 'kubectl scale deploy web', cursor: 14 });
    expect(applyCompletion('kubectl scxx deploy', 10, { from: 8, candidates: ['scale'] })).toEqual({ kind: 'edit', line: 'kubectl scale deploy', cursor: 14 });
  });

  it('inserts the common prefix of several candidates, then reports them', () => {
    const c = { from: 17, candidates: ['web-7d4b9c-abcde', 'web-7d4b9c-fghij'] };
    expect(applyCompletion('kubectl get pods w', 18, c)).toEqual({ kind: 'edit', line: 'kubectl get pods web-7d4b9c-', cursor: 28 });
    expect(applyCompletion('kubectl get pods web-7d4b9c-', 28, c)).toEqual({ kind: 'ambiguous', candidates: c.candidates });
  });

  it('does nothing without candidates', () => {
    expect(applyCompletion('kubectl x', 9, { from: 8, candidates: [] })).toEqual({ kind: 'none' });
  });
});

describe('commonPrefix', () => {
  it('finds the longest shared start', () => {
    expect(commonPrefix(['pod', 'pods', 'poddisruptionbudget'])).toBe('pod');
    expect(commonPrefix(['a', 'b'])).toBe('');
    expect(commonPrefix([])).toBe('');
  });
});

describe('formatCandidates', () => {
  it('fills columns downwards within the width', () => {
    expect(formatCandidates(['aa', 'bb', 'cc', 'dd', 'ee'], 12)).toBe('aa  cc  ee\nbb  dd');
    expect(formatCandidates(['one'], 2)).toBe('one');
  });

  it('says how many it left out', () => {
    expect(formatCandidates(['a', 'b', 'c'], 80, 2)).toBe('a  b\n… and 1 more');
  });
});

describe('consoleText', () => {
  it('prints commands with their prompt', () => {
    expect(
      consoleText([
        { id: 1, kind: 'input', text: 'kubectl get ns', atMs: 0 },
        { id: 2, kind: 'stdout', text: 'NAME STATUS\ndefault Active' },
      ]),
    ).toBe('$ kubectl get ns\nNAME STATUS\ndefault Active');
  });
});
