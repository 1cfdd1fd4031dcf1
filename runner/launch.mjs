// `npm start`: runs the runner from a bundle of its TypeScript under .cache/runner/, rebuilt (by
// bundle.mjs, in a child process) only when a source is newer. Plain JavaScript on purpose: Node's
// built-in TypeScript stripping keeps a WebAssembly compiler in memory (~40 MB), and esbuild's
// JavaScript API another ~9 MB, which together would be most of the runner's 100 MB budget.
// Source maps are opt-in for the same reason (~6 MB when enabled): to debug with stack traces
// that point at runner/*.ts, start with NODE_OPTIONS=--enable-source-maps.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// Steps' output streams through the runner; with V8's default young generation the pipe's
// garbage piles up ~25 MB before a scavenge (peaks of 90-98 MB on a 100 MB step), with 1 MB
// semi-spaces ~10 MB (peaks of 75-78 MB). The flag only takes effect at start, so restart in
// place once: execve keeps the pid, so signals and memory readings still see this process.
const GC_FLAG = '--max-semi-space-size=1';
if (!process.execArgv.includes(GC_FLAG) && typeof process.execve === 'function') {
  const args = [GC_FLAG, ...process.execArgv, import.meta.filename, ...process.argv.slice(2)];
  process.execve(process.execPath, [process.execPath, ...args]);
}

const root = path.resolve(import.meta.dirname, '..');
const bundle = path.join(root, '.cache/runner/main.js');

function newest(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return Math.max(max, newest(full));
    return entry.name.endsWith('.ts') ? Math.max(max, statSync(full).mtimeMs) : max;
  }, 0);
}

const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
const sources = Math.max(newest(path.join(root, 'runner')), newest(path.join(root, 'contract')));
if (sources > built) {
  const result = spawnSync(process.execPath, [path.join(root, 'runner/bundle.mjs')], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('runner: bundling runner/*.ts failed (errors above)');
    process.exit(2);
  }
}
await import(pathToFileURL(bundle).href);
