import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differences, lineOf } from './yaml-values.ts';

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
