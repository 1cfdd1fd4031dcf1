/**
 * The controls around a run, in the browser: a service shows up in the chapter's services list
 * with its port, Stop ends it (from the list or from its step), and a finished step shows its
 * exit code and duration. (Cancelling a foreground step is covered through the API in
 * test/runner/lifecycle.test.ts; the page's Cancel calls the same endpoint.)
 */
import { expect, test } from '@playwright/test';
import type { RunnerState } from '../contract/protocol.ts';
import { startRunnerProcess, type RunningRunner } from '../test/support/runner-process.ts';
import { builtManifest, screenshot } from './site.ts';

let runner: RunningRunner;

test.beforeAll(async () => {
  runner = await startRunnerProcess({ target: 'lab' });
  // The steps before runserver, through the API: this spec is about the controls, not them.
  for (const id of ['django-startproject', 'django-allowed-hosts', 'django-migrate']) {
    const step = builtManifest().steps.find((s) => s.id === id)!;
    expect((await runner.api('/api/runs', { json: { id, hash: step.hash } })).status).toBe(202);
    await expect
      .poll(async () => ((await (await runner.api('/api/state')).json()) as RunnerState).steps[id]?.status, {
        timeout: 300_000, // the first lab step may start (or build) the lab container
      })
      .toBe('ok');
  }
});

test.afterAll(async () => {
  await runner?.stop();
});

test('a service is listed with its port and stops from the services list', async ({ page }) => {
  await page.goto(`${runner.url}/django-in-docker/?token=${runner.token}`);
  const step = page.locator('runnable-step[data-step-id="django-runserver"]');
  await step.getByRole('button', { name: 'Run: Run the development server' }).click();
  await expect(step.locator('.step-bar .step-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await expect(step.getByRole('link', { name: 'Open the page of: Run the development server' })).toBeVisible();
  expect(await step.locator('a.step-open').getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:8000\/\?run=/);

  const services = page.locator('chapter-toolbar .toolbar-services');
  await expect(services).toBeVisible();
  await expect(services).toContainText('Run the development server');
  await expect(services.getByRole('link', { name: /:8000/ })).toBeVisible();
  await page.locator('chapter-toolbar').scrollIntoViewIfNeeded();
  await screenshot(page, 'services-list');

  await services.getByRole('button', { name: 'Stop Run the development server' }).click();
  await expect(services).toBeHidden({ timeout: 20_000 });
  await expect
    .poll(
      () =>
        fetch('http://127.0.0.1:8000/').then(
          () => 'up',
          () => 'down',
        ),
      { timeout: 10_000 },
    )
    .toBe('down');
});

test("a service's own Stop button ends it and the page says so", async ({ page }) => {
  await page.goto(`${runner.url}/django-in-docker/?token=${runner.token}`);
  const step = page.locator('runnable-step[data-step-id="django-runserver"]');
  await step.getByRole('button', { name: 'Run: Run the development server' }).click();
  await expect(step.locator('.step-bar .step-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  // A background step's Cancel is its Stop button; the run ends and nothing answers on the port.
  await step.getByRole('button', { name: 'Stop: Run the development server' }).click();
  await expect(step.locator('.step-bar .step-status')).toHaveAttribute('data-status', 'ok', { timeout: 20_000 });
  await expect(step).toContainText(/then stopped/);
  const state = (await (await runner.api('/api/state')).json()) as RunnerState;
  expect(state.services).toEqual([]);
  expect(state.active).toEqual([]);
});

test('the page shows exit code and duration of a finished step', async ({ page }) => {
  await page.goto(`${runner.url}/django-in-docker/?token=${runner.token}`);
  const step = page.locator('runnable-step[data-step-id="django-tree-project"]');
  await step.getByRole('button', { name: 'Run: Look at what was created' }).click();
  await expect(step.locator('.step-bar .step-status')).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await expect(step).toContainText(/exit code 0/);
  await expect(step).toContainText(/\d+(\.\d+)? ?(ms|s)/);
  await expect(step.locator('.step-output')).toContainText('manage.py');
});

test('the link `npm start` prints opens the landing page, and the chapters then have the token', async ({ page }) => {
  await page.goto(runner.openLink); // the 0600 page in the state folder, which forwards with the token
  await expect(page).toHaveURL(`${runner.url}/`); // taken out of the address bar
  await expect(page.locator('runner-presence')).toContainText('Runner connected');
  await page.getByRole('link', { name: 'Start with chapter 1' }).click();
  await page.goto(`${runner.url}/yaml/`);
  await expect(page.getByRole('button', { name: 'Run: Installing PyYAML' })).toHaveAttribute('aria-disabled', 'false');
});
