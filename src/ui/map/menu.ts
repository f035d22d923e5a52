import type { ObjectRef, SessionAction } from '../protocol';

/** What a menu item does: an action that goes through runAction (and so shows in the console), or selecting an object for the inspector. */
export type MenuEffect = { readonly action: SessionAction } | { readonly inspect: ObjectRef };

export interface MenuItem {
  readonly label: string;
  readonly effect: MenuEffect;
  /** Changes the cluster in a way that loses work (a killed host, deleted pods). */
  readonly danger?: boolean;
  readonly disabled?: boolean;
  /** Why it is disabled, or what it will do. */
  readonly hint?: string;
}

export type MenuTarget = { readonly kind: 'node'; readonly node: string } | { readonly kind: 'pod'; readonly namespace: string; readonly name: string; readonly node: string };

export interface NodeMenuState {
  readonly name: string;
  readonly alive: boolean;
  /** null before the model knows the node. */
  readonly kubeletRunning: boolean | null;
  readonly unschedulable: boolean;
}

const fault = (f: Extract<SessionAction, { type: 'fault' }>['fault']): MenuEffect => ({ action: { type: 'fault', fault: f } });
const kubectl = (command: string): MenuEffect => ({ action: { type: 'kubectl', command } });

export function nodeMenu(n: NodeMenuState): MenuItem[] {
  const down = n.alive ? undefined : 'The host is off';
  return [
    { label: 'Inspect', effect: { inspect: { kind: 'Node', namespace: '', name: n.name } } },
    n.alive
      ? { label: 'Kill', effect: fault({ kill: n.name }), danger: true, hint: 'Power the host off' }
      : { label: 'Restart', effect: fault({ restart: n.name }), hint: 'Power the host on again' },
    n.kubeletRunning === false
      ? { label: 'Start kubelet', effect: fault({ startKubelet: n.name }), disabled: !n.alive, hint: down ?? 'systemctl start kubelet' }
      : { label: 'Stop kubelet', effect: fault({ stopKubelet: n.name }), disabled: !n.alive, hint: down ?? 'systemctl stop kubelet: its containers keep running' },
    n.unschedulable
      ? { label: 'Uncordon', effect: kubectl(`uncordon ${n.name}`), hint: 'Let the scheduler place pods here again' }
      : { label: 'Cordon', effect: kubectl(`cordon ${n.name}`), hint: 'Mark the node unschedulable' },
    { label: 'Drain', effect: kubectl(`drain ${n.name} --ignore-daemonsets --delete-emptydir-data --force`), danger: true, hint: 'Cordon, then evict its pods' },
    { label: 'Isolate', effect: fault({ isolate: n.name }), danger: true, hint: 'Cut it off from every other node' },
  ];
}

export function podMenu(p: { readonly namespace: string; readonly name: string }): MenuItem[] {
  return [
    { label: 'Inspect', effect: { inspect: { kind: 'Pod', namespace: p.namespace, name: p.name } } },
    { label: 'Delete', effect: kubectl(`delete pod ${p.name} -n ${p.namespace} --wait=false`), danger: true },
    {
      label: 'Crash container',
      effect: { action: { type: 'crashContainer', namespace: p.namespace, pod: p.name } },
      danger: true,
      hint: 'Kill the main process of its container',
    },
  ];
}
