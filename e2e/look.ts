/**
 * Screenshots of every chapter for a person to look at (not a test): light and dark, wide and
 * phone width, without a runner (a static server) or with the runner at RUNNER_URL (token in
 * RUNNER_TOKEN). `node e2e/look.ts <out-dir> [chapter...]`; SITE_LANG=ko for the Korean pages (/ko/…).
 */
import { chromium } from '@playwright/test';
import path from 'node:path';
import { builtManifest, serveStatic } from './site.ts';

const out = process.argv[2] ?? 'e2e/artifacts/look';
const only = process.argv.slice(3);
const runnerUrl = process.env.RUNNER_URL;
const prefix = process.env.SITE_LANG === 'ko' ? 'ko/' : '';
const site = runnerUrl ? { url: runnerUrl, close: async () => {} } : await serveStatic();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const pages = ['', ...builtManifest().chapters.map((c) => c.id)].filter((id) => only.length === 0 || only.includes(id));
for (const [width, height, label] of [
  [1280, 900, 'wide'],
  [375, 812, 'phone'],
] as const) {
  for (const theme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    if (runnerUrl) await page.goto(`${site.url}/?token=${process.env.RUNNER_TOKEN}`);
    else await page.goto(`${site.url}/`);
    await page.evaluate((t) => localStorage.setItem('starlight-theme', t), theme);
    for (const id of pages) {
      await page.goto(`${site.url}/${prefix}${id ? `${id}/` : ''}`);
      await page.waitForTimeout(600);
      const name = `${prefix ? 'ko-' : ''}${id || 'index'}-${label}-${theme}-${runnerUrl ? 'runner' : 'static'}`;
      await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: process.env.FULL === '1' });
      const step = page.locator('runnable-step').nth(Number(process.env.STEP ?? 1));
      if ((await step.count()) > 0) {
        await step.scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(out, `${name}-step.png`) });
      }
    }
    await context.close();
  }
}
await browser.close();
await site.close();
