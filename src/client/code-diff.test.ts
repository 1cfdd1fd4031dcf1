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
    const rows = codeDiff('echo one\n', 'echo one\necho two');
    assert.ok(rows.some((r) => r.kind === 'add' && r.text === 'echo two'));
    assert.ok(!rows.some((r) => r.kind === 'del' && r.text === 'echo two'));
  });

  it('counts only real changes as an edit', () => {
    assert.equal(isChanged('ls\n', 'ls'), false);
    assert.equal(isChanged('ls\n', 'ls -l\n'), true);
  });
});
