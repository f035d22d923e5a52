import { describe, expect, it } from 'vitest';
import { DEFAULT_CLUSTER_SPEC } from '../../engine/topology';
import type { Frame, LoggedAction } from '../protocol';
import { EngineServer } from './server';

/** A wall clock the test moves by hand. */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

function newServer(seed: number | string = 1): { server: EngineServer; clock: ReturnType<typeof fakeClock> } {
  const clock = fakeClock();
  return { server: new EngineServer(DEFAULT_CLUSTER_SPEC, seed, clock), clock };
}

/** Plays `virtualMs` at 500× in 16 ms wall frames with an unlimited budget; returns the frames. */
function play(server: EngineServer, clock: ReturnType<typeof fakeClock>, virtualMs: number): Frame[] {
  server.time({ type: 'speed', speed: 500 });
  server.time({ type: 'play' });
  const frames: Frame[] = [];
  const end = server.current.world.now + virtualMs;
  while (server.current.world.now < end) {
    clock.advance(16);
    const f = server.tick(Infinity);
    if (f !== null) frames.push(f);
  }
  return frames;
}

describe('EngineServer', () => {
  it('plays virtual time at the chosen speed against the wall clock', () => {
    const { server, clock } = newServer();
    server.time({ type: 'speed', speed: 10 });
    const t0 = server.current.world.now;
    clock.advance(100);
    server.tick(Infinity);
    expect(server.current.world.now - t0).toBe(1_000);
    server.time({ type: 'pause' });
    expect(server.tick(Infinity)?.playing).toBe(false);
    clock.advance(100);
    // Paused and nothing new: no frame at all.
    expect(server.tick(Infinity)).toBeNull();
    expect(server.current.world.now - t0).toBe(1_000);
  });

  it('runs a kubectl action to its end, logs it at its virtual time and shows the pods it made', () => {
    const { server, clock } = newServer();
    play(server, clock, 15_000);
    const at = server.current.world.now;
    const out = server.dispatch({ type: 'kubectl', command: 'create deployment web --image=nginx --replicas=3' });
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toBe('deployment.apps/web created\n');
    expect(out.startedAtMs).toBe(at);
    expect(out.endedAtMs).toBeGreaterThan(at);
    const logged = server.actionLog().find((e) => e.action.type === 'kubectl');
    expect(logged).toEqual({ atMs: at, action: { type: 'kubectl', command: 'create deployment web --image=nginx --replicas=3' } });
    const frames = play(server, clock, 20_000);
    const model = [...frames].reverse().find((f) => f.model !== undefined)?.model;
    const pods = model?.pods.filter((p) => p.owner === 'Deployment/web') ?? [];
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.status === 'Running' && p.ready && p.nodeName.startsWith('worker-'))).toBe(true);
    const web = model?.workloads.find((w) => w.kind === 'Deployment' && w.name === 'web');
    expect(web).toMatchObject({ desired: 3, ready: 3, available: 3, converging: false });
    // The events of the rollout reach the timeline, and the chart got samples ending at 3/3.
    const events = frames.flatMap((f) => f.newEvents);
    expect(events.some((e) => e.reason === 'ScalingReplicaSet' && e.object === 'Deployment/default/web')).toBe(true);
    expect(events.some((e) => e.reason === 'Scheduled')).toBe(true);
    const samples = frames.flatMap((f) => f.newSamples['Deployment/default/web'] ?? []);
    expect(samples[samples.length - 1]).toMatchObject({ desired: 3, ready: 3 });
    expect(samples.some((s) => s.ready < 3)).toBe(true);
  });

  it('reports lost quorum and refuses a write through the minority master, as kubectl would see it', () => {
    const { server, clock } = newServer();
    play(server, clock, 15_000);
    server.dispatch({ type: 'kubectl', command: 'create deployment web --image=nginx --replicas=2' });
    server.dispatch({ type: 'fault', fault: { partition: [['zone-a'], ['zone-b']] } });
    play(server, clock, 5_000);
    // master-3 is alone in zone-b: its API server cannot commit.
    const minority = server.dispatch({ type: 'kubectl', command: '--context master-3 scale deploy web --replicas=5' });
    expect(minority.exitCode).toBe(1);
    expect(minority.stderr).toBe('Error from server: etcdserver: no leader\n');
    const majority = server.dispatch({ type: 'kubectl', command: 'scale deploy web --replicas=5' });
    expect(majority).toMatchObject({ exitCode: 0, stdout: 'deployment.apps/web scaled\n' });
    expect(server.frame().quorum).toBe(true);
    server.dispatch({ type: 'fault', fault: { kill: 'zone-a' } });
    play(server, clock, 3_000);
    expect(server.frame().quorum).toBe(false);
  });

  it('crashes a container; the kubelet restarts it and counts the restart', () => {
    const { server, clock } = newServer();
    play(server, clock, 15_000);
    server.dispatch({ type: 'kubectl', command: 'run box --image=nginx' });
    play(server, clock, 15_000);
    const out = server.dispatch({ type: 'crashContainer', namespace: 'default', pod: 'box' });
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/^container "box" of pod default\/box on worker-\d was killed \(exit code 137\)\n$/);
    const frames = play(server, clock, 15_000);
    const model = [...frames].reverse().find((f) => f.model !== undefined)?.model;
    expect(model?.pods.find((p) => p.name === 'box')).toMatchObject({ restarts: 1, status: 'Running' });
    expect(server.dispatch({ type: 'crashContainer', namespace: 'default', pod: 'nope' })).toMatchObject({ exitCode: 1, stderr: 'error: pods "nope" not found\n' });
  });

  it('steps to the next committed write and skips ahead to the next thing a learner would notice', () => {
    const { server, clock } = newServer();
    play(server, clock, 15_000);
    server.time({ type: 'pause' });
    const rev = (): number => Math.max(...server.current.cluster.etcd.members().map((m) => m.kv.revision));
    const r0 = rev();
    server.time({ type: 'step' });
    expect(rev()).toBe(r0 + 1);
    server.dispatch({ type: 'kubectl', command: 'create deployment web --image=nginx' });
    const before = server.current.world.now;
    server.time({ type: 'skip' });
    // The first thing to see: the Deployment controller scaling up, recorded as an Event within a second or so.
    expect(server.current.world.now - before).toBeLessThan(5_000);
    const events = server.frame().newEvents;
    expect(events.some((e) => e.reason === 'ScalingReplicaSet')).toBe(true);
    expect(server.isPlaying).toBe(false);
  });

  it('refuses a speed it does not offer, and does not log it', () => {
    const { server } = newServer();
    expect(server.handle({ op: 'time', action: { type: 'speed', speed: 3 } })).toEqual({ op: 'error', message: 'speed must be one of 1, 2, 5, 10, 50, 100, 500, got 3' });
    expect(server.actionLog()).toEqual([]);
  });

  it('says which cluster a frame shows: a reset starts a new epoch', () => {
    const { server } = newServer();
    const before = server.frame().epoch;
    const reply = server.handle({ op: 'reset', spec: DEFAULT_CLUSTER_SPEC, seed: 2 });
    expect(reply).toEqual({ op: 'reset', epoch: before + 1 });
    const after = server.frame();
    expect(after.epoch).toBe(before + 1);
    expect(after.model?.nodes).toHaveLength(6);
    expect(server.handle({ op: 'reset', spec: { ...DEFAULT_CLUSTER_SPEC, masters: { count: 0 } }, seed: 2 })).toMatchObject({ op: 'error' });
    expect(server.frame().epoch).toBe(before + 1);
  });

  it('turns a bad fault into an error on the console, not a crash', () => {
    const { server } = newServer();
    const out = server.dispatch({ type: 'fault', fault: { kill: 'worker-9' } });
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toMatch(/^error: no host or zone named "worker-9"/);
  });

  it('replays: the action log, run again at its virtual times, gives the same cluster however the wall clock ran', () => {
    const { server, clock } = newServer('replay');
    server.time({ type: 'speed', speed: 100 });
    // Uneven wall-clock frames, as a busy browser gives them.
    const playTo = (ms: number): void => {
      let i = 0;
      while (server.current.world.now < ms) {
        clock.advance([7, 16, 33, 5][i++ % 4] as number);
        server.tick(Infinity);
      }
    };
    playTo(12_000);
    // A frame cut short by its budget (tick(0) stops after one slice of events), then an action.
    clock.advance(50);
    server.tick(0);
    server.dispatch({ type: 'kubectl', command: 'create deployment web --image=nginx --replicas=4' });
    // Steps stop right after a committed write; the next action starts there.
    server.time({ type: 'step' });
    server.time({ type: 'step' });
    server.dispatch({ type: 'kubectl', command: 'label deploy web tier=front' });
    // Traffic from outside through a NodePort: a load is an action too, and its series replays.
    server.dispatch({ type: 'kubectl', command: 'create service nodeport web --tcp=80:80 --node-port=30080' });
    server.dispatch({ type: 'load', command: 'http://worker-2:30080/ --rate 20' });
    server.time({ type: 'play' });
    playTo(25_000);
    server.dispatch({ type: 'fault', fault: { kill: 'worker-1' } });
    server.time({ type: 'skip' });
    server.dispatch({ type: 'kubectl', command: 'scale deploy web --replicas=2' });
    server.time({ type: 'play' });
    playTo(90_000);
    const end = server.current.world.now;
    const restored = (log: readonly LoggedAction[]): string => {
      // A wall clock that moves 1 ms each time it is read: a 5 ms budget is a few slices of events.
      let wall = 0;
      const again = new EngineServer(DEFAULT_CLUSTER_SPEC, 'other seed, replaced by the restore', { now: () => ++wall });
      again.restore(DEFAULT_CLUSTER_SPEC, 'replay', log, end);
      expect(() => again.dispatch({ type: 'kubectl', command: 'get pods' })).toThrow('the cluster is still being restored');
      let frame = again.tick(5);
      let frames = 1;
      while (frame?.restoring !== null) {
        frame = again.tick(5);
        frames++;
      }
      expect(frames).toBeGreaterThan(1);
      expect(again.current.world.now).toBe(end);
      expect(again.isPlaying).toBe(false);
      return `${again.current.cluster.stateHash()} ${trafficOf(again)}`;
    };
    const trafficOf = (s: EngineServer): string => JSON.stringify([...s.current.cluster.dataPlane.allSeries()].map(([key, series]) => [key, series.since()]));
    expect(trafficOf(server)).toContain('outside/');
    expect(restored(server.actionLog())).toBe(`${server.current.cluster.stateHash()} ${trafficOf(server)}`);
    // And the log is not trivially empty of effect: without the kill the state differs.
    expect(restored(server.actionLog().filter((e) => e.action.type !== 'fault'))).not.toBe(`${server.current.cluster.stateHash()} ${trafficOf(server)}`);
  });
});
