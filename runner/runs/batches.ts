/**
 * Run all / Run to here: a chapter's steps in order, stopping at the first failure and pausing
 * after a checkpoint step until the learner continues (never in `npm run verify`).
 *
 *   running ──step fails──▶ stopped
 *      │ ──checkpoint step ok──▶ paused ──continue──▶ running
 *      │                           └──stop (reset, cancel, shutdown)──▶ stopped
 *      └──last step──▶ done (with the skipped steps, if any)
 */
import { say, sayBoth, type Said } from '../../contract/messages.ts';
import type { RunnerEvent, StepState } from '../../contract/protocol.ts';
import type { Step } from '../../contract/step-schema.ts';
import { RunRefused, type ActiveRun } from './active-run.ts';

export interface Batch {
  batchId: string;
  chapter: string;
  until?: string;
  current?: string;
  /** The run of `current`, so the chapter's Cancel can end it (a stage step is on another page). */
  runId?: string;
  /** Setting the stage for a chapter after its reset: the steps are earlier chapters'; `done` of `total` ran. */
  stage?: { done: number; total: number };
  stopped: boolean;
  pausedAt?: string;
  /** Resolves a pause at a checkpoint: true goes on, false stops. */
  resume?: (goOn: boolean) => void;
}

export interface BatchDeps {
  publish: (event: RunnerEvent) => void;
  /** A step already serving from an earlier run (as good as ok). */
  serving: (step: Step) => boolean;
  /** Waits until no other run holds the step's session, then launches it. */
  launchWhenFree: (step: Step) => Promise<ActiveRun>;
  /** Whether to pause at checkpoints (the page: yes; `npm run verify`: no). */
  pauseAtCheckpoints: boolean;
}

export async function runBatch(deps: BatchDeps, batch: Batch, steps: Step[]): Promise<void> {
  const skipped: string[] = [];
  const publish = (state: 'running' | 'done' | 'stopped' | 'paused', said?: Said) =>
    deps.publish({
      type: 'batch',
      batchId: batch.batchId,
      chapter: batch.chapter,
      until: batch.until,
      state,
      current: batch.current,
      ...(said !== undefined && sayBoth(said)),
      ...(skipped.length > 0 && { skipped: [...skipped] }),
      ...(batch.stage && { stage: { ...batch.stage } }),
    });
  publish('running');
  for (const step of steps) {
    if (batch.stopped) return publish('stopped', say('batch.stopped-by-reset'));
    if (batch.stage) batch.stage.done = steps.indexOf(step);
    if (step.kind === 'manual') continue;
    if (deps.serving(step)) continue;
    batch.current = step.id;
    publish('running');
    let state: StepState;
    let run: ActiveRun;
    try {
      run = await deps.launchWhenFree(step);
      batch.runId = run.runId;
      state = await run.settled;
      if (!step.background) await run.exited; // its session must be free for the next step
    } catch (error) {
      batch.stopped = true;
      return publish('stopped', say('batch.could-not-start', { step: step.id, error: errorText(error) }));
    }
    if (state.status === 'failed' || state.status === 'cancelled') {
      batch.stopped = true;
      // A stage step's output is on another chapter's page: say here what it printed last.
      const said = batch.stage && state.status === 'failed' ? lastLine(run.log.chunks) : undefined;
      const why = state.msg ?? state.message ?? state.status;
      return publish(
        'stopped',
        said
          ? say('batch.stopped-at-said', { step: step.id, why, said })
          : say('batch.stopped-at', { step: step.id, why }),
      );
    }
    if (state.status === 'skipped') skipped.push(step.id);
    const pause = deps.pauseAtCheckpoints && !batch.stage;
    if (step.checkpoint !== undefined && state.status === 'ok' && pause && step !== steps.at(-1)) {
      batch.pausedAt = step.id;
      const goOn = await new Promise<boolean>((resolve) => {
        batch.resume = resolve;
        publish('paused', step.checkpoint || undefined);
      });
      batch.pausedAt = undefined;
      batch.resume = undefined;
      if (!goOn || batch.stopped) {
        batch.stopped = true;
        return publish('stopped', 'stopped at the checkpoint');
      }
      publish('running');
    }
  }
  batch.stopped = true;
  batch.current = undefined;
  if (batch.stage) batch.stage.done = steps.length;
  publish('done');
}

/** The last line a run printed, errors first (`cp: cannot overwrite non-directory …`), shortened. */
function lastLine(chunks: { stream: string; text: string }[]): string | undefined {
  const lines = (stream: string) =>
    chunks
      .filter((c) => c.stream === stream)
      .map((c) => c.text)
      .join('')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  const line = lines('stderr').at(-1) ?? lines('stdout').at(-1);
  return line && line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** A refusal's text as a code where it has one (a run refused while a reset holds the runs). */
function errorText(error: unknown): Said {
  return error instanceof RunRefused && error.msg ? error.msg : (error as Error).message;
}
