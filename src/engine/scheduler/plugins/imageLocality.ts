import type { Plugin } from '../framework';
import { MAX_NODE_SCORE } from './helpers';

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** An image without a tag means ":latest"; names are otherwise compared as node.status.images lists them. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/**
 * ImageLocality: nodes that already hold the pod's images score higher, by image size scaled by
 * the share of nodes that have it (so a widely spread image does not pull every pod to one node),
 * between 23 MiB (0) and 1000 MiB per container (100).
 */
export const imageLocality: Plugin = {
  name: 'ImageLocality',
  preScore: (cycle) => {
    const containers = [...(cycle.pod.spec.initContainers ?? []), ...(cycle.pod.spec.containers ?? [])];
    const totalNodes = cycle.nodes.length;
    const maxThreshold = MAX_CONTAINER_THRESHOLD * Math.max(1, containers.length);
    return {
      score: (node) => {
        let sum = 0;
        for (const c of containers) {
          const name = normalizedImageName(c.image ?? '');
          const size = node.images.get(name);
          if (size !== undefined) sum += Math.trunc(size * ((cycle.imageSpread.get(name) ?? 1) / totalNodes));
        }
        const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), maxThreshold);
        return Math.floor((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
      },
    };
  },
};
