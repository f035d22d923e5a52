import { expect, test } from '@playwright/test';

test('the masters elect one etcd leader, shown on the map with the same term everywhere', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Speed').selectOption('10');
  const members = page.getByTestId('etcd-member');
  await expect(members).toHaveCount(3);
  // Within a few virtual seconds (well under a second of wall time at 10×) one leader emerges.
  await expect(page.locator('[data-testid="etcd-member"][data-raft-role="leader"]')).toHaveCount(1, { timeout: 10_000 });
  await expect(page.locator('[data-testid="etcd-member"][data-raft-role="follower"]')).toHaveCount(2);
  const terms = await members.evaluateAll((els) => els.map((el) => el.getAttribute('data-term')));
  expect(new Set(terms).size).toBe(1);
  expect(Number(terms[0])).toBeGreaterThanOrEqual(1);
});
