/** `kubectl describe poddisruptionbudget` (policy/v1). */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { type DescribeWriter, formatLabelSelector, intOrString, isSet, meta, num, spec as specOf, status as statusOf, str } from './format';

export function describePodDisruptionBudget(w: DescribeWriter, pdb: KubeObject): void {
  const md = meta(pdb);
  const spec = specOf(pdb);
  const st = statusOf(pdb);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  if (isSet(spec.minAvailable)) w.write(0, `Min available:\t${intOrString(spec.minAvailable)}\n`);
  else if (isSet(spec.maxUnavailable)) w.write(0, `Max unavailable:\t${intOrString(spec.maxUnavailable)}\n`);
  w.write(0, `Selector:\t${isSet(spec.selector) ? formatLabelSelector(spec.selector) : '<unset>'}\n`);
  w.write(0, 'Status:\n');
  w.write(2, `Allowed disruptions:\t${num(st.disruptionsAllowed)}\n`);
  w.write(2, `Current:\t${num(st.currentHealthy)}\n`);
  w.write(2, `Desired:\t${num(st.desiredHealthy)}\n`);
  w.write(2, `Total:\t${num(st.expectedPods)}\n`);
}
