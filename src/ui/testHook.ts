import type { ProbeResult } from '../engine';
import type { EngineClient } from './engineClient';
import type { AppStore } from './store';

/**
 * What the page exposes on `window.kubeplay` for end-to-end tests and the UI benchmark: the
 * determinism probe (run in the page, compared with Node), the engine client and the store.
 */
export interface KubeplayTestHook {
  runDeterminismProbe: (seed: number | string, untilMs?: number) => Promise<ProbeResult>;
  engine: EngineClient;
  store: AppStore;
}

declare global {
  interface Window {
    kubeplay: KubeplayTestHook;
  }
}
