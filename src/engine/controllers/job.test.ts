import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/apiObjects';
import { clusterHarness } from '../testing/clusterHarness';
import { parseRfc3339 } from '../virtualTime';
import { backoffRemaining, formatIndexes, nextBackoffRecord, wantActive } from './jobUtil';

type Obj = Record<string, unknown>;

function setup() {
  const h = clusterHarness();
  const { cluster } = h;
  const job = (name: string): KubeObject => h.get('jobs', name) as KubeObject;
  const runUntil = (done: () => boolean, limitMs: number, always: () => void = () => undefined): void => {
    const end = cluster.world.now + limitMs;
    while (!done()) {
      if (cluster.world.now >= end) throw new Error(`not reached within ${limitMs} ms: ${JSON.stringify(h.list('jobs', 'default').map((j) => j.status))}`);
      cluster.world.runFor(200);
      always();
    }
  };
  return { ...h, job, runUntil };
}

/** A Job as `kubectl create job NAME --image=busybox:1.36 -- sh -c CMD` makes it, with more spec. */
function jobOf(name: string, command: string[], more: Obj = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { containers: [{ name, image: 'busybox:1.36', command }], restartPolicy: 'Never' } }, ...more },
  };
}

const status = (o: KubeObject): Obj => (o.status ?? {}) as Obj;
const conditions = (o: KubeObject): string[] => ((status(o).conditions ?? []) as Obj[]).map((c) => `${String(c.type)} ${String(c.status)} ${String(c.reason ?? '')}: ${String(c.message ?? '')}`);
const finished = (o: KubeObject): boolean => conditions(o).some((c) => c.startsWith('Complete True') || c.startsWith('Failed True'));
const phase = (p: KubeObject): string => String(status(p).phase);

