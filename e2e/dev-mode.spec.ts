/**
 * `npm run dev` for authors: the real command, on a copy of the chapters (TUTORIAL_CONTENT_DIR,
 * never content/ itself). Saving a chapter changes the open page and the runner's manifest at
 * once: a new step runs, a changed step runs only with its new hash and its old status shows as
 * stale; a bad fence shows as `<dir>/<file>:<line>: <reason>` in the terminal and the overlay.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { RunnerState } from '../contract/protocol.ts';
import { ROOT } from './site.ts';

// Beside content/, so the chapters' own imports (../src/...) resolve as they do there.
const CONTENT = `.dev-test-content-${process.pid}`;
const CHAPTER = path.join(ROOT, CONTENT, 'yaml.mdx');
const PROBE = 'dev-edit-probe';

let dev: ChildProcess;
let log = '';
let origin = '';
let token = '';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function api(pathname: string, json?: unknown): Promise<Response> {
  return fetch(origin + pathname, {
    method: json === undefined ? 'GET' : 'POST',
    headers: { 'x-runner-token': token, 'content-type': 'application/json', origin },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
}

/** Appends a runnable step to the chapter copy, or rewrites it when it is already there. */
function writeProbe(command: string): void {
  const text = readFileSync(CHAPTER, 'utf8').replace(new RegExp(`\\n## Dev probe[\\s\\S]*$`), '');
  writeFileSync(CHAPTER, `${text}\n## Dev probe\n\n\`\`\`sh {id=${PROBE}}\n${command}\n\`\`\`\n`);
}

function probeOnPage(page: Page) {
  return page.locator(`runnable-step[data-step-id="${PROBE}"]`);
}

async function runProbe(hash: string): Promise<number> {
  const status = (await api('/api/runs', { id: PROBE, hash })).status;
  if (status !== 202) return status;
  await expect
    .poll(async () => ((await (await api('/api/state')).json()) as RunnerState).steps[PROBE]?.status)
    .toBe('ok');
  return status;
}

test.beforeAll(async () => {
  cpSync(path.join(ROOT, 'content'), path.join(ROOT, CONTENT), { recursive: true });
  // The English chapters only: this test edits them, and a translation must then change with them
  // (the build's parity check), which is another test's subject (translation-parity.test.ts).
  rmSync(path.join(ROOT, CONTENT, 'ko'), { recursive: true, force: true });
  const port = await freePort();
  const workspace = mkdtempSync(path.join(tmpdir(), 'tutorial-dev-ws-'));
  dev = spawn('npm', ['run', 'dev', '--', '--port', String(port), '--target', 'host', '--workspace', workspace], {
    cwd: ROOT,
    detached: true, // its own process group: stopping it stops the dev server it started too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TUTORIAL_CONTENT_DIR: CONTENT, TUTORIAL_PROFILE: 'offline' },
  });
  const collect = (d: Buffer) => (log += d.toString());
  dev.stdout!.on('data', collect);
  dev.stderr!.on('data', collect);
  const link = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run dev did not start:\n${log}`)), 180_000);
    dev.stdout!.on('data', () => {
      const match = /Runner ready: (http:\/\/\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(new URL(match[1]!));
      }
    });
    dev.once('exit', (code) => reject(new Error(`npm run dev exited with ${code}:\n${log}`)));
  });
  origin = link.origin;
  token = link.searchParams.get('token')!;
});

test.afterAll(async () => {
  if (dev?.exitCode === null) {
    const exited = new Promise((r) => dev.once('exit', r));
    process.kill(-dev.pid!, 'SIGTERM');
    await exited;
  }
  rmSync(path.join(ROOT, CONTENT), { recursive: true, force: true });
});

test('npm run dev serves the pages on the printed origin with the runner behind /api/', async ({ page }) => {
  expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const health = await (await api('/api/health')).json();
  expect(health.ok).toBe(true);
  expect(health.steps).toBeGreaterThan(0);
  // Another page's Origin is refused even with the token: the runner allows exactly the dev server's.
  const foreign = await fetch(`${origin}/api/yaml`, {
    method: 'POST',
    headers: { 'x-runner-token': token, 'content-type': 'application/json', origin: 'http://evil.example' },
    body: JSON.stringify({ text: 'a: 1' }),
  });
  expect(foreign.status).toBe(403);
  await page.goto(`${origin}/yaml/?token=${token}`);
  await expect(page.locator('chapter-toolbar .toolbar-status')).toHaveAttribute('data-connection', 'connected');
});

test('a saved chapter shows at once and the runner follows its manifest', async ({ page }) => {
  const before = (await (await api('/api/health')).json()).steps as number;
  await page.goto(`${origin}/yaml/?token=${token}`);
  await expect(probeOnPage(page)).toHaveCount(0);

  writeProbe('echo first version');
  // No reload by the test: the dev server reloads the open page.
  await expect(probeOnPage(page)).toHaveCount(1, { timeout: 20_000 });
  await expect(probeOnPage(page)).toContainText('echo first version');
  await expect.poll(async () => (await (await api('/api/health')).json()).steps).toBe(before + 1);
  const firstHash = (await probeOnPage(page).getAttribute('data-hash'))!;
  expect(await runProbe(firstHash)).toBe(202);

  writeProbe('echo second version');
  await expect(probeOnPage(page)).toContainText('echo second version', { timeout: 20_000 });
  const secondHash = (await probeOnPage(page).getAttribute('data-hash'))!;
  expect(secondHash).not.toBe(firstHash);
  // The old run's status is now stale on the page, and the runner only takes the new version.
  await expect(probeOnPage(page)).toContainText(/stale|changed since it ran/i);
  await expect.poll(async () => (await api('/api/runs', { id: PROBE, hash: firstHash })).status).toBe(409);
  expect(await runProbe(secondHash)).toBe(202);
  await expect(probeOnPage(page)).not.toContainText(/stale|changed since it ran/i);
});

test('a bad fence shows as file:line in the terminal and in the browser overlay', async ({ page }) => {
  await page.goto(`${origin}/yaml/?token=${token}`);
  const text = readFileSync(CHAPTER, 'utf8');
  const line = text.split('\n').findIndex((l) => l.startsWith(`\`\`\`sh {id=${PROBE}`)) + 1;
  expect(line).toBeGreaterThan(0);
  writeFileSync(CHAPTER, text.replace(`{id=${PROBE}}`, `{id=${PROBE} timeout=soon}`));
  const where = `${CONTENT}/yaml.mdx:${line}: `;
  // The overlay keeps its text in a shadow root: getByText reaches into it.
  await expect(page.locator('vite-error-overlay').getByText(where).first()).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => log).toContain(where);
  writeFileSync(CHAPTER, text);
  await expect(page.locator('vite-error-overlay')).toHaveCount(0, { timeout: 20_000 });
});
