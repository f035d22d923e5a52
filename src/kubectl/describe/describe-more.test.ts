import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { describeObject, relatedQueries } from './index';
import { capIndexes } from './job';

// Expected texts: laid out by hand from kubectl 1.31's describe.go and Go's text/tabwriter
// (a column is as wide as its widest cell + 2 over a block of consecutive lines that have
// that column; a line without a tab ends the block), checked against outputs published in
// kubernetes docs and issues where one exists (HPA metrics line, PV CSI attributes, kind's
// default StorageClass, NetworkPolicy "Created on").

const MIN = 60_000;
/** Virtual time 2025-01-01T00:10:00Z. */
const NOW = 10 * MIN;
const at = (hhmmss: string): string => `2025-01-01T${hhmmss}Z`;
const lines = (...l: string[]): string => `${l.join('\n')}\n`;

function event(name: string, involved: KubeObject, fields: Record<string, unknown>): KubeObject {
  const md = involved.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: md.namespace ?? 'default' },
    involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, name: md.name, ...(md.namespace ? { namespace: md.namespace } : {}), uid: md.uid },
    type: 'Normal',
    count: 1,
    ...fields,
  };
}

function ownedPod(name: string, owner: { kind: string; name: string; uid: string }, phase: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'kube-system', uid: `${name}-uid`, ownerReferences: [{ apiVersion: 'apps/v1', ...owner, controller: true }] },
    spec: { containers: [{ name: 'c', image: 'x' }] },
    status: { phase },
  };
}

describe('kubectl describe daemonset', () => {
  const ds: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      name: 'fluentd',
      namespace: 'kube-system',
      uid: 'ds-uid',
      creationTimestamp: at('00:00:00'),
      labels: { 'k8s-app': 'fluentd-logging' },
      annotations: { 'deprecated.daemonset.template.generation': '1' },
    },
    spec: {
      selector: { matchLabels: { name: 'fluentd' } },
      template: {
        metadata: { labels: { name: 'fluentd' } },
        spec: {
          containers: [
            {
              name: 'fluentd',
              image: 'fluentd:v1.16',
              resources: { limits: { memory: '200Mi' }, requests: { cpu: '100m', memory: '200Mi' } },
              volumeMounts: [{ name: 'varlog', mountPath: '/var/log' }],
            },
          ],
          volumes: [{ name: 'varlog', hostPath: { path: '/var/log' } }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
        },
      },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    },
    status: { desiredNumberScheduled: 3, currentNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 1, numberReady: 1, numberMisscheduled: 0 },
  };
  const owner = { kind: 'DaemonSet', name: 'fluentd', uid: 'ds-uid' };
  const pods = [ownedPod('fluentd-aaaaa', owner, 'Running'), ownedPod('fluentd-bbbbb', owner, 'Pending'), ownedPod('other', { ...owner, name: 'other', uid: 'other-uid' }, 'Running')];
  const events = [
    event('e1', ds, { reason: 'SuccessfulCreate', message: 'Created pod: fluentd-aaaaa', source: { component: 'daemonset-controller' }, firstTimestamp: at('00:00:02'), lastTimestamp: at('00:00:02') }),
  ];

  it('prints the node counts on their own, the phases of the pods it controls, and the pod template', () => {
    expect(describeObject(ds, { now: NOW, events, pods })).toBe(
      lines(
        'Name:           fluentd',
        'Namespace:      kube-system',
        'Selector:       name=fluentd',
        'Node-Selector:  kubernetes.io/os=linux',
        'Labels:         k8s-app=fluentd-logging',
        'Annotations:    deprecated.daemonset.template.generation: 1',
        'Desired Number of Nodes Scheduled: 3',
        'Current Number of Nodes Scheduled: 2',
        'Number of Nodes Scheduled with Up-to-date Pods: 2',
        'Number of Nodes Scheduled with Available Pods: 1',
        'Number of Nodes Misscheduled: 0',
        'Pods Status:  1 Running / 1 Waiting / 0 Succeeded / 0 Failed',
        'Pod Template:',
        '  Labels:  name=fluentd',
        '  Containers:',
        '   fluentd:',
        '    Image:      fluentd:v1.16',
        '    Port:       <none>',
        '    Host Port:  <none>',
        '    Limits:',
        '      memory:  200Mi',
        '    Requests:',
        '      cpu:        100m',
        '      memory:     200Mi',
        '    Environment:  <none>',
        '    Mounts:',
        '      /var/log from varlog (rw)',
        '  Volumes:',
        '   varlog:',
        '    Type:          HostPath (bare host directory volume)',
        '    Path:          /var/log',
        '    HostPathType:  <none>',
        '  Node-Selectors:  kubernetes.io/os=linux',
        '  Tolerations:     node-role.kubernetes.io/control-plane:NoSchedule op=Exists',
        'Events:',
        '  Type    Reason            Age    From                  Message',
        '  ----    ------            ----   ----                  -------',
        '  Normal  SuccessfulCreate  9m58s  daemonset-controller  Created pod: fluentd-aaaaa',
      ),
    );
  });

  it('asks for the pods matching its selector in its namespace', () => {
    expect(relatedQueries(ds)).toEqual([{ into: 'pods', verb: 'list', resource: 'pods', namespace: 'kube-system', labelSelector: 'name=fluentd' }]);
  });
});