describe('Job controller', () => {
  it('runs 3 completions 2 at a time, then is Complete with the event', () => {
    const { ok, job, runUntil, list, events } = setup();
    const created = ok({ verb: 'create', namespace: 'default', body: jobOf('work', ['sleep', '2'], { completions: 3, parallelism: 2 }) });
    let maxRunning = 0;
    runUntil(
      () => finished(job('work')),
      120_000,
      () => {
        const running = list('pods', 'default').filter((p) => phase(p) === 'Pending' || phase(p) === 'Running').length;
        maxRunning = Math.max(maxRunning, running);
      },
    );
    const pods = list('pods', 'default');
    expect(maxRunning).toBe(2);
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(phase(p)).toBe('Succeeded');
      expect(p.metadata.name).toMatch(/^work-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.finalizers).toBeUndefined();
      const uid = created.metadata.uid ?? '';
      expect(p.metadata.labels).toEqual({ 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'work', 'controller-uid': uid, 'job-name': 'work' });
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid, controller: true, blockOwnerDeletion: true }]);
    }
    const j = job('work');
    expect(conditions(j)).toEqual(['SuccessCriteriaMet True : ', 'Complete True : ']);
    const st = status(j);
    expect(st).toMatchObject({ succeeded: 3, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(st.active).toBeUndefined();
    expect(st.failed).toBeUndefined();
    expect(parseRfc3339(String(st.completionTime))).toBeGreaterThan(parseRfc3339(String(st.startTime)) ?? Infinity);
    expect(events('work').filter((e) => e.startsWith('SuccessfulCreate'))).toHaveLength(3);
    expect(events('work').at(-1)).toBe('Completed: Job completed');
  });

  it('keeps the tracking finalizer on a pod until it has been counted', () => {
    const { ok, list, run } = setup();
    ok({ verb: 'create', namespace: 'default', body: jobOf('hold', ['sleep', '3600']) });
    run(3_000);
    const [pod] = list('pods', 'default');
    expect(pod?.metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
  });

  it('stops after backoffLimit+1 failed pods, spaced by the back-off, with BackoffLimitExceeded', () => {
    const { ok, job, runUntil, list, events } = setup();
    ok({ verb: 'create', namespace: 'default', body: jobOf('fail', ['sh', '-c', 'exit 1'], { backoffLimit: 2 }) });
    runUntil(() => finished(job('fail')), 300_000);
    const pods = list('pods', 'default').sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => phase(p) === 'Failed')).toBe(true);
    const created = pods.map((p) => parseRfc3339(String(p.metadata.creationTimestamp)) ?? 0);
    // 10 s after the first failure, 20 s after the second (plus the pod's own run time).
    expect((created[1] ?? 0) - (created[0] ?? 0)).toBeGreaterThanOrEqual(10_000);
    expect((created[2] ?? 0) - (created[1] ?? 0)).toBeGreaterThanOrEqual(20_000);
    const j = job('fail');
    expect(conditions(j)).toEqual(['FailureTarget True BackoffLimitExceeded: Job has reached the specified backoff limit', 'Failed True BackoffLimitExceeded: Job has reached the specified backoff limit']);
    expect(status(j)).toMatchObject({ failed: 3, ready: 0, terminating: 0 });
    expect(status(j).completionTime).toBeUndefined();
    expect(events('fail').at(-1)).toBe('BackoffLimitExceeded: Job has reached the specified backoff limit');
  });

  it('ends a long Job at activeDeadlineSeconds and deletes its running pod', () => {
    const { ok, job, runUntil, list, events } = setup();
    ok({ verb: 'create', namespace: 'default', body: jobOf('slow', ['sleep', '3600'], { activeDeadlineSeconds: 20 }) });
    runUntil(() => finished(job('slow')), 120_000);
    const j = job('slow');
    expect(conditions(j)).toEqual(['FailureTarget True DeadlineExceeded: Job was active longer than specified deadline', 'Failed True DeadlineExceeded: Job was active longer than specified deadline']);
    const failedAt = parseRfc3339(String(((status(j).conditions as Obj[])[0] as Obj).lastTransitionTime)) ?? 0;
    expect(failedAt - (parseRfc3339(String(status(j).startTime)) ?? 0)).toBeGreaterThanOrEqual(20_000);
    expect(status(j)).toMatchObject({ failed: 1 });
    expect(status(j).active).toBeUndefined();
    expect(events('slow').some((e) => e.startsWith('SuccessfulDelete: Deleted pod: slow-'))).toBe(true);
    expect(events('slow').at(-1)).toBe('DeadlineExceeded: Job was active longer than specified deadline');
    runUntil(() => list('pods', 'default').length === 0, 60_000);
  });
});

describe('Job arithmetic', () => {
  const j = (spec: Obj): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec });

  it('never runs more pods than completions still missing', () => {
    expect(wantActive(j({ completions: 5, parallelism: 2 }), 0, 0)).toBe(2);
    expect(wantActive(j({ completions: 5, parallelism: 2 }), 2, 4)).toBe(1);
    expect(wantActive(j({ parallelism: 3 }), 1, 1)).toBe(1);
  });

  it('doubles the pod failure back-off from 10 s, capped at 10 minutes', () => {
    const failedAt = (t: number): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, status: { phase: 'Failed', containerStatuses: [{ state: { terminated: { finishedAt: new Date(Date.UTC(2025, 0, 1) + t).toISOString().replace('.000', '') } } }] } });
    let r = nextBackoffRecord(undefined, [], [failedAt(0)], 0);
    expect(backoffRemaining(r, 4_000)).toBe(6_000);
    r = nextBackoffRecord(r, [], [failedAt(10_000)], 10_000);
    expect(backoffRemaining(r, 10_000)).toBe(20_000);
    expect(backoffRemaining({ failuresAfterLastSuccess: 12, lastFailureTime: 0 }, 0)).toBe(600_000);
  });

  it('writes completed indexes as ranges', () => {
    expect(formatIndexes(new Set([0, 1, 2, 4, 6, 7]))).toBe('0-2,4,6-7');
  });
});
