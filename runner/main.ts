/**
 * `npm start`: builds the site if it is missing or older than its sources, then serves the site
 * and the runner API from one loopback origin and prints the link with the session token.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readManifest } from '../contract/manifest.ts';
import { RunnerApp } from './app.ts';
import { parsePortMap } from './targets/lab-container.ts';
import { resolveLabPlan } from './engine/engine-location.ts';
import { isLoopbackName } from './http/security.ts';
import { createRunnerServer } from './http/server.ts';
import { REPO_ROOT } from './paths.ts';
import { buildSite, MANIFEST_PATH, SITE_DIR, siteIsStale } from './site-build.ts';
import { attachTerminalSocket } from './http/terminal-socket.ts';
import { Terminals } from './terminal/terminals.ts';
import { loadToken, stateDir, writeOpenPage } from './token-file.ts';

const HELP = `Usage: npm start -- [options]

  --port <n>          port to listen on (default 4321, or $PORT; 0 picks a free one)
  --host <addr>       address to listen on (default 127.0.0.1)
  --allow-remote      allow a non-loopback --host (prints a warning: anyone who can reach it
                      and has the token can run the tutorial's steps on this machine)
  --workspace <dir>   where steps run (default ./workspace)
  --manifest <file>   step manifest (default dist/steps.json; building the site writes it)
  --target <name>     lab (default: the myserver01 container) or host (this machine)
  --lab-name <name>   the lab container's name (default myserver01; its hostname stays myserver01)
  --lab-ports <map>   isolated lab: the learner's ports for the lab's, e.g. 18000:8000,18080:80
                      (default: the same numbers); Open links and readiness checks use them
  --lab <mode>        isolated (default, or $RUNNER_LAB: the lab runs its own Docker engine and
                      publishes its ports on 127.0.0.1) or shared (the lab uses this machine's
                      network and Docker engine; for engines that cannot nest one, e.g. rootless).
                      On a remote engine only isolated is allowed
  --workspace-in <w>  bind (the lab mounts this folder: an engine on this machine) or volume (the
                      workspace travels with the lab in a volume of its own, copied through the
                      engine); default, or $RUNNER_WORKSPACE_IN: volume when DOCKER_HOST or the
                      docker context names a tcp:// or ssh:// engine, else bind
  --new-token         make a new token (open tabs then need the new link); the token is
                      otherwise kept in ~/.local/state/runnable-tutorial/token (mode 0600)
  --no-build          serve dist/ as it is, even if the sources are newer
  --no-edited-runs    run only the steps as shipped: the page offers no editor, and
                      POST /api/runs/edited (the learner's own version of a step) answers 403
  --classroom <n>     one runner per learner: prints an instructor link (on --port) and n learner
                      links (on --port + k), each with its own token, workspace (<workspace>/learner-k),
                      isolated lab (own engine, network and limits) and ports (see --lab-port-base)
  --lab-port-base <p> classroom: learner k's lab ports are p + 10k + i (default 20000: 20010, 20011, ...)
  --lab-memory <size> classroom: memory per lab, its containers included (default 1g)
  --lab-cpus <n>      classroom: CPUs per lab (default 1)
  --lab-pids <n>      classroom: processes per lab (default 1000)
  --idle-minutes <n>  classroom: stop a lab idle this long (default 30; 0: never)
  --no-site           serve only the API (tests)
  --no-terminal       no in-page terminal (it is a shell in the lab, or on this machine with
                      --target host, for whoever holds the token; see README, Security)
`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'allow-remote': { type: 'boolean', default: false },
    workspace: { type: 'string', default: path.join(REPO_ROOT, 'workspace') },
    manifest: { type: 'string' },
    target: { type: 'string', default: process.env.RUNNER_TARGET ?? 'lab' },
    lab: { type: 'string', default: process.env.RUNNER_LAB },
    'workspace-in': { type: 'string', default: process.env.RUNNER_WORKSPACE_IN },
    'lab-name': { type: 'string' },
    'lab-ports': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'no-edited-runs': { type: 'boolean', default: false },
    'new-token': { type: 'boolean', default: false },
    'no-site': { type: 'boolean', default: false },
    'no-terminal': { type: 'boolean', default: false },
    classroom: { type: 'string' },
    'lab-port-base': { type: 'string', default: '20000' },
    'lab-memory': { type: 'string', default: '1g' },
    'lab-cpus': { type: 'string', default: '1' },
    'lab-pids': { type: 'string', default: '1000' },
    'idle-minutes': { type: 'string', default: '30' },
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
// Where the engine is decides how the lab gets the workspace (engine/engine-location.ts); said at start.
let lab: Awaited<ReturnType<typeof resolveLabPlan>>;
try {
  lab = await resolveLabPlan({ lab: values.lab, workspaceIn: values['workspace-in'] });
} catch (error) {
  fail((error as Error).message);
}
console.log(lab.plan.said);
const loopback = isLoopbackName(values.host);
if (!loopback && !values['allow-remote']) {
  fail(`--host ${values.host} is not a loopback address; add --allow-remote if you really mean to expose the runner`);
}

const siteDir = SITE_DIR;
if (!values['no-site'] && !values.manifest && !values['no-build'] && siteIsStale()) {
  console.log('Building the site (npm run build)...');
  if (!buildSite()) fail('the site did not build; fix the errors above (content/<file>:<line>) and start again');
}

let manifest;
try {
  manifest = readManifest(values.manifest ?? MANIFEST_PATH);
} catch (error) {
  fail((error as Error).message);
}

const version =
  (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0';

if (values.classroom !== undefined) {
  if (lab.plan.placement === 'volume')
    fail(
      `--classroom on the engine at ${lab.location.endpoint}: classroom mode mounts each learner's workspace from this ` +
        'machine and publishes on its 127.0.0.1, so it needs a local engine (unset DOCKER_HOST or switch the docker context)',
    );
  const number = (name: string, text: string) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) fail(`--${name} ${text}: expected a number`);
    return value;
  };
  if (!/^\d+[kmg]?$/i.test(values['lab-memory']))
    fail(`--lab-memory ${values['lab-memory']}: expected e.g. 512m or 1g`);
  const { startClassroom } = await import('./classroom/classroom.ts');
  let classroom;
  try {
    classroom = await startClassroom({
      manifest,
      seats: number('classroom', values.classroom),
      workspaceRoot: path.resolve(values.workspace),
      host: values.host,
      port,
      labPortBase: number('lab-port-base', values['lab-port-base']),
      limits: {
        memory: values['lab-memory'],
        cpus: number('lab-cpus', values['lab-cpus']),
        pids: number('lab-pids', values['lab-pids']),
      },
      idleMinutes: number('idle-minutes', values['idle-minutes']),
      siteDir: values['no-site'] ? undefined : siteDir,
      version,
      editedRuns: !values['no-edited-runs'],
    });
  } catch (error) {
    fail((error as Error).message);
  }
  console.log(`Instructor: ${classroom.instructorUrl}`);
  for (const learner of classroom.learners) {
    const ports = Object.entries(learner.ports)
      .map(([lab, host]) => `${lab}→${host}`)
      .join(', ');
    console.log(`${learner.seat.id}: ${learner.url}  (lab ${learner.seat.labName}; ports ${ports})`);
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.log("\nEnding the class: stopping every learner's steps, removing their labs...");
      void classroom.end().finally(() => process.exit(0));
      setTimeout(() => process.exit(0), 120_000).unref();
    });
  }
} else {
  const tokenDir = stateDir();
  const token = process.env.RUNNER_TOKEN || loadToken(tokenDir, values['new-token']);
  const app = await RunnerApp.create({
    manifest,
    workspace: path.resolve(values.workspace),
    target: values.target as 'lab' | 'host',
    ...lab.app,
    labName: values['lab-name'],
    labHostPorts: labPortMap(values['lab-ports']),
  });
  const policy = { token, port, allowRemote: values['allow-remote'] };
  const server = createRunnerServer({
    app,
    policy,
    siteDir: values['no-site'] ? undefined : siteDir,
    version,
    editedRuns: !values['no-edited-runs'],
  });
  const terminals = values['no-terminal']
    ? undefined
    : new Terminals({ target: () => app.target, workspace: app.workspace });
  attachTerminalSocket(server, { policy, terminals });

  server.once('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      fail(
        `port ${port} on ${values.host} is already in use (another runner?); stop it, or start with --port ${port + 1}`,
      );
    }
    if (error.code === 'EACCES') fail(`not allowed to listen on port ${port}; choose one above 1023 with --port`);
    if (error.code === 'EADDRNOTAVAIL') fail(`--host ${values.host} is not an address of this machine`);
    fail(`could not listen on ${values.host}:${port}: ${error.message}`);
  });

  server.listen(port, values.host, () => {
    const address = server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    policy.port = actual; // with --port 0 the OS picked it, and Host/Origin checks must name it
    const shown = values.host === '::1' ? '[::1]' : values.host;
    if (!loopback)
      console.warn(
        `WARNING: listening on ${values.host}; anyone who can reach it and has the token can run steps here.`,
      );
    const origin = `http://${shown}:${actual}/`;
    console.log(`Runner ready: ${origin}`);
    // The token stays off the command line of whatever opens the link: see token-file.ts.
    console.log(
      `  open this link (it holds the token; only you can read it): ${writeOpenPage(tokenDir, origin, token)}`,
    );
    const { target } = app.state();
    console.log(`  workspace ${app.workspace.root} · ${manifest.steps.length} steps`);
    console.log(`  target: ${target.description} · images: ${target.profile} (${target.profileReason})`);
  });

  // SIGHUP too: closing the terminal must not leave services running without their runner.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.log('\nStopping running steps and services...');
      void Promise.all([app.shutdown(), terminals?.closeAll()]).finally(() => {
        server.close(() => process.exit(0));
        server.closeAllConnections(); // idle keep-alive sockets would hold close() for seconds
      });
      setTimeout(() => process.exit(0), 8000).unref();
    });
  }
}

function labPortMap(text: string | undefined): Record<number, number> | undefined {
  if (text === undefined) return undefined;
  try {
    return parsePortMap(text);
  } catch (error) {
    fail(`--lab-ports: ${(error as Error).message}`);
  }
}

function fail(message: string): never {
  console.error(`runner: ${message}`);
  process.exit(2);
}
