import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeCleanup } from './cleanup.ts';

describe('cleanup report for the learner', () => {
  it('lists what went, by kind', () => {
    const text = describeCleanup({
      containers: ['a', 'b'],
      networks: [],
      volumes: [],
      images: ['weweb01:latest'],
      kept: [],
    });
    assert.equal(text, 'Removed 2 containers (a, b), 1 image (weweb01:latest).');
  });

  it('says when there was nothing, and what had to stay', () => {
    const text = describeCleanup({
      containers: [],
      networks: [],
      volumes: [],
      images: [],
      kept: [{ object: 'image weweb01:latest', reason: 'image is being used by running container 1234' }],
    });
    assert.equal(
      text,
      'No Docker objects of the tutorial to remove. Kept, because they are in use:\n  image weweb01:latest: image is being used by running container 1234',
    );
  });
});
