import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { differences, EXPANDED_LIMIT, expansionProblem, formatValue, lineOf } from './yaml-values.ts';

/** `levels` anchors, each a list of `width` aliases of the one before: width^levels "lol"s. */
function laughs(levels: number, width: number): string {
  const lines = ['l0: &l0 "lol"'];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `l${i}: &l${i} [${Array(width)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  return lines.join('\n');
}

describe('YAML alias expansion in the live view', () => {
  it('refuses a "billion laughs" document at once, before anything walks it', () => {
    const value = yaml.load(laughs(9, 9)); // 9^9 = 387 million strings once expanded
    const started = performance.now();
    const problem = expansionProblem(value);
    assert.ok(performance.now() - started < 200, `took ${performance.now() - started} ms`);
    assert.match(problem ?? '', /aliases in this YAML expand to more than 1,000,000 characters/);
  });

  it('measures each shared node once: 2^60 repetitions cost 60 steps', () => {
    let node: unknown = 'x';
    for (let i = 0; i < 60; i++) node = [node, node];
    const started = performance.now();
    assert.notEqual(expansionProblem(node), null);
    assert.ok(performance.now() - started < 50);
  });

  it('refuses a value that contains itself', () => {
    const loop: unknown[] = [];
    loop.push(loop);
    assert.match(expansionProblem(loop) ?? '', /refers to itself/);
  });

  it('accepts ordinary documents, aliases included, right up to the limit', () => {
    const value = yaml.load('base: &b {image: nginx, ports: [80, 443]}\nweb: *b\napi: *b\n');
    assert.equal(expansionProblem(value), null);
    assert.equal(expansionProblem('x'.repeat(EXPANDED_LIMIT - 10)), null);
    assert.notEqual(expansionProblem(['x'.repeat(EXPANDED_LIMIT)]), null);
    assert.match(formatValue(value, 'js'), /image: "nginx"/);
  });
});

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: nginx-pod
  labels:
    app: web
spec:
  containers:
    - name: nginx
      image: nginx:1.25
      ports:
        - containerPort: 80
    - name: sidecar
      image: busybox
`;

describe('YAML differences', () => {
  it('lists every difference, not only the first', () => {
    const found = differences({ a: 'yes', b: [1, 2], c: { d: 'on' } }, { a: true, b: [1, 3], c: { d: true } });
    assert.deepEqual(
      found.map((d) => d.path),
      ['a', 'b[1]', 'c.d'],
    );
  });

  it('finds the line a path is written on', () => {
    assert.equal(lineOf(POD, ['kind']), 2);
    assert.equal(lineOf(POD, ['metadata', 'labels', 'app']), 6);
    assert.equal(lineOf(POD, ['spec', 'containers', 0, 'image']), 10);
    assert.equal(lineOf(POD, ['spec', 'containers', 0, 'ports', 0, 'containerPort']), 12);
    assert.equal(lineOf(POD, ['spec', 'containers', 1, 'name']), 13);
    assert.equal(lineOf(POD, ['spec', 'containers', 1, 'image']), 14);
    assert.equal(lineOf(POD, ['spec', 'volumes']), undefined);
  });
});
