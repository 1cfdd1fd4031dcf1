/**
 * The tutorial as a learner clicks through it: chapters 2–4, every runnable step in page order,
 * in a real browser against the real runner, lab container and Docker engine. After each step
 * that opens a port, the page behind that port is opened and checked.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Step } from '../contract/step-schema.ts';
import type { RunnerState, Transcript } from '../contract/protocol.ts';
import { docker } from '../runner/engine/engine.ts';
import { chaptersEngine } from './chapters-engine.ts';
import { internetProbe } from '../runner/preflight.ts';
import { recordVerifiedOutput } from '../runner/verified-record.ts';
import { EventTap } from '../test/support/event-tap.ts';
import { E2E_LAB_PORTS, onThisMachine, PORT_PAGES } from './port-pages.ts';
import { engineVolume } from '../runner/targets/lab-container.ts';
import { startRunnerProcess, type RunningRunner } from '../test/support/runner-process.ts';
import { ARTIFACTS, builtManifest, screenshot, setTheme } from './site.ts';

const CHAPTERS = ['yaml', 'django-in-docker', 'nginx-gunicorn'];
const FINAL = ['ok', 'already', 'failed', 'skipped', 'cancelled'];
/** A background step is done when its service is ready; it then shows "ready" until stopped. */
const finalFor = (step: Step) => (step.background ? [...FINAL, 'ready'] : FINAL);

test.describe.configure({ mode: 'serial' });

let runner: RunningRunner;
const skipped: string[] = [];

test.beforeAll(async () => {
  runner = await startRunnerProcess({
    target: 'lab',
    args: E2E_LAB_PORTS ? ['--lab-name', 'e2e-myserver01', '--lab-ports', E2E_LAB_PORTS] : [],
  });
  await reset(); // a clean slate: no containers, networks or images left from an earlier run
});

/** Reset through the API. It answers at once and reports its end as an event; a step clicked before that would be refused. */
async function reset(): Promise<void> {
  const events = new EventTap(`${runner.url}/api/events?token=${runner.token}`);
  await events.opened;
  expect((await runner.api('/api/reset', { json: {} })).status).toBe(202);
  const end = await events.waitFor(
    (e) => e.type === 'progress' && e.task === 'reset' && /^(done|failed)/.test(e.message),
    120_000,
  );
  events.close();
  expect(end).toMatchObject({ message: 'done' });
}

test.afterAll(async () => {
  await runner?.stop();
  if (E2E_LAB_PORTS) {
    // The lab of its own goes with its engine's state; nothing else is touched.
    await docker(['rm', '-f', 'e2e-myserver01']).catch(() => {});
    await docker(['volume', 'rm', engineVolume('e2e-myserver01')]).catch(() => {});
  }
});

async function runStep(page: Page, step: Step): Promise<string> {
  const element = page.locator(`runnable-step[data-step-id="${step.id}"]`);
  const badge = element.locator('.step-bar .step-status');
  await element.scrollIntoViewIfNeeded();
  await element.locator('.step-bar .step-run').click();
  await expect
    .poll(async () => badge.getAttribute('data-status'), {
      timeout: step.timeoutMs + 60_000,
      intervals: [200, 500, 1000],
    })
    .toMatch(new RegExp(`^(${finalFor(step).join('|')})$`));
  const status = (await badge.getAttribute('data-status'))!;
  if (status !== 'ok' && status !== 'already' && status !== 'skipped' && status !== 'ready') {
    const output = await element.locator('.step-output').innerText();
    throw new Error(`step ${step.id} ${status} (${step.source.file}:${step.source.line})\n${output}`);
  }
  return status;
}

for (const chapterId of CHAPTERS) {
  test(`chapter ${chapterId}: every step runs in the browser`, async ({ page, browser }) => {
    const manifest = builtManifest();
    const chapter = manifest.chapters.find((c) => c.id === chapterId)!;
    const steps = chapter.steps.map((id) => manifest.steps.find((s) => s.id === id)!);

    await page.goto(`${runner.url}/${chapterId}/?token=${runner.token}`);
    await expect(page.locator(`runnable-step[data-step-id="${steps[0]!.id}"] .step-run`)).toHaveAttribute(
      'aria-disabled',
      'false',
      { timeout: 30_000 },
    );

    for (const step of steps) {
      if (step.kind === 'manual') {
        await expect(page.locator(`runnable-step[data-step-id="${step.id}"] .step-run`)).toHaveCount(0);
        continue;
      }
      const status = await runStep(page, step);
      if (status === 'skipped') {
        // Skipped only for want of the internet, and shown as such, not hidden.
        expect(step.requires, `${step.id} was skipped but does not need the internet`).toContain('internet');
        await expect(page.locator(`runnable-step[data-step-id="${step.id}"] .step-message`)).toContainText(
          /^needs internet, and none answers/,
        );
        skipped.push(step.id);
        continue;
      }
      if (step.port !== undefined) {
        const expected = PORT_PAGES[step.id];
        expect(
          expected,
          `step ${step.id} opens port ${step.port}; add what it should show to e2e/port-pages.ts`,
        ).toBeDefined();
        // A fresh browser context: port 80 served nginx's page a moment ago, and a cached copy
        // must not stand in for what answers now.
        const fresh = await browser.newContext();
        const tab = await fresh.newPage();
        await tab.goto(onThisMachine(expected!.url));
        await expect(tab.getByText(expected!.text).first()).toBeVisible();
        await screenshot(tab, expected!.shot);
        await fresh.close();
        if (!step.background) {
          // `docker run -d -p` outlives its step: the toolbar lists the container with its port.
          await expect(page.locator('chapter-toolbar .toolbar-services')).toContainText(`127.0.0.1:${step.port}`);
        }
      }
    }

    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await page.locator(`runnable-step[data-step-id="${steps[0]!.id}"]`).scrollIntoViewIfNeeded();
      await screenshot(page, `with-runner-${chapterId}-${theme}`);
    }
  });
}

