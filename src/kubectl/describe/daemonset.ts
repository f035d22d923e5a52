/** `kubectl describe daemonset`: node counts from status, pod phases from the pods it controls. */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { writePodTemplate } from './containers';
import { type DescribeWriter, formatLabels, isControlledBy, meta, num, obj, selectorString, spec as specOf, status as statusOf, str, writeAnnotations, writeLabels } from './format';

/** Running / Waiting / Succeeded / Failed among the pods `owner` controls (orphans and other owners' pods skipped). */
export function podPhaseCounts(owner: KubeObject, pods: readonly KubeObject[]): string {
  const n = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 };
  for (const p of pods) {
    const phase = str(statusOf(p).phase);
    if (isControlledBy(p, owner) && phase in n) n[phase as keyof typeof n]++;
  }
  return `${n.Running} Running / ${n.Pending} Waiting / ${n.Succeeded} Succeeded / ${n.Failed} Failed`;
}

export function describeDaemonSet(w: DescribeWriter, ds: KubeObject, pods: readonly KubeObject[]): void {
  const md = meta(ds);
  const spec = specOf(ds);
  const st = statusOf(ds);
  const template = obj(spec.template);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
  w.write(0, `Node-Selector:\t${formatLabels(obj(template.spec).nodeSelector)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  // No tab in these five: each stands alone, outside the alignment of the lines around it.
  w.write(0, `Desired Number of Nodes Scheduled: ${num(st.desiredNumberScheduled)}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${num(st.currentNumberScheduled)}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${num(st.updatedNumberScheduled)}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${num(st.numberAvailable)}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${num(st.numberMisscheduled)}\n`);
  w.write(0, `Pods Status:\t${podPhaseCounts(ds, pods)}\n`);
  writePodTemplate(w, template);
}
