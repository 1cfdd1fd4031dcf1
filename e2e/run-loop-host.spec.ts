/**
 * Issue 9 problems 1, 3, 6, 8 and 9 on the host target, with Docker out of reach (DOCKER_HOST
 * points nowhere), so they run without the lab or the lab lock: the page logic they prove is the
 * same for every target. run-loop.spec.ts proves them in the lab as well.
 */
import { expect, test, type Page } from '@playwright/test';
import { startRunnerProcess, type RunningRunner } from '../test/support/runner-process.ts';
import { apiState, runViaApi, stepOf, stepOnPage } from './run-loop-support.ts';
import { builtManifest } from './site.ts';

const NO_DOCKER = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', TUTORIAL_PROFILE: 'offline' };
let runner: RunningRunner;

test.beforeAll(async () => {
  runner = await startRunnerProcess({ target: 'host', env: NO_DOCKER });
});
test.afterAll(async () => {
  await runner?.stop();
});

async function open(page: Page, chapter: string): Promise<void> {
  await page.goto(`${runner.url}/${chapter}/?token=${runner.token}`);
  await expect(page.locator('chapter-toolbar .toolbar-controls')).toBeVisible({ timeout: 30_000 });
}

test('3 · progress fills only with passed steps; skips are counted and said once, with the reason', async ({
  page,
}) => {
  await open(page, 'environment');
  await page.locator('chapter-toolbar .toolbar-run-all').click();
  await expect(page.locator('chapter-toolbar .toolbar-batch')).toContainText(/Finished|Stopped/, {
    timeout: 300_000,
  });
  const state = await apiState(runner);
  const chapter = builtManifest().chapters.find((c) => c.id === 'environment')!;
  const passed = chapter.steps.filter((id) => state.steps[id]?.status === 'ok').length;
  const skipped = chapter.steps.filter((id) => state.steps[id]?.status === 'skipped');
  expect(skipped.length, 'this machine is offline, so steps needing the internet are skipped').toBeGreaterThan(0);
  await expect(page.locator('chapter-toolbar .toolbar-progress progress')).toHaveJSProperty('value', passed);
  await expect(page.locator('chapter-toolbar .toolbar-progress-text')).toContainText(`${skipped.length} skipped`);
  const text = await stepOnPage(page, skipped[0]!).output.innerText();
  expect(text.match(/needs internet/g)?.length, text).toBe(1);
});

test('9 · Run while another step runs is queued, shown as queued, and runs after it', async ({ page }) => {
  await open(page, 'yaml');
  const install = stepOnPage(page, 'yaml-install-pyyaml');
  const folder = stepOnPage(page, 'yaml-make-folder');
  await install.run.click();
  await expect(install.badge).toHaveAttribute('data-status', 'running');
  await folder.run.click();
  await expect(folder.badge).toHaveAttribute('data-status', 'queued');
  await expect(folder.root.locator('.step-error')).toHaveCount(0);
  await expect(install.badge).toHaveAttribute('data-status', 'ok', { timeout: 120_000 });
  await expect(folder.badge).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
  await expect(folder.log).toContainText('ch05/ex01');
});

test('8 · after a reload every step shows its last output, not a button to fetch it', async ({ page }) => {
  await open(page, 'yaml');
  const folder = stepOnPage(page, 'yaml-make-folder');
  await folder.run.click();
  await expect(folder.badge).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
  await page.reload();
  await expect(folder.log).toBeVisible({ timeout: 20_000 });
  await expect(folder.log).toContainText('ch05/ex01');
});

test('1 · reloading at random moments during long steps always converges to what the runner reports', async ({
  page,
}) => {
  test.setTimeout(20 * 60_000);
  await open(page, 'yaml');
  const id = 'yaml-install-pyyaml'; // pip: from under a second to several, depending on the machine
  const isActive = async () => (await apiState(runner)).active.some((a) => a.stepId === id);
  // How long one run takes here, so the reloads below fall at random moments *inside* a run on a
  // fast machine as well as a slow one (a fixed 0.2-2.7 s window missed most runs on CI).
  const started = Date.now();
  expect((await runViaApi(runner, id)).status).toMatch(/^(ok|failed)$/);
  const runMs = Date.now() - started;
  let duringRuns = 0;
  for (let i = 0; duringRuns < 10 && i < 40; i++) {
    const response = await runner.api('/api/runs', { json: { id, hash: stepOf(id).hash } });
    expect(response.status).toBe(202);
    const { runId } = (await response.json()) as { runId: string };
    // Until it runs (or, on a very fast machine, has already ended): the random moment counts from its start.
    await expect
      .poll(async () => (await isActive()) || (await apiState(runner)).steps[id]?.runId === runId, {
        timeout: 30_000,
        intervals: [20],
      })
      .toBe(true);
    await page.waitForTimeout(Math.random() * runMs * 0.6);
    if (await isActive()) duringRuns++;
    await page.reload();
    let status: string | undefined;
    await expect
      .poll(async () => (status = (await apiState(runner)).steps[id]?.status), { timeout: 120_000 })
      .toMatch(/^(ok|failed)$/);
    const step = stepOnPage(page, id);
    await expect(step.badge, `reload ${i + 1}`).toHaveAttribute('data-status', status!, { timeout: 15_000 });
    await expect(step.root.locator('.step-elapsed')).toBeHidden();
    await expect(step.log).toBeVisible();
    await expect(step.log).toContainText('pyyaml');
  }
  expect(duringRuns, 'reloads while the step was running').toBeGreaterThanOrEqual(10);
});
