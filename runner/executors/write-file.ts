/** `file` steps: write the block's code to a file inside the workspace. */
import { say } from '../../contract/messages.ts';
import path from 'node:path';
import { UnsafePath, writeInside } from '../fs/safe-write.ts';
import type { ExecContext, ExecResult } from './context.ts';

export async function writeFileStep(ctx: ExecContext): Promise<ExecResult> {
  const relative = ctx.step.file!;
  // resolve() refuses `..`, absolute paths and symlinks leading out (with the step's source line);
  // writeInside() then writes without following any symlink, so a folder swapped for a link
  // between the two is refused too, as are FIFOs, devices and hard-linked targets.
  const target = ctx.workspace.resolve(relative);
  const text = ctx.step.code.endsWith('\n') ? ctx.step.code : `${ctx.step.code}\n`;
  try {
    writeInside(ctx.workspace.root, path.relative(ctx.workspace.root, target), text, { shown: relative });
  } catch (error) {
    if (error instanceof UnsafePath) return refused(ctx, error);
    throw error;
  }
  const lines = text.split('\n').length - 1;
  ctx.emit('system', say('file.wrote', { path: relative, lines }));
  return { exitCode: 0, message: say('file.wrote-short', { path: relative }) };
}

/** A write refused for safety: the learner sees which step and which path, and why. */
export function refused(ctx: ExecContext, error: UnsafePath): ExecResult {
  const message = `step ${ctx.step.id}: ${error.message}`;
  ctx.emit('stderr', `${message}\n`);
  return { exitCode: 1, message };
}
