/**
 * The ids of the runs in progress, kept in the runner's state folder. A runner that dies without stopping its
 * steps (a crash, kill -9) leaves them behind, a server holding its port, say; the next runner in
 * the workspace reads this file and ends them (Runs.endOrphans).
 */
import { readJson, writeJsonAtomically } from './json-file.ts';

export class LiveRuns {
  private readonly file: string;
  private readonly ids: Set<string>;

  constructor(file: string) {
    this.file = file;
    this.ids = new Set(LiveRuns.load(file));
  }

  private static load(file: string): string[] {
    try {
      const ids = readJson(file);
      return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      return []; // a damaged file only costs the cleanup after a crash
    }
  }

  add(runId: string): void {
    this.ids.add(runId);
    this.save();
  }

  remove(runId: string): void {
    if (this.ids.delete(runId)) this.save();
  }

  /** Every recorded id; read at start, before any run, these are a previous runner's. */
  all(): string[] {
    return [...this.ids];
  }

  private save(): void {
    writeJsonAtomically(this.file, [...this.ids]);
  }
}
