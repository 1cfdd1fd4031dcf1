/**
 * Issue 15 (Accessibility) and issue 9's learner's step bar, without a runner: controls are named
 * from the step's heading (no step ids), Run stays focusable with the page's one notice as its
 * description, status chips are read without their glyphs, one polite live region per chapter,
 * the search index skips the controls, and the landing page says whether a runner is connected.
 */
import { expect, test } from '@playwright/test';
import { builtManifest, serveStatic } from './site.ts';

let site: { url: string; close(): Promise<void> };
test.beforeAll(async () => {
  site = await serveStatic();
});
test.afterAll(async () => {
  await site?.close();
});

const ids = () => builtManifest().steps.map((s) => s.id);

for (const chapter of builtManifest().chapters) {
  test(`${chapter.id}: no control is named by a step id, and Run is named from the heading`, async ({ page }) => {
    await page.goto(`${site.url}/${chapter.id}/`);
    const names = await page
      .locator('main')
      .getByRole('button')
      .evaluateAll((buttons) =>
        buttons.map((b) => b.getAttribute('aria-label') ?? b.getAttribute('title') ?? b.textContent ?? ''),
      );
    const stepIds = ids();
    for (const name of names) {
      for (const id of stepIds) expect(name, `a control named "${name}"`).not.toContain(id);
    }
    const first = builtManifest().steps.find(
      (s) => s.id === chapter.steps.find((id) => builtManifest().steps.find((x) => x.id === id)!.kind !== 'manual'),
    )!;
    const run = page.locator(`runnable-step[data-step-id="${first.id}"] .step-run`);
    await expect(run).toHaveAccessibleName(/^Run: \S/);
    // The copy button and the code region of a step are named from the heading too.
    const name = (await run.getAttribute('aria-label'))!.replace(/^Run: /, '');
    const block = page.locator(`runnable-step[data-step-id="${first.id}"] .expressive-code`).first();
    await expect(block.locator('.copy button')).toHaveAccessibleName(`Copy: ${name}`);
    // The code is a named region where it scrolls; a block that fits carries no name (a plain <pre>
    // may not), and the build's name comes back as soon as it scrolls (src/code-blocks/).
    const pre = block.locator('pre');
    if ((await pre.getAttribute('role')) === 'region') await expect(pre).toHaveAccessibleName(`Code: ${name}`);
    else await expect(pre).not.toHaveAttribute('aria-label');
  });
}

test('without a runner, Run is reachable by keyboard and described by the one notice on the page', async ({ page }) => {
  await page.goto(`${site.url}/django-in-docker/`);
  await expect(page.locator('.step-hint')).toHaveCount(0);
  const run = page.getByRole('button', { name: 'Run: Start the project' });
  await expect(run).toHaveAttribute('aria-disabled', 'true');
  await expect(run).toHaveAccessibleDescription(/npm start/);
  // From the skip link, Tab reaches the first step's Run button (past the sidebar and the panel).
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: /skip to content/i })).toBeFocused();
  await page.keyboard.press('Enter');
  let reached = false;
  for (let i = 0; i < 60 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await run.evaluate((el) => el === document.activeElement);
  }
  expect(reached, 'Tab reaches Run: Start the project').toBe(true);
});

test('status chips are read without their glyphs, and each chapter has one polite live region', async ({ page }) => {
  for (const chapter of builtManifest().chapters) {
    await page.goto(`${site.url}/${chapter.id}/`);
    // Expressive Code copy buttons hold a silent "Copied!" region each, the YAML view its own result.
    const live = page.locator('main :is([aria-live="polite"], [role="status"]):not(.expressive-code *, yaml-live *)');
    await expect(live, `${chapter.id}: live regions`).toHaveCount(1);
    const chip = page.locator('runnable-step .step-status').first();
    const snapshot = await chip.ariaSnapshot();
    expect(snapshot, 'what a screen reader reads for a chip').not.toMatch(/[○✓✗↷■↻✎●]/);
  }
});

test('the search index gets the prose and code, not the controls', async ({ page }) => {
  await page.goto(`${site.url}/yaml/`);
  const bars = page.locator('runnable-step .step-bar');
  await expect(bars.first()).toHaveAttribute('data-pagefind-ignore', 'all');
  await expect(page.locator('chapter-toolbar')).toHaveAttribute('data-pagefind-ignore', 'all');
});

test('the step bar shows Run and status; id, kind and chips sit behind the authors’ Details', async ({ page }) => {
  await page.goto(`${site.url}/django-in-docker/`);
  const step = page.locator('runnable-step[data-step-id="django-build-weweb01"]');
  await expect(step.locator('.step-id')).toBeHidden();
  await step.locator('.step-authors summary').click();
  await expect(step.locator('.step-id')).toBeVisible();
  await expect(step.locator('.chip')).toContainText('needs docker');
});

test('the landing page says whether a runner is connected', async ({ page }) => {
  await page.goto(`${site.url}/`);
  await expect(page.locator('runner-presence')).toContainText(/No runner connected/);
});
