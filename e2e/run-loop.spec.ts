/**
 * Issue 9: the run loop holds up when a learner behaves like a learner. One test per numbered
 * problem of the issue (its number in the title), in a real Chromium against the real runner,
 * lab container and Docker engine. Actions use the controls' classes (not their names) so each
 * test fails on the behaviour it is about.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { chaptersEngine } from './chapters-engine.ts';
import { docker } from '../runner/engine/engine.ts';
import { LAB_CONTAINER } from '../runner/images/recipes.ts';
import { internetProbe } from '../runner/preflight.ts';
import { startRunnerProcess, type RunningRunner } from '../test/support/runner-process.ts';
import { apiState, resetViaApi, runViaApi, stage, stepOf, stepOnPage, untilPausedOrEnded } from './run-loop-support.ts';
import { builtManifest, screenshot } from './site.ts';

// In file order, one worker; not 'serial', so one failure does not skip the tests after it (a
// failed test restarts the worker, and beforeAll starts a fresh runner on a clean slate).

let runner: RunningRunner;

test.beforeAll(async () => {
  runner = await startRunnerProcess({ target: 'lab' });
  await resetViaApi(runner); // no containers, networks or images left from an earlier run
});

test.afterAll(async () => {
  await runner?.stop();
});

async function open(page: Page, chapter: string): Promise<void> {
  await page.goto(`${runner.url}/${chapter}/?token=${runner.token}`);
  await expect(page.locator('chapter-toolbar .toolbar-controls')).toBeVisible({ timeout: 30_000 });
}

const finalBadge = /^(ok|already|failed|skipped|cancelled|ready)$/;

test('3 · progress: chapter 1 offline fills the bar only with passed steps and says which were skipped', async ({
  page,
}) => {
  await open(page, 'environment');
  await page.locator('chapter-toolbar .toolbar-run-all').click();
  await expect(page.locator('chapter-toolbar .toolbar-batch')).toContainText(/Finished|Stopped/, {
    timeout: 300_000,
  });
  const state = await apiState(runner);
  const chapter = builtManifest().chapters.find((c) => c.id === 'environment')!;
  const runnable = chapter.steps.filter((id) => stepOf(id).kind !== 'manual');
  const passed = runnable.filter((id) => state.steps[id]?.status === 'ok').length;
  const skipped = runnable.filter((id) => state.steps[id]?.status === 'skipped');
  await expect(page.locator('chapter-toolbar .toolbar-progress progress')).toHaveJSProperty('value', passed);
  if (skipped.length > 0) {
    await expect(page.locator('chapter-toolbar .toolbar-progress-text')).toContainText(`${skipped.length} skipped`);
    await expect(page.locator('chapter-toolbar .toolbar-batch')).toContainText(/skipped/);
    // 6 · the reason is said once, not once as output and once as the result.
    const first = stepOnPage(page, skipped[0]!);
    const text = await first.output.innerText();
    expect(text.match(/needs internet/g)?.length, text).toBe(1);
  } else {
    expect(await internetProbe()(), 'nothing skipped, so the machine is online').toBe(true);
  }
  // The package check runs in the lab offline: Django, Gunicorn and psycopg2 are there.
  expect(state.steps['env-check-packages']?.status).toBe('ok');
  await screenshot(page, 'run-loop-progress-environment');
});

test('11 · Run all pauses where the text asks to open :8000, and 2 · pressed twice passes both times', async ({
  page,
}) => {
  test.setTimeout(40 * 60_000);
  await open(page, 'django-in-docker');
  for (const round of [1, 2]) {
    await page.locator('chapter-toolbar .toolbar-run-all').click();
    for (const checkpoint of ['django-runserver', 'django-run-weweb01']) {
      const resume = page.locator('chapter-toolbar .toolbar-continue');
      // Wait until Run all pauses or ends (a runner without checkpoints rushes on to the end).
      const pausedAt = await untilPausedOrEnded(runner, 600_000);
      expect(pausedAt, `round ${round}: pauses after ${checkpoint}`).toBe(checkpoint);
      await expect(resume).toBeVisible();
      // What the text asks to look at is there while Run all waits.
      const answer = await fetch('http://127.0.0.1:8000/').then((r) => r.text());
      expect(answer).toContain('The install worked successfully! Congratulations!');
      if (checkpoint === 'django-run-weweb01') {
        // 5 · a `docker run -p` step has its own Open link, where the step is.
        const step = stepOnPage(page, checkpoint);
        await expect(step.open).toBeVisible();
        expect(await step.open.getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:8000\/\?run=/);
      }
      await resume.click();
    }
    await expect(page.locator('chapter-toolbar .toolbar-batch')).toContainText(/^Finished/, { timeout: 600_000 });
    const state = await apiState(runner);
    expect(state.steps['django-startproject']?.status, `round ${round}`).toBe('ok');
    expect(state.steps['django-migrate']?.status, `round ${round}`).toBe('ok');
  }
  // The second time, startproject found its project and migrate had nothing to apply: both passed.
  await expect(stepOnPage(page, 'django-startproject').badge).toHaveAttribute('data-status', 'already');
  await expect(stepOnPage(page, 'django-migrate').root).toContainText('what a re-run prints');
});

test('2 · running a step again answers honestly (migrate: "No migrations to apply.")', async ({ page }) => {
  await stage(runner, 'django-in-docker', 'django-runserver');
  await open(page, 'django-in-docker');
  const migrate = stepOnPage(page, 'django-migrate');
  await migrate.run.click();
  await expect(migrate.badge).toHaveAttribute('data-status', finalBadge, { timeout: 120_000 });
  await expect(migrate.badge).toHaveAttribute('data-status', 'ok');
  await expect(migrate.log).toContainText('No migrations to apply.');
});

test('5 · a `docker run -p` step opens its page from where the step is', async ({ page, context }) => {
  await stage(runner, 'django-in-docker', 'django-run-weweb01');
  await open(page, 'django-in-docker');
  const run = stepOnPage(page, 'django-run-weweb01');
  await run.run.click();
  await expect(run.badge).toHaveAttribute('data-status', 'ok', { timeout: 180_000 });
  await expect(run.open).toBeVisible({ timeout: 20_000 });
  const [tab] = await Promise.all([context.waitForEvent('page'), run.open.click()]);
  await expect(tab.getByText('The install worked successfully! Congratulations!').first()).toBeVisible();
  await tab.close();
  expect((await runViaApi(runner, 'django-stop-weweb01')).status).toBe('ok');
  await expect(run.open).toBeHidden({ timeout: 20_000 }); // nothing answers there any more
});

test('9 · Run while another step runs is queued, shown as queued, and runs after it', async ({ page }) => {
  await open(page, 'nginx-gunicorn');
  // A server on the lab's :80 that accepts and never answers keeps the curl step running until cancelled.
  const silent = await silentServerOn80();
  try {
    const curl = stepOnPage(page, 'nginx-curl-through-nginx');
    const list = stepOnPage(page, 'nginx-container-ls');
    await curl.run.click();
    await expect(curl.badge).toHaveAttribute('data-status', 'running');
    await list.run.click();
    await expect(list.badge).toHaveAttribute('data-status', 'queued');
    await expect(list.root.locator('.step-error')).toHaveCount(0);
    await curl.cancel.click();
    await expect(curl.badge).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
    await expect(list.badge).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
    await expect(list.log).toContainText('CONTAINER ID');

    // A queued click can be taken back before it runs.
    await curl.run.click();
    await expect(curl.badge).toHaveAttribute('data-status', 'running');
    await list.run.click();
    await expect(list.badge).toHaveAttribute('data-status', 'queued');
    await list.cancel.click();
    await expect(list.badge).toHaveAttribute('data-status', 'cancelled');
    await curl.cancel.click();
    await expect(curl.badge).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
    await page.waitForTimeout(1000);
    await expect(list.badge).toHaveAttribute('data-status', 'cancelled'); // it never ran
  } finally {
    await silent.close();
  }
});

/**
 * A server on the lab's :80 that accepts and never answers, so `curl` waits until cancelled. It
 * runs inside the lab, whose :80 is this machine's (shared lab) or its own (isolated lab).
 */
