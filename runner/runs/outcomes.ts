/**
 * How a run ended, decided from what the process returned and why it was stopped: pure, so the
 * rules ("cancelled" has no exit code, a re-run that prints the `again` output passes) are tested
 * on their own (outcomes.test.ts).
 */
import { checkOutput } from '../../contract/expect.ts';
import { say, sayBoth, type Message, type Said } from '../../contract/messages.ts';
import type { ExpectReport, RunStatus } from '../../contract/protocol.ts';
import type { Step } from '../../contract/step-schema.ts';

export interface Outcome {
  status: RunStatus;
  exitCode: number | null;
  /** English, as the terminal prints it. */
  message?: string;
  /** The same as a code, for the page's language. */
  msg?: Message;
  expect?: ExpectReport;
}

export interface ProcessEnd {
  exitCode: number | null;
  /** The executor's own one-line result ("already applied"). */
  message?: Said;
}

/**
 * `endReason`: why the runner aborted it, if it did. `hint`: a failure hint for the output
 * (failure-hints.ts). `why`: a better base message than the exit code (a service that exited early).
 */
export function outcomeOf(
  step: Step,
  end: ProcessEnd,
  output: string,
  context: { endReason?: 'cancelled' | 'timeout'; elapsedMs: number; hint?: Said; why?: Said },
): Outcome {
  if (context.endReason === 'timeout') {
    return {
      status: 'failed',
      exitCode: end.exitCode,
      ...sayBoth(say('run.timeout', { limit: { ms: step.timeoutMs }, took: { ms: context.elapsedMs } })),
    };
  }
  // A process ended by the runner's signal may still exit 0; that number says nothing about the step.
  if (context.endReason === 'cancelled') {
    return { status: 'cancelled', exitCode: null, ...sayBoth(say('run.cancelled')) };
  }
  if (end.exitCode !== 0) {
    const base = context.why ?? end.message ?? say('run.exit-code', { code: String(end.exitCode) });
    const said = context.hint ? joined(base, context.hint) : base;
    return { status: 'failed', exitCode: end.exitCode, ...sayBoth(said) };
  }
  const expect = expectReport(step, output);
  if (expect && !expect.ok) {
    const said = step.edited ? say('run.output-differs-edited') : say('run.output-differs');
    return { status: 'failed', exitCode: 0, ...sayBoth(said), expect };
  }
  return { status: 'ok', exitCode: 0, ...(end.message !== undefined && sayBoth(end.message)), expect };
}

/** "<base>: <hint>"; a code only when both parts have one (else the English, as before). */
function joined(base: Said, hint: Said): Said {
  if (typeof base === 'string' || typeof hint === 'string') {
    return `${typeof base === 'string' ? base : sayBoth(base).message}: ${typeof hint === 'string' ? hint : sayBoth(hint).message}`;
  }
  return say('run.failed-because', { base, hint });
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
