/**
 * Issue 13: a Docker chapter run end to end on its Korean page, in a Korean browser, says
 * everything of the runner's in Korean: the status lines while steps run (the lab starting, a port
 * awaited), a failure hint, skip reasons, the progress and Run all lines, and Reset's line.
 * One runner, one chapter (django-in-docker: one image build), one pass of Run all.
 */
import { expect, test, type Page } from '@playwright/test';
import { docker } from '../runner/engine/engine.ts';
import { LAB_CONTAINER } from '../runner/images/recipes.ts';
import { startRunnerProcess, type RunningRunner } from '../test/support/runner-process.ts';
import { apiState, continueUntilRunAllEnds, resetViaApi, stepOnPage } from './run-loop-support.ts';
import { screenshot } from './site.ts';

const CHAPTER = 'django-in-docker';
const HANGUL = /[\uAC00-\uD7A3]/;
/**
 * Words of the runner's English sentences (contract/messages.ts) that no Korean one has, once
 * commands, paths and links are taken out: one of them in a line means English came through.
 */
const ENGLISH =
  /\b(the|is|are|was|not|yet|first|waiting|starting|ready|skipped|needs|failed|done|already|exists|stopped|removed|run|steps?|port|container|image)\b/i;

/** What a line says in words: without links, `code`, quoted names, paths (ch05/ex02) and commands in it. */
function words(line: string): string {
  return line
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/"[^"]*"|“[^”]*”/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/[\w.-]*\/[\w./-]*/g, ' ')
    .replace(/docker [a-z]+ [a-z]+( -\w+)*( [\w.-]+)?/g, ' ');
}

function expectKorean(line: string, where: string): void {
  expect(line, `${where}: Korean`).toMatch(HANGUL);
  expect(words(line), `${where}: no English sentence of the runner's`).not.toMatch(ENGLISH);
}

let runner: RunningRunner;

test.beforeAll(async () => {
  runner = await startRunnerProcess({ target: 'lab' });
  await resetViaApi(runner);
});

test.afterAll(async () => {
  await runner?.stop();
});

/** Every text a step's status line shows, in order, however briefly (kept in window.__statusLines). */
async function recordStatusLines(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __statusLines: string[] }).__statusLines = seen;
    new MutationObserver(() => {
      for (const line of document.querySelectorAll<HTMLElement>('.step-statusline')) {
        const text = line.hidden ? '' : (line.textContent ?? '').trim();
        if (text && !seen.includes(text)) seen.push(text);
      }
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

test.use({ locale: 'ko-KR' });

test('the Korean page runs django-in-docker and shows the runner’s messages in Korean', async ({ page }) => {
  test.setTimeout(30 * 60_000);
  await recordStatusLines(page);

  // The runner's link, opened by a Korean browser, lands on the Korean site with the token.
  await page.goto(`${runner.url}/?token=${runner.token}`);
  await expect(page).toHaveURL(`${runner.url}/ko/`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await page.goto(`${runner.url}/ko/${CHAPTER}/`);
  await expect(page.locator('chapter-toolbar .toolbar-controls')).toBeVisible({ timeout: 30_000 });

  // A stopped lab is started by the first step, which says so on its status line.
  await docker(['container', 'stop', LAB_CONTAINER]).catch(() => '');

  // A failure hint: copying the project before it exists.
  const copy = stepOnPage(page, 'django-copy-ex03');
  await copy.run.click();
  await expect(copy.badge).toHaveAttribute('data-status', 'failed', { timeout: 120_000 });
  const hint = await copy.root.locator('.step-message').innerText();
  expect(hint).toContain('ch05/ex02이(가) 아직 없습니다');
  expectKorean(hint, 'failure hint');

  // Run all, continuing at each checkpoint, to the end.
  await page.locator('chapter-toolbar .toolbar-run-all').click();
  await continueUntilRunAllEnds(page, runner);
  const batchLine = page.locator('chapter-toolbar .toolbar-batch');
  await expect(batchLine).toContainText(/^끝났/, { timeout: 30_000 });
  expectKorean(await batchLine.innerText(), 'Run all line');
  const progress = await page.locator('chapter-toolbar .toolbar-progress-text').innerText();
  expectKorean(progress, 'progress line');

  // Skip reasons (offline: the pull needs internet), and every step's one-line result.
  const state = await apiState(runner);
  for (const [id, st] of Object.entries(state.steps)) {
    if (!st.message) continue;
    const shown = page.locator(`runnable-step[data-step-id="${id}"] .step-message`);
    if ((await shown.count()) === 0 || !(await shown.isVisible())) continue;
    expectKorean(await shown.innerText(), `${id} (${st.status})`);
  }

  // The status lines seen while steps ran: the lab starting and the published port awaited.
  const lines = await page.evaluate(() => (window as unknown as { __statusLines: string[] }).__statusLines);
  const all = lines.join('\n');
  // Started as it was, or made anew from its image (after a Reset removed it).
  expect(all).toMatch(new RegExp(`^(\\S+ 이미지로 )?${LAB_CONTAINER} 컨테이너를 시작하는 중$`, 'm'));
  expect(all).toContain('포트 8000이 응답하기를 기다리는 중…');
  for (const line of lines) expectKorean(line, `status line "${line}" of\n${all}`);
  await screenshot(page, 'korean-run-django-in-docker');

  // Reset of this chapter: its line on the toolbar is Korean too.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.locator('chapter-toolbar .toolbar-reset-chapter').click();
  const task = page.locator('chapter-toolbar .toolbar-task');
  await expect(task).toContainText(/^초기화: 완료/, { timeout: 120_000 });
  expectKorean(await task.innerText(), 'Reset line');
});
