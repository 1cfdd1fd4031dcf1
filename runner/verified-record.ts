/**
 * Records a passing run as each step's "last verified output" (content/verified-output.json), with
 * the date and the versions of the tools it ran with, so the static pages show real output.
 * Called by the e2e test and by `npm run verify` after a run with no failure.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { readVerifiedFile, VERIFIED_FILE, writeVerifiedFile, type VerifiedFile } from '../contract/verified-output.ts';
import type { StepKind } from '../contract/step-schema.ts';
import type { Transcript } from '../contract/protocol.ts';
import { REPO_ROOT } from './paths.ts';

const run = promisify(execFile);

async function output(file: string, args: string[]): Promise<string | undefined> {
  try {
    return (await run(file, args, { timeout: 20_000 })).stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * The Docker engine the steps talked to, and Python and Django as the lab container has them. The
 * lab's own CLI answers for the engine: the isolated lab's own, or (shared lab) this machine's.
 */
export async function toolVersions(labContainer = 'myserver01'): Promise<Record<string, string>> {
  const tools: Record<string, string> = {};
  const version = ['version', '--format', '{{.Server.Version}}'];
  const docker =
    (await output('docker', ['exec', labContainer, 'docker', ...version])) ?? (await output('docker', version));
  if (docker) tools.Docker = docker;
  const lab = await output('docker', [
    'exec',
    labContainer,
    'python3',
    '-c',
    'import sys, django; print(sys.version.split()[0], django.get_version())',
  ]);
  if (lab) {
    const [python, django] = lab.split(' ');
    tools.Python = python!;
    tools.Django = django!;
  }
  return tools;
}

/**
 * What a reader of the static page sees of a run: what the step printed. The runner's own lines
 * (starting the lab, checking images, "waiting for port", "ready") are left out, except for file
 * and edit steps, whose one line of output ("settings.py:28: replaced ...") is the runner's.
 */
export function recordedText(transcript: Transcript, kind: StepKind): string {
  const ownOutput = kind === 'file' || kind === 'edit';
  return transcript.output
    .filter((chunk) => ownOutput || chunk.stream !== 'system')
    .map((chunk) => chunk.text)
    .join('');
}

export async function recordVerifiedOutput(
  transcripts: Transcript[],
  kindOf: (stepId: string) => StepKind,
  file = path.join(REPO_ROOT, VERIFIED_FILE),
): Promise<string> {
  // Steps verified earlier (another chapter, an online run) keep their own record.
  const data: VerifiedFile = { steps: { ...readVerifiedFile(file)?.steps } };
  const tools = await toolVersions();
  for (const transcript of transcripts) {
    if (transcript.state.status !== 'ok') continue;
    const output = recordedText(transcript, kindOf(transcript.stepId));
    data.steps[transcript.stepId] = { output, exitCode: transcript.state.exitCode, date: transcript.state.at, tools };
  }
  writeVerifiedFile(file, data);
  return file;
}