async function silentServerOn80(): Promise<{ close: () => Promise<void> }> {
  expect((await runViaApi(runner, 'yaml-make-folder')).status, 'the lab is up').toBe('ok');
  const script = [
    'import os, socket, time',
    's = socket.socket()',
    's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
    "s.bind(('0.0.0.0', 80))",
    's.listen(16)',
    "open('/tmp/silent-80.pid', 'w').write(str(os.getpid()))",
    'time.sleep(900)',
  ].join('\n');
  await docker(['exec', '-d', LAB_CONTAINER, 'python3', '-c', script]);
  await expect
    .poll(() => docker(['exec', LAB_CONTAINER, 'cat', '/tmp/silent-80.pid']).catch(() => ''), { timeout: 20_000 })
    .not.toBe('');
  return {
    close: async () => {
      await docker(['exec', LAB_CONTAINER, 'sh', '-c', 'kill $(cat /tmp/silent-80.pid); rm -f /tmp/silent-80.pid']);
    },
  };
}

test('6 · the runner’s own lines stay out of what the commands printed', async ({ page }) => {
  await stage(runner, 'django-in-docker', 'django-runserver');
  await open(page, 'django-in-docker');
  expect((await runViaApi(runner, 'django-runserver')).status).toBe('ok');
  const copy = stepOnPage(page, 'django-copy-ex03');
  await copy.run.click();
  await expect(copy.badge).toHaveAttribute('data-status', finalBadge, { timeout: 120_000 });
  await expect(copy.root.locator('.step-output')).not.toContainText('stopping django-runserver first');
});

