/**
 * `npm run dev`: Astro's dev server for writing chapters, with the runner attached.
 *
 *   browser ──▶ astro dev on 127.0.0.1:4321   pages, hot reload, error overlay
 *                  └── /api/ forwarded ──▶ this runner's API on 127.0.0.1:<a free port>
 *
 * The page keeps one origin (its API calls are relative) and the runner keeps its checks: the
 * token, a loopback Host (the forwarder sends the runner's own), and an Origin that must be
 * exactly the dev server's. The step integration rewrites a manifest file whenever a chapter
 * changes (src/steps/dev-server.ts); this process watches it and gives the runner each new one,
 * so a changed step runs as changed and its old status shows as stale.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, watch } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEV_ENV } from '../contract/dev-mode.ts';
import { MANIFEST_VERSION, readManifest, type Manifest } from '../contract/manifest.ts';
import { RunnerApp } from './app.ts';
import { createRunnerServer } from './http/server.ts';
import { attachTerminalSocket } from './http/terminal-socket.ts';
import { Terminals } from './terminal/terminals.ts';
import { describeChanges, manifestChanges } from './manifest-changes.ts';
import { REPO_ROOT } from './paths.ts';

const HELP = `Usage: npm run dev -- [options]

  --port <n>          port of the dev server, the address you open (default 4321, or $PORT)
  --workspace <dir>   where steps run (default ./workspace)
  --target <name>     lab (default: the myserver01 container) or host (this machine)

The runner's own API listens on another free loopback port; the dev server forwards /api/ to it.
`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    workspace: { type: 'string', default: path.join(REPO_ROOT, 'workspace') },
    target: { type: 'string', default: process.env.RUNNER_TARGET ?? 'lab' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const devPort = Number(values.port ?? process.env.PORT ?? 4321);
if (!Number.isInteger(devPort) || devPort < 1 || devPort > 65535) fail(`--port ${values.port}: expected a port number`);
if (values.target !== 'lab' && values.target !== 'host') fail(`--target ${values.target}: expected lab or host`);

const HOST = '127.0.0.1';
let stopping = false;
const pageOrigin = `http://${HOST}:${devPort}`;
const manifestFile = path.join(REPO_ROOT, '.cache/dev', `steps-${process.pid}.json`);
mkdirSync(path.dirname(manifestFile), { recursive: true });

// Empty until the dev server has read the chapters (it does so before it listens).
const empty: Manifest = { version: MANIFEST_VERSION, chapters: [], steps: [] };
const token = process.env.RUNNER_TOKEN || randomBytes(24).toString('hex');
const app = await RunnerApp.create({
  manifest: empty,
  workspace: path.resolve(values.workspace),
  target: values.target as 'lab' | 'host',
});
const policy = { token, port: 0, allowRemote: false, pageOrigin };
const server = createRunnerServer({ app, policy, version: 'dev' });
const terminals = new Terminals({ target: () => app.target, workspace: app.workspace });
attachTerminalSocket(server, { policy, terminals });
await new Promise<void>((resolve) => {
  server.once('error', (error) => fail(`the runner's API could not listen on ${HOST}: ${error.message}`));
  server.listen(0, HOST, resolve);
});
const address = server.address();
policy.port = typeof address === 'object' && address ? address.port : 0;

watchManifest();

const astro = spawn(
  process.execPath,
  [
    path.join(REPO_ROOT, 'node_modules/astro/bin/astro.mjs'),
    'dev',
    '--host',
    HOST,
    '--port',
    String(devPort),
    // Chapters from another folder (TUTORIAL_CONTENT_DIR): the content cache still lists the
    // other folder's entries, which would fail to load; start from an empty cache.
    ...(process.env.TUTORIAL_CONTENT_DIR ? ['--force'] : []),
  ],
  {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      ASTRO_TELEMETRY_DISABLED: '1',
      [DEV_ENV.runnerUrl]: `http://${HOST}:${policy.port}`,
      [DEV_ENV.manifestFile]: manifestFile,
    },
  },
);
astro.once('exit', (code) => {
  stop(code === 0 || code === null ? 0 : 2, code ? `the dev server stopped (exit code ${code})` : undefined);
});

// SIGHUP too: closing the terminal must not leave services running without their runner.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => stop(0));
}

await waitForDevServer();
console.log(`Runner ready: ${pageOrigin}/?token=${token}`);
console.log(`  dev mode: save a chapter and its page reloads · runner API on ${HOST}:${policy.port}`);
const { target } = app.state();
console.log(`  workspace ${app.workspace.root} · target: ${target.description}`);

/** Gives the runner every manifest the dev server writes, and says which steps changed. */
function watchManifest(): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const load = () => {
    let next: Manifest;
    try {
      next = readManifest(manifestFile);
    } catch {
      return; // not written yet; the next write brings it
    }
    const first = app.manifest === empty;
    const changes = describeChanges(manifestChanges(app.manifest, next));
    app.replaceManifest(next);
    if (first) console.log(`runner: ${next.steps.length} steps in ${next.chapters.length} chapters`);
    else if (changes) console.log(`runner: ${next.steps.length} steps; ${changes}`);
  };
  watch(path.dirname(manifestFile), (_event, name) => {
    if (name !== path.basename(manifestFile)) return;
    clearTimeout(timer);
    timer = setTimeout(load, 30);
  });
  load();
}

async function waitForDevServer(): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    try {
      await fetch(`${pageOrigin}/`, { method: 'HEAD' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  stop(2, `the dev server did not answer on ${pageOrigin} within 3 minutes`);
}

function stop(code: number, why?: string): void {
  if (stopping) return;
  stopping = true;
  if (why) console.error(`runner: ${why}`);
  console.log('\nStopping running steps and services...');
  if (astro.exitCode === null) astro.kill('SIGTERM');
  rmSync(manifestFile, { force: true });
  void Promise.all([app.shutdown(), terminals.closeAll()]).finally(() => {
    server.close(() => process.exit(code));
    server.closeAllConnections(); // idle keep-alive sockets (the forwarder's) would hold close()
  });
  setTimeout(() => process.exit(code), 8000).unref();
}

function fail(message: string): never {
  console.error(`runner: ${message}`);
  process.exit(2);
}
