import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { describeObject, relatedQueries } from './index';
import { rfc1123z } from './format';
import { canonical, addQty, formatQty, parseQty } from './quantity';
import { smartLabel } from './generic';
import { tabwrite } from './tabwriter';

// Expected texts: laid out by hand from kubectl 1.31's describe.go code paths and Go's
// text/tabwriter rules (each column as wide as its widest cell + 2, per block of
// consecutive lines that have that column; a line without a tab ends every block).

const MIN = 60_000;
/** Virtual time 2025-01-01T00:10:00Z. */
const NOW = 10 * MIN;
const at = (hhmmss: string): string => `2025-01-01T${hhmmss}Z`;

function event(name: string, involved: KubeObject, fields: Record<string, unknown>): KubeObject {
  const md = involved.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: md.namespace ?? 'default' },
    involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, name: md.name, ...(md.namespace ? { namespace: md.namespace } : {}), uid: md.uid },
    type: 'Normal',
    ...fields,
  };
}

const TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

/** A pod template as the API server stores it inside a Deployment (defaults filled in). */
function nginxTemplate(labels: Record<string, string>): Record<string, unknown> {
  return {
    metadata: { labels },
    spec: {
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          imagePullPolicy: 'IfNotPresent',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
    },
  };
}

function pod(name: string, fields: { namespace?: string; uid?: string; labels?: Record<string, string>; owner?: { kind: string; name: string; uid: string }; spec?: Record<string, unknown>; status?: Record<string, unknown> }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: fields.namespace ?? 'default',
      uid: fields.uid ?? `${name}-uid`,
      creationTimestamp: at('00:00:05'),
      ...(fields.labels ? { labels: fields.labels } : {}),
      ...(fields.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', ...fields.owner, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...fields.spec },
    status: { phase: 'Running', ...fields.status },
  };
}

const DEPLOYMENT = [
  'Name:                   web',
  'Namespace:              default',
  'CreationTimestamp:      Wed, 01 Jan 2025 00:00:00 +0000',
  'Labels:                 app=web',
  'Annotations:            deployment.kubernetes.io/revision: 1',
  'Selector:               app=web',
  'Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable',
  'StrategyType:           RollingUpdate',
  'MinReadySeconds:        0',
  'RollingUpdateStrategy:  25% max unavailable, 25% max surge',
  'Pod Template:',
  '  Labels:  app=web',
  '  Containers:',
  '   nginx:',
  '    Image:         nginx:1.27',
  '    Port:          80/TCP',
  '    Host Port:     0/TCP',
  '    Environment:   <none>',
  '    Mounts:        <none>',
  '  Volumes:         <none>',
  '  Node-Selectors:  <none>',
  '  Tolerations:     <none>',
  'Conditions:',
  '  Type           Status  Reason',
  '  ----           ------  ------',
  '  Available      True    MinimumReplicasAvailable',
  '  Progressing    True    NewReplicaSetAvailable',
  'OldReplicaSets:  web-5c6d7e8f9 (0/0 replicas created)',
  'NewReplicaSet:   web-7d4b9c8f6 (3/3 replicas created)',
  'Events:',
  '  Type    Reason             Age                    From                   Message',
  '  ----    ------             ----                   ----                   -------',
  '  Normal  ScalingReplicaSet  9m59s                  deployment-controller  Scaled up replica set web-5c6d7e8f9 to 3',
  '  Normal  ScalingReplicaSet  5m                     deployment-controller  Scaled up replica set web-7d4b9c8f6 to 1',
  '  Normal  ScalingReplicaSet  4m20s (x2 over 4m50s)  deployment-controller  Scaled down replica set web-5c6d7e8f9 to 1 from 2',
  '',
].join('\n');
const RUNNING_POD = [
  'Name:             web-7d4b9c8f6-x2x9z',
  'Namespace:        default',
  'Priority:         0',
  'Service Account:  default',
  'Node:             worker-1/10.0.0.11',
  'Start Time:       Wed, 01 Jan 2025 00:05:05 +0000',
  'Labels:           app=web',
  '                  pod-template-hash=7d4b9c8f6',
  'Annotations:      <none>',
  'Status:           Running',
  'IP:               10.244.1.5',
  'IPs:',
  '  IP:           10.244.1.5',
  'Controlled By:  ReplicaSet/web-7d4b9c8f6',
  'Containers:',
  '  nginx:',
  '    Container ID:   containerd://4f2a',
  '    Image:          nginx:1.27',
  '    Image ID:       docker.io/library/nginx@sha256:0a1b',
  '    Port:           80/TCP',
  '    Host Port:      0/TCP',
  '    State:          Running',
  '      Started:      Wed, 01 Jan 2025 00:05:09 +0000',
  '    Ready:          True',
  '    Restart Count:  0',
  '    Requests:',
  '      cpu:        250m',
  '      memory:     64Mi',
  '    Environment:  <none>',
  '    Mounts:',
  '      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-abcde (ro)',
  'Conditions:',
  '  Type                        Status',
  '  PodReadyToStartContainers   True ',
  '  Initialized                 True ',
  '  Ready                       True ',
  '  ContainersReady             True ',
  '  PodScheduled                True ',
  'Volumes:',
  '  kube-api-access-abcde:',
  '    Type:                    Projected (a volume that contains injected data from multiple sources)',
  '    TokenExpirationSeconds:  3607',
  '    ConfigMapName:           kube-root-ca.crt',
  '    ConfigMapOptional:       <nil>',
  '    DownwardAPI:             true',
  'QoS Class:                   Burstable',
  'Node-Selectors:              <none>',
  'Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
  '                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
  'Events:',
  '  Type    Reason     Age                    From               Message',
  '  ----    ------     ----                   ----               -------',
  '  Normal  Scheduled  4m55s                  default-scheduler  Successfully assigned default/web-7d4b9c8f6-x2x9z to worker-1',
  '  Normal  Pulled     2m53s (x3 over 4m53s)  kubelet            Container image "nginx:1.27" already present on machine',
  '',
].join('\n');

