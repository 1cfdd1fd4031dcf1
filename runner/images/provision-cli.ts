/**
 * `npm run provision [-- --profile online|offline]`: prepares the tutorial's images ahead of time,
 * showing which profile and why, a progress bar per image and a summary.
 */
import { parseArgs } from 'node:util';
import { engineStatus } from '../engine/engine-status.ts';
import { resolveProfile } from './profile.ts';
import { DEFAULT_CACHE_DIR, provision, type ProvisionEvent } from './provision.ts';

const BAR_WIDTH = 30;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { profile: { type: 'string' }, 'cache-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log('usage: npm run provision [-- --profile online|offline] [--cache-dir DIR]');
    console.log('  Pulls (online) or builds (offline) python:3.13, nginx:latest, postgres:17 and the lab image.');
    console.log('  Without --profile: TUTORIAL_PROFILE, else online if Docker Hub answers.');
    return 0;
  }
  const engine = await engineStatus();
  if (!engine.ok) {
    console.error(`provision: ${engine.message}`);
    return 1;
  }
  console.log(`Docker engine ${engine.serverVersion} (API ${engine.apiVersion})`);
  const choice = await resolveProfile(values.profile ? { override: values.profile } : {});
  console.log(`Profile: ${choice.reason}`);

  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const bar = progressPrinter(process.stdout.isTTY === true);
  const started = Date.now();
  const outcomes = await provision({
    profile: choice.profile,
    cacheDir: values['cache-dir'] ?? DEFAULT_CACHE_DIR,
    signal: controller.signal,
    onProgress: bar,
  });
  console.log(`\nSummary (${((Date.now() - started) / 1000).toFixed(1)} s in all):`);
  for (const outcome of outcomes) {
    const verb = outcome.action === 'keep' ? 'kept  ' : outcome.action === 'pull' ? 'pulled' : 'built ';
    console.log(
      `  ${verb} ${outcome.image.padEnd(38)} ${outcome.seconds.toFixed(1).padStart(6)} s  (${outcome.reason})`,
    );
  }
  return 0;
}

/**
 * Images are provisioned side by side. On a terminal their lines are redrawn in place (at most ten
 * times a second); in a log, a line is printed per image when its phase or quarter changes.
 */
function progressPrinter(tty: boolean): (event: ProvisionEvent) => void {
  const lines = new Map<string, string>();
  const lastKey = new Map<string, string>();
  let drawn = 0;
  let lastDraw = 0;
  return (event) => {
    const line = formatLine(event);
    if (!tty) {
      const key = `${event.phase} ${Math.floor((4 * event.done) / event.total)}`;
      if (key !== lastKey.get(event.image)) console.log(line);
      lastKey.set(event.image, key);
      return;
    }
    lines.set(event.image, line);
    if (event.phase !== 'done' && Date.now() - lastDraw < 100) return;
    lastDraw = Date.now();
    const columns = process.stdout.columns || 120;
    let out = drawn ? `\x1b[${drawn}A` : '';
    for (const text of lines.values()) out += `\r\x1b[2K${text.slice(0, columns - 1)}\n`;
    process.stdout.write(out);
    drawn = lines.size;
  };
}

function formatLine(event: ProvisionEvent): string {
  const filled = Math.round((BAR_WIDTH * event.done) / event.total);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  const percent = `${Math.round((100 * event.done) / event.total)}%`.padStart(4);
  return `${event.image.padEnd(38)} ${bar} ${percent} ${event.phase}: ${event.message}`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`\nprovision failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
