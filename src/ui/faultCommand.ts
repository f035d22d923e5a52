import type { Fault } from '../engine';

/**
 * The console's words for faults, so every button on the map has a command a learner can
 * type (and sees echoed when they click). They read as describeFault prints them:
 *
 *   kill worker-2 · restart zone-b · isolate master-1 · heal
 *   partition zone-a, zone-b | zone-c
 *   ssh worker-1 systemctl stop kubelet · ssh worker-1 systemctl start kubelet
 */
export type FaultParse = { readonly fault: Fault } | { readonly error: string } | null;

const USAGE = `fault commands:
  kill NODE|ZONE          power a node (or every node of a zone) off
  restart NODE|ZONE       power it on again (a fresh boot: its kubelet and, on a master, etcd start again)
  isolate NODE            cut one node off from every other
  partition A, B | C      split the network into groups (nodes or zones, comma-separated; groups split by |)
  heal                    remove every partition and link fault
  ssh NODE systemctl stop|start kubelet`;

/** Parses a fault command; null when the line is not one (it may be kubectl or etcdctl). */
export function parseFaultCommand(line: string): FaultParse {
  const words = line.trim().split(/\s+/);
  const [verb, ...rest] = words;
  switch (verb) {
    case 'kill':
    case 'restart':
    case 'isolate': {
      if (rest.length !== 1 || rest[0] === '') return { error: `usage: ${verb} NODE${verb === 'isolate' ? '' : '|ZONE'}\n\n${USAGE}` };
      const target = rest[0] as string;
      return { fault: verb === 'kill' ? { kill: target } : verb === 'restart' ? { restart: target } : { isolate: target } };
    }
    case 'heal':
      if (rest.length === 0 || (rest.length === 1 && rest[0] === 'all')) return { fault: { heal: 'all' } };
      if (rest.length === 1 && (rest[0] === 'partitions' || rest[0] === 'links')) return { fault: { heal: rest[0] } };
      return { error: `usage: heal [all|partitions|links]\n\n${USAGE}` };
    case 'partition': {
      const body = line.trim().slice('partition'.length);
      // describeFault writes groups as "[a, b] | [c]"; typing them bare works too.
      const groups = body.split('|').map((g) => g.replace(/[[\]]/g, '').split(/[\s,]+/).filter((w) => w !== ''));
      if (groups.length < 2 || groups.some((g) => g.length === 0)) return { error: `usage: partition A, B | C\n\n${USAGE}` };
      return { fault: { partition: groups } };
    }
    case 'ssh': {
      const [host, ...cmd] = rest;
      if (host === undefined) return { error: `usage: ssh NODE systemctl stop|start kubelet\n\n${USAGE}` };
      const c = cmd.join(' ');
      if (c === 'systemctl stop kubelet') return { fault: { stopKubelet: host } };
      if (c === 'systemctl start kubelet' || c === 'systemctl restart kubelet') return { fault: { startKubelet: host } };
      return { error: `ssh ${host}: only "systemctl stop kubelet" and "systemctl start kubelet" are simulated` };
    }
    case 'stop':
    case 'start':
      // describeFault's "stop kubelet on worker-1".
      if (rest[0] === 'kubelet' && rest[1] === 'on' && rest.length === 3) {
        const host = rest[2] as string;
        return { fault: verb === 'stop' ? { stopKubelet: host } : { startKubelet: host } };
      }
      return null;
    default:
      return null;
  }
}

/** What the console echoes for a fault, in the words parseFaultCommand reads. */
export function faultCommand(fault: Fault): string {
  if ('kill' in fault) return `kill ${fault.kill}`;
  if ('restart' in fault) return `restart ${fault.restart}`;
  if ('isolate' in fault) return `isolate ${fault.isolate}`;
  if ('heal' in fault) return fault.heal === 'all' ? 'heal' : `heal ${fault.heal}`;
  if ('partition' in fault) return `partition ${fault.partition.map((g) => g.join(', ')).join(' | ')}`;
  if ('stopKubelet' in fault) return `ssh ${fault.stopKubelet} systemctl stop kubelet`;
  if ('startKubelet' in fault) return `ssh ${fault.startKubelet} systemctl start kubelet`;
  return JSON.stringify(fault);
}

export const FAULT_HELP = USAGE;
