/**
 * Chapters 5–7 (PostgreSQL in a container, a local PostgreSQL, Docker Compose) clicked through in a
 * real browser against the real runner and lab. Where a chapter has Django on PostgreSQL behind
 * Nginx, a fresh browser logs in to the admin site on :80 and finds the superuser that a step
 * created in PostgreSQL. At the end, after the chapter's own `docker compose down -v`, Reset must
 * leave no container, network, volume or image of these chapters, and the learner's own must stay.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { Step } from '../contract/step-schema.ts';
import { docker } from '../runner/engine/engine.ts';
import { EventTap } from '../test/support/event-tap.ts';
import { startRunnerProcess, type RunningRunner } from '../test/support/runner-process.ts';
import { builtManifest, screenshot } from './site.ts';

/** Chapters 1–4 set the stage (chapter 5 starts from chapter 4's project); run through the API. */
const STAGE = ['environment', 'yaml', 'django-in-docker', 'nginx-gunicorn'];
/** After these steps, the admin site on :80 is backed by PostgreSQL and has the user `admin`. */
const ADMIN_READY: Record<string, string> = {
  'pgc-admin-login': 'three containers',
  'pgl-admin-login': 'local PostgreSQL',
  'compose-admin-login': 'Compose',
};
const FINAL = ['ok', 'failed', 'skipped', 'cancelled'];

/** What chapters 5–7 create, by name. */
const MADE = {
  containers: [
    'postgrestest',
    'djangotest',
    'nginxtest',
    'ch05-ex08-postgrestest-1',
    'ch05-ex08-djangotest-1',
    'ch05-ex08-nginxtest-1',
  ],
  networks: ['mynetwork03', 'mynetwork04', 'ch05-ex08_default'],
  volumes: ['myvolume03', 'ch05-ex08_postgres_data'],
  images: ['myweb03', 'mynginx03', 'myweb04', 'mynginx04', 'ch05-ex08-djangotest', 'ch05-ex08-nginxtest'],
};

test.describe.configure({ mode: 'serial' });
// Written before the run-loop rework merged: it clicks "Run step <id>" (controls are named from
// headings now) and runs chapters through Run all, which now pauses at checkpoints. Skipped, with
// this reason in the run's output, until it is brought up to date (see the issue 14 note).
test.skip(true, 'not yet updated for heading-named controls and checkpoint pauses (issue 14 note)');

let runner: RunningRunner;
const mine = `learners-own-${process.pid}`;

test.beforeAll(async () => {
  runner = await startRunnerProcess({ target: 'lab' });
  await reset();
  // The learner's own objects, made outside the tutorial (no label, no compose project of ours).
  await docker(['network', 'create', mine]);
  await docker(['volume', 'create', mine]);
  await docker(['container', 'create', '--name', mine, '--network', mine, '-v', `${mine}:/data`, 'nginx:latest']);
});

test.afterAll(async () => {
  await docker(['container', 'rm', '-f', mine]).catch(() => {});
  await docker(['network', 'rm', mine]).catch(() => {});
  await docker(['volume', 'rm', mine]).catch(() => {});
  await runner?.stop();
});

async function reset(): Promise<void> {
  const events = new EventTap(`${runner.url}/api/events?token=${runner.token}`);
  await events.opened;
  expect((await runner.api('/api/reset', { json: {} })).status).toBe(202);
  const end = await events.waitFor(
    (e) => e.type === 'progress' && e.task === 'reset' && /^(done|failed)/.test(e.message),
    180_000,
  );
  events.close();
  expect(end).toMatchObject({ message: 'done' });
}

async function runChapterThroughApi(chapter: string): Promise<void> {
  const events = new EventTap(`${runner.url}/api/events?token=${runner.token}`);
  await events.opened;
  const response = await runner.api(`/api/chapters/${chapter}/run`, { json: {} });
  expect(response.status).toBe(202);
  const { batchId } = (await response.json()) as { batchId: string };
  const end = await events.waitFor(
    (e) => e.type === 'batch' && e.batchId === batchId && e.state !== 'running',
    20 * 60_000,
  );
  events.close();
  expect(end, `chapter ${chapter} stopped: ${JSON.stringify(end)}`).toMatchObject({ state: 'done' });
}

async function clickStep(page: Page, step: Step): Promise<string> {
  const element = page.locator(`runnable-step[data-step-id="${step.id}"]`);
  const badge = element.locator('.step-bar .step-status');
  await element.scrollIntoViewIfNeeded();
  await element.getByRole('button', { name: `Run step ${step.id}`, exact: true }).click();
  const final = step.background ? [...FINAL, 'ready'] : FINAL;
  await expect
    .poll(async () => badge.getAttribute('data-status'), {
      timeout: step.timeoutMs + 60_000,
      intervals: [200, 500, 1000],
    })
    .toMatch(new RegExp(`^(${final.join('|')})$`));
  const status = (await badge.getAttribute('data-status'))!;
  if (status === 'failed' || status === 'cancelled') {
    const output = await element.locator('.step-output').innerText();
    throw new Error(`step ${step.id} ${status} (${step.source.file}:${step.source.line})\n${output}`);
  }
  if (status === 'skipped') expect(step.requires, `${step.id} skipped`).toContain('internet');
  return status;
}

