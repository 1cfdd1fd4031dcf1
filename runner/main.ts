/**
 * `npm start`: builds the site if it is missing or older than its sources, then serves the site
 * and the runner API from one loopback origin and prints the link with the session token.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { readManifest } from '../src/steps/manifest.ts';
import { RunnerApp } from './app.ts';
import { createRunnerServer } from './http/server.ts';
import { REPO_ROOT } from './paths.ts';

const ROOT = REPO_ROOT;

const HELP = `Usage: npm start -- [options]

  --port <n>          port to listen on (default 4321, or $PORT; 0 picks a free one)
  --host <addr>       address to listen on (default 127.0.0.1)
  --allow-remote      allow a non-loopback --host (prints a warning: anyone who can reach it
                      and has the token can run the tutorial's steps on this machine)
  --workspace <dir>   where steps run (default ./workspace)
  --manifest <file>   step manifest (default dist/steps.json; building the site writes it)
  --target <name>     lab (default: the myserver01 container) or host (this machine)
  --no-build          serve dist/ as it is, even if the sources are newer
  --no-site           serve only the API (tests)
`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'allow-remote': { type: 'boolean', default: false },
    workspace: { type: 'string', default: path.join(ROOT, 'workspace') },
    manifest: { type: 'string' },
    target: { type: 'string', default: process.env.RUNNER_TARGET ?? 'lab' },
    'no-build': { type: 'boolean', default: false },
    'no-site': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const port = Number(values.port ?? process.env.PORT ?? 4321);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${values.port}: expected a port number`);
if (values.target !== 'lab' && values.target !== 'host') fail(`--target ${values.target}: expected lab or host`);
const loopback = ['127.0.0.1', 'localhost', '::1'].includes(values.host);
if (!loopback && !values['allow-remote']) {
  fail(`--host ${values.host} is not a loopback address; add --allow-remote if you really mean to expose the runner`);
}

const siteDir = path.join(ROOT, 'dist');
if (!values['no-site'] && !values.manifest && !values['no-build'] && siteIsStale()) {
  console.log('Building the site (npm run build)...');
  const build = spawnSync('npx', ['astro', 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
  if (build.status !== 0) fail('the site did not build; fix the errors above (content/<file>:<line>) and start again');
}

let manifest;
try {
  manifest = readManifest(values.manifest ?? path.join(siteDir, 'steps.json'));
} catch (error) {
  fail((error as Error).message);
}

const token = process.env.RUNNER_TOKEN || randomBytes(24).toString('hex');
const app = new RunnerApp({ manifest, workspace: path.resolve(values.workspace), target: values.target as 'lab' | 'host' });
const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0';
const policy = { token, port, allowRemote: values['allow-remote'] };
const server = createRunnerServer({
  app,
  policy,
  siteDir: values['no-site'] ? undefined : siteDir,
  version,
});

server.listen(port, values.host, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  policy.port = actual; // with --port 0 the OS picked it, and Host/Origin checks must name it
  const shown = values.host === '::1' ? '[::1]' : values.host;
  if (!loopback) console.warn(`WARNING: listening on ${values.host}; anyone who can reach it and has the token can run steps here.`);
  console.log(`Runner ready: http://${shown}:${actual}/?token=${token}`);
  console.log(`  workspace ${app.workspace.root} · target ${values.target} · ${manifest.steps.length} steps`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log('\nStopping running steps and services...');
    void app.shutdown().finally(() => {
      server.close(() => process.exit(0));
      server.closeAllConnections(); // idle keep-alive sockets would hold close() for seconds
    });
    setTimeout(() => process.exit(0), 8000).unref();
  });
}

function siteIsStale(): boolean {
  const manifestFile = path.join(siteDir, 'steps.json');
  if (!existsSync(manifestFile)) return true;
  const built = statSync(manifestFile).mtimeMs;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const full = path.join(dir, entry.name);
      return Math.max(max, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
    }, 0);
  return ['content', 'src'].some((dir) => existsSync(path.join(ROOT, dir)) && newest(path.join(ROOT, dir)) > built);
}

function fail(message: string): never {
  console.error(`runner: ${message}`);
  process.exit(2);
}
