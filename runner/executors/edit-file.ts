/**
 * `edit` steps: replace `find` with the block's code, or append the code. Idempotent: when the
 * file already holds the code, nothing changes and the step says "already applied".
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ExecContext, ExecResult } from './context.ts';

export async function editFileStep(ctx: ExecContext): Promise<ExecResult> {
  const { step } = ctx;
  const relative = step.file!;
  const file = ctx.workspace.resolve(relative);
  const code = step.code.replace(/\n+$/, '');

  if (!existsSync(file)) {
    if (!step.append) {
      ctx.emit('stderr', `${relative} does not exist yet; run the steps before this one first\n`);
      return { exitCode: 1, message: `${relative} not found` };
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${code}\n`);
    ctx.emit('system', `created ${relative} with the new lines\n`);
    return { exitCode: 0, message: `created ${relative}` };
  }

  const before = readFileSync(file, 'utf8');
  if (before.includes(code)) {
    ctx.emit('system', `already applied: ${relative} already contains this change\n`);
    return { exitCode: 0, message: 'already applied' };
  }
  if (step.append) {
    const separator = before === '' || before.endsWith('\n') ? '' : '\n';
    writeFileSync(file, `${before}${separator}${code}\n`);
    ctx.emit('system', `appended ${code.split('\n').length} line(s) to ${relative}\n`);
    return { exitCode: 0, message: `appended to ${relative}` };
  }

  const find = step.find!;
  const at = before.indexOf(find);
  if (at === -1) {
    ctx.emit('stderr', `could not find ${JSON.stringify(find)} in ${relative}; was the file changed by hand?\n`);
    return { exitCode: 1, message: `text to replace not found in ${relative}` };
  }
  writeFileSync(file, before.slice(0, at) + code + before.slice(at + find.length));
  const line = before.slice(0, at).split('\n').length;
  ctx.emit('system', `${relative}:${line}: replaced ${JSON.stringify(find)}\n`);
  return { exitCode: 0, message: `edited ${relative}` };
}
