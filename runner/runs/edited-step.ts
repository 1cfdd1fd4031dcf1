/**
 * The learner's own version of a step (POST /api/runs/edited): the shipped step, found by id and
 * checked by hash like any run, with only its code replaced. Everything else (cwd, file, timeout,
 * expected output, requirements) stays the chapter's, so what runs is still bounded by the
 * tutorial; the copy is marked `edited`, and the status and transcript say so.
 */
import type { Step, StepKind } from '../../contract/step-schema.ts';
import { RunRefused } from './active-run.ts';

/** Kinds whose code the learner may change: commands, Python, a REPL session, a file's content. */
export const EDITABLE_KINDS: readonly StepKind[] = ['shell', 'python', 'repl', 'file'];

/** Longest edited code taken, in characters (the API's body limit is 64 KiB). */
export const EDITED_CODE_MAX_CHARS = 32 * 1024;

export function isEditable(step: Step): boolean {
  return EDITABLE_KINDS.includes(step.kind);
}

/** The copy of `step` that runs `code`; refuses kinds that cannot be edited and oversized code. */
export function editedStep(step: Step, code: string): Step {
  if (!isEditable(step))
    throw new RunRefused(
      400,
      `step "${step.id}" is a ${step.kind} step; only ${EDITABLE_KINDS.join(', ')} steps can be edited`,
    );
  if (code.length > EDITED_CODE_MAX_CHARS)
    throw new RunRefused(
      413,
      `the edited code of step "${step.id}" is ${code.length} characters, over ${EDITED_CODE_MAX_CHARS}`,
      'shorten it',
    );
  if (code.includes('\0')) throw new RunRefused(400, `the edited code of step "${step.id}" holds a NUL character`);
  return { ...step, code, edited: true };
}
