/**
 * The architecture, as a test: content → contract → site / runner → executors → targets.
 * The contract (step model, manifest, API protocol) is a leaf that both sides import; the site and
 * the runner never import each other; inside the runner each layer knows only the ones below it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCE = /\.(ts|mjs|astro)$/;
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

interface Edge {
  from: string;
  to: string;
  line: number;
}

function sourceFiles(dir: string): string[] {
  if (SOURCE.test(dir)) return [dir];
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && SOURCE.test(e.name) && !e.name.includes('.test.'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** Every import in `dir` (a folder or one file), relative ones resolved to a project path, packages kept as named. */
function importsOf(dir: string): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(dir)) {
    const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
    lines.forEach((text, i) => {
      for (const [, spec] of text.matchAll(IMPORT)) {
        const to = spec!.startsWith('.') ? path.normalize(path.join(path.dirname(file), spec!)) : spec!;
        edges.push({ from: file, to, line: i + 1 });
      }
    });
  }
  return edges;
}

function offending(edges: Edge[], forbidden: (to: string) => boolean): string[] {
  return edges.filter((e) => forbidden(e.to)).map((e) => `${e.from}:${e.line} imports ${e.to}`);
}

const under =
  (...dirs: string[]) =>
  (to: string) =>
    dirs.some((d) => to.startsWith(`${d}/`));

describe('import direction', () => {
  it('keeps the contract a leaf: node built-ins, zod and itself only', () => {
    const allowed = (to: string) => to.startsWith('node:') || to === 'zod' || to.startsWith('contract/');
    assert.deepEqual(
      offending(importsOf('contract'), (to) => !allowed(to)),
      [],
    );
  });

  it('the site never imports the runner', () => {
    assert.deepEqual(offending(importsOf('src'), under('runner')), []);
  });

  it('the runner never imports the site', () => {
    assert.deepEqual(offending(importsOf('runner'), under('src')), []);
  });

  it('runner layers point down: http → runs → executors → targets', () => {
    const layers = ['runner/http', 'runner/runs', 'runner/executors', 'runner/targets'];
    const problems = layers.flatMap((layer, i) =>
      offending(
        importsOf(layer),
        under(...layers.slice(0, i)), // nothing above it
      ),
    );
    assert.deepEqual(problems, []);
  });

  it('only the entry points stand on the HTTP edge: the runner core (app, event bus, reset…) sits below it', () => {
    // main.ts, dev.ts and the classroom build servers; everything else in the runner is below the
    // edge, which reaches it through app.ts and the event bus (event-bus.ts).
    const entryPoints = ['runner/main.ts', 'runner/dev.ts', 'runner/classroom/'];
    const core = sourceFiles('runner').filter(
      (file) => !file.startsWith('runner/http/') && !entryPoints.some((e) => file.startsWith(e)),
    );
    const problems = core.flatMap((file) => offending(importsOf(file), under('runner/http')));
    assert.deepEqual(problems, []);
  });

  it('the engine, images, targets, session and probes never reach up into runs or the HTTP edge', () => {
    const low = [
      'runner/engine',
      'runner/images',
      'runner/targets',
      'runner/session',
      'runner/net',
      'runner/preflight.ts',
    ];
    const problems = low.flatMap((dir) => offending(importsOf(dir), under('runner/http', 'runner/runs')));
    assert.deepEqual(problems, []);
  });
});
