import type { ApiClient } from '../apiserver/apiClient';
import type { KubeObject } from '../apiserver/apiObjects';
import { EventRecorder } from '../client/eventRecorder';
import { LeaderElectedComponent, type LeaderElectionTimings } from '../client/leaderElection';
import type { Rng } from '../rng';
import type { World } from '../world';
import { GarbageCollector } from './garbageCollector';
import { DaemonSetController } from './daemonSetController';
import { DeploymentController } from './deploymentController';
import { EndpointsController } from './endpointsController';
import { EndpointSliceController } from './endpointSliceController';
import { HorizontalPodAutoscalerController } from './horizontalPodAutoscaler';
import { JobController } from './jobController';
import { NamespaceController } from './namespaceController';
import { PersistentVolumeController, PvcProtectionController, PvProtectionController } from './persistentVolumeController';
import { CsiProvisioner, type Disk } from '../storage/provisioner';
import { NodeLifecycleController } from './nodeLifecycleController';
import { ReplicaSetController } from './replicaSetController';
import { StatefulSetController } from './statefulSetController';
import { TaintEvictionController } from './taintEvictionController';

interface Controller {
  start(): void;
  stop(): void;
}

/**
 * kube-controller-manager on one master. It talks to its own master's API server (kubeadm's
 * controller-manager.conf points at the local endpoint), and runs its controllers only while
 * it holds the kube-system/kube-controller-manager Lease; cut off from quorum it cannot renew,
 * steps down after the renew deadline, and another master's takes over once the lease expires.
 */
export class ControllerManager extends LeaderElectedComponent {
  private controllers: Controller[] = [];

  constructor(
    world: World,
    client: ApiClient,
    host: string,
    rng: Rng,
    timings?: LeaderElectionTimings,
    /** The cloud's disks, owned by the cluster so they outlive any process. */
    private readonly disks: Map<string, Disk> = new Map(),
  ) {
    super(world, client, host, rng, { lease: 'kube-controller-manager', eventSource: 'kube-controller-manager' }, timings);
  }

  protected lead(): void {
    // Each controller records events under its own component name, as kubectl describe shows them.
    const recorder = (component: string): EventRecorder => new EventRecorder(this.world, this.client, component, this.host);
    this.controllers = [
      new GarbageCollector(this.world, this.client),
      new NamespaceController(this.world, this.client),
      new NodeLifecycleController(this.world, this.client, recorder('node-controller')),
      new TaintEvictionController(this.world, this.client, recorder('taint-eviction-controller')),
      new ReplicaSetController(this.world, this.client, recorder('replicaset-controller')),
      new DeploymentController(this.world, this.client, recorder('deployment-controller')),
      new StatefulSetController(this.world, this.client, recorder('statefulset-controller')),
      new EndpointSliceController(this.world, this.client, recorder('endpointslice-controller')),
      new EndpointsController(this.world, this.client, recorder('endpoint-controller')),
      new DaemonSetController(this.world, this.client, recorder('daemonset-controller')),
      new JobController(this.world, this.client, recorder('job-controller')),
      new HorizontalPodAutoscalerController(this.world, this.client, recorder('horizontal-pod-autoscaler')),
      new PersistentVolumeController(this.world, this.client, recorder('persistentvolume-controller')),
      new PvcProtectionController(this.world, this.client),
      new PvProtectionController(this.world, this.client),
      // The CSI driver's controller (external-provisioner): a kube-system workload on a real cluster,
      // leader-elected like the controllers, so it runs beside them here.
      new CsiProvisioner(this.world, this.client, recorder(`pd.csi.kubeplay.io_csi-pd-controller_${this.identity.split('_')[1] ?? ''}`), this.disks),
    ];
    for (const c of this.controllers) c.start();
    // The event a real controller manager records on the Lease when it takes over.
    this.client.request({ verb: 'get', resource: 'leases', namespace: 'kube-system', name: 'kube-controller-manager' }, (r) => {
      if (r.ok && r.result.ok) this.recorder.record(r.result.value as KubeObject, 'Normal', 'LeaderElection', `${this.identity} became leader`);
    });
  }

  protected standDown(): void {
    for (const c of this.controllers) c.stop();
    this.controllers = [];
  }
}
