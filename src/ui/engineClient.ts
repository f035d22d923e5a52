import { createContext, useContext } from 'react';
import type { ClusterSpec } from '../engine';
import type { ActionOutcome, Completion, Inspection, LoggedAction, ObjectRef, Reply, Request, RequestMessage, SessionAction, TimeAction, WorkerMessage } from './protocol';
import type { AppStore } from './store';

/** The page's handle on the engine. Every call is a request to the worker; frames arrive on their own. */
export interface EngineClient {
  dispatch(action: SessionAction): Promise<ActionOutcome>;
  time(action: TimeAction): Promise<void>;
  inspect(ref: ObjectRef): Promise<Inspection>;
  complete(line: string, cursor: number): Promise<Completion>;
  reset(spec: ClusterSpec, seed: number | string): Promise<void>;
  /** Rebuilds a saved session by replaying its log (see sessionStore.ts). */
  restore(saved: { spec: ClusterSpec; seed: number | string; log: readonly LoggedAction[]; untilMs: number }): Promise<void>;
}

/** Something that carries messages to and from the engine: a Worker, or an in-page stand-in. */
export interface MessagePort {
  postMessage(message: RequestMessage): void;
  onMessage(listener: (message: WorkerMessage) => void): void;
}

/** Talks to the engine over `port` and pours its frames into `store`. */
export function connectEngine(port: MessagePort, store: AppStore): EngineClient {
  let nextId = 1;
  const waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  // Frames of a cluster that a reset replaced may still be on their way: only the current epoch's count.
  let epoch: number | undefined;
  let resetting = 0;
  port.onMessage((message) => {
    if (message.kind === 'frame') {
      if (resetting > 0 || (epoch !== undefined && message.frame.epoch !== epoch)) return;
      epoch = message.frame.epoch;
      store.getState().applyFrame(message.frame);
      return;
    }
    const w = waiting.get(message.id);
    if (w === undefined) return;
    waiting.delete(message.id);
    if (message.reply.op === 'error') w.reject(new Error(message.reply.message));
    else w.resolve(message.reply);
  });
  /**
   * A new cluster replaces the old one: frames are dropped until the worker answers with the new
   * epoch, and the page forgets the old cluster only then (a refused topology leaves it on screen).
   */
  const replaceCluster = async (request: () => Promise<{ epoch: number }>, spec: ClusterSpec, seed: number | string): Promise<void> => {
    resetting++;
    try {
      epoch = (await request()).epoch;
      store.getState().resetEngineState();
      store.getState().setSeed(seed);
      store.getState().setSpec(spec);
    } finally {
      resetting--;
    }
  };
  const call = <Op extends Request['op']>(request: Request & { op: Op }): Promise<Reply & { op: Op }> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (r: Reply) => void, reject });
      port.postMessage({ id, request });
    });
  return {
    dispatch: async (action) => (await call({ op: 'dispatch', action })).outcome,
    time: async (action) => {
      await call({ op: 'time', action });
    },
    inspect: async (ref) => (await call({ op: 'inspect', ref })).inspection,
    complete: async (line, cursor) => (await call({ op: 'complete', line, cursor, files: store.getState().tabs.map((t) => t.name) })).completion,
    reset: async (spec, seed) => {
      await replaceCluster(() => call({ op: 'reset', spec, seed }), spec, seed);
    },
    restore: async ({ spec, seed, log, untilMs }) => {
      await replaceCluster(() => call({ op: 'restore', spec, seed, log, untilMs }), spec, seed);
    },
  };
}

/** The port of a real Web Worker. */
export function workerPort(worker: Worker): MessagePort {
  return {
    postMessage: (m) => {
      worker.postMessage(m);
    },
    onMessage: (listener) => {
      worker.addEventListener('message', (e: MessageEvent<WorkerMessage>) => {
        listener(e.data);
      });
    },
  };
}

export const EngineContext = createContext<EngineClient | null>(null);

/** The engine client the app was started with. */
export function useEngine(): EngineClient {
  const engine = useContext(EngineContext);
  if (engine === null) throw new Error('useEngine outside <EngineContext.Provider>');
  return engine;
}