const PENDING_POD = [
  'Name:             big',
  'Namespace:        default',
  'Priority:         0',
  'Service Account:  default',
  'Node:             <none>',
  'Labels:           run=big',
  'Annotations:      <none>',
  'Status:           Pending',
  'IP:               ',
  'IPs:              <none>',
  'Containers:',
  '  big:',
  '    Image:      busybox:1.36',
  '    Port:       <none>',
  '    Host Port:  <none>',
  '    Limits:',
  '      cpu:     8',
  '      memory:  1Gi',
  '    Requests:',
  '      cpu:        8',
  '      memory:     1Gi',
  '    Environment:  <none>',
  '    Mounts:       <none>',
  'Conditions:',
  '  Type           Status',
  '  PodScheduled   False ',
  'Volumes:         <none>',
  'QoS Class:       Guaranteed',
  'Node-Selectors:  <none>',
  'Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
  '                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
  'Events:',
  '  Type     Reason            Age                  From               Message',
  '  ----     ------            ----                 ----               -------',
  '  Warning  FailedScheduling  49s (x3 over 4m50s)  default-scheduler  0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
  '',
].join('\n');

const REPLICA_SET = [
  'Name:           web-7d4b9c8f6',
  'Namespace:      default',
  'Selector:       app=web,pod-template-hash=7d4b9c8f6',
  'Labels:         app=web',
  '                pod-template-hash=7d4b9c8f6',
  'Annotations:    deployment.kubernetes.io/desired-replicas: 3',
  '                deployment.kubernetes.io/max-replicas: 4',
  '                deployment.kubernetes.io/revision: 1',
  'Controlled By:  Deployment/web',
  'Replicas:       3 current / 3 desired',
  'Pods Status:    2 Running / 1 Waiting / 0 Succeeded / 0 Failed',
  'Pod Template:',
  '  Labels:  app=web',
  '           pod-template-hash=7d4b9c8f6',
  '  Containers:',
  '   nginx:',
  '    Image:         nginx:1.27',
  '    Port:          80/TCP',
  '    Host Port:     0/TCP',
  '    Environment:   <none>',
  '    Mounts:        <none>',
  '  Volumes:         <none>',
  '  Node-Selectors:  <none>',
  '  Tolerations:     <none>',
  'Events:',
  '  Type    Reason            Age    From                   Message',
  '  ----    ------            ----   ----                   -------',
  '  Normal  SuccessfulCreate  9m58s  replicaset-controller  Created pod: web-7d4b9c8f6-aaaaa',
  '  Normal  SuccessfulCreate  9m58s  replicaset-controller  Created pod: web-7d4b9c8f6-bbbbb',
  '  Normal  SuccessfulCreate  9m58s  replicaset-controller  Created pod: web-7d4b9c8f6-ccccc',
  '',
].join('\n');

const STATEFUL_SET = [
  'Name:               db',
  'Namespace:          default',
  'CreationTimestamp:  Wed, 01 Jan 2025 00:00:00 +0000',
  'Selector:           app=db',
  'Labels:             <none>',
  'Annotations:        <none>',
  'Replicas:           2 desired | 2 total',
  'Update Strategy:    RollingUpdate',
  '  Partition:        0',
  'Pods Status:        1 Running / 1 Waiting / 0 Succeeded / 0 Failed',
  'Pod Template:',
  '  Labels:  app=db',
  '  Containers:',
  '   postgres:',
  '    Image:      postgres:16',
  '    Port:       5432/TCP',
  '    Host Port:  0/TCP',
  '    Environment:',
  "      POSTGRES_PASSWORD:  <set to the key 'password' in secret 'db-secret'>  Optional: false",
  '    Mounts:',
  '      /var/lib/postgresql/data from data (rw)',
  '  Volumes:         <none>',
  '  Node-Selectors:  <none>',
  '  Tolerations:     <none>',
  'Volume Claims:',
  '  Name:          data',
  '  StorageClass:  standard',
  '  Labels:        <none>',
  '  Annotations:   <none>',
  '  Capacity:      1Gi',
  '  Access Modes:  [ReadWriteOnce]',
  'Events:          <none>',
  '',
].join('\n');

