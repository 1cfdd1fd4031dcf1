/** Shell steps share a session: cwd, exports, functions and aliases carry over, even across a restart. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { startRunner, type Runner } from './harness.ts';

describe('shell sessions', () => {
  const runners: Runner[] = [];
  after(async () => {
    for (const r of runners) await r.stop();
  });

  it('carry cwd, exported variables, functions and aliases from step to step', async () => {
    const runner = await startRunner();
    runners.push(runner);
    assert.equal((await runner.run('go-somewhere')).end.status, 'ok');
    const { end, events } = await runner.run('where-am-i');
    assert.equal(end.status, 'ok');
    const out = events.flatMap((e) => (e.type === 'output' ? [e.text] : [])).join('');
    assert.equal(out, `${runner.workspace}/sub/dir\ngreeting=persisted\nfunction works: ok\nLOUD\n`);
  });

  it('survive a runner restart (the session is stored in the workspace)', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'ws-restart-'));
    const first = await startRunner({ workspace });
    assert.equal((await first.run('go-somewhere')).end.status, 'ok');
    await first.stop();

    const second = await startRunner({ workspace });
    runners.push(second);
    const tap = second.events();
    await tap.opened;
    const runId = await second.start('where-am-i');
    await tap.waitFor((e) => e.type === 'run-end' && e.runId === runId);
    assert.match(tap.output(runId), /sub\/dir\ngreeting=persisted\nfunction works: ok\nLOUD/);
    tap.close();
    // The statuses survived too.
    assert.equal((await second.state()).steps['go-somewhere']?.status, 'ok');
  });

  it('stop at the first failing command and report the exit code', async () => {
    const runner = await startRunner();
    runners.push(runner);
    const { end, events } = await runner.run('fail-step');
    assert.equal(end.status, 'failed');
    assert.equal(end.exitCode, 1);
    assert.equal(events.flatMap((e) => (e.type === 'output' ? [e.text] : [])).join(''), 'before\n');
  });
});

describe('file and edit steps', () => {
  it('write a file, append once, and say "already applied" the second time', async () => {
    const runner = await startRunner();
    try {
      assert.equal((await runner.run('write-notes')).end.status, 'ok');
      assert.equal((await runner.run('append-notes')).end.message, 'appended to notes/todo.txt');
      const again = await runner.run('append-notes');
      assert.equal(again.end.status, 'ok');
      assert.equal(again.end.message, 'already applied');
      assert.equal(readFileSync(path.join(runner.workspace, 'notes/todo.txt'), 'utf8'), 'first line\nsecond line\n');
    } finally {
      await runner.stop();
    }
  });

  it('refuse to write through a symlink that leaves the workspace', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
    const workspace = mkdtempSync(path.join(tmpdir(), 'ws-link-'));
    mkdirSync(workspace, { recursive: true });
    symlinkSync(outside, path.join(workspace, 'notes'));
    const runner = await startRunner({ workspace });
    try {
      const { end } = await runner.run('write-notes');
      assert.equal(end.status, 'failed');
      assert.match(end.message ?? '', /symlink to .*outside the workspace/);
    } finally {
      await runner.stop();
    }
  });
});

describe('refusing paths that leave the workspace', () => {
  it('refuses to write through a dangling symlink, naming the step and its source line', async () => {
    const runner = await startRunner();
    try {
      assert.equal((await runner.run('make-dangling-link')).end.status, 'ok');
      const { end } = await runner.run('write-through-link');
      assert.equal(end.status, 'failed');
      assert.match(end.message ?? '', /symlink that points nowhere.*\[step write-through-link \(basics\.mdx:\d+\)\]/);
      assert.equal(existsSync('/tmp/runner-test-outside-target.txt'), false);
    } finally {
      await runner.stop();
    }
  });
});

describe('python steps', () => {
  it('run a script with the session python in its cwd, and check exact output', async () => {
    const runner = await startRunner();
    try {
      const { end } = await runner.run('py-script');
      assert.equal(end.status, 'ok');
    } finally {
      await runner.stop();
    }
  });

  it('give a REPL transcript with prompts, echoed input and results from a real Python', async () => {
    const runner = await startRunner();
    try {
      const { end, events } = await runner.run('py-session');
      assert.equal(end.status, 'ok');
      const out = events.flatMap((e) => (e.type === 'output' ? [e.text] : [])).join('');
      const [banner, ...rest] = out.split('\n');
      assert.match(banner!, /^Python 3\.\d+\.\d+/);
      assert.equal(
        rest.join('\n'),
        [
          '>>> x = [1, 2, 3]',
          '>>> sum(x)',
          '6',
          '>>> for i in x:',
          '...     print(i * 10)',
          '... ',
          '10',
          '20',
          '30',
          '>>> "done"',
          "'done'",
          '>>> ',
          '',
        ].join('\n'),
      );
    } finally {
      await runner.stop();
    }
  });
});
