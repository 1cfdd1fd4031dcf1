import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TIMEOUT_MS, type Step } from '../../contract/step-schema.ts';
import { outcomeOf } from './outcomes.ts';

const migrate: Step = {
  id: 'django-migrate',
  chapter: 'django',
  order: 2,
  kind: 'shell',
  lang: 'sh',
  code: 'python manage.py migrate',
  hash: 'h',
  source: { file: 'content/django.mdx', line: 1 },
  append: false,
  background: false,
  requires: [],
  stops: [],
  timeoutMs: DEFAULT_TIMEOUT_MS,
  expect: { match: 'contains', text: 'Applying contenttypes.0001_initial... OK', line: 2 },
  expectAgain: { match: 'contains', text: 'No migrations to apply.', line: 6 },
};

describe('outcomes', () => {
  it('a cancelled run has no exit code, whatever the killed process returned', () => {
    const outcome = outcomeOf(migrate, { exitCode: 0 }, '', { endReason: 'cancelled', elapsedMs: 5 });
    assert.equal(outcome.status, 'cancelled');
    assert.equal(outcome.exitCode, null);
  });

  it('a re-run that prints what the chapter says a re-run prints passes, and says which it matched', () => {
    const outcome = outcomeOf(migrate, { exitCode: 0 }, 'Operations to perform:\n  No migrations to apply.\n', {
      elapsedMs: 5,
    });
    assert.equal(outcome.status, 'ok');
    assert.deepEqual(outcome.expect, { match: 'contains', ok: true, again: true });
  });

  it('output matching neither block fails with the diff against the first', () => {
    const outcome = outcomeOf(migrate, { exitCode: 0 }, 'something else\n', { elapsedMs: 5 });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.expect?.diff ?? '', /Applying contenttypes/);
  });

  it('a timeout is a failure that says how long it ran', () => {
    const outcome = outcomeOf(migrate, { exitCode: null }, '', { endReason: 'timeout', elapsedMs: 120_500 });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.message ?? '', /timed out after 2 min 0 s/);
  });

  it("an edited step's mismatch says that the step was edited, and still compares with the original's expected output", () => {
    const edited = { ...migrate, code: 'echo hello', edited: true as const };
    const outcome = outcomeOf(edited, { exitCode: 0 }, 'hello\n', { elapsedMs: 5 });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.message ?? '', /this step was edited/);
    assert.match(outcome.expect?.diff ?? '', /Applying contenttypes/);
    const shipped = outcomeOf(migrate, { exitCode: 0 }, 'hello\n', { elapsedMs: 5 });
    assert.doesNotMatch(shipped.message ?? '', /edited/);
  });
});
