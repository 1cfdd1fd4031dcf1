/**
 * The shim's argument rewriting, with a fake "real docker" further down PATH that prints the
 * arguments it got, one per line, and exits with a code taken from FAKE_DOCKER_EXIT.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { installDockerShim } from './docker-shim.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'docker-shim-'));
const shimDir = path.join(root, 'shim');
const realDir = path.join(root, 'real');
installDockerShim(shimDir);
mkdirSync(realDir);
writeFileSync(
  path.join(realDir, 'docker'),
  '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\nexit "${FAKE_DOCKER_EXIT:-0}"\n',
  { mode: 0o755 },
);

function shim(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(path.join(shimDir, 'docker'), args, {
    encoding: 'utf8',
    input: '',
    env: { PATH: `${shimDir}:${realDir}:/usr/bin:/bin`, ...env },
  });
  return { args: result.stdout.split('\n').slice(0, -1), status: result.status, stderr: result.stderr };
}

const LABEL = ['--label', 'runnable-tutorial=true'];

describe('docker label shim', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const command of [
    ['run'],
    ['create'],
    ['build'],
    ['container', 'run'],
    ['container', 'create'],
    ['image', 'build'],
    ['buildx', 'build'],
    ['builder', 'build'],
    ['network', 'create'],
    ['volume', 'create'],
  ]) {
    it(`labels \`docker ${command.join(' ')}\` right after the command words`, () => {
      assert.deepEqual(shim([...command, '-x', 'arg']).args, [...command, ...LABEL, '-x', 'arg']);
    });
  }

  it('skips global options, with their values, to find the command', () => {
    assert.deepEqual(shim(['--context', 'ctx', '-H', 'unix:///s', '--debug', '--log-level=warn', 'run', 'img']).args, [
      '--context',
      'ctx',
      '-H',
      'unix:///s',
      '--debug',
      '--log-level=warn',
      'run',
      ...LABEL,
      'img',
    ]);
  });

  it('leaves other commands untouched, arguments with spaces included', () => {
    for (const args of [
      ['ps', '-a'],
      ['container', 'ls'],
      ['network', 'ls'],
      ['image', 'ls'],
      ['compose', 'up'],
      ['exec', 'c', 'sh', '-c', 'echo "a b"'],
      ['--version'],
      [],
    ]) {
      assert.deepEqual(shim(args).args, args);
    }
  });

  it('labels only the command, not a `run` among the arguments of another', () => {
    assert.deepEqual(shim(['exec', 'c', 'run']).args, ['exec', 'c', 'run']);
    assert.deepEqual(shim(['run', 'img', 'build']).args, ['run', ...LABEL, 'img', 'build']);
  });

  it('never takes another copy of itself for the real docker', () => {
    const copyDir = path.join(root, 'copy');
    installDockerShim(copyDir);
    const result = spawnSync(path.join(shimDir, 'docker'), ['ps'], {
      encoding: 'utf8',
      env: { PATH: `${shimDir}:${copyDir}:${realDir}` },
    });
    assert.deepEqual(result.stdout.split('\n').slice(0, -1), ['ps']);
  });

  it('passes on the real exit code', () => {
    assert.equal(shim(['ps'], { FAKE_DOCKER_EXIT: '3' }).status, 3);
  });

  it(
    'says what is wrong when there is no real docker',
    { skip: existsSync('/usr/bin/docker') && '/usr/bin/docker is the fallback here' },
    () => {
      const result = spawnSync(path.join(shimDir, 'docker'), ['ps'], { encoding: 'utf8', env: { PATH: shimDir } });
      assert.equal(result.status, 127);
      assert.match(result.stderr, /no real docker CLI found/);
    },
  );
});
