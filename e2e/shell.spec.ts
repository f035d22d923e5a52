import { mkdirSync, copyFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

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

test('the shell shows the default cluster and its clock obeys play, pause and speed', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Kubeplay');

  // The default topology: 3 masters, 3 workers, 2 zones.
  const nodes = page.getByTestId('node');
  await expect(nodes).toHaveCount(6);
  await expect(page.locator('[data-testid="node"][data-role="control-plane"]')).toHaveCount(3);
  await expect(page.locator('[data-testid="node"][data-role="worker"]')).toHaveCount(3);
  await expect(page.getByTestId('zone')).toHaveCount(2);

  const namesIn = async (zone: string): Promise<string[]> => {
    const names = await page
      .locator(`[data-testid="zone"][data-zone="${zone}"] [data-testid="node"]`)
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-node') ?? ''));
    return names.sort();
  };
  expect(await namesIn('zone-a')).toEqual(['master-1', 'master-2', 'worker-1', 'worker-3']);
  expect(await namesIn('zone-b')).toEqual(['master-3', 'worker-2']);
  // Every node sits inside the zone its data says, and its host is up.
  for (const node of await nodes.all()) {
    const name = await node.getAttribute('data-node');
    const zone = await node.getAttribute('data-zone');
    await expect(page.locator(`[data-testid="zone"][data-zone="${zone}"] [data-node="${name}"]`)).toHaveCount(1);
    await expect(node).toHaveAttribute('data-alive', 'true');
    await expect(node.locator('.node-card__status')).toHaveText('Ready');
  }

  // The three framed regions later issues fill are there.
  for (const area of ['editor', 'console', 'inspector']) {
    await expect(page.getByTestId(`panel-${area}`)).toBeVisible();
  }

  // Playing at 1× from the start: the clock moves.
  const pauseButton = page.getByRole('button', { name: 'Pause' });
  await expect(pauseButton).toBeVisible();
  const playing = await sample(page, 500);
  expect(playing.after).toBeGreaterThan(playing.before);

  // Paused: the clock stops exactly.
  await pauseButton.click();
  const playButton = page.getByRole('button', { name: 'Play' });
  await expect(playButton).toBeVisible();
  const paused = await sample(page, 500);
  expect(paused.after).toBe(paused.before);

  // 10×: virtual time runs well ahead of wall time (ideal is 10×; slow CI frames only lose time, so bound low).
  await page.getByLabel('Speed').selectOption('10');
  await expect(page.getByLabel('Speed')).toHaveValue('10');
  await playButton.click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  const fast = await sample(page, 1000);
  const ratio = (fast.after - fast.before) / fast.wallElapsedMs;
  expect(ratio, `virtual ms per wall ms at 10× was ${ratio.toFixed(2)}`).toBeGreaterThan(5);
  // Upper bound loose too: a stale first read (one slow frame) inflates the ratio a little. It still catches a wrong speed.
  expect(ratio).toBeLessThan(15);

  // Nothing on the page needs scrolling at 1280×720.
  const overflow = await page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
  }));
  expect(overflow.width).toBeLessThanOrEqual(1280);
  expect(overflow.height).toBeLessThanOrEqual(720);

  // A picture for the report and the README.
  await page.getByRole('button', { name: 'Pause' }).click();
  const shot = testInfo.outputPath('shell.png');
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach('shell', { path: shot, contentType: 'image/png' });
  // The README's picture is refreshed on request only, so a test run leaves the work tree clean.
  if (process.env.UPDATE_SCREENSHOT) {
    mkdirSync('docs', { recursive: true });
    copyFileSync(shot, 'docs/screenshot.png');
  }
});
