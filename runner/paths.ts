/**
 * The repository root, found from wherever this code runs: from runner/*.ts directly, or from the
 * bundle that `npm start` builds under .cache/ (see launch.mjs).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'astro.config.mjs'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the project root (astro.config.mjs) above ${from}`);
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = process.env.RUNNER_ROOT ?? findRoot(import.meta.dirname);
/** Helper scripts that run on the targets (copied into each workspace). */
export const SESSION_SCRIPTS = path.join(REPO_ROOT, 'runner/session');
