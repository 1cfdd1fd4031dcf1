/**
 * Starts the real `npm start` (runner/launch.mjs) on a free port with a fresh workspace, the way a
 * learner does, and reads the link it prints. Used by the e2e tests and the runner's integration
 * tests (test/runner/harness.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface RunningRunner {
  url: string;
  token: string;
  workspace: string;
  process: ChildProcess;
  /** The port it listens on. */
  port: number;
  /** Where its token file and the link page are (RUNNER_STATE_DIR). */
  stateDir: string;
  /** The file:// link it printed (a 0600 page that forwards with the token). */
  openLink: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Calls the API with the token, as the page does. */
  api(pathname: string, init?: { method?: string; json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startRunnerProcess(
  options: {
    target?: 'lab' | 'host';
    workspace?: string;
    args?: string[];
    env?: Record<string, string>;
    /** Where the token file lives (RUNNER_STATE_DIR); a fresh folder unless given, so tests never share the user's. */
    stateDir?: string;
  } = {},
): Promise<RunningRunner> {
  const workspace = options.workspace ?? mkdtempSync(path.join(tmpdir(), 'tutorial-ws-'));
  const stateDir = options.stateDir ?? mkdtempSync(path.join(tmpdir(), 'tutorial-state-'));
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'runner/launch.mjs'),
      '--port',
      '0',
      '--workspace',
      workspace,
      '--target',
      options.target ?? 'lab',
      ...(options.args ?? []),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUNNER_STATE_DIR: stateDir, ...options.env },
    },
  );
  let log = '';
  const collect = (d: Buffer) => {
    log += d.toString();
    if (process.env.RUNNER_LOG) process.stderr.write(d);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const link = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the runner did not start within 5 minutes:\n${log}`)), 300_000);
    child.stdout!.on('data', () => {
      // The printed link is a 0600 file that forwards to the runner with the token (token-file.ts).
      const match = /Runner ready: (http:\/\/\S+)[\s\S]*?open this link.*?: (file:\/\/\S+)/.exec(log);
      const withToken = /Runner ready: (http:\/\/\S+\?token=\S+)/.exec(log); // runners before the token file
      if (match || withToken) {
        clearTimeout(timer);
        if (withToken) return resolve(new URL(withToken[1]!));
        const page = readFileSync(fileURLToPath(match![2]!), 'utf8');
        resolve(new URL(/url=(http:\/\/[^"]+)"/.exec(page)![1]!));
      }
    });
    child.once('exit', (code) => reject(new Error(`the runner exited with ${code}:\n${log}`)));
  });
  const token = decodeURIComponent(link.searchParams.get('token')!);
  const url = link.origin;
  return {
    url,
    token,
    port: Number(link.port),
    stateDir,
    openLink: /open this link.*?: (file:\/\/\S+)/.exec(log)?.[1] ?? '',
    workspace,
    process: child,
    output: () => log,
    api: (pathname, init = {}) =>
      fetch(url + pathname, {
        method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
        headers: { 'x-runner-token': token, ...(init.json !== undefined && { 'content-type': 'application/json' }) },
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
      }),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
