import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openPlayground, pasteIntoEditor, run, screenshot, setSpeed } from './helpers';

const HELLO = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: 4
  selector:
    matchLabels:
      app: hello
  template:
    metadata:
      labels:
        app: hello
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
`;

const BIG_POD = `apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      requests:
        cpu: "64"
`;

/** Pods on the map (the map's accessible layer mirrors the canvas). */
function podsOnMap(page: Page, prefix: string) {
  return page.locator(`[data-testid="pod"][data-pod^="${prefix}-"]`);
}

/** The last command the console echoed (buttons echo what they run). */
async function lastCommand(page: Page): Promise<string | undefined> {
  return page.evaluate(() => window.kubeplay.store.getState().consoleLines.filter((l) => l.kind === 'input').pop()?.text);
}

async function nodesOf(page: Page, prefix: string): Promise<string[]> {
  return podsOnMap(page, prefix).evaluateAll((els) => els.map((el) => el.getAttribute('data-node') ?? ''));
}

test('a Deployment written in the editor and applied with Ctrl+Enter runs on the workers, on the map and in kubectl', async ({ page }, testInfo) => {
  await openPlayground(page);
  await screenshot(page, testInfo, '1-start');
  await pasteIntoEditor(page, HELLO);
  // Then typed by hand: line 6 becomes `replicas: 5`.
  await page.keyboard.press('ControlOrMeta+Home');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('5');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect.poll(() => lastCommand(page)).toBe('kubectl apply -f web.yaml');
  await expect(page.locator('[data-testid="console-output"] [data-kind="stdout"]').last()).toHaveText('deployment.apps/hello created');

  await setSpeed(page, 10);
  await expect(podsOnMap(page, 'hello').and(page.locator('[data-status="Running"][data-ready="true"]'))).toHaveCount(5, { timeout: 30_000 });
  for (const node of await nodesOf(page, 'hello')) expect(node).toMatch(/^worker-\d$/);

  const { stdout } = await run(page, 'kubectl get pods');
  const rows = stdout.split('\n').filter((l) => l.startsWith('hello-'));
  expect(rows).toHaveLength(5);
  for (const row of rows) expect(row).toMatch(/^hello-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+\S+$/);
  await screenshot(page, testInfo, '1-deployment-running');
  // The README's picture is refreshed on request only, so a test run leaves the work tree clean.
  if (process.env.UPDATE_SCREENSHOT) {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Pause' }).click();
    mkdirSync('docs', { recursive: true });
    await page.screenshot({ path: 'docs/screenshot.png' });
  }
});

test('a schema mistake is marked at its line; an object the API rejects shows the API message at its line and changes nothing', async ({ page }, testInfo) => {
  await openPlayground(page);
  await page.getByLabel('Speed').selectOption('1');
  // Line 6 is `replicas: …`.
  await pasteIntoEditor(page, HELLO.replace('replicas: 4', 'replicas: three'));
  await expect(page.locator('[data-testid="editor-monaco"][data-markers~="6:warning"]')).toBeVisible({ timeout: 15_000 });
  await screenshot(page, testInfo, '2-schema-marker');

  // The schema allows any integer; the API server does not allow a negative one.
  await pasteIntoEditor(page, HELLO.replace('replicas: 4', 'replicas: -1'));
  await page.getByTestId('editor-apply').click();
  const problem = page.locator('[data-testid="editor-problem"][data-line="6"]');
  await expect(problem).toBeVisible();
  await expect(problem).toContainText('spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  await expect(page.locator('[data-testid="editor-monaco"][data-markers~="6:error"]')).toBeVisible();
  await expect(page.locator('[data-testid="console-output"] [data-kind="stderr"]').last()).toContainText('The Deployment "hello" is invalid');
  await screenshot(page, testInfo, '2-api-error');

  const { stdout, stderr } = await run(page, 'kubectl get deployments');
  expect(stdout).toBe('');
  expect(stderr).toBe('No resources found in default namespace.');
});

test('killing a worker from the map: at high speed its pods are replaced on the other workers', async ({ page }, testInfo) => {
  await openPlayground(page);
  expect((await run(page, 'kubectl create deployment web --image=nginx --replicas=6')).stdout).toBe('deployment.apps/web created');
  await setSpeed(page, 10);
  await expect(podsOnMap(page, 'web').and(page.locator('[data-status="Running"]'))).toHaveCount(6, { timeout: 30_000 });
  const victim = 'worker-2';
  expect(await nodesOf(page, 'web')).toContain(victim);

  // The card's corner: its middle may be covered by pod chips, which open the pod's menu.
  await page.locator(`[data-testid="node"][data-node="${victim}"]`).click({ position: { x: 6, y: 6 } });
  const menu = page.getByTestId('map-menu');
  await expect(menu).toBeVisible();
  await screenshot(page, testInfo, '3-node-menu');
  await menu.getByRole('button', { name: 'Kill' }).click();
  await expect(page.locator(`[data-testid="node"][data-node="${victim}"]`)).toHaveAttribute('data-alive', 'false');
  await expect.poll(() => lastCommand(page)).toBe('kill worker-2');

  // NotReady after the 50 s grace period, evicted 300 s later: about six virtual minutes.
  await setSpeed(page, 500);
  await expect
    .poll(
      async () => {
        const running = podsOnMap(page, 'web').and(page.locator('[data-status="Running"][data-ready="true"]'));
        const nodes = await running.evaluateAll((els) => els.map((el) => el.getAttribute('data-node') ?? ''));
        return nodes.length === 6 && !nodes.includes(victim);
      },
      { timeout: 90_000 },
    )
    .toBe(true);
  await setSpeed(page, 1);
  await screenshot(page, testInfo, '3-replaced');
});

test('a partition leaves master-3 without quorum: its writes fail, the majority side works, and after healing the Raft view agrees', async ({ page }, testInfo) => {
  await openPlayground(page);
  expect((await run(page, 'kubectl create deployment web --image=nginx --replicas=2')).stdout).toBe('deployment.apps/web created');

  // Partition zone b away with the map's control.
  await page.getByTestId('partition-button').click();
  await page.getByLabel('Group for zone-b').selectOption({ label: 'group B' });
  await page.getByRole('button', { name: 'Apply partition' }).click();
  await expect.poll(() => lastCommand(page)).toBe('partition zone-a | zone-b');
  await setSpeed(page, 10);

  const minority = await run(page, 'kubectl --context master-3 scale deploy web --replicas=5');
  expect(minority.stdout).toBe('');
  expect(minority.stderr).toBe('Error from server: etcdserver: no leader');
  const majority = await run(page, 'kubectl scale deploy web --replicas=5');
  expect(majority.stdout).toBe('deployment.apps/web scaled');
  await expect(page.locator('[data-testid="raft-member"][data-member="master-3"]')).not.toHaveAttribute('data-role', 'leader');
  await screenshot(page, testInfo, '4-partitioned');

  await page.getByTestId('partition-button').click();
  await page.getByRole('button', { name: 'Heal' }).click();
  await expect.poll(() => lastCommand(page)).toBe('heal');
  await expect(page.locator('[data-testid="raft-member"][data-role="leader"]')).toHaveCount(1, { timeout: 20_000 });
  await expect
    .poll(async () => new Set(await page.locator('[data-testid="raft-member"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-commit')))).size, { timeout: 20_000 })
    .toBe(1);
  const terms = await page.locator('[data-testid="raft-member"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-term')));
  expect(new Set(terms).size).toBe(1);
  await setSpeed(page, 1);
  await screenshot(page, testInfo, '4-healed');
});

test('the main states, in screenshots: no quorum, a Pending pod in the inspector, the light theme', async ({ page }, testInfo) => {
  await openPlayground(page);
  // A pod no node can hold stays Pending; the inspector shows why, node by node.
  await pasteIntoEditor(page, BIG_POD);
  await page.getByTestId('editor-apply').click();
  await expect(page.locator('[data-testid="console-output"] [data-kind="stdout"]').last()).toHaveText('pod/big created');
  await setSpeed(page, 10);
  const pod = page.locator('[data-testid="pod"][data-pod="big"]');
  await expect(pod).toHaveAttribute('data-status', 'Pending', { timeout: 20_000 });
  await pod.click();
  await page.getByTestId('map-menu').getByRole('button', { name: 'Inspect' }).click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-selected', 'Pod/default/big');
  await expect(page.getByTestId('scheduling-verdicts')).toContainText('0/6 nodes are available');
  await expect(page.locator('[data-testid="scheduling-verdicts"] [data-passed="false"]')).toHaveCount(6);
  await screenshot(page, testInfo, '5-pending-pod');

  // Two masters down: no quorum, and the Raft view says so.
  await run(page, 'kill master-1');
  await run(page, 'kill master-2');
  await expect(page.getByTestId('no-quorum-banner')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('no-quorum-banner')).toContainText('read-only: writes are refused');
  await expect(page.getByTestId('quorum-badge')).toHaveText('no quorum: writes are refused');
  await screenshot(page, testInfo, '5-no-quorum');

  // Nothing on the page needs scrolling at 1280×720.
  const size = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
  expect(size.width).toBeLessThanOrEqual(1280);
  expect(size.height).toBeLessThanOrEqual(720);

  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, testInfo, '5-light');
});
