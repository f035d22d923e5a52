/** `kubectl describe job`: counts come from the Job's status, not from listing its pods. */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { humanDuration } from '../../engine/duration';
import { writePodTemplate } from './containers';
import { type DescribeWriter, controllerOf, isSet, meta, num, obj, parseTime, rfc1123z, selectorString, spec as specOf, status as statusOf, str, writeAnnotations, writeLabels } from './format';

const INDEXES_SOFT_LIMIT = 50;

/** status.completedIndexes cut after the first comma past 50 characters, or `<none>`. */
export function capIndexes(indexes: string): string {
  if (indexes === '') return '<none>';
  const comma = indexes.indexOf(',', INDEXES_SOFT_LIMIT);
  return comma < 0 ? indexes : `${indexes.slice(0, comma + 1)}...`;
}

export function describeJob(w: DescribeWriter, job: KubeObject): void {
  const md = meta(job);
  const spec = specOf(job);
  const st = statusOf(job);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  const controller = controllerOf(job);
  if (controller !== undefined) w.write(0, `Controlled By:\t${controller.kind}/${controller.name}\n`);
  if (typeof spec.parallelism === 'number') w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${typeof spec.completions === 'number' ? spec.completions : '<unset>'}\n`);
  if (isSet(spec.completionMode)) w.write(0, `Completion Mode:\t${str(spec.completionMode)}\n`);
  if (typeof spec.suspend === 'boolean') w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (typeof spec.backoffLimit === 'number') w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (typeof spec.ttlSecondsAfterFinished === 'number') w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  const start = parseTime(st.startTime);
  const completed = parseTime(st.completionTime);
  if (isSet(st.startTime)) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  if (isSet(st.completionTime)) w.write(0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
  if (start !== undefined && completed !== undefined) w.write(0, `Duration:\t${humanDuration(completed - start)}\n`);
  if (typeof spec.activeDeadlineSeconds === 'number') w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  const ready = typeof st.ready === 'number' ? ` (${st.ready} Ready)` : '';
  w.write(0, `Pods Statuses:\t${num(st.active)} Active${ready} / ${num(st.succeeded)} Succeeded / ${num(st.failed)} Failed\n`);
  if (str(spec.completionMode) === 'Indexed') w.write(0, `Completed Indexes:\t${capIndexes(str(st.completedIndexes))}\n`);
  writePodTemplate(w, obj(spec.template));
}
