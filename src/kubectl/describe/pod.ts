/** `kubectl describe pod`, field by field as describePod writes it. */
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { podQOS, writeContainers, writeTopologySpread, writeVolumes } from './containers';
import { type DescribeWriter, controllerOf, isSet, list, meta, obj, rfc1123z, since, spec as specOf, status as statusOf, str, writeAnnotations, writeLabels, writeTolerations } from './format';

export function describePod(w: DescribeWriter, pod: KubeObject, now: number): void {
  const md = meta(pod);
  const spec = specOf(pod);
  const st = statusOf(pod);
  w.write(0, `Name:\t${str(md.name)}\n`);
  w.write(0, `Namespace:\t${str(md.namespace)}\n`);
  if (typeof spec.priority === 'number') w.write(0, `Priority:\t${spec.priority}\n`);
  if (str(spec.priorityClassName)) w.write(0, `Priority Class Name:\t${str(spec.priorityClassName)}\n`);
  if (str(spec.runtimeClassName)) w.write(0, `Runtime Class Name:\t${str(spec.runtimeClassName)}\n`);
  if (str(spec.serviceAccountName)) w.write(0, `Service Account:\t${str(spec.serviceAccountName)}\n`);
  w.write(0, str(spec.nodeName) === '' ? 'Node:\t<none>\n' : `Node:\t${str(spec.nodeName)}/${str(st.hostIP)}\n`);
  if (isSet(st.startTime)) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  writeLabels(w, 'Labels', md.labels);
  writeAnnotations(w, 'Annotations', md.annotations);
  const phase = str(st.phase);
  if (isSet(md.deletionTimestamp) && phase !== 'Failed' && phase !== 'Succeeded') {
    // The deletion timestamp lies in the future, so this reads "<invalid>" as in kubectl.
    w.write(0, `Status:\tTerminating (lasts ${since(md.deletionTimestamp, now)})\n`);
    w.write(0, `Termination Grace Period:\t${typeof md.deletionGracePeriodSeconds === 'number' ? md.deletionGracePeriodSeconds : 0}s\n`);
  } else {
    w.write(0, `Status:\t${phase}\n`);
  }
  if (str(st.reason)) w.write(0, `Reason:\t${str(st.reason)}\n`);
  if (str(st.message)) w.write(0, `Message:\t${str(st.message)}\n`);
  const seccomp = obj(obj(spec.securityContext).seccompProfile);
  if (isSet(obj(spec.securityContext).seccompProfile)) {
    w.write(0, `SeccompProfile:\t${str(seccomp.type)}\n`);
    if (str(seccomp.type) === 'Localhost') w.write(0, `LocalhostProfile:\t${str(seccomp.localhostProfile)}\n`);
  }
  w.write(0, `IP:\t${str(st.podIP)}\n`);
  const podIPs = list(st.podIPs);
  if (podIPs.length === 0) {
    w.write(0, 'IPs:\t<none>\n');
  } else {
    w.write(0, 'IPs:\n');
    for (const ip of podIPs) w.write(1, `IP:\t${str(ip.ip)}\n`);
  }
  const controller = controllerOf(pod);
  if (controller !== undefined) w.write(0, `Controlled By:\t${controller.kind}/${controller.name}\n`);
  if (str(st.nominatedNodeName)) w.write(0, `NominatedNodeName:\t${str(st.nominatedNodeName)}\n`);

  if (list(spec.initContainers).length > 0) writeContainers(w, 'Init Containers', list(spec.initContainers), list(st.initContainerStatuses), pod, '');
  writeContainers(w, 'Containers', list(spec.containers), list(st.containerStatuses), pod, '');
  if (list(spec.ephemeralContainers).length > 0) writeContainers(w, 'Ephemeral Containers', list(spec.ephemeralContainers), list(st.ephemeralContainerStatuses), pod, '');
  writeReadiness(w, pod);
  const conditions = list(st.conditions);
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(1, `${str(c.type)} \t${str(c.status)} \n`);
  }
  writeVolumes(w, list(spec.volumes), '');
  w.write(0, `QoS Class:\t${podQOS(pod)}\n`);
  writeLabels(w, 'Node-Selectors', spec.nodeSelector);
  writeTolerations(w, 'Tolerations', spec.tolerations);
  writeTopologySpread(w, list(spec.topologySpreadConstraints), '');
}

function writeReadiness(w: DescribeWriter, pod: KubeObject): void {
  const gates = list(specOf(pod).readinessGates);
  if (gates.length === 0) return;
  w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
  const conditions = list(statusOf(pod).conditions);
  for (const g of gates) {
    const found = conditions.find((c) => str(c.type) === str(g.conditionType));
    w.write(1, `${str(g.conditionType)} \t${found === undefined ? '<none>' : str(found.status)} \n`);
  }
}
