import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MANIFEST_VERSION, type Manifest } from '../contract/manifest.ts';
import type { Step } from '../contract/step-schema.ts';
import { describeChanges, manifestChanges } from './manifest-changes.ts';

function manifest(steps: Record<string, string>): Manifest {
  return {
    version: MANIFEST_VERSION,
    chapters: [],
    steps: Object.entries(steps).map(([id, hash]) => ({ id, hash }) as Step),
  };
}

describe('manifestChanges', () => {
  it('tells new, changed and removed steps apart by id and hash', () => {
    const changes = manifestChanges(manifest({ a: '1', b: '2', c: '3' }), manifest({ a: '1', b: '9', d: '4' }));
    assert.deepEqual(changes, { added: ['d'], changed: ['b'], removed: ['c'] });
    assert.equal(describeChanges(changes), 'new: d · changed: b · removed: c');
  });

  it('says nothing when only prose changed', () => {
    assert.equal(describeChanges(manifestChanges(manifest({ a: '1' }), manifest({ a: '1' }))), '');
  });
});
