/**
 * The Deployment controller's pure logic, as kube-controller-manager v1.31 has it in
 * pkg/controller/deployment (sync.go, rolling.go, recreate.go, progress.go) and
 * pkg/controller/deployment/util: the pod-template-hash, revisions and their annotations,
 * maxSurge/maxUnavailable arithmetic, proportional scaling, which ReplicaSet is new and which
 * are old, the status and its conditions. Objects are plain JSON; functions that say "mutates"
 * change only the copy they are given.
 */
import type { KubeObject } from '../apiserver/apiObjects';
import { canonical } from '../apiserver/canonical';
import { parseRfc3339, rfc3339 } from '../virtualTime';
import { controllerRefOf, jsonCopy, newControllerRef, type LabelSelector } from './podUtil';
import { fnv32a, utf8 } from './fnv';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

export const HASH_LABEL = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** The longest revision-history annotation the controller keeps (maxRevHistoryLengthInChars). */
const MAX_REVISION_HISTORY_CHARS = 2000;
const MAX_INT32 = 2_147_483_647;

// ==================================================================== pod-template-hash

/*
 * controller.ComputeHash: FNV-32a over the template as go-spew prints the Go value
 * (ConfigState{SortKeys, DisableMethods, SpewKeys}, "%#v"), then the collision count, then
 * apimachinery's SafeEncodeString of the decimal number. Spew prints every field of the Go
 * struct, typed, so the hash depends on the exact v1.31 types below (field order included);
 * it reproduces real hashes, e.g. `kubectl create deployment nginx --image=nginx` gives
 * nginx-676b6c5bbc on 1.31. The controller hashes the template as decoded from storage, where
 * empty lists and maps have become nil, quantities are canonical, and an object field that was
 * written (even `{}`) is a non-nil pointer.
 */

type GoType =
  | { readonly k: 'str' | 'int'; readonly name: string }
  | { readonly k: 'bool' }
  | { readonly k: 'ptr' | 'slice'; readonly elem: GoType }
  | { readonly k: 'map'; readonly name: string; readonly value: GoType }
  | { readonly k: 'struct'; readonly name: string; readonly fields: readonly Field[] }
  | { readonly k: 'quantity' | 'intOrString' | 'time' }
  /** A type not modelled field by field: its content still counts, in a stable form. */
  | { readonly k: 'opaque'; readonly name: string };
/** [Go field name, JSON name (null: an embedded struct, inlined in JSON), type]. */
type Field = readonly [string, string | null, GoType];

const S = (name = 'string'): GoType => ({ k: 'str', name });
const I = (name: string): GoType => ({ k: 'int', name });
const B: GoType = { k: 'bool' };
const P = (elem: GoType): GoType => ({ k: 'ptr', elem });
const L = (elem: GoType): GoType => ({ k: 'slice', elem });
const St = (name: string, fields: readonly Field[]): GoType => ({ k: 'struct', name, fields });
const X = (name: string): GoType => ({ k: 'opaque', name });
const I32 = I('int32');
const I64 = I('int64');
const STRINGS = L(S());
const STRING_MAP: GoType = { k: 'map', name: 'map[string]string', value: S() };
const RESOURCE_LIST: GoType = { k: 'map', name: 'v1.ResourceList', value: { k: 'quantity' } };
const QUANTITY: GoType = { k: 'quantity' };
const INT_OR_STRING: GoType = { k: 'intOrString' };
const TIME: GoType = { k: 'time' };

const LOCAL_REF: Field = ['LocalObjectReference', null, St('v1.LocalObjectReference', [['Name', 'name', S()]])];
const LABEL_SELECTOR = St('v1.LabelSelector', [
  ['MatchLabels', 'matchLabels', STRING_MAP],
  ['MatchExpressions', 'matchExpressions', L(St('v1.LabelSelectorRequirement', [['Key', 'key', S()], ['Operator', 'operator', S('v1.LabelSelectorOperator')], ['Values', 'values', STRINGS]]))],
]);
const OBJECT_FIELD = St('v1.ObjectFieldSelector', [['APIVersion', 'apiVersion', S()], ['FieldPath', 'fieldPath', S()]]);
const RESOURCE_FIELD = St('v1.ResourceFieldSelector', [['ContainerName', 'containerName', S()], ['Resource', 'resource', S()], ['Divisor', 'divisor', QUANTITY]]);
const KEY_SELECTOR = (name: string): GoType => St(name, [LOCAL_REF, ['Key', 'key', S()], ['Optional', 'optional', P(B)]]);
const KEY_TO_PATH = L(St('v1.KeyToPath', [['Key', 'key', S()], ['Path', 'path', S()], ['Mode', 'mode', P(I32)]]));

const OBJECT_META = St('v1.ObjectMeta', [
  ['Name', 'name', S()],
  ['GenerateName', 'generateName', S()],
  ['Namespace', 'namespace', S()],
  ['SelfLink', 'selfLink', S()],
  ['UID', 'uid', S('types.UID')],
  ['ResourceVersion', 'resourceVersion', S()],
  ['Generation', 'generation', I64],
  ['CreationTimestamp', 'creationTimestamp', TIME],
  ['DeletionTimestamp', 'deletionTimestamp', P(TIME)],
  ['DeletionGracePeriodSeconds', 'deletionGracePeriodSeconds', P(I64)],
  ['Labels', 'labels', STRING_MAP],
  ['Annotations', 'annotations', STRING_MAP],
  [
    'OwnerReferences',
    'ownerReferences',
    L(St('v1.OwnerReference', [['APIVersion', 'apiVersion', S()], ['Kind', 'kind', S()], ['Name', 'name', S()], ['UID', 'uid', S('types.UID')], ['Controller', 'controller', P(B)], ['BlockOwnerDeletion', 'blockOwnerDeletion', P(B)]])),
  ],
  ['Finalizers', 'finalizers', STRINGS],
  ['ManagedFields', 'managedFields', L(X('v1.ManagedFieldsEntry'))],
]);

const HTTP_GET = St('v1.HTTPGetAction', [
  ['Path', 'path', S()],
  ['Port', 'port', INT_OR_STRING],
  ['Host', 'host', S()],
  ['Scheme', 'scheme', S('v1.URIScheme')],
  ['HTTPHeaders', 'httpHeaders', L(St('v1.HTTPHeader', [['Name', 'name', S()], ['Value', 'value', S()]]))],
]);
const EXEC = St('v1.ExecAction', [['Command', 'command', STRINGS]]);
const TCP_SOCKET = St('v1.TCPSocketAction', [['Port', 'port', INT_OR_STRING], ['Host', 'host', S()]]);
const PROBE = St('v1.Probe', [
  ['ProbeHandler', null, St('v1.ProbeHandler', [['Exec', 'exec', P(EXEC)], ['HTTPGet', 'httpGet', P(HTTP_GET)], ['TCPSocket', 'tcpSocket', P(TCP_SOCKET)], ['GRPC', 'grpc', P(St('v1.GRPCAction', [['Port', 'port', I32], ['Service', 'service', P(S())]]))]])],
  ['InitialDelaySeconds', 'initialDelaySeconds', I32],
  ['TimeoutSeconds', 'timeoutSeconds', I32],
  ['PeriodSeconds', 'periodSeconds', I32],
  ['SuccessThreshold', 'successThreshold', I32],
  ['FailureThreshold', 'failureThreshold', I32],
  ['TerminationGracePeriodSeconds', 'terminationGracePeriodSeconds', P(I64)],
]);
const LIFECYCLE_HANDLER = St('v1.LifecycleHandler', [['Exec', 'exec', P(EXEC)], ['HTTPGet', 'httpGet', P(HTTP_GET)], ['TCPSocket', 'tcpSocket', P(TCP_SOCKET)], ['Sleep', 'sleep', P(St('v1.SleepAction', [['Seconds', 'seconds', I64]]))]]);
const SELINUX = St('v1.SELinuxOptions', [['User', 'user', S()], ['Role', 'role', S()], ['Type', 'type', S()], ['Level', 'level', S()]]);
const WINDOWS = St('v1.WindowsSecurityContextOptions', [['GMSACredentialSpecName', 'gmsaCredentialSpecName', P(S())], ['GMSACredentialSpec', 'gmsaCredentialSpec', P(S())], ['RunAsUserName', 'runAsUserName', P(S())], ['HostProcess', 'hostProcess', P(B)]]);
const SECCOMP = St('v1.SeccompProfile', [['Type', 'type', S('v1.SeccompProfileType')], ['LocalhostProfile', 'localhostProfile', P(S())]]);
const APPARMOR = St('v1.AppArmorProfile', [['Type', 'type', S('v1.AppArmorProfileType')], ['LocalhostProfile', 'localhostProfile', P(S())]]);

