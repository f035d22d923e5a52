/** The parts of a KeyboardEvent the Space shortcut looks at (so it can be tested without a DOM). */
export interface KeyLike {
  readonly key: string;
  readonly repeat: boolean;
  readonly defaultPrevented: boolean;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly target: { closest?: (selector: string) => unknown } | null;
}

/**
 * Where Space already means something: typing, pressing the focused control, Monaco, a dialog.
 * Only outside all of these does Space play or pause.
 */
const SPACE_IS_TAKEN = [
  'input',
  'textarea',
  'select',
  'button',
  'a[href]',
  'summary',
  '[contenteditable]:not([contenteditable="false"])',
  '[role="textbox"]',
  '[role="button"]',
  '[role="slider"]',
  '[role="separator"]',
  '[role="checkbox"]',
  '[role="switch"]',
  '[role="menu"]',
  '[role="menuitem"]',
  '[role="option"]',
  '[role="listbox"]',
  '[role="tab"]',
  '[role="application"]',
  '[role="dialog"]',
  'dialog',
  '.monaco-editor',
].join(',');

export function isPlaybackShortcut(e: KeyLike): boolean {
  if (e.key !== ' ' || e.repeat || e.defaultPrevented) return false;
  if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return false;
  const closest = e.target?.closest;
  if (typeof closest !== 'function') return true;
  return closest.call(e.target, SPACE_IS_TAKEN) === null;
}

/**
 * What the engine achieves, when it is well below what was asked ("≈37×"), else null. A
 * small shortfall is the frame rate's rounding, not worth a word.
 */
export function achievedSpeedText(playing: boolean, speed: number, achieved: number): string | null {
  if (!playing || achieved <= 0 || achieved >= speed * 0.8) return null;
  return `≈${achieved >= 10 ? Math.round(achieved) : achieved.toFixed(1)}×`;
}
