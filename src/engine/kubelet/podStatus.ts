import { rfc3339 } from '../virtualTime';
import type { ContainerRecord } from './runtime';

/** Why a container that has not (re)started is waiting, as the kubelet reports it. */
export interface Waiting {
  readonly reason: string;
  readonly message?: string;
}

export interface ContainerView {
  readonly name: string;
  readonly image: string;
  /** Attempts of this container in the runtime, oldest first. */
  readonly attempts: readonly ContainerRecord[];
  /** Set when the container is not running and not terminated for good. */
  readonly waiting?: Waiting;
  readonly ready: boolean;
  readonly started: boolean;
  /** The attempt number of the newest container (restarts so far, kept across a node reboot). */
  readonly restartCount: number;
  /** A sidecar: an init container with restartPolicy Always. */
  readonly sidecar?: boolean;
}

type Obj = Record<string, unknown>;

function terminated(c: ContainerRecord): Obj {
  return {
    terminated: {
      exitCode: c.exitCode ?? 0,
      reason: c.reason ?? 'Error',
      ...(c.message === undefined ? {} : { message: c.message }),
      startedAt: c.startedAt === undefined ? null : rfc3339(c.startedAt),
      finishedAt: rfc3339(c.finishedAt ?? 0),
      containerID: `containerd://${c.id}`,
    },
  };
}

/** A container's status, as in pod.status.containerStatuses. */
export function containerStatus(v: ContainerView): Obj {
  const last = v.attempts.at(-1);
  const previous = v.attempts.at(-2);
  const restartCount = v.restartCount;
  let state: Obj;
  let lastState: Obj = {};
  if (last === undefined) state = { waiting: { reason: v.waiting?.reason ?? 'ContainerCreating', ...(v.waiting?.message === undefined ? {} : { message: v.waiting.message }) } };
  else if (last.finishedAt === undefined && last.startedAt !== undefined) state = { running: { startedAt: rfc3339(last.startedAt) } };
  else if (last.finishedAt === undefined) state = { waiting: { reason: 'ContainerCreating' } };
  else if (v.waiting !== undefined) {
    state = { waiting: { reason: v.waiting.reason, ...(v.waiting.message === undefined ? {} : { message: v.waiting.message }) } };
    lastState = terminated(last);
  } else state = terminated(last);
  if (previous !== undefined && previous.finishedAt !== undefined && Object.keys(lastState).length === 0) lastState = terminated(previous);
  return {
    name: v.name,
    state,
    lastState,
    ready: v.ready,
    restartCount,
    image: v.image,
    imageID: last?.imageID ?? '',
    ...(last === undefined ? {} : { containerID: `containerd://${last.id}` }),
    started: v.started,
  };
}

export interface PodView {
  readonly restartPolicy: 'Always' | 'OnFailure' | 'Never';
  readonly inits: readonly ContainerView[];
  readonly containers: readonly ContainerView[];
  /** Every init container has completed (sidecars: started). */
  readonly initialized: boolean;
  /** An init container failed with restartPolicy Never: the pod failed. */
  readonly initFailed: boolean;
  readonly sandboxReady: boolean;
}

/** The pod phase, by the kubelet's rules (getPhase). */
export function podPhase(p: PodView): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  if (p.initFailed) return 'Failed';
  if (!p.initialized) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of p.containers) {
    const last = c.attempts.at(-1);
    if (last === undefined || (last.finishedAt === undefined && last.startedAt === undefined)) waiting++;
    else if (last.finishedAt === undefined) running++;
    else if (c.waiting !== undefined) {
      // Waiting to restart after a termination counts as stopped, not as never started.
      stopped++;
    } else {
      stopped++;
      if (last.exitCode === 0) succeeded++;
    }
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (p.restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (p.restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  message?: string;
  lastProbeTime: null;
  lastTransitionTime: string;
}

/**
 * The conditions the kubelet owns (PodReadyToStartContainers, Initialized, Ready,
 * ContainersReady), keeping PodScheduled and any other from the scheduler; a transition time
 * moves only when the status changes.
 */
export function podConditions(p: PodView, phase: string, previous: readonly Condition[], now: number): Condition[] {
  const prev = new Map(previous.map((c) => [c.type, c]));
  const make = (type: string, ok: boolean, reason?: string, message?: string): Condition => {
    const status = ok ? 'True' : 'False';
    const old = prev.get(type);
    return {
      type,
      status,
      ...(reason === undefined ? {} : { reason }),
      ...(message === undefined ? {} : { message }),
      lastProbeTime: null,
      lastTransitionTime: old !== undefined && old.status === status ? old.lastTransitionTime : rfc3339(now),
    };
  };
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const pendingInits = p.inits.filter((c) => (c.sidecar ? !c.started : !(c.attempts.at(-1)?.exitCode === 0 && c.attempts.at(-1)?.finishedAt !== undefined))).map((c) => c.name);
  const unready = [...p.inits.filter((c) => c.sidecar), ...p.containers].filter((c) => !c.ready).map((c) => c.name);
  const list = (names: string[]): string => `[${names.join(' ')}]`;
  const initialized = p.initialized
    ? make('Initialized', true, terminal && p.inits.length > 0 ? 'PodCompleted' : undefined)
    : make('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: ${list(pendingInits)}`);
  const readyReason = terminal ? 'PodCompleted' : !p.initialized ? 'ContainersNotInitialized' : 'ContainersNotReady';
  const readyMessage = terminal ? undefined : !p.initialized ? `containers with incomplete status: ${list(pendingInits)}` : `containers with unready status: ${list(unready)}`;
  const ready = !terminal && p.initialized && unready.length === 0;
  const own = [
    make('PodReadyToStartContainers', p.sandboxReady && !terminal),
    initialized,
    ready ? make('Ready', true) : make('Ready', false, readyReason, readyMessage),
    ready ? make('ContainersReady', true) : make('ContainersReady', false, readyReason, readyMessage),
  ];
  const ownTypes = new Set(own.map((c) => c.type));
  return [...own, ...previous.filter((c) => !ownTypes.has(c.type))];
}
