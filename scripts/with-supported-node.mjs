// Runs a project script under a Node.js this project supports, on whatever Node the machine has.
//
//   node scripts/with-supported-node.mjs <script> [args...]
//
// Debian 12/13 and Ubuntu 24.04 ship Node 18 or 20; Astro 7 needs 22.12 and the scripts run
// TypeScript directly (22.18). Rather than fail deep inside Astro with a message that points at
// the wrong place, an older Node fetches Node 24 from the npm registry (the `node` package) into
// .cache/node24 once, says so in one line, and runs the script under it. Plain JavaScript that
// Node 18 can parse, on purpose: it is the one file that runs before we know the Node is good.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MIN = [22, 18];
const WANTED = '24';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prefix = path.join(root, '.cache', `node${WANTED}`);
const cachedNode = path.join(prefix, 'node_modules', 'node', 'bin', 'node');

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node scripts/with-supported-node.mjs <script> [args...]');
  process.exit(2);
}

function supported(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > MIN[0] || (major === MIN[0] && minor >= MIN[1]);
}

function versionOf(node) {
  const result = spawnSync(node, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : '';
}

function fetchNode() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(
    npm,
    ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node@${WANTED}`],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return result.status === 0 && supported(versionOf(cachedNode));
}

function run(node, extraPath) {
  const env = { ...process.env };
  // Tools the script starts by name (npx playwright, node --test) must find the same Node.
  if (extraPath) env.PATH = `${extraPath}${path.delimiter}${env.PATH ?? ''}`;
  const result = spawnSync(node, [script, ...args], { stdio: 'inherit', env });
  if (result.signal) process.kill(process.pid, result.signal);
  process.exit(result.status ?? 1);
}

if (supported(process.version)) run(process.execPath);

const tooOld = `Node.js ${process.version} is too old for this project (needs ${MIN.join('.')}+)`;
const have = existsSync(cachedNode) ? versionOf(cachedNode) : '';
if (supported(have)) {
  console.error(`${tooOld}; running under Node ${have} from .cache/node${WANTED}.`);
} else {
  console.error(
    `${tooOld}; fetching Node ${WANTED} from the npm registry into .cache/node${WANTED} (once) and running under it.`,
  );
  if (!fetchNode()) {
    console.error(
      `Could not fetch Node ${WANTED} (npm's error above). Install Node.js ${MIN.join('.')} or newer (https://nodejs.org/, or your distribution's nodejs 22+ package) and run the command again.`,
    );
    process.exit(1);
  }
}
run(cachedNode, path.dirname(cachedNode));
