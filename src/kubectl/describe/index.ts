/**
 * `kubectl describe` text, as kubectl v1.31 prints it, from plain objects. Pure: the caller
 * (the describe command) fetches the object, runs the list requests relatedQueries asks
 * for, fetches the events, and passes all of it in a DescribeContext.
 */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { describeConfigMap, describeNamespace, describeSecret } from './config';
import { describeDaemonSet } from './daemonset';
import { eventsFor, writeEvents } from './events';
import { DescribeWriter, selectorString, spec, str } from './format';
import { writePodTemplate } from './containers';
import { describeGeneric } from './generic';
import { describeHorizontalPodAutoscaler } from './hpa';
import { describeJob } from './job';
import { describeEndpointSlice, describeEndpoints, describeNetworkPolicy } from './network';
import { describeNode } from './node';
import { describePod } from './pod';
import { describePodDisruptionBudget } from './policy';
import { describePVC } from './pvc';
import { describeService } from './service';
import { describePersistentVolume, describeStorageClass } from './storage';
import { describeDeployment, describeReplicaSet, describeStatefulSet } from './workloads';

export interface DescribeContext {
  /** Virtual time, for ages ("12s") and "Terminating (lasts …)". */
  readonly now: number;
  /**
   * Events; those about the described object are kept (matched on involvedObject name,
   * namespace, kind and UID), so passing all events of the namespace is fine.
   */
  readonly events: readonly KubeObject[];
  /** False for --show-events=false: no Events section at all. */
  readonly showEvents?: boolean;
  /** Pods: on the node (Node), controlled by it (ReplicaSet, StatefulSet, DaemonSet), using it (PVC). Filtered here. */
  readonly pods?: readonly KubeObject[];
  /** ReplicaSets of a Deployment's namespace matching its selector; those it controls are kept. */
  readonly replicaSets?: readonly KubeObject[];
  /** EndpointSlices labelled kubernetes.io/service-name=<service>. */
  readonly endpointSlices?: readonly KubeObject[];
  /** The node's Lease (kube-node-lease/<node>); null if the get failed (NotFound); absent to leave the section out. */
  readonly lease?: KubeObject | null;
}

/** A request the caller makes before describing; the result goes in DescribeContext[into]. */
export interface RelatedQuery {
  readonly into: 'pods' | 'replicaSets' | 'endpointSlices' | 'lease';
  readonly verb: 'list' | 'get';
  /** Resource plural, as resolveResource knows it. */
  readonly resource: string;
  /** The namespace; absent for all namespaces. */
  readonly namespace?: string;
  /** For a get. */
  readonly name?: string;
  readonly labelSelector?: string;
  /** As kubectl sends it; the describer applies it again, so a server that ignores it is fine. */
  readonly fieldSelector?: string;
}

/** What kubectl fetches to describe `o`, besides the object and its events. */
export function relatedQueries(o: KubeObject): RelatedQuery[] {
  const name = str(o.metadata.name);
  const namespace = str(o.metadata.namespace) || 'default';
  const selector = selectorString(spec(o).selector);
  switch (o.kind) {
    case 'Node':
      return [
        { into: 'pods', verb: 'list', resource: 'pods', fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed` },
        { into: 'lease', verb: 'get', resource: 'leases', namespace: 'kube-node-lease', name },
      ];
    case 'Deployment':
      return [{ into: 'replicaSets', verb: 'list', resource: 'replicasets', namespace, labelSelector: selector }];
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      return [{ into: 'pods', verb: 'list', resource: 'pods', namespace, labelSelector: selector }];
    case 'Service':
      return [{ into: 'endpointSlices', verb: 'list', resource: 'endpointslices', namespace, labelSelector: `kubernetes.io/service-name=${name}` }];
    case 'PersistentVolumeClaim':
      return [{ into: 'pods', verb: 'list', resource: 'pods', namespace }];
    default:
      return [];
  }
}

/**
 * Kinds whose kubectl describer prints no Events section. Lease, RuntimeClass and Event
 * have no describer of their own: kubectl uses the generic one, events included.
 */
const NO_EVENTS = new Set(['Secret', 'Namespace', 'NetworkPolicy']);

/** The text of `kubectl describe` for one object, ending with its Events. */
export function describeObject(o: KubeObject, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  const pods = ctx.pods ?? [];
  switch (o.kind) {
    case 'Pod':
      describePod(w, o, ctx.now);
      break;
    case 'Node':
      describeNode(w, o, pods, ctx.lease, ctx.now);
      break;
    case 'Deployment':
      describeDeployment(w, o, ctx.replicaSets ?? []);
      break;
    case 'ReplicaSet':
      describeReplicaSet(w, o, pods);
      break;
    case 'StatefulSet':
      describeStatefulSet(w, o, pods);
      break;
    case 'Service':
      describeService(w, o, ctx.endpointSlices ?? []);
      break;
    case 'PersistentVolumeClaim':
      describePVC(w, o, pods, ctx.now);
      break;
    case 'ConfigMap':
      describeConfigMap(w, o);
      break;
    case 'Secret':
      describeSecret(w, o);
      break;
    case 'Namespace':
      describeNamespace(w, o);
      break;
    case 'DaemonSet':
      describeDaemonSet(w, o, pods);
      break;
    case 'Job':
      describeJob(w, o);
      break;
    case 'HorizontalPodAutoscaler':
      describeHorizontalPodAutoscaler(w, o);
      break;
    case 'PersistentVolume':
      describePersistentVolume(w, o, ctx.now);
      break;
    case 'StorageClass':
      describeStorageClass(w, o);
      break;
    case 'PodDisruptionBudget':
      describePodDisruptionBudget(w, o);
      break;
    case 'NetworkPolicy':
      describeNetworkPolicy(w, o);
      break;
    case 'EndpointSlice':
      describeEndpointSlice(w, o);
      break;
    case 'Endpoints':
      describeEndpoints(w, o);
      break;
    default:
      describeGeneric(w, o);
  }
  if (ctx.showEvents !== false && !NO_EVENTS.has(o.kind)) writeEvents(w, eventsFor(ctx.events, o), ctx.now);
  return w.toString();
}

/** The "Pod Template:" block alone, as `kubectl rollout history --revision=N` prints it. */
export function describePodTemplate(template: Record<string, unknown>): string {
  const w = new DescribeWriter();
  writePodTemplate(w, template);
  return w.toString();
}
