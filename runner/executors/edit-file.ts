/**
 * `edit` steps: replace `find` with the block's code, or append the code. Idempotent: when the
 * file already holds the code, nothing changes and the step says "already applied".
 *
 * The file is read and written through fs/safe-write.ts: no symlink followed on the way, no FIFO
 * opened, no hard-linked file changed (an `.bashrc` linked to one outside the workspace, say).
 */
import { say } from '../../contract/messages.ts';
import path from 'node:path';
import { readInside, UnsafePath, writeInside } from '../fs/safe-write.ts';
import type { ExecContext, ExecResult } from './context.ts';
import { refused } from './write-file.ts';

/** Text files a tutorial edits are small; a bigger one is not the file the step means. */
const MAX_EDIT_BYTES = 8 * 1024 * 1024;

export async function editFileStep(ctx: ExecContext): Promise<ExecResult> {
  try {
    return edit(ctx);
  } catch (error) {
    if (error instanceof UnsafePath) return refused(ctx, error);
    throw error;
  }
}

function edit(ctx: ExecContext): ExecResult {
  const { step } = ctx;
  const relative = step.file!;
  const inside = path.relative(ctx.workspace.root, ctx.workspace.resolve(relative));
  const code = step.code.replace(/\n+$/, '');
  const write = (text: string, mode?: number) =>
    writeInside(ctx.workspace.root, inside, text, { shown: relative, mode });

  const current = readInside(ctx.workspace.root, inside, { shown: relative, maxBytes: MAX_EDIT_BYTES });
  if (!current) {
    if (!step.append) {
      ctx.emit('stderr', `${relative} does not exist yet; run the steps before this one first\n`);
      return { exitCode: 1, message: say('file.not-found', { path: relative }) };
    }
    write(`${code}\n`);
    ctx.emit('system', say('file.created', { path: relative }));
    return { exitCode: 0, message: say('file.created-short', { path: relative }) };
  }

  const before = current.data.toString('utf8');
  if (before.includes(code)) {
    ctx.emit('system', say('file.already', { path: relative }));
    return { exitCode: 0, message: say('file.already-short') };
  }
  if (step.append) {
    const separator = before === '' || before.endsWith('\n') ? '' : '\n';
    write(`${before}${separator}${code}\n`, current.mode);
    ctx.emit('system', say('file.appended', { path: relative, lines: code.split('\n').length }));
    return { exitCode: 0, message: say('file.appended-short', { path: relative }) };
  }

  const find = step.find!;
  const at = before.indexOf(find);
  if (at === -1) {
    ctx.emit('stderr', `could not find ${JSON.stringify(find)} in ${relative}; was the file changed by hand?\n`);
    return { exitCode: 1, message: say('file.find-missing', { path: relative }) };
  }
  write(before.slice(0, at) + code + before.slice(at + find.length), current.mode);
  const line = before.slice(0, at).split('\n').length;
  ctx.emit('system', say('file.replaced', { path: relative, line, find: JSON.stringify(find) }));
  return { exitCode: 0, message: say('file.edited-short', { path: relative }) };
}
