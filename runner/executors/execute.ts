/** Chooses the executor for a step's kind. */
import { say } from '../../contract/messages.ts';
import type { ExecContext, ExecResult } from './context.ts';
import { editFileStep } from './edit-file.ts';
import { runInSession } from './run-process.ts';
import { writeFileStep } from './write-file.ts';

export function execute(ctx: ExecContext): Promise<ExecResult> {
  switch (ctx.step.kind) {
    case 'shell':
      return runInSession(ctx, ctx.step.background ? 'background' : 'shell');
    case 'python':
      return runInSession(ctx, 'python');
    case 'repl':
      return runInSession(ctx, 'repl');
    case 'file':
      return writeFileStep(ctx);
    case 'edit':
      return editFileStep(ctx);
    case 'manual':
      return Promise.resolve({ exitCode: null, message: say('run.manual') });
  }
}
