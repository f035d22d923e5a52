import type { Container, Plugin, PodSpec } from '../framework';
import { unschedulable } from './helpers';

interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** The host ports a pod's containers claim (an empty hostIP binds all addresses, an empty protocol is TCP). */
export function hostPorts(spec: PodSpec): HostPort[] {
  return (spec.containers ?? ([] as Container[])).flatMap((c) =>
    (c.ports ?? [])
      .filter((p) => (p.hostPort ?? 0) > 0)
      .map((p) => ({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort ?? 0 })),
  );
}

/** HostPortInfo.CheckConflict: same protocol and port, on the same address or where either side binds 0.0.0.0. */
function conflicts(want: HostPort, used: readonly HostPort[]): boolean {
  return used.some(
    (u) => u.protocol === want.protocol && u.port === want.port && (want.ip === '0.0.0.0' || u.ip === '0.0.0.0' || u.ip === want.ip),
  );
}

/** A host port already taken on the node rules it out (preemption could free it). */
export const nodePorts: Plugin = {
  name: 'NodePorts',
  preFilter: (cycle) => {
    const wanted = hostPorts(cycle.pod.spec);
    if (wanted.length === 0) return 'skip';
    return {
      filter: (node) => {
        const used = node.pods.flatMap((p) => hostPorts(p.spec));
        return wanted.some((w) => conflicts(w, used)) ? unschedulable("node(s) didn't have free ports for the requested pod ports") : undefined;
      },
    };
  },
};