const CONTAINER = St('v1.Container', [
  ['Name', 'name', S()],
  ['Image', 'image', S()],
  ['Command', 'command', STRINGS],
  ['Args', 'args', STRINGS],
  ['WorkingDir', 'workingDir', S()],
  ['Ports', 'ports', L(St('v1.ContainerPort', [['Name', 'name', S()], ['HostPort', 'hostPort', I32], ['ContainerPort', 'containerPort', I32], ['Protocol', 'protocol', S('v1.Protocol')], ['HostIP', 'hostIP', S()]]))],
  [
    'EnvFrom',
    'envFrom',
    L(St('v1.EnvFromSource', [['Prefix', 'prefix', S()], ['ConfigMapRef', 'configMapRef', P(St('v1.ConfigMapEnvSource', [LOCAL_REF, ['Optional', 'optional', P(B)]]))], ['SecretRef', 'secretRef', P(St('v1.SecretEnvSource', [LOCAL_REF, ['Optional', 'optional', P(B)]]))]])),
  ],
  [
    'Env',
    'env',
    L(
      St('v1.EnvVar', [
        ['Name', 'name', S()],
        ['Value', 'value', S()],
        [
          'ValueFrom',
          'valueFrom',
          P(St('v1.EnvVarSource', [['FieldRef', 'fieldRef', P(OBJECT_FIELD)], ['ResourceFieldRef', 'resourceFieldRef', P(RESOURCE_FIELD)], ['ConfigMapKeyRef', 'configMapKeyRef', P(KEY_SELECTOR('v1.ConfigMapKeySelector'))], ['SecretKeyRef', 'secretKeyRef', P(KEY_SELECTOR('v1.SecretKeySelector'))]])),
        ],
      ]),
    ),
  ],
  ['Resources', 'resources', St('v1.ResourceRequirements', [['Limits', 'limits', RESOURCE_LIST], ['Requests', 'requests', RESOURCE_LIST], ['Claims', 'claims', L(St('v1.ResourceClaim', [['Name', 'name', S()], ['Request', 'request', S()]]))]])],
  ['ResizePolicy', 'resizePolicy', L(St('v1.ContainerResizePolicy', [['ResourceName', 'resourceName', S('v1.ResourceName')], ['RestartPolicy', 'restartPolicy', S('v1.ResourceResizeRestartPolicy')]]))],
  ['RestartPolicy', 'restartPolicy', P(S('v1.ContainerRestartPolicy'))],
  [
    'VolumeMounts',
    'volumeMounts',
    L(
      St('v1.VolumeMount', [
        ['Name', 'name', S()],
        ['ReadOnly', 'readOnly', B],
        ['RecursiveReadOnly', 'recursiveReadOnly', P(S('v1.RecursiveReadOnlyMode'))],
        ['MountPath', 'mountPath', S()],
        ['SubPath', 'subPath', S()],
        ['MountPropagation', 'mountPropagation', P(S('v1.MountPropagationMode'))],
        ['SubPathExpr', 'subPathExpr', S()],
      ]),
    ),
  ],
  ['VolumeDevices', 'volumeDevices', L(St('v1.VolumeDevice', [['Name', 'name', S()], ['DevicePath', 'devicePath', S()]]))],
  ['LivenessProbe', 'livenessProbe', P(PROBE)],
  ['ReadinessProbe', 'readinessProbe', P(PROBE)],
  ['StartupProbe', 'startupProbe', P(PROBE)],
  ['Lifecycle', 'lifecycle', P(St('v1.Lifecycle', [['PostStart', 'postStart', P(LIFECYCLE_HANDLER)], ['PreStop', 'preStop', P(LIFECYCLE_HANDLER)]]))],
  ['TerminationMessagePath', 'terminationMessagePath', S()],
  ['TerminationMessagePolicy', 'terminationMessagePolicy', S('v1.TerminationMessagePolicy')],
  ['ImagePullPolicy', 'imagePullPolicy', S('v1.PullPolicy')],
  [
    'SecurityContext',
    'securityContext',
    P(
      St('v1.SecurityContext', [
        ['Capabilities', 'capabilities', P(St('v1.Capabilities', [['Add', 'add', L(S('v1.Capability'))], ['Drop', 'drop', L(S('v1.Capability'))]]))],
        ['Privileged', 'privileged', P(B)],
        ['SELinuxOptions', 'seLinuxOptions', P(SELINUX)],
        ['WindowsOptions', 'windowsOptions', P(WINDOWS)],
        ['RunAsUser', 'runAsUser', P(I64)],
        ['RunAsGroup', 'runAsGroup', P(I64)],
        ['RunAsNonRoot', 'runAsNonRoot', P(B)],
        ['ReadOnlyRootFilesystem', 'readOnlyRootFilesystem', P(B)],
        ['AllowPrivilegeEscalation', 'allowPrivilegeEscalation', P(B)],
        ['ProcMount', 'procMount', P(S('v1.ProcMountType'))],
        ['SeccompProfile', 'seccompProfile', P(SECCOMP)],
        ['AppArmorProfile', 'appArmorProfile', P(APPARMOR)],
      ]),
    ),
  ],
  ['Stdin', 'stdin', B],
  ['StdinOnce', 'stdinOnce', B],
  ['TTY', 'tty', B],
]);

