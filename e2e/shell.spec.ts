import { expect, test, type Page } from '@playwright/test';
import { openPlayground, screenshot, setSpeed } from './helpers';

async function clockMs(page: Page): Promise<number> {
  const raw = await page.getByTestId('clock').getAttribute('data-now-ms');
  const ms = Number(raw);
  expect(Number.isSafeInteger(ms), `data-now-ms should be whole milliseconds, got ${raw}`).toBe(true);
  return ms;
}

/** Reads the clock, waits `wallMs` of wall time, reads again; returns both reads and the wall time that really passed. */
async function sample(page: Page, wallMs: number): Promise<{ before: number; after: number; wallElapsedMs: number }> {
  const before = await clockMs(page);
  const t0 = Date.now();
  await page.waitForTimeout(wallMs);
  const after = await clockMs(page);
  return { before, after, wallElapsedMs: Date.now() - t0 };
}

test('the page shows the default cluster in every panel and its clock obeys play, pause and speed', async ({ page }, testInfo) => {
  await openPlayground(page);
  await expect(page).toHaveTitle('Kubeplay');

  // The default topology: 3 masters in zones a, a, b; 3 workers spread over a and b.
  await expect(page.getByTestId('node')).toHaveCount(6);
  await expect(page.locator('[data-testid="node"][data-role="control-plane"]')).toHaveCount(3);
  await expect(page.getByTestId('zone')).toHaveCount(2);
  const namesIn = async (zone: string): Promise<string[]> =>
    (await page.locator(`[data-testid="node"][data-zone="${zone}"]`).evaluateAll((els) => els.map((el) => el.getAttribute('data-node') ?? ''))).sort();
  expect(await namesIn('zone-a')).toEqual(['master-1', 'master-2', 'worker-1', 'worker-3']);
  expect(await namesIn('zone-b')).toEqual(['master-3', 'worker-2']);
  for (const node of await page.getByTestId('node').all()) {
    await expect(node).toHaveAttribute('data-alive', 'true');
    await expect(node).toHaveAttribute('data-ready', 'True');
  }
  for (const area of ['editor', 'map', 'console', 'timeline', 'raft', 'inspector']) {
    await expect(page.getByTestId(`panel-${area}`)).toBeVisible();
  }
  await expect(page.getByTestId('raft-member')).toHaveCount(3);
  await expect(page.locator('[data-testid="raft-member"][data-role="leader"]')).toHaveCount(1);

  // Playing at 1× from the start: the clock moves.
  const playing = await sample(page, 500);
  expect(playing.after).toBeGreaterThan(playing.before);

  // Paused: the clock stops exactly.
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.waitForTimeout(100);
  const paused = await sample(page, 500);
  expect(paused.after).toBe(paused.before);

  // 10×: virtual time runs well ahead of wall time (slow CI frames only lose time, so bound low).
  await setSpeed(page, 10);
  await page.getByRole('button', { name: 'Play' }).click();
  const fast = await sample(page, 1000);
  const ratio = (fast.after - fast.before) / fast.wallElapsedMs;
  expect(ratio, `virtual ms per wall ms at 10× was ${ratio.toFixed(2)}`).toBeGreaterThan(5);
  expect(ratio).toBeLessThan(15);

  // Step runs to the next committed write: the clock moves a little and playback stops.
  await page.getByRole('button', { name: 'Pause' }).click();
  const beforeStep = await clockMs(page);
  await page.getByTestId('step').click();
  await expect.poll(() => clockMs(page)).toBeGreaterThan(beforeStep);
  expect((await clockMs(page)) - beforeStep).toBeLessThan(60_000);

  // Nothing on the page needs scrolling at 1280×720.
  const overflow = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
  expect(overflow.width).toBeLessThanOrEqual(1280);
  expect(overflow.height).toBeLessThanOrEqual(720);
  await screenshot(page, testInfo, 'shell');

  // The topology picker replaces the cluster: 5 masters across 2 zones, 4 workers.
  await page.getByTestId('topology-button').click();
  await page.getByRole('radio', { name: /5 masters across 2 zones/ }).check();
  await page.getByRole('button', { name: 'Create cluster' }).click();
  await expect(page.getByTestId('raft-member')).toHaveCount(5);
  await expect(page.getByTestId('node')).toHaveCount(9);
  expect(await namesIn('zone-a')).toEqual(['master-1', 'master-2', 'master-3', 'worker-1', 'worker-3']);
  await expect(page.locator('[data-testid="raft-member"][data-role="leader"]')).toHaveCount(1, { timeout: 10_000 });
});
