/**
 * Issue 12, the terminal: the in-page terminal is the learner's own session, the same one the
 * steps run in. On the host target with Docker out of reach (DOCKER_HOST points nowhere), so
 * these need neither the lab nor the lab lock; the session files and the terminal's shell script
 * are the same on the lab target, where only the way the pty is reached differs.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { startRunnerProcess, type RunningRunner } from '../test/support/runner-process.ts';
import { openTerminal, screen, sessionSharedBothWays, type } from './terminal-support.ts';

const NO_DOCKER = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', TUTORIAL_PROFILE: 'offline' };
let runner: RunningRunner;

test.beforeAll(async () => {
  runner = await startRunnerProcess({ target: 'host', env: NO_DOCKER });
});
test.afterAll(async () => {
  await runner?.stop();
});

test("a step's cd is seen by the terminal; the terminal's cd and export by the next step", async ({ page }) => {
  await openTerminal(page, runner);
  await sessionSharedBothWays(page, runner);
});

test('after a reload the terminal shows what it showed, and two tabs see the same terminal', async ({
  page,
  context,
}) => {
  await openTerminal(page, runner);
  await type(page, 'echo "marker-$((6 * 7))"');
  await expect(screen(page)).toContainText('marker-42');
  await page.reload();
  await openTerminal(page, runner);
  await expect(screen(page)).toContainText('marker-42');

  const other = await context.newPage();
  await openTerminal(other, runner);
  await expect(screen(other)).toContainText('marker-42');
  await type(other, 'echo "from-the-$((2 + 1))rd-tab"');
  await expect(screen(page)).toContainText('from-the-3rd-tab');
});

test('the terminal refuses a connection without the token and one from a foreign Origin', async () => {
  const url = `ws://127.0.0.1:${runner.port}/api/terminal`;
  const outcome = (socket: WebSocket) =>
    new Promise<number | 'open'>((resolve, reject) => {
      socket.once('open', () => (socket.close(), resolve('open')));
      socket.once('unexpected-response', (_request, response) => (socket.terminate(), resolve(response.statusCode!)));
      socket.once('error', reject);
    });
  expect(await outcome(new WebSocket(url))).toBe(401);
  expect(await outcome(new WebSocket(`${url}?token=wrong-${runner.token}`))).toBe(403);
  const origin = 'http://evil.example';
  expect(await outcome(new WebSocket(`${url}?token=${runner.token}`, { origin }))).toBe(403);
  // The same request from the runner's own page is let in: the refusals above are the checks'.
  const own = `http://127.0.0.1:${runner.port}`;
  expect(await outcome(new WebSocket(`${url}?token=${runner.token}`, { origin: own }))).toBe('open');
});

test('--no-terminal: the checks still come first, then the page is told the terminal is off', async () => {
  const off = await startRunnerProcess({ target: 'host', env: NO_DOCKER, args: ['--no-terminal', '--no-site'] });
  try {
    const url = `ws://127.0.0.1:${off.port}/api/terminal`;
    const refused = new WebSocket(url);
    const status = await new Promise<number>((resolve) =>
      refused.once('unexpected-response', (_request, response) => resolve(response.statusCode!)),
    );
    expect(status).toBe(401);
    const socket = new WebSocket(`${url}?token=${off.token}`);
    const notices: string[] = [];
    socket.on('message', (data, binary) => (binary ? notices.push('output!') : notices.push(String(data))));
    const code = await new Promise<number>((resolve) => socket.once('close', resolve));
    expect(code).toBe(4001);
    expect(notices).toEqual([
      JSON.stringify({ type: 'unavailable', message: 'this runner was started with --no-terminal' }),
    ]);
  } finally {
    await off.stop();
  }
});

for (const theme of ['light', 'dark'] as const) {
  test(`the open terminal passes axe at phone width in the ${theme} theme, and Esc then Tab leaves it`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
    await openTerminal(page, runner);
    // All 16 colours, as `ls --color` and prompts use them: each must be readable here.
    await type(page, 'for c in 3{0..7} 9{0..7}; do printf "\\e[${c}m c$c"; done; printf "\\e[0m end\\n"');
    await expect(screen(page)).toContainText('c97 end');
    const results = await new AxeBuilder({ page }).include('terminal-panel').include('.terminal-dock').analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Close the terminal' })).toBeFocused();
  });
}
