import { expect, type Page, type TestInfo } from '@playwright/test';

/** Opens the playground and waits until the engine has published a booted cluster. */
export async function openPlayground(page: Page): Promise<void> {
  await page.goto('/');
  await page.waitForFunction(() => window.kubeplay?.store.getState().model.nodes.filter((n) => n.ready === 'True').length === 6, null, { timeout: 30_000 });
}

/** Types a line into the console and waits until its output has been printed. */
export async function run(page: Page, line: string): Promise<{ stdout: string; stderr: string }> {
  const input = page.getByTestId('console-input');
  const before = await page.evaluate(() => window.kubeplay.store.getState().consoleLines.length);
  await input.fill(line);
  await input.press('Enter');
  // The echo is one line; the output follows once the command has run to its end.
  await page.waitForFunction((n) => window.kubeplay.store.getState().consoleLines.length > n, before);
  await expect(page.locator('.console__prompt-line')).toHaveAttribute('data-running', 'false', { timeout: 30_000 });
  return page.evaluate((n) => {
    const lines = window.kubeplay.store.getState().consoleLines.slice(n + 1);
    return {
      stdout: lines.filter((l) => l.kind === 'stdout').map((l) => l.text).join('\n'),
      stderr: lines.filter((l) => l.kind === 'stderr').map((l) => l.text).join('\n'),
    };
  }, before);
}

/** Sets the playback speed with the top bar's control. */
export async function setSpeed(page: Page, speed: number): Promise<void> {
  await page.getByLabel('Speed').selectOption(String(speed));
  await expect(page.getByLabel('Speed')).toHaveValue(String(speed));
}

/** Replaces the active editor tab's text the way a paste does (Monaco re-indents typed lines). */
export async function pasteIntoEditor(page: Page, text: string): Promise<void> {
  await expect(page.locator('[data-testid=editor][data-editor-state=ready]')).toBeVisible({ timeout: 30_000 });
  await page.click('[data-testid=editor-monaco] .view-lines');
  await page.keyboard.press('ControlOrMeta+A');
  await page.locator('[data-testid=editor-monaco] .native-edit-context').evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** A screenshot kept with the test's output (and attached to the report). */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
