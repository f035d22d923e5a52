// The engine's public API. Everything outside src/engine imports from here.
export { Cluster, type ClusterOptions, type ClusterSnapshot, type NodeSnapshot, type RaftMessageInFlight } from './cluster';
export { DurationError, formatDuration, humanDuration, parseDuration } from './duration';
export { SimulationLimitError } from './errors';
export { applyFault, describeFault, type Fault } from './faults';
export { Hasher, hashString } from './hash';
export {
  DEFAULT_NETWORK_CONFIG,
  Network,
  type DropReason,
  type HostId,
  type HostInfo,
  type LinkFault,
  type Message,
  type NetworkConfig,
  type NetworkStats,
  type TraceRecord,
} from './network';
export { bytes, formatMebibytes, formatMilliCpu, milliCpu, parseQuantity, QuantityError, type Quantity } from './quantity';
export { Rng } from './rng';
export {
  buildTopology,
  DEFAULT_CLUSTER_SPEC,
  TopologyError,
  type ClusterSpec,
  type NodeRole,
  type NodeSpec,
} from './topology';
export { World, type RunOptions, type RunResult, type WorldOptions } from './world';
export { runDeterminismProbe, type ProbeResult } from './determinismProbe';
export { EtcdCluster } from './store/etcdCluster';
export { DEFAULT_ETCD_SETTINGS, type EtcdMemberSnapshot, type EtcdSettings } from './store/etcdMember';
export { EtcdClient, type ClientOutcome } from './store/etcdClient';
export { EtcdError } from './store/etcdProtocol';
export { installPingMesh } from './workloads/pingMesh';
export { ClusterView } from './clusterView';
