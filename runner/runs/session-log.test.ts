import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { RunnerEvent, StepState, Transcript } from '../../contract/protocol.ts';
import { boundOutput, SessionLogStore } from './session-log.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'session-log-test-'));
const state = (runId: string): StepState => ({
  status: 'ok',
  runId,
  exitCode: 0,
  durationMs: 5,
  at: new Date().toISOString(),
  hash: 'h',
});

describe('session log', () => {
  after(() => rmSync(root, { recursive: true, force: true }));
  const transcripts = new Map<string, Transcript>();
  const end = (stepId: string, runId: string, text: string): RunnerEvent => {
    transcripts.set(stepId, { stepId, runId, state: state(runId), output: [{ stream: 'stdout', text }] });
    return { type: 'run-end', stepId, runId, state: state(runId) };
  };
  const store = () =>
    new SessionLogStore(
      path.join(root, 'state', 'session-log'),
      (id) => transcripts.get(id),
      (id) => ({ chapter: 'django', heading: `Heading of ${id}` }) as never,
    );

  it('lists every run in the order it ended, a step run twice twice, and survives a restart', () => {
    const log = store();
    log.record(end('migrate', 'r1', 'Applying contenttypes.0001_initial... OK\n'));
    log.record({ type: 'output', stepId: 'x', runId: 'r9', stream: 'stdout', text: 'not an end' });
    log.record(end('tree', 'r2', '.\n└── myapp\n'));
    log.record(end('migrate', 'r3', 'No migrations to apply.\n'));
    const read = store().read(); // a new runner reads the same folder
    assert.deepEqual(
      read.entries.map((e) => [e.stepId, e.runId, e.output.map((c) => c.text).join('')]),
      [
        ['migrate', 'r1', 'Applying contenttypes.0001_initial... OK\n'],
        ['tree', 'r2', '.\n└── myapp\n'],
        ['migrate', 'r3', 'No migrations to apply.\n'],
      ],
    );
    assert.equal(read.entries[0]!.heading, 'Heading of migrate');
    assert.equal(read.older, 0);
  });

  it('leaves out a queued run that was cancelled before it ran (its transcript is an older run’s)', () => {
    const log = store();
    const before = log.read().entries.length;
    log.record({ type: 'run-end', stepId: 'tree', runId: 'queued-1', state: state('queued-1') });
    assert.equal(log.read().entries.length, before);
  });

  it('starts over after a full Reset, numbering from one again', () => {
    const log = store();
    log.clear();
    assert.deepEqual(log.read().entries, []);
    log.record(end('tree', 'r4', 'again\n'));
    assert.deepEqual(
      store()
        .read()
        .entries.map((e) => e.runId),
      ['r4'],
    );
  });

  it('keeps the beginning and the end of a long output and says how much it left out', () => {
    const output = [
      { stream: 'stdout' as const, text: 'a'.repeat(1000) },
      { stream: 'stderr' as const, text: 'b'.repeat(1000) },
      { stream: 'stdout' as const, text: 'c'.repeat(1000) },
    ];
    const bounded = boundOutput(output, 400);
    assert.deepEqual(bounded.omitted, { bytes: 2600, at: 1 });
    const text = bounded.output.map((c) => c.text).join('');
    assert.equal(text, `${'a'.repeat(300)}${'c'.repeat(100)}`);
    assert.deepEqual(boundOutput(output.slice(0, 1), 4000), { output: output.slice(0, 1) });
  });
});
