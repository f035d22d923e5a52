import { describe, expect, it } from 'vitest';
import type { TrafficSample } from '../protocol';
import {
  chartChoice,
  chooseSeries,
  formatRate,
  formatSuccess,
  niceCeil,
  recentSummary,
  seriesOption,
  seriesOptions,
  shownChart,
  summaryText,
  trafficGeometry,
} from './trafficChart';

function second(t: number, requests: number, failures: Partial<Omit<TrafficSample, 't' | 'requests' | 'ok'>> = {}): TrafficSample {
  const failed = (failures.dns ?? 0) + (failures.refused ?? 0) + (failures.timeout ?? 0) + (failures.error ?? 0);
  return { t, requests, ok: requests - failed, dns: 0, refused: 0, timeout: 0, error: 0, ...failures };
}

const size = { width: 310, height: 110, left: 10, right: 0, top: 10, bottom: 0 };

describe('series', () => {
  it('names Services by namespace/name and clients as kubectl writes TYPE/NAME', () => {
    expect(seriesOption('service/default/web')).toEqual({ key: 'service/default/web', kind: 'service', label: 'Service default/web', name: 'web' });
    expect(seriesOption('client/default/deployment/loadgen')?.label).toBe('Client deployment/loadgen');
    expect(seriesOption('client/shop/pod/check')?.label).toBe('Client pod/check (shop)');
    expect(seriesOption(`outside/${encodeURIComponent('http://worker-1:30080/')}`)).toMatchObject({ kind: 'outside', label: 'From outside http://worker-1:30080/', name: 'worker-1:30080' });
    expect(seriesOption('outside/%E0%A4%A')).toBeNull();
    expect(seriesOption('something/else')).toBeNull();
  });

  const outside = `outside/${encodeURIComponent('http://worker-1:30080/')}`;
  const traffic = {
    [outside]: [second(1_000, 50)],
    'client/default/deployment/loadgen': [second(1_000, 30)],
    'service/default/web': [second(1_000, 10)],
    'service/default/db': [second(1_000, 20)],
    'service/default/idle': [],
  };
  const options = seriesOptions(traffic);

  it('lists Services first, then clients, then loads from outside, each kind by name, and only series with samples', () => {
    expect(options.map((o) => o.key)).toEqual(['service/default/db', 'service/default/web', 'client/default/deployment/loadgen', outside]);
  });

  it('charts the pick, else the selected object’s series, else the busiest Service', () => {
    expect(chooseSeries(options, traffic, null, null)).toBe('service/default/db');
    expect(chooseSeries(options, traffic, null, 'client/default/deployment/loadgen')).toBe('client/default/deployment/loadgen');
    expect(chooseSeries(options, traffic, { kind: 'Service', namespace: 'default', name: 'web' }, null)).toBe('service/default/web');
    expect(chooseSeries(options, traffic, { kind: 'Deployment', namespace: 'default', name: 'loadgen' }, null)).toBe('client/default/deployment/loadgen');
    expect(chooseSeries(options, traffic, { kind: 'Node', namespace: '', name: 'worker-1' }, 'service/default/gone')).toBe('service/default/db');
    expect(chooseSeries([], {}, null, null)).toBeNull();
  });

  it('falls back to the busiest client when no request went through a Service', () => {
    const direct = { 'client/default/pod/a': [second(0, 1)], 'client/default/pod/b': [second(0, 2)] };
    expect(chooseSeries(seriesOptions(direct), direct, null, null)).toBe('client/default/pod/b');
    const fromOutside = { [outside]: [second(0, 1)] };
    expect(chooseSeries(seriesOptions(fromOutside), fromOutside, null, null)).toBe(outside);
  });
});

describe('which chart', () => {
  it('shows replicas until there is traffic, then traffic, unless the learner chose', () => {
    expect(shownChart(null, false)).toBe('replicas');
    expect(shownChart(null, true)).toBe('traffic');
    expect(shownChart('replicas', true)).toBe('replicas');
    expect(shownChart('traffic', false)).toBe('traffic');
  });

  it('does not take Replicas as a choice before there is traffic', () => {
    expect(chartChoice('replicas', false)).toBeNull();
    expect(chartChoice('replicas', true)).toBe('replicas');
    expect(chartChoice('traffic', false)).toBe('traffic');
  });
});

