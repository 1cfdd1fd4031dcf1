// `npm start`: bundles the runner's TypeScript into one ES module under .cache/ and runs it.
// Plain JavaScript on purpose: Node's built-in TypeScript stripping keeps a WebAssembly compiler
// in memory (~40 MB), which would be most of the runner's memory budget. esbuild (already here
// as Astro's dependency) bundles in ~50 ms; the bundle is rebuilt only when a source changed.
import { pathToFileURL } from 'node:url';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, stop } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const entry = path.join(root, 'runner/main.ts');
const outdir = path.join(root, '.cache/runner');
const bundle = path.join(outdir, 'main.js');

function newest(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return Math.max(max, newest(full));
    return entry.name.endsWith('.ts') ? Math.max(max, statSync(full).mtimeMs) : max;
  }, 0);
}

export async function bundleRunner() {
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
  if (!existsSync(path.join(outdir, 'package.json'))) {
    mkdirSync(outdir, { recursive: true });
    writeFileSync(path.join(outdir, 'package.json'), '{ "type": "module" }\n'); // chunks are ES modules
  }
  const sources = Math.max(newest(path.join(root, 'runner')), newest(path.join(root, 'src/steps')));
  if (sources <= built) return bundle;
  await build({
    entryPoints: [entry],
    outdir,
    bundle: true,
    splitting: true, // what main.ts imports on demand (provisioning) stays out of memory until used
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external', // node_modules stay imports, resolved from the project as usual
    sourcemap: 'linked', // read only when a stack trace is printed
    logLevel: 'warning',
  });
  await stop(); // esbuild keeps a helper process alive until told otherwise
  return bundle;
}

if (import.meta.main) {
  const file = await bundleRunner();
  process.setSourceMapsEnabled(true); // stack traces point at runner/*.ts
  await import(pathToFileURL(file).href);
}
