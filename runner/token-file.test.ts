import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { loadToken, stateDir, writeOpenPage } from './token-file.ts';

describe('token file', () => {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'token-test-')), 'state');

  it('is made once, readable by the user only, and the same on the next start', () => {
    const first = loadToken(dir, false);
    assert.match(first, /^[0-9a-f]{48}$/);
    assert.equal(statSync(path.join(dir, 'token')).mode & 0o777, 0o600);
    assert.equal(loadToken(dir, false), first);
  });

  it('is replaced when rotated', () => {
    const before = loadToken(dir, false);
    const after = loadToken(dir, true);
    assert.notEqual(after, before);
    assert.equal(loadToken(dir, false), after);
  });

  it('the printed link is a 0600 page that forwards with the token, and names no token itself', () => {
    const token = loadToken(dir, false);
    const link = writeOpenPage(dir, 'http://127.0.0.1:4321/', token);
    assert.doesNotMatch(link, new RegExp(token));
    const file = fileURLToPath(link);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, 'utf8'), new RegExp(`url=http://127\\.0\\.0\\.1:4321/\\?token=${token}"`));
  });

  it('lives in the XDG state folder unless RUNNER_STATE_DIR says', () => {
    assert.equal(stateDir({ XDG_STATE_HOME: '/x/state' }), '/x/state/runnable-tutorial');
    assert.equal(stateDir({ RUNNER_STATE_DIR: '/y' }), '/y');
  });
});
