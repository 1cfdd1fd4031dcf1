import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunnerEvent, RunnerState, StepState } from '../../contract/protocol.ts';
import { stepDisplay } from './step-display.ts';
import { chapterProgress, initialModel, reduce, type Action, type PageModel, type StepInfo } from './step-model.ts';

const info: Record<string, StepInfo> = {
  migrate: { id: 'migrate', name: 'Set up the database', hash: 'h1', background: false },
  serve: { id: 'serve', name: 'Run the development server', hash: 'h2', background: true, port: 8000, ready: '/' },
  publish: { id: 'publish', name: 'Run the container', hash: 'h3', background: false, port: 80 },
  offline: { id: 'offline', name: 'Install', hash: 'h4', background: false },
};
const target = { name: 'lab' as const, description: 'lab' };
const state = (extra: Partial<RunnerState> = {}): RunnerState => ({
  steps: {},
  services: [],
  containers: [],
  target,
  active: [],
  instance: 'first',
  ...extra,
});
const ended = (runId: string, status: StepState['status'], extra: Partial<StepState> = {}): StepState => ({
  status,
  runId,
  exitCode: status === 'ok' ? 0 : 1,
  durationMs: 1200,
  at: '2026-01-01T00:00:00Z',
  hash: 'h1',
  ...extra,
});
const run = (actions: Action[], from: PageModel = initialModel()) =>
  actions.reduce(
    (model, action) => reduce(model, action, info),
    reduce(from, { type: 'connection', connection: 'connected' }, info),
  );
const ev = (event: RunnerEvent): Action => ({ type: 'event', event });

