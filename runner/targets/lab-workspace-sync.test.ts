import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { snapshot } from './lab-workspace-sync.ts';

describe('snapshot (what each side of a remote lab workspace holds)', () => {
  it('lists folders, files with mode and content, and symlinks without following them', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'snapshot-'));
    try {
      mkdirSync(path.join(root, '.runner/code'), { recursive: true });
      writeFileSync(path.join(root, 'run.sh'), 'echo hi\n');
      chmodSync(path.join(root, 'run.sh'), 0o755);
      writeFileSync(path.join(root, '.runner/code/a.sh'), 'echo hi\n');
      chmodSync(path.join(root, '.runner/code/a.sh'), 0o600);
      symlinkSync('/etc', path.join(root, 'outside'));
      writeFileSync(path.join(root, '.run.sh.0123456789ab.tmp'), 'half written'); // safe-write's temp file
      const tree = snapshot(root);
      assert.deepEqual([...tree.keys()].sort(), ['.runner', '.runner/code', '.runner/code/a.sh', 'outside', 'run.sh']);
      assert.equal(tree.get('outside'), 'l:/etc');
      assert.equal(tree.get('.runner'), 'd');
      // Same content, different mode: different signatures (an executable bit is a change).
      assert.match(tree.get('run.sh')!, /^f:755:[0-9a-f]{40}$/);
      assert.equal(tree.get('.runner/code/a.sh'), tree.get('run.sh')!.replace('f:755:', 'f:600:'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