describe('kubectl describe job', () => {
  const labels = { 'batch.kubernetes.io/controller-uid': 'job-uid', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'job-uid', 'job-name': 'pi' };
  const job: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: 'job-uid', creationTimestamp: at('00:01:00'), labels },
    spec: {
      parallelism: 1,
      completions: 1,
      completionMode: 'NonIndexed',
      suspend: false,
      backoffLimit: 4,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'job-uid' } },
      template: { metadata: { labels }, spec: { containers: [{ name: 'pi', image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }], restartPolicy: 'Never' } },
    },
    status: { startTime: at('00:01:00'), completionTime: at('00:01:41'), succeeded: 1, ready: 0, terminating: 0 },
  };
  const events = [
    event('e1', job, { reason: 'SuccessfulCreate', message: 'Created pod: pi-xk2lm', source: { component: 'job-controller' }, firstTimestamp: at('00:01:00'), lastTimestamp: at('00:01:00') }),
    event('e2', job, { reason: 'Completed', message: 'Job completed', source: { component: 'job-controller' }, firstTimestamp: at('00:01:41'), lastTimestamp: at('00:01:41') }),
  ];

  it('prints a completed Job: its spec, start, completion and duration, and the pod counts from its status', () => {
    expect(describeObject(job, { now: NOW, events })).toBe(
      lines(
        'Name:             pi',
        'Namespace:        default',
        'Selector:         batch.kubernetes.io/controller-uid=job-uid',
        'Labels:           batch.kubernetes.io/controller-uid=job-uid',
        '                  batch.kubernetes.io/job-name=pi',
        '                  controller-uid=job-uid',
        '                  job-name=pi',
        'Annotations:      <none>',
        'Parallelism:      1',
        'Completions:      1',
        'Completion Mode:  NonIndexed',
        'Suspend:          false',
        'Backoff Limit:    4',
        'Start Time:       Wed, 01 Jan 2025 00:01:00 +0000',
        'Completed At:     Wed, 01 Jan 2025 00:01:41 +0000',
        'Duration:         41s',
        'Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed',
        'Pod Template:',
        '  Labels:  batch.kubernetes.io/controller-uid=job-uid',
        '           batch.kubernetes.io/job-name=pi',
        '           controller-uid=job-uid',
        '           job-name=pi',
        '  Containers:',
        '   pi:',
        '    Image:      perl:5.34.0',
        '    Port:       <none>',
        '    Host Port:  <none>',
        '    Command:',
        '      perl',
        '      -Mbignum=bpi',
        '      -wle',
        '      print bpi(2000)',
        '    Environment:   <none>',
        '    Mounts:        <none>',
        '  Volumes:         <none>',
        '  Node-Selectors:  <none>',
        '  Tolerations:     <none>',
        'Events:',
        '  Type    Reason            Age    From            Message',
        '  ----    ------            ----   ----            -------',
        '  Normal  SuccessfulCreate  9m     job-controller  Created pod: pi-xk2lm',
        '  Normal  Completed         8m19s  job-controller  Job completed',
      ),
    );
  });

  it('prints a running CronJob Job: controller, unset completions, TTL, deadline, counts without Ready', () => {
    const running: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'nightly-28971230',
        namespace: 'default',
        uid: 'j2',
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'cj-uid', controller: true }],
      },
      spec: { parallelism: 2, suspend: false, backoffLimit: 6, ttlSecondsAfterFinished: 100, activeDeadlineSeconds: 300, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'j2' } }, template: {} },
      status: { startTime: at('00:09:00'), active: 2, failed: 1 },
    };
    expect(describeObject(running, { now: NOW, events: [] })).toContain(
      lines(
        'Name:                        nightly-28971230',
        'Namespace:                   default',
        'Selector:                    batch.kubernetes.io/controller-uid=j2',
        'Labels:                      <none>',
        'Annotations:                 <none>',
        'Controlled By:               CronJob/nightly',
        'Parallelism:                 2',
        'Completions:                 <unset>',
        'Suspend:                     false',
        'Backoff Limit:               6',
        'TTL Seconds After Finished:  100',
        'Start Time:                  Wed, 01 Jan 2025 00:09:00 +0000',
        'Active Deadline Seconds:     300s',
        'Pods Statuses:               2 Active / 0 Succeeded / 1 Failed',
        'Pod Template:',
      ),
    );
  });

  it('lists completed indexes of an Indexed Job, cut after the first comma past 50 characters', () => {
    const indexed: KubeObject = { ...job, spec: { ...(job.spec as object), completionMode: 'Indexed', completions: 60 }, status: { active: 1, completedIndexes: '1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35,37,39,41' } };
    expect(describeObject(indexed, { now: NOW, events: [] })).toMatch(/\nCompleted Indexes: +1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35,37,\.\.\.\nPod Template:\n/);
    expect(capIndexes('')).toBe('<none>');
    expect(capIndexes('0-4')).toBe('0-4');
  });

  it('reads the counts from the Job status: it asks for nothing more than its events', () => {
    expect(relatedQueries(job)).toEqual([]);
  });
});

