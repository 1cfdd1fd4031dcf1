/**
 * Issue 12, the learner's own hands: edit a step, run the edited version, see the diff and the
 * verdict against the original's expected output, keep the edit over a reload, restore it; and
 * the Files panel, which follows the steps and opens (and saves) a file they wrote. On the host
 * target with Docker out of reach, so no lab and no lock: one runner for the file, and only the
 * steps these need.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { Transcript } from '../contract/protocol.ts';
import { startRunnerProcess, type RunningRunner } from '../test/support/runner-process.ts';
import { runViaApi, stepOnPage } from './run-loop-support.ts';

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

test('edit a step, run it, see the diff and that it was edited; the edit survives a reload; restore', async ({
  page,
}) => {
  await open(page, 'environment');
  const step = stepOnPage(page, 'env-tree-demo');
  const edit = step.root.getByRole('button', { name: /^Edit the code of:/ });
  await edit.click();
  const editor = step.root.getByRole('textbox', { name: /^Your version of the code:/ });
  await expect(editor).toBeFocused();
  await expect(editor).toHaveValue(/tree mysite/);
  // One more file than the chapter makes: the expected "directories, 5 files" no longer holds.
  await editor.press('Control+Home');
  await editor.pressSequentially('touch edited-by-learner.txt\n');
  await expect(step.root.locator('.step-edited-badge')).toBeVisible();
  const diff = step.root.getByLabel(/^Your changes to the original:/);
  await expect(diff.locator('.diff-add')).toHaveText(['+ touch edited-by-learner.txt']);
  await expect(diff.locator('.diff-del')).toHaveCount(0);

  await step.run.click();
  await expect(step.badge).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
  // The edited line ran: its file is in the workspace, and the transcript records the code.
  readFileSync(path.join(runner.workspace, 'tree-demo', 'edited-by-learner.txt'));
  const transcript = (await (await runner.api('/api/steps/env-tree-demo/transcript')).json()) as Transcript;
  expect(transcript.state.edited).toBe(true);
  expect(transcript.edited?.code).toMatch(/^touch edited-by-learner\.txt\n/);
  await expect(step.root.locator('.step-editor-note')).toHaveText(/This run was of your edited version/);

  // Now a version whose output differs: the verdict says the step was edited.
  await editor.fill('echo not the chapter tree\n');
  await step.run.click();
  await expect(step.badge).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
  await expect(step.root.locator('.step-message')).toContainText('this step was edited');
  await expect(step.root.locator('.step-editor-note')).toContainText('this step was edited');

  // A reload keeps the edit (this browser's storage), with its badge and diff.
  await page.reload();
  await expect(page.locator('chapter-toolbar .toolbar-controls')).toBeVisible({ timeout: 30_000 });
  await expect(step.root.locator('.step-edited-badge')).toBeVisible();
  await expect(diff.locator('.diff-add')).toHaveText(['+ echo not the chapter tree']);
  await expect(diff.locator('.diff-del').first()).toHaveText('- mkdir -p mysite/config mysite/static/css');

  // Restore: no badge, no diff, and Run runs the shipped step again, which passes.
  await step.root.getByRole('button', { name: /^Restore the original code:/ }).click();
  await expect(step.root.locator('.step-edited-badge')).toBeHidden();
  await expect(diff).toBeHidden();
  await step.run.click();
  await expect(step.badge).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
  const shipped = (await (await runner.api('/api/steps/env-tree-demo/transcript')).json()) as Transcript;
  expect(shipped.state.edited).toBeUndefined();
  expect(shipped.edited).toBeUndefined();
});

test('the Files panel follows the steps, opens a file they wrote, and saves an edit of it', async ({ page }) => {
  await open(page, 'yaml');
  const panel = page.locator('workspace-files');
  await panel.locator('summary').click();
  const file = panel.getByRole('button', { name: 'Open ch05/ex01/yaml_practice.yml' });
  await expect(file).toHaveCount(0);
  // The panel is open when the step writes the file: the list follows without a click.
  await stepOnPage(page, 'yaml-write-pod').run.click();
  await expect(stepOnPage(page, 'yaml-write-pod').badge).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
  await expect(file).toBeVisible();
  await expect(panel.getByText('.runner')).toHaveCount(0);

  await file.click();
  const text = panel.getByRole('textbox', { name: 'Edit ch05/ex01/yaml_practice.yml' });
  await expect(text).toBeFocused();
  await expect(text).toHaveValue(/kind: Pod/);
  await text.press('Control+End');
  await text.pressSequentially('\n# saved from the Files panel\n');
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel.locator('.files-status')).toHaveText('Saved.');
  const onDisk = readFileSync(path.join(runner.workspace, 'ch05/ex01/yaml_practice.yml'), 'utf8');
  expect(onDisk).toMatch(/kind: Pod[\s\S]*# saved from the Files panel\n/);

  // The same checks as any API call: no token, no files.
  const bare = await fetch(`${runner.url}/api/files`);
  expect(bare.status).toBe(401);
});

test('at phone width, the editor, its diff and the Files panel fit the screen and pass axe, in both themes', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 760 });
  expect((await runViaApi(runner, 'yaml-write-pod')).status).toBe('ok'); // a file to open, whatever ran before
  for (const theme of ['dark', 'light']) {
    await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
    await open(page, 'yaml');
    const step = stepOnPage(page, 'yaml-write-pod');
    await step.root.getByRole('button', { name: /^Edit the code of:/ }).click();
    const editor = step.root.getByRole('textbox', { name: /^Your version of the code:/ });
    await editor.press('Control+End');
    await editor.pressSequentially(
      '\n# a learner line that is rather long, longer than a phone screen is wide, surely\n',
    );
    await expect(step.root.locator('.step-editor-diff .diff-add')).toHaveCount(1);
    const panel = page.locator('workspace-files');
    await panel.locator('summary').click();
    await panel.getByRole('button', { name: 'Open ch05/ex01/yaml_practice.yml' }).click();
    await expect(panel.getByRole('textbox')).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'the page does not scroll sideways').toBeLessThanOrEqual(0);
    const axe = await new AxeBuilder({ page })
      .include('runnable-step[data-step-id="yaml-write-pod"]')
      .include('workspace-files')
      .analyze();
    expect(axe.violations, `${theme}: ${JSON.stringify(axe.violations, null, 1)}`).toEqual([]);
    await step.root.getByRole('button', { name: /^Restore the original code:/ }).click();
  }
});
