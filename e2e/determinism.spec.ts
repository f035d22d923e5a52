import { expect, test } from '@playwright/test';
import { runDeterminismProbe, type ProbeResult } from '../src/engine';

const SEEDS: readonly (number | string)[] = [7, 12345, 'kubeplay'];

test('the determinism probe gives the same hashes in Chromium as in Node', async ({ page }) => {
  await page.goto('/');
  await page.waitForFunction(() => 'kubeplay' in window && typeof window.kubeplay.runDeterminismProbe === 'function');

  const inNode = new Map<number | string, ProbeResult>();
  for (const seed of SEEDS) {
    const node = runDeterminismProbe(seed);
    inNode.set(seed, node);
    const browser = await page.evaluate((s) => window.kubeplay.runDeterminismProbe(s), seed);
    expect(browser.stateHash, `stateHash for seed ${JSON.stringify(seed)}`).toBe(node.stateHash);
    expect(browser.traceHash, `traceHash for seed ${JSON.stringify(seed)}`).toBe(node.traceHash);
    expect(browser.eventsProcessed).toBe(node.eventsProcessed);
    expect(browser.messagesSent).toBe(node.messagesSent);
    // The probe does real work, not an empty run.
    expect(node.messagesSent).toBeGreaterThan(0);
  }

  // Different seeds make different runs.
  const states = new Set([...inNode.values()].map((r) => r.stateHash));
  const traces = new Set([...inNode.values()].map((r) => r.traceHash));
  expect(states.size).toBe(SEEDS.length);
  expect(traces.size).toBe(SEEDS.length);
});