/** A fresh browser logs in to the admin site on :80 and sees the user `admin` read from PostgreSQL. */
async function adminShowsSuperuser(browser: Browser, shot: string): Promise<void> {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const login = await tab.goto('http://127.0.0.1/admin/');
  expect(login?.headers().server, 'answered by Nginx on :80').toMatch(/^nginx/);
  await tab.getByLabel('Username').fill('admin');
  await tab.getByLabel('Password').fill('adminpassword');
  await tab.getByRole('button', { name: 'Log in' }).click();
  await expect(tab.getByText('Site administration')).toBeVisible();
  await tab.goto('http://127.0.0.1/admin/auth/user/');
  await expect(tab.getByRole('link', { name: 'admin', exact: true })).toBeVisible();
  await screenshot(tab, shot);
  await context.close();
}

async function clickThrough(page: Page, browser: Browser, chapterId: string): Promise<string[]> {
  const manifest = builtManifest();
  const chapter = manifest.chapters.find((c) => c.id === chapterId)!;
  const steps = chapter.steps.map((id) => manifest.steps.find((s) => s.id === id)!);
  await page.goto(`${runner.url}/${chapterId}/?token=${runner.token}`);
  await expect(page.getByRole('button', { name: `Run step ${steps[0]!.id}`, exact: true })).toBeEnabled({
    timeout: 30_000,
  });
  const checked: string[] = [];
  for (const step of steps) {
    if (step.kind === 'manual') continue;
    await clickStep(page, step);
    if (ADMIN_READY[step.id]) {
      await adminShowsSuperuser(browser, `admin-users-${step.id}`);
      checked.push(ADMIN_READY[step.id]!);
    }
  }
  return checked;
}

test('chapters 1–4 set the stage', async () => {
  for (const chapter of STAGE) await runChapterThroughApi(chapter);
});

test('chapter 5: the admin page on :80 comes from the three containers, PostgreSQL behind Django', async ({
  page,
  browser,
}) => {
  expect(await clickThrough(page, browser, 'postgres-containers')).toEqual(['three containers']);
});

test("chapter 6: the admin page on :80 comes from the lab's own PostgreSQL", async ({ page, browser }) => {
  expect(await clickThrough(page, browser, 'local-postgres')).toEqual(['local PostgreSQL']);
});

test('chapter 7: the admin page on :80 comes from Compose, and the chapter ends with down -v', async ({
  page,
  browser,
}) => {
  expect(await clickThrough(page, browser, 'docker-compose')).toEqual(['Compose']);
  // `docker compose down -v` was the chapter's last step: no compose container or volume is left.
  expect(await names(['container', 'ls', '-a', '--filter', 'label=com.docker.compose.project=ch05-ex08'])).toEqual([]);
  expect(await names(['volume', 'ls', '--filter', 'label=com.docker.compose.project=ch05-ex08'])).toEqual([]);
});

async function names(args: string[]): Promise<string[]> {
  const format = args[0] === 'image' ? '{{.Repository}}' : args[0] === 'container' ? '{{.Names}}' : '{{.Name}}';
  return (await docker([...args, '--format', format])).split('\n').filter(Boolean).sort();
}

async function present(kind: 'container' | 'network' | 'volume' | 'image', list: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of list) {
    const exists = await docker([kind, 'inspect', name]).then(
      () => true,
      () => false,
    );
    if (exists) found.push(name);
  }
  return found;
}

test("Reset removes every container, network, volume and image of chapters 5–7, and nothing of the learner's", async () => {
  // Left on purpose before the Reset: a compose project that is up, with its volume.
  const manifest = builtManifest();
  const up = manifest.steps.find((s) => s.id === 'compose-up')!;
  const events = new EventTap(`${runner.url}/api/events?token=${runner.token}`);
  await events.opened;
  expect((await runner.api('/api/runs', { json: { id: up.id, hash: up.hash } })).status).toBe(202);
  await events.waitFor((e) => e.type === 'run-end' && e.stepId === up.id, up.timeoutMs + 60_000);
  events.close();
  expect(await present('volume', ['ch05-ex08_postgres_data'])).toEqual(['ch05-ex08_postgres_data']);
  expect(await present('image', MADE.images)).toEqual(MADE.images);

  await reset();

  expect(await present('container', MADE.containers)).toEqual([]);
  expect(await present('network', MADE.networks)).toEqual([]);
  expect(await present('volume', MADE.volumes)).toEqual([]);
  expect(await present('image', MADE.images)).toEqual([]);
  const composeLabel = 'label=com.docker.compose.project=ch05-ex08';
  expect(await names(['container', 'ls', '-a', '--filter', composeLabel])).toEqual([]);
  expect(await names(['network', 'ls', '--filter', composeLabel])).toEqual([]);
  expect(await names(['volume', 'ls', '--filter', composeLabel])).toEqual([]);
  expect(await names(['container', 'ls', '-a', '--filter', 'label=runnable-tutorial=true'])).toEqual([]);
  expect(await names(['volume', 'ls', '--filter', 'label=runnable-tutorial=true'])).toEqual([]);

  expect(await docker(['container', 'inspect', '--format', '{{.Name}}', mine])).toBe(`/${mine}`);
  expect(await docker(['network', 'inspect', '--format', '{{.Name}}', mine])).toBe(mine);
  expect(await docker(['volume', 'inspect', '--format', '{{.Name}}', mine])).toBe(mine);
});
