/**
 * Issue 9, problem 7: every runner restart made a new token, and every open tab then said "this
 * page has no valid token". The token now survives restarts (token-file.ts) and an open tab
 * reconnects by itself. About the token only, so the runner runs on the host target with Docker
 * out of reach (DOCKER_HOST points nowhere): this spec needs neither the lab nor the lab lock.
 */
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startRunnerProcess, type RunningRunner } from '../test/support/runner-process.ts';

const NO_DOCKER = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', TUTORIAL_PROFILE: 'offline' };

test('7 · a runner restart keeps the token, and an open tab reconnects by itself', async ({ page }) => {
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  const stateDir = mkdtempSync(path.join(tmpdir(), 'tutorial-state-'));
  const workspace = mkdtempSync(path.join(tmpdir(), 'tutorial-ws-'));
  const options = {
    target: 'host' as const,
    workspace,
    stateDir,
    args: ['--port', String(port)],
    env: NO_DOCKER,
  };
  let first: RunningRunner | undefined = await startRunnerProcess(options);
  try {
    await page.goto(`${first.url}/yaml/?token=${first.token}`);
    const status = page.locator('chapter-toolbar .toolbar-status');
    await expect(status).toContainText('Runner connected', { timeout: 30_000 });
    await first.stop();
    first = undefined;
    await expect(status).not.toContainText('Runner connected', { timeout: 30_000 });
    first = await startRunnerProcess(options);
    await expect(status).toContainText('Runner connected', { timeout: 60_000 });
    await expect(page.locator('runnable-step .step-run').first()).toHaveAttribute('aria-disabled', 'false');
  } finally {
    await first?.stop();
  }
});
