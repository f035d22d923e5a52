import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { connectEngine, EngineContext, workerPort } from './ui/engineClient';
import { formatVirtualTime } from './ui/formatVirtualTime';
import { forgetSavedSession, loadSavedSession, persistSession } from './ui/sessionStore';
import { DEFAULT_SEED } from './ui/speeds';
import { appStore } from './ui/store';
import type { KubeplayTestHook } from './ui/testHook';
import './ui/styles.css';

const worker = new Worker(new URL('./ui/engine/worker.ts', import.meta.url), { type: 'module', name: 'kubeplay-engine' });
const engine = connectEngine(workerPort(worker), appStore);
appStore.getState().setSeed(DEFAULT_SEED);

// The cluster survives a reload: replay the saved session, then keep saving it.
const saved = loadSavedSession();
if (saved !== null) {
  const actions = saved.log.filter((e) => !['play', 'pause', 'speed', 'step', 'skip'].includes(e.action.type)).length;
  engine.restore(saved).then(
    () => {
      appStore.getState().appendConsole([{ kind: 'info', text: `# restoring your cluster: ${actions} action(s) replayed to ${formatVirtualTime(saved.untilMs)} (New cluster… starts over)` }]);
    },
    (err: unknown) => {
      forgetSavedSession();
      appStore.getState().appendConsole([{ kind: 'info', text: `# your last cluster could not be restored (${err instanceof Error ? err.message : String(err)}); this is a new one` }]);
    },
  );
}
persistSession(appStore);

const hook: KubeplayTestHook = {
  // Loaded on demand: the engine is not part of the page's bundle.
  runDeterminismProbe: async (seed, steps) => (await import('./engine/determinismProbe')).runDeterminismProbe(seed, steps),
  engine,
  store: appStore,
};
window.kubeplay = hook;

const rootElement = document.getElementById('root');
if (rootElement === null) throw new Error('index.html has no #root element');
createRoot(rootElement).render(
  <StrictMode>
    <EngineContext.Provider value={engine}>
      <App />
    </EngineContext.Provider>
  </StrictMode>,
);