describe('kubectl describe horizontalpodautoscaler', () => {
  const hpa: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'php-apache', namespace: 'default', uid: 'hpa-uid', creationTimestamp: at('00:02:00') },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    },
    status: {
      currentReplicas: 1,
      desiredReplicas: 0,
      conditions: [
        { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" },
        { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API' },
      ],
    },
  };

  it('prints <unknown> for a metric not measured yet; the metric line sets the width of the whole header', () => {
    expect(describeObject(hpa, { now: NOW, events: [] })).toBe(
      lines(
        'Name:                                                  php-apache',
        'Namespace:                                             default',
        'Labels:                                                <none>',
        'Annotations:                                           <none>',
        'CreationTimestamp:                                     Wed, 01 Jan 2025 00:02:00 +0000',
        'Reference:                                             Deployment/php-apache',
        'Metrics:                                               ( current / target )',
        '  resource cpu on pods  (as a percentage of request):  <unknown> / 50%',
        'Min replicas:                                          1',
        'Max replicas:                                          10',
        'Deployment pods:                                       1 current / 0 desired',
        'Conditions:',
        '  Type           Status  Reason                   Message',
        '  ----           ------  ------                   -------',
        "  AbleToScale    True    SucceededGetScale        the HPA controller was able to get the target's current scale",
        '  ScalingActive  False   FailedGetResourceMetric  the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
        'Events:          <none>',
      ),
    );
  });

  it('prints current values, value and pods metrics, unset min replicas and the behavior block', () => {
    const measured: KubeObject = {
      ...hpa,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' },
        maxReplicas: 10,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } },
          { type: 'Pods', pods: { metric: { name: 'packets-per-second' }, target: { type: 'AverageValue', averageValue: '1k' } } },
        ],
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 0,
            selectPolicy: 'Max',
            policies: [
              { type: 'Pods', value: 4, periodSeconds: 15 },
              { type: 'Percent', value: 100, periodSeconds: 15 },
            ],
          },
          scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
        },
      },
      status: {
        currentReplicas: 3,
        desiredReplicas: 3,
        currentMetrics: [
          { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12, averageValue: '61m' } } },
          { type: 'Resource', resource: { name: 'memory', current: { averageValue: '70Mi' } } },
        ],
      },
    };
    expect(describeObject(measured, { now: NOW, events: [] })).toBe(
      lines(
        'Name:                                                  php-apache',
        'Namespace:                                             default',
        'Labels:                                                <none>',
        'Annotations:                                           <none>',
        'CreationTimestamp:                                     Wed, 01 Jan 2025 00:02:00 +0000',
        'Reference:                                             Deployment/php-apache',
        'Metrics:                                               ( current / target )',
        '  resource cpu on pods  (as a percentage of request):  12% (61m) / 50%',
        '  resource memory on pods:                             70Mi / 200Mi',
        '  "packets-per-second" on pods:                        <unknown> / 1k',
        'Min replicas:                                          <unset>',
        'Max replicas:                                          10',
        'Behavior:',
        '  Scale Up:',
        '    Stabilization Window: 0 seconds',
        '    Select Policy: Max',
        '    Policies:',
        '      - Type: Pods     Value: 4    Period: 15 seconds',
        '      - Type: Percent  Value: 100  Period: 15 seconds',
        '  Scale Down:',
        '    Stabilization Window: 300 seconds',
        '    Select Policy: Max',
        '    Policies:',
        '      - Type: Percent  Value: 100  Period: 15 seconds',
        // The last policy line has a first column too, so it widens this block.
        'Deployment pods:       3 current / 3 desired',
        'Events:                <none>',
      ),
    );
  });
});

