/**
 * The runner's state files (statuses, transcripts, runs in progress): written whole or not at all
 * (a crash mid-write never leaves a broken file), readable by the user only (0600 in 0700
 * folders), and never through a symlink, FIFO or hard link planted where they live (see
 * fs/safe-write.ts). The folder is made if missing (Reset empties it).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { readInside, UnsafePath, writeInside } from '../fs/safe-write.ts';

/** State files are small; anything bigger was not written by the runner. */
const MAX_STATE_BYTES = 16 * 1024 * 1024;

export function writeJsonAtomically(file: string, data: unknown, indent?: number): void {
  const dir = path.dirname(file);
  mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
  writeInside(
    path.dirname(dir),
    path.join(path.basename(dir), path.basename(file)),
    JSON.stringify(data, null, indent),
    {
      mode: 0o600,
      dirMode: 0o700,
      existing: 'replace',
    },
  );
}

/**
 * The parsed file, or undefined when it is missing. A symlink, FIFO or oversized file in its place
 * counts as missing: the runner's own files are never any of those.
 */
export function readJson(file: string): unknown {
  const dir = path.dirname(file);
  let read;
  try {
    read = readInside(path.dirname(dir), path.join(path.basename(dir), path.basename(file)), {
      maxBytes: MAX_STATE_BYTES,
    });
  } catch (error) {
    if (error instanceof UnsafePath) return undefined;
    throw error;
  }
  return read && (JSON.parse(read.data.toString('utf8')) as unknown);
}
