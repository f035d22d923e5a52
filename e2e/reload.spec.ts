import { expect, test } from '@playwright/test';
import { openPlayground, run, setSpeed } from './helpers';

test('a reload brings back the same cluster: the log is replayed to the same pods, and bad saved data starts a fresh one', async ({ page }) => {
  await openPlayground(page);
  expect((await run(page, 'kubectl create deployment web --image=nginx --replicas=3')).stdout).toBe('deployment.apps/web created');
  await setSpeed(page, 10);
  await expect(page.locator('[data-testid="pod"][data-pod^="web-"][data-status="Running"]')).toHaveCount(3, { timeout: 20_000 });
  await run(page, 'kill worker-2');
  await page.waitForTimeout(1_000);
  await page.getByRole('button', { name: 'Pause' }).click();
  // The worker's frame that says "paused" carries the moment it stopped at.
  await page.waitForFunction(() => !window.kubeplay.store.getState().playing);
  const pausedAt = await page.evaluate(() => window.kubeplay.store.getState().snapshot.now);
  // Saved every few seconds and whenever the log grows: wait for the paused moment to be saved.
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('kubeplay.session.v1') ?? '{}').untilMs as number), { timeout: 10_000 }).toBe(pausedAt);
  const before = await page.evaluate(() =>
    window.kubeplay.store
      .getState()
      .model.pods.map((p) => `${p.name}@${p.nodeName}:${p.status}`)
      .sort(),
  );

  await page.reload();
  await expect(page.getByTestId('restoring')).toBeHidden({ timeout: 30_000 });
  await expect.poll(() => page.evaluate(() => window.kubeplay.store.getState().snapshot.now)).toBe(pausedAt);
  const after = await page.evaluate(() =>
    window.kubeplay.store
      .getState()
      .model.pods.map((p) => `${p.name}@${p.nodeName}:${p.status}`)
      .sort(),
  );
  expect(after).toEqual(before);
  await expect(page.locator('[data-testid="node"][data-node="worker-2"]')).toHaveAttribute('data-alive', 'false');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();

  // Garbage in storage: the page starts a fresh default cluster and says nothing alarming.
  // Written as the next page starts (the running page saves every few seconds and would overwrite it).
  await page.addInitScript(() => localStorage.setItem('kubeplay.session.v1', '{"v":1,"spec":{"zones":"x"}}'));
  await page.reload();
  await expect(page.locator('[data-testid="node"][data-ready="True"]')).toHaveCount(6, { timeout: 30_000 });
  await expect(page.locator('[data-testid="pod"]')).toHaveCount(0);
});
