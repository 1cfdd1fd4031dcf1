/** Finished runs' transcripts, one file per step (the latest run), kept in the workspace. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Transcript } from '../api/protocol.ts';

export class Transcripts {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  private file(stepId: string): string {
    return path.join(this.dir, `${stepId}.json`);
  }

  save(transcript: Transcript): void {
    mkdirSync(this.dir, { recursive: true });
    const file = this.file(transcript.stepId);
    writeFileSync(`${file}.next`, JSON.stringify(transcript));
    renameSync(`${file}.next`, file);
  }

  load(stepId: string): Transcript | undefined {
    const file = this.file(stepId);
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, 'utf8')) as Transcript;
  }
}
