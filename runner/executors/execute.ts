/** Chooses the executor for a step's kind. */
import { say } from '../../contract/messages.ts';
import type { ExecContext, ExecResult } from './context.ts';
import { editFileStep } from './edit-file.ts';
import { runInSession } from './run-process.ts';
import { writeFileStep } from './write-file.ts';

export function execute(ctx: ExecContext): Promise<ExecResult> {
  switch (ctx.step.kind) {
    case 'file':
    case 'edit':
      return inRunnerCopy(ctx, ctx.step.kind === 'file' ? writeFileStep : editFileStep);
    default:
      return onTarget(ctx);
  }
}

/**
 * File steps work on the runner's folder; where the target's workspace is a copy (a remote lab),
 * it is brought level first (the step edits the lab's latest) and after (the lab sees the file).
 */
async function inRunnerCopy(ctx: ExecContext, step: (ctx: ExecContext) => Promise<ExecResult>): Promise<ExecResult> {
  await ctx.target.syncWorkspace?.();
  const result = await step(ctx);
  await ctx.target.syncWorkspace?.();
  return result;
}

function onTarget(ctx: ExecContext): Promise<ExecResult> {
  switch (ctx.step.kind) {
    case 'shell':
      return runInSession(ctx, ctx.step.background ? 'background' : 'shell');
    case 'python':
      return runInSession(ctx, 'python');
    case 'repl':
      return runInSession(ctx, 'repl');
    case 'file':
    case 'edit':
      throw new Error('file steps run in the runner (inRunnerCopy)');
    case 'manual':
      return Promise.resolve({ exitCode: null, message: say('run.manual') });
  }
}