test('steps that need the internet were reported as skipped, with the reason', async () => {
  const manifest = builtManifest();
  const needInternet = manifest.steps
    .filter((s) => CHAPTERS.includes(s.chapter) && s.requires.includes('internet'))
    .map((s) => s.id);
  const online = await internetProbe()(); // the runner's own test, so both agree
  expect(skipped).toEqual(online ? [] : needInternet);
});

test('the passing run is recorded as each step’s last verified output', async () => {
  const manifest = builtManifest();
  const transcripts: Transcript[] = [];
  for (const step of manifest.steps.filter((s) => CHAPTERS.includes(s.chapter) && s.kind !== 'manual')) {
    const response = await runner.api(`/api/steps/${step.id}/transcript`);
    expect(response.status, step.id).toBe(200);
    transcripts.push((await response.json()) as Transcript);
  }
  const file = await recordVerifiedOutput(transcripts, (id) => manifest.steps.find((s) => s.id === id)!.kind);
  writeFileSync(path.join(ARTIFACTS, 'verified-output.path'), file);
});

test('re-running a step whose Docker object exists ends as "already done", not failed', async () => {
  const step = (id: string) => builtManifest().steps.find((s) => s.id === id)!;
  const run = async (id: string) => {
    expect((await runner.api('/api/runs', { json: { id, hash: step(id).hash } })).status).toBe(202);
    let state: RunnerState['steps'][string] | undefined;
    await expect
      .poll(
        async () => {
          state = ((await (await runner.api('/api/state')).json()) as RunnerState).steps[id];
          return state?.status;
        },
        { timeout: 60_000 },
      )
      .toMatch(/^(ok|failed)$/);
    return state!;
  };
  expect((await run('nginx-network-create')).status).toBe('ok');
  const again = await run('nginx-network-create');
  expect(again.status).toBe('ok');
  expect(again.already).toBe(true);
  expect(again.message).toMatch(/already done/);
  expect((await run('nginx-network-rm')).status).toBe('ok');
});

test("Reset removes what the chapters made in Docker, and nothing of the learner's", async () => {
  // In the isolated lab the chapters' objects are in the lab's own engine, and Reset removes the
  // lab with it; in the shared lab they are in this machine's engine, labelled.
  const labName = E2E_LAB_PORTS ? 'e2e-myserver01' : 'myserver01';
  const chapters = chaptersEngine(labName);
  const tutorialEngine = (args: string[]) => chapters(args).catch(() => ''); // the isolated lab goes with Reset
  const labelled = async () => ({
    containers: await list(
      ['container', 'ls', '-a', '--filter', 'label=runnable-tutorial=true', '--format', '{{.Names}}'],
      tutorialEngine,
    ),
    networks: await list(
      ['network', 'ls', '--filter', 'label=runnable-tutorial=true', '--format', '{{.Name}}'],
      tutorialEngine,
    ),
    images: await list(
      ['image', 'ls', '--filter', 'label=runnable-tutorial=true', '--format', '{{.Repository}}'],
      tutorialEngine,
    ),
    lab: await list(['container', 'ls', '-a', '--filter', `name=^${labName}$`, '--format', '{{.Names}}']),
  });
  const list = async (args: string[], engine = docker) => (await engine(args)).split('\n').filter(Boolean).sort();
  // The learner's own objects, made outside the tutorial: no label.
  const mine = `learners-own-${process.pid}`;
  await docker(['network', 'create', mine]);
  await docker(['container', 'create', '--name', mine, '--network', mine, 'nginx:latest']);
  try {
    const before = await labelled();
    expect(before.images, 'the chapters built their images').toEqual(
      expect.arrayContaining(['mynginx01', 'mynginx02', 'myweb02', 'weweb01']),
    );
    expect(before.lab).toEqual([labName]);

    await reset();
    expect(await labelled()).toEqual({ containers: [], networks: [], images: [], lab: [] });
    expect(await docker(['container', 'inspect', '--format', '{{.Name}}', mine])).toBe(`/${mine}`);
    expect(await docker(['network', 'inspect', '--format', '{{.Name}}', mine])).toBe(mine);
  } finally {
    await docker(['container', 'rm', '-f', mine]).catch(() => {});
    await docker(['network', 'rm', mine]).catch(() => {});
  }
});
