/** `kubectl describe persistentvolume` and `kubectl describe storageclass`. */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { accessModes } from '../printers';
import { type DescribeWriter, type Obj, byteOrder, formatLabels, goBool, goList, isSet, list, meta, obj, since, spec as specOf, status as statusOf, str, strMap, strings, writeAnnotations, writeLabels } from './format';
import { canonical } from './quantity';

const MAX_ATTRIBUTE_LEN = 140;

// --- PersistentVolume ------------------------------------------------------------------

/** GetPersistentVolumeClass: the beta annotation wins over spec.storageClassName. */
const volumeClass = (pv: KubeObject): string => {
  const annotation = obj(pv.metadata.annotations)['volume.beta.kubernetes.io/storage-class'];
  return annotation !== undefined ? str(annotation) : str(specOf(pv).storageClassName);
};

/** `Title:\tkey op [v1, v2]` then `\tkey2 op` lines (a node selector term, or an allowed topology). */
function writeTerm(w: DescribeWriter, level: number, title: string, requirements: readonly string[]): void {
  w.write(level, `${title}:\t`);
  if (requirements.length === 0) return w.write(0, '<none>\n');
  requirements.forEach((r, i) => {
    if (i > 0) w.write(level, '\t');
    w.write(0, `${r}\n`);
  });
}

const requirement = (key: unknown, operator: string, values: readonly string[]): string => `${str(key)} ${operator}${values.length > 0 ? ` [${values.join(', ')}]` : ''}`;

function writeNodeAffinity(w: DescribeWriter, affinity: unknown): void {
  w.write(0, 'Node Affinity:\t');
  const required = obj(affinity).required;
  if (!isSet(required)) return w.write(0, '<none>\n');
  w.write(0, '\n');
  w.write(1, 'Required Terms:\t');
  const terms = list(obj(required).nodeSelectorTerms);
  if (terms.length === 0) return w.write(0, '<none>\n');
  w.write(0, '\n');
  terms.forEach((t, i) => {
    const reqs = list(t.matchExpressions).map((e) => requirement(e.key, str(e.operator).toLowerCase(), strings(e.values)));
    writeTerm(w, 2, `Term ${i}`, reqs);
  });
}

/**
 * CSI volume attributes as kubectl prints them: every piece is written at level 2, so the
 * first value and the continuation lines carry four extra spaces of their own.
 */
function writeCsiAttributes(w: DescribeWriter, attributes: unknown): void {
  const map = strMap(attributes);
  const keys = Object.keys(map).sort(byteOrder);
  w.write(2, 'VolumeAttributes:\t');
  if (keys.length === 0) return w.write(0, '<none>\n');
  keys.forEach((k, i) => {
    if (i > 0) {
      w.write(2, '');
      w.write(2, '\t');
    }
    const line = `${k}=${map[k] as string}`;
    w.write(2, `${line.length > MAX_ATTRIBUTE_LEN ? `${line.slice(0, MAX_ATTRIBUTE_LEN)}...` : line}\n`);
  });
}

/** The "Source:" lines of the volume types a learner meets: hostPath, local, nfs, csi. */
function writeVolumeSource(w: DescribeWriter, spec: Obj): void {
  if (isSet(spec.hostPath)) {
    const h = obj(spec.hostPath);
    w.write(2, 'Type:\tHostPath (bare host directory volume)\n');
    w.write(2, `Path:\t${str(h.path)}\n`);
    return w.write(2, `HostPathType:\t${isSet(h.type) ? str(h.type) : '<none>'}\n`);
  }
  if (isSet(spec.nfs)) {
    const n = obj(spec.nfs);
    w.write(2, 'Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n');
    w.write(2, `Server:\t${str(n.server)}\n`);
    w.write(2, `Path:\t${str(n.path)}\n`);
    return w.write(2, `ReadOnly:\t${goBool(n.readOnly)}\n`);
  }
  if (isSet(spec.local)) {
    w.write(2, 'Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n');
    return w.write(2, `Path:\t${str(obj(spec.local).path)}\n`);
  }
  if (isSet(spec.csi)) {
    const c = obj(spec.csi);
    w.write(2, 'Type:\tCSI (a Container Storage Interface (CSI) volume source)\n');
    w.write(2, `Driver:\t${str(c.driver)}\n`);
    w.write(2, `FSType:\t${str(c.fsType)}\n`);
    w.write(2, `VolumeHandle:\t${str(c.volumeHandle)}\n`);
    w.write(2, `ReadOnly:\t${goBool(c.readOnly)}\n`);
    return writeCsiAttributes(w, c.volumeAttributes);
  }
  w.write(1, '<unknown>\n');
}

