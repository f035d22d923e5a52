import type { Toleration } from '../controllers/nodeLifecycleUtil';
import { parseQuantity, QuantityError } from '../quantity';
import type { KubeObject } from './apiObjects';

/**
 * The RuntimeClass admission plugin (on pod creates only). Its mutating half copies the
 * class's overhead.podFixed into spec.overhead and merges the class's scheduling constraints
 * into the pod's nodeSelector and tolerations; its validating half refuses a pod whose overhead
 * does not come from its class. The texts are what follows `pods "x" is forbidden: `.
 */

export type { Toleration };

type ResourceList = Record<string, string | number>;

interface RuntimeClassFields {
  overhead?: { podFixed?: ResourceList };
  scheduling?: { nodeSelector?: Record<string, string>; tolerations?: Toleration[] };
}

interface PodSchedulingFields {
  overhead?: ResourceList;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  [field: string]: unknown;
}

export const runtimeClassNotFound = (name: string): string => `pod rejected: RuntimeClass ${JSON.stringify(name)} not found`;
const OVERHEAD_MISMATCH = "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";
const OVERHEAD_WITHOUT_CLASS = 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead';

/**
 * The pod spec with its class applied (a new object; the given one is left alone), or the
 * refusal: an overhead that differs from the class's, or a nodeSelector that contradicts it.
 */
export function applyRuntimeClass(podSpec: Readonly<Record<string, unknown>>, runtimeClass: KubeObject): { spec: Record<string, unknown> } | { refused: string } {
  const rc = runtimeClass as unknown as RuntimeClassFields;
  const spec: PodSchedulingFields = { ...podSpec };
  if (rc.overhead !== undefined) {
    const fixed = rc.overhead.podFixed;
    if (spec.overhead !== undefined && !sameResources(fixed, spec.overhead)) return { refused: OVERHEAD_MISMATCH };
    if (fixed === undefined) delete spec.overhead;
    else spec.overhead = { ...fixed };
  }
  if (rc.scheduling === undefined) return { spec };
  const wanted = rc.scheduling.nodeSelector ?? {};
  if (spec.nodeSelector === undefined) {
    if (rc.scheduling.nodeSelector !== undefined) spec.nodeSelector = { ...wanted };
  } else {
    // Go walks the map in random order; sorted keys make the reported conflict a stable one.
    for (const key of Object.keys(wanted).sort()) {
      const have = spec.nodeSelector[key];
      if (have !== undefined && have !== wanted[key]) {
        return { refused: `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${String(wanted[key])}; pod.spec.nodeSelector[${key}] = ${have}` };
      }
    }
    spec.nodeSelector = { ...spec.nodeSelector, ...wanted };
  }
  const merged = mergeTolerations(spec.tolerations ?? [], rc.scheduling.tolerations ?? []);
  if (merged.length === 0) delete spec.tolerations;
  else spec.tolerations = merged;
  return { spec };
}

/**
 * The validating half: a pod's overhead must be its class's (undefined when it is). A pod
 * with no class, or whose class defines no overhead, may not set one.
 */
export function checkOverhead(podSpec: Readonly<Record<string, unknown>>, runtimeClass: KubeObject | undefined): string | undefined {
  const overhead = (podSpec as PodSchedulingFields).overhead;
  const defined = (runtimeClass as unknown as RuntimeClassFields | undefined)?.overhead;
  if (defined !== undefined) return sameResources(defined.podFixed, overhead) ? undefined : OVERHEAD_MISMATCH;
  return overhead === undefined ? undefined : OVERHEAD_WITHOUT_CLASS;
}

/** Resource lists compared as the API does (semantically): same names, equal quantities ("0.5" is "500m"); none equals empty. */
function sameResources(a: ResourceList | undefined, b: ResourceList | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((k) => y[k] !== undefined && sameQuantity(x[k] as string | number, y[k]));
}

function sameQuantity(a: string | number, b: string | number): boolean {
  try {
    return parseQuantity(a).value === parseQuantity(b).value;
  } catch (err) {
    if (!(err instanceof QuantityError)) throw err;
    return String(a) === String(b);
  }
}

/**
 * The pod's tolerations and the class's, keeping only those no other one already covers (a
 * toleration of every key, or of every effect, makes narrower ones redundant); of two equal
 * ones the first stays.
 */
export function mergeTolerations(first: readonly Toleration[], second: readonly Toleration[]): Toleration[] {
  const all = [...first, ...second];
  const merged: Toleration[] = [];
  all.forEach((t, i) => {
    if (merged.some((kept) => isSuperset(kept, t))) return;
    if (all.slice(i + 1).some((later) => !equalTolerations(t, later) && isSuperset(later, t))) return;
    merged.push(t);
  });
  return merged;
}

function equalTolerations(a: Toleration, b: Toleration): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '') && a.tolerationSeconds === b.tolerationSeconds;
}

/** Whether `wide` tolerates everything `t` does. */
function isSuperset(wide: Toleration, t: Toleration): boolean {
  if (equalTolerations(wide, t)) return true;
  const wideKey = wide.key ?? '';
  // An empty key with Exists matches every key.
  if ((t.key ?? '') !== wideKey && (wideKey !== '' || wide.operator !== 'Exists')) return false;
  // An empty effect matches every effect.
  if ((t.effect ?? '') !== (wide.effect ?? '') && (wide.effect ?? '') !== '') return false;
  if (wide.effect === 'NoExecute' && wide.tolerationSeconds !== undefined && (t.tolerationSeconds === undefined || t.tolerationSeconds > wide.tolerationSeconds)) return false;
  switch (wide.operator ?? '') {
    case 'Equal':
    case '':
      return t.operator === 'Equal' && (t.value ?? '') === (wide.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}
