import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeDiff, isChanged } from './code-diff.ts';

describe('the diff of an edited step', () => {
  it('shows a changed line as removed and added, with a line of context, and folds the rest', () => {
    const original = ['a', 'b', 'c', 'd', 'e', 'f'].join('\n') + '\n';
    const edited = ['a', 'b', 'c', 'D', 'e', 'f'].join('\n') + '\n';
    assert.deepEqual(codeDiff(original, edited), [
      { kind: 'fold', count: 2 },
      { kind: 'same', text: 'c' },
      { kind: 'del', text: 'd' },
      { kind: 'add', text: 'D' },
      { kind: 'same', text: 'e' },
      { kind: 'fold', count: 1 },
    ]);
  });

  it('shows a line added at the end as an addition, never as a removal', () => {
    assert.deepEqual(codeDiff('echo one\n', 'echo one\necho two'), [
      { kind: 'same', text: 'echo one' },
      { kind: 'add', text: 'echo two' },
    ]);
    // Also when the original's last line has no newline of its own (a fence's code has none).
    assert.deepEqual(codeDiff('echo one', 'echo one\necho two\n'), [
      { kind: 'same', text: 'echo one' },
      { kind: 'add', text: 'echo two' },
    ]);
  });

  it('counts only real changes as an edit', () => {
    assert.equal(isChanged('ls\n', 'ls'), false);
    assert.equal(isChanged('ls\n', 'ls -l\n'), true);
  });
});