/** VolumeSource in v1.31: the common sources modelled, the rest kept opaque (their order still counts). */
const VOLUME_SOURCE = St('v1.VolumeSource', [
  ['HostPath', 'hostPath', P(St('v1.HostPathVolumeSource', [['Path', 'path', S()], ['Type', 'type', P(S('v1.HostPathType'))]]))],
  ['EmptyDir', 'emptyDir', P(St('v1.EmptyDirVolumeSource', [['Medium', 'medium', S('v1.StorageMedium')], ['SizeLimit', 'sizeLimit', P(QUANTITY)]]))],
  ['GCEPersistentDisk', 'gcePersistentDisk', P(X('v1.GCEPersistentDiskVolumeSource'))],
  ['AWSElasticBlockStore', 'awsElasticBlockStore', P(X('v1.AWSElasticBlockStoreVolumeSource'))],
  ['GitRepo', 'gitRepo', P(X('v1.GitRepoVolumeSource'))],
  ['Secret', 'secret', P(St('v1.SecretVolumeSource', [['SecretName', 'secretName', S()], ['Items', 'items', KEY_TO_PATH], ['DefaultMode', 'defaultMode', P(I32)], ['Optional', 'optional', P(B)]]))],
  ['NFS', 'nfs', P(St('v1.NFSVolumeSource', [['Server', 'server', S()], ['Path', 'path', S()], ['ReadOnly', 'readOnly', B]]))],
  ['ISCSI', 'iscsi', P(X('v1.ISCSIVolumeSource'))],
  ['Glusterfs', 'glusterfs', P(X('v1.GlusterfsVolumeSource'))],
  ['PersistentVolumeClaim', 'persistentVolumeClaim', P(St('v1.PersistentVolumeClaimVolumeSource', [['ClaimName', 'claimName', S()], ['ReadOnly', 'readOnly', B]]))],
  ['RBD', 'rbd', P(X('v1.RBDVolumeSource'))],
  ['FlexVolume', 'flexVolume', P(X('v1.FlexVolumeSource'))],
  ['Cinder', 'cinder', P(X('v1.CinderVolumeSource'))],
  ['CephFS', 'cephfs', P(X('v1.CephFSVolumeSource'))],
  ['Flocker', 'flocker', P(X('v1.FlockerVolumeSource'))],
  [
    'DownwardAPI',
    'downwardAPI',
    P(
      St('v1.DownwardAPIVolumeSource', [
        ['Items', 'items', L(St('v1.DownwardAPIVolumeFile', [['Path', 'path', S()], ['FieldRef', 'fieldRef', P(OBJECT_FIELD)], ['ResourceFieldRef', 'resourceFieldRef', P(RESOURCE_FIELD)], ['Mode', 'mode', P(I32)]]))],
        ['DefaultMode', 'defaultMode', P(I32)],
      ]),
    ),
  ],
  ['FC', 'fc', P(X('v1.FCVolumeSource'))],
  ['AzureFile', 'azureFile', P(X('v1.AzureFileVolumeSource'))],
  ['ConfigMap', 'configMap', P(St('v1.ConfigMapVolumeSource', [LOCAL_REF, ['Items', 'items', KEY_TO_PATH], ['DefaultMode', 'defaultMode', P(I32)], ['Optional', 'optional', P(B)]]))],
  ['VsphereVolume', 'vsphereVolume', P(X('v1.VsphereVirtualDiskVolumeSource'))],
  ['Quobyte', 'quobyte', P(X('v1.QuobyteVolumeSource'))],
  ['AzureDisk', 'azureDisk', P(X('v1.AzureDiskVolumeSource'))],
  ['PhotonPersistentDisk', 'photonPersistentDisk', P(X('v1.PhotonPersistentDiskVolumeSource'))],
  ['Projected', 'projected', P(X('v1.ProjectedVolumeSource'))],
  ['PortworxVolume', 'portworxVolume', P(X('v1.PortworxVolumeSource'))],
  ['ScaleIO', 'scaleIO', P(X('v1.ScaleIOVolumeSource'))],
  ['StorageOS', 'storageos', P(X('v1.StorageOSVolumeSource'))],
  ['CSI', 'csi', P(X('v1.CSIVolumeSource'))],
  ['Ephemeral', 'ephemeral', P(X('v1.EphemeralVolumeSource'))],
  ['Image', 'image', P(X('v1.ImageVolumeSource'))],
]);

const NODE_SELECTOR_TERM = St('v1.NodeSelectorTerm', [
  ['MatchExpressions', 'matchExpressions', L(St('v1.NodeSelectorRequirement', [['Key', 'key', S()], ['Operator', 'operator', S('v1.NodeSelectorOperator')], ['Values', 'values', STRINGS]]))],
  ['MatchFields', 'matchFields', L(St('v1.NodeSelectorRequirement', [['Key', 'key', S()], ['Operator', 'operator', S('v1.NodeSelectorOperator')], ['Values', 'values', STRINGS]]))],
]);
const POD_AFFINITY_TERM = St('v1.PodAffinityTerm', [
  ['LabelSelector', 'labelSelector', P(LABEL_SELECTOR)],
  ['Namespaces', 'namespaces', STRINGS],
  ['TopologyKey', 'topologyKey', S()],
  ['NamespaceSelector', 'namespaceSelector', P(LABEL_SELECTOR)],
  ['MatchLabelKeys', 'matchLabelKeys', STRINGS],
  ['MismatchLabelKeys', 'mismatchLabelKeys', STRINGS],
]);
const POD_AFFINITY = (name: string): GoType =>
  St(name, [
    ['RequiredDuringSchedulingIgnoredDuringExecution', 'requiredDuringSchedulingIgnoredDuringExecution', L(POD_AFFINITY_TERM)],
    ['PreferredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution', L(St('v1.WeightedPodAffinityTerm', [['Weight', 'weight', I32], ['PodAffinityTerm', 'podAffinityTerm', POD_AFFINITY_TERM]]))],
  ]);
const AFFINITY = St('v1.Affinity', [
  [
    'NodeAffinity',
    'nodeAffinity',
    P(
      St('v1.NodeAffinity', [
        ['RequiredDuringSchedulingIgnoredDuringExecution', 'requiredDuringSchedulingIgnoredDuringExecution', P(St('v1.NodeSelector', [['NodeSelectorTerms', 'nodeSelectorTerms', L(NODE_SELECTOR_TERM)]]))],
        ['PreferredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution', L(St('v1.PreferredSchedulingTerm', [['Weight', 'weight', I32], ['Preference', 'preference', NODE_SELECTOR_TERM]]))],
      ]),
    ),
  ],
  ['PodAffinity', 'podAffinity', P(POD_AFFINITY('v1.PodAffinity'))],
  ['PodAntiAffinity', 'podAntiAffinity', P(POD_AFFINITY('v1.PodAntiAffinity'))],
]);

