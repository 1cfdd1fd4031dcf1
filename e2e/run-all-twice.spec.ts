/**
 * Issue 9, "Every step can be run again": Run all pressed twice in a row passes both times, on
 * the chapters run-loop.spec.ts does not already press twice (chapter 3 is pressed twice there).
 * Chapter 4 starts from what chapter 3 leaves, so that is set up first, through the API.
 */
import { expect, test } from '@playwright/test';
import { startRunnerProcess, type RunningRunner } from '../test/support/runner-process.ts';
import { apiState, resetViaApi, stage } from './run-loop-support.ts';

let runner: RunningRunner;

test.beforeAll(async () => {
  runner = await startRunnerProcess({ target: 'lab' });
  await resetViaApi(runner);
});

test.afterAll(async () => {
  await runner?.stop();
});

for (const chapter of ['yaml', 'nginx-gunicorn']) {
  test(`${chapter}: Run all pressed twice passes both times`, async ({ page }) => {
    test.setTimeout(40 * 60_000);
    // Chapter 4 copies chapter 3's project (ch05/ex03): set that stage first.
    if (chapter === 'nginx-gunicorn') await stage(runner, 'django-in-docker', 'django-image-ls');
    await page.goto(`${runner.url}/${chapter}/?token=${runner.token}`);
    const batch = page.locator('chapter-toolbar .toolbar-batch');
    for (const round of [1, 2]) {
      await page.locator('chapter-toolbar .toolbar-run-all').click();
      await expect(page.locator('chapter-toolbar .toolbar-run-all')).toHaveAttribute('aria-disabled', 'true');
      // Continue at every checkpoint until Run all ends.
      for (;;) {
        await expect
          .poll(
            async () => {
              const state = (await apiState(runner)).batch;
              return state ? (state.pausedAt ?? 'running') : 'ended';
            },
            { timeout: 900_000, intervals: [500] },
          )
          .not.toBe('running');
        if (!(await apiState(runner)).batch) break;
        await page.locator('chapter-toolbar .toolbar-continue').click();
        await expect.poll(async () => (await apiState(runner)).batch?.pausedAt, { timeout: 30_000 }).toBeUndefined();
      }
      await expect(batch, `${chapter}, round ${round}`).toContainText(/^Finished/, { timeout: 30_000 });
    }
  });
}
