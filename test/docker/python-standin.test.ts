/**
 * The offline python:3.13 stand-in does what the tutorial does with the official image: pip installs
 * a requirements file of version ranges without any index, and a Dockerfile FROM it builds.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { docker } from '../../runner/engine/engine.ts';
import { provision } from '../../runner/images/provision.ts';

const IMAGE = 'python:3.13';
const BUILT = 'runnable-tutorial-test/python-standin:test';

describe('python:3.13 stand-in', { timeout: 600_000 }, () => {
  const context = mkdtempSync(path.join(os.tmpdir(), 'python-standin-'));
  before(async () => {
    await provision({ profile: 'offline', images: [IMAGE] });
  });
  after(async () => {
    rmSync(context, { recursive: true, force: true });
    await docker(['image', 'rm', BUILT]).catch(() => {});
  });

  it('has python and the offline pip (which explains exact pins) on PATH and no EXTERNALLY-MANAGED marker', async () => {
    const out = await docker([
      'run',
      '--rm',
      IMAGE,
      'sh',
      '-c',
      'command -v python; command -v pip; ls /usr/lib/python3*/EXTERNALLY-MANAGED 2>&1 || true',
    ]);
    assert.match(out, /^\/usr\/bin\/python\n\/usr\/local\/bin\/pip\n.*No such file/s);
  });

  it('installs django>=4.2,<5 and gunicorn>=21 with no index', async () => {
    const out = await docker(['run', '--rm', IMAGE, 'pip', 'install', 'django>=4.2,<5', 'gunicorn>=21']);
    assert.match(out, /Requirement already satisfied: django<5,>=4.2/);
    assert.match(out, /Requirement already satisfied: gunicorn>=21/);
  });

  it('runs Django 4.2', async () => {
    const out = await docker(['run', '--rm', IMAGE, 'python', '-c', 'import django; print(django.get_version())']);
    assert.match(out, /^4\.2\.\d+$/);
  });

  it("builds the tutorial's Dockerfile: pip install -r requirements.txt, psycopg2-binary included", async () => {
    writeFileSync(
      path.join(context, 'requirements.txt'),
      'django>=4.2,<5\ngunicorn>=21\npsycopg2-binary>=2.9\nPyYAML\n',
    );
    writeFileSync(
      path.join(context, 'Dockerfile'),
      'FROM python:3.13\nWORKDIR /usr/src/app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["python", "-c", "import django, gunicorn, psycopg2, yaml; print(\'ok\')"]\n',
    );
    await docker(['build', '-t', BUILT, context]);
    assert.equal(await docker(['run', '--rm', BUILT]), 'ok');
  });

  it('fails clearly, without hanging, on a package it does not have', async () => {
    await assert.rejects(
      docker(['run', '--rm', IMAGE, 'pip', 'install', 'no-such-package-here']),
      /No matching distribution found/,
    );
  });
});
