/** Cancel, timeout, background services, output cap, replay, expected output, preflight, run-all. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { portAnswers } from '../../runner/net/port-probe.ts';
import { taggedProcesses } from '../../runner/targets/host.ts';
import { privateStateDir } from '../../runner/workspace.ts';
import { startRunner, type Runner } from './harness.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('run lifecycle', () => {
  let runner: Runner;
  before(async () => {
    runner = await startRunner({ env: { RUNNER_INTERNET: 'off' } });
  });
  after(() => runner.stop());

  it('cancelling `sleep 1000 & sleep 1000; wait` leaves no process behind', async () => {
    const tap = runner.events();
    await tap.opened;
    const runId = await runner.start('sleepers');
    await sleep(500);
    assert.ok(taggedProcesses(runId).length >= 2, 'both sleeps should be running');
    assert.equal((await runner.api(`/api/runs/${runId}/cancel`, { method: 'POST' })).status, 202);
    const end = await tap.waitFor((e) => e.type === 'run-end' && e.runId === runId);
    assert.equal(end.type === 'run-end' && end.state.status, 'cancelled');
    assert.deepEqual(taggedProcesses(runId), []);
    tap.close();
  });

  it('a step that leaves `sleep 30 &` behind still finishes at once, and the child is ended', async () => {
    const started = Date.now();
    const { runId, end } = await runner.run('leaves-child');
    assert.equal(end.status, 'ok');
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    assert.deepEqual(taggedProcesses(runId), []);
  });

  it('a timeout ends the step, says so, and leaves nothing running', async () => {
    const { runId, end } = await runner.run('short-timeout');
    assert.equal(end.status, 'failed');
    assert.match(end.message ?? '', /timed out after 1\.0 s/);
    assert.deepEqual(taggedProcesses(runId), []);
  });

  it('a background server becomes ready, serves, is listed, and stops on request', async () => {
    const { runId, end, events } = await runner.run('http-service');
    assert.equal(end.status, 'ok');
    assert.ok(events.some((e) => e.type === 'ready' && e.url === 'http://127.0.0.1:48123/'));
    assert.equal((await fetch('http://127.0.0.1:48123/')).status, 200);
    assert.deepEqual(
      (await runner.state()).services.map((s) => [s.stepId, s.port, s.state]),
      [['http-service', 48123, 'ready']],
    );

    const tap = runner.events();
    await tap.opened;
    await runner.api(`/api/runs/${runId}/cancel`, { method: 'POST' });
    // The run ends when the service does: still ok (it served), now saying it was stopped.
    const stopped = await tap.waitFor((e) => e.type === 'run-end' && e.runId === runId);
    assert.ok(
      stopped.type === 'run-end' && stopped.state.status === 'ok' && /then stopped/.test(stopped.state.message ?? ''),
      JSON.stringify(stopped),
    );
    tap.close();
    assert.deepEqual((await runner.state()).services, []);
    await assert.rejects(fetch('http://127.0.0.1:48123/'));
    assert.deepEqual(taggedProcesses(runId), []);
  });

  it('a second client replays the output of a running step, then follows it live', async () => {
    const first = runner.events();
    await first.opened;
    const runId = await runner.start('ticker');
    await first.waitFor((e) => e.type === 'output' && e.runId === runId && e.text.includes('tick 5'));
    const second = runner.events();
    await second.opened;
    await second.waitFor((e) => e.type === 'output' && e.runId === runId && /tick 2\d/.test(e.text));
    assert.match(second.output(runId, 'stdout'), /^tick 1\ntick 2\n/); // replayed from the start
    await runner.api(`/api/runs/${runId}/cancel`, { method: 'POST' });
    first.close();
    second.close();
    for (let i = 0; i < 50 && (await runner.state()).active.length > 0; i++) await sleep(100);
    assert.deepEqual((await runner.state()).active, []);
  });

  it('reports a mismatch with the expected output as a failure with a diff', async () => {
    const tap = runner.events();
    await tap.opened;
    const runId = await runner.start('mismatch');
    const end = await tap.waitFor((e) => e.type === 'run-end' && e.runId === runId);
    assert.ok(end.type === 'run-end');
    assert.equal(end.state.status, 'failed');
    assert.deepEqual(end.expect, {
      match: 'exact',
      ok: false,
      diff: 'first difference at line 1:\n  - expected text\n  + actual text',
    });
    tap.close();
  });

  it('skips a step that needs the internet when there is none, saying why', async () => {
    const { end } = await runner.run('needs-internet');
    assert.equal(end.status, 'skipped');
    assert.match(end.message ?? '', /needs internet/);
  });

  it("keeps finished transcripts in the runner's state folder for the workspace", async () => {
    await runner.run('say-hello');
    const state = privateStateDir(realpathSync(runner.workspace)); // same environment as the runner
    const transcript = JSON.parse(readFileSync(`${state}/transcripts/say-hello.json`, 'utf8'));
    assert.equal(transcript.state.status, 'ok');
    assert.deepEqual(transcript.output, [{ stream: 'stdout', text: 'hello from the runner\n' }]);
    const viaApi = await (await runner.api('/api/steps/say-hello/transcript')).json();
    assert.deepEqual(viaApi, transcript);
  });

  it('run all stops at the first failure and skips manual steps', async () => {
    const tap = runner.events();
    await tap.opened;
    const response = await runner.api('/api/chapters/batch/run', { method: 'POST', json: {} });
    assert.equal(response.status, 202);
    const done = await tap.waitFor((e) => e.type === 'batch' && e.state !== 'running');
    assert.ok(done.type === 'batch');
    assert.equal(done.state, 'stopped');
    assert.match(done.message ?? '', /stopped at batch-two-fails: exit code 3/);
    const ran = tap.received.flatMap((e) => (e.type === 'run-start' ? [e.stepId] : []));
    assert.deepEqual(ran, ['batch-one', 'batch-two-fails']);
    tap.close();
  });

  it('run to here stops after the named step', async () => {
    const tap = runner.events();
    await tap.opened;
    await runner.api('/api/chapters/batch/run', { method: 'POST', json: { until: 'batch-one' } });
    const done = await tap.waitFor((e) => e.type === 'batch' && e.state !== 'running');
    assert.ok(done.type === 'batch' && done.state === 'done');
    assert.deepEqual(
      tap.received.flatMap((e) => (e.type === 'run-start' ? [e.stepId] : [])),
      ['batch-one'],
    );
    tap.close();
  });
  it('run to here skips the steps before it that already passed, and runs the rest', async () => {
    assert.equal((await runner.state()).steps['batch-one']?.status, 'ok'); // from the tests above
    const tap = runner.events();
    await tap.opened;
    await runner.api('/api/chapters/batch/run', { method: 'POST', json: { until: 'batch-two-fails' } });
    await tap.waitFor((e) => e.type === 'batch' && e.state !== 'running');
    assert.deepEqual(
      tap.received.flatMap((e) => (e.type === 'run-start' ? [e.stepId] : [])),
      ['batch-two-fails'],
    );
    tap.close();
  });
});

/** A process's peak resident memory so far, in KiB. */
function peakKb(pid: number): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