const PVC = [
  'Name:          data',
  'Namespace:     default',
  'StorageClass:  standard',
  'Status:        Bound',
  'Volume:        pvc-3f2a9c1e',
  'Labels:        <none>',
  'Annotations:   pv.kubernetes.io/bind-completed: yes',
  '               pv.kubernetes.io/bound-by-controller: yes',
  '               volume.beta.kubernetes.io/storage-provisioner: rancher.io/local-path',
  '               volume.kubernetes.io/storage-provisioner: rancher.io/local-path',
  'Finalizers:    [kubernetes.io/pvc-protection]',
  'Capacity:      1Gi',
  'Access Modes:  RWO',
  'VolumeMode:    Filesystem',
  'Used By:       web-0',
  'Events:',
  '  Type    Reason                 Age                 From                                                           Message',
  '  ----    ------                 ----                ----                                                           -------',
  "  Normal  ExternalProvisioning   8m55s (x2 over 9m)  persistentvolume-controller                                    Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
  '  Normal  ProvisioningSucceeded  8m                  rancher.io/local-path_local-path-provisioner-6c86858495-4nqhl  Successfully provisioned volume pvc-3f2a9c1e',
  '',
].join('\n');

const SERVICE = [
  'Name:                     web',
  'Namespace:                default',
  'Labels:                   app=web',
  'Annotations:              <none>',
  'Selector:                 app=web',
  'Type:                     ClusterIP',
  'IP Family Policy:         SingleStack',
  'IP Families:              IPv4',
  'IP:                       10.96.12.34',
  'IPs:                      10.96.12.34',
  'Port:                     http  80/TCP',
  'TargetPort:               8080/TCP',
  'Endpoints:                10.244.1.5:8080,10.244.2.6:8080,10.244.2.8:8080 + 1 more...',
  'Session Affinity:         None',
  'Internal Traffic Policy:  Cluster',
  'Events:                   <none>',
  '',
].join('\n');

const NODE = [
  'Name:               worker-1',
  'Roles:              worker',
  'Labels:             beta.kubernetes.io/arch=amd64',
  '                    beta.kubernetes.io/os=linux',
  '                    kubernetes.io/arch=amd64',
  '                    kubernetes.io/hostname=worker-1',
  '                    kubernetes.io/os=linux',
  '                    node-role.kubernetes.io/worker=',
  'Annotations:        node.alpha.kubernetes.io/ttl: 0',
  '                    volumes.kubernetes.io/controller-managed-attach-detach: true',
  'CreationTimestamp:  Wed, 01 Jan 2025 00:00:00 +0000',
  'Taints:             <none>',
  'Unschedulable:      false',
  'Lease:',
  '  HolderIdentity:  worker-1',
  '  AcquireTime:     <unset>',
  '  RenewTime:       Wed, 01 Jan 2025 00:09:50 +0000',
  'Conditions:',
  '  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message',
  '  ----             ------  -----------------                 ------------------                ------                       -------',
  '  MemoryPressure   False   Wed, 01 Jan 2025 00:09:30 +0000   Wed, 01 Jan 2025 00:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available',
  '  Ready            True    Wed, 01 Jan 2025 00:09:30 +0000   Wed, 01 Jan 2025 00:00:20 +0000   KubeletReady                 kubelet is posting ready status',
  'Addresses:',
  '  InternalIP:  10.0.0.11',
  '  Hostname:    worker-1',
  'Capacity:',
  '  cpu:                2',
  '  ephemeral-storage:  61202244Ki',
  '  hugepages-2Mi:      0',
  '  memory:             4015300Ki',
  '  pods:               110',
  'Allocatable:',
  '  cpu:                2',
  '  ephemeral-storage:  56403987978',
  '  hugepages-2Mi:      0',
  '  memory:             3912900Ki',
  '  pods:               110',
  'System Info:',
  '  Machine ID:                 2a9f0c1e',
  '  System UUID:                2a9f0c1e-0000',
  '  Boot ID:                    b00t',
  '  Kernel Version:             6.8.0-kubeplay',
  '  OS Image:                   Debian GNU/Linux 12 (bookworm)',
  '  Operating System:           linux',
  '  Architecture:               amd64',
  '  Container Runtime Version:  containerd://1.7.18',
  '  Kubelet Version:            v1.31.0',
  '  Kube-Proxy Version:         ',
  'PodCIDR:                      10.244.1.0/24',
  'PodCIDRs:                     10.244.1.0/24',
  'Non-terminated Pods:          (3 in total)',
  '  Namespace                   Name                        CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age',
  '  ---------                   ----                        ------------  ----------  ---------------  -------------  ---',
  '  default                     web-7d4b9c8f6-x2x9z         250m (12%)    0 (0%)      64Mi (1%)        0 (0%)         9m55s',
  '  kube-system                 coredns-7db6d8ff4d-abcde    100m (5%)     0 (0%)      70Mi (1%)        170Mi (4%)     9m55s',
  '  kube-system                 kube-proxy-abcde            0 (0%)        0 (0%)      0 (0%)           0 (0%)         9m55s',
  'Allocated resources:',
  '  (Total limits may be over 100 percent, i.e., overcommitted.)',
  '  Resource           Requests    Limits',
  '  --------           --------    ------',
  '  cpu                350m (17%)  0 (0%)',
  '  memory             134Mi (3%)  170Mi (4%)',
  '  ephemeral-storage  0 (0%)      0 (0%)',
  '  hugepages-2Mi      0 (0%)      0 (0%)',
  'Events:              <none>',
  '',
].join('\n');

