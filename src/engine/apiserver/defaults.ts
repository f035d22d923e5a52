import { policyTypes } from '../dataplane/networkPolicy';
import type { KubeObject } from './apiObjects';

type Obj = Record<string, unknown>;

/** Sets a field when it is absent (never overwrites what the user wrote). */
function def(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined) o[key] = value;
}
const asObjects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => x !== null && typeof x === 'object') : []);
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
  // Only kinds that have a spec get one (a ConfigMap must not grow "spec: {}").
  const spec = (): Obj => child(o as Obj, 'spec');
  switch (o.kind) {
    case 'Namespace':
      // SetDefaults_Namespace: every namespace carries its own name as a label, for namespaceSelectors.
      if (typeof o.metadata.name === 'string' && o.metadata.name !== '') o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name };
      break;
    case 'Deployment': {
      const s = spec();
      def(s, 'replicas', 1);
      def(s, 'revisionHistoryLimit', 10);
      def(s, 'progressDeadlineSeconds', 600);
      const strategy = child(s, 'strategy');
      def(strategy, 'type', 'RollingUpdate');
      if (strategy.type === 'RollingUpdate') {
        const ru = child(strategy, 'rollingUpdate');
        def(ru, 'maxSurge', '25%');
        def(ru, 'maxUnavailable', '25%');
      }
      podSpecDefaults(child(child(s, 'template'), 'spec'));
      break;
    }
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet': {
      const s = spec();
      if (o.kind !== 'DaemonSet') def(s, 'replicas', 1);
      if (o.kind !== 'ReplicaSet') def(s, 'revisionHistoryLimit', 10);
      if (o.kind === 'DaemonSet') {
        const strategy = child(s, 'updateStrategy');
        def(strategy, 'type', 'RollingUpdate');
        if (strategy.type === 'RollingUpdate') {
          const ru = child(strategy, 'rollingUpdate');
          def(ru, 'maxUnavailable', 1);
          def(ru, 'maxSurge', 0);
        }
      }
      podSpecDefaults(child(child(s, 'template'), 'spec'));
      break;
    }
    case 'Job': {
      const s = spec();
      def(s, 'backoffLimit', 6);
      def(s, 'completions', 1);
      def(s, 'parallelism', 1);
      def(s, 'completionMode', 'NonIndexed');
      def(s, 'suspend', false);
      def(s, 'podReplacementPolicy', 'TerminatingOrFailed');
      podSpecDefaults(child(child(s, 'template'), 'spec'));
      break;
    }
    case 'Pod': {
      const s = spec();
      podSpecDefaults(s);
      def(s, 'enableServiceLinks', true);
      def(s, 'preemptionPolicy', 'PreemptLowerPriority');
      def(s, 'priority', 0);
      def(s, 'serviceAccountName', 'default');
      // The DefaultTolerationSeconds admission plugin: evict 300 s after the node goes away, unless
      // the pod already says how long it tolerates that taint (a toleration of the key, or of every key).
      const tolerations = (Array.isArray(s.tolerations) ? s.tolerations : []) as Obj[];
      const added = ['not-ready', 'unreachable']
        .map((k) => `node.kubernetes.io/${k}`)
        .filter((key) => !tolerations.some((t) => (t.key === key || (t.key ?? '') === '') && (t.effect === 'NoExecute' || (t.effect ?? '') === '')))
        .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }));
      if (added.length > 0) s.tolerations = [...tolerations, ...added];
      break;
    }
    case 'Service': {
      const s = spec();
      def(s, 'type', 'ClusterIP');
      def(s, 'sessionAffinity', 'None');
      def(s, 'internalTrafficPolicy', 'Cluster');
      for (const p of (Array.isArray(s.ports) ? s.ports : []) as Obj[]) {
        def(p, 'protocol', 'TCP');
        def(p, 'targetPort', p.port);
      }
      break;
    }
    case 'NetworkPolicy': {
      // podSelector is a struct, not a pointer: an absent one is the empty selector.
      const s = spec();
      def(s, 'podSelector', {});
      for (const rule of [...asObjects(s.ingress), ...asObjects(s.egress)]) for (const p of asObjects(rule.ports)) def(p, 'protocol', 'TCP');
      s.policyTypes = policyTypes(o);
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
