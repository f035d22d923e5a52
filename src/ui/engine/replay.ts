import type { ClusterSpec } from '../../engine';
import { Session } from '../../scenario/session';
import type { LoggedAction } from '../protocol';
import { toCommand } from './server';

/**
 * Rebuilds a session from its action log: the same cluster and seed, each action run at the
 * virtual time it was logged at, then time run on to `untilMs`. Time actions (play, speed…)
 * only changed how fast the wall clock moved, so they replay as nothing; step and skip moved
 * virtual time, which the next action's time already says.
 */
export function replayLog(spec: ClusterSpec, seed: number | string, log: readonly LoggedAction[], untilMs: number): Session {
  const session = new Session({ seed, spec });
  const world = session.world;
  for (const { atMs, action } of log) {
    if (atMs > world.now) world.runUntil(atMs);
    if (action.type === 'kubectl' || action.type === 'etcdctl' || action.type === 'fault' || action.type === 'crashContainer') {
      try {
        session.run(toCommand(action));
      } catch {
        // The live session turned the same throw into an error on the console.
      }
    }
  }
  if (untilMs > world.now) world.runUntil(untilMs);
  return session;
}
