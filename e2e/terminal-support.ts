/** Shared by the terminal specs (host and lab): the panel, typing, and the session shared both ways. */
import { expect, type Page } from '@playwright/test';
import type { RunningRunner } from '../test/support/runner-process.ts';
import { stepOnPage } from './run-loop-support.ts';

export async function openTerminal(page: Page, runner: RunningRunner): Promise<void> {
  await page.goto(`${runner.url}/yaml/?token=${runner.token}`);
  const toggle = page.getByRole('button', { name: 'Terminal', exact: true });
  await expect(toggle).toBeVisible({ timeout: 30_000 });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(screen(page)).toContainText(/[$#] /, { timeout: 180_000 }); // the prompt (the lab may be starting)
}

/** Types a command line into the terminal, as a learner does. */
export async function type(page: Page, line: string): Promise<void> {
  await page.locator('.terminal-dock .xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

export const screen = (page: Page) => page.locator('.terminal-dock .xterm-rows');

/**
 * A step's `cd` is where the terminal's next command runs; the terminal's `cd` and `export` are
 * what the next step starts from. Needs a fresh workspace, with the terminal open on the yaml chapter.
 */
export async function sessionSharedBothWays(page: Page, runner: RunningRunner): Promise<void> {
  // Step → terminal: this step ends with `cd ch05/ex01`.
  const folder = stepOnPage(page, 'yaml-make-folder');
  await folder.run.click();
  await expect(folder.badge).toHaveAttribute('data-status', 'ok', { timeout: 120_000 });
  await type(page, 'echo "here: $(pwd)"');
  await expect(screen(page)).toContainText(`here: ${runner.workspace}/ch05/ex01`);
  // The step's commands are in the terminal's history too, as if typed there.
  await type(page, "history | grep -c '[0-9]  mkdir -p ch05/ex01$' | sed 's/^/in-history: /'");
  await expect(screen(page)).toContainText(/in-history: [1-9]/);

  // Terminal → step: `pip install pyyaml` runs in the session's folder with the session's PATH,
  // so a `pip` of the learner's own, found through an exported PATH, is the one that answers.
  await type(page, 'mkdir -p ../mybin && cd ../mybin');
  await type(page, `printf '#!/bin/sh\\necho "my pip in $PWD says $GREETING"\\n' > pip && chmod +x pip`);
  await type(page, 'export PATH="$PWD:$PATH" GREETING=hello-from-the-terminal');
  const install = stepOnPage(page, 'yaml-install-pyyaml');
  await install.run.click();
  await expect(install.root).toContainText(`my pip in ${runner.workspace}/ch05/mybin says hello-from-the-terminal`, {
    timeout: 60_000,
  });
}
