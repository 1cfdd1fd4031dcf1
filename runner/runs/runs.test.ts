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
import { closeKernels } from '../session/kernels.ts';
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
  // One target for every run here, so its session kernel can be closed: it would keep the test alive.
  const host = new HostTarget();
  after(() => closeKernels(host));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('ends a cancelled run at once, while the images it waits for are still being prepared', async () => {
    const workspace = new Workspace(path.join(root, 'ws'));
    const events: RunnerEvent[] = [];
    let preparing = false;
    const runs = new Runs({
      manifest,
      workspace,
      target: () => host,
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

  const shell = (id: string, code: string, extra: Partial<Step> = {}): Step => ({
    ...step,
    id,
    code,
    hash: `hash-${id}`,
    requires: [],
    ...extra,
  });
  const hostRuns = (steps: Step[], name: string, events: RunnerEvent[]) => {
    const workspace = new Workspace(path.join(root, name));
    return new Runs({
      manifest: {
        version: 1,
        chapters: [{ id: 'docker', title: 'Docker', order: 1, file: 'x', steps: steps.map((s) => s.id) }],
        steps,
      },
      workspace,
      target: () => host,
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
    });
  };
  const until = async (test: () => boolean) => {
    for (let i = 0; i < 500 && !test(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(test(), 'timed out waiting');
  };

  it('queues a Run clicked while another step runs, and starts it when that one ends', async () => {
    const slow = shell('slow', 'sleep 0.5; echo first');
    const next = shell('next', 'echo second');
    const events: RunnerEvent[] = [];
    const runs = hostRuns([slow, next], 'queue', events);
    assert.equal(runs.start(slow.id, slow.hash).queued, false);
    const queued = runs.start(next.id, next.hash);
    assert.equal(queued.queued, true);
    assert.deepEqual(runs.queuedRuns(), [{ runId: queued.runId, stepId: 'next' }]);
    await until(() => events.some((e) => e.type === 'run-end' && e.stepId === 'next'));
    const order = events
      .filter((e) => e.type === 'run-start' || e.type === 'run-end')
      .map((e) => `${e.type} ${'stepId' in e ? e.stepId : ''}`);
    assert.deepEqual(order, ['run-start slow', 'run-end slow', 'run-start next', 'run-end next']);
    const end = events.find((e) => e.type === 'run-end' && e.stepId === 'next');
    assert.ok(end?.type === 'run-end' && end.state.status === 'ok' && end.runId === queued.runId);
  });

  it('a queued run can be cancelled before it starts; it never runs', async () => {
    const slow = shell('slow2', 'sleep 0.3');
    const next = shell('next2', 'echo never');
    const events: RunnerEvent[] = [];
    const runs = hostRuns([slow, next], 'queue-cancel', events);
    runs.start(slow.id, slow.hash);
    const { runId } = runs.start(next.id, next.hash);
    assert.ok(runs.cancel(runId));
    await until(() => events.some((e) => e.type === 'run-end' && e.stepId === 'slow2'));
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(!events.some((e) => e.type === 'run-start' && e.stepId === 'next2'));
    const end = events.find((e) => e.type === 'run-end' && e.stepId === 'next2');
    assert.ok(end?.type === 'run-end' && end.state.status === 'cancelled' && end.state.exitCode === null);
  });

  it('a step whose `done` test holds ends as "already done", not failed, and does not run', async () => {
    const make = shell('make-dir', 'mkdir made && echo made', { done: 'test -d made', cwd: 'here' });
    const events: RunnerEvent[] = [];
    const runs = hostRuns([make], 'already', events);
    runs.start(make.id, make.hash);
    await until(() => events.filter((e) => e.type === 'run-end').length === 1);
    runs.start(make.id, make.hash);
    await until(() => events.filter((e) => e.type === 'run-end').length === 2);
    const [first, second] = events.flatMap((e) => (e.type === 'run-end' ? [e.state] : []));
    assert.equal(first!.status, 'ok');
    assert.equal(first!.already, undefined);
    assert.equal(second!.status, 'ok');
    assert.equal(second!.already, true);
    assert.match(second!.message ?? '', /already done/);
  });

  it('Run all pauses after a checkpoint step until the learner continues', async () => {
    const look = shell('look', 'echo look', { checkpoint: 'Open the page' });
    const after = shell('after', 'echo after');
    const events: RunnerEvent[] = [];
    const runs = hostRuns([look, after], 'checkpoint', events);
    runs.runChapter('docker');
    await until(() => events.some((e) => e.type === 'batch' && e.state === 'paused'));
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!events.some((e) => e.type === 'run-start' && e.stepId === 'after'), 'waits at the checkpoint');
    assert.equal(runs.batchState()?.pausedAt, 'look');
    runs.continueChapter('docker');
    await until(() => events.some((e) => e.type === 'batch' && e.state === 'done'));
    assert.ok(events.some((e) => e.type === 'run-end' && e.stepId === 'after' && e.state.status === 'ok'));
  });

  it('sets a chapter’s stage as a batch of that chapter, with its progress, and names the step that fails', async () => {
    const ok = shell('stage-ok', 'echo made');
    const bad = shell('stage-bad', 'echo "no such folder" >&2; exit 3');
    const never = shell('stage-never', 'echo never');
    const events: RunnerEvent[] = [];
    const runs = hostRuns([ok, bad, never], 'stage', events);
    runs.setStage('nginx', [ok, bad, never]);
    assert.deepEqual(runs.batchState()?.stage, { done: 0, total: 3 });
    await until(() => events.some((e) => e.type === 'batch' && e.state === 'stopped'));
    const batches = events.flatMap((e) => (e.type === 'batch' ? [e] : []));
    assert.ok(batches.every((b) => b.chapter === 'nginx' && b.stage?.total === 3));
    assert.ok(batches.some((b) => b.state === 'running' && b.current === 'stage-bad' && b.stage?.done === 1));
    const stopped = batches.at(-1)!;
    assert.equal(stopped.current, 'stage-bad');
    assert.equal(stopped.message, 'stopped at stage-bad: exit code 3 (no such folder)', 'which step, and why');
    assert.ok(!events.some((e) => e.type === 'run-start' && e.stepId === 'stage-never'));
  });

  it('the chapter’s Cancel ends the setting of the stage and its running step', async () => {
    const slow = shell('stage-slow', 'sleep 30');
    const next = shell('stage-next', 'echo next');
    const events: RunnerEvent[] = [];
    const runs = hostRuns([slow, next], 'stage-cancel', events);
    runs.setStage('nginx', [slow, next]);
    await until(() => events.some((e) => e.type === 'run-start' && e.stepId === 'stage-slow'));
    assert.throws(() => runs.cancelChapter('docker'), /not running its steps/);
    runs.cancelChapter('nginx');
    await until(() => events.some((e) => e.type === 'batch' && e.state === 'stopped'));
    const end = events.find((e) => e.type === 'run-end' && e.stepId === 'stage-slow');
    assert.ok(end?.type === 'run-end' && end.state.status === 'cancelled');
    assert.ok(!events.some((e) => e.type === 'run-start' && e.stepId === 'stage-next'));
    assert.equal(runs.batchState(), undefined);

    // Pressed again, it goes on in the same session.
    runs.setStage('nginx', [next]);
    await until(() => events.filter((e) => e.type === 'batch' && e.state !== 'running').length === 2);
    const end2 = events.find((e) => e.type === 'run-end' && e.stepId === 'stage-next');
    assert.ok(end2?.type === 'run-end' && end2.state.status === 'ok', JSON.stringify(end2));
  });
});