describe('kubectl describe persistentvolume', () => {
  const pv: KubeObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: 'pvc-3f2a9c1e',
      uid: 'pv-uid',
      creationTimestamp: at('00:02:00'),
      annotations: { 'local.path.provisioner/selected-node': 'worker-1', 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' },
      finalizers: ['kubernetes.io/pv-protection'],
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '1Gi' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: 'data', namespace: 'default', uid: 'pvc-uid' },
      hostPath: { path: '/var/local-path-provisioner/pvc-3f2a9c1e_default_data', type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['worker-1'] }] }] } },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
      volumeMode: 'Filesystem',
    },
    status: { phase: 'Bound' },
  };

  it('prints a bound hostPath volume with its node affinity; the empty cells keep their padding', () => {
    expect(describeObject(pv, { now: NOW, events: [] })).toBe(
      lines(
        'Name:              pvc-3f2a9c1e',
        'Labels:            <none>',
        'Annotations:       local.path.provisioner/selected-node: worker-1',
        '                   pv.kubernetes.io/provisioned-by: rancher.io/local-path',
        'Finalizers:        [kubernetes.io/pv-protection]',
        'StorageClass:      standard',
        'Status:            Bound',
        'Claim:             default/data',
        'Reclaim Policy:    Delete',
        'Access Modes:      RWO',
        'VolumeMode:        Filesystem',
        'Capacity:          1Gi',
        'Node Affinity:     ',
        '  Required Terms:  ',
        '    Term 0:        kubernetes.io/hostname in [worker-1]',
        'Message:           ',
        'Source:',
        '    Type:          HostPath (bare host directory volume)',
        '    Path:          /var/local-path-provisioner/pvc-3f2a9c1e_default_data',
        '    HostPathType:  DirectoryOrCreate',
        'Events:            <none>',
      ),
    );
  });

  it('prints a CSI volume: terms with several requirements, and the attributes with their extra indent', () => {
    const csi: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pvc-77ab', uid: 'pv2-uid', annotations: { 'pv.kubernetes.io/provisioned-by': 'ebs.csi.aws.com' }, finalizers: ['kubernetes.io/pv-protection', 'external-attacher/ebs-csi-aws-com'] },
      spec: {
        accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
        capacity: { storage: '10Gi' },
        csi: { driver: 'ebs.csi.aws.com', fsType: 'ext4', volumeHandle: 'vol-0123', volumeAttributes: { type: 'gp3', 'storage.kubernetes.io/csiProvisionerIdentity': '1735689600000-8081-ebs.csi.aws.com' } },
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'topology.ebs.csi.aws.com/zone', operator: 'In', values: ['us-east-2a', 'us-east-2b'] },
                  { key: 'node.kubernetes.io/instance-type', operator: 'Exists' },
                ],
              },
              { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['worker-3'] }] },
            ],
          },
        },
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: 'gp3',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Available' },
    };
    expect(describeObject(csi, { now: NOW, events: [] })).toBe(
      lines(
        'Name:              pvc-77ab',
        'Labels:            <none>',
        'Annotations:       pv.kubernetes.io/provisioned-by: ebs.csi.aws.com',
        'Finalizers:        [kubernetes.io/pv-protection external-attacher/ebs-csi-aws-com]',
        'StorageClass:      gp3',
        'Status:            Available',
        'Claim:             ',
        'Reclaim Policy:    Retain',
        'Access Modes:      RWO,ROX',
        'VolumeMode:        Filesystem',
        'Capacity:          10Gi',
        'Node Affinity:     ',
        '  Required Terms:  ',
        '    Term 0:        topology.ebs.csi.aws.com/zone in [us-east-2a, us-east-2b]',
        '                   node.kubernetes.io/instance-type exists',
        '    Term 1:        kubernetes.io/hostname notin [worker-3]',
        'Message:           ',
        'Source:',
        '    Type:              CSI (a Container Storage Interface (CSI) volume source)',
        '    Driver:            ebs.csi.aws.com',
        '    FSType:            ext4',
        '    VolumeHandle:      vol-0123',
        '    ReadOnly:          false',
        '    VolumeAttributes:      storage.kubernetes.io/csiProvisionerIdentity=1735689600000-8081-ebs.csi.aws.com',
        '                           type=gp3',
        'Events:                <none>',
      ),
    );
  });

  it('prints <none> affinity, a deleted volume as Terminating, and an unknown source', () => {
    const bare: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'old', deletionTimestamp: at('00:09:30'), finalizers: ['kubernetes.io/pv-protection'] },
      spec: { accessModes: ['ReadWriteMany'], capacity: { storage: '5Gi' }, iscsi: { targetPortal: '10.0.0.1:3260', iqn: 'iqn.x', lun: 0 }, persistentVolumeReclaimPolicy: 'Retain' },
      status: { phase: 'Released', message: 'released by claim' },
    };
    expect(describeObject(bare, { now: NOW, events: [] })).toContain(
      lines('Status:          Terminating (lasts 30s)', 'Claim:           ', 'Reclaim Policy:  Retain', 'Access Modes:    RWX', 'Capacity:        5Gi', 'Node Affinity:   <none>', 'Message:         released by claim', 'Source:', '  <unknown>', 'Events:  <none>'),
    );
  });
});

