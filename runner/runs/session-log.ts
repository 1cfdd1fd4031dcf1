/**
 * The session log: every finished run since the last full Reset, in the order they ended, with
 * what it printed, so a learner can scroll back through the session after a reload (a step's
 * transcript keeps only its latest run). One file per run in the runner's state folder, named by
 * a sequence number so the folder's order is the session's; each keeps at most LOG_OUTPUT_BYTES
 * of output (its beginning and its end).
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { RunnerEvent, SessionLog, SessionLogEntry, Transcript } from '../../contract/protocol.ts';
import type { Step } from '../../contract/step-schema.ts';
import { readJson, writeJsonAtomically } from './json-file.ts';

export const LOG_OUTPUT_BYTES = 64 * 1024;
/** The latest runs GET /api/session-log lists; older files stay until Reset. */
export const LOG_LISTED = 200;

type Chunk = SessionLogEntry['output'][number];

/** The output's first 3/4 and last 1/4 of `limit` bytes, and how many bytes were left out between. */
export function boundOutput(
  output: Chunk[],
  limit = LOG_OUTPUT_BYTES,
): { output: Chunk[]; omitted?: { bytes: number; at: number } } {
  const size = (c: Chunk) => Buffer.byteLength(c.text);
  const total = output.reduce((n, c) => n + size(c), 0);
  if (total <= limit) return { output };
  const take = (chunks: Chunk[], budget: number, fromEnd: boolean): Chunk[] => {
    const out: Chunk[] = [];
    for (const chunk of fromEnd ? [...chunks].reverse() : chunks) {
      if (budget <= 0) break;
      const bytes = Buffer.from(chunk.text);
      const part =
        bytes.length <= budget
          ? chunk.text
          : (fromEnd ? bytes.subarray(bytes.length - budget) : bytes.subarray(0, budget)).toString('utf8');
      out.push({ stream: chunk.stream, text: part });
      budget -= bytes.length;
    }
    return fromEnd ? out.reverse() : out;
  };
  const headBytes = Math.floor((limit * 3) / 4);
  const head = take(output, headBytes, false);
  const tail = take(output, limit - headBytes, true);
  return { output: [...head, ...tail], omitted: { bytes: total - limit, at: head.length } };
}

export class SessionLogStore {
  private readonly dir: string;
  private readonly transcript: (stepId: string) => Transcript | undefined;
  private readonly step: (stepId: string) => Step | undefined;
  private next: number;

  constructor(
    dir: string,
    transcript: (stepId: string) => Transcript | undefined,
    step: (stepId: string) => Step | undefined,
  ) {
    this.dir = dir;
    this.transcript = transcript;
    this.step = step;
    this.next =
      (this.files()
        .map((f) => Number.parseInt(f, 10))
        .at(-1) ?? 0) + 1;
  }

  /** Call with every event: a run's end adds its transcript (saved just before the event). */
  record(event: RunnerEvent): void {
    if (event.type !== 'run-end') return;
    const transcript = this.transcript(event.stepId);
    if (transcript?.runId !== event.runId) return; // taken off the queue before it ran: nothing ran
    const step = this.step(event.stepId);
    const entry: SessionLogEntry = {
      runId: event.runId,
      stepId: event.stepId,
      chapter: step?.chapter ?? '',
      ...(step?.heading && { heading: step.heading }),
      state: event.state,
      ...boundOutput(transcript.output),
    };
    writeJsonAtomically(path.join(this.dir, `${String(this.next++).padStart(6, '0')}.json`), entry);
  }

  read(): SessionLog {
    const files = this.files();
    const listed = files.slice(-LOG_LISTED);
    const entries = listed.flatMap((file) => {
      try {
        const entry = readJson(path.join(this.dir, file)) as SessionLogEntry | undefined;
        return entry ? [entry] : [];
      } catch {
        return []; // damaged: left out
      }
    });
    return { entries, older: files.length - listed.length };
  }

  /** A full Reset starts a new session. */
  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
    this.next = 1;
  }

  private files(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((f) => /^\d{6}\.json$/.test(f))
        .sort();
    } catch {
      return [];
    }
  }
}