const POD_SPEC = St('v1.PodSpec', [
  ['Volumes', 'volumes', L(St('v1.Volume', [['Name', 'name', S()], ['VolumeSource', null, VOLUME_SOURCE]]))],
  ['InitContainers', 'initContainers', L(CONTAINER)],
  ['Containers', 'containers', L(CONTAINER)],
  ['EphemeralContainers', 'ephemeralContainers', L(X('v1.EphemeralContainer'))],
  ['RestartPolicy', 'restartPolicy', S('v1.RestartPolicy')],
  ['TerminationGracePeriodSeconds', 'terminationGracePeriodSeconds', P(I64)],
  ['ActiveDeadlineSeconds', 'activeDeadlineSeconds', P(I64)],
  ['DNSPolicy', 'dnsPolicy', S('v1.DNSPolicy')],
  ['NodeSelector', 'nodeSelector', STRING_MAP],
  ['ServiceAccountName', 'serviceAccountName', S()],
  ['DeprecatedServiceAccount', 'serviceAccount', S()],
  ['AutomountServiceAccountToken', 'automountServiceAccountToken', P(B)],
  ['NodeName', 'nodeName', S()],
  ['HostNetwork', 'hostNetwork', B],
  ['HostPID', 'hostPID', B],
  ['HostIPC', 'hostIPC', B],
  ['ShareProcessNamespace', 'shareProcessNamespace', P(B)],
  [
    'SecurityContext',
    'securityContext',
    P(
      St('v1.PodSecurityContext', [
        ['SELinuxOptions', 'seLinuxOptions', P(SELINUX)],
        ['WindowsOptions', 'windowsOptions', P(WINDOWS)],
        ['RunAsUser', 'runAsUser', P(I64)],
        ['RunAsGroup', 'runAsGroup', P(I64)],
        ['RunAsNonRoot', 'runAsNonRoot', P(B)],
        ['SupplementalGroups', 'supplementalGroups', L(I64)],
        ['SupplementalGroupsPolicy', 'supplementalGroupsPolicy', P(S('v1.SupplementalGroupsPolicy'))],
        ['FSGroup', 'fsGroup', P(I64)],
        ['Sysctls', 'sysctls', L(St('v1.Sysctl', [['Name', 'name', S()], ['Value', 'value', S()]]))],
        ['FSGroupChangePolicy', 'fsGroupChangePolicy', P(S('v1.PodFSGroupChangePolicy'))],
        ['SeccompProfile', 'seccompProfile', P(SECCOMP)],
        ['AppArmorProfile', 'appArmorProfile', P(APPARMOR)],
      ]),
    ),
  ],
  ['ImagePullSecrets', 'imagePullSecrets', L(St('v1.LocalObjectReference', [['Name', 'name', S()]]))],
  ['Hostname', 'hostname', S()],
  ['Subdomain', 'subdomain', S()],
  ['Affinity', 'affinity', P(AFFINITY)],
  ['SchedulerName', 'schedulerName', S()],
  [
    'Tolerations',
    'tolerations',
    L(St('v1.Toleration', [['Key', 'key', S()], ['Operator', 'operator', S('v1.TolerationOperator')], ['Value', 'value', S()], ['Effect', 'effect', S('v1.TaintEffect')], ['TolerationSeconds', 'tolerationSeconds', P(I64)]])),
  ],
  ['HostAliases', 'hostAliases', L(St('v1.HostAlias', [['IP', 'ip', S()], ['Hostnames', 'hostnames', STRINGS]]))],
  ['PriorityClassName', 'priorityClassName', S()],
  ['Priority', 'priority', P(I32)],
  [
    'DNSConfig',
    'dnsConfig',
    P(St('v1.PodDNSConfig', [['Nameservers', 'nameservers', STRINGS], ['Searches', 'searches', STRINGS], ['Options', 'options', L(St('v1.PodDNSConfigOption', [['Name', 'name', S()], ['Value', 'value', P(S())]]))]])),
  ],
  ['ReadinessGates', 'readinessGates', L(St('v1.PodReadinessGate', [['ConditionType', 'conditionType', S('v1.PodConditionType')]]))],
  ['RuntimeClassName', 'runtimeClassName', P(S())],
  ['EnableServiceLinks', 'enableServiceLinks', P(B)],
  ['PreemptionPolicy', 'preemptionPolicy', P(S('v1.PreemptionPolicy'))],
  ['Overhead', 'overhead', RESOURCE_LIST],
  [
    'TopologySpreadConstraints',
    'topologySpreadConstraints',
    L(
      St('v1.TopologySpreadConstraint', [
        ['MaxSkew', 'maxSkew', I32],
        ['TopologyKey', 'topologyKey', S()],
        ['WhenUnsatisfiable', 'whenUnsatisfiable', S('v1.UnsatisfiableConstraintAction')],
        ['LabelSelector', 'labelSelector', P(LABEL_SELECTOR)],
        ['MinDomains', 'minDomains', P(I32)],
        ['NodeAffinityPolicy', 'nodeAffinityPolicy', P(S('v1.NodeInclusionPolicy'))],
        ['NodeTaintsPolicy', 'nodeTaintsPolicy', P(S('v1.NodeInclusionPolicy'))],
        ['MatchLabelKeys', 'matchLabelKeys', STRINGS],
      ]),
    ),
  ],
  ['SetHostnameAsFQDN', 'setHostnameAsFQDN', P(B)],
  ['OS', 'os', P(St('v1.PodOS', [['Name', 'name', S('v1.OSName')]]))],
  ['HostUsers', 'hostUsers', P(B)],
  ['SchedulingGates', 'schedulingGates', L(St('v1.PodSchedulingGate', [['Name', 'name', S()]]))],
  ['ResourceClaims', 'resourceClaims', L(St('v1.PodResourceClaim', [['Name', 'name', S()], ['ResourceClaimName', 'resourceClaimName', P(S())], ['ResourceClaimTemplateName', 'resourceClaimTemplateName', P(S())]]))],
]);

const POD_TEMPLATE_SPEC = St('v1.PodTemplateSpec', [
  ['ObjectMeta', 'metadata', OBJECT_META],
  ['Spec', 'spec', POD_SPEC],
]);

/** resource.Quantity's unexported fields, as spew prints them (DisableMethods). */
const QUANTITY_FIELDS = St('resource.Quantity', [
  ['i', 'i', St('resource.int64Amount', [['value', 'value', I64], ['scale', 'scale', I('resource.Scale')]])],
  ['d', 'd', St('resource.infDecAmount', [['Dec', 'Dec', P(X('inf.Dec'))]])],
  ['s', 's', S()],
  ['Format', 'Format', S('resource.Format')],
]);
const INT_OR_STRING_FIELDS = St('intstr.IntOrString', [['Type', 'Type', I('intstr.Type')], ['IntVal', 'IntVal', I32], ['StrVal', 'StrVal', S()]]);
/** metav1.Time wrapping time.Time; templates never carry a time, so it is always the zero one. */
const TIME_FIELDS = St('v1.Time', [['Time', 'Time', St('time.Time', [['wall', 'wall', I('uint64')], ['ext', 'ext', I64], ['loc', 'loc', P(X('time.Location'))]])]]);

function typeName(t: GoType): string {
  switch (t.k) {
    case 'bool':
      return 'bool';
    case 'ptr':
      return `*${typeName(t.elem)}`;
    case 'slice':
      return `[]${typeName(t.elem)}`;
    case 'quantity':
      return 'resource.Quantity';
    case 'intOrString':
      return 'intstr.IntOrString';
    case 'time':
      return 'v1.Time';
    default:
      return t.name;
  }
}

const isNil = (v: unknown): boolean => v === undefined || v === null;

