/**
 * Run states with the real host target and workspace; only the image preparation is a stand-in
 * that never finishes, as a first offline provisioning seems to a learner who clicks Cancel.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Manifest } from '../../contract/manifest.ts';
import { DEFAULT_TIMEOUT_MS, type Step } from '../../contract/step-schema.ts';
import type { RunnerEvent } from '../../contract/protocol.ts';
import { HostTarget } from '../targets/host.ts';
import { Workspace } from '../workspace.ts';
import { LiveRuns } from './live-runs.ts';
import { Runs } from './runs.ts';
import { StatusStore } from './status-store.ts';
import { Transcripts } from './transcripts.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'runs-test-'));
const step: Step = {
  id: 'build-something',
  chapter: 'docker',
  order: 0,
  kind: 'shell',
  lang: 'sh',
  code: 'echo built',
  hash: 'h1',
  source: { file: 'content/docker.mdx', line: 3 },
  append: false,
  background: false,
  requires: ['docker'],
  stops: [],
  timeoutMs: DEFAULT_TIMEOUT_MS,
};
const manifest: Manifest = {
  version: 1,
  chapters: [{ id: 'docker', title: 'Docker', order: 1, file: 'content/docker.mdx', steps: [step.id] }],
  steps: [step],
};

describe('runs', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('ends a cancelled run at once, while the images it waits for are still being prepared', async () => {
    const workspace = new Workspace(path.join(root, 'ws'));
    const events: RunnerEvent[] = [];
    let preparing = false;
    const runs = new Runs({
      manifest,
      workspace,
      target: () => new HostTarget(),
      machine: () => ({
        target: 'host',
        dockerStatus: async () => ({ ok: true }),
        internet: async () => false,
        isRoot: () => true,
        portHolder: async () => undefined,
      }),
      status: new StatusStore(workspace.state('status.json')),
      transcripts: new Transcripts(workspace.state('transcripts')),
      live: new LiveRuns(workspace.state('live-runs.json')),
      publish: (event) => events.push(event),
      prepareImages: (progress) => {
        preparing = true;
        progress('building python:3.13 from Debian packages');
        return new Promise(() => {}); // minutes, as far as this run can tell
      },
    });
    const { runId } = runs.start(step.id, step.hash);
    for (let i = 0; i < 100 && !preparing; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(preparing, 'the run waits for the images');

    const cancelledAt = Date.now();
    runs.cancel(runId);
    for (let i = 0; i < 200 && !events.some((e) => e.type === 'run-end'); i++)
      await new Promise((r) => setTimeout(r, 10));
    const end = events.find((e) => e.type === 'run-end');
    assert.ok(end?.type === 'run-end', 'the run ended');
    assert.equal(end.state.status, 'cancelled');
    assert.ok(Date.now() - cancelledAt < 1000, `ended ${Date.now() - cancelledAt} ms after Cancel`);
    const printed = events.flatMap((e) => (e.type === 'output' ? [e.text] : [])).join('');
    assert.doesNotMatch(printed, /built/, 'the step itself never ran');
  });
});
