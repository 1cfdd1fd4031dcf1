import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Transcript } from '../contract/protocol.ts';
import { recordedText } from './verified-record.ts';

const transcript = (output: Transcript['output']): Transcript => ({
  stepId: 'a-step',
  runId: 'run-1',
  state: { status: 'ok', runId: 'run-1', exitCode: 0, durationMs: 5, at: '2026-01-01T00:00:00.000Z', hash: 'h' },
  output,
});

describe('recorded output', () => {
  it("keeps what a process step printed, without the runner's own lines", () => {
    const run = transcript([
      { stream: 'system', text: 'python:3.13: checking the local image (0%)\n' },
      { stream: 'stdout', text: 'Successfully tagged weweb01:latest\n' },
      { stream: 'stderr', text: 'a warning\n' },
      { stream: 'system', text: 'waiting for port 8000 to answer...\n' },
    ]);
    assert.equal(recordedText(run, 'shell'), 'Successfully tagged weweb01:latest\na warning\n');
  });

  it("keeps a file or edit step's result line, which is the runner's", () => {
    const run = transcript([{ stream: 'system', text: 'settings.py:28: replaced "ALLOWED_HOSTS = []"\n' }]);
    assert.equal(recordedText(run, 'edit'), 'settings.py:28: replaced "ALLOWED_HOSTS = []"\n');
    assert.equal(recordedText(run, 'file'), 'settings.py:28: replaced "ALLOWED_HOSTS = []"\n');
  });
});