const LEASE = [
  'Name:         worker-1',
  'Namespace:    kube-node-lease',
  'Labels:       <none>',
  'Annotations:  <none>',
  'API Version:  coordination.k8s.io/v1',
  'Kind:         Lease',
  'Metadata:',
  '  Creation Timestamp:  2025-01-01T00:00:00Z',
  '  Owner References:',
  '    API Version:     v1',
  '    Kind:            Node',
  '    Name:            worker-1',
  '    UID:             node-uid',
  '  Resource Version:  345',
  '  UID:               lease-uid',
  'Spec:',
  '  Holder Identity:         worker-1',
  '  Lease Duration Seconds:  40',
  '  Renew Time:              2025-01-01T00:09:50.000000Z',
  'Events:                    <none>',
  '',
].join('\n');

const CONFIG_MAP = [
  'Name:         game-demo',
  'Namespace:    default',
  'Labels:       <none>',
  'Annotations:  <none>',
  '',
  'Data',
  '====',
  'player_initial_lives:',
  '----',
  '3',
  '',
  'ui_properties_file_name:',
  '----',
  'user-interface.properties',
  '',
  '',
  'BinaryData',
  '====',
  '',
  'Events:  <none>',
  '',
].join('\n');


describe('tabwriter (Go text/tabwriter, padding 2)', () => {
  it('aligns a column over consecutive lines that have it, and a line without a tab ends the block', () => {
    expect(tabwrite('a:\t1\nlonger:\t2\nbreak\nb:\t3\n')).toBe('a:       1\nlonger:  2\nbreak\nb:  3\n');
  });

  it('pads empty cells and never pads the text after the last tab', () => {
    expect(tabwrite('x\t\ty\tz\nlong\t\tyy\tz\n')).toBe('x       y   z\nlong    yy  z\n');
  });

  it('gives a deeper column its own block: only the lines that reach it', () => {
    expect(tabwrite('Port:\thttp\t80/TCP\nTargetPort:\t8080/TCP\n')).toBe('Port:        http  80/TCP\nTargetPort:  8080/TCP\n');
  });
});

describe('quantities as Quantity.String() prints them', () => {
  it.each([
    ['1000m', '1'],
    ['0.5', '500m'],
    ['250m', '250m'],
    ['0.5Gi', '512Mi'],
    ['1536Mi', '1536Mi'],
    ['2048Mi', '2Gi'],
    ['1000M', '1G'],
    ['128974848', '128974848'],
    ['1e3', '1e3'],
    ['16393340Ki', '16393340Ki'],
    ['100', '100'],
    ['0', '0'],
  ])('%s → %s', (text, printed) => expect(canonical(text)).toBe(printed));

  it('adds with the first operand format, as Quantity.Add', () => {
    expect(formatQty(addQty(parseQty('64Mi'), parseQty('70Mi')))).toBe('134Mi');
    expect(formatQty(addQty(parseQty('100m'), parseQty('250m')))).toBe('350m');
    expect(formatQty(addQty(parseQty('1G'), parseQty('128Mi')))).toBe('1134217728');
  });
});

describe('timestamps as time.RFC1123Z', () => {
  it.each([
    ['2025-01-01T00:00:05Z', 'Wed, 01 Jan 2025 00:00:05 +0000'],
    ['2025-03-02T13:04:05Z', 'Sun, 02 Mar 2025 13:04:05 +0000'],
    ['2024-02-29T23:59:59Z', 'Thu, 29 Feb 2024 23:59:59 +0000'],
    ['2025-01-01T00:09:50.123456Z', 'Wed, 01 Jan 2025 00:09:50 +0000'],
    [undefined, 'Mon, 01 Jan 0001 00:00:00 +0000'],
  ])('%s', (ts, printed) => expect(rfc1123z(ts)).toBe(printed));
});

describe('smart labels of the generic describer (kubectl 1.31)', () => {
  it.each([
    ['apiVersion', 'API Version'],
    ['creationTimestamp', 'Creation Timestamp'],
    ['uid', 'UID'],
    ['leaseDurationSeconds', 'Lease Duration Seconds'],
    ['clusterIPs', 'Cluster I Ps'],
    ['node.kubernetes.io/ttl', 'node.kubernetes.io/ttl'],
  ])('%s → %s', (field, label) => expect(smartLabel(field)).toBe(label));
});

