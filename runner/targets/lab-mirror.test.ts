import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mirroredImages, mirrorPath } from './lab-mirror.ts';

describe('mirrorPath', () => {
  it("names an image the way Docker Hub's API does, official images under library/", () => {
    assert.equal(mirrorPath('python:3.13'), 'library/python:3.13');
    assert.equal(mirrorPath('nginx'), 'library/nginx:latest');
    assert.equal(mirrorPath('someone/tool:1'), 'someone/tool:1');
  });

  it('mirrors the stand-ins, never a lab image', () => {
    assert.ok(mirroredImages().includes('python:3.13'));
    assert.ok(!mirroredImages().some((image) => image.startsWith('runnable-tutorial/')));
  });
});
