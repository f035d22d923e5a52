/**
 * The resource types the API server serves, as `kubectl api-resources` lists them,
 * with the etcd key prefixes kube-apiserver really uses (nodes live under
 * /registry/minions, services under /registry/services/specs).
 */
export interface ResourceType {
  /** "" for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly namespaced: boolean;
  /** Where objects live in etcd: `${etcdPrefix}/${namespace}/${name}` or `${etcdPrefix}/${name}`. */
  readonly etcdPrefix: string;
}

const r = (group: string, version: string, kind: string, plural: string, shortNames: string[], namespaced: boolean, etcdPath = plural): ResourceType => ({
  group,
  version,
  kind,
  plural,
  singular: kind.toLowerCase(),
  shortNames,
  namespaced,
  etcdPrefix: `/registry/${etcdPath}`,
});

/** In the order kubectl api-resources prints them: core group first, then by group name. */
export const RESOURCES: readonly ResourceType[] = [
  r('', 'v1', 'ConfigMap', 'configmaps', ['cm'], true),
  r('', 'v1', 'Endpoints', 'endpoints', ['ep'], true, 'services/endpoints'),
  r('', 'v1', 'Event', 'events', ['ev'], true),
  r('', 'v1', 'Namespace', 'namespaces', ['ns'], false),
  r('', 'v1', 'Node', 'nodes', ['no'], false, 'minions'),
  r('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', ['pvc'], true),
  r('', 'v1', 'PersistentVolume', 'persistentvolumes', ['pv'], false),
  r('', 'v1', 'Pod', 'pods', ['po'], true),
  r('', 'v1', 'Secret', 'secrets', [], true),
  r('', 'v1', 'Service', 'services', ['svc'], true, 'services/specs'),
  r('apps', 'v1', 'DaemonSet', 'daemonsets', ['ds'], true),
  r('apps', 'v1', 'Deployment', 'deployments', ['deploy'], true),
  r('apps', 'v1', 'ReplicaSet', 'replicasets', ['rs'], true),
  r('apps', 'v1', 'StatefulSet', 'statefulsets', ['sts'], true),
  r('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', ['hpa'], true),
  r('batch', 'v1', 'Job', 'jobs', [], true),
  r('coordination.k8s.io', 'v1', 'Lease', 'leases', [], true),
  r('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', [], true),
  r('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', ['netpol'], true),
  r('node.k8s.io', 'v1', 'RuntimeClass', 'runtimeclasses', [], false),
  r('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', ['pdb'], true),
  r('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', ['sc'], false),
];

export function apiVersionOf(t: ResourceType): string {
  return t.group === '' ? t.version : `${t.group}/${t.version}`;
}

/** "deployments.apps", "pods": how kubectl and API errors name a resource. */
export function qualifiedName(t: ResourceType): string {
  return t.group === '' ? t.plural : `${t.plural}.${t.group}`;
}

/** The resource a manifest's apiVersion and kind map to, or the error the API server gives. */
export function resourceForKind(apiVersion: string, kind: string): ResourceType | { error: string } {
  const found = RESOURCES.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
  return found ?? { error: `no matches for kind "${kind}" in version "${apiVersion}"` };
}

/**
 * The resource a kubectl argument names: plural, singular, short name or kind, in any case,
 * optionally qualified by group ("deployments.apps") or version and group ("deployments.v1.apps").
 */
export function resolveResource(name: string): ResourceType | { error: string } {
  const lower = name.toLowerCase();
  for (const t of RESOURCES) {
    const names = [t.plural, t.singular, ...t.shortNames];
    for (const n of names) {
      if (lower === n) return t;
      if (t.group !== '' && (lower === `${n}.${t.group}` || lower === `${n}.${t.version}.${t.group}`)) return t;
    }
  }
  return { error: `the server doesn't have a resource type "${name}"` };
}

/** The etcd key of an object. */
export function etcdKey(t: ResourceType, namespace: string | undefined, name: string): string {
  return t.namespaced ? `${t.etcdPrefix}/${namespace ?? 'default'}/${name}` : `${t.etcdPrefix}/${name}`;
}
