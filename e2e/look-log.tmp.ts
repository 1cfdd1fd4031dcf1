import { chromium } from '@playwright/test';
import { startRunnerProcess } from '../test/support/runner-process.ts';
const runner = await startRunnerProcess({ target: 'host', env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock', TUTORIAL_PROFILE: 'offline' } });
try {
  const manifest = (await import('./site.ts')).builtManifest();
  const run = async (id: string) => {
    const step = manifest.steps.find((s) => s.id === id)!;
    await runner.api('/api/runs', { json: { id, hash: step.hash } });
    for (let i = 0; i < 600; i++) {
      const state = (await (await runner.api('/api/state')).json()) as { active: unknown[]; queued?: unknown[] };
      if (state.active.length === 0 && (state.queued ?? []).length === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  for (const id of ['yaml-make-folder', 'env-pyenv-install', 'django-startproject', 'django-tree-project', 'yaml-write-pod']) await run(id);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  for (const [w, theme, lang] of [[375, 'dark', ''], [1280, 'light', ''], [375, 'light', 'ko/']] as const) {
    const context = await browser.newContext({ viewport: { width: w, height: 1400 } });
    const page = await context.newPage();
    await page.goto(`${runner.url}/?token=${runner.token}`);
    await page.evaluate((t) => localStorage.setItem('starlight-theme', t), theme);
    await page.goto(`${runner.url}/${lang}yaml/`);
    await page.locator('session-log summary').click();
    await page.locator('li.session-log-entry').first().waitFor();
    await page.locator('session-log').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `/tmp/look-log-${w}-${theme}${lang ? '-ko' : ''}.png` });
    await context.close();
  }
  await browser.close();
} finally {
  await runner.stop();
}