describe('kubectl describe storageclass', () => {
  // kubectl apply stores the configuration with a trailing newline.
  const applied =
    '{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"},"name":"standard"},"provisioner":"rancher.io/local-path","reclaimPolicy":"Delete","volumeBindingMode":"WaitForFirstConsumer"}';

  it("prints kind's default class: annotations as key=value, the applied configuration's newline breaking the line", () => {
    const sc: KubeObject = {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard', uid: 'sc-uid', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `${applied}\n`, 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'rancher.io/local-path',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
    };
    expect(describeObject(sc, { now: NOW, events: [] })).toBe(
      lines(
        'Name:            standard',
        'IsDefaultClass:  Yes',
        `Annotations:     kubectl.kubernetes.io/last-applied-configuration=${applied}`,
        ',storageclass.kubernetes.io/is-default-class=true',
        'Provisioner:           rancher.io/local-path',
        'Parameters:            <none>',
        'AllowVolumeExpansion:  <unset>',
        'MountOptions:          <none>',
        'ReclaimPolicy:         Delete',
        'VolumeBindingMode:     WaitForFirstConsumer',
        'Events:                <none>',
      ),
    );
  });

  it('prints parameters, expansion, mount options and allowed topologies', () => {
    const sc: KubeObject = {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'ebs-gp3' },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', fsType: 'ext4' },
      allowVolumeExpansion: true,
      mountOptions: ['debug', 'noatime'],
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.ebs.csi.aws.com/zone', values: ['us-east-2a', 'us-east-2b'] }] }],
    };
    expect(describeObject(sc, { now: NOW, events: [] })).toBe(
      lines(
        'Name:                  ebs-gp3',
        'IsDefaultClass:        No',
        'Annotations:           <none>',
        'Provisioner:           ebs.csi.aws.com',
        'Parameters:            fsType=ext4,type=gp3',
        'AllowVolumeExpansion:  True',
        'MountOptions:',
        '  debug',
        '  noatime',
        'ReclaimPolicy:      Delete',
        'VolumeBindingMode:  WaitForFirstConsumer',
        'AllowedTopologies:  ',
        '  Term 0:           topology.ebs.csi.aws.com/zone in [us-east-2a, us-east-2b]',
        'Events:             <none>',
      ),
    );
  });
});

