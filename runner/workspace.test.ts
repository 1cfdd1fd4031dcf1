import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { privateStateDir, Workspace } from './workspace.ts';

describe('workspace state folders', () => {
  before(() => {
    process.env.XDG_STATE_HOME = mkdtempSync(path.join(tmpdir(), 'state-home-'));
  });

  it("keeps the runner's records in a private folder outside the workspace", () => {
    const workspace = new Workspace(mkdtempSync(path.join(tmpdir(), 'ws-')));
    assert.equal(workspace.privateDir, privateStateDir(workspace.root));
    assert.ok(workspace.privateDir.startsWith(process.env.XDG_STATE_HOME!));
    assert.equal(statSync(workspace.privateDir).mode & 0o777, 0o700);
    assert.equal(statSync(workspace.stateDir).mode & 0o777, 0o700);
  });

  it('adopts the records an older runner kept in .runner/, once', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ws-'));
    mkdirSync(path.join(root, '.runner/transcripts'), { recursive: true });
    writeFileSync(path.join(root, '.runner/status.json'), '{"a":{"status":"ok"}}');
    writeFileSync(path.join(root, '.runner/transcripts/a.json'), '{"stepId":"a"}');
    const workspace = new Workspace(root);
    assert.equal(readFileSync(workspace.privatePath('status.json'), 'utf8'), '{"a":{"status":"ok"}}');
    assert.equal(readFileSync(workspace.privatePath('transcripts/a.json'), 'utf8'), '{"stepId":"a"}');
    assert.equal(statSync(workspace.privatePath('status.json')).mode & 0o777, 0o600);
    assert.equal(existsSync(path.join(root, '.runner/status.json')), false);
    assert.equal(existsSync(path.join(root, '.runner/transcripts')), false);
  });

  it('does not adopt a planted symlink, and removes only the link', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ws-'));
    const outside = path.join(mkdtempSync(path.join(tmpdir(), 'outside-')), 'secret.json');
    writeFileSync(outside, '{"secret":true}');
    mkdirSync(path.join(root, '.runner'));
    symlinkSync(outside, path.join(root, '.runner/status.json'));
    const workspace = new Workspace(root);
    assert.equal(existsSync(workspace.privatePath('status.json')), false);
    assert.equal(readFileSync(outside, 'utf8'), '{"secret":true}');
  });

  it('replaces a .runner that is a symlink instead of using it', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ws-'));
    const outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
    chmodSync(outside, 0o755);
    symlinkSync(outside, path.join(root, '.runner'));
    const workspace = new Workspace(root);
    assert.ok(lstatSync(workspace.stateDir).isDirectory(), '.runner is a real folder now');
    assert.equal(statSync(outside).mode & 0o777, 0o755, 'the link target was chmodded');
  });
});
