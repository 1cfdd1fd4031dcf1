import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBytes, formatClock, formatDuration } from './format.ts';

describe('formatting durations and sizes', () => {
  it('reads durations at the precision a reader needs', () => {
    assert.equal(formatDuration(45), '45 ms');
    assert.equal(formatDuration(4_200), '4.2 s');
    assert.equal(formatDuration(12_300), '12 s');
    assert.equal(formatDuration(125_000), '2 min 5 s');
  });

  it('shows elapsed time as a clock', () => {
    assert.equal(formatClock(7_000), '0:07');
    assert.equal(formatClock(135_000), '2:15');
    assert.equal(formatClock(3_723_000), '1:02:03');
  });

  it('uses binary units for sizes', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(1024 * 1024), '1.0 MiB');
  });
});
