/** `kubectl describe persistentvolumeclaim`, with the pods using the claim. */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { type DescribeWriter, byteOrder, goList, isSet, list, meta, obj, rfc1123z, since, spec as specOf, status as statusOf, str, strings, writeAnnotations, writeLabels } from './format';
import { accessModes } from '../printers';
import { canonical } from './quantity';
import { claimClass } from './workloads';

/** The pods of the claim's namespace that mount it, then pods owning it (ephemeral volumes), each once. */
export function podsUsing(pvc: KubeObject, pods: readonly KubeObject[]): KubeObject[] {
  const name = str(pvc.metadata.name);
  const inNamespace = pods.filter((p) => str(p.metadata.namespace) === str(pvc.metadata.namespace));
  const using: KubeObject[] = [];
  for (const p of inNamespace) {
    for (const v of list(specOf(p).volumes)) if (str(obj(v.persistentVolumeClaim).claimName) === name) using.push(p);
  }
  for (const ref of pvc.metadata.ownerReferences ?? []) {
    if (ref.kind !== 'Pod') continue;
    const owner = inNamespace.find((p) => str(p.metadata.uid) === ref.uid);
    if (owner !== undefined && !using.some((p) => str(p.metadata.uid) === ref.uid)) using.push(owner);
  }
  return using;
}

export function describePVC(w: DescribeWriter, pvc: KubeObject, pods: readonly KubeObject[], now: number): void {
  const md = meta(pvc);
  const spec = specOf(pvc);
  const st = statusOf(pvc);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  w.write(0, `StorageClass:\t${claimClass(pvc)}\n`);
  // The deletion timestamp lies in the future, so this reads "<invalid>" as in kubectl.
  w.write(0, isSet(md.deletionTimestamp) ? `Status:\tTerminating (lasts ${since(md.deletionTimestamp, now)})\n` : `Status:\t${str(st.phase)}\n`);
  w.write(0, `Volume:\t${str(spec.volumeName)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  w.write(0, `Finalizers:\t${goList(strings(md.finalizers))}\n`);
  // Capacity and access modes are only known once the claim is bound to a volume.
  const bound = str(spec.volumeName) !== '';
  w.write(0, `Capacity:\t${bound ? canonical(obj(st.capacity).storage ?? '0') : ''}\n`);
  w.write(0, `Access Modes:\t${bound ? accessModes(st.accessModes) : ''}\n`);
  if (isSet(spec.volumeMode)) w.write(0, `VolumeMode:\t${str(spec.volumeMode)}\n`);
  if (isSet(spec.dataSource)) {
    const ds = obj(spec.dataSource);
    w.write(0, 'DataSource:\n');
    if (isSet(ds.apiGroup)) w.write(1, `APIGroup:\t${str(ds.apiGroup)}\n`);
    w.write(1, `Kind:\t${str(ds.kind)}\n`);
    w.write(1, `Name:\t${str(ds.name)}\n`);
  }
  const users = podsUsing(pvc, pods).sort((a, b) => byteOrder(str(a.metadata.name), str(b.metadata.name)));
  w.write(0, 'Used By:\t');
  if (users.length === 0) w.write(0, '<none>\n');
  users.forEach((p, i) => w.write(0, `${i > 0 ? '\t' : ''}${str(p.metadata.name)}\n`));
  const conditions = list(st.conditions);
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conditions) {
      w.write(1, `${str(c.type)} \t${str(c.status)} \t${rfc1123z(c.lastProbeTime)} \t${rfc1123z(c.lastTransitionTime)} \t${str(c.reason)} \t${str(c.message)}\n`);
    }
  }
}
