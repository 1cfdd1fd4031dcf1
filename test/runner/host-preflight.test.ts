/**
 * `npm run verify -- --target host` on a machine without `tree`: it says so before running any step,
 * with the command that installs it, instead of failing at the first `tree` with exit code 127
 * and every chapter after it. A PATH of its own plays the machine: the tools there, tree not.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');
const bin = mkdtempSync(path.join(os.tmpdir(), 'host-without-tree-'));

function which(command: string): Promise<string> {
  return new Promise((resolve) =>
    execFile('/bin/sh', ['-c', `command -v ${command}`], { env: { PATH: '/usr/bin:/bin' } }, (_e, out) =>
      resolve(out.trim()),
    ),
  );
}

describe('verify --target host', { timeout: 120_000 }, () => {
  after(() => rmSync(bin, { recursive: true, force: true }));

  it('lists what the host lacks, with the command that installs it, and runs nothing', async () => {
    for (const tool of ['python3', 'python', 'django-admin', 'pip', 'docker', 'curl', 'sh', 'cat']) {
      const found = await which(tool);
      if (found) symlinkSync(found, path.join(bin, tool));
    }
    const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
      execFile(
        process.execPath,
        ['runner/verify.ts', '--target', 'host', '--no-record', 'django-in-docker'],
        { cwd: ROOT, env: { ...process.env, PATH: bin } },
        (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, out: stdout + stderr }),
      );
    });
    assert.equal(result.code, 2, result.out);
    assert.match(result.out, /lacks what these steps use on the host target/);
    assert.match(
      result.out,
      /tree \(prints a folder as a tree\), first used by env-tree-demo \(content\/environment\.mdx:\d+\)\n\s+install: sudo apt-get install -y tree/,
    );
    assert.doesNotMatch(result.out, /✔|✖/, 'no step ran');
  });
});