describe('kubectl describe poddisruptionbudget', () => {
  const pdb: KubeObject = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'zk-pdb', namespace: 'default', uid: 'pdb-uid' },
    spec: { minAvailable: 2, selector: { matchLabels: { app: 'zookeeper' } } },
    status: { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3, observedGeneration: 1 },
  };

  it('prints the budget, the selector and the status counts', () => {
    expect(describeObject(pdb, { now: NOW, events: [] })).toBe(
      lines(
        'Name:           zk-pdb',
        'Namespace:      default',
        'Min available:  2',
        'Selector:       app=zookeeper',
        'Status:',
        '    Allowed disruptions:  1',
        '    Current:              3',
        '    Desired:              2',
        '    Total:                3',
        'Events:                   <none>',
      ),
    );
  });

  it('prints max unavailable as a percentage, and <unset> without a selector', () => {
    const pct: KubeObject = { ...pdb, spec: { maxUnavailable: '25%' } };
    expect(describeObject(pct, { now: NOW, events: [] })).toContain('Max unavailable:  25%\nSelector:         <unset>\nStatus:\n');
  });
});

describe('kubectl describe networkpolicy', () => {
  const policy = (name: string, spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'default', uid: `${name}-uid`, creationTimestamp: at('00:03:00') },
    spec,
  });
  const header = (name: string): string[] => [`Name:         ${name}`, 'Namespace:    default', 'Created on:   2025-01-01 00:03:00 +0000 UTC', 'Labels:       <none>', 'Annotations:  <none>', 'Spec:'];

  it('prints the docs example: an ipBlock with except, namespace and pod selectors, an egress ipBlock; no Events section', () => {
    const np = policy('test-network-policy', {
      podSelector: { matchLabels: { role: 'db' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }, { namespaceSelector: { matchLabels: { project: 'myproject' } } }, { podSelector: { matchLabels: { role: 'frontend' } } }],
          ports: [{ protocol: 'TCP', port: 6379 }],
        },
      ],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5978 }] }],
    });
    const events = [event('e', np, { reason: 'Whatever', message: 'not shown', firstTimestamp: at('00:04:00'), lastTimestamp: at('00:04:00') })];
    expect(describeObject(np, { now: NOW, events })).toBe(
      lines(
        ...header('test-network-policy'),
        '  PodSelector:     role=db',
        '  Allowing ingress traffic:',
        '    To Port: 6379/TCP',
        '    From:',
        '      IPBlock:',
        '        CIDR: 172.17.0.0/16',
        '        Except: 172.17.1.0/24',
        '    From:',
        '      NamespaceSelector: project=myproject',
        '    From:',
        '      PodSelector: role=frontend',
        '  Allowing egress traffic:',
        '    To Port: 5978/TCP',
        '    To:',
        '      IPBlock:',
        '        CIDR: 10.0.0.0/24',
        '        Except: ',
        '  Policy Types: Ingress, Egress',
      ),
    );
  });

  it('prints an empty pod selector, several rules with a named port and a range, both selectors in one peer, and an open rule', () => {
    const np = policy('allow-monitoring', {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [
        {
          ports: [{ port: 'http' }, { protocol: 'TCP', port: 32000, endPort: 32768 }],
          from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'monitoring' } } }],
        },
        {},
      ],
    });
    expect(describeObject(np, { now: NOW, events: [] })).toBe(
      lines(
        ...header('allow-monitoring'),
        '  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)',
        '  Allowing ingress traffic:',
        '    To Port: http/TCP',
        '    To Port Range: 32000-32768/TCP',
        '    From:',
        '      NamespaceSelector: <none>',
        '      PodSelector: app=monitoring',
        '    ----------',
        '    To Port: <any> (traffic allowed to all ports)',
        '    From: <any> (traffic not restricted by source)',
        '  Not affecting egress traffic',
        '  Policy Types: Ingress',
      ),
    );
  });

  it('prints an egress-only policy: any destination on one port, ingress untouched', () => {
    const np = policy('allow-dns', {
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] },
      policyTypes: ['Egress'],
      egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }],
    });
    expect(describeObject(np, { now: NOW, events: [] })).toBe(
      lines(
        ...header('allow-dns'),
        '  PodSelector:     tier in (api,web)',
        '  Not affecting ingress traffic',
        '  Allowing egress traffic:',
        '    To Port: 53/UDP',
        '    To: <any> (traffic not restricted by destination)',
        '  Policy Types: Egress',
      ),
    );
  });

  it('prints a default-deny policy as isolating the selected pods both ways', () => {
    const np = policy('default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(describeObject(np, { now: NOW, events: [] })).toContain(
      lines(
        '  Allowing ingress traffic:',
        '    <none> (Selected pods are isolated for ingress connectivity)',
        '  Allowing egress traffic:',
        '    <none> (Selected pods are isolated for egress connectivity)',
        '  Policy Types: Ingress, Egress',
      ),
    );
  });
});

