import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TIMEOUT_MS, type Step } from '../../contract/step-schema.ts';
import { RunRefused } from './active-run.ts';
import { EDITED_CODE_MAX_CHARS, editedStep } from './edited-step.ts';

const step: Step = {
  id: 'settings-file',
  chapter: 'django',
  order: 3,
  kind: 'file',
  lang: 'python',
  code: 'DEBUG = True\n',
  hash: 'h',
  source: { file: 'content/django.mdx', line: 9 },
  file: 'myapp/settings.py',
  append: false,
  background: false,
  requires: [],
  stops: [],
  timeoutMs: DEFAULT_TIMEOUT_MS,
};

describe('edited steps', () => {
  it('keep everything of the shipped step but the code, and are marked edited', () => {
    const edited = editedStep(step, 'DEBUG = False\n');
    assert.deepEqual(edited, { ...step, code: 'DEBUG = False\n', edited: true });
    assert.equal(step.edited, undefined, 'the shipped step is not changed');
  });

  it('refuse kinds that cannot be edited, naming the step', () => {
    assert.throws(
      () => editedStep({ ...step, kind: 'edit' }, 'x'),
      (e: unknown) => e instanceof RunRefused && e.status === 400 && /settings-file.*edit step/.test(e.message),
    );
  });

  it('refuse code over the size cap', () => {
    assert.throws(
      () => editedStep(step, 'x'.repeat(EDITED_CODE_MAX_CHARS + 1)),
      (e: unknown) => e instanceof RunRefused && e.status === 413,
    );
    assert.equal(editedStep(step, 'x'.repeat(EDITED_CODE_MAX_CHARS)).code.length, EDITED_CODE_MAX_CHARS);
  });
});
