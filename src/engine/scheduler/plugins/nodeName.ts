import type { Plugin } from '../framework';
import { unresolvable } from './helpers';

/** A pod that names its node (spec.nodeName) fits only there. */
export const nodeName: Plugin = {
  name: 'NodeName',
  preFilter: (cycle) => {
    const wanted = cycle.pod.spec.nodeName ?? '';
    return {
      filter: (node) => (wanted === '' || wanted === node.name ? undefined : unresolvable("node(s) didn't match the requested node name")),
    };
  },
};
