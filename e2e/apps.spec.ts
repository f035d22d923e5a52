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
