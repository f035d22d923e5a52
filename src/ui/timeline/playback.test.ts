import { describe, expect, it } from 'vitest';
import { achievedSpeedText, isPlaybackShortcut, type KeyLike } from './playback';

/** A target whose closest() matches when one of `inside` is in the selector list. */
function target(inside: string[]): KeyLike['target'] {
  return { closest: (selector: string) => (inside.some((s) => selector.split(',').includes(s)) ? {} : null) };
}

function key(patch: Partial<KeyLike> = {}): KeyLike {
  return { key: ' ', repeat: false, defaultPrevented: false, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, target: target([]), ...patch };
}

describe('isPlaybackShortcut', () => {
  it('takes a plain Space outside any control', () => {
    expect(isPlaybackShortcut(key())).toBe(true);
    expect(isPlaybackShortcut(key({ target: null }))).toBe(true);
  });

  it('leaves Space to inputs, buttons, Monaco and dialogs', () => {
    for (const s of ['input', 'textarea', 'button', '.monaco-editor', '[role="dialog"]', '[contenteditable]:not([contenteditable="false"])']) {
      expect(isPlaybackShortcut(key({ target: target([s]) }))).toBe(false);
    }
  });

  it('ignores other keys, held keys, chords and handled events', () => {
    expect(isPlaybackShortcut(key({ key: 'Enter' }))).toBe(false);
    expect(isPlaybackShortcut(key({ repeat: true }))).toBe(false);
    expect(isPlaybackShortcut(key({ ctrlKey: true }))).toBe(false);
    expect(isPlaybackShortcut(key({ defaultPrevented: true }))).toBe(false);
  });
});

describe('achievedSpeedText', () => {
  it('speaks up only when playing well below the asked speed', () => {
    expect(achievedSpeedText(true, 500, 123.4)).toBe('≈123×');
    expect(achievedSpeedText(true, 10, 3.26)).toBe('≈3.3×');
    expect(achievedSpeedText(true, 500, 450)).toBeNull();
    expect(achievedSpeedText(false, 500, 12)).toBeNull();
    expect(achievedSpeedText(true, 500, 0)).toBeNull();
  });
});
