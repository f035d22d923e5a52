import type { runDeterminismProbe } from '../engine';

/**
 * What the page exposes on `window.kubeplay` for end-to-end tests: they run
 * engine code inside the browser and compare it with Node.
 */
export interface KubeplayTestHook {
  runDeterminismProbe: typeof runDeterminismProbe;
}

declare global {
  interface Window {
    kubeplay: KubeplayTestHook;
  }
}
