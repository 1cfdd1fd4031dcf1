/** Finished runs' transcripts, one file per step (the latest run), kept in the workspace. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Transcript } from '../../contract/protocol.ts';
import { writeJsonAtomically } from './json-file.ts';

export class Transcripts {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  private file(stepId: string): string {
    return path.join(this.dir, `${stepId}.json`);
  }

  save(transcript: Transcript): void {
    writeJsonAtomically(this.file(transcript.stepId), transcript);
  }

  remove(stepId: string): void {
    rmSync(this.file(stepId), { force: true });
  }

  load(stepId: string): Transcript | undefined {
    const file = this.file(stepId);
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, 'utf8')) as Transcript;
  }
}