describe('output cap', () => {
  it('holds on a 100 MB step, with the runner under 100 MB of memory', { timeout: 300_000 }, async (t) => {
    const runner = await startRunner();
    try {
      const tap = runner.events();
      await tap.opened;
      t.diagnostic(`runner memory before the step (VmHWM) ${Math.round(peakKb(runner.process.pid!) / 1024)} MB`);
      const runId = await runner.start('flood');
      const end = await tap.waitFor((e) => e.type === 'run-end' && e.runId === runId, 280_000);
      assert.ok(end.type === 'run-end' && end.state.status === 'ok', JSON.stringify(end));
      const streamed = tap.output(runId);
      assert.ok(streamed.length < 1.2 * 1024 * 1024, `streamed ${streamed.length} bytes`);
      assert.match(streamed, /output capped at 1\.0 MiB/);
      assert.match(streamed, /MiB of output not shown; it ended with:/);
      const peak = peakKb(runner.process.pid!);
      t.diagnostic(`runner peak memory (VmHWM) ${Math.round(peak / 1024)} MB`);
      assert.ok(peak < 100 * 1024, `runner peak memory ${Math.round(peak / 1024)} MB`);
      tap.close();
    } finally {
      await runner.stop();
    }
  });
});

describe('after a crash', () => {
  it("the next runner in the workspace ends the processes the killed one's steps left running", async () => {
    assert.equal(await portAnswers(48123), false, 'port 48123 is taken before the test; free it first');
    const workspace = mkdtempSync(path.join(tmpdir(), 'ws-crash-'));
    const crashed = await startRunner({ workspace });
    let runId: string;
    try {
      const tap = crashed.events();
      await tap.opened;
      runId = await crashed.start('http-service');
      const started = await tap.waitFor((e) => 'runId' in e && e.runId === runId && /^(ready|run-end)$/.test(e.type));
      tap.close();
      assert.equal(started.type, 'ready', JSON.stringify(started));
    } finally {
      const exited = new Promise((resolve) => crashed.process.once('exit', resolve));
      crashed.process.kill('SIGKILL'); // no chance to stop its services
      await exited;
    }
    assert.equal(await portAnswers(48123), true, 'the server outlived its runner');

    const next = await startRunner({ workspace });
    try {
      assert.equal(await portAnswers(48123), false, 'the server still holds its port');
      assert.deepEqual(taggedProcesses(runId), []);
      assert.equal((await next.state()).steps['http-service']?.status, 'ok', 'it had served, and says so');
    } finally {
      await next.stop();
    }
  });
});
