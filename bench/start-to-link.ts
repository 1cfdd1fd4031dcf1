/** `npm start` until it prints the link, with the site already built (built first if it is not). */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSite, siteIsStale } from '../runner/site-build.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

export async function startToLink(): Promise<number> {
  if (siteIsStale() && !buildSite()) throw new Error('the site did not build');
  const workspace = mkdtempSync(path.join(tmpdir(), 'bench-start-'));
  const started = performance.now();
  const child = spawn('npm', ['start', '--', '--port', '0', '--workspace', workspace], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // npm and the runner under it: one group to stop
  });
  let log = '';
  try {
    return await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        log += d.toString();
        if (/Runner ready: http:\/\/\S+/.test(log)) resolve(performance.now() - started);
      });
      child.stderr.on('data', (d: Buffer) => (log += d.toString()));
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${log}`)));
    });
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}
