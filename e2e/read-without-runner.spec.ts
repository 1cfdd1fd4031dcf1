/**
 * A reader with no runner: every chapter reads fully, Run is unusable (aria-disabled) and the
 * page's one notice says how to start the runner, and no request leaves 127.0.0.1 (fonts, scripts
 * and images are all local).
 */
import { expect, test } from '@playwright/test';
import { builtManifest, screenshot, serveStatic, setTheme } from './site.ts';

test('chapters read offline, with Run unusable and one notice how to start the runner', async ({ page }) => {
  const site = await serveStatic();
  const foreign: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:') foreign.push(request.url());
  });
  try {
    for (const chapter of builtManifest().chapters) {
      await page.goto(`${site.url}/${chapter.id}/`);
      await expect(page.getByRole('heading', { level: 1, name: chapter.title })).toBeVisible();
      const first = chapter.steps[0]!;
      const step = page.locator(`runnable-step[data-step-id="${first}"]`);
      await expect(page.locator('#runner-notice')).toContainText('npm start');
      const run = step.locator('.step-run');
      if ((await run.count()) > 0) await expect(run).toHaveAttribute('aria-disabled', 'true');
      await expect(page.locator('runnable-step')).toHaveCount(chapter.steps.length);
    }
    const yaml = builtManifest().chapters.find((c) => c.id === 'yaml')!;
    await page.goto(`${site.url}/${yaml.id}/`);
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await screenshot(page, `no-runner-yaml-${theme}`);
    }
    expect(foreign, 'requests to other hosts').toEqual([]);
  } finally {
    await site.close();
  }
});
