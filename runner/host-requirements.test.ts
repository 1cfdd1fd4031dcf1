import { english } from '../contract/messages.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Step } from '../contract/step-schema.ts';
import { describeMissing, missingCommandHint, missingOnHost, requirementsOf } from './host-requirements.ts';

function step(id: string, code: string, over: Partial<Step> = {}): Step {
  return {
    id,
    chapter: 'c',
    order: 0,
    kind: 'shell',
    lang: 'sh',
    code,
    hash: id,
    source: { file: 'content/c.mdx', line: 7 },
    append: false,
    background: false,
    requires: [],
    stops: [],
    timeoutMs: 1000,
    ...over,
  };
}

const steps = [
  step('env-install-tree', 'apt-get install -y tree', { requires: ['root', 'internet'] }),
  step('demo', 'mkdir -p a/b\ntree'),
  step('project', 'django-admin startproject myapp'),
  step('repl', '>>> import yaml\n', { kind: 'repl' }),
  step('driver', 'import django\nimport psycopg2\n', { kind: 'repl' }),
  step('pip', 'pip install pyyaml'),
  step('build', 'docker image build . -t x', { requires: ['docker'] }),
  step('prose', 'run tree here', { kind: 'manual' }),
];

describe('requirementsOf', () => {
  it('reads what each step uses from its code and requires, naming the first step that uses it', () => {
    const found = requirementsOf(steps).map(({ requirement, firstStep }) => [requirement.id, firstStep.id]);
    // The step that installs tree names it too, but is not a user of it.
    assert.deepEqual(found, [
      ['tree', 'demo'],
      ['django', 'project'],
      ['psycopg2', 'driver'],
      ['pyyaml', 'repl'],
      ['pip-may-install', 'pip'],
      ['docker', 'build'],
    ]);
  });

  it('does not mistake a word inside another for a command', () => {
    assert.deepEqual(requirementsOf([step('x', 'echo streetree; cat subtree.txt')]), []);
  });
});

describe('missingOnHost', () => {
  it('runs the checks with the given PATH: an empty one lacks everything', async () => {
    const missing = await missingOnHost(steps.slice(1), { PATH: '/nonexistent' });
    assert.deepEqual(
      missing.map((m) => m.requirement.id),
      ['tree', 'django', 'psycopg2', 'pyyaml', 'pip-may-install', 'docker'],
    );
    const text = describeMissing(missing, 'linux');
    assert.match(
      text,
      /tree \(prints a folder as a tree\), first used by demo \(content\/c\.mdx:7\)\n {6}install: sudo apt-get install -y tree/,
    );
  });
});

describe('missingCommandHint', () => {
  it('names the missing command and the earlier step that installs it', () => {
    const hint = missingCommandHint('bash: line 2: tree: command not found\n', steps);
    assert.match(
      hint ? english(hint) : '',
      /the command tree is not installed on this target .*step env-install-tree \(content\/c\.mdx:7\) installs it, or sudo apt-get install -y tree/,
    );
  });

  it('names an unknown command plainly, and says nothing without one', () => {
    const unknown = missingCommandHint('sh: 1: frobnicate: not found', steps);
    assert.equal(unknown && english(unknown), 'the command frobnicate is not installed on this target');
    assert.equal(missingCommandHint('Segmentation fault', steps), undefined);
  });
});
