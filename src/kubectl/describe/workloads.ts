/** `kubectl describe` for Deployments, ReplicaSets and StatefulSets. */
import { podPhaseCounts } from './daemonset';
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { writePodTemplate } from './containers';
import {
  type DescribeWriter,
  type Obj,
  byteOrder,
  controllerOf,
  formatLabelSelector,
  goList,
  intOrString,
  isControlledBy,
  isSet,
  list,
  meta,
  obj,
  parseTime,
  rfc1123z,
  selectorString,
  spec as specOf,
  status as statusOf,
  str,
  strings,
  writeAnnotations,
  writeLabels,
} from './format';
import { canonical } from './quantity';

const count = (v: unknown): number => (typeof v === 'number' ? v : 0);
const replicas = (o: KubeObject): number => (typeof specOf(o).replicas === 'number' ? (specOf(o).replicas as number) : 1);

/** `Type Status Reason` conditions of Deployments and ReplicaSets. */
function writeConditions(w: DescribeWriter, conditions: readonly Obj[]): void {
  if (conditions.length === 0) return;
  w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(1, '----\t------\t------\n');
  for (const c of conditions) w.write(1, `${str(c.type)} \t${str(c.status)}\t${str(c.reason)}\n`);
}

/** Running / Waiting / Succeeded / Failed among the pods `owner` controls. */

// --- Deployment --------------------------------------------------------------------------

/** Two pod templates equal but for the pod-template-hash label (kubectl's EqualIgnoreHash); empty and absent count as equal. */
function sameTemplate(a: unknown, b: unknown): boolean {
  const strip = (t: unknown): unknown => {
    const tpl = obj(t);
    const md = obj(tpl.metadata);
    const labels = { ...obj(md.labels) };
    delete labels['pod-template-hash'];
    return { ...tpl, metadata: { ...md, labels } };
  };
  return deepEqual(strip(a), strip(b));
}

const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

function deepEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => deepEqual((a as Obj)[k], (b as Obj)[k]));
  }
  return a === b;
}

/** The Deployment's ReplicaSets, oldest first: the new one (same template) and the old ones. */
export function splitReplicaSets(d: KubeObject, all: readonly KubeObject[]): { newRS: KubeObject | undefined; oldRSs: KubeObject[] } {
  const created = (rs: KubeObject): number => parseTime(rs.metadata.creationTimestamp) ?? Number.NEGATIVE_INFINITY;
  const owned = all
    .filter((rs) => isControlledBy(rs, d))
    .sort((a, b) => (created(a) !== created(b) ? (created(a) < created(b) ? -1 : 1) : byteOrder(str(a.metadata.name), str(b.metadata.name))));
  const newRS = owned.find((rs) => sameTemplate(specOf(rs).template, specOf(d).template));
  return { newRS, oldRSs: owned.filter((rs) => rs !== newRS) };
}

const rsList = (sets: readonly KubeObject[]): string =>
  sets.map((rs) => `${str(rs.metadata.name)} (${count(statusOf(rs).replicas)}/${replicas(rs)} replicas created)`).join(', ') || '<none>';

export function describeDeployment(w: DescribeWriter, d: KubeObject, replicaSets: readonly KubeObject[]): void {
  const md = meta(d);
  const spec = specOf(d);
  const st = statusOf(d);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(md.creationTimestamp)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
  w.write(
    0,
    `Replicas:\t${replicas(d)} desired | ${count(st.updatedReplicas)} updated | ${count(st.replicas)} total | ${count(st.availableReplicas)} available | ${count(st.unavailableReplicas)} unavailable\n`,
  );
  const strategy = obj(spec.strategy);
  w.write(0, `StrategyType:\t${str(strategy.type)}\n`);
  w.write(0, `MinReadySeconds:\t${count(spec.minReadySeconds)}\n`);
  if (isSet(strategy.rollingUpdate)) {
    const ru = obj(strategy.rollingUpdate);
    w.write(0, `RollingUpdateStrategy:\t${intOrString(ru.maxUnavailable)} max unavailable, ${intOrString(ru.maxSurge)} max surge\n`);
  }
  writePodTemplate(w, obj(spec.template));
  writeConditions(w, list(st.conditions));
  const { newRS, oldRSs } = splitReplicaSets(d, replicaSets);
  if (oldRSs.length > 0 || newRS !== undefined) {
    w.write(0, `OldReplicaSets:\t${rsList(oldRSs)}\n`);
    w.write(0, `NewReplicaSet:\t${rsList(newRS === undefined ? [] : [newRS])}\n`);
  }
}

// --- ReplicaSet --------------------------------------------------------------------------

export function describeReplicaSet(w: DescribeWriter, rs: KubeObject, pods: readonly KubeObject[]): void {
  const md = meta(rs);
  const spec = specOf(rs);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  const controller = controllerOf(rs);
  if (controller !== undefined) w.write(0, `Controlled By:\t${controller.kind}/${controller.name}\n`);
  w.write(0, `Replicas:\t${count(statusOf(rs).replicas)} current / ${replicas(rs)} desired\n`);
  w.write(0, 'Pods Status:\t');
  w.write(0, `${podPhaseCounts(rs, pods)}\n`);
  writePodTemplate(w, obj(spec.template));
  writeConditions(w, list(statusOf(rs).conditions));
}

// --- StatefulSet -------------------------------------------------------------------------

export function describeStatefulSet(w: DescribeWriter, sts: KubeObject, pods: readonly KubeObject[]): void {
  const md = meta(sts);
  const spec = specOf(sts);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(md.creationTimestamp)}\n`);
  w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  w.write(0, `Replicas:\t${replicas(sts)} desired | ${count(statusOf(sts).replicas)} total\n`);
  const strategy = obj(spec.updateStrategy);
  w.write(0, `Update Strategy:\t${str(strategy.type)}\n`);
  const ru = obj(strategy.rollingUpdate);
  if (typeof ru.partition === 'number') {
    w.write(1, `Partition:\t${ru.partition}\n`);
    if (isSet(ru.maxUnavailable)) w.write(1, `MaxUnavailable:\t${intOrString(ru.maxUnavailable)}\n`);
  }
  w.write(0, `Pods Status:\t${podPhaseCounts(sts, pods)}\n`);
  writePodTemplate(w, obj(spec.template));
  writeClaimTemplates(w, list(spec.volumeClaimTemplates));
}

function writeClaimTemplates(w: DescribeWriter, templates: readonly Obj[]): void {
  if (templates.length === 0) return w.write(0, 'Volume Claims:\t<none>\n');
  w.write(0, 'Volume Claims:\n');
  for (const pvc of templates) {
    const md = obj(pvc.metadata);
    const spec = obj(pvc.spec);
    w.write(1, `Name:\t${str(md.name)}\n`);
    w.write(1, `StorageClass:\t${claimClass(pvc)}\n`);
    // Both as key=value lists here, annotations included.
    writeLabels(w, 'Labels', md.labels, '  ');
    writeLabels(w, 'Annotations', md.annotations, '  ');
    const storage = obj(obj(spec.resources).requests).storage;
    w.write(1, `Capacity:\t${storage === undefined ? '<default>' : canonical(storage)}\n`);
    w.write(1, `Access Modes:\t${goList(strings(spec.accessModes))}\n`);
  }
}

/** GetPersistentVolumeClaimClass: the beta annotation wins over spec.storageClassName. */
export function claimClass(pvc: KubeObject | Obj): string {
  const annotation = obj(obj(pvc.metadata).annotations)['volume.beta.kubernetes.io/storage-class'];
  return annotation !== undefined ? str(annotation) : str(obj(pvc.spec).storageClassName);
}
