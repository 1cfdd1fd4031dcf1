/**
 * Small files: a source file over 300 lines must say why in its first comment, with "Kept whole:"
 * and the reason (one mechanism that reads best in one piece, say); otherwise split it where a
 * real seam is. Source means the product's code: contract/, src/, runner/, scripts/, bench/ and
 * the top-level config, in TypeScript, JavaScript, Astro, CSS, shell and Python. Tests (test/,
 * e2e/, *.test.ts) are left out: a test file's length is the number of its cases.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAX_LINES = 300;
const SOURCE = /\.(ts|mts|mjs|js|astro|css|sh|py)$/;
const PRODUCT = /^(contract|src|runner|scripts|bench)\/|^[^/]+$/;
const TEST = /\.(test|spec)\.[a-z]+$/;
const REASON = /Kept whole: \S.{20,}/s;

/**
 * Files whose first comment cannot change yet, with why. Each entry must still be over the limit
 * and still lack the comment: the test fails on a stale entry, so it is removed once fixed.
 */
const PENDING: Record<string, string> = {};

/** The files git tracks, and new ones not ignored: what a commit would hold. */
function sourceFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return listed
    .split('\0')
    .filter((f) => f && SOURCE.test(f) && PRODUCT.test(f) && !TEST.test(f))
    .filter((f) => {
      try {
        readFileSync(path.join(ROOT, f));
        return true;
      } catch {
        return false; // deleted in the work tree, not yet in the index
      }
    });
}

/** The file's first comment: a block comment, a run of line comments, or an HTML comment. */
function firstComment(file: string, text: string): string {
  const body = text.replace(/^#!.*\n/, '');
  const pattern = /\.(sh|py)$/.test(file)
    ? /(?:^[ \t]*#.*(?:\n|$))+/m
    : /\/\*[\s\S]*?\*\/|(?:^[ \t]*\/\/.*(?:\n|$))+|<!--[\s\S]*?-->/m;
  return pattern.exec(body)?.[0] ?? '';
}

describe('file length', () => {
  it('finds the first comment in each kind of file', () => {
    assert.match(firstComment('a.ts', '/**\n * Kept whole: x\n */\nconst a = 1; // b\n'), /Kept whole/);
    assert.match(firstComment('a.sh', '#!/usr/bin/env bash\n# one\n# two\nx=1 # three\n'), /^# one\n# two\n$/);
    assert.equal(firstComment('a.css', 'a {}\n/* late */\n'), '/* late */');
    assert.equal(firstComment('a.py', 'print(1)\n'), '');
  });

  it(`every source file over ${MAX_LINES} lines says in its first comment why it is kept whole`, () => {
    const files = sourceFiles();
    assert.ok(files.length > 50, `found only ${files.length} source files: is git there?`);
    const long = files.flatMap((file) => {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      if (lines <= MAX_LINES || REASON.test(firstComment(file, text))) return [];
      return [
        file in PENDING
          ? `pending: ${file}`
          : `${file}: ${lines} lines; split it, or say why in its first comment ("Kept whole: ...")`,
      ];
    });
    assert.deepEqual(
      long,
      Object.keys(PENDING).map((file) => `pending: ${file}`),
    );
  });
});
