import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinWorkspacePath, normalizeWorkspacePath } from './workspace-path.ts';

describe('workspace paths', () => {
  it('normalizes a relative path', () => {
    assert.deepEqual(normalizeWorkspacePath('ch05/./ex03/'), { path: 'ch05/ex03' });
    assert.deepEqual(normalizeWorkspacePath('.'), { path: '.' });
  });

  it('maps ~ to the workspace home', () => {
    assert.deepEqual(normalizeWorkspacePath('~/.bashrc'), { path: 'home/.bashrc' });
    assert.deepEqual(normalizeWorkspacePath('~'), { path: 'home' });
  });

  for (const bad of ['/etc/passwd', '../x', 'a/../../x', 'C:\\x', 'a\\b', '~root/x', '', 'a\0b']) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      assert.ok('error' in normalizeWorkspacePath(bad));
    });
  }

  it('joins onto a base and refuses a join that climbs out', () => {
    assert.deepEqual(joinWorkspacePath('ch05/ex03', 'myapp/settings.py'), { path: 'ch05/ex03/myapp/settings.py' });
    assert.deepEqual(joinWorkspacePath('ch05', '../top.txt'), { path: 'top.txt' });
    assert.ok('error' in joinWorkspacePath('ch05', '../../out.txt'));
    assert.deepEqual(joinWorkspacePath('ch05', '~/.bashrc'), { path: 'home/.bashrc' });
  });
});
