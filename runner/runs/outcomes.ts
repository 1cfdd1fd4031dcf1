/**
 * How a run ended, decided from what the process returned and why it was stopped: pure, so the
 * rules ("cancelled" has no exit code, a re-run that prints the `again` output passes) are tested
 * on their own (outcomes.test.ts).
 */
import { checkOutput } from '../../contract/expect.ts';
import { formatDuration } from '../../contract/format.ts';
import type { ExpectReport, RunStatus } from '../../contract/protocol.ts';
import type { Step } from '../../contract/step-schema.ts';

export interface Outcome {
  status: RunStatus;
  exitCode: number | null;
  message?: string;
  expect?: ExpectReport;
}

export interface ProcessEnd {
  exitCode: number | null;
  /** The executor's own one-line result ("already applied"). */
  message?: string;
}

/**
 * `endReason`: why the runner aborted it, if it did. `hint`: a failure hint for the output
 * (failure-hints.ts). `why`: a better base message than the exit code (a service that exited early).
 */
export function outcomeOf(
  step: Step,
  end: ProcessEnd,
  output: string,
  context: { endReason?: 'cancelled' | 'timeout'; elapsedMs: number; hint?: string; why?: string },
): Outcome {
  if (context.endReason === 'timeout') {
    return {
      status: 'failed',
      exitCode: end.exitCode,
      message: `timed out after ${formatDuration(step.timeoutMs)} and was stopped (took ${formatDuration(context.elapsedMs)})`,
    };
  }
  // A process ended by the runner's signal may still exit 0; that number says nothing about the step.
  if (context.endReason === 'cancelled') {
    return { status: 'cancelled', exitCode: null, message: 'cancelled; every process of the step was ended' };
  }
  if (end.exitCode !== 0) {
    const base = context.why ?? end.message ?? `exit code ${end.exitCode}`;
    return { status: 'failed', exitCode: end.exitCode, message: context.hint ? `${base}: ${context.hint}` : base };
  }
  const expect = expectReport(step, output);
  if (expect && !expect.ok) {
    const message = step.edited
      ? "the output differs from the expected output; this step was edited, and the expected output is the original step's"
      : 'the output differs from the expected output';
    return { status: 'failed', exitCode: 0, message, expect };
  }
  return { status: 'ok', exitCode: 0, ...(end.message !== undefined && { message: end.message }), expect };
}

/**
 * The verdict on the output: the expected output, or what the chapter says a re-run prints
 * (`again`). Undefined when nothing is checked.
 */
export function expectReport(step: Step, output: string): ExpectReport | undefined {
  const expected = step.expect;
  if (!expected || expected.match === 'none') return undefined;
  const first = checkOutput(expected, output);
  if (first.ok) return { match: expected.match, ok: true };
  const again = step.expectAgain;
  if (again && again.match !== 'none' && checkOutput(again, output).ok) {
    return { match: again.match, ok: true, again: true };
  }
  return { match: expected.match, ok: false, diff: first.diff };
}
