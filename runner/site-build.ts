/** Builds the site (and so dist/steps.json) when it is missing or older than its sources. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths.ts';

export const SITE_DIR = path.join(REPO_ROOT, 'dist');
export const MANIFEST_PATH = path.join(SITE_DIR, 'steps.json');

function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const full = path.join(dir, entry.name);
    return Math.max(max, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }, 0);
}

export function siteIsStale(): boolean {
  if (!existsSync(MANIFEST_PATH)) return true;
  const built = statSync(MANIFEST_PATH).mtimeMs;
  return ['content', 'src', 'astro.config.mjs'].some((name) => {
    const full = path.join(REPO_ROOT, name);
    if (!existsSync(full)) return false;
    return (statSync(full).isDirectory() ? newest(full) : statSync(full).mtimeMs) > built;
  });
}

/** Runs `astro build`; returns false (with Astro's errors already printed) when it fails. */
export function buildSite(): boolean {
  // This Node, not whatever `node` PATH finds first: on a distro's Node 20 Astro would refuse to run.
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  return result.status === 0;
}
