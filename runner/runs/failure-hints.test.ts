import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureHint } from './failure-hints.ts';

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
    it(`explains ${JSON.stringify(output.slice(0, 50))}`, () => assert.match(failureHint(output) ?? '', hint));
  }

  it('says nothing when it does not recognise the failure', () => {
    assert.equal(failureHint('Traceback: something unusual'), undefined);
  });
});