describe('kubectl describe endpointslice and endpoints', () => {
  it('prints the ports table and each endpoint; the last endpoint aligns with Events on its own', () => {
    const slice: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'web-abc12',
        namespace: 'default',
        uid: 'eps-uid',
        labels: { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': 'web' },
        annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2025-01-01T00:05:10Z' },
      },
      addressType: 'IPv4',
      ports: [
        { name: 'http', port: 8080, protocol: 'TCP' },
        { name: '', port: 9090, protocol: 'UDP' },
      ],
      endpoints: [
        {
          addresses: ['10.244.1.5'],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName: 'worker-1',
          zone: 'zone-a',
          targetRef: { kind: 'Pod', name: 'web-7d4b9c8f6-x2x9z', namespace: 'default', uid: 'p1' },
        },
        { addresses: ['10.244.2.6'], conditions: {}, hostname: 'web-1', nodeName: 'worker-2' },
      ],
    };
    expect(describeObject(slice, { now: NOW, events: [] })).toBe(
      lines(
        'Name:         web-abc12',
        'Namespace:    default',
        'Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io',
        '              kubernetes.io/service-name=web',
        'Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2025-01-01T00:05:10Z',
        'AddressType:  IPv4',
        'Ports:',
        '  Name     Port  Protocol',
        '  ----     ----  --------',
        '  http     8080  TCP',
        '  <unset>  9090  UDP',
        'Endpoints:',
        '  - Addresses:  10.244.1.5',
        '    Conditions:',
        '      Ready:    true',
        '    Hostname:   <unset>',
        '    TargetRef:  Pod/web-7d4b9c8f6-x2x9z',
        '    NodeName:   worker-1',
        '    Zone:       zone-a',
        '  - Addresses:  10.244.2.6',
        '    Conditions:',
        '      Ready:   <unset>',
        '    Hostname:  web-1',
        '    NodeName:  worker-2',
        '    Zone:      <unset>',
        'Events:        <none>',
      ),
    );
    const empty: KubeObject = { ...slice, ports: [], endpoints: [] };
    expect(describeObject(empty, { now: NOW, events: [] })).toContain('AddressType:  IPv4\nPorts: <unset>\nEndpoints: <none>\nEvents:  <none>\n');
  });

  it('prints Endpoints subsets with ready and not-ready addresses, a blank line after each', () => {
    const ep: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2025-01-01T00:05:10Z' } },
      subsets: [
        {
          addresses: [{ ip: '10.244.1.5', nodeName: 'worker-1' }, { ip: '10.244.2.6' }],
          notReadyAddresses: [{ ip: '10.244.1.7' }],
          ports: [
            { name: 'http', port: 8080, protocol: 'TCP' },
            { port: 9090, protocol: 'TCP' },
          ],
        },
      ],
    };
    expect(describeObject(ep, { now: NOW, events: [] })).toBe(
      lines(
        'Name:         web',
        'Namespace:    default',
        'Labels:       app=web',
        'Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2025-01-01T00:05:10Z',
        'Subsets:',
        '  Addresses:          10.244.1.5,10.244.2.6',
        '  NotReadyAddresses:  10.244.1.7',
        '  Ports:',
        '    Name     Port  Protocol',
        '    ----     ----  --------',
        '    http     8080  TCP',
        '    <unset>  9090  TCP',
        '',
        'Events:  <none>',
      ),
    );
    expect(describeObject({ ...ep, subsets: undefined }, { now: NOW, events: [] })).toContain('Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2025-01-01T00:05:10Z\nSubsets:\nEvents:  <none>\n');
  });
});

describe('kinds kubectl describes with its generic describer', () => {
  it('prints a RuntimeClass field by field, with an empty Namespace and its events', () => {
    const rc: KubeObject = {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'gvisor', uid: 'rc-uid', resourceVersion: '512', creationTimestamp: '2025-01-01T00:00:00Z' },
      handler: 'runsc',
    };
    expect(describeObject(rc, { now: NOW, events: [] })).toBe(
      lines(
        'Name:         gvisor',
        'Namespace:    ',
        'Labels:       <none>',
        'Annotations:  <none>',
        'API Version:  node.k8s.io/v1',
        'Handler:      runsc',
        'Kind:         RuntimeClass',
        'Metadata:',
        '  Creation Timestamp:  2025-01-01T00:00:00Z',
        '  Resource Version:    512',
        '  UID:                 rc-uid',
        'Events:                <none>',
      ),
    );
    expect(relatedQueries(rc)).toEqual([]);
  });
});
