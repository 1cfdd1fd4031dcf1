/** Finished runs' transcripts, one file per step (the latest run), kept in the runner's state folder. */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Transcript } from '../../contract/protocol.ts';
import { readJson, writeJsonAtomically } from './json-file.ts';

export class Transcripts {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  private file(stepId: string): string {
    // Step ids are [\w-]+ (the route and the manifest schema say so); checked again: a name with a
    // slash or dots would leave the folder.
    if (!/^[\w-]+$/.test(stepId)) throw new Error(`not a step id: ${JSON.stringify(stepId)}`);
    return path.join(this.dir, `${stepId}.json`);
  }

  save(transcript: Transcript): void {
    writeJsonAtomically(this.file(transcript.stepId), transcript);
  }

  remove(stepId: string): void {
    rmSync(this.file(stepId), { force: true });
  }

  load(stepId: string): Transcript | undefined {
    try {
      return readJson(this.file(stepId)) as Transcript | undefined;
    } catch {
      return undefined; // damaged: as good as none
    }
  }
}
