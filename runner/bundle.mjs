// Bundles the runner's TypeScript into one ES module under .cache/runner/ (see launch.mjs).
// Run as its own short-lived process, so esbuild never sits in the runner's memory.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const outdir = path.join(root, '.cache/runner');

mkdirSync(outdir, { recursive: true });
writeFileSync(path.join(outdir, 'package.json'), '{ "type": "module" }\n'); // chunks are ES modules
await build({
  entryPoints: [path.join(root, 'runner/main.ts')],
  outdir,
  bundle: true,
  splitting: true, // what main.ts imports on demand (provisioning) stays out of memory until used
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external', // node_modules stay imports, resolved from the project as usual
  sourcemap: 'linked', // used with NODE_OPTIONS=--enable-source-maps (see launch.mjs)
  logLevel: 'warning',
});