export function describePersistentVolume(w: DescribeWriter, pv: KubeObject, now: number): void {
  const md = meta(pv);
  const spec = specOf(pv);
  const st = statusOf(pv);
  w.write(0, `Name:\t${str(md.name)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  w.write(0, `Finalizers:\t${goList(strings(md.finalizers))}\n`);
  w.write(0, `StorageClass:\t${volumeClass(pv)}\n`);
  // A volume held by its finalizer was deleted in the past: this reads how long ago.
  w.write(0, isSet(md.deletionTimestamp) ? `Status:\tTerminating (lasts ${since(md.deletionTimestamp, now)})\n` : `Status:\t${str(st.phase)}\n`);
  const claim = obj(spec.claimRef);
  w.write(0, `Claim:\t${isSet(spec.claimRef) ? `${str(claim.namespace)}/${str(claim.name)}` : ''}\n`);
  w.write(0, `Reclaim Policy:\t${str(spec.persistentVolumeReclaimPolicy)}\n`);
  w.write(0, `Access Modes:\t${accessModes(spec.accessModes)}\n`);
  if (isSet(spec.volumeMode)) w.write(0, `VolumeMode:\t${str(spec.volumeMode)}\n`);
  w.write(0, `Capacity:\t${canonical(obj(spec.capacity).storage)}\n`);
  writeNodeAffinity(w, spec.nodeAffinity);
  w.write(0, `Message:\t${str(st.message)}\n`);
  w.write(0, 'Source:\n');
  writeVolumeSource(w, spec);
}

// --- StorageClass ----------------------------------------------------------------------

const isDefaultClass = (annotations: Record<string, string>): string =>
  annotations['storageclass.kubernetes.io/is-default-class'] === 'true' || annotations['storageclass.beta.kubernetes.io/is-default-class'] === 'true' ? 'Yes' : 'No';

export function describeStorageClass(w: DescribeWriter, sc: KubeObject): void {
  const md = meta(sc);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `IsDefaultClass:\t${isDefaultClass(strMap(md.annotations))}\n`);
  // key=value joined by commas, last-applied-configuration included: a value ending in a
  // newline (as kubectl apply writes it) pushes the next annotation onto a line of its own.
  w.write(0, `Annotations:\t${formatLabels(md.annotations)}\n`);
  w.write(0, `Provisioner:\t${str(sc.provisioner)}\n`);
  w.write(0, `Parameters:\t${formatLabels(sc.parameters)}\n`);
  w.write(0, `AllowVolumeExpansion:\t${typeof sc.allowVolumeExpansion === 'boolean' ? (sc.allowVolumeExpansion ? 'True' : 'False') : '<unset>'}\n`);
  const options = strings(sc.mountOptions);
  if (options.length === 0) {
    w.write(0, 'MountOptions:\t<none>\n');
  } else {
    w.write(0, 'MountOptions:\n');
    for (const o of options) w.write(1, `${o}\n`);
  }
  if (isSet(sc.reclaimPolicy)) w.write(0, `ReclaimPolicy:\t${str(sc.reclaimPolicy)}\n`);
  if (isSet(sc.volumeBindingMode)) w.write(0, `VolumeBindingMode:\t${str(sc.volumeBindingMode)}\n`);
  if (isSet(sc.allowedTopologies)) {
    const terms = list(sc.allowedTopologies);
    w.write(0, 'AllowedTopologies:\t');
    w.write(0, terms.length === 0 ? '<none>\n' : '\n');
    terms.forEach((t, i) => {
      const reqs = list(t.matchLabelExpressions).map((e) => requirement(e.key, 'in', strings(e.values)));
      writeTerm(w, 1, `Term ${i}`, reqs);
    });
  }
}
