/**
 * Starts the real runner process on a free port with a fixture manifest and a fresh workspace,
 * and talks HTTP to it the way the page does.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectContent } from '../../src/steps/collect.ts';
import type { Manifest } from '../../contract/manifest.ts';
import type { RunnerEvent, RunnerState, StepState } from '../../contract/protocol.ts';
import { EventTap } from '../support/event-tap.ts';
import { startRunnerProcess } from '../support/runner-process.ts';

export { EventTap };

export const FIXTURE_CONTENT = path.resolve(import.meta.dirname, '../fixtures/manifest-content');

let manifestFile: string | undefined;
let manifest: Manifest | undefined;

export function fixtureManifest(): { file: string; manifest: Manifest } {
  if (!manifestFile) {
    manifest = collectContent(FIXTURE_CONTENT, FIXTURE_CONTENT);
    manifestFile = path.join(mkdtempSync(path.join(tmpdir(), 'manifest-')), 'steps.json');
    writeFileSync(manifestFile, JSON.stringify(manifest));
  }
  return { file: manifestFile, manifest: manifest! };
}

export interface Runner {
  url: string;
  port: number;
  token: string;
  workspace: string;
  process: ChildProcess;
  /** Everything the runner printed so far. */
  output(): string;
  stop(): Promise<void>;
  api(pathname: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  run(stepId: string): Promise<{ runId: string; end: StepState; events: RunnerEvent[] }>;
  start(stepId: string): Promise<string>;
  state(): Promise<RunnerState>;
  events(query?: string): EventTap;
}

export async function startRunner(
  options: { workspace?: string; env?: Record<string, string>; args?: string[]; target?: 'host' | 'lab' } = {},
): Promise<Runner> {
  const { file } = fixtureManifest();
  const token = 'test-token-' + Math.random().toString(36).slice(2);
  const started = await startRunnerProcess({
    target: options.target ?? 'host',
    workspace: options.workspace,
    args: ['--no-site', '--manifest', file, ...(options.args ?? [])],
    env: { RUNNER_TOKEN: token, ...options.env },
  });
  const { url, workspace, process: child } = started;
  const port = started.port;
  const { manifest } = fixtureManifest();

  const api: Runner['api'] = (pathname, init = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('x-runner-token')) headers.set('x-runner-token', token);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(url + pathname, { ...init, headers, body });
  };

  const runner: Runner = {
    url,
    port,
    token,
    workspace,
    process: child,
    output: started.output,
    api,
    stop: started.stop,
    async start(stepId) {
      const step = manifest.steps.find((s) => s.id === stepId)!;
      const response = await api('/api/runs', { method: 'POST', json: { id: stepId, hash: step.hash } });
      if (response.status !== 202) throw new Error(`start ${stepId}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { runId: string }).runId;
    },
    /** Runs a step until it is done: ended, or for a background step, ready (it keeps serving). */
    async run(stepId) {
      const background = manifest.steps.find((s) => s.id === stepId)?.background;
      const tap = runner.events();
      await tap.opened;
      const runId = await runner.start(stepId);
      const done = await tap.waitFor(
        (e) =>
          'runId' in e && e.runId === runId && (e.type === 'run-end' || (background === true && e.type === 'ready')),
      );
      const end = done.type === 'run-end' ? done.state : (await runner.state()).steps[stepId]!;
      tap.close();
      return { runId, end, events: tap.received.filter((e) => 'runId' in e && e.runId === runId) };
    },
    async state() {
      return (await (await api('/api/state')).json()) as RunnerState;
    },
    events(query = '') {
      return new EventTap(`${url}/api/events?token=${token}${query}`);
    },
  };
  return runner;
}
