/** fs/safe-write.ts on real files: what a hostile step can plant, and what the module does with it. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { installInside, mkdirInside, readInside, UnsafePath, writeInside } from './safe-write.ts';

let root: string;
let outside: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'safe-write-'));
  outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
  writeFileSync(path.join(outside, 'victim'), 'original\n');
});
const victim = () => readFileSync(path.join(outside, 'victim'), 'utf8');

describe('writeInside', () => {
  it('writes a file, making the folders on the way', () => {
    writeInside(root, 'a/b/c.txt', 'hello\n');
    assert.equal(readFileSync(path.join(root, 'a/b/c.txt'), 'utf8'), 'hello\n');
    assert.deepEqual(readdirSync(path.join(root, 'a/b')), ['c.txt'], 'no temporary file left');
  });

  it('sets an exact mode when asked, whatever the umask', () => {
    writeInside(root, 's/state.json', '{}', { mode: 0o600, dirMode: 0o700 });
    assert.equal(statSync(path.join(root, 's/state.json')).mode & 0o777, 0o600);
    assert.equal(statSync(path.join(root, 's')).mode & 0o777, 0o700);
  });

  it('refuses a folder on the way that is a symlink, even one pointing inside', () => {
    symlinkSync(outside, path.join(root, 'out'));
    mkdirSync(path.join(root, 'real'));
    symlinkSync(path.join(root, 'real'), path.join(root, 'in'));
    assert.throws(
      () => writeInside(root, 'out/victim', 'x'),
      (e) => e instanceof UnsafePath && /out is a symlink/.test(e.message),
    );
    assert.throws(() => writeInside(root, 'in/file', 'x'), UnsafePath);
    assert.equal(victim(), 'original\n');
  });

  it('refuses a symlink, a FIFO and a hard-linked file as the target, opening none of them', () => {
    symlinkSync(path.join(outside, 'victim'), path.join(root, 'link'));
    execFileSync('mkfifo', [path.join(root, 'fifo')]);
    linkSync(path.join(outside, 'victim'), path.join(root, 'hard'));
    assert.throws(() => writeInside(root, 'link', 'x'), /link is a symlink/);
    assert.throws(() => writeInside(root, 'fifo', 'x'), /fifo is not a regular file \(a FIFO\)/); // would block if opened
    assert.throws(() => writeInside(root, 'hard', 'x'), /hard has 2 hard links/);
    assert.equal(victim(), 'original\n');
  });

  it("replaces, never writes through, planted entries among the runner's own files", () => {
    symlinkSync(path.join(outside, 'victim'), path.join(root, 'link'));
    linkSync(path.join(outside, 'victim'), path.join(root, 'hard'));
    execFileSync('mkfifo', [path.join(root, 'fifo')]);
    for (const name of ['link', 'hard', 'fifo']) {
      writeInside(root, name, 'mine\n', { existing: 'replace', mode: 0o600 });
      assert.equal(readFileSync(path.join(root, name), 'utf8'), 'mine\n');
      assert.equal(lstatSync(path.join(root, name)).nlink, 1);
    }
    assert.equal(victim(), 'original\n');
  });

  it('refuses a FIFO where a folder should be, without blocking on it', () => {
    execFileSync('mkfifo', [path.join(root, 'dir')]);
    assert.throws(() => writeInside(root, 'dir/file', 'x'), /dir is not a folder/);
    assert.throws(() => readInside(root, 'dir/file'), /dir is not a folder/);
  });

  it('refuses `..` and absolute paths', () => {
    assert.throws(() => writeInside(root, '../x', 'x'), UnsafePath);
    assert.throws(() => writeInside(root, '/etc/x', 'x'), UnsafePath);
  });
});

describe('readInside', () => {
  it('reads a plain file with its mode, and says undefined for a missing one', () => {
    writeFileSync(path.join(root, 'f'), 'data', { mode: 0o640 });
    const read = readInside(root, 'f')!;
    assert.equal(read.data.toString(), 'data');
    assert.equal(read.mode & 0o777, statSync(path.join(root, 'f')).mode & 0o777);
    assert.equal(readInside(root, 'missing/f'), undefined);
  });

  it('refuses a symlink, a FIFO (without blocking), a hard link and an oversized file', () => {
    symlinkSync(path.join(outside, 'victim'), path.join(root, 'link'));
    execFileSync('mkfifo', [path.join(root, 'fifo')]);
    linkSync(path.join(outside, 'victim'), path.join(root, 'hard'));
    writeFileSync(path.join(root, 'big'), 'x'.repeat(100));
    assert.throws(() => readInside(root, 'link'), /symlink/);
    assert.throws(() => readInside(root, 'fifo'), /not a regular file \(a FIFO\)/);
    assert.throws(() => readInside(root, 'hard'), /2 hard links/);
    assert.throws(() => readInside(root, 'big', { maxBytes: 10 }), /larger than 10 bytes/);
  });
});

describe('installInside and mkdirInside', () => {
  it('installs a script over a planted symlink, leaving its target as it was (not executable)', () => {
    mkdirSync(path.join(root, 'bin'));
    symlinkSync(path.join(outside, 'victim'), path.join(root, 'bin/docker'));
    const source = path.join(outside, 'script.sh');
    writeFileSync(source, '#!/bin/sh\n');
    installInside(root, 'bin/docker', source, 0o755);
    assert.equal(readFileSync(path.join(root, 'bin/docker'), 'utf8'), '#!/bin/sh\n');
    assert.equal(statSync(path.join(root, 'bin/docker')).mode & 0o777, 0o755);
    assert.equal(victim(), 'original\n');
    assert.equal(statSync(path.join(outside, 'victim')).mode & 0o111, 0);
  });

  it('makes folders with an exact mode, refusing a symlinked one', () => {
    mkdirInside(root, 'state', 0o700, true);
    assert.equal(statSync(path.join(root, 'state')).mode & 0o777, 0o700);
    chmodSync(outside, 0o755);
    symlinkSync(outside, path.join(root, 'linked'));
    assert.throws(() => mkdirInside(root, 'linked', 0o700, true), /symlink/);
    assert.equal(statSync(outside).mode & 0o777, 0o755, 'the outside folder was chmodded');
  });
});
