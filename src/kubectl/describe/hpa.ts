/**
 * `kubectl describe horizontalpodautoscaler` (autoscaling/v2): one line per metric as
 * "current / target", the scaling behavior when set, replica counts and conditions.
 */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { type DescribeWriter, type Obj, isSet, list, meta, num, obj, rfc1123z, spec as specOf, status as statusOf, str, writeAnnotations, writeLabels } from './format';
import { canonical } from './quantity';

/** Quantity.String() of an optional quantity; a nil one prints `<nil>`. */
const qty = (v: unknown): string => (isSet(v) ? canonical(v) : '<nil>');

/** Go's %q, enough for metric names. */
const quoted = (s: string): string => JSON.stringify(s);

/** The `source` part (resource, pods, …) of the i-th current metric, if the HPA reports one. */
function current(hpa: KubeObject, i: number, source: string): Obj | undefined {
  const m = list(statusOf(hpa).currentMetrics)[i];
  return m !== undefined && isSet(m[source]) ? obj(obj(m[source]).current) : undefined;
}

/** Resource and ContainerResource metrics: an average value, or a utilization of the request. */
function writeResourceMetric(w: DescribeWriter, hpa: KubeObject, i: number, source: string, label: string, target: Obj): void {
  w.write(1, label);
  const cur = current(hpa, i, source);
  if (isSet(target.averageValue)) {
    w.write(0, `:\t${cur === undefined ? '<unknown>' : qty(cur.averageValue)} / ${qty(target.averageValue)}\n`);
    return;
  }
  const now = cur !== undefined && typeof cur.averageUtilization === 'number' ? `${cur.averageUtilization}% (${qty(cur.averageValue)})` : '<unknown>';
  const want = typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>';
  // kubectl writes this half at level 1 too, hence the two spaces in the middle of the line.
  w.write(1, `(as a percentage of request):\t${now} / ${want}\n`);
}

function writeMetric(w: DescribeWriter, hpa: KubeObject, m: Obj, i: number): void {
  const type = str(m.type);
  switch (type) {
    case 'External': {
      const ext = obj(m.external);
      const target = obj(ext.target);
      const name = quoted(str(obj(ext.metric).name));
      const cur = current(hpa, i, 'external');
      if (isSet(target.averageValue)) {
        const now = cur !== undefined && isSet(cur.averageValue) ? qty(cur.averageValue) : '<unknown>';
        w.write(1, `${name} (target average value):\t${now} / ${qty(target.averageValue)}\n`);
      } else {
        w.write(1, `${name} (target value):\t${cur === undefined ? '<unknown>' : qty(cur.value)} / ${qty(target.value)}\n`);
      }
      return;
    }
    case 'Pods': {
      const pods = obj(m.pods);
      const cur = current(hpa, i, 'pods');
      w.write(1, `${quoted(str(obj(pods.metric).name))} on pods:\t${cur === undefined ? '<unknown>' : qty(cur.averageValue)} / ${qty(obj(pods.target).averageValue)}\n`);
      return;
    }
    case 'Object': {
      const o = obj(m.object);
      const target = obj(o.target);
      const described = obj(o.describedObject);
      const cur = current(hpa, i, 'object');
      w.write(1, `"${str(obj(o.metric).name)}" on ${str(described.kind)}/${str(described.name)} `);
      if (str(target.type) === 'AverageValue') w.write(0, `(target average value):\t${cur === undefined ? '<unknown>' : qty(cur.averageValue)} / ${qty(target.averageValue)}\n`);
      else w.write(0, `(target value):\t${cur === undefined ? '<unknown>' : qty(cur.value)} / ${qty(target.value)}\n`);
      return;
    }
    case 'Resource': {
      const r = obj(m.resource);
      writeResourceMetric(w, hpa, i, 'resource', `resource ${str(r.name)} on pods`, obj(r.target));
      return;
    }
    case 'ContainerResource': {
      const r = obj(m.containerResource);
      writeResourceMetric(w, hpa, i, 'containerResource', `resource ${str(r.name)} of container "${str(r.container)}" on pods`, obj(r.target));
      return;
    }
    default:
      w.write(1, `<unknown metric type ${quoted(type)}>\n`);
  }
}

function writeDirection(w: DescribeWriter, direction: string, rules: unknown): void {
  if (!isSet(rules)) return;
  const r = obj(rules);
  w.write(1, `${direction}:\n`);
  if (typeof r.stabilizationWindowSeconds === 'number') w.write(2, `Stabilization Window: ${r.stabilizationWindowSeconds} seconds\n`);
  const policies = list(r.policies);
  if (policies.length === 0) return;
  w.write(2, `Select Policy: ${str(r.selectPolicy) || 'Max'}\n`);
  w.write(2, 'Policies:\n');
  for (const p of policies) w.write(3, `- Type: ${str(p.type)}\tValue: ${num(p.value)}\tPeriod: ${num(p.periodSeconds)} seconds\n`);
}

export function describeHorizontalPodAutoscaler(w: DescribeWriter, hpa: KubeObject): void {
  const md = meta(hpa);
  const spec = specOf(hpa);
  const st = statusOf(hpa);
  const target = obj(spec.scaleTargetRef);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(md.creationTimestamp)}\n`);
  w.write(0, `Reference:\t${str(target.kind)}/${str(target.name)}\n`);
  w.write(0, 'Metrics:\t( current / target )\n');
  list(spec.metrics).forEach((m, i) => writeMetric(w, hpa, m, i));
  w.write(0, `Min replicas:\t${typeof spec.minReplicas === 'number' ? spec.minReplicas : '<unset>'}\n`);
  w.write(0, `Max replicas:\t${num(spec.maxReplicas)}\n`);
  if (isSet(spec.behavior)) {
    const behavior = obj(spec.behavior);
    w.write(0, 'Behavior:\n');
    writeDirection(w, 'Scale Up', behavior.scaleUp);
    writeDirection(w, 'Scale Down', behavior.scaleDown);
  }
  w.write(0, `${str(target.kind)} pods:\t${num(st.currentReplicas)} current / ${num(st.desiredReplicas)} desired\n`);
  const conditions = list(st.conditions);
  if (conditions.length === 0) return;
  w.write(0, 'Conditions:\n');
  w.write(1, 'Type\tStatus\tReason\tMessage\n');
  w.write(1, '----\t------\t------\t-------\n');
  for (const c of conditions) w.write(1, `${str(c.type)}\t${str(c.status)}\t${str(c.reason)}\t${str(c.message)}\n`);
}
