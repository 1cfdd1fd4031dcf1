/**
 * Opening and saving a workspace file from the Files panel. Reads and writes go through
 * fs/safe-write.ts: no symlink followed anywhere on the way, no FIFO or device opened, no file with
 * another hard link written, nothing outside the workspace (paths are checked lexically first, as
 * for steps). Text only: a file with NUL bytes or that is not UTF-8 is shown as binary and never
 * written. Hidden paths (`.runner/` above all) are the runner's, not the learner's.
 */
import { normalizeWorkspacePath } from '../../contract/workspace-path.ts';
import type { WorkspaceFile } from '../../contract/protocol.ts';
import { readInside, UnsafePath, writeInside } from '../fs/safe-write.ts';
import { RunRefused } from '../runs/active-run.ts';

/** Largest file shown (a log of megabytes is for `less`, not for a page). */
export const FILE_SHOW_MAX_BYTES = 512 * 1024;
/** Largest file saved from the page; it must also fit the API's 64 KiB body (http/security.ts). */
export const FILE_SAVE_MAX_BYTES = 48 * 1024;

/** The normalized path, or a 400 that says what is wrong with it. */
function checkedPath(written: string): string {
  const normal = normalizeWorkspacePath(written);
  if ('error' in normal) throw new RunRefused(400, `file path refused: ${normal.error}`);
  if (normal.path === '.' || normal.path.split('/').some((part) => part.startsWith('.')))
    throw new RunRefused(403, `${JSON.stringify(written)} is hidden; the Files panel shows what \`tree\` shows`);
  return normal.path;
}

function isText(data: Buffer): boolean {
  if (data.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

function refused(error: unknown): never {
  if (error instanceof UnsafePath) throw new RunRefused(403, error.message);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM')
    throw new RunRefused(403, `the runner may not do that: ${(error as Error).message}`, 'a step run as root made it');
  if (code === 'ENOTDIR') throw new RunRefused(404, `no such file: ${(error as Error).message}`);
  throw error;
}

export function readWorkspaceFile(root: string, written: string): WorkspaceFile {
  const relative = checkedPath(written);
  let read: ReturnType<typeof readInside>;
  try {
    // Another hard link is harmless to read (a package manager makes them); only writes refuse it.
    read = readInside(root, relative, { maxBytes: FILE_SHOW_MAX_BYTES, allowHardLinks: true });
  } catch (error) {
    if (error instanceof UnsafePath && /larger than/.test(error.message))
      return { path: relative, size: FILE_SHOW_MAX_BYTES + 1, tooLarge: true, editable: false };
    refused(error);
  }
  if (!read) throw new RunRefused(404, `no file ${relative} in the workspace`, 'a step may not have made it yet');
  const size = read.data.length;
  if (!isText(read.data)) return { path: relative, size, binary: true, editable: false };
  return { path: relative, size, text: read.data.toString('utf8'), editable: size <= FILE_SAVE_MAX_BYTES };
}

export function writeWorkspaceFile(root: string, written: string, text: string): WorkspaceFile {
  const relative = checkedPath(written);
  const data = Buffer.from(text, 'utf8');
  if (data.length > FILE_SAVE_MAX_BYTES)
    throw new RunRefused(
      413,
      `${relative}: ${data.length} bytes is over the ${FILE_SAVE_MAX_BYTES} bytes a page may save`,
    );
  if (data.includes(0)) throw new RunRefused(400, `${relative}: the text holds a NUL byte; only text files are saved`);
  let before: ReturnType<typeof readInside>;
  try {
    before = readInside(root, relative, { maxBytes: FILE_SHOW_MAX_BYTES });
  } catch (error) {
    refused(error);
  }
  // Only files that are there: the panel edits what the steps wrote, it does not make new ones.
  if (!before) throw new RunRefused(404, `no file ${relative} in the workspace`);
  if (!isText(before.data)) throw new RunRefused(415, `${relative} is a binary file; it is not edited here`);
  try {
    writeInside(root, relative, data, { mode: before.mode });
  } catch (error) {
    refused(error);
  }
  return { path: relative, size: data.length, text, editable: true };
}