describe('page model', () => {
  it('a reload during a run that ended before the stream opened shows the runner’s result, not "running"', () => {
    const model = run([
      {
        type: 'state',
        state: state({
          active: [{ runId: 'r1', stepId: 'migrate' }],
          steps: { migrate: { ...ended('r1', 'running'), durationMs: null } },
        }),
      },
      // the stream opens after the run ended: nothing is replayed; the catch-up state says ok
      { type: 'state', state: state({ steps: { migrate: ended('r1', 'ok') } }) },
    ]);
    assert.equal(model.steps.migrate!.phase, 'finished');
    assert.equal(stepDisplay('migrate', model, info).badge, 'ok');
    assert.equal(stepDisplay('migrate', model, info).running, false);
  });

  it('a state taken before a run ended does not undo that run’s end when it arrives after it', () => {
    const model = run([
      { type: 'state', state: state({ seq: 5, active: [{ runId: 'r1', stepId: 'migrate' }] }) },
      { type: 'event', seq: 9, event: { type: 'run-end', runId: 'r1', stepId: 'migrate', state: ended('r1', 'ok') } },
      // the catch-up state, requested before the end and answered after it
      {
        type: 'state',
        state: state({
          seq: 8,
          active: [{ runId: 'r1', stepId: 'migrate' }],
          steps: { migrate: { ...ended('r1', 'running'), durationMs: null } },
        }),
      },
    ]);
    assert.equal(stepDisplay('migrate', model, info).badge, 'ok');
    // a restarted runner counts from 0 again: its state is adopted whatever its number
    const restarted = reduce(model, { type: 'state', state: state({ seq: 1, instance: 'second' }) }, info);
    assert.equal(restarted.steps.migrate!.phase, 'idle');
    // a later state (after the end) is adopted as usual
    const later = reduce(model, { type: 'state', state: state({ seq: 12 }) }, info);
    assert.equal(later.steps.migrate!.phase, 'idle');
  });

  it('a replay after the stream reopens rebuilds the output once, not twice', () => {
    const start = ev({ type: 'run-start', runId: 'r1', stepId: 'migrate', at: '2026-01-01T00:00:00Z' });
    const out = ev({ type: 'output', runId: 'r1', stepId: 'migrate', stream: 'stdout', text: 'Applying x... OK\n' });
    const model = run([start, out, start, out]);
    assert.deepEqual(model.steps.migrate!.output, [{ stream: 'stdout', text: 'Applying x... OK\n' }]);
  });

  it('each chunk of live output is kept as it came, so the page can append only what is new', () => {
    const model = run([
      ev({ type: 'run-start', runId: 'r1', stepId: 'migrate', at: '2026-01-01T00:00:00Z' }),
      ev({ type: 'output', runId: 'r1', stepId: 'migrate', stream: 'stdout', text: 'Operations to perform:\n' }),
      ev({ type: 'output', runId: 'r1', stepId: 'migrate', stream: 'stdout', text: '  No migrations to apply.\n' }),
    ]);
    assert.equal(model.steps.migrate!.output.length, 2);
  });

  it('keeps the runner’s own lines apart from what the commands printed', () => {
    const model = run([
      ev({ type: 'run-start', runId: 'r1', stepId: 'migrate', at: '2026-01-01T00:00:00Z' }),
      ev({ type: 'output', runId: 'r1', stepId: 'migrate', stream: 'system', text: 'Starting myserver01…\n' }),
      ev({ type: 'output', runId: 'r1', stepId: 'migrate', stream: 'stdout', text: 'hello\n' }),
      ev({ type: 'output', runId: 'r1', stepId: 'migrate', stream: 'system', text: 'waiting for port 80...\n' }),
    ]);
    assert.deepEqual(model.steps.migrate!.output, [{ stream: 'stdout', text: 'hello\n' }]);
    assert.equal(stepDisplay('migrate', model, info).statusLine, 'waiting for port 80...');
  });

  it('a queued click shows as queued, can be cancelled, and is announced by the step’s name', () => {
    const model = run([ev({ type: 'run-queued', runId: 'q1', stepId: 'migrate', at: '2026-01-01T00:00:00Z' })]);
    const shown = stepDisplay('migrate', model, info);
    assert.equal(shown.badge, 'queued');
    assert.equal(shown.cancel?.queued, true);
    assert.equal(model.announcement?.text, 'Set up the database: queued');
  });

  it('announces a finished step once, by name, with "already done" for a re-run whose effect was there', () => {
    const model = run([
      ev({ type: 'run-start', runId: 'r1', stepId: 'migrate', at: '2026-01-01T00:00:00Z' }),
      ev({
        type: 'run-end',
        runId: 'r1',
        stepId: 'migrate',
        state: ended('r1', 'ok', { already: true, exitCode: null }),
      }),
    ]);
    assert.equal(model.announcement?.text, 'Set up the database: already done');
    assert.equal(stepDisplay('migrate', model, info).badge, 'already');
  });

  it('only passed steps count as progress; skipped ones are listed with their reason', () => {
    const model = run([
      {
        type: 'state',
        state: state({
          steps: {
            migrate: ended('r1', 'ok'),
            offline: { ...ended('r2', 'skipped'), hash: 'h4', message: 'skipped: needs internet' },
          },
        }),
      },
    ]);
    assert.deepEqual(chapterProgress(model, info), {
      total: 4,
      passed: 1,
      skipped: [{ id: 'offline', reason: 'skipped: needs internet' }],
    });
  });

  it("an edited version that passed is not the chapter's step passing: no progress", () => {
    const model = run([
      { type: 'state', state: state({ steps: { migrate: { ...ended('r1', 'ok'), edited: true } } }) },
    ]);
    assert.equal(chapterProgress(model, info).passed, 0);
  });

  it('a service that answers counts as passed while it keeps serving', () => {
    const model = run([
      ev({ type: 'run-start', runId: 's1', stepId: 'serve', at: '2026-01-01T00:00:00Z' }),
      ev({ type: 'ready', runId: 's1', stepId: 'serve', url: 'http://127.0.0.1:8000/' }),
    ]);
    assert.equal(chapterProgress(model, info).passed, 1);
    assert.equal(stepDisplay('serve', model, info).badge, 'ready');
    assert.equal(stepDisplay('serve', model, info).cancel?.text, 'Stop');
  });

  it('a finished step gets its output from the transcript of that run, after a reload', () => {
    const model = run([
      { type: 'state', state: state({ steps: { migrate: ended('r1', 'ok') } }) },
      {
        type: 'transcripts',
        transcripts: [
          {
            stepId: 'migrate',
            runId: 'r1',
            state: ended('r1', 'ok'),
            output: [
              { stream: 'system', text: 'preparing\n' },
              { stream: 'stdout', text: 'No migrations to apply.\n' },
            ],
            expect: { match: 'contains', ok: true, again: true },
          },
        ],
      },
    ]);
    assert.deepEqual(model.steps.migrate!.output, [{ stream: 'stdout', text: 'No migrations to apply.\n' }]);
    assert.match(stepDisplay('migrate', model, info).expect!.text, /re-run/);
    assert.equal(stepDisplay('migrate', model, info).showVerified, false);
  });

  it('a `docker run -p` step keeps an Open link, unique to its run, while its port is published', () => {
    const base = run([
      ev({ type: 'run-start', runId: 'abcdef1234', stepId: 'publish', at: '2026-01-01T00:00:00Z' }),
      ev({ type: 'ready', runId: 'abcdef1234', stepId: 'publish', url: 'http://127.0.0.1:80/' }),
      ev({
        type: 'run-end',
        runId: 'abcdef1234',
        stepId: 'publish',
        state: { ...ended('abcdef1234', 'ok'), hash: 'h3' },
      }),
    ]);
    assert.equal(stepDisplay('publish', base, info).openUrl, undefined, 'no container publishes :80 yet');
    const up = reduce(
      base,
      ev({
        type: 'containers',
        containers: [{ name: 'x', image: 'nginx', ports: '0.0.0.0:80->80/tcp', hostPorts: [80] }],
      }),
      info,
    );
    assert.equal(stepDisplay('publish', up, info).openUrl, 'http://127.0.0.1/?run=abcdef12');
  });

  it('a cancelled step shows no exit code', () => {
    const model = run([
      { type: 'state', state: state({ steps: { migrate: { ...ended('r1', 'cancelled'), exitCode: null } } }) },
    ]);
    assert.deepEqual(
      stepDisplay('migrate', model, info).result?.facts.filter((f) => /exit/.test(f)),
      [],
    );
  });

  it('without a runner nothing can run and the last verified output shows', () => {
    const model = reduce(initialModel(), { type: 'connection', connection: 'absent' }, info);
    const shown = stepDisplay('migrate', model, info);
    assert.equal(shown.canRun, false);
    assert.equal(shown.showVerified, true);
  });
});
