/** The colour tokens of styles.css the canvas paints with, read from the page (so light and dark both work). */
const TOKENS = {
  panel: '--panel',
  panelRaised: '--panel-raised',
  panelSunken: '--panel-sunken',
  border: '--border',
  borderStrong: '--border-strong',
  text: '--text',
  textMuted: '--text-muted',
  textFaint: '--text-faint',
  accent: '--accent',
  accentStrong: '--accent-strong',
  controlPlane: '--control-plane',
  worker: '--worker',
  ready: '--ready',
  pending: '--pending',
  down: '--down',
  warn: '--warn',
  succeeded: '--succeeded',
  leader: '--leader',
  hover: '--hover',
  fontUi: '--font-ui',
  fontMono: '--font-mono',
} as const;

export type Theme = { readonly [K in keyof typeof TOKENS]: string };

export function readTheme(el: Element): Theme {
  const style = getComputedStyle(el);
  const out = {} as Record<keyof typeof TOKENS, string>;
  for (const [key, token] of Object.entries(TOKENS) as [keyof typeof TOKENS, string][]) {
    out[key] = style.getPropertyValue(token).trim() || (key.startsWith('font') ? 'sans-serif' : 'gray');
  }
  return out;
}
