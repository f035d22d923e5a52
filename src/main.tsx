import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Cluster, runDeterminismProbe } from './engine';
import { App } from './ui/App';
import { startEngineHost } from './ui/engineHost';
import { appStore } from './ui/store';
import type { KubeplayTestHook } from './ui/testHook';
import './ui/styles.css';

/** The sandbox's seed until scenarios and share links choose one. */
const DEFAULT_SEED = 1;

const hook: KubeplayTestHook = { runDeterminismProbe };
window.kubeplay = hook;

appStore.getState().setSeed(DEFAULT_SEED);
const host = startEngineHost(new Cluster({ seed: DEFAULT_SEED }), appStore);
// In the dev server a hot reload of this module would otherwise leave a second frame loop running.
import.meta.hot?.dispose(() => {
  host.dispose();
});

const rootElement = document.getElementById('root');
if (rootElement === null) throw new Error('index.html has no #root element');
createRoot(rootElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