test('8 · after a reload every step shows its last output, not a button to fetch it', async ({ page }) => {
  await stage(runner, 'django-in-docker', 'django-tree-project');
  await open(page, 'django-in-docker');
  const tree = stepOnPage(page, 'django-tree-project');
  await tree.run.click();
  await expect(tree.badge).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
  await page.reload();
  await expect(tree.log).toBeVisible({ timeout: 20_000 });
  await expect(tree.log).toContainText('manage.py');
});

test('1 · reloading at random moments during long steps always converges to what the runner reports', async ({
  page,
}) => {
  test.setTimeout(30 * 60_000);
  await stage(runner, 'django-in-docker', 'django-build-weweb01');
  await open(page, 'django-in-docker');
  const steps = ['django-build-weweb01', 'django-migrate'];
  let duringRuns = 0;
  // A cached build or a second migrate can end within a second: reload soon after the start (and
  // try more often) so at least ten reloads land while a step still runs.
  for (let i = 0; duringRuns < 10 && i < 60; i++) {
    const id = steps[i % steps.length]!;
    const response = await runner.api('/api/runs', { json: { id, hash: stepOf(id).hash } });
    expect(response.status).toBe(202);
    await page.waitForTimeout(Math.random() * 300);
    if ((await apiState(runner)).active.some((a) => a.stepId === id)) duringRuns++;
    await page.reload();
    // Once the run is over, the page says what the runner says, with the output.
    let status: string | undefined;
    await expect
      .poll(async () => (status = (await apiState(runner)).steps[id]?.status), { timeout: 300_000 })
      .toMatch(/^(ok|failed)$/);
    const step = stepOnPage(page, id);
    await expect(step.badge, `reload ${i + 1} during ${id}`).toHaveAttribute('data-status', status!, {
      timeout: 15_000,
    });
    await expect(step.root.locator('.step-elapsed')).toBeHidden();
    await expect(step.log).toBeVisible();
    await expect(step.log).not.toBeEmpty();
  }
  expect(duringRuns, 'reloads while a step was running').toBeGreaterThanOrEqual(10);
});

