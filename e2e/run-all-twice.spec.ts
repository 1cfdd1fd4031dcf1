/**
 * Issue 9, "Every step can be run again": Run all pressed twice in a row passes both times, on
 * the chapters run-loop.spec.ts does not already press twice (chapter 3 is pressed twice there).
 * Chapter 1 runs in the lab, where its package check passes offline and pyenv's downloads are skipped.
 * Chapter 4 starts from what chapter 3 leaves: on this fresh workspace the learner's "Reset this
 * chapter" sets that stage (and the test first makes it fail once, and cancels it once).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startRunnerProcess, type RunningRunner } from '../test/support/runner-process.ts';
import { apiState, continueUntilRunAllEnds, resetChapterViaApi, resetViaApi } from './run-loop-support.ts';

let runner: RunningRunner;

test.beforeAll(async () => {
  runner = await startRunnerProcess({ target: 'lab' });
  await resetViaApi(runner);
});

test.afterAll(async () => {
  await runner?.stop();
});

/**
 * The chapters pressed twice in `npm test`. RUN_ALL_TWICE=postgres-containers,local-postgres,...
 * presses others (each starting with "Reset this chapter", which sets its stage); chapters 5-7
 * take minutes each, so they are run that way by hand, not in every CI run.
 */
const CHAPTERS = process.env.RUN_ALL_TWICE?.split(',').filter(Boolean) ?? ['environment', 'yaml', 'nginx-gunicorn'];

for (const chapter of CHAPTERS) {
  test(`${chapter}: Run all pressed twice passes both times`, async ({ page }) => {
    test.setTimeout(40 * 60_000);
    await page.goto(`${runner.url}/${chapter}/?token=${runner.token}`);
    if (chapter === 'nginx-gunicorn') await resetSetsTheStage(page);
    else if (!['environment', 'yaml'].includes(chapter)) await resetChapterViaApi(runner, chapter);
    const batch = page.locator('chapter-toolbar .toolbar-batch');
    for (const round of [1, 2]) {
      await page.locator('chapter-toolbar .toolbar-run-all').click();
      await expect(page.locator('chapter-toolbar .toolbar-run-all')).toHaveAttribute('aria-disabled', 'true');
      await continueUntilRunAllEnds(page, runner);
      await expect(batch, `${chapter}, round ${round}`).toContainText(/^Finished/, { timeout: 30_000 });
    }
  });
}

/**
 * Reset this chapter on a workspace where chapter 3 never ran: it runs the earlier chapters'
 * stage steps, with progress on the page; it says which step failed and why; Cancel stops it;
 * pressed again it goes on from what is missing and ends with the stage set.
 */
async function resetSetsTheStage(page: Page): Promise<void> {
  const batch = page.locator('chapter-toolbar .toolbar-batch');
  const reset = async () => {
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('chapter-toolbar .toolbar-reset-chapter').click();
  };
  // A file where chapter 3 copies its project to: its copy step fails, as it would for a learner.
  const blocker = path.join(runner.workspace, 'ch05/ex03');
  mkdirSync(path.dirname(blocker), { recursive: true });
  writeFileSync(blocker, 'not a folder\n');
  await reset();
  await expect(batch).toContainText(/^Setting the stage: .* step \d+ of \d+/, { timeout: 60_000 });
  // Which step, and why: its exit code and the error it printed (its output is on chapter 3's page).
  await expect(batch).toContainText(
    /^Setting the stage stopped at the earlier chapters’ step django-copy-ex03: exit code 1 \(cp: .+\)/,
    {
      timeout: 600_000,
    },
  );
  rmSync(blocker);

  await reset();
  // The image build takes seconds, long enough to press Cancel while it runs.
  await expect(batch).toContainText(/^Setting the stage: .*\(django-build-weweb01\)/, { timeout: 300_000 });
  await page.locator('chapter-toolbar .toolbar-cancel').click();
  await expect(batch).toContainText(/^Setting the stage stopped at .* django-build-weweb01: .*cancel/i, {
    timeout: 60_000,
  });
  expect((await apiState(runner)).batch, 'nothing runs after Cancel').toBeUndefined();

  await reset();
  await expect(batch).toContainText(/^The stage is set: \d+ steps?\b/, { timeout: 900_000 });
  const steps = (await apiState(runner)).steps;
  expect(steps['django-build-weweb01']?.status, 'chapter 3’s image is built').toBe('ok');
  expect(steps['django-runserver'], 'a service is not part of the stage').toBeUndefined();
}
