/** `file` steps: write the block's code to a file inside the workspace. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ExecContext, ExecResult } from './context.ts';

export async function writeFileStep(ctx: ExecContext): Promise<ExecResult> {
  const relative = ctx.step.file!;
  const target = ctx.workspace.resolve(relative);
  mkdirSync(path.dirname(target), { recursive: true });
  const text = ctx.step.code.endsWith('\n') ? ctx.step.code : `${ctx.step.code}\n`;
  writeFileSync(target, text);
  const lines = text.split('\n').length - 1;
  ctx.emit('system', `wrote ${relative} (${lines} line${lines === 1 ? '' : 's'})\n`);
  return { exitCode: 0, message: `wrote ${relative}` };
}
