import type { Plugin } from '../framework';
import { toleratedBy, unresolvable } from './helpers';

/** A cordoned node (spec.unschedulable) takes only pods that tolerate the unschedulable taint. */
export const nodeUnschedulable: Plugin = {
  name: 'NodeUnschedulable',
  preFilter: (cycle) => {
    const tolerations = cycle.pod.spec.tolerations ?? [];
    const tolerant = toleratedBy(tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
    return { filter: (node) => (node.unschedulable && !tolerant ? unresolvable('node(s) were unschedulable') : undefined) };
  },
};
