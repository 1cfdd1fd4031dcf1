import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunnerEvent } from '../../contract/protocol.ts';
import { initialModel, reduce, type StepInfo } from './step-model.ts';
import { toolbarDisplay } from './toolbar-display.ts';

const info: Record<string, StepInfo> = {
  serve: { id: 'serve', name: 'Run the development server', hash: 'a', background: true, port: 8000 },
  pull: { id: 'pull', name: 'Fetch the base image', hash: 'b', background: false },
};
const batch = (event: Partial<Extract<RunnerEvent, { type: 'batch' }>>) =>
  reduce(
    reduce(initialModel(), { type: 'connection', connection: 'connected' }, info),
    { type: 'event', event: { type: 'batch', batchId: 'b1', chapter: 'django', state: 'running', ...event } },
    info,
  );

describe('runner panel', () => {
  it('says where Run all waits and what to look at', () => {
    const shown = toolbarDisplay(
      batch({ state: 'paused', current: 'serve', message: 'Open http://127.0.0.1:8000/.' }),
      info,
      'django',
      false,
    );
    assert.equal(shown.paused, true);
    assert.match(shown.batchLine, /Paused after “Run the development server”\. Open http:\/\/127\.0\.0\.1:8000\/\./);
  });

  it('a Run all that ended with skips says so, by name', () => {
    const shown = toolbarDisplay(batch({ state: 'done', skipped: ['pull'] }), info, 'django', false);
    assert.match(shown.batchLine, /1 step was skipped: “Fetch the base image”/);
  });

  it('a stopped Run all names the step by its heading, not its id', () => {
    const shown = toolbarDisplay(
      batch({ state: 'stopped', current: 'pull', message: 'stopped at pull: exit code 1' }),
      info,
      'django',
      false,
    );
    assert.equal(shown.batchLine, 'Stopped at “Fetch the base image”: exit code 1');
  });

  it('while it sets the stage after a reset, it says so, with how far it is and which step runs', () => {
    const shown = toolbarDisplay(
      batch({ current: 'django-migrate', stage: { done: 3, total: 12 } }),
      info,
      'django',
      false,
    );
    assert.equal(shown.mine, true, 'Cancel shows');
    assert.match(shown.batchLine, /^Setting the stage: .* step 4 of 12 \(`django-migrate`\)\.$/);
  });

  it('a stage that failed names the earlier chapters’ step and why; one that passed says the chapter can start', () => {
    const stopped = toolbarDisplay(
      batch({
        state: 'stopped',
        current: 'django-build-weweb01',
        message: 'stopped at django-build-weweb01: exit code 1',
        stage: { done: 9, total: 12 },
      }),
      info,
      'django',
      false,
    );
    assert.match(stopped.batchLine, /^Setting the stage stopped at .*`django-build-weweb01`: exit code 1\. /);
    const done = toolbarDisplay(batch({ state: 'done', stage: { done: 12, total: 12 } }), info, 'django', false);
    assert.match(done.batchLine, /^The stage is set: 12 steps .* This chapter can start\.$/);
  });

  it('a finished task line carries no bar, and an unfinished one does', () => {
    const model = reduce(
      initialModel(),
      { type: 'event', event: { type: 'progress', task: 'provision', message: 'building', done: 3, total: 10 } },
      info,
    );
    assert.deepEqual(toolbarDisplay(model, info, 'django', false).taskBar, { done: 3, total: 10 });
    const expired = reduce(
      reduce(model, { type: 'event', event: { type: 'progress', task: 'reset', message: 'done', final: true } }, info),
      { type: 'task-expired' },
      info,
    );
    assert.equal(toolbarDisplay(expired, info, 'django', false).taskLine, undefined);
  });
});