/** One value as spew's "%#v" prints it; `typed` is false where spew leaves the type out (elements, keys, pointees). */
function spew(t: GoType, v: unknown, typed: boolean): string {
  const type = typed ? `(${typeName(t)})` : '';
  switch (t.k) {
    case 'str':
      return type + (typeof v === 'string' ? v : '');
    case 'int':
      return type + (typeof v === 'number' || typeof v === 'bigint' ? String(v) : '0');
    case 'bool':
      return type + String(v === true);
    case 'ptr':
      if (isNil(v)) return typed ? `${type}<nil>` : '<nil>';
      return (typed ? type : '<*>') + spew(t.elem, v, false);
    case 'slice':
      return type + (Array.isArray(v) && v.length > 0 ? `[${v.map((e) => spew(t.elem, e, false)).join(' ')}]` : '<nil>');
    case 'map': {
      const entries = Object.entries(obj(v)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return type + (entries.length === 0 ? '<nil>' : `map[${entries.map(([k, x]) => `${k}:${spew(t.value, x, false)}`).join(' ')}]`);
    }
    case 'struct':
      return `${type}{${t.fields.map(([go, json, ft]) => `${go}:${spew(ft, json === null ? v : obj(v)[json], true)}`).join(' ')}}`;
    case 'quantity':
      return type + spew(QUANTITY_FIELDS, quantityInternals(v), false);
    case 'intOrString': {
      const value = typeof v === 'string' ? { Type: 1, StrVal: v } : { Type: 0, IntVal: typeof v === 'number' ? v : 0 };
      return type + spew(INT_OR_STRING_FIELDS, value, false);
    }
    case 'time':
      return type + spew(TIME_FIELDS, {}, false);
    case 'opaque':
      return type + opaque(v);
  }
}

/** Content of a type not modelled: stable (sorted keys), so a change still changes the hash. */
function opaque(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(opaque).join(' ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${k}:${opaque(x)}`).join(' ')}}`;
  }
  return v === undefined || v === null ? '<nil>' : String(v);
}

/** The template as spew prints the v1.PodTemplateSpec the controller hashes. */
export function spewPodTemplate(template: unknown): string {
  return spew(POD_TEMPLATE_SPEC, template, true);
}

// ------------------------------------------------------------------ quantities

const DECIMAL_SUFFIX: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const NANO = 10n ** 9n;

/** A quantity's exact value in nano-units (rounded up to 1n, as ParseQuantity rounds), and its format. */
function parseExact(text: string): { nanos: bigint; format: string } | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(text.trim());
  if (m === null || `${m[2] ?? ''}${m[3] ?? ''}` === '') return undefined;
  const [, sign, whole = '', frac = '', suffix = ''] = m;
  const digits = BigInt(`${whole}${frac}` || '0');
  let num: bigint;
  let den = 10n ** BigInt(frac.length);
  let format: string;
  const exp = /^[eE]([+-]?\d+)$/.exec(suffix);
  if (BINARY_SUFFIX[suffix] !== undefined) {
    num = digits * 2n ** BigInt(BINARY_SUFFIX[suffix]);
    format = 'BinarySI';
  } else if (DECIMAL_SUFFIX[suffix] !== undefined || exp !== null) {
    const e = exp !== null ? Number(exp[1]) : (DECIMAL_SUFFIX[suffix] as number);
    num = e >= 0 ? digits * 10n ** BigInt(e) : digits;
    if (e < 0) den *= 10n ** BigInt(-e);
    format = exp !== null ? 'DecimalExponent' : 'DecimalSI';
  } else return undefined;
  let nanos = (num * NANO) / den;
  if (nanos * den !== num * NANO) nanos += 1n;
  // A binary quantity below one is shown in decimal.
  if (format === 'BinarySI' && nanos < NANO) format = 'DecimalSI';
  return { nanos: sign === '-' ? -nanos : nanos, format };
}

/** Quantity.String(): the canonical form the API server stores ("0.5" → "500m", "1024Mi" → "1Gi"). */
export function canonicalQuantity(text: string): string {
  const q = parseExact(text);
  if (q === undefined) return text;
  const { nanos } = q;
  if (nanos === 0n) return '0';
  const neg = nanos < 0n;
  const abs = neg ? -nanos : nanos;
  let format = q.format;
  if (format === 'BinarySI' && (abs < 1024n * NANO || abs % NANO !== 0n)) format = 'DecimalSI';
  if (format === 'BinarySI') {
    let amount = abs / NANO;
    let e = 0;
    while (amount % 1024n === 0n && e < 60) {
      amount /= 1024n;
      e += 10;
    }
    const suffix = Object.entries(BINARY_SUFFIX).find(([, x]) => x === e)?.[0] ?? '';
    return `${neg ? '-' : ''}${amount}${suffix}`;
  }
  let mantissa = abs;
  let e = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    e++;
  }
  while (((e % 3) + 3) % 3 !== 0) {
    mantissa *= 10n;
    e--;
  }
  const suffix = format === 'DecimalExponent' ? (e === 0 ? '' : `e${e}`) : (Object.entries(DECIMAL_SUFFIX).find(([, x]) => x === e)?.[0] ?? '');
  return `${neg ? '-' : ''}${mantissa}${suffix}`;
}

/**
 * The fields of the resource.Quantity ParseQuantity makes of the stored (canonical) string:
 * int64Amount{value, scale}, and the string kept only when ParseQuantity judged it canonical.
 */
function quantityInternals(v: unknown): Obj {
  if (typeof v !== 'string' && typeof v !== 'number') return {};
  const text = canonicalQuantity(String(v));
  const m = /^(-?)(\d+)(.*)$/.exec(text);
  if (m === null) return { s: text };
  const [, sign, digits = '0', suffix = ''] = m;
  const n = BigInt(digits);
  const binary = BINARY_SUFFIX[suffix];
  if (binary !== undefined) {
    const value = n * 2n ** BigInt(binary);
    return { i: { value: sign === '-' ? -value : value, scale: 0 }, s: n % 8n !== 0n ? text : '', Format: 'BinarySI' };
  }
  const exp = /^e(-?\d+)$/.exec(suffix);
  const scale = exp !== null ? Number(exp[1]) : (DECIMAL_SUFFIX[suffix] ?? 0);
  const cached = scale % 3 === 0 && !digits.endsWith('000') && !digits.startsWith('0');
  return { i: { value: sign === '-' ? -n : n, scale }, s: cached ? text : '', Format: exp !== null ? 'DecimalExponent' : 'DecimalSI' };
}

// ------------------------------------------------------------------ FNV-32a and the name

/** apimachinery's rand.SafeEncodeString: each character mapped into an alphabet without vowels. */
export function safeEncodeString(s: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...s].map((c) => alphabet[(c.codePointAt(0) as number) % alphabet.length]).join('');
}

/** controller.ComputeHash: the pod-template-hash of a template, with the Deployment's collisionCount if set. */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(utf8(spewPodTemplate(template)));
  if (collisionCount !== undefined) {
    const c = collisionCount >>> 0;
    h = fnv32a([c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, c >>> 24, 0, 0, 0, 0], h);
  }
  return safeEncodeString(String(h));
}

// ==================================================================== Deployment spec and status

export interface DeploymentCondition {
  type: string;
  status: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
}

interface ReplicaSetStatus {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: DeploymentCondition[];
}

interface DeploymentSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: Obj;
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  paused?: boolean;
}

export const deploymentSpec = (d: KubeObject): DeploymentSpec => (d.spec ?? {}) as DeploymentSpec;
export const deploymentStatus = (d: KubeObject): DeploymentStatus => (d.status ?? {}) as DeploymentStatus;
export const rsStatus = (rs: KubeObject): ReplicaSetStatus => (rs.status ?? {}) as ReplicaSetStatus;
/** spec.replicas (the API server defaults it to 1). */
export const replicasOf = (o: KubeObject): number => (o.spec as { replicas?: number } | undefined)?.replicas ?? 1;
const annotationsOf = (o: KubeObject): Record<string, string> => o.metadata.annotations ?? {};

export function isRollingUpdate(d: KubeObject): boolean {
  return (deploymentSpec(d).strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function hasProgressDeadline(d: KubeObject): boolean {
  const s = deploymentSpec(d).progressDeadlineSeconds;
  return s !== undefined && s !== MAX_INT32;
}

export function hasRevisionHistoryLimit(d: KubeObject): boolean {
  const l = deploymentSpec(d).revisionHistoryLimit;
  return l !== undefined && l !== MAX_INT32;
}

// ------------------------------------------------------------------ surge and unavailability

/** intstr.GetScaledValueFromIntOrPercent; a malformed value counts as 0 (validation refuses it). */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = typeof v === 'string' ? /^(-?\d+)%$/.exec(v) : null;
  if (m === null) return 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/**
 * ResolveFenceposts: maxSurge rounded up, maxUnavailable rounded down; if both come to zero
 * (25% of 1, say) one pod may be unavailable, so a rollout can proceed at all.
 */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): [number, number] {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  const unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  return [surge, surge === 0 && unavailable === 0 ? 1 : unavailable];
}

export function maxSurge(d: KubeObject): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = deploymentSpec(d).strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d))[0];
}

export function maxUnavailable(d: KubeObject): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = deploymentSpec(d).strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas)[1], replicas);
}

// ------------------------------------------------------------------ revisions and annotations

