/**
 * A runner killed with `kill -9` (no chance to stop its steps), then started again on the same
 * workspace: every step must show the state it really is in, and nothing of the killed runner's
 * steps may be left running, on the host or in the lab (the shared one and the isolated one).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { docker } from '../../runner/engine/engine.ts';
import { engineStatus } from '../../runner/engine/engine-status.ts';
import { engineVolume } from '../../runner/targets/lab-container.ts';
import { LAB_CONTAINER } from '../../runner/targets/lab.ts';
import { taggedProcesses } from '../../runner/targets/host.ts';
import { startRunner, type Runner } from './harness.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function killHard(runner: Runner): Promise<void> {
  const exited = new Promise((r) => runner.process.once('exit', r));
  runner.process.kill('SIGKILL');
  await exited;
}

/** Pids inside the lab whose environment carries the run's tag (as tutorial-kill finds them). */
async function taggedInLab(runId: string): Promise<string[]> {
  const script = `for d in /proc/[0-9]*; do tr '\\0' '\\n' <"$d/environ" 2>/dev/null | grep -qxF "TUTORIAL_RUN_ID=${runId}" && echo "\${d#/proc/}"; done; true`;
  try {
    const out = await docker(['exec', LAB_CONTAINER, 'bash', '-c', `unset TUTORIAL_RUN_ID; ${script}`]);
    return out.split('\n').filter(Boolean);
  } catch (error) {
    if (/No such container|is not running/.test((error as Error).message)) return []; // not started yet
    throw error;
  }
}

/** Host processes that carry the run's tag or name it on their command line (`docker exec -e ...`). */
function onHost(runId: string): number[] {
  const named = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(runId);
      } catch {
        return false; // gone
      }
    })
    .map(Number);
  return [...new Set([...taggedProcesses(runId), ...named])];
}

/** Polls until `check` gives an empty list (a `docker exec` client ends just after its process). */
async function drained<T>(check: () => T[] | Promise<T[]>, ms = 5000): Promise<T[]> {
  const deadline = Date.now() + ms;
  let left = await check();
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(200);
    left = await check();
  }
  return left;
}

describe('after kill -9 of the runner', { timeout: 300_000 }, () => {
  it('a ready background step is not shown as running at restart, and none of it is left', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'tutorial-ws-'));
    const env = { XDG_STATE_HOME: mkdtempSync(path.join(tmpdir(), 'runner-state-')) };
    const first = await startRunner({ workspace, env });
    const { runId, end } = await first.run('quiet-service');
    assert.equal(end.message, 'running in the background');
    assert.ok(taggedProcesses(runId).length > 0, 'the service should be running');
    await killHard(first);
    assert.ok(taggedProcesses(runId).length > 0, 'kill -9 leaves the service behind (the case under test)');

    const second = await startRunner({ workspace, env });
    try {
      const state = (await second.state()).steps['quiet-service'];
      assert.ok(state, 'the step has a state');
      assert.doesNotMatch(state.message ?? '', /running in the background/);
      assert.match(state.message ?? '', /until the runner stopped/);
      assert.deepEqual((await second.state()).services, []);
      assert.deepEqual(taggedProcesses(runId), [], 'the service outlived the restart');
    } finally {
      await second.stop();
    }
  });

  for (const lab of ['shared', 'isolated'] as const)
    it(`during a step in the ${lab} lab: no process of that step is left on the host or in the lab`, async (t) => {
      if (!(await engineStatus()).ok) return t.skip('no Docker engine');
      const workspace = mkdtempSync(path.join(tmpdir(), 'tutorial-ws-'));
      const env = { XDG_STATE_HOME: mkdtempSync(path.join(tmpdir(), 'runner-state-')), TUTORIAL_PROFILE: 'offline' };
      const args = ['--target', 'lab', '--lab', lab];
      const first = await startRunner({ workspace, env, args });
      let runId = '';
      try {
        const tap = first.events();
        await tap.opened;
        runId = await first.start('lab-sleeper');
        const deadline = Date.now() + 120_000;
        while ((await taggedInLab(runId)).length < 2 && Date.now() < deadline) await sleep(500);
        assert.ok(
          (await taggedInLab(runId)).length >= 2,
          `both sleeps should be running in the lab; events: ${tap.received.map((e) => e.type).join(',')}; output: ${tap.output(runId)}`,
        );
        tap.close();
        await killHard(first);
        // The session kernel in the lab sees its stdin close when the runner dies and ends the step
        // itself, so the step may already be gone here; what must hold is the state after a restart.

        const second = await startRunner({ workspace, env, args });
        try {
          assert.deepEqual(await taggedInLab(runId), [], 'processes of the step are left in the lab');
          assert.deepEqual(await drained(() => onHost(runId)), [], 'processes of the step are left on the host');
          const state = (await second.state()).steps['lab-sleeper'];
          assert.equal(state?.status, 'cancelled');
          assert.match(state?.message ?? '', /runner stopped while this step ran/);
        } finally {
          await second.stop();
        }
      } finally {
        if (first.process.exitCode === null && first.process.signalCode === null) await first.stop();
        await docker(['rm', '-f', LAB_CONTAINER]).catch(() => {});
        if (lab === 'isolated') await docker(['volume', 'rm', engineVolume(LAB_CONTAINER)]).catch(() => {});
      }
    });
});
