/**
 * Starts the real `npm start` (runner/launch.mjs) on a free port with a fresh workspace, the way a
 * learner does, and reads the link it prints. Used by the e2e tests and the runner's integration
 * tests (test/runner/harness.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface RunningRunner {
  url: string;
  token: string;
  workspace: string;
  process: ChildProcess;
  /** The port it listens on. */
  port: number;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Calls the API with the token, as the page does. */
  api(pathname: string, init?: { method?: string; json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startRunnerProcess(
  options: { target?: 'lab' | 'host'; workspace?: string; args?: string[]; env?: Record<string, string> } = {},
): Promise<RunningRunner> {
  const workspace = options.workspace ?? mkdtempSync(path.join(tmpdir(), 'tutorial-ws-'));
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
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
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
      const match = /Runner ready: (http:\/\/\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(new URL(match[1]!));
      }
    });
    child.once('exit', (code) => reject(new Error(`the runner exited with ${code}:\n${log}`)));
  });
  const token = link.searchParams.get('token')!;
  const url = link.origin;
  return {
    url,
    token,
    port: Number(link.port),
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
