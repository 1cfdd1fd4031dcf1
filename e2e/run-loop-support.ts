/** Shared by the run-loop specs: steps through the API, chapters with checkpoints, a step's parts on the page. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { RunnerState, StepState } from '../contract/protocol.ts';
import type { RunningRunner } from '../test/support/runner-process.ts';
import { EventTap } from '../test/support/event-tap.ts';
import { builtManifest } from './site.ts';
import { setsTheStage } from '../runner/runs/stage.ts';

export const FINAL = /^(ok|failed|skipped|cancelled)$/;

export function stepOf(id: string) {
  const step = builtManifest().steps.find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id} in the manifest`);
  return step;
}

export async function apiState(runner: RunningRunner): Promise<RunnerState> {
  return (await (await runner.api('/api/state')).json()) as RunnerState;
}

/** Starts a step through the API and waits for its final status (ok once ready, for a service). */
export async function runViaApi(runner: RunningRunner, id: string, timeout = 300_000): Promise<StepState> {
  const response = await runner.api('/api/runs', { json: { id, hash: stepOf(id).hash } });
  expect(response.status, `${id}: ${await response.clone().text()}`).toBe(202);
  const { runId } = (await response.json()) as { runId: string };
  let state: StepState | undefined;
  await expect
    .poll(
      async () => {
        state = (await apiState(runner)).steps[id];
        return state?.runId === runId ? state.status : 'waiting';
      },
      { timeout, intervals: [200, 500, 1000] },
    )
    .toMatch(FINAL);
  return state!;
}

/**
 * Sets the stage for a test: runs, through the API, the steps of `chapter` before `before` that
 * set the stage (what Reset this chapter and verify run) and have not passed yet. A failed test restarts the
 * worker with a fresh runner and workspace, so every test sets the stage it needs.
 */
export async function stage(runner: RunningRunner, chapter: string, before: string): Promise<void> {
  const ids = builtManifest().chapters.find((c) => c.id === chapter)!.steps;
  const state = await apiState(runner);
  for (const id of ids.slice(0, ids.indexOf(before))) {
    if (!setsTheStage(stepOf(id))) continue; // the runner's own definition (runner/runs/stage.ts)
    if (['ok', 'skipped'].includes(state.steps[id]?.status ?? '')) continue;
    expect((await runViaApi(runner, id)).status, `setting the stage: ${id}`).toMatch(/^(ok|skipped)$/);
  }
}

export function stepOnPage(page: Page, id: string) {
  const root = page.locator(`runnable-step[data-step-id="${id}"]`);
  return {
    root,
    badge: root.locator('.step-bar .step-status'),
    run: root.locator('.step-bar .step-run'),
    cancel: root.locator('.step-bar .step-cancel'),
    log: root.locator('.step-log'),
    output: root.locator('.step-output'),
    open: root.locator('.step-bar a.step-open'),
  };
}

export async function badgeOf(badge: Locator): Promise<string | null> {
  return badge.getAttribute('data-status');
}

/** Reset through the API; resolves when the runner reports it done. */
export async function resetViaApi(runner: RunningRunner): Promise<void> {
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

/**
 * "Reset this chapter" through the API; resolves when it is done and, where the chapter's stage was
 * missing, when the earlier chapters' steps that set it have passed.
 */
export async function resetChapterViaApi(runner: RunningRunner, chapter: string): Promise<void> {
  const events = new EventTap(`${runner.url}/api/events?token=${runner.token}`);
  await events.opened;
  expect((await runner.api(`/api/chapters/${chapter}/reset`, { json: {} })).status).toBe(202);
  const end = await events.waitFor((e) => e.type === 'progress' && e.task === 'reset' && e.final === true, 180_000);
  events.close();
  expect(end, `${chapter}: reset`).toMatchObject({ message: expect.stringMatching(/^done/) });
  await expect
    .poll(async () => (await apiState(runner)).batch, { timeout: 900_000, intervals: [1000] })
    .toBeUndefined();
  const chapters = builtManifest().chapters;
  const earlier = chapters
    .slice(
      0,
      chapters.findIndex((c) => c.id === chapter),
    )
    .flatMap((c) => c.steps);
  const state = await apiState(runner);
  const failed = earlier.filter((id) => state.steps[id]?.status === 'failed');
  expect(failed, `${chapter}: the steps that set its stage`).toEqual([]);
}

/** Waits until Run all pauses at a checkpoint or ends; returns the checkpoint, or undefined at the end. */
export async function untilPausedOrEnded(runner: RunningRunner, timeout = 900_000): Promise<string | undefined> {
  await expect
    .poll(
      async () => {
        const batch = (await apiState(runner)).batch;
        return batch ? (batch.pausedAt ?? 'running') : 'ended';
      },
      { timeout, intervals: [500] },
    )
    .not.toBe('running');
  return (await apiState(runner)).batch?.pausedAt;
}

/**
 * After Run all was pressed: presses Continue at every checkpoint until the batch ends, after
 * `atCheckpoint` (what a learner looks at there) when given.
 */
export async function continueUntilRunAllEnds(
  page: Page,
  runner: RunningRunner,
  atCheckpoint?: (stepId: string) => Promise<void>,
  timeout = 900_000,
): Promise<void> {
  for (;;) {
    const pausedAt = await untilPausedOrEnded(runner, timeout);
    if (pausedAt === undefined) break;
    await atCheckpoint?.(pausedAt);
    await page.locator('chapter-toolbar .toolbar-continue').click();
    await expect.poll(async () => (await apiState(runner)).batch?.pausedAt, { timeout: 30_000 }).toBeUndefined();
  }
}