describe('recentSummary', () => {
  it('sums the last ten completed seconds; missing seconds had no requests', () => {
    const samples = [second(0, 50), ...Array.from({ length: 10 }, (_, i) => second(10_000 + i * 1_000, 10)), second(20_000, 99)];
    // At 20.5 s, the second from 20 s is under way and does not count.
    const s = recentSummary(samples, 20_500);
    expect(s).toMatchObject({ requests: 100, ok: 100, rps: 10, rpsText: '10.0', successText: '100%' });
    expect(summaryText('web', s)).toBe('web · 10.0 req/s · 100% ok (last 10 s)');
    const sparse = recentSummary([second(15_000, 5, { refused: 1 })], 20_000);
    expect(sparse).toMatchObject({ requests: 5, rpsText: '0.5', successText: '80.0%' });
  });

  it('says so when nothing was sent', () => {
    expect(summaryText('web', recentSummary([second(0, 5)], 60_000))).toBe('web · 0.0 req/s · no requests (last 10 s)');
  });

  it('never rounds a failure up to 100%', () => {
    expect(formatSuccess(9_999, 10_000)).toBe('99.9%');
    expect(formatSuccess(1, 100_000)).toBe('0.1%');
    expect(formatSuccess(0, 3)).toBe('0%');
  });
});

describe('trafficGeometry', () => {
  it('stacks failures by reason on top of the successful requests, one bar per second', () => {
    // 60 s across 300 px: 5 px a second, wide enough for one bar a second; 120 px high, 10 px a request.
    const g = trafficGeometry([second(10_000, 10), second(11_000, 10, { refused: 4, error: 1 })], 60_000, { ...size, height: 130 });
    expect(g.bucketSeconds).toBe(1);
    // Headroom over 10 req/s, so the success line at 100% stays clear of the bars.
    expect(g.yMax).toBe(12);
    expect(g.yTicks.map((t) => t.value)).toEqual([0, 6, 12]);
    expect(g.successTicks).toEqual([
      { percent: 50, y: 70 },
      { percent: 100, y: 10 },
    ]);
    expect(g.layers.map((l) => l.key)).toEqual(['ok', 'dns', 'refused', 'timeout', 'error']);
    const layer = (key: string) => g.layers.find((l) => l.key === key)?.d;
    expect(layer('ok')).toBe('M60,130V30H65V130ZM65,130V80H70V130Z');
    expect(layer('refused')).toBe('M65,80V40H70V80Z');
    expect(layer('error')).toBe('M65,40V30H70V40Z');
    expect(layer('dns')).toBe('');
    // 100% then 50%: the line steps down.
    expect(g.success).toBe('M60,10H65V70H70');
  });

  it('merges seconds into wider bars when the plot is narrow, averaging requests per second', () => {
    const g = trafficGeometry([second(0, 4), second(1_000, 2)], 60_000, { ...size, width: 70 });
    // 60 px for 60 s: 2 s a bar makes 2 px, so 5 s bars.
    expect(g.bucketSeconds).toBe(5);
    // 6 requests in 5 s: 1.2 a second.
    expect(g.yMax).toBe(1.5);
    expect(g.layers[0]?.d.startsWith('M10,110V30H15V110Z')).toBe(true);
  });

  it('breaks the success line where no requests were sent, and draws only completed seconds', () => {
    const g = trafficGeometry([second(0, 1), second(2_000, 1)], 3_400, size);
    expect(g.success).toBe('M10,10H15M20,10H25');
    expect(g.end).toBe(60_000);
    expect(trafficGeometry([], 0, size).success).toBe('');
  });

  it('shows the last five minutes', () => {
    const g = trafficGeometry([second(0, 5), second(400_000, 5)], 600_300, size);
    expect(g.start).toBe(300_000);
    expect(g.end).toBe(600_000);
    expect(g.layers[0]?.d.match(/M/g)?.length).toBe(1);
  });
});

describe('axis', () => {
  it('rounds the scale up to a round number', () => {
    expect([0, 0.3, 1, 1.1, 3, 7, 10, 11, 240].map(niceCeil)).toEqual([1, 1, 1, 1.2, 3, 8, 10, 12, 250]);
    expect([0, 0.5, 0.75, 20, 1_500].map(formatRate)).toEqual(['0', '0.5', '0.75', '20', '1.5k']);
  });
});
