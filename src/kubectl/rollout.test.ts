import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../engine/apiserver/apiObjects';
import { restartedAt, rolloutHistory, rolloutPause, rolloutResume, rolloutStatus, rolloutUndo } from './rollout';

type Obj = Record<string, unknown>;

const template = (image: string, extra: Obj = {}): Obj => ({
  metadata: { labels: { app: 'web' }, ...extra },
  spec: { containers: [{ name: 'nginx', image }] },
});

function deployment(spec: Obj = {}, status: Obj = {}, meta: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', generation: 1, ...meta },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template('nginx:1.27'), ...spec },
    status: { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, ...status },
  };
}

function replicaSet(revision: number | undefined, image: string, annotations: Record<string, string> = {}): KubeObject {
  const hash = `h${image.replace(/\W/g, '')}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `web-${hash}`,
      namespace: 'default',
      annotations: { ...(revision === undefined ? {} : { 'deployment.kubernetes.io/revision': String(revision) }), ...annotations },
    },
    spec: { template: { metadata: { labels: { app: 'web', 'pod-template-hash': hash } }, spec: { containers: [{ name: 'nginx', image }] } } },
  };
}

function controllerRevision(revision: number, image: string, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name: `db-${revision}`, namespace: 'default', annotations },
    revision,
    data: { spec: { template: { $patch: 'replace', ...template(image) } } },
  };
}

describe('rolloutStatus: Deployment', () => {
  it('waits for the controller to observe a new spec', () => {
    expect(rolloutStatus(deployment({}, { observedGeneration: 1 }, { generation: 2 }))).toEqual({ done: false, message: 'Waiting for deployment spec update to be observed...\n' });
  });

  it('reports new replicas, then old ones terminating, then availability, then success', () => {
    expect(rolloutStatus(deployment({}, { updatedReplicas: 1, replicas: 4 }))).toEqual({
      done: false,
      message: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n',
    });
    expect(rolloutStatus(deployment({}, { updatedReplicas: 3, replicas: 4 }))).toEqual({
      done: false,
      message: 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n',
    });
    expect(rolloutStatus(deployment({}, { availableReplicas: 2 }))).toEqual({
      done: false,
      message: 'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...\n',
    });
    expect(rolloutStatus(deployment())).toEqual({ done: true, message: 'deployment "web" successfully rolled out\n' });
  });

  it('fails once the progress deadline is exceeded', () => {
    const d = deployment({}, { updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] });
    expect(rolloutStatus(d)).toEqual({ error: 'error: deployment "web" exceeded its progress deadline' });
  });

  it('checks --revision against the running revision', () => {
    const d = deployment({}, {}, { annotations: { 'deployment.kubernetes.io/revision': '3' } });
    expect(rolloutStatus(d, 2)).toEqual({ error: 'error: desired revision (2) is different from the running revision (3)' });
    expect(rolloutStatus(d, 3)).toEqual({ done: true, message: 'deployment "web" successfully rolled out\n' });
  });
});

describe('rolloutStatus: DaemonSet and StatefulSet', () => {
  const ds = (status: Obj, strategy: Obj = { type: 'RollingUpdate' }, generation = 1): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'fluentd', namespace: 'kube-system', generation },
    spec: { updateStrategy: strategy },
    status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3, ...status },
  });

  it('follows a DaemonSet rollout', () => {
    expect(rolloutStatus(ds({}, undefined, 2))).toEqual({ done: false, message: 'Waiting for daemon set spec update to be observed...\n' });
    expect(rolloutStatus(ds({ updatedNumberScheduled: 1 }))).toEqual({
      done: false,
      message: 'Waiting for daemon set "fluentd" rollout to finish: 1 out of 3 new pods have been updated...\n',
    });
    expect(rolloutStatus(ds({ numberAvailable: 2 }))).toEqual({ done: false, message: 'Waiting for daemon set "fluentd" rollout to finish: 2 of 3 updated pods are available...\n' });
    expect(rolloutStatus(ds({}))).toEqual({ done: true, message: 'daemon set "fluentd" successfully rolled out\n' });
    expect(rolloutStatus(ds({}, { type: 'OnDelete' }))).toEqual({ error: 'error: rollout status is only available for RollingUpdate strategy type' });
  });

  const sts = (status: Obj, strategy: Obj = { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default', generation: 1 },
    spec: { replicas: 3, updateStrategy: strategy },
    status: { observedGeneration: 1, replicas: 3, readyReplicas: 3, updatedReplicas: 3, ...status },
  });

  it('follows a StatefulSet rollout, partitions included', () => {
    expect(rolloutStatus(sts({ observedGeneration: 0 }))).toEqual({ done: false, message: 'Waiting for statefulset spec update to be observed...\n' });
    expect(rolloutStatus(sts({ readyReplicas: 1 }))).toEqual({ done: false, message: 'Waiting for 2 pods to be ready...\n' });
    expect(rolloutStatus(sts({ updatedReplicas: 0 }, { type: 'RollingUpdate', rollingUpdate: { partition: 1 } }))).toEqual({
      done: false,
      message: 'Waiting for partitioned roll out to finish: 0 out of 2 new pods have been updated...\n',
    });
    // What kubectl prints for an ordinary (partition 0) StatefulSet once it is done.
    expect(rolloutStatus(sts({}))).toEqual({ done: true, message: 'partitioned roll out complete: 3 new pods have been updated...\n' });
    expect(rolloutStatus(sts({}, { type: 'OnDelete' }))).toEqual({ error: 'error: rollout status is only available for RollingUpdate strategy type' });
  });

  it('has no status viewer for other kinds', () => {
    expect(rolloutStatus(replicaSet(1, 'nginx:1.27'))).toEqual({ error: 'error: no status viewer has been implemented for ReplicaSet.apps' });
  });
});

describe('rolloutHistory', () => {
  const rs1 = replicaSet(1, 'nginx:1.26');
  const rs2 = replicaSet(2, 'nginx:1.27', { 'kubernetes.io/change-cause': 'kubectl set image deployment/web nginx=nginx:1.27' });

  it('prints the revision table after the object name, revisions sorted', () => {
    expect(rolloutHistory('Deployment', 'web', deployment(), [rs2, rs1])).toEqual({
      output: 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         kubectl set image deployment/web nginx=nginx:1.27\n\n',
    });
  });

  it('sorts revisions as numbers', () => {
    const out = rolloutHistory('Deployment', 'web', deployment(), [replicaSet(10, 'a:1'), replicaSet(9, 'b:1')]);
    expect(out).toEqual({ output: 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n9         <none>\n10        <none>\n\n' });
  });

  it('prints one revision through the describe printer, with its change-cause on the template', () => {
    const seen: Obj[] = [];
    const describeTemplate = (t: Obj): string => {
      seen.push(t);
      return 'Pod Template:\n  Labels:  app=web\n';
    };
    expect(rolloutHistory('Deployment', 'web', deployment(), [rs1, rs2], 2, describeTemplate)).toEqual({
      output: 'deployment.apps/web with revision #2\nPod Template:\n  Labels:  app=web\n\n',
    });
    expect(seen[0]).toMatchObject({
      metadata: { labels: { 'pod-template-hash': 'hnginx127' }, annotations: { 'kubernetes.io/change-cause': 'kubectl set image deployment/web nginx=nginx:1.27' } },
    });
  });

  it('reports a missing revision, no history, and kinds without history', () => {
    expect(rolloutHistory('Deployment', 'web', deployment(), [rs1], 7, () => '')).toEqual({ error: 'error: unable to find the specified revision' });
    expect(rolloutHistory('Deployment', 'web', deployment(), [])).toEqual({ output: 'deployment.apps/web \nNo rollout history found.\n' });
    expect(rolloutHistory('Deployment', 'web', deployment(), [rs1], -1)).toEqual({ error: 'error: revision must be a positive integer: -1' });
    expect(rolloutHistory('ReplicaSet', 'web-1', rs1, [])).toEqual({ error: 'error: no history viewer has been implemented for "ReplicaSet.apps"' });
    expect(rolloutHistory('Service', 'web', rs1, [])).toEqual({ error: 'error: error retrieving history for "Service", no visitor method exists for { Service}' });
  });

  it('lists StatefulSet revisions without a change-cause column, DaemonSet ones with it', () => {
    const crs = [controllerRevision(2, 'postgres:17'), controllerRevision(1, 'postgres:16')];
    expect(rolloutHistory('StatefulSet', 'db', deployment(), crs)).toEqual({ output: 'statefulset.apps/db \nREVISION\n1\n2\n\n' });
    const dsCrs = [controllerRevision(1, 'fluentd:1', { 'kubernetes.io/change-cause': 'initial' })];
    expect(rolloutHistory('DaemonSet', 'fluentd', deployment(), dsCrs)).toEqual({ output: 'daemonset.apps/fluentd \nREVISION  CHANGE-CAUSE\n1         initial\n\n' });
  });
});

describe('rolloutUndo: Deployment', () => {
  const rs1 = replicaSet(1, 'nginx:1.25');
  const rs2 = replicaSet(2, 'nginx:1.26', { 'deployment.kubernetes.io/desired-replicas': '3', 'kubernetes.io/change-cause': 'to 1.26' });
  const rs3 = replicaSet(3, 'nginx:1.27');
  const current = deployment({}, {}, {
    annotations: { 'deployment.kubernetes.io/revision': '3', 'kubectl.kubernetes.io/last-applied-configuration': '{}', team: 'a' },
  });

  it('goes back to the previous revision: its template without the hash label, its annotations', () => {
    const r = rolloutUndo(current, [rs3, rs1, rs2]);
    expect(r).toMatchObject({ message: 'deployment.apps/web rolled back' });
    if (!('object' in r) || r.object === undefined) throw new Error('expected an object');
    expect((r.object.spec as Obj).template).toEqual({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } });
    // Bookkeeping annotations stay; the others are replaced by the ReplicaSet's (its revision excepted).
    expect(r.object.metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '3',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'kubernetes.io/change-cause': 'to 1.26',
    });
  });

  it('goes to a given revision, or says it cannot find it', () => {
    const r = rolloutUndo(current, [rs1, rs2, rs3], 1);
    expect(r).toMatchObject({ message: 'deployment.apps/web rolled back' });
    expect(rolloutUndo(current, [rs1, rs2, rs3], 5)).toEqual({ error: 'error: unable to find specified revision 5 in history' });
    expect(rolloutUndo(current, [rs1, rs2, rs3], -1)).toEqual({ error: 'error: unable to find specified revision -1 in history' });
  });

  it('needs a previous revision', () => {
    expect(rolloutUndo(current, [rs3])).toEqual({ error: 'error: no rollout history found for deployment "web"' });
  });

  it('skips when the template already matches, ignoring the hash label and empty fields', () => {
    const d = deployment({ template: template('nginx:1.26', { annotations: {} }) });
    expect(rolloutUndo(d, [rs1, rs2, rs3], 2)).toEqual({ message: 'deployment.apps/web skipped rollback (current template already matches revision 2)' });
  });

  it('refuses to roll back a paused deployment', () => {
    expect(rolloutUndo(deployment({ paused: true }), [rs1, rs2, rs3])).toEqual({
      error: "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/web' and try again",
    });
  });
});

describe('rolloutUndo: StatefulSet and others', () => {
  const sts: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' }, spec: { replicas: 3, template: template('postgres:17') } };

  it('restores the template a ControllerRevision recorded', () => {
    const r = rolloutUndo(sts, [controllerRevision(2, 'postgres:17'), controllerRevision(1, 'postgres:16')]);
    expect(r).toMatchObject({ message: 'statefulset.apps/db rolled back', object: { spec: { template: template('postgres:16') } } });
    expect(rolloutUndo(sts, [controllerRevision(1, 'postgres:17')])).toEqual({ error: 'error: no last revision to roll back to' });
    expect(rolloutUndo(sts, [controllerRevision(1, 'postgres:16'), controllerRevision(2, 'postgres:17')], 2)).toEqual({
      message: 'statefulset.apps/db skipped rollback (current template already matches revision 2)',
    });
  });

  it('has no rollbacker for a ReplicaSet', () => {
    expect(rolloutUndo(replicaSet(1, 'x:1'), [])).toEqual({ error: 'error: no rollbacker has been implemented for "ReplicaSet.apps"' });
  });
});

describe('restart, pause, resume', () => {
  it('restart stamps the pod template', () => {
    const r = restartedAt(deployment(), '2025-01-01T00:05:00Z');
    expect(r).toMatchObject({ message: 'deployment.apps/web restarted' });
    if (!('object' in r)) throw new Error(r.error);
    expect(((r.object.spec as Obj).template as Obj).metadata).toEqual({ labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:05:00Z' } });
    const ds: KubeObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'fluentd' }, spec: { template: template('fluentd:1') } };
    expect(restartedAt(ds, '2025-01-01T00:05:00Z')).toMatchObject({ message: 'daemonset.apps/fluentd restarted' });
  });

  it('restart refuses paused deployments and kinds without a template to roll', () => {
    expect(restartedAt(deployment({ paused: true }), 'x')).toEqual({ error: 'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)' });
    expect(restartedAt(replicaSet(1, 'nginx:1'), 'x')).toEqual({ error: 'error: replicasets.apps "web-hnginx1" restarting is not supported' });
  });

  it('pause and resume flip spec.paused, once', () => {
    const paused = rolloutPause(deployment());
    expect(paused).toMatchObject({ message: 'deployment.apps/web paused', object: { spec: { paused: true } } });
    if (!('object' in paused)) throw new Error(paused.error);
    expect(rolloutPause(paused.object)).toEqual({ error: 'error: deployments.apps "web" is already paused' });
    const resumed = rolloutResume(paused.object);
    expect(resumed).toMatchObject({ message: 'deployment.apps/web resumed' });
    if (!('object' in resumed)) throw new Error(resumed.error);
    expect(resumed.object.spec).not.toHaveProperty('paused');
    expect(rolloutResume(resumed.object)).toEqual({ error: 'error: deployments.apps "web" is not paused' });
  });

  it('only Deployments can be paused', () => {
    const ds: KubeObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'fluentd' }, spec: {} };
    expect(rolloutPause(ds)).toEqual({ error: 'error: daemonsets.apps "fluentd" pausing is not supported' });
    expect(rolloutResume(ds)).toEqual({ error: 'error: daemonsets.apps "fluentd" resuming is not supported' });
  });
});