describe('kubectl describe pod', () => {
  const running = pod('web-7d4b9c8f6-x2x9z', {
    labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6' },
    owner: { kind: 'ReplicaSet', name: 'web-7d4b9c8f6', uid: 'rs-uid' },
    spec: {
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: { requests: { cpu: '250m', memory: '64Mi' } },
          volumeMounts: [{ name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
        },
      ],
      nodeName: 'worker-1',
      serviceAccountName: 'default',
      priority: 0,
      restartPolicy: 'Always',
      volumes: [
        {
          name: 'kube-api-access-abcde',
          projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt' } }, { downwardAPI: { items: [] } }] },
        },
      ],
      tolerations: TOLERATIONS,
    },
    status: {
      phase: 'Running',
      hostIP: '10.0.0.11',
      podIP: '10.244.1.5',
      podIPs: [{ ip: '10.244.1.5' }],
      startTime: at('00:05:05'),
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True' })),
      containerStatuses: [
        {
          name: 'nginx',
          ready: true,
          restartCount: 0,
          image: 'nginx:1.27',
          imageID: 'docker.io/library/nginx@sha256:0a1b',
          containerID: 'containerd://4f2a',
          state: { running: { startedAt: at('00:05:09') } },
        },
      ],
    },
  });
  const runningEvents = [
    // The scheduler reports through events.k8s.io: eventTime and reportingComponent, no source.
    event('e1', running, { reason: 'Scheduled', message: 'Successfully assigned default/web-7d4b9c8f6-x2x9z to worker-1', reportingComponent: 'default-scheduler', eventTime: '2025-01-01T00:05:05.000000Z' }),
    event('e2', running, {
      reason: 'Pulled',
      message: 'Container image "nginx:1.27" already present on machine',
      source: { component: 'kubelet', host: 'worker-1' },
      firstTimestamp: at('00:05:07'),
      lastTimestamp: at('00:07:07'),
      count: 3,
    }),
  ];

  it('prints a running pod: containers, conditions, projected volume, tolerations, repeated events', () => {
    expect(describeObject(running, { now: NOW, events: runningEvents })).toBe(RUNNING_POD);
  });

  it('prints a pending pod without a node, start time or IP, and its FailedScheduling series', () => {
    const big = pod('big', {
      labels: { run: 'big' },
      spec: {
        containers: [{ name: 'big', image: 'busybox:1.36', resources: { limits: { cpu: '8', memory: '1Gi' }, requests: { cpu: '8', memory: '1Gi' } } }],
        serviceAccountName: 'default',
        priority: 0,
        tolerations: TOLERATIONS,
      },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'too much cpu' }] },
    });
    const failed = event('e', big, {
      type: 'Warning',
      reason: 'FailedScheduling',
      message:
        '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
      reportingComponent: 'default-scheduler',
      eventTime: '2025-01-01T00:05:10.000000Z',
      series: { count: 3, lastObservedTime: '2025-01-01T00:09:10.500000Z' },
    });
    const other = event('x', { ...big, metadata: { ...big.metadata, name: 'other', uid: 'other-uid' } }, { reason: 'Scheduled', message: 'not about big' });
    expect(describeObject(big, { now: NOW, events: [failed, other] })).toBe(PENDING_POD);
  });

  it('aligns "Events:  <none>" with the block above it and drops the section with --show-events=false', () => {
    const bare = pod('bare', { spec: { containers: [{ name: 'c', image: 'busybox' }] }, status: { phase: 'Pending' } });
    const text = describeObject(bare, { now: NOW, events: [] });
    // Nothing breaks the block from the container lines down, so "    Environment:" sets the width.
    expect(text.endsWith('    Environment:  <none>\n    Mounts:       <none>\nVolumes:          <none>\nQoS Class:        BestEffort\nNode-Selectors:   <none>\nTolerations:      <none>\nEvents:           <none>\n')).toBe(true);
    expect(describeObject(bare, { now: NOW, events: [], showEvents: false })).not.toContain('Events:');
  });

  it('shows a deleted pod as Terminating with its grace period', () => {
    const dying = pod('dying', {});
    dying.metadata.deletionTimestamp = at('00:10:30');
    dying.metadata.deletionGracePeriodSeconds = 30;
    expect(describeObject(dying, { now: NOW, events: [] })).toContain('Status:                    Terminating (lasts <invalid>)\nTermination Grace Period:  30s\n');
  });
});

