/**
 * Hostile files: what a step (or the lab, as root) can plant in the workspace must never make the
 * runner write, chmod or read outside its folder, nor hang it. Each case plants the trap from this
 * test process, then drives the real runner over HTTP.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  constants,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { StepState } from '../../contract/protocol.ts';
import { startRunner, type Runner } from './harness.ts';

/** Resolves with the step's end state, or rejects when the runner does not answer in time (a hang). */
async function runWithin(runner: Runner, stepId: string, ms = 15_000): Promise<StepState> {
  let timer!: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`step ${stepId} did not end within ${ms} ms (runner hung?)`)), ms);
  });
  try {
    return (await Promise.race([runner.run(stepId), timeout])).end;
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the runner answers /api/health within `ms`. */
async function answers(runner: Runner, ms = 3000): Promise<boolean> {
  try {
    const response = await runner.api('/api/health', { signal: AbortSignal.timeout(ms) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** A FIFO nobody reads holds an opener forever; opening its read end lets a hung runner go. */
function release(fifo: string): void {
  try {
    closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
  } catch {
    // gone already
  }
}

describe('files the runner writes stay in their folder', () => {
  let runner: Runner;
  let outside: string;
  let stateHome: string;
  const ws = (...parts: string[]) => path.join(runner.workspace, ...parts);

  before(async () => {
    stateHome = mkdtempSync(path.join(tmpdir(), 'runner-state-'));
    runner = await startRunner({ env: { XDG_STATE_HOME: stateHome } });
  });
  after(async () => {
    runner.process.kill('SIGKILL'); // a test that failed may have left it hung on a FIFO
    await runner.stop();
  });

  const fresh = () => {
    outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
    return outside;
  };

  it('a file step never writes through a folder swapped for a symlink mid-step (40 tries)', async () => {
    fresh();
    // Swaps notes/ for a symlink to `outside` and back, as fast as it can, while the steps run.
    const swapper = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs');
         const [dir, out] = process.argv.slice(1);
         const real = dir + '.real';
         fs.mkdirSync(dir, { recursive: true });
         for (;;) {
           try { fs.renameSync(dir, real); } catch { try { fs.mkdirSync(dir); } catch {} continue; }
           try { fs.symlinkSync(out, dir); } catch {}
           try { if (fs.lstatSync(dir).isSymbolicLink()) fs.unlinkSync(dir); } catch {}
           try { fs.renameSync(real, dir); } catch { fs.rmSync(real, { recursive: true, force: true }); }
         }`,
        ws('notes'),
        outside,
      ],
      { stdio: 'ignore' },
    );
    try {
      for (let i = 0; i < 40; i++) {
        const end = await runWithin(runner, 'write-notes');
        if (end.status !== 'ok') assert.match(end.message ?? '', /notes/, JSON.stringify(end));
      }
    } finally {
      swapper.kill('SIGKILL');
      await new Promise((r) => swapper.once('exit', r));
      execFileSync('rm', ['-rf', ws('notes'), ws('notes.real')]); // a link is removed, not followed
    }
    assert.deepEqual(readdirSync(outside), [], 'a file was written outside the workspace');
  });

  it('refuses a target with another hard link (an outside file), naming the step and the path', async () => {
    fresh();
    const secret = path.join(outside, 'bashrc');
    writeFileSync(secret, 'outside\n');
    mkdirSync(ws('notes'), { recursive: true });
    execFileSync('rm', ['-rf', ws('notes/todo.txt')]);
    linkSync(secret, ws('notes/todo.txt'));
    for (const step of ['append-notes', 'write-notes']) {
      const end = await runWithin(runner, step);
      assert.equal(end.status, 'failed', `${step}: ${JSON.stringify(end)}`);
      assert.match(end.message ?? '', new RegExp(`step ${step}.*notes/todo\\.txt.*hard link`));
      assert.equal(readFileSync(secret, 'utf8'), 'outside\n', `${step} changed the outside file`);
    }
    execFileSync('rm', ['-f', ws('notes/todo.txt')]);
  });

  it('refuses a FIFO as a file step target without opening it (the runner never hangs)', async () => {
    mkdirSync(ws('notes'), { recursive: true });
    execFileSync('rm', ['-rf', ws('notes/todo.txt')]);
    execFileSync('mkfifo', [ws('notes/todo.txt')]);
    try {
      for (const step of ['write-notes', 'append-notes']) {
        const end = await runWithin(runner, step);
        assert.equal(end.status, 'failed', `${step}: ${JSON.stringify(end)}`);
        assert.match(end.message ?? '', /notes\/todo\.txt.*not a regular file/);
        assert.ok(await answers(runner), 'the runner stopped answering');
      }
    } finally {
      release(ws('notes/todo.txt'));
      execFileSync('rm', ['-f', ws('notes/todo.txt')]);
    }
  });

  it("never writes through symlinks planted among the runner's own files", async () => {
    fresh();
    const planted: Record<string, string> = {
      '.runner/code/say-hello.sh': 'code.txt',
      '.runner/bin/step-wrapper.sh': 'wrapper.txt',
      '.runner/status.json.next': 'status.txt',
      '.runner/status.json': 'status-final.txt',
      '.runner/live-runs.json.next': 'live.txt',
      '.runner/transcripts/say-hello.json.next': 'transcript.txt',
      '.runner/transcripts/say-hello.json': 'transcript-final.txt',
    };
    for (const [inside, name] of Object.entries(planted)) {
      writeFileSync(path.join(outside, name), 'original\n', { mode: 0o644 });
      mkdirSync(path.dirname(ws(inside)), { recursive: true });
      execFileSync('rm', ['-f', ws(inside)]);
      symlinkSync(path.join(outside, name), ws(inside));
    }
    const end = await runWithin(runner, 'say-hello');
    assert.equal(end.status, 'ok', JSON.stringify(end));
    for (const name of Object.values(planted)) {
      assert.equal(readFileSync(path.join(outside, name), 'utf8'), 'original\n', `${name} was overwritten`);
    }
  });

  it('a symlink to a FIFO among its own files does not freeze the runner', async () => {
    fresh();
    const fifo = path.join(outside, 'fifo');
    execFileSync('mkfifo', [fifo]);
    execFileSync('rm', ['-f', ws('.runner/code/say-hello.sh')]);
    mkdirSync(ws('.runner/code'), { recursive: true });
    symlinkSync(fifo, ws('.runner/code/say-hello.sh'));
    try {
      const end = await runWithin(runner, 'say-hello');
      assert.equal(end.status, 'ok', JSON.stringify(end));
      assert.ok(await answers(runner));
    } finally {
      release(fifo);
    }
  });

  it('the transcript endpoint does not read a file outside its folder', async () => {
    fresh();
    writeFileSync(path.join(outside, 'secret.json'), JSON.stringify({ secret: 'outside' }));
    mkdirSync(ws('.runner/transcripts'), { recursive: true });
    symlinkSync(path.join(outside, 'secret.json'), ws('.runner/transcripts/mismatch.json'));
    const response = await runner.api('/api/steps/mismatch/transcript');
    const text = await response.text();
    assert.doesNotMatch(text, /outside/);
    assert.equal(response.status, 404, text);
  });

  it('keeps statuses, transcripts and sessions readable by the user only (0600 files, 0700 folders)', async () => {
    await runWithin(runner, 'say-hello');
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isSymbolicLink()) continue; // planted by the tests above
        const mode = statSync(full).mode & 0o777;
        if (entry.isDirectory()) {
          assert.equal(mode & 0o077, 0, `${full} is ${mode.toString(8)}`);
          walk(full);
        } else if (/status\.json|transcripts|live-runs/.test(full)) {
          found.push(full);
          assert.equal(mode, 0o600, `${full} is ${mode.toString(8)}`);
        }
      }
    };
    // In the workspace (what the targets must see): .runner/ and the folders the runner makes in it.
    for (const dir of ['.runner', '.runner/sessions', '.runner/code']) {
      assert.equal(statSync(ws(dir)).mode & 0o077, 0, `${dir}/ is readable by others`);
    }
    assert.equal(statSync(ws('.runner/code/say-hello.sh')).mode & 0o777, 0o600);
    // Outside it: the runner's own records.
    walk(stateHome);
    assert.ok(
      found.some((f) => f.endsWith('status.json')),
      `no status.json found under ${stateHome} or .runner/: ${found.join(', ')}`,
    );
  });
});

describe('the docker shim is installed without following a planted symlink', () => {
  it('leaves the outside file as it was, and not executable', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'tutorial-ws-'));
    const outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
    const target = path.join(outside, 'target.txt');
    writeFileSync(target, 'original\n', { mode: 0o644 });
    for (const dir of ['.runner/shims', '.runner/bin']) {
      mkdirSync(path.join(workspace, dir), { recursive: true });
      symlinkSync(target, path.join(workspace, dir, 'docker'));
    }
    const stateHome = mkdtempSync(path.join(tmpdir(), 'runner-state-'));
    const runner = await startRunner({ workspace, env: { XDG_STATE_HOME: stateHome } });
    try {
      assert.equal(readFileSync(target, 'utf8'), 'original\n');
      assert.equal(statSync(target).mode & 0o111, 0, 'the outside file was made executable');
    } finally {
      await runner.stop();
    }
  });
});
