/**
 * Issue 9 problem 8, "a record of the session to scroll back through": after a reload the
 * runner panel's Session log lists what ran, in order, each run with its output and a link to
 * its step, readable at phone width. Host target with Docker out of reach, so no lab lock.
 */
import { expect, test } from '@playwright/test';
import type { Transcript } from '../contract/protocol.ts';
import { startRunnerProcess, type RunningRunner } from '../test/support/runner-process.ts';
import { stepOnPage } from './run-loop-support.ts';

const NO_DOCKER = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', TUTORIAL_PROFILE: 'offline' };
let runner: RunningRunner;

test.beforeAll(async () => {
  runner = await startRunnerProcess({ target: 'host', env: NO_DOCKER });
});
test.afterAll(async () => {
  await runner?.stop();
});

test('8 · after a reload, the session log lists the runs in order with their output and links to the steps', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`${runner.url}/yaml/?token=${runner.token}`);
  await expect(page.locator('chapter-toolbar .toolbar-controls')).toBeVisible({ timeout: 30_000 });
  const ran = ['yaml-make-folder', 'yaml-write-pod'];
  for (const id of ran) {
    const step = stepOnPage(page, id);
    await step.run.click();
    await expect(step.badge).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
  }
  const outputs: string[] = [];
  for (const id of ran) {
    const transcript = (await (await runner.api(`/api/steps/${id}/transcript`)).json()) as Transcript;
    outputs.push(transcript.output.map((c) => c.text).join(''));
  }
  expect(outputs[0]).toContain('ch05/ex01');

  await page.reload();
  const log = page.locator('session-log');
  await log.getByText('Session log', { exact: true }).click();
  const entries = log.locator('li.session-log-entry');
  await expect(entries).toHaveCount(2, { timeout: 20_000 });
  await expect(entries.nth(0)).toHaveAttribute('data-step-id', ran[0]!);
  await expect(entries.nth(1)).toHaveAttribute('data-step-id', ran[1]!);
  for (const [i, text] of outputs.entries()) {
    const line = text.trim().split('\n')[0]!;
    await expect(entries.nth(i).locator('.session-log-output')).toContainText(line);
    await expect(entries.nth(i).locator('.session-log-status')).toHaveAttribute('data-status', 'ok');
  }
  // Readable at phone width: nothing makes the page scroll sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'horizontal overflow at 375 px').toBeLessThanOrEqual(0);

  // A third run while the log is open joins it at the end.
  const again = stepOnPage(page, ran[0]!);
  await again.run.click();
  await expect(entries).toHaveCount(3, { timeout: 30_000 });
  await expect(entries.nth(2)).toHaveAttribute('data-step-id', ran[0]!);

  // Each entry links to its step.
  await entries.nth(1).getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`#step-${ran[1]}$`));
  await expect(stepOnPage(page, ran[1]!).root).toBeInViewport();
});
