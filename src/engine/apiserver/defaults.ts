import type { KubeObject } from './apiObjects';

type Obj = Record<string, unknown>;

/** Sets a field when it is absent (never overwrites what the user wrote). */
function def(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined) o[key] = value;
}
const child = (o: Obj, key: string): Obj => {
  if (o[key] === undefined || o[key] === null || typeof o[key] !== 'object') o[key] = {};
  return o[key] as Obj;
};

/**
 * Defaulting as the API server does it (SetDefaults_* in k8s.io/kubernetes/pkg/apis), for
 * what `kubectl get -o yaml` then shows: a Deployment's RollingUpdate 25%/25%, revision
 * history 10, progress deadline 600 s; a pod's restartPolicy Always, 30 s grace period,
 * imagePullPolicy from the tag; a Service's ClusterIP type and targetPort.
 * Mutates the (already copied) object.
 */
export function applyDefaults(o: KubeObject): void {
  const spec = child(o as Obj, 'spec');
  switch (o.kind) {
    case 'Deployment': {
      def(spec, 'replicas', 1);
      def(spec, 'revisionHistoryLimit', 10);
      def(spec, 'progressDeadlineSeconds', 600);
      const strategy = child(spec, 'strategy');
      def(strategy, 'type', 'RollingUpdate');
      if (strategy.type === 'RollingUpdate') {
        const ru = child(strategy, 'rollingUpdate');
        def(ru, 'maxSurge', '25%');
        def(ru, 'maxUnavailable', '25%');
      }
      podSpecDefaults(child(child(spec, 'template'), 'spec'));
      break;
    }
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      if (o.kind !== 'DaemonSet') def(spec, 'replicas', 1);
      if (o.kind !== 'ReplicaSet') def(spec, 'revisionHistoryLimit', 10);
      podSpecDefaults(child(child(spec, 'template'), 'spec'));
      break;
    case 'Job': {
      def(spec, 'backoffLimit', 6);
      def(spec, 'completions', 1);
      def(spec, 'parallelism', 1);
      const podSpec = child(child(spec, 'template'), 'spec');
      def(podSpec, 'restartPolicy', 'Never');
      podSpecDefaults(podSpec);
      break;
    }
    case 'Pod':
      podSpecDefaults(spec);
      def(spec, 'enableServiceLinks', true);
      def(spec, 'preemptionPolicy', 'PreemptLowerPriority');
      def(spec, 'priority', 0);
      def(spec, 'serviceAccountName', 'default');
      // The DefaultTolerationSeconds admission plugin: evict 300 s after the node goes away.
      if (spec.tolerations === undefined) {
        spec.tolerations = ['not-ready', 'unreachable'].map((k) => ({
          key: `node.kubernetes.io/${k}`,
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        }));
      }
      break;
    case 'Service': {
      def(spec, 'type', 'ClusterIP');
      def(spec, 'sessionAffinity', 'None');
      def(spec, 'internalTrafficPolicy', 'Cluster');
      for (const p of (Array.isArray(spec.ports) ? spec.ports : []) as Obj[]) {
        def(p, 'protocol', 'TCP');
        def(p, 'targetPort', p.port);
      }
      break;
    }
  }
}

function podSpecDefaults(spec: Obj): void {
  def(spec, 'restartPolicy', 'Always');
  def(spec, 'terminationGracePeriodSeconds', 30);
  def(spec, 'dnsPolicy', 'ClusterFirst');
  def(spec, 'schedulerName', 'default-scheduler');
  def(spec, 'securityContext', {});
  for (const list of ['initContainers', 'containers']) {
    for (const c of (Array.isArray(spec[list]) ? spec[list] : []) as Obj[]) {
      def(c, 'imagePullPolicy', pullPolicyFor(typeof c.image === 'string' ? c.image : ''));
      def(c, 'terminationMessagePath', '/dev/termination-log');
      def(c, 'terminationMessagePolicy', 'File');
      def(c, 'resources', {});
      for (const p of (Array.isArray(c.ports) ? c.ports : []) as Obj[]) def(p, 'protocol', 'TCP');
    }
  }
}

/** Always for ":latest" or no tag, IfNotPresent otherwise (a digest counts as a tag). */
export function pullPolicyFor(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}