test('4 · a port page opened after another server answered there is never the cached one', async ({
  page,
  context,
}) => {
  test.setTimeout(40 * 60_000);
  await stage(runner, 'django-in-docker', 'django-image-ls');
  for (const id of ['nginx-dockerfile-ex04', 'nginx-build-mynginx01', 'nginx-run-mynginx01']) {
    expect((await runViaApi(runner, id)).status, id).toBe('ok');
  }
  await open(page, 'nginx-gunicorn');
  const containerLink = page.locator('chapter-toolbar .toolbar-services a').filter({ hasText: ':80' }).first();
  await expect(containerLink).toBeVisible({ timeout: 20_000 });
  const [first] = await Promise.all([context.waitForEvent('page'), containerLink.click()]);
  await expect(first.getByText('Welcome to nginx!').first()).toBeVisible();
  await first.close();

  for (const id of [
    'nginx-stop-mynginx01',
    'nginx-make-ex05',
    'nginx-requirements-gunicorn',
    'nginx-dockerfile-myweb02',
    'nginx-default-conf',
    'nginx-dockerfile-mynginx02',
    'nginx-build-myweb02',
    'nginx-build-mynginx02',
    'nginx-network-create',
    'nginx-run-djangotest',
    'nginx-run-nginxtest',
  ]) {
    expect((await runViaApi(runner, id)).status, id).toBe('ok');
  }
  await page.reload();
  const link = page.locator('chapter-toolbar .toolbar-services a').filter({ hasText: ':80' }).first();
  await expect(link).toBeVisible({ timeout: 20_000 });
  const [second] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await expect(second.getByText('The install worked successfully! Congratulations!').first()).toBeVisible();
  await screenshot(second, 'run-loop-django-through-nginx-not-cached');
  await second.close();
  for (const id of ['nginx-stop-containers', 'nginx-rm-containers', 'nginx-network-rm']) {
    expect((await runViaApi(runner, id)).status, id).toBe('ok');
  }
});

test('2 · "Reset this chapter" removes only what this chapter made, and the chapter runs again', async ({ page }) => {
  test.setTimeout(20 * 60_000);
  await stage(runner, 'django-in-docker', 'django-image-ls');
  for (const id of ['nginx-dockerfile-ex04', 'nginx-build-mynginx01', 'nginx-make-ex05']) {
    expect((await runViaApi(runner, id)).status, id).toBe('ok');
  }
  await open(page, 'nginx-gunicorn');
  await expect(stepOnPage(page, 'nginx-build-mynginx01').badge).toHaveAttribute('data-status', 'ok');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.locator('chapter-toolbar .toolbar-reset-chapter').click();
  await expect(stepOnPage(page, 'nginx-build-mynginx01').badge).toHaveAttribute('data-status', 'idle', {
    timeout: 120_000,
  });
  const images = (await chaptersEngine()(['image', 'ls', '--format', '{{.Repository}}'])).split('\n');
  expect(images).not.toContain('mynginx01');
  expect(images, 'the chapter before keeps its image').toContain('weweb01');
  expect(existsSync(path.join(runner.workspace, 'ch05/ex05')), 'this chapter’s folder').toBe(false);
  expect(existsSync(path.join(runner.workspace, 'ch05/ex03/Dockerfile')), 'the chapter before keeps its work').toBe(
    true,
  );
  expect((await apiState(runner)).steps['django-build-weweb01']?.status, 'and its progress').toBe('ok');
  // It runs again from the start, as the first time.
  const make = stepOnPage(page, 'nginx-dockerfile-ex04');
  await make.run.click();
  await expect(make.badge).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
});

test('10 · a cancelled step shows no exit code, and a finished task line goes away', async ({ page }) => {
  await open(page, 'nginx-gunicorn');
  // curl waits on a server that never answers until the learner cancels it.
  const silent = await silentServerOn80();
  try {
    const curl = stepOnPage(page, 'nginx-curl-through-nginx');
    await curl.run.click();
    await expect(curl.badge).toHaveAttribute('data-status', 'running');
    await page.waitForTimeout(3000);
    await curl.cancel.click();
    await expect(curl.badge).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
    await expect(curl.root.locator('.step-summary')).not.toContainText('exit code');
  } finally {
    await silent.close();
  }

  page.once('dialog', (dialog) => void dialog.accept());
  await page.locator('chapter-toolbar .toolbar-reset').click();
  const task = page.locator('chapter-toolbar .toolbar-task');
  await expect(task).toContainText(/Reset: done/, { timeout: 180_000 });
  await expect(task).toBeHidden({ timeout: 30_000 });
});
