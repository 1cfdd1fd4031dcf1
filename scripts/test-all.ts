/**
 * `npm test`: every suite in order (unit → build and integration with real processes and Docker →
 * end to end in Chromium), each run even if an earlier one failed, then one summary line:
 *   tests: N passed, N failed, N skipped
 * Exit code 0 only if nothing failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const only = process.argv.slice(2); // e.g. `npm test -- unit integration`

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function nodeSuite(name: string, args: string[]): Counts {
  console.log(`\n=== ${name}: node --test ${args.join(' ')}`);
  const result = spawnSync(process.execPath, ['--test', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(result.stdout);
  const count = (label: string) => Number(new RegExp(`^ℹ ${label} (\\d+)$`, 'm').exec(result.stdout)?.[1] ?? 0);
  const counts = {
    passed: count('pass'),
    failed: count('fail') + count('cancelled'),
    skipped: count('skipped') + count('todo'),
  };
  if (result.status !== 0 && counts.failed === 0) counts.failed = 1; // crashed before reporting
  return counts;
}

function e2eSuite(): Counts {
  console.log('\n=== e2e: playwright test');
  const report = path.join(mkdtempSync(path.join(tmpdir(), 'e2e-')), 'report.json');
  const result = spawnSync('npx', ['playwright', 'test', '--reporter=list,json'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
  });
  if (!existsSync(report)) return { passed: 0, failed: 1, skipped: 0 };
  const stats = (JSON.parse(readFileSync(report, 'utf8')) as { stats: Record<string, number> }).stats;
  const counts = {
    passed: stats.expected ?? 0,
    failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0),
    skipped: stats.skipped ?? 0,
  };
  if (result.status !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

/** The built site (dist/ and its steps.json), which the runner tests and e2e start from. */
function buildSiteOnce(): void {
  console.log('\n=== building the site (dist/) for the integration and e2e suites');
  const astro = path.join(ROOT, 'node_modules/astro/bin/astro.mjs');
  const result = spawnSync(process.execPath, [astro, 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) console.log('the site did not build: the suites that need it will fail and say so');
}

const suites: [string, () => Counts][] = [
  ['unit', () => nodeSuite('unit', ['contract/**/*.test.ts', 'src/**/*.test.ts', 'runner/**/*.test.ts'])],
  ['integration', () => (buildSiteOnce(), nodeSuite('integration', ['--test-concurrency=1', 'test/**/*.test.ts']))],
  ['e2e', e2eSuite],
];

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const lines: string[] = [];
for (const [name, run] of suites) {
  if (only.length > 0 && !only.includes(name)) continue;
  const counts = run();
  lines.push(`  ${name.padEnd(12)} ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
}
console.log(`\n${lines.join('\n')}`);
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed === 0 ? 0 : 1);
