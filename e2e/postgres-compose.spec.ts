/**
 * Chapters 5–7 (PostgreSQL in a container, a local PostgreSQL, Docker Compose) run from the page in a
 * real browser against the real runner and lab. Where a chapter has Django on PostgreSQL behind
 * Nginx, a fresh browser logs in to the admin site on :80 and finds the superuser that a step
 * created in PostgreSQL. At the end, after the chapter's own `docker compose down -v`, Reset must
 * leave no container, network, volume or image of these chapters, and the learner's own must stay.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { docker } from '../runner/engine/engine.ts';
import { chaptersEngine, LAB_MODE } from './chapters-engine.ts';
import { engineVolume } from '../runner/targets/lab-container.ts';
import { startRunnerProcess, type RunningRunner } from '../test/support/runner-process.ts';
import { apiState, continueUntilRunAllEnds, resetViaApi, runViaApi, stage, stepOf } from './run-loop-support.ts';
import { builtManifest, screenshot } from './site.ts';

/**
 * Run all pauses after these checkpoint steps: the admin site on :80 is then backed by PostgreSQL
 * and has the user `admin`, and the text asks the learner to open it.
 */
const ADMIN_READY: Record<string, string> = {
  'pgc-admin-login': 'three containers',
  'pgl-admin-login': 'local PostgreSQL',
  'compose-admin-login': 'Compose',
};

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

let runner: RunningRunner;
const mine = `learners-own-${process.pid}`;

test.beforeAll(async () => {
  runner = await startRunnerProcess({ target: 'lab' });
  await resetViaApi(runner);
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

/**
 * Presses the chapter's Run all on the page, as a learner does. At each checkpoint where the admin
 * site is ready, a fresh browser checks it before Continue; returns where that was checked.
 */
async function runAllOnPage(page: Page, browser: Browser, chapterId: string): Promise<string[]> {
  await page.goto(`${runner.url}/${chapterId}/?token=${runner.token}`);
  const runAll = page.locator('chapter-toolbar .toolbar-run-all');
  await expect(page.locator('chapter-toolbar .toolbar-controls'), 'connected to the runner').toBeVisible({
    timeout: 30_000,
  });
  await runAll.click();
  await expect(runAll, 'Run all has started').toHaveAttribute('aria-disabled', 'true');
  const checked: string[] = [];
  const atCheckpoint = async (pausedAt: string) => {
    expect(Object.keys(ADMIN_READY), `${chapterId} pauses only where the admin site is ready`).toContain(pausedAt);
    await adminShowsSuperuser(browser, `admin-users-${pausedAt}`);
    checked.push(ADMIN_READY[pausedAt]!);
  };
  await continueUntilRunAllEnds(page, runner, atCheckpoint, 15 * 60_000);
  const batch = page.locator('chapter-toolbar .toolbar-batch');
  await expect(batch, `${chapterId}: ${await batch.innerText()}`).toContainText(/^Finished/, { timeout: 30_000 });
  const state = await apiState(runner);
  const chapter = builtManifest().chapters.find((c) => c.id === chapterId)!;
  for (const id of chapter.steps) {
    if (stepOf(id).kind === 'manual') continue;
    expect(state.steps[id]?.status, `${id} (${stepOf(id).source.file}:${stepOf(id).source.line})`).toMatch(
      stepOf(id).requires?.includes('internet') ? /^(ok|skipped)$/ : /^ok$/,
    );
  }
  return checked;
}

test('chapters 3–4 set the stage', async () => {
  test.setTimeout(10 * 60_000);
  // Chapter 5 starts from chapter 4's folders (ch05/ex05), which copy chapter 3's project. Only
  // the steps that make those files, through the API: chapter 5 builds and runs its own images.
  await stage(runner, 'django-in-docker', 'django-pull-python');
  for (const id of [
    'nginx-make-ex05',
    'nginx-requirements-gunicorn',
    'nginx-dockerfile-myweb02',
    'nginx-default-conf',
    'nginx-dockerfile-mynginx02',
  ]) {
    expect((await runViaApi(runner, id)).status, `setting the stage: ${id}`).toBe('ok');
  }
});

test('chapter 5: the admin page on :80 comes from the three containers, PostgreSQL behind Django', async ({
  page,
  browser,
}) => {
  test.setTimeout(20 * 60_000);
  expect(await runAllOnPage(page, browser, 'postgres-containers')).toEqual(['three containers']);
});

test("chapter 6: the admin page on :80 comes from the lab's own PostgreSQL", async ({ page, browser }) => {
  test.setTimeout(20 * 60_000);
  expect(await runAllOnPage(page, browser, 'local-postgres')).toEqual(['local PostgreSQL']);
});

test('chapter 7: the admin page on :80 comes from Compose, and the chapter ends with down -v', async ({
  page,
  browser,
}) => {
  test.setTimeout(20 * 60_000);
  expect(await runAllOnPage(page, browser, 'docker-compose')).toEqual(['Compose']);
  // `docker compose down -v` was the chapter's last step: no compose container or volume is left.
  expect(await names(['container', 'ls', '-a', '--filter', 'label=com.docker.compose.project=ch05-ex08'])).toEqual([]);
  expect(await names(['volume', 'ls', '--filter', 'label=com.docker.compose.project=ch05-ex08'])).toEqual([]);
});

/** The chapters' objects are in the lab's own engine (isolated lab) or this machine's (shared); after
 * a Reset of the isolated lab that engine is gone with the lab, and nothing is found. */
const chapters = chaptersEngine();

async function names(args: string[]): Promise<string[]> {
  const format = args[0] === 'image' ? '{{.Repository}}' : args[0] === 'container' ? '{{.Names}}' : '{{.Name}}';
  return (await chapters([...args, '--format', format]).catch(() => '')).split('\n').filter(Boolean).sort();
}

async function present(kind: 'container' | 'network' | 'volume' | 'image', list: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of list) {
    const exists = await chapters([kind, 'inspect', name]).then(
      () => true,
      () => false,
    );
    if (exists) found.push(name);
  }
  return found;
}

test("Reset removes every container, network, volume and image of chapters 5–7, and nothing of the learner's", async () => {
  // Left on purpose before the Reset: a compose project that is up, with its volume.
  expect((await runViaApi(runner, 'compose-up')).status).toBe('ok');
  expect(await present('volume', ['ch05-ex08_postgres_data'])).toEqual(['ch05-ex08_postgres_data']);
  expect(await present('image', MADE.images)).toEqual(MADE.images);

  await resetViaApi(runner);

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
  if (LAB_MODE === 'isolated') {
    // Its engine's state went with the lab: no lab container, no engine volume.
    expect(await docker(['container', 'ls', '-aq', '--filter', 'name=^myserver01$'])).toBe('');
    expect(await docker(['volume', 'ls', '-q', '--filter', `name=^${engineVolume('myserver01')}$`])).toBe('');
  }

  expect(await docker(['container', 'inspect', '--format', '{{.Name}}', mine])).toBe(`/${mine}`);
  expect(await docker(['network', 'inspect', '--format', '{{.Name}}', mine])).toBe(mine);
  expect(await docker(['volume', 'inspect', '--format', '{{.Name}}', mine])).toBe(mine);
});
