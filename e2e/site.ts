/** Shared by the e2e specs: the built manifest, a static server for the no-runner view, screenshots. */
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Page } from '@playwright/test';
import sirv from 'sirv';
import type { Manifest } from '../contract/manifest.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const ARTIFACTS = path.join(ROOT, 'e2e/artifacts');

export function builtManifest(): Manifest {
  return JSON.parse(readFileSync(path.join(ROOT, 'dist/steps.json'), 'utf8')) as Manifest;
}

/** Serves dist/ with no API behind it: the site as a reader without a runner sees it. */
export async function serveStatic(): Promise<{ url: string; close(): Promise<void> }> {
  const handler = sirv(path.join(ROOT, 'dist'), { dev: false });
  const server: Server = createServer((req, res) =>
    handler(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.evaluate((t) => localStorage.setItem('starlight-theme', t), theme);
  await page.reload();
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });
}
