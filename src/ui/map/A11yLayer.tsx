import { memo, type FocusEvent, type MouseEvent, type RefObject } from 'react';
import type { A11yMap, A11yNode, A11yPod } from './a11y';

/** What a button of the layer asks of the map: open its menu (keyboard), show or clear its focus ring. */
export interface LayerHandlers {
  onActivate: (e: MouseEvent<HTMLButtonElement>) => void;
  onFocus: (e: FocusEvent<HTMLButtonElement>) => void;
  onBlur: (e: FocusEvent<HTMLButtonElement>) => void;
}

interface A11yLayerProps extends LayerHandlers {
  map: A11yMap;
  width: number;
  height: number;
  layerRef: RefObject<HTMLDivElement | null>;
}

/**
 * Transparent buttons over the canvas, one per node card and per pod chip, in a layer that
 * the zoom transform moves with the drawing. Screen readers and the keyboard reach the map
 * through them, end-to-end tests find nodes and pods by their data attributes, and a click
 * lands on the object under the pointer.
 */
export function A11yLayer({ map, width, height, layerRef, ...handlers }: A11yLayerProps) {
  return (
    <div ref={layerRef} className="cluster-map__layer" style={{ width, height }} role="group" aria-label="Nodes and pods by zone">
      {map.zones.map((z) => (
        <div
          key={z.name}
          className="cluster-map__zone"
          style={{ left: z.x, top: z.y, width: z.w, height: z.h }}
          role="group"
          aria-label={z.label}
          data-testid="zone"
          data-zone={z.name}
        >
          {z.nodes.map(({ node, pods }) => (
            <NodeEntry key={node.name} node={node} pods={pods} handlers={handlers} />
          ))}
        </div>
      ))}
    </div>
  );
}

function NodeEntry({ node, pods, handlers }: { node: A11yNode; pods: readonly A11yPod[]; handlers: LayerHandlers }) {
  return (
    <>
      <NodeButton {...node} {...handlers} />
      {pods.map((p) => (
        <PodButton key={p.uid} {...p} {...handlers} />
      ))}
    </>
  );
}

const NodeButton = memo(function NodeButton(p: A11yNode & LayerHandlers) {
  return (
    <button
      type="button"
      className="cluster-map__hit"
      style={{ left: p.x, top: p.y, width: p.w, height: p.h }}
      aria-label={p.label}
      aria-haspopup="true"
      data-testid="node"
      data-node={p.name}
      data-role={p.role}
      data-zone={p.zone}
      data-alive={String(p.alive)}
      data-ready={p.ready}
      data-status={p.status}
      data-unschedulable={String(p.unschedulable)}
      data-kubelet={p.kubelet}
      data-group={p.group}
      data-raft-role={p.raftRole === '' ? undefined : p.raftRole}
      data-term={p.term === '' ? undefined : p.term}
      onClick={p.onActivate}
      onFocus={p.onFocus}
      onBlur={p.onBlur}
    />
  );
});

const PodButton = memo(function PodButton(p: A11yPod & LayerHandlers) {
  return (
    <button
      type="button"
      className="cluster-map__hit cluster-map__hit--pod"
      style={{ left: p.x, top: p.y, width: p.size, height: p.size }}
      {...podButtonProps(p)}
      onClick={p.onActivate}
      onFocus={p.onFocus}
      onBlur={p.onBlur}
    />
  );
});

/** The attributes every pod button carries, on the map or in the pending tray. */
export function podButtonProps(p: A11yPod) {
  return {
    'aria-label': p.label,
    'aria-haspopup': 'true' as const,
    'data-testid': 'pod',
    'data-pod': p.name,
    'data-namespace': p.namespace,
    'data-node': p.node,
    'data-phase': p.phase,
    'data-status': p.status,
    'data-ready': String(p.ready),
    'data-owner': p.owner,
  };
}
