/**
 * Each step's last status, kept in the runner's state folder so a reload (or a runner restart)
 * shows the chapter's progress. Written atomically: a crash mid-write never leaves a broken file.
 */
import { renameSync } from 'node:fs';
import type { StepState } from '../../contract/protocol.ts';
import { readJson, writeJsonAtomically } from './json-file.ts';

export class StatusStore {
  private readonly file: string;
  private readonly states: Record<string, StepState>;

  constructor(file: string) {
    this.file = file;
    this.states = StatusStore.load(file);
  }

  private static load(file: string): Record<string, StepState> {
    try {
      const states = readJson(file);
      return typeof states === 'object' && states !== null ? (states as Record<string, StepState>) : {};
    } catch {
      // A damaged status file only costs the progress display; keep it aside for inspection.
      renameSync(file, `${file}.damaged`);
      return {};
    }
  }

  all(): Record<string, StepState> {
    return { ...this.states };
  }

  get(stepId: string): StepState | undefined {
    return this.states[stepId];
  }

  set(stepId: string, state: StepState): void {
    this.states[stepId] = state;
    writeJsonAtomically(this.file, this.states, 2);
  }

  /** Forgets one step (Reset this chapter). */
  delete(stepId: string): void {
    if (!(stepId in this.states)) return;
    delete this.states[stepId];
    writeJsonAtomically(this.file, this.states, 2);
  }

  clear(): void {
    for (const key of Object.keys(this.states)) delete this.states[key];
  }
}
