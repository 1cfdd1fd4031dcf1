/**
 * Accessibility of every page: an axe check in the light and the dark colour scheme (Starlight's
 * theme, from localStorage "starlight-theme"), as a reader without a runner sees it and as a
 * learner with the runner connected (host target: nothing runs) sees it; and a keyboard path from
 * the skip link to a step's Run button. Nothing is excluded: the step controls are checked too.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { startRunnerProcess, type RunningRunner } from '../test/support/runner-process.ts';
import { ROOT, serveStatic } from './site.ts';

/** Every page of the built site, as URL paths. */
function sitePages(): string[] {
  const dist = path.join(ROOT, 'dist');
  const pages = readdirSync(dist, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.html'))
    .map((file) => `/${file.split(path.sep).join('/')}`.replace(/index\.html$/, ''));
  return pages.sort();
}

let site: { url: string; close(): Promise<void> };
let runner: RunningRunner;

test.beforeAll(async () => {
  site = await serveStatic();
  runner = await startRunnerProcess({ target: 'host', args: ['--no-build'] });
});

test.afterAll(async () => {
  await site?.close();
  await runner?.stop();
});

type View = 'without a runner' | 'with the runner';

async function open(page: Page, pathname: string, view: View, theme?: 'light' | 'dark'): Promise<void> {
  if (theme) await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
  if (view === 'without a runner') {
    await page.goto(site.url + pathname);
  } else {
    await page.goto(`${runner.url}${pathname}?token=${runner.token}`);
    const toolbar = page.locator('chapter-toolbar .toolbar-status');
    if ((await toolbar.count()) > 0) await expect(toolbar).toHaveAttribute('data-connection', 'connected');
  }
  if (theme) await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  // Expressive Code marks scrolling blocks as regions once the browser is idle; axe must see that.
  await page.waitForTimeout(600);
}

/**
 * Every page, in both languages and both themes, without and with the runner. At phone width
 * (more code blocks scroll there, so more of them are regions) the pages that differ in kind: the
 * landing pages, the longest chapter and the 404 page, in both languages; every page there would
 * add minutes to CI for pages built from the same components.
 */
const PHONE_PAGES = ['/', '/ko/', '/django-in-docker/', '/ko/django-in-docker/', '/404.html'];
const VIEWS = [
  { view: 'without a runner', width: 1280, pages: 'every page' },
  { view: 'without a runner', width: 375, pages: 'the landing, a chapter and 404' },
  { view: 'with the runner', width: 1280, pages: 'every page' },
] as const;

for (const { view, width, pages: which } of VIEWS) {
  for (const theme of ['light', 'dark'] as const) {
    test(`${which} passes axe ${view}, ${width} px wide, in the ${theme} theme`, async ({ page }) => {
      await page.setViewportSize({ width, height: 900 });
      const all = sitePages();
      const pages = which === 'every page' ? all : PHONE_PAGES;
      for (const pathname of PHONE_PAGES) expect(all, `${pathname} is a page of the site`).toContain(pathname);
      expect(pages.length).toBeGreaterThan(4);
      const problems: string[] = [];
      for (const pathname of pages) {
        await open(page, pathname, view, theme);
        const { violations } = await new AxeBuilder({ page }).analyze();
        for (const violation of violations) {
          for (const node of violation.nodes) {
            const target = node.target.join(' ');
            problems.push(
              `${pathname} [${violation.id}] ${violation.help}: ${target}\n    ${node.failureSummary ?? ''}`,
            );
          }
        }
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }
}

test('scrolling code blocks are regions named after what they hold and their heading, each name once', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 }); // narrow: many blocks scroll
  await open(page, '/django-in-docker/', 'without a runner');
  const names = await page
    .locator('.expressive-code pre[role="region"]')
    .evaluateAll((blocks) => blocks.map((b) => b.getAttribute('aria-label') ?? ''));
  expect(names.length).toBeGreaterThan(3);
  for (const name of names) expect(name).toMatch(/^.+: .+$/);
  expect(new Set(names).size).toBe(names.length);
  // A step's code is named by the build (src/steps/code-names.ts), other blocks by the page script.
  // (A step's command wraps rather than scrolls; the wide listing of `docker image ls` scrolls.)
  await expect(page.getByRole('region', { name: 'Expected output: List the images' })).toHaveCount(1);
});

test("the keyboard reaches a step's Run button from the skip link", async ({ page }) => {
  await open(page, '/yaml/', 'with the runner');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  let reached = '';
  for (let presses = 0; presses < 60 && !reached; presses++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => {
      const focused = document.activeElement;
      const step = focused?.closest<HTMLElement>('runnable-step');
      if (!focused || !step || !focused.matches('button') || focused.textContent?.trim() !== 'Run') return '';
      return step.dataset.stepId ?? '';
    });
  }
  // The first step's Run, after the chapter's own controls; not pressed (it would run pip here).
  expect(reached).toBe('yaml-install-pyyaml');
});

test('the YAML live view names its result and announces a parse error', async ({ page }) => {
  await open(page, '/yaml/', 'without a runner');
  const result = page.getByRole('region', { name: 'JavaScript (js-yaml)' });
  await expect(result).toContainText('apiVersion');
  await page.locator('yaml-live textarea').fill('kind: Pod\nspec: [1, 2\n');
  // The error lands inside a polite live region that was in the page all along.
  const announced = page.locator('yaml-live [data-parser="js"] [aria-live="polite"]');
  await expect(announced).toContainText(/Line \d+, column \d+/);
  await expect(result).toBeHidden();
});