describe('kubectl describe deployment', () => {
  const template = nginxTemplate({ app: 'web' });
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'deploy-uid', generation: 2, creationTimestamp: at('00:00:00'), labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 2,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-7d4b9c8f6" has successfully progressed.' },
      ],
    },
  };
  const rs = (name: string, hash: string, image: string, replicas: number, created: string, ownerUid = 'deploy-uid'): KubeObject => {
    const tpl = nginxTemplate({ app: 'web', 'pod-template-hash': hash });
    ((tpl.spec as { containers: { image: string }[] }).containers[0] as { image: string }).image = image;
    return {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: 'default', uid: `${name}-uid`, creationTimestamp: at(created), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: ownerUid, controller: true }] },
      spec: { replicas, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: tpl },
      status: { replicas },
    };
  };
  const replicaSets = [
    rs('web-7d4b9c8f6', '7d4b9c8f6', 'nginx:1.27', 3, '00:05:00'),
    rs('web-5c6d7e8f9', '5c6d7e8f9', 'nginx:1.26', 0, '00:00:01'),
    rs('web-0000000000', '0000000000', 'nginx:1.27', 5, '00:00:00', 'someone-else'),
  ];
  const events = [
    event('e3', deployment, { reason: 'ScalingReplicaSet', message: 'Scaled down replica set web-5c6d7e8f9 to 1 from 2', source: { component: 'deployment-controller' }, firstTimestamp: at('00:05:10'), lastTimestamp: at('00:05:40'), count: 2 }),
    event('e1', deployment, { reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-5c6d7e8f9 to 3', source: { component: 'deployment-controller' }, firstTimestamp: at('00:00:01'), lastTimestamp: at('00:00:01'), count: 1 }),
    event('e2', deployment, { reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-7d4b9c8f6 to 1', source: { component: 'deployment-controller' }, firstTimestamp: at('00:05:00'), lastTimestamp: at('00:05:00'), count: 1 }),
  ];

  it('prints a defaulted Deployment with its old and new ReplicaSets and events oldest first', () => {
    expect(describeObject(deployment, { now: NOW, events, replicaSets })).toBe(DEPLOYMENT);
  });

  it('leaves out OldReplicaSets and NewReplicaSet when it has no ReplicaSet', () => {
    const text = describeObject(deployment, { now: NOW, events: [], replicaSets: [] });
    expect(text).not.toContain('OldReplicaSets');
    // Without those two lines the block is narrower and ends with the Events line.
    expect(text).toContain('  Progressing   True    NewReplicaSetAvailable\nEvents:         <none>\n');
  });

  it('asks for the ReplicaSets matching its selector in its namespace', () => {
    expect(relatedQueries(deployment)).toEqual([{ into: 'replicaSets', verb: 'list', resource: 'replicasets', namespace: 'default', labelSelector: 'app=web' }]);
  });
});

describe('kubectl describe replicaset', () => {
  const owner = { kind: 'ReplicaSet', name: 'web-7d4b9c8f6', uid: 'rs-uid' };
  const replicaSet: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'web-7d4b9c8f6',
      namespace: 'default',
      uid: 'rs-uid',
      creationTimestamp: at('00:00:01'),
      labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6' },
      annotations: { 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4', 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'deploy-uid', controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d4b9c8f6' } }, template: nginxTemplate({ app: 'web', 'pod-template-hash': '7d4b9c8f6' }) },
    status: { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 },
  };
  const pods = [
    pod('web-7d4b9c8f6-aaaaa', { owner, status: { phase: 'Running' } }),
    pod('web-7d4b9c8f6-bbbbb', { owner, status: { phase: 'Running' } }),
    pod('web-7d4b9c8f6-ccccc', { owner, status: { phase: 'Pending' } }),
    pod('web-5c6d7e8f9-ddddd', { owner: { ...owner, name: 'web-5c6d7e8f9', uid: 'old-rs-uid' }, status: { phase: 'Running' } }),
    pod('orphan', { status: { phase: 'Running' } }),
  ];
  const events = ['aaaaa', 'bbbbb', 'ccccc'].map((s) =>
    event(`e-${s}`, replicaSet, { reason: 'SuccessfulCreate', message: `Created pod: web-7d4b9c8f6-${s}`, source: { component: 'replicaset-controller' }, firstTimestamp: at('00:00:02'), lastTimestamp: at('00:00:02'), count: 1 }),
  );

  it('prints Controlled By, the replica counts and the pods it controls by phase', () => {
    expect(describeObject(replicaSet, { now: NOW, events, pods })).toBe(REPLICA_SET);
  });

  it('asks for the pods matching its selector', () => {
    expect(relatedQueries(replicaSet)).toEqual([{ into: 'pods', verb: 'list', resource: 'pods', namespace: 'default', labelSelector: 'app=web,pod-template-hash=7d4b9c8f6' }]);
  });
});

