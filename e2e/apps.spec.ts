import { expect, test } from '@playwright/test';
import { openPlayground, run, screenshot, setSpeed } from './helpers';

test('a Service under load: the timeline charts its traffic, and curl reaches it from outside through a NodePort', async ({ page }, testInfo) => {
  await openPlayground(page);
  expect((await run(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=2')).stdout).toBe('deployment.apps/web created');
  expect((await run(page, 'kubectl create service nodeport web --tcp=80:80 --node-port=30080')).stdout).toBe('service/web created');
  // A client in the cluster: a BusyBox loop of wget, five requests a second, through the Service name.
  await run(page, `kubectl run load --image=busybox:1.36 -- sh -c 'while true; do wget -qO- http://web; sleep 0.2; done'`);
  await setSpeed(page, 100);
  await page.waitForFunction(() => {
    const samples = window.kubeplay.store.getState().traffic['service/default/web'] ?? [];
    return samples.filter((s) => s.requests > 0 && s.ok === s.requests).length >= 10;
  }, null, { timeout: 60_000 });
  await page.getByTestId('timeline-view-traffic').click();
  const chart = page.getByTestId('traffic-chart');
  await expect(chart).toHaveAttribute('data-series', 'service/default/web');
  await expect(chart).toHaveAttribute('data-success', '100%');
  await expect(page.getByTestId('traffic-summary')).toContainText('req/s');
  await screenshot(page, testInfo, 'traffic');

  // From the learner's laptop: a node's address and the NodePort; the Service name does not resolve out here.
  const outside = await run(page, 'curl -s http://worker-1:30080/');
  expect(outside.stdout).toContain('<title>Welcome to nginx!</title>');
  const byName = await run(page, 'curl http://web/');
  expect(byName.stderr).toBe('curl: (6) Could not resolve host: web');
});

test('a load from the laptop through a NodePort: its own series, failing through a dead node, still running after a reload', async ({ page }, testInfo) => {
  await openPlayground(page);
  await run(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=3');
  await run(page, 'kubectl create service nodeport web --tcp=80:80 --node-port=30080');
  const key = `outside/${encodeURIComponent('http://worker-1:30080/')}`;
  expect((await run(page, 'load http://worker-1:30080/ --rate 20')).stdout).toBe('sending 20 requests/s to http://worker-1:30080/ from this laptop (outside the cluster); "load stop" ends it');
  await setSpeed(page, 100);
  await page.waitForFunction((k) => (window.kubeplay.store.getState().traffic[k] ?? []).filter((s) => s.requests === 20 && s.ok === 20).length >= 5, key, { timeout: 60_000 });
  await page.getByTestId('timeline-view-traffic').click();
  await page.getByTestId('traffic-series').selectOption({ label: 'From outside http://worker-1:30080/' });
  const chart = page.getByTestId('traffic-chart');
  await expect(chart).toHaveAttribute('data-series', key);
  await expect(chart).toHaveAttribute('data-success', '100%');

  // The node the laptop sends to dies: nothing answers on its NodePort any more.
  await run(page, 'kill worker-1');
  await page.waitForFunction((k) => (window.kubeplay.store.getState().traffic[k] ?? []).filter((s) => s.requests === 20 && s.timeout === 20).length >= 10, key, { timeout: 60_000 });
  await expect(chart).toHaveAttribute('data-success', '0%');
  await screenshot(page, testInfo, 'load-from-outside');
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForFunction(() => !window.kubeplay.store.getState().playing);
  const pausedAt = await page.evaluate(() => window.kubeplay.store.getState().snapshot.now);
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('kubeplay.session.v1') ?? '{}').untilMs as number), { timeout: 10_000 }).toBe(pausedAt);

  // The load is an action in the log: a reload replays it, and it is still running.
  await page.reload();
  await expect(page.getByTestId('restoring')).toBeHidden({ timeout: 30_000 });
  await expect.poll(() => page.evaluate(() => window.kubeplay.store.getState().snapshot.now), { timeout: 30_000 }).toBe(pausedAt);
  const list = await run(page, 'load');
  expect(list.stdout).toMatch(/^URL\s+RATE\s+AGE\s+LAST 10S\nhttp:\/\/worker-1:30080\/\s+20\/s\s+\S+\s+200 requests, 0 ok \(0%\), 200 failed: 200 timed out$/);
  expect((await run(page, 'load stop')).stdout).toBe('stopped the load to http://worker-1:30080/');
});
