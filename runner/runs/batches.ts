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
    });
  publish('running');
  for (const step of steps) {
    if (batch.stopped) return publish('stopped', say('batch.stopped-by-reset'));
    if (step.kind === 'manual') continue;
    if (deps.serving(step)) continue;
    batch.current = step.id;
    publish('running');
    let state: StepState;
    try {
      const run = await deps.launchWhenFree(step);
      state = await run.settled;
      if (!step.background) await run.exited; // its session must be free for the next step
    } catch (error) {
      batch.stopped = true;
      return publish('stopped', say('batch.could-not-start', { step: step.id, error: errorText(error) }));
    }
    if (state.status === 'failed' || state.status === 'cancelled') {
      batch.stopped = true;
      return publish(
        'stopped',
        say('batch.stopped-at', { step: step.id, why: state.msg ?? state.message ?? state.status }),
      );
    }
    if (state.status === 'skipped') skipped.push(step.id);
    if (step.checkpoint !== undefined && state.status === 'ok' && deps.pauseAtCheckpoints && step !== steps.at(-1)) {
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
  publish('done');
}

/** A refusal's text as a code where it has one (a run refused while a reset holds the runs). */
function errorText(error: unknown): Said {
  return error instanceof RunRefused && error.msg ? error.msg : (error as Error).message;
}
