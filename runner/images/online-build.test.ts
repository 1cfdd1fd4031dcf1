import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildProgress, pullProgress } from './online-build.ts';

describe('progress of online pulls and builds', () => {
  it('counts pulled layers out of those announced', () => {
    const track = pullProgress();
    const lines = [
      '3.13: Pulling from library/python',
      '0a1b2c3d4e5f: Pulling fs layer',
      '1a1b2c3d4e5f: Already exists',
      '0a1b2c3d4e5f: Downloading  10MB/48MB',
      '0a1b2c3d4e5f: Pull complete',
      'Digest: sha256:abc',
    ];
    const seen = lines.map(track).filter((p) => p !== undefined);
    assert.deepEqual(seen.at(-1), { done: 2, total: 3, message: 'pull complete 0a1b2c3d4e5f' });
    assert.equal(track('Status: Downloaded newer image for python:3.13'), undefined);
  });

  it('reads the classic builder and BuildKit step lines', () => {
    const track = buildProgress();
    assert.deepEqual(track('Step 3/9 : COPY files/ /'), { done: 2, total: 9, message: 'COPY files/ /' });
    assert.deepEqual(track('#7 [2/5] RUN apt-get update'), { done: 1, total: 5, message: 'RUN apt-get update' });
    assert.equal(track(' ---> Running in 1234'), undefined);
  });
});
