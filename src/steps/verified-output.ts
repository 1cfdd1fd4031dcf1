/**
 * "Last verified output": the transcripts of the most recent passing end-to-end run, committed
 * under content/ so the static pages show real output to a reader who has no runner.
 * Written by the verify run (runner/verify.ts), read by the build (render-steps.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const VERIFIED_FILE = 'content/verified-output.json';

export interface VerifiedFile {
  /** When the run finished, ISO 8601. */
  date: string;
  /** Tool versions seen in that run, e.g. { docker: "20.10.24", python: "3.13.5", django: "4.2.23" }. */
  tools: Record<string, string>;
  /** Output by step id; only steps that passed are kept. */
  steps: Record<string, { output: string; exitCode: number | null }>;
}

export type VerifiedOutputs = Record<string, { output: string; date: string; tools: string }>;

export function readVerifiedFile(file: string): VerifiedFile | undefined {
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, 'utf8')) as VerifiedFile;
  if (typeof data.date !== 'string' || typeof data.steps !== 'object') {
    throw new Error(`${file} is not a verified-output file (expected "date" and "steps")`);
  }
  return data;
}

/** The per-step view the pages render: output plus a one-line provenance. */
export function verifiedOutputs(file: string): VerifiedOutputs {
  const data = readVerifiedFile(file);
  if (!data) return {};
  const day = data.date.slice(0, 10);
  const tools = Object.entries(data.tools)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  return Object.fromEntries(
    Object.entries(data.steps).map(([id, { output }]) => [id, { output, date: day, tools }]),
  );
}

export function writeVerifiedFile(file: string, data: VerifiedFile): void {
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}
