import type { TrafficSample } from '../protocol';
import { useAppStore } from '../store';
import { formatAxisTime } from './replicaChart';
import { formatRate, OUTCOMES, recentSummary, RECENT_SECONDS, summaryText, trafficGeometry, type SeriesOption } from './trafficChart';
import { useElementSize } from './useElementSize';

const MARGIN = { left: 26, right: 30, top: 8, bottom: 16 };
const NO_SAMPLES: readonly TrafficSample[] = [];

/**
 * Requests per second of one Service or client workload over the last minutes of virtual
 * time, as bars stacked by outcome, with the success rate as a line on a 0–100 % scale.
 */
export function TrafficChart({ series }: { series: SeriesOption | null }) {
  const key = series?.key ?? null;
  const samples = useAppStore((s) => (key === null ? NO_SAMPLES : (s.traffic[key] ?? NO_SAMPLES)));
  const now = useAppStore((s) => s.snapshot.now);
  const [plotRef, { width, height }] = useElementSize<HTMLDivElement>();

  if (series === null) return <p className="tl-empty">No traffic yet: run a client that sends requests to a Service to chart them.</p>;
  const recent = recentSummary(samples, now);
  const g = trafficGeometry(samples, now, { width, height, ...MARGIN });
  const summary = summaryText(series.name, recent);
  return (
    <div className="tl-chart" data-testid="traffic-chart" data-series={series.key} data-rps={recent.rpsText} data-success={recent.successText ?? ''}>
      <p className="tl-chart__summary" data-testid="traffic-summary" title={`${series.label}: ${summary}`}>
        <span className="tl-chart__name">{series.name}</span>·<span className="mono tl-traffic__num">{recent.rpsText}</span> req/s ·
        <SuccessKey />
        {recent.successText === null ? (
          'no requests'
        ) : (
          <>
            <span className="mono tl-traffic__num">{recent.successText}</span> ok
          </>
        )}
        <span className="tl-traffic__span">(last {RECENT_SECONDS} s)</span>
      </p>
      <ul className="tl-traffic__legend" aria-label="Outcomes" data-testid="traffic-legend">
        {OUTCOMES.map((o) => (
          <li key={o.key}>
            <span className={`tl-traffic__swatch tl-traffic--${o.key}`} aria-hidden="true" />
            {o.label}
          </li>
        ))}
      </ul>
      <div className="tl-chart__plot" ref={plotRef}>
        {width > 0 && height > 0 ? (
          <svg width={width} height={height} role="img" aria-label={`${series.label}: ${summary}; chart from ${formatAxisTime(g.start)} to ${formatAxisTime(g.end)}`}>
            {g.yTicks.map((t) => (
              <g key={`y${t.value}`}>
                <line x1={MARGIN.left} x2={width - MARGIN.right} y1={t.y} y2={t.y} className="tl-chart__grid" />
                <text x={MARGIN.left - 4} y={t.y} className="tl-chart__tick" textAnchor="end" dominantBaseline="middle">
                  {formatRate(t.value)}
                </text>
              </g>
            ))}
            {g.successTicks.map((t) => (
              <text key={`p${t.percent}`} x={width - MARGIN.right + 3} y={t.y} className="tl-chart__tick tl-traffic__pct" dominantBaseline="middle">
                {t.percent}%
              </text>
            ))}
            {g.xTicks.map((t) => (
              <text key={`x${t.atMs}`} x={t.x} y={height - 3} className="tl-chart__tick" textAnchor={t.x > width - MARGIN.right - 14 ? 'end' : 'middle'}>
                {formatAxisTime(t.atMs)}
              </text>
            ))}
            {g.layers.map((l) => (
              <path key={l.key} d={l.d} className={`tl-traffic__bars tl-traffic--${l.key}`} />
            ))}
            <path d={g.success} className="tl-traffic__success" />
          </svg>
        ) : null}
      </div>
    </div>
  );
}

/** The success line's style, next to its number. */
function SuccessKey() {
  return (
    <svg className="tl-chart__key" width="16" height="6" aria-hidden="true">
      <line x1="0" y1="3" x2="16" y2="3" className="tl-traffic__success" />
    </svg>
  );
}
