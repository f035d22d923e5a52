import { describe, expect, it } from 'vitest';
import { closeTab, newTabName } from './tabs';

const tabs = (...names: string[]) => names.map((name) => ({ name, text: '' }));

describe('editor tabs', () => {
  it('names a new tab after the first free number', () => {
    expect(newTabName(tabs('web.yaml'))).toBe('untitled-1.yaml');
    expect(newTabName(tabs('untitled-1.yaml', 'untitled-3.yaml'))).toBe('untitled-2.yaml');
  });

  it('closes a tab and activates its neighbour', () => {
    expect(closeTab(tabs('a', 'b', 'c'), 'b', 'b')).toEqual({ tabs: tabs('a', 'c'), active: 'c' });
    expect(closeTab(tabs('a', 'b', 'c'), 'c', 'c')).toEqual({ tabs: tabs('a', 'b'), active: 'b' });
    expect(closeTab(tabs('a', 'b', 'c'), 'a', 'c')).toEqual({ tabs: tabs('a', 'b'), active: 'a' });
  });

  it('never closes the last tab', () => {
    expect(closeTab(tabs('a'), 'a', 'a')).toBeNull();
    expect(closeTab(tabs('a', 'b'), 'a', 'zzz')).toBeNull();
  });
});
