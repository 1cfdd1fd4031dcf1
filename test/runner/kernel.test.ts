/**
 * The session kernel through the runner (host target): one long-lived process keeps the learner's
 * state between steps, survives a cancel, is replaced after a crash with the saved state, and
 * applies the runner's own variables fresh at every step.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { taggedProcesses } from '../../runner/targets/host.ts';
import { startRunner, type Runner } from './harness.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const text = (events: { type: string; text?: string }[]) =>
  events.flatMap((e) => (e.type === 'output' ? [e.text] : [])).join('');

/** Pids of the live session kernels (`session.sh serve`) of one workspace. */
function kernels(workspace: string): number[] {
  const script = path.join(workspace, '.runner/bin/session.sh');
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // M and S are forks of the kernel with the same command line: the kernel's parent is not one.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const parent = readFileSync(`/proc/${ppid}/cmdline`, 'utf8');
      if (argv.includes(script) && argv.at(-2) === 'serve' && !parent.includes(script)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe('the session kernel', () => {
  const runners: Runner[] = [];
  after(async () => {
    for (const r of runners) await r.stop();
  });

  it('runs step after step in one long-lived process that keeps cd, exports, functions, aliases', async () => {
    const runner = await startRunner();
    runners.push(runner);
    assert.equal((await runner.run('go-somewhere')).end.status, 'ok');
    const [kernel, ...more] = kernels(runner.workspace);
    assert.ok(kernel, 'a kernel runs after the first step');
    assert.deepEqual(more, []);
    const { end, events } = await runner.run('where-am-i');
    assert.equal(end.status, 'ok');
    assert.equal(text(events), `${runner.workspace}/sub/dir\ngreeting=persisted\nfunction works: ok\nLOUD\n`);
    assert.deepEqual(kernels(runner.workspace), [kernel], 'the same kernel ran the second step');
  });

  it('cancel ends only the step: the kernel and its state stay', async () => {
    const runner = await startRunner();
    runners.push(runner);
    assert.equal((await runner.run('go-somewhere')).end.status, 'ok');
    const kernel = kernels(runner.workspace);
    const tap = runner.events();
    await tap.opened;
    const runId = await runner.start('sleepers');
    for (let i = 0; i < 50 && taggedProcesses(runId).length < 2; i++) await sleep(50);
    assert.equal(taggedProcesses(runId).length, 2, 'both sleeps run');
    assert.equal((await runner.api(`/api/runs/${runId}/cancel`, { method: 'POST' })).status, 202);
    const end = await tap.waitFor((e) => e.type === 'run-end' && e.runId === runId);
    tap.close();
    assert.equal(end.type === 'run-end' && end.state.status, 'cancelled');
    assert.deepEqual(taggedProcesses(runId), []);
    assert.deepEqual(kernels(runner.workspace), kernel, 'the kernel survived the cancel');
    const next = await runner.run('where-am-i');
    assert.equal(next.end.status, 'ok');
    assert.match(text(next.events), /sub\/dir\ngreeting=persisted\nfunction works: ok\nLOUD\n$/);
  });

  it('a killed kernel (kill -9) is replaced at the next step, which starts from the saved state', async () => {
    const runner = await startRunner();
    runners.push(runner);
    assert.equal((await runner.run('go-somewhere')).end.status, 'ok');
    const [kernel] = kernels(runner.workspace);
    assert.ok(kernel);
    process.kill(kernel, 'SIGKILL');
    for (let i = 0; i < 50 && kernels(runner.workspace).length > 0; i++) await sleep(20);
    assert.deepEqual(kernels(runner.workspace), [], 'the kernel is gone');
    const { end, events } = await runner.run('where-am-i');
    assert.equal(end.status, 'ok', JSON.stringify(end));
    assert.equal(text(events), `${runner.workspace}/sub/dir\ngreeting=persisted\nfunction works: ok\nLOUD\n`);
    const [replacement] = kernels(runner.workspace);
    assert.ok(replacement && replacement !== kernel, 'a new kernel ran it');
  });

  it("forgets the learner's state on Reset, though the kernel keeps running", async () => {
    const runner = await startRunner();
    runners.push(runner);
    assert.equal((await runner.run('go-somewhere')).end.status, 'ok');
    const tap = runner.events();
    await tap.opened;
    assert.equal((await runner.api('/api/reset', { method: 'POST' })).status, 202);
    await tap.waitFor((e) => e.type === 'progress' && e.task === 'reset' && e.message === 'done', 60_000);
    tap.close();
    const { events } = await runner.run('where-am-i');
    assert.match(text(events), new RegExp(`^${runner.workspace}\ngreeting=\n`));
  });

  it("keeps only the learner's changes: the runner's variables are fresh after they change", async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'ws-fresh-'));
    // Two spellings of the same engine socket, as after a switch of engine.
    const first = await startRunner({ workspace, env: { DOCKER_HOST: 'unix:///var/run/docker.sock' } });
    try {
      assert.equal((await first.run('extend-path')).end.status, 'ok');
      assert.match(
        text((await first.run('show-runner-vars')).events),
        /^DOCKER_HOST=unix:\/\/\/var\/run\/docker.sock\n/,
      );
    } finally {
      await first.stop();
    }
    const freshDir = mkdtempSync(path.join(tmpdir(), 'fresh-path-'));
    const second = await startRunner({
      workspace,
      env: { DOCKER_HOST: 'unix:///run/docker.sock', PATH: `${freshDir}:${process.env.PATH}` },
    });
    runners.push(second);
    const out = text((await second.run('show-runner-vars')).events);
    assert.match(out, /^DOCKER_HOST=unix:\/\/\/run\/docker.sock\n/, out);
    const pathLine = /^PATH=(.*)$/m.exec(out)![1]!;
    // The learner's own change (a folder in front) is kept, in front of the runner's new PATH.
    assert.ok(pathLine.startsWith(`${second.workspace}/home/bin:`), pathLine);
    assert.ok(pathLine.split(':').includes(freshDir), `the runner's new PATH entry is missing: ${pathLine}`);
  });
});
