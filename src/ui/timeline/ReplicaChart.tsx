import type { ReplicaSample, WorkloadModel } from '../protocol';
import { useAppStore } from '../store';
import { chartGeometry, formatAxisTime, workloadKey } from './replicaChart';
import { useElementSize } from './useElementSize';

const MARGIN = { left: 24, right: 8, top: 8, bottom: 16 };
const NO_SAMPLES: readonly ReplicaSample[] = [];

/** Desired (dashed) and ready (solid) replicas of one workload over the last minutes of virtual time. */
export function ReplicaChart({ workload }: { workload: WorkloadModel | null }) {
  const key = workload === null ? null : workloadKey(workload);
  const samples = useAppStore((s) => (key === null ? NO_SAMPLES : (s.samples[key] ?? NO_SAMPLES)));
  const now = useAppStore((s) => s.snapshot.now);
  const [plotRef, { width, height }] = useElementSize<HTMLDivElement>();

  if (workload === null) return <p className="tl-empty">No Deployment, ReplicaSet, StatefulSet or DaemonSet yet: apply one to chart its replicas.</p>;
  const g = chartGeometry(samples, now, { width, height, ...MARGIN });
  const summary = `${workload.name}: ${workload.desired} desired / ${workload.ready} ready`;
  return (
    <div className="tl-chart" data-testid="replica-chart" data-workload={key} data-desired={workload.desired} data-ready={workload.ready}>
      <p className="tl-chart__summary" data-testid="replica-summary" title={`${workload.kind} ${workload.namespace}/${workload.name}`}>
        <span className="tl-chart__name">{workload.name}:</span>
        <LegendLine kind="desired" />
        <span className="mono">{workload.desired}</span> desired
        <LegendLine kind="ready" />
        <span className="mono">{workload.ready}</span> ready
      </p>
      <div className="tl-chart__plot" ref={plotRef}>
        {width > 0 && height > 0 ? (
          <svg width={width} height={height} role="img" aria-label={`${summary}, from ${formatAxisTime(g.start)} to ${formatAxisTime(g.end)}`}>
            {g.yTicks.map((t) => (
              <g key={`y${t.value}`}>
                <line x1={MARGIN.left} x2={width - MARGIN.right} y1={t.y} y2={t.y} className="tl-chart__grid" />
                <text x={MARGIN.left - 4} y={t.y} className="tl-chart__tick" textAnchor="end" dominantBaseline="middle">
                  {t.value}
                </text>
              </g>
            ))}
            {g.xTicks.map((t) => (
              <text key={`x${t.atMs}`} x={t.x} y={height - 3} className="tl-chart__tick" textAnchor={t.x > width - MARGIN.right - 14 ? 'end' : 'middle'}>
                {formatAxisTime(t.atMs)}
              </text>
            ))}
            <path d={g.ready} className="tl-chart__ready" />
            <path d={g.desired} className="tl-chart__desired" />
          </svg>
        ) : null}
      </div>
    </div>
  );
}

/** The line style of a series, next to its number: the chart's legend. */
function LegendLine({ kind }: { kind: 'desired' | 'ready' }) {
  return (
    <svg className="tl-chart__key" width="16" height="6" aria-hidden="true">
      <line x1="0" y1="3" x2="16" y2="3" className={`tl-chart__${kind}`} />
    </svg>
  );
}
