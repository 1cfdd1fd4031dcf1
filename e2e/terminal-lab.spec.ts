/**
 * Issue 12, the terminal in the lab: the shell is `docker exec -it` into myserver01, in the same
 * session as the lab's steps, and the window size reaches it. Needs Docker and the lab, so run it
 * under the lab lock: `flock /tmp/lab.lock npx playwright test e2e/terminal-lab.spec.ts`.
 */
import { expect, test } from '@playwright/test';
import { startRunnerProcess, type RunningRunner } from '../test/support/runner-process.ts';
import { openTerminal, screen, sessionSharedBothWays, type } from './terminal-support.ts';

let runner: RunningRunner;

test.beforeAll(async () => {
  runner = await startRunnerProcess({ target: 'lab' });
});
test.afterAll(async () => {
  await runner?.stop();
});

test('the lab terminal is a shell in myserver01, in the steps’ session, at the window’s size', async ({ page }) => {
  await openTerminal(page, runner);
  await type(page, 'echo "on $(hostname) as $(id -un), size $(stty size)"');
  await expect(screen(page)).toContainText(/on myserver01 as root, size \d+ \d+/);
  const before = /size (\d+) (\d+)/.exec(await screen(page).innerText())!;
  await page.setViewportSize({ width: 900, height: 700 }); // the panel is refitted; the pty follows
  await expect
    .poll(async () => {
      await type(page, 'echo "now $(stty size)"');
      return [...(await screen(page).innerText()).matchAll(/now (\d+) (\d+)/g)].at(-1)?.[2];
    })
    .not.toBe(before[2]);
  await sessionSharedBothWays(page, runner);
});