/** deploymentutil.Revision: a missing annotation is 0, an unparsable one undefined. */
export function revisionOf(o: KubeObject): number | undefined {
  const v = annotationsOf(o)[REVISION];
  if (v === undefined) return 0;
  return /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

export function maxRevision(rss: readonly KubeObject[]): number {
  return Math.max(0, ...rss.map((rs) => revisionOf(rs) ?? 0));
}

/** Mutates rs: desired-replicas and max-replicas; true if they changed. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const a = { ...annotationsOf(rs) };
  const changed = a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
  a[DESIRED_REPLICAS] = String(desired);
  a[MAX_REPLICAS] = String(max);
  rs.metadata = { ...rs.metadata, annotations: a };
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: KubeObject, desired: number, max: number): boolean {
  const a = annotationsOf(rs);
  return a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

const SKIPPED_ANNOTATIONS = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);

/**
 * SetNewReplicaSetAnnotations. Mutates rs: copies the Deployment's annotations (change-cause
 * among them), raises the revision to `newRevision` if lower (keeping the old one in
 * revision-history: a rollback to this ReplicaSet), and for a ReplicaSet about to be created
 * sets the replica annotations. True if anything changed.
 */
export function setNewReplicaSetAnnotations(d: KubeObject, rs: KubeObject, newRevision: number, exists: boolean): boolean {
  const a = { ...annotationsOf(rs) };
  let changed = false;
  for (const [k, v] of Object.entries(annotationsOf(d))) {
    if (SKIPPED_ANNOTATIONS.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const old = a[REVISION];
  const oldRevision = old === undefined || old === '' ? 0 : /^[+-]?\d+$/.test(old) ? Number(old) : undefined;
  if (oldRevision === undefined) {
    // An unparsable revision: the copied annotations stay, but nothing counts as changed.
    rs.metadata = { ...rs.metadata, annotations: a };
    return false;
  }
  if (oldRevision < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    if (old !== undefined) a[REVISION_HISTORY] = appendRevisionHistory(a[REVISION_HISTORY], old);
  }
  rs.metadata = { ...rs.metadata, annotations: a };
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** The revisions a reused ReplicaSet served before, oldest dropped past 2000 characters. */
function appendRevisionHistory(history: string | undefined, old: string): string {
  if (history === undefined || history === '') return old;
  const parts = history.split(',');
  let total = history.length + old.length + 1;
  let start = 0;
  while (total > MAX_REVISION_HISTORY_CHARS && start < parts.length) total -= (parts[start++] as string).length + 1;
  return total <= MAX_REVISION_HISTORY_CHARS ? [...parts.slice(start), old].join(',') : history;
}

/** Mutates d: its revision annotation; true if it changed. */
export function setDeploymentRevision(d: KubeObject, revision: string): boolean {
  if (annotationsOf(d)[REVISION] === revision) return false;
  d.metadata = { ...d.metadata, annotations: { ...annotationsOf(d), [REVISION]: revision } };
  return true;
}

// ------------------------------------------------------------------ new and old ReplicaSets

const created = (o: KubeObject): number => parseRfc3339(o.metadata.creationTimestamp ?? '') ?? 0;
const byCreation = (a: KubeObject, b: KubeObject): number => created(a) - created(b) || ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1);

export function sortByCreation(rss: readonly KubeObject[]): KubeObject[] {
  return [...rss].sort(byCreation);
}

/** ReplicaSetsByRevision: oldest revision first (ties and unparsable ones by creation). */
export function sortByRevision(rss: readonly KubeObject[]): KubeObject[] {
  return [...rss].sort((a, b) => {
    const ra = revisionOf(a);
    const rb = revisionOf(b);
    return ra === undefined || rb === undefined || ra === rb ? byCreation(a, b) : ra - rb;
  });
}

/** EqualIgnoreHash: the same template apart from the pod-template-hash label (compared as the Go values). */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  const strip = (t: unknown): Obj => {
    const meta = obj(obj(t).metadata);
    const labels = { ...(obj(meta.labels) as Record<string, string>) };
    delete labels[HASH_LABEL];
    return { ...obj(t), metadata: { ...meta, labels } };
  };
  return spewPodTemplate(strip(a)) === spewPodTemplate(strip(b));
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet(d: KubeObject, rsList: readonly KubeObject[]): KubeObject | undefined {
  const template = deploymentSpec(d).template;
  return sortByCreation(rsList).find((rs) => equalIgnoreHash((rs.spec as Obj | undefined)?.template, template));
}

/** FindOldReplicaSets: every other ReplicaSet of the Deployment. */
export function findOldReplicaSets(d: KubeObject, rsList: readonly KubeObject[]): KubeObject[] {
  const newRS = findNewReplicaSet(d, rsList);
  return rsList.filter((rs) => newRS === undefined || rs.metadata.uid !== newRS.metadata.uid);
}

export const filterActive = (rss: readonly (KubeObject | undefined)[]): KubeObject[] => rss.filter((rs): rs is KubeObject => rs !== undefined && replicasOf(rs) > 0);
const sum = (rss: readonly (KubeObject | undefined)[], f: (rs: KubeObject) => number): number => rss.reduce((n, rs) => n + (rs === undefined ? 0 : f(rs)), 0);
export const specReplicaCount = (rss: readonly (KubeObject | undefined)[]): number => sum(rss, replicasOf);
const actualCount = (rss: readonly (KubeObject | undefined)[]): number => sum(rss, (rs) => rsStatus(rs).replicas ?? 0);
const readyCount = (rss: readonly (KubeObject | undefined)[]): number => sum(rss, (rs) => rsStatus(rs).readyReplicas ?? 0);
const availableCount = (rss: readonly (KubeObject | undefined)[]): number => sum(rss, (rs) => rsStatus(rs).availableReplicas ?? 0);

/** The ReplicaSet a new template gets: named after the Deployment and the hash, owned by it. */
export function newReplicaSetFor(d: KubeObject, hash: string, replicas: number, revision: number): KubeObject {
  const spec = deploymentSpec(d);
  const template = obj(spec.template);
  const labels = { ...(obj(obj(template.metadata).labels) as Record<string, string>), [HASH_LABEL]: hash };
  const selector = { ...spec.selector, matchLabels: { ...spec.selector?.matchLabels, [HASH_LABEL]: hash } };
  const rs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${d.metadata.name ?? ''}-${hash}`, namespace: d.metadata.namespace ?? 'default', labels, ownerReferences: [newControllerRef(d)] },
    spec: {
      replicas,
      ...(spec.minReadySeconds ? { minReadySeconds: spec.minReadySeconds } : {}),
      selector,
      template: { ...jsonCopy(template), metadata: { ...jsonCopy(obj(template.metadata)), labels } },
    },
  };
  setNewReplicaSetAnnotations(d, rs, revision, false);
  return rs;
}

/** NewRSNewReplicas: how big the new ReplicaSet may be now (a rolling update stays within replicas + maxSurge). */
export function newRSNewReplicas(d: KubeObject, allRSs: readonly (KubeObject | undefined)[], newRS: KubeObject): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d)) return replicas;
  const surge = scaledValue(deploymentSpec(d).strategy?.rollingUpdate?.maxSurge, replicas, true);
  const current = specReplicaCount(allRSs);
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return replicasOf(newRS);
  return replicasOf(newRS) + Math.min(maxTotal - current, replicas - replicasOf(newRS));
}

/** IsSaturated: the new ReplicaSet has, and is annotated for, all the replicas, all available. */
export function isSaturated(d: KubeObject, rs: KubeObject | undefined): boolean {
  if (rs === undefined) return false;
  const desired = annotationsOf(rs)[DESIRED_REPLICAS];
  const replicas = replicasOf(d);
  return replicasOf(rs) === replicas && desired !== undefined && /^[+-]?\d+$/.test(desired) && Number(desired) === replicas && (rsStatus(rs).availableReplicas ?? 0) === replicas;
}

/** FindActiveOrLatest: the only ReplicaSet with replicas, or the newest if none has any; undefined if several have. */
export function findActiveOrLatest(newRS: KubeObject | undefined, oldRSs: readonly KubeObject[]): KubeObject | undefined {
  const newestFirst = sortByCreation(oldRSs).reverse();
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 1) return active[0];
  if (active.length === 0) return newRS ?? newestFirst[0];
  return undefined;
}

/** A write of one ReplicaSet's size. Without `operation`, it is skipped when the size is unchanged and its event says up or down by itself. */
export interface ScaleStep {
  readonly rs: KubeObject;
  readonly replicas: number;
  readonly operation?: 'up' | 'down' | '';
}

/** getReplicaSetFraction: this ReplicaSet's share of a new size, from the max-replicas it was annotated with. */
function replicaSetFraction(rs: KubeObject, d: KubeObject): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  const annotated = annotationsOf(rs)[MAX_REPLICAS];
  const base = annotated !== undefined && /^[+-]?\d+$/.test(annotated) ? Number(annotated) : (deploymentStatus(d).replicas ?? 0);
  if (base === 0) return 0;
  // Go's math.Round: halves away from zero.
  const size = (replicasOf(rs) * deploymentReplicas) / base;
  return Math.sign(size) * Math.round(Math.abs(size)) - replicasOf(rs);
}

function proportion(rs: KubeObject, d: KubeObject, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

const bySize = (newerFirst: boolean) => (a: KubeObject, b: KubeObject): number => {
  if (replicasOf(a) !== replicasOf(b)) return replicasOf(b) - replicasOf(a);
  return newerFirst ? byCreation(b, a) : byCreation(a, b);
};

/**
 * DeploymentController.scale: what a scaling event (or a paused Deployment) does. One active
 * ReplicaSet just takes the new size; a saturated new one sends the old ones to zero; otherwise
 * the change is spread over the active ReplicaSets in proportion to their size, the leftover to
 * the largest (newer first when growing, older first when shrinking).
 */
export function planScale(d: KubeObject, newRS: KubeObject | undefined, oldRSs: readonly KubeObject[]): ScaleStep[] {
  const replicas = replicasOf(d);
  const only = findActiveOrLatest(newRS, oldRSs);
  if (only !== undefined) return replicasOf(only) === replicas ? [] : [{ rs: only, replicas }];
  // FindActiveOrLatest left the old ReplicaSets sorted newest first.
  if (isSaturated(d, newRS)) return filterActive(sortByCreation(oldRSs).reverse()).map((rs) => ({ rs, replicas: 0 }));
  if (!isRollingUpdate(d)) return [];
  const active = filterActive([...oldRSs, newRS]);
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - specReplicaCount(active);
  const operation = toAdd > 0 ? 'up' : toAdd < 0 ? 'down' : '';
  if (toAdd !== 0) active.sort(bySize(toAdd > 0));
  let added = 0;
  const sizes = active.map((rs) => {
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return replicasOf(rs) + p;
  });
  if (toAdd !== 0 && sizes.length > 0) sizes[0] = Math.max(0, (sizes[0] as number) + toAdd - added);
  return active.map((rs, i) => ({ rs, replicas: sizes[i] as number, operation }));
}

/** reconcileNewReplicaSet: the new ReplicaSet's next size in a rolling update, or undefined if it stays. */
export function rollingNewReplicas(d: KubeObject, allRSs: readonly (KubeObject | undefined)[], newRS: KubeObject): number | undefined {
  const replicas = replicasOf(d);
  if (replicasOf(newRS) === replicas) return undefined;
  if (replicasOf(newRS) > replicas) return replicas;
  const next = newRSNewReplicas(d, allRSs, newRS);
  return next === replicasOf(newRS) ? undefined : next;
}

/**
 * reconcileOldReplicaSets: how far old ReplicaSets may shrink without going below
 * replicas - maxUnavailable available pods (unavailable new pods counted against it); first
 * their unhealthy replicas, oldest ReplicaSet first, then available ones.
 */
export function planOldScaleDown(d: KubeObject, allRSs: readonly (KubeObject | undefined)[], oldRSs: readonly KubeObject[], newRS: KubeObject): ScaleStep[] {
  if (specReplicaCount(oldRSs) === 0) return [];
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = replicasOf(newRS) - (rsStatus(newRS).availableReplicas ?? 0);
  const maxScaledDown = specReplicaCount(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  const steps: ScaleStep[] = [];
  const sizes = new Map(oldRSs.map((rs) => [rs.metadata.uid ?? '', replicasOf(rs)]));
  let cleaned = 0;
  for (const rs of sortByCreation(oldRSs)) {
    if (cleaned >= maxScaledDown) break;
    const size = replicasOf(rs);
    const unhealthy = size - (rsStatus(rs).availableReplicas ?? 0);
    if (size === 0 || unhealthy === 0) continue;
    // More available than wanted (a scale-down still in flight): Go refuses the step and scales nothing this time.
    if (unhealthy < 0) return steps;
    const n = Math.min(maxScaledDown - cleaned, unhealthy);
    steps.push({ rs, replicas: size - n });
    sizes.set(rs.metadata.uid ?? '', size - n);
    cleaned += n;
  }
  const available = availableCount([...oldRSs, newRS]);
  const canRemove = available - minAvailable;
  let removed = 0;
  for (const rs of sortByCreation(oldRSs)) {
    if (removed >= canRemove) break;
    const size = sizes.get(rs.metadata.uid ?? '') ?? 0;
    if (size === 0) continue;
    const n = Math.min(size, canRemove - removed);
    steps.push({ rs, replicas: size - n });
    removed += n;
  }
  return steps;
}

/** cleanupDeployment: the oldest-revision ReplicaSets beyond revisionHistoryLimit that are empty and settled. */
export function replicaSetsToClean(d: KubeObject, oldRSs: readonly KubeObject[]): KubeObject[] {
  if (!hasRevisionHistoryLimit(d)) return [];
  const cleanable = oldRSs.filter((rs) => rs.metadata.deletionTimestamp === undefined);
  const diff = cleanable.length - (deploymentSpec(d).revisionHistoryLimit ?? 0);
  if (diff <= 0) return [];
  return sortByRevision(cleanable)
    .slice(0, diff)
    .filter((rs) => (rsStatus(rs).replicas ?? 0) === 0 && replicasOf(rs) === 0 && (rs.metadata.generation ?? 0) <= (rsStatus(rs).observedGeneration ?? 0));
}

/** isScalingEvent: an active ReplicaSet was annotated for another Deployment size than the current one. */
export function isScalingEvent(d: KubeObject, allRSs: readonly (KubeObject | undefined)[]): boolean {
  return filterActive(allRSs).some((rs) => {
    const desired = annotationsOf(rs)[DESIRED_REPLICAS];
    return desired !== undefined && /^[+-]?\d+$/.test(desired) && Number(desired) !== replicasOf(d);
  });
}

/** oldPodsRunning (Recreate): an old ReplicaSet still counts pods, or one of its pods is not finished. */
export function oldPodsRunning(newRS: KubeObject | undefined, oldRSs: readonly KubeObject[], podsByRs: ReadonlyMap<string, readonly KubeObject[]>): boolean {
  if (actualCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podsByRs) {
    if (newRS !== undefined && uid === newRS.metadata.uid) continue;
    if (pods.some((p) => !['Failed', 'Succeeded'].includes((p.status as { phase?: string } | undefined)?.phase ?? ''))) return true;
  }
  return false;
}

/** Pods of the Deployment grouped by the uid of their ReplicaSet (as getPodMapForDeployment; terminating ones included). */
export function podsByReplicaSet(rsList: readonly KubeObject[], pods: readonly KubeObject[]): Map<string, KubeObject[]> {
  const map = new Map<string, KubeObject[]>(rsList.map((rs) => [rs.metadata.uid ?? '', []]));
  for (const p of pods) map.get(controllerRefOf(p)?.uid ?? '')?.push(p);
  return map;
}

// ------------------------------------------------------------------ conditions

export function newCondition(type: string, status: string, reason: string, message: string, now: number): DeploymentCondition {
  return { type, status, lastUpdateTime: rfc3339(now), lastTransitionTime: rfc3339(now), reason, message };
}

export function getCondition(status: DeploymentStatus, type: string): DeploymentCondition | undefined {
  return (status.conditions ?? []).find((c) => c.type === type);
}

/** SetDeploymentCondition: nothing if status and reason are the same; the transition time kept if only the reason changes. */
export function setCondition(status: DeploymentStatus, c: DeploymentCondition): void {
  const current = getCondition(status, c.type);
  if (current !== undefined && current.status === c.status && current.reason === c.reason) return;
  const next = current !== undefined && current.status === c.status && current.lastTransitionTime !== undefined ? { ...c, lastTransitionTime: current.lastTransitionTime } : c;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((c) => c.type !== type);
  if (rest.length > 0) status.conditions = rest;
  else delete status.conditions;
}

/**
 * checkPausedConditions: Progressing Unknown with DeploymentPaused / DeploymentResumed, so time
 * spent paused never counts towards the progress deadline. Mutates d's status; true if changed.
 */
export function applyPausedCondition(d: KubeObject, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const status = { ...deploymentStatus(d) };
  const cond = getCondition(status, 'Progressing');
  if (cond?.reason === 'ProgressDeadlineExceeded') return false;
  const pausedCond = cond?.reason === 'DeploymentPaused';
  const paused = deploymentSpec(d).paused === true;
  if (paused === pausedCond) return false;
  const c = paused ? newCondition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', now) : newCondition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', now);
  setCondition(status, c);
  d.status = status;
  return true;
}

// ------------------------------------------------------------------ status

/** Fields Go leaves out when zero (omitempty), so equal statuses compare equal. */
function compact<T extends object>(s: T): T {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined && v !== 0 && !(Array.isArray(v) && v.length === 0))) as T;
}

export function statusEqual(a: unknown, b: unknown): boolean {
  return canonical(compact(obj(a))) === canonical(compact(obj(b)));
}

/** calculateStatus: counts from the ReplicaSets' statuses, and the Available condition. */
export function calculateStatus(allRSs: readonly (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject, now: number): DeploymentStatus {
  const available = availableCount(allRSs);
  const status: DeploymentStatus = compact({
    observedGeneration: d.metadata.generation,
    replicas: actualCount(allRSs),
    updatedReplicas: actualCount([newRS]),
    readyReplicas: readyCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specReplicaCount(allRSs) - available),
    conditions: [...(deploymentStatus(d).conditions ?? [])],
  });
  // A pointer in Go: kept even when 0.
  const collisions = deploymentStatus(d).collisionCount;
  if (collisions !== undefined) status.collisionCount = collisions;
  if (available >= replicasOf(d) - maxUnavailable(d)) setCondition(status, newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now));
  else setCondition(status, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now));
  return status;
}

/** DeploymentComplete: every replica updated and available, no old ones, this generation observed. */
export function deploymentComplete(d: KubeObject, s: DeploymentStatus): boolean {
  const r = replicasOf(d);
  return (s.updatedReplicas ?? 0) === r && (s.replicas ?? 0) === r && (s.availableReplicas ?? 0) === r && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** DeploymentProgressing: more updated, ready or available pods, or fewer old ones, than last time. */
export function deploymentProgressing(d: KubeObject, s: DeploymentStatus): boolean {
  const old = deploymentStatus(d);
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** When the Progressing condition was last updated, as the stored (whole-second) time. */
function progressedAt(c: DeploymentCondition): number {
  return parseRfc3339(c.lastUpdateTime ?? '') ?? 0;
}

/** DeploymentTimedOut: no progress for longer than progressDeadlineSeconds. */
export function deploymentTimedOut(d: KubeObject, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (c === undefined || c.reason === 'NewReplicaSetAvailable') return false;
  if (c.reason === 'ProgressDeadlineExceeded') return true;
  return progressedAt(c) + (deploymentSpec(d).progressDeadlineSeconds ?? 0) * 1000 < now;
}

/**
 * syncRolloutStatus's new status: calculateStatus, then the Progressing condition (complete,
 * progressing, or timed out), then the ReplicaFailure condition promoted from the ReplicaSets.
 */
export function rolloutStatus(d: KubeObject, allRSs: readonly (KubeObject | undefined)[], newRS: KubeObject | undefined, now: number): DeploymentStatus {
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(deploymentStatus(d), 'Progressing');
  const name = newRS === undefined ? `Deployment "${d.metadata.name ?? ''}"` : `ReplicaSet "${newRS.metadata.name ?? ''}"`;
  const settled = (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === 'NewReplicaSetAvailable';
  if (hasProgressDeadline(d) && !settled) {
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', `${name} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      // Progress refreshes lastUpdateTime even with the same reason; the transition time stays while True.
      const c = newCondition('Progressing', 'True', 'ReplicaSetUpdated', `${name} is progressing.`, now);
      if (current?.status === 'True' && current.lastTransitionTime !== undefined) c.lastTransitionTime = current.lastTransitionTime;
      if (current !== undefined) removeCondition(status, 'Progressing');
      setCondition(status, c);
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(status, newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', `${name} has timed out progressing.`, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure !== undefined) setCondition(status, failure);
  else removeCondition(status, 'ReplicaFailure');
  return status;
}

/** getReplicaFailures: the new ReplicaSet's ReplicaFailure condition, else an old one's. */
function replicaFailure(allRSs: readonly (KubeObject | undefined)[], newRS: KubeObject | undefined): DeploymentCondition | undefined {
  for (const rs of [newRS, ...allRSs]) {
    const c = rs === undefined ? undefined : (rsStatus(rs).conditions ?? []).find((x) => x.type === 'ReplicaFailure');
    if (c !== undefined) return { type: c.type, status: c.status, ...(c.lastTransitionTime === undefined ? {} : { lastTransitionTime: c.lastTransitionTime, lastUpdateTime: c.lastTransitionTime }), ...(c.reason === undefined ? {} : { reason: c.reason }), ...(c.message === undefined ? {} : { message: c.message }) };
  }
  return undefined;
}

/**
 * requeueStuckDeployment: when to look again for the progress deadline (ms from now), or
 * undefined when there is nothing to wait for. One second late, to be past the deadline.
 */
export function progressCheckAfter(d: KubeObject, s: DeploymentStatus, now: number): number | undefined {
  const c = getCondition(deploymentStatus(d), 'Progressing');
  if (!hasProgressDeadline(d) || c === undefined) return undefined;
  if (deploymentComplete(d, s) || c.reason === 'ProgressDeadlineExceeded') return undefined;
  const after = progressedAt(c) + (deploymentSpec(d).progressDeadlineSeconds ?? 0) * 1000 - now;
  return Math.max(after, 0) + 1000;
}
