/**
 * The short describers kubectl has for ConfigMaps, Secrets and Namespaces (without them
 * these kinds would fall to the generic describer, which kubectl never uses for them).
 */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { decodeBase64 } from '../../engine/encoding';
import { type DescribeWriter, byteOrder, list, meta, obj, rfc1123z, status as statusOf, str, writeAnnotations, writeLabels } from './format';

/** ConfigMap: each key, a `----` rule and its value; binary keys by size. (kubectl 1.31 walks a Go map; sorted here.) */
export function describeConfigMap(w: DescribeWriter, cm: KubeObject): void {
  const md = meta(cm);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  w.write(0, '\nData\n====\n');
  const data = obj(cm.data);
  for (const k of Object.keys(data).sort(byteOrder)) {
    w.write(0, `${k}:\n----\n`);
    w.write(0, `${str(data[k])}\n`);
    w.write(0, '\n');
  }
  w.write(0, '\nBinaryData\n====\n');
  const binary = obj(cm.binaryData);
  for (const k of Object.keys(binary).sort(byteOrder)) w.write(0, `${k}: ${base64Length(str(binary[k]))} bytes\n`);
  w.write(0, '\n');
}

const base64Length = (b64: string): number => {
  const clean = b64.replace(/\s/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - padding;
};

/** Secret: type, then each key with its size (a service account token is shown). No events. */
export function describeSecret(w: DescribeWriter, secret: KubeObject): void {
  const md = meta(secret);
  const type = str(secret.type) || 'Opaque';
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  w.write(0, `\nType:\t${type}\n`);
  w.write(0, '\nData\n====\n');
  const data = obj(secret.data);
  for (const k of Object.keys(data).sort(byteOrder)) {
    const value = str(data[k]);
    if (k === 'token' && type === 'kubernetes.io/service-account-token') w.write(0, `${k}:\t${decodeBase64(value)}\n`);
    else w.write(0, `${k}:\t${base64Length(value)} bytes\n`);
  }
}

/** Namespace: its status and conditions, then quotas and limit ranges (none exist in Kubeplay). No events. */
export function describeNamespace(w: DescribeWriter, ns: KubeObject): void {
  const md = meta(ns);
  w.write(0, `Name:\t${str(md.name)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  const st = statusOf(ns);
  w.write(0, `Status:\t${str(st.phase) || 'Active'}\n`);
  const conditions = list(st.conditions);
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t------------------\t------\t-------\n');
    for (const c of conditions) w.write(1, `${str(c.type)}\t${str(c.status)}\t${rfc1123z(c.lastTransitionTime)}\t${str(c.reason)}\t${str(c.message)}\n`);
  }
  w.write(0, '\n');
  w.write(0, 'No resource quota.\n');
  w.write(0, '\n');
  w.write(0, 'No LimitRange resource.\n');
}
