import type { KubeObject } from '../apiserver/apiObjects';
import { bytes, milliCpu, parseQuantity } from '../quantity';

/**
 * Compute resources as kube-scheduler counts them (framework.Resource): cpu in millicores,
 * memory and ephemeral storage in bytes, extended resources ("nvidia.com/gpu", "hugepages-2Mi")
 * as integers.
 */
export interface Resources {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
  scalar: Record<string, number>;
}

/** A node's status.allocatable: the resources plus how many pods it takes. */
export interface Allocatable extends Resources {
  pods: number;
}

/** What the scorers assume a container without a cpu / memory request uses (schedutil defaults). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

type ResourceList = Readonly<Record<string, string | number>>;

interface ContainerLike {
  restartPolicy?: string;
  resources?: { requests?: ResourceList };
}

export const emptyResources = (): Resources => ({ milliCpu: 0, memory: 0, ephemeralStorage: 0, scalar: {} });

/**
 * Extended resources ("example.com/foo"), prefixed native ones, hugepages and attachable
 * volumes: what the scheduler checks besides cpu, memory and ephemeral-storage.
 */
export function isScalarResourceName(name: string): boolean {
  if (name.startsWith('hugepages-') || name.startsWith('attachable-volumes-')) return true;
  return name.includes('/') && !name.startsWith('requests.');
}

/** Quantities are validated by the API server; anything unreadable counts as nothing. */
function safe(read: (q: string | number) => number, q: string | number): number {
  try {
    return read(q);
  } catch {
    return 0;
  }
}

/** A ResourceList read into scheduler units; `names` records which keys were present. */
function fromList(list: ResourceList | undefined): { r: Resources; names: Set<string> } {
  const r = emptyResources();
  const names = new Set<string>();
  for (const [name, q] of Object.entries(list ?? {})) {
    names.add(name);
    if (name === 'cpu') r.milliCpu = safe(milliCpu, q);
    else if (name === 'memory') r.memory = safe(bytes, q);
    else if (name === 'ephemeral-storage') r.ephemeralStorage = safe(bytes, q);
    else if (isScalarResourceName(name)) r.scalar[name] = safe((x) => Math.ceil(parseQuantity(x).value), q);
  }
  return { r, names };
}

/** Adds r into `into`: a sum of containers, or a node's total over its pods. */
export function add(into: Resources, r: Resources): void {
  into.milliCpu += r.milliCpu;
  into.memory += r.memory;
  into.ephemeralStorage += r.ephemeralStorage;
  for (const [k, v] of Object.entries(r.scalar)) into.scalar[k] = (into.scalar[k] ?? 0) + v;
}

function max(into: Resources, r: Resources): void {
  into.milliCpu = Math.max(into.milliCpu, r.milliCpu);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  for (const [k, v] of Object.entries(r.scalar)) into.scalar[k] = Math.max(into.scalar[k] ?? 0, v);
}

function copy(r: Resources): Resources {
  return { ...r, scalar: { ...r.scalar } };
}

/** A container's requests; with `nonZero`, a missing cpu / memory request becomes the default. */
function containerRequests(c: ContainerLike, nonZero: boolean): Resources {
  const { r, names } = fromList(c.resources?.requests);
  if (nonZero) {
    if (!names.has('cpu')) r.milliCpu = DEFAULT_MILLI_CPU_REQUEST;
    if (!names.has('memory')) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * A pod's effective request (resourcehelper.PodRequests): app containers and restartable init
 * containers (sidecars) all run together, so they add up; a regular init container runs alone
 * beside the sidecars started before it, so the pod needs at least that much; the pod overhead
 * comes on top. `nonZero` applies the scorer's 100m / 200Mi to containers that request nothing.
 */
export function podRequests(pod: KubeObject, nonZero = false): Resources {
  const spec = (pod.spec ?? {}) as { containers?: ContainerLike[]; initContainers?: ContainerLike[]; overhead?: ResourceList };
  const sum = emptyResources();
  for (const c of spec.containers ?? []) add(sum, containerRequests(c, nonZero));
  const sidecars = emptyResources();
  const initPeak = emptyResources();
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    let inUse: Resources;
    if (c.restartPolicy === 'Always') {
      add(sum, r);
      add(sidecars, r);
      inUse = copy(sidecars);
    } else {
      inUse = copy(r);
      add(inUse, sidecars);
    }
    max(initPeak, inUse);
  }
  max(sum, initPeak);
  if (spec.overhead !== undefined) add(sum, fromList(spec.overhead).r);
  return sum;
}

/** A node's status.allocatable. */
export function nodeAllocatable(node: KubeObject): Allocatable {
  const list = ((node.status ?? {}) as { allocatable?: ResourceList }).allocatable;
  const { r } = fromList(list);
  const pods = list?.pods;
  return { ...r, pods: pods === undefined ? 0 : safe((q) => Math.ceil(parseQuantity(q).value), pods) };
}
