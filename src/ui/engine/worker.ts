/// <reference lib="webworker" />
// The engine's Web Worker: it owns the cluster and plays it, so the page's frames never wait
// for the simulation. Messages in are requests; messages out are replies and frames.
import type { ExplainSchemas } from '../../kubectl/explain';
import type { RequestMessage, WorkerMessage } from '../protocol';
import { DEFAULT_SEED } from '../speeds';
import { DEFAULT_TOPOLOGY } from '../topologies';
import { EngineServer } from './server';

declare const self: DedicatedWorkerGlobalScope;

/** Wall time per loop the engine may use; the rest of the ~16 ms is for posting and the page. */
const BUDGET_MS = 12;
const FRAME_MS = 16;

const server = new EngineServer(DEFAULT_TOPOLOGY, DEFAULT_SEED, { now: () => performance.now() });

const post = (m: WorkerMessage): void => {
  self.postMessage(m);
};

self.addEventListener('message', (e: MessageEvent<RequestMessage>) => {
  const { id, request } = e.data;
  post({ kind: 'reply', id, reply: server.handle(request) });
  const frame = server.tick(0);
  if (frame !== null) post({ kind: 'frame', frame });
});

function loop(): void {
  const started = performance.now();
  const frame = server.tick(BUDGET_MS);
  if (frame !== null) post({ kind: 'frame', frame });
  setTimeout(loop, Math.max(0, FRAME_MS - (performance.now() - started)));
}
loop();

// kubectl explain's schemas are large: fetched after the cluster is running.
import('../../generated/kubernetes-schemas.full.json').then(
  (m) => {
    server.setExplainSchemas(m.default as unknown as ExplainSchemas);
  },
  () => {
    // Offline or a failed chunk: explain keeps saying the schemas are loading; nothing else needs them.
  },
);
