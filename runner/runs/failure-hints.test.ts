import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { english } from '../../contract/messages.ts';
import { failureHint } from './failure-hints.ts';

/** The hint's English text, as the terminal shows it ('' when there is none). */
function hintText(output: string): string {
  const hint = failureHint(output);
  return hint ? english(hint) : '';
}

describe('failure hints', () => {
  const cases: [string, RegExp][] = [
    [
      'docker: Error response from daemon: Conflict. The container name "/djangotest" is already in use',
      /docker container rm -f djangotest/,
    ],
    ['Error response from daemon: network with name mynetwork02 already exists', /docker network rm mynetwork02/],
    ["cp: cannot stat 'ch05/ex03': No such file or directory", /ch05\/ex03 does not exist yet: run the steps before/],
    [
      "FileNotFoundError: [Errno 2] No such file or directory: 'yaml_practice.yml'",
      /yaml_practice\.yml does not exist yet/,
    ],
    ["CommandError: '/ws/ch05/ex02/myapp' already exists", /Reset the workspace/],
    ['bash: line 1: tree: command not found', /tree is not installed/],
  ];
  for (const [output, hint] of cases) {
    it(`explains ${JSON.stringify(output.slice(0, 50))}`, () => assert.match(hintText(output), hint));
  }

  it('says nothing when it does not recognise the failure', () => {
    assert.equal(failureHint('Traceback: something unusual'), undefined);
  });
});

describe('failure hints on hostile output', () => {
  // Every pattern must be linear: the output cap is 1 MiB, and one long line (minified JS, a
  // progress bar without newlines) must not block the runner's event loop.
  const lines: [string, string][] = [
    ['letters', 'a'.repeat(1024 * 1024)],
    ['spaces', ' '.repeat(1024 * 1024)],
    ['digits and colons', '1:'.repeat(512 * 1024)],
    ['quotes', "'".repeat(1024 * 1024)],
    ['"address already in use" repeated', 'address already in use '.repeat(45_000)],
    ['"cd: " repeated', 'cd: '.repeat(256 * 1024)],
    ['"line 1: " repeated', 'line 1: '.repeat(128 * 1024)],
  ];
  for (const [name, line] of lines) {
    it(`reads a 1 MiB line of ${name} in under 50 ms`, () => {
      failureHint(line); // warm up the regexp compiler
      const started = performance.now();
      failureHint(line);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 50, `took ${elapsed.toFixed(0)} ms`);
    });
  }

  it('still finds a hint at the end of a long line', () => {
    assert.match(hintText(`${'x'.repeat(500_000)}\nbash: line 3: tree: command not found`), /tree/);
  });
});

describe('failure hints for ports', () => {
  it('names the port of "bind: address already in use"', () => {
    assert.match(
      hintText('Error starting userland proxy: listen tcp4 0.0.0.0:8000: bind: address already in use'),
      /port 8000 is taken/,
    );
    assert.match(hintText('Bind for 0.0.0.0:80 failed: port is already allocated'), /port 80 is taken/);
  });
});
