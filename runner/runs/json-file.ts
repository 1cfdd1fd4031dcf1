/**
 * Writes the runner's state files (statuses, transcripts, runs in progress) whole or not at all:
 * a crash mid-write never leaves a broken file. The folder is made if missing (a step, or Reset,
 * may have deleted the workspace's .runner/).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeJsonAtomically(file: string, data: unknown, indent?: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.next`, JSON.stringify(data, null, indent));
  renameSync(`${file}.next`, file);
}
