// npm run bench:ui — how smooth the playground stays with a large cluster playing.
//
// Builds nothing itself: `npm run bench:ui` builds first. Serves dist/ with `vite preview`,
// opens it in the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium), and for each
// size: replaces the cluster with N workers, runs a Deployment of 10 pods per worker, waits
// until they are Running, then plays at 100× for a while and records every animation frame's
// duration and every long task (> 50 ms on the main thread). Prints p50/p95 frame times, the
// share of frames over 16.7 ms and of wall time spent in long tasks, and the speed the engine
// actually achieved.
//
// Usage: node bench/ui.bench.mjs [WORKERS…]   (default: the default cluster at 500×, then 100 and
// 1000 workers at 100×)
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const DEFAULT_SPEC = {
  zones: ['zone-a', 'zone-b'],
  masters: { count: 3, zones: ['zone-a', 'zone-a', 'zone-b'], cpu: '2', memory: '4Gi' },
  workers: { count: 3, spread: ['zone-a', 'zone-b'], cpu: '4', memory: '8Gi', maxPods: 110 },
};
const zones3 = ['zone-a', 'zone-b', 'zone-c'];
const spec = (n) => ({ zones: zones3, masters: { count: 3, zones: zones3 }, workers: { count: n, spread: zones3, cpu: '4', memory: '8Gi', maxPods: 110 } });
const RUNS =
  sizes.length > 0
    ? sizes.map((n) => ({ label: `${n} workers`, spec: spec(n), workers: n, speed: 100 }))
    : [
        { label: 'default cluster (3 masters, 3 workers)', spec: DEFAULT_SPEC, workers: 3, speed: 500 },
        { label: '100 workers', spec: spec(100), workers: 100, speed: 100 },
        { label: '1000 workers', spec: spec(1000), workers: 1000, speed: 100 },
      ];
const PORT = 4179;
const PLAY_MS = 15_000;

const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
const stopServer = () => {
  try {
    process.kill(-server.pid);
  } catch {
    /* already gone */
  }
};
process.on('exit', stopServer);

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${PORT}/`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('vite preview did not start');
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

await waitForServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
await page.goto(`http://127.0.0.1:${PORT}/`);
await page.waitForFunction(() => window.kubeplay?.store.getState().model.nodes.length > 0, null, { timeout: 60_000 });

console.log(`UI benchmark: ${PLAY_MS / 1000} s of playing per size, 1280×720, headless Chromium without GPU\n`);
for (const { label, spec: clusterSpec, workers, speed } of RUNS) {
  const pods = workers * 10;
  const t0 = Date.now();
  await page.evaluate(async (s) => {
    const { engine, store } = window.kubeplay;
    await engine.time({ type: 'pause' });
    await engine.reset(s, 1);
    await engine.time({ type: 'pause' });
    store.getState().select(null);
  }, clusterSpec);
  await page.waitForFunction((n) => window.kubeplay.store.getState().model.nodes.filter((x) => x.ready === 'True').length >= n, workers, { timeout: 600_000, polling: 500 });
  const booted = Date.now() - t0;
  await page.evaluate(async (n) => {
    const { engine } = window.kubeplay;
    await engine.dispatch({ type: 'kubectl', command: `create deployment load --image=nginx --replicas=${n}` });
    await engine.time({ type: 'speed', speed: 100 });
    await engine.time({ type: 'play' });
  }, pods);
  // Scheduled at 100×; measured at the run's own speed.
  await page.evaluate(async (v) => window.kubeplay.engine.time({ type: 'speed', speed: v }), speed);
  await page.waitForFunction((n) => window.kubeplay.store.getState().model.pods.filter((p) => p.status === 'Running').length >= n, pods, { timeout: 1_800_000, polling: 1_000 });
  const running = Date.now() - t0 - booted;

  const result = await page.evaluate(async (playMs) => {
    const frames = [];
    let longTaskMs = 0;
    let longTasks = 0;
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        longTasks++;
        longTaskMs += e.duration;
      }
    });
    observer.observe({ type: 'longtask', buffered: false });
    const { store } = window.kubeplay;
    const v0 = store.getState().snapshot.now;
    const start = performance.now();
    await new Promise((resolve) => {
      let last = performance.now();
      const tick = (t) => {
        frames.push(t - last);
        last = t;
        if (t - start < playMs) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    observer.disconnect();
    const wall = performance.now() - start;
    return { frames, longTaskMs, longTasks, wall, virtual: store.getState().snapshot.now - v0 };
  }, PLAY_MS);
  const sorted = [...result.frames].sort((a, b) => a - b);
  const slow = result.frames.filter((f) => f > 1000 / 60 + 1).length;
  console.log(
    [
      `${label}, ${pods} pods, playing at ${speed}×:`,
      `  boot ${(booted / 1000).toFixed(1)} s wall, ${pods} pods Running after ${(running / 1000).toFixed(1)} s more`,
      `  frames: ${result.frames.length} in ${(result.wall / 1000).toFixed(1)} s → p50 ${pct(sorted, 50).toFixed(1)} ms, p95 ${pct(sorted, 95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms; ${((100 * slow) / result.frames.length).toFixed(1)}% over 17.7 ms`,
      `  long tasks: ${result.longTasks}, ${((100 * result.longTaskMs) / result.wall).toFixed(1)}% of the time`,
      `  achieved ${(result.virtual / result.wall).toFixed(1)}× of ${speed}× (virtual ${(result.virtual / 1000).toFixed(1)} s)`,
      '',
    ].join('\n'),
  );
}
await browser.close();
stopServer();
process.exit(0);