describe('kubectl describe statefulset', () => {
  const sts: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default', uid: 'sts-uid', creationTimestamp: at('00:00:00') },
    spec: {
      replicas: 2,
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      template: {
        metadata: { labels: { app: 'db' } },
        spec: {
          containers: [
            {
              name: 'postgres',
              image: 'postgres:16',
              ports: [{ containerPort: 5432, protocol: 'TCP' }],
              env: [{ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-secret', key: 'password' } } }],
              volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
            },
          ],
          restartPolicy: 'Always',
        },
      },
      volumeClaimTemplates: [
        { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' } },
      ],
    },
    status: { replicas: 2, readyReplicas: 1, currentReplicas: 2, updatedReplicas: 2 },
  };
  const owner = { kind: 'StatefulSet', name: 'db', uid: 'sts-uid' };
  const pods = [pod('db-0', { owner, status: { phase: 'Running' } }), pod('db-1', { owner, status: { phase: 'Pending' } })];

  it('prints the update strategy, the pod template with a secret env var, and the volume claim templates', () => {
    expect(describeObject(sts, { now: NOW, events: [], pods })).toBe(STATEFUL_SET);
  });
});

describe('kubectl describe service', () => {
  const svc: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', uid: 'svc-uid', creationTimestamp: at('00:00:00'), labels: { app: 'web' } },
    spec: {
      selector: { app: 'web' },
      type: 'ClusterIP',
      clusterIP: '10.96.12.34',
      clusterIPs: ['10.96.12.34'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  };
  const endpoint = (ip: string, ready?: boolean): Record<string, unknown> => ({ addresses: [ip], conditions: ready === undefined ? {} : { ready }, nodeName: 'worker-1' });
  const slice: KubeObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abc12', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [endpoint('10.244.1.5', true), endpoint('10.244.2.6', true), endpoint('10.244.1.7', false), endpoint('10.244.2.8'), endpoint('10.244.3.9', true)],
  };

  it('lists ready endpoints of the port, three at most, then "+ N more..."', () => {
    expect(describeObject(svc, { now: NOW, events: [], endpointSlices: [slice] })).toBe(SERVICE);
  });

  it('prints an unnamed NodePort port as <unset> and <none> endpoints without slices', () => {
    const nodePort: KubeObject = {
      ...svc,
      spec: { ...(svc.spec as object), type: 'NodePort', externalTrafficPolicy: 'Cluster', ports: [{ port: 80, targetPort: 80, nodePort: 30080, protocol: 'TCP' }] },
    };
    const text = describeObject(nodePort, { now: NOW, events: [] });
    expect(text).toContain('Port:                     <unset>  80/TCP\nTargetPort:               80/TCP\nNodePort:                 <unset>  30080/TCP\nEndpoints:                <none>\n');
    expect(text).toContain('External Traffic Policy:  Cluster\n');
  });

  it('asks for the EndpointSlices labelled with its name', () => {
    expect(relatedQueries(svc)).toEqual([{ into: 'endpointSlices', verb: 'list', resource: 'endpointslices', namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' }]);
  });
});

describe('kubectl describe persistentvolumeclaim', () => {
  const pvc: KubeObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: 'data',
      namespace: 'default',
      uid: 'pvc-uid',
      creationTimestamp: at('00:01:00'),
      annotations: {
        'pv.kubernetes.io/bind-completed': 'yes',
        'pv.kubernetes.io/bound-by-controller': 'yes',
        'volume.beta.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
        'volume.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
      },
      finalizers: ['kubernetes.io/pvc-protection'],
    },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard', volumeMode: 'Filesystem', volumeName: 'pvc-3f2a9c1e' },
    status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } },
  };
  const withClaim = (claim: string): Record<string, unknown> => ({ volumes: [{ name: 'v', persistentVolumeClaim: { claimName: claim } }] });
  const pods = [pod('web-0', { spec: withClaim('data') }), pod('web-1', { spec: withClaim('other') }), pod('elsewhere', { namespace: 'team-b', spec: withClaim('data') })];
  const events = [
    event('e1', pvc, {
      reason: 'ExternalProvisioning',
      message:
        "Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
      source: { component: 'persistentvolume-controller' },
      firstTimestamp: at('00:01:00'),
      lastTimestamp: at('00:01:05'),
      count: 2,
    }),
    event('e2', pvc, {
      reason: 'ProvisioningSucceeded',
      message: 'Successfully provisioned volume pvc-3f2a9c1e',
      source: { component: 'rancher.io/local-path_local-path-provisioner-6c86858495-4nqhl' },
      firstTimestamp: at('00:02:00'),
      lastTimestamp: at('00:02:00'),
      count: 1,
    }),
  ];

  it('prints a bound claim, its capacity and access modes, and the pods using it', () => {
    expect(describeObject(pvc, { now: NOW, events, pods })).toBe(PVC);
  });

  it('leaves capacity and access modes empty while the claim is pending', () => {
    const pending: KubeObject = { ...pvc, spec: { ...(pvc.spec as object), volumeName: undefined }, status: { phase: 'Pending' } };
    expect(describeObject(pending, { now: NOW, events: [], pods: [] })).toContain('Status:        Pending\nVolume:        \n');
    expect(describeObject(pending, { now: NOW, events: [], pods: [] })).toContain('Capacity:      \nAccess Modes:  \nVolumeMode:    Filesystem\nUsed By:       <none>\n');
  });
});

describe('kubectl describe node', () => {
  const node: KubeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'worker-1',
      uid: 'node-uid',
      creationTimestamp: at('00:00:00'),
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': 'worker-1',
        'kubernetes.io/os': 'linux',
        'node-role.kubernetes.io/worker': '',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
    status: {
      capacity: { cpu: '2', 'ephemeral-storage': '61202244Ki', 'hugepages-2Mi': '0', memory: '4015300Ki', pods: '110' },
      allocatable: { cpu: '2', 'ephemeral-storage': '56403987978', 'hugepages-2Mi': '0', memory: '3912900Ki', pods: '110' },
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: at('00:09:30'), lastTransitionTime: at('00:00:00'), reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
        { type: 'Ready', status: 'True', lastHeartbeatTime: at('00:09:30'), lastTransitionTime: at('00:00:20'), reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [
        { type: 'InternalIP', address: '10.0.0.11' },
        { type: 'Hostname', address: 'worker-1' },
      ],
      nodeInfo: {
        machineID: '2a9f0c1e',
        systemUUID: '2a9f0c1e-0000',
        bootID: 'b00t',
        kernelVersion: '6.8.0-kubeplay',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        operatingSystem: 'linux',
        architecture: 'amd64',
        containerRuntimeVersion: 'containerd://1.7.18',
        kubeletVersion: 'v1.31.0',
        kubeProxyVersion: '',
      },
    },
  };
  const on = (name: string, namespace: string, resources: Record<string, unknown>, phase = 'Running', nodeName = 'worker-1'): KubeObject =>
    pod(name, { namespace, spec: { nodeName, containers: [{ name: 'c', image: 'x', resources }] }, status: { phase } });
  const pods = [
    on('kube-proxy-abcde', 'kube-system', {}),
    on('web-7d4b9c8f6-x2x9z', 'default', { requests: { cpu: '250m', memory: '64Mi' } }),
    on('coredns-7db6d8ff4d-abcde', 'kube-system', { requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' } }),
    on('job-done', 'default', { requests: { cpu: '1' } }, 'Succeeded'),
    on('elsewhere', 'default', { requests: { cpu: '1' } }, 'Running', 'worker-2'),
  ];
  const lease: KubeObject = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'worker-1', namespace: 'kube-node-lease' },
    spec: { holderIdentity: 'worker-1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:09:50.000000Z' },
  };

  it('prints lease, conditions, capacity, system info, the pods it runs with their share of allocatable, and totals', () => {
    expect(describeObject(node, { now: NOW, events: [], pods, lease })).toBe(NODE);
  });

  it('reports a missing lease as kubectl does', () => {
    expect(describeObject(node, { now: NOW, events: [], pods, lease: null })).toContain('Unschedulable:      false\nLease:              Failed to get lease: leases.coordination.k8s.io "worker-1" not found\nConditions:\n');
  });

  it('sorts taints by effect then key', () => {
    const tainted: KubeObject = {
      ...node,
      spec: {
        taints: [
          { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          { key: 'dedicated', value: 'gpu', effect: 'NoExecute' },
        ],
      },
    };
    expect(describeObject(tainted, { now: NOW, events: [], pods: [] })).toContain('Taints:             dedicated=gpu:NoExecute\n                    node-role.kubernetes.io/control-plane:NoSchedule\n');
  });

  it('asks for the non-terminated pods on it in all namespaces, and its lease', () => {
    expect(relatedQueries(node)).toEqual([
      { into: 'pods', verb: 'list', resource: 'pods', fieldSelector: 'spec.nodeName=worker-1,status.phase!=Succeeded,status.phase!=Failed' },
      { into: 'lease', verb: 'get', resource: 'leases', namespace: 'kube-node-lease', name: 'worker-1' },
    ]);
  });

  it('counts kubelet events reported against the node name as the node events', () => {
    const byName = event('k', node, { reason: 'Starting', message: 'Starting kubelet.', source: { component: 'kubelet', host: 'worker-1' }, firstTimestamp: at('00:00:00'), lastTimestamp: at('00:00:00'), count: 1 });
    (byName.involvedObject as Record<string, unknown>).uid = 'worker-1';
    expect(describeObject(node, { now: NOW, events: [byName], pods: [] })).toContain('  Normal  Starting  10m   kubelet  Starting kubelet.\n');
  });
});

describe('kubectl describe for other kinds', () => {
  it('prints an object without its own describer as the generic describer does (here a Lease)', () => {
    const lease: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: 'worker-1',
        namespace: 'kube-node-lease',
        uid: 'lease-uid',
        resourceVersion: '345',
        creationTimestamp: at('00:00:00'),
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'worker-1', uid: 'node-uid' }],
        managedFields: [{ manager: 'kubelet', operation: 'Update' }],
      },
      spec: { holderIdentity: 'worker-1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:09:50.000000Z' },
    };
    expect(describeObject(lease, { now: NOW, events: [] })).toBe(LEASE);
    expect(relatedQueries(lease)).toEqual([]);
  });

  it('prints a ConfigMap with its data keys and the BinaryData section', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'game-demo', namespace: 'default', creationTimestamp: at('00:00:00') },
      data: { ui_properties_file_name: 'user-interface.properties', player_initial_lives: '3' },
    };
    expect(describeObject(cm, { now: NOW, events: [] })).toBe(CONFIG_MAP);
  });

  it('prints a Secret by sizes only (a service account token in clear), without Events', () => {
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-secret', namespace: 'default' }, type: 'Opaque', data: { username: 'YWRtaW4=', password: 'czNjcjN0' } };
    expect(describeObject(secret, { now: NOW, events: [] })).toBe(
      ['Name:         db-secret', 'Namespace:    default', 'Labels:       <none>', 'Annotations:  <none>', '', 'Type:  Opaque', '', 'Data', '====', 'password:  6 bytes', 'username:  5 bytes', ''].join('\n'),
    );
    const token: KubeObject = { ...secret, type: 'kubernetes.io/service-account-token', data: { token: 'ZXlKaGJHY2k=', 'ca.crt': 'LS0t' } };
    expect(describeObject(token, { now: NOW, events: [] })).toContain('Data\n====\nca.crt:  3 bytes\ntoken:   eyJhbGci\n');
  });

  it('prints a Namespace with its status and the empty quota and limit range sections', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { 'kubernetes.io/metadata.name': 'default' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
    expect(describeObject(ns, { now: NOW, events: [] })).toBe(
      ['Name:         default', 'Labels:       kubernetes.io/metadata.name=default', 'Annotations:  <none>', 'Status:       Active', '', 'No resource quota.', '', 'No LimitRange resource.', ''].join('\n'),
    );
  });

  it('prints long annotations under their key and hides last-applied-configuration', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'default', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', note: 'x'.repeat(150) } },
    };
    expect(describeObject(cm, { now: NOW, events: [] })).toContain(`Annotations:  note:\n                ${'x'.repeat(138)}...\n`);
  });
});

