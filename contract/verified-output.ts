/**
 * "Last verified output": the transcripts of the most recent passing run of each step, committed
 * under content/ so the static pages show real output to a reader who has no runner. Each entry
 * keeps its own date and tool versions, since chapters may be verified at different times.
 * Written by runner/verified-record.ts (e2e and `npm run verify`), read by the build.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { stripAnsi } from './ansi.ts';

export const VERIFIED_FILE = 'content/verified-output.json';

export interface VerifiedStep {
  output: string;
  exitCode: number | null;
  /** When the run finished, ISO 8601. */
  date: string;
  /** Tool versions seen in that run, e.g. { Docker: "20.10.24", Python: "3.13.5", Django: "4.2.23" }. */
  tools: Record<string, string>;
}

export interface VerifiedFile {
  steps: Record<string, VerifiedStep>;
}

export type VerifiedOutputs = Record<string, { output: string; date: string; tools: string }>;

export function readVerifiedFile(file: string): VerifiedFile | undefined {
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, 'utf8')) as VerifiedFile;
  if (typeof data.steps !== 'object' || data.steps === null) {
    throw new Error(`${file} is not a verified-output file (expected a "steps" object)`);
  }
  return data;
}

/** The per-step view the pages render: output plus a one-line provenance. */
export function verifiedOutputs(file: string): VerifiedOutputs {
  const data = readVerifiedFile(file);
  if (!data) return {};
  return Object.fromEntries(
    Object.entries(data.steps).map(([id, step]) => [
      id,
      {
        output: stripAnsi(step.output), // a static page shows plain text
        date: step.date.slice(0, 10),
        tools: Object.entries(step.tools)
          .map(([name, version]) => `${name} ${version}`)
          .join(', '),
      },
    ]),
  );
}

export function writeVerifiedFile(file: string, data: VerifiedFile): void {
  const sorted = Object.fromEntries(Object.entries(data.steps).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(file, `${JSON.stringify({ steps: sorted }, null, 2)}\n`);
}
