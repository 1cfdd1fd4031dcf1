/**
 * `npm run verify -- [chapter...]`: runs chapters headless, the way the e2e test does but without
 * a browser, for authors checking that the tutorial still works. Each chapter runs in page order
 * and stops at its first failure; the exit code says whether everything passed, and a failure
 * prints the step id, where it is written, and its output. A passing run is recorded as the
 * steps' last verified output (content/verified-output.json).
 *
 * Chapters build on each other (chapter 4 starts from chapter 3's project), so in a fresh
 * workspace the earlier chapters' steps that set the stage (runs/stage.ts, as "Reset this
 * chapter" does) run first; they must pass too, but are not recorded.
 *
 * Options: --target lab|host (default lab), --lab isolated|shared (default isolated), --lab-name
 * <container> and --lab-ports 18000:8000,18080:80 (an isolated lab beside another runner's), --workspace <dir> (default: a fresh temporary one,
 * with no stage set: it may hold the author's work), --no-record (do not update the verified output).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readManifest } from '../contract/manifest.ts';
import type { RunnerEvent, Transcript } from '../contract/protocol.ts';
import { RunnerApp } from './app.ts';
import { resolveLabPlan } from './engine/engine-location.ts';
import { parsePortMap } from './targets/lab-container.ts';
import { describeMissing, missingOnHost } from './host-requirements.ts';
import { HostTarget } from './targets/host.ts';
import { removeTutorialDockerObjects } from './tutorial-docker.ts';
import { buildSite, MANIFEST_PATH, siteIsStale } from './site-build.ts';
import { recordVerifiedOutput } from './verified-record.ts';
import { stageSteps } from './runs/stage.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    target: { type: 'string', default: 'lab' },
    lab: { type: 'string', default: process.env.RUNNER_LAB },
    'workspace-in': { type: 'string', default: process.env.RUNNER_WORKSPACE_IN },
    'lab-name': { type: 'string' },
    'lab-ports': { type: 'string' },
    workspace: { type: 'string' },
    'no-record': { type: 'boolean', default: false },
  },
});

if (values.target !== 'lab' && values.target !== 'host') fail(`--target ${values.target}: expected lab or host`);
// A remote engine: the workspace travels with the lab, which must be the isolated one (engine-location.ts).
let lab: Awaited<ReturnType<typeof resolveLabPlan>>;
try {
  lab = await resolveLabPlan({ lab: values.lab, workspaceIn: values['workspace-in'] });
} catch (error) {
  fail((error as Error).message);
}
let labHostPorts: Record<number, number> | undefined;
try {
  labHostPorts = values['lab-ports'] === undefined ? undefined : parsePortMap(values['lab-ports']);
} catch (error) {
  fail(`--lab-ports: ${(error as Error).message}`);
}
if (siteIsStale() && !buildSite()) fail('the site did not build; fix the errors above');
const manifest = readManifest(MANIFEST_PATH);
const known = manifest.chapters.map((c) => c.id);
const chapters = positionals.length > 0 ? positionals : known;
for (const id of chapters) if (!known.includes(id)) fail(`unknown chapter "${id}" (chapters: ${known.join(', ')})`);
const first = known[Math.min(...chapters.map((id) => known.indexOf(id)))]!;
const setup = values.workspace ? [] : stageSteps(manifest, first);

// A fresh workspace unless one is given; a given one is never emptied (it may hold the author's work).
const workspace = values.workspace ?? mkdtempSync(path.join(tmpdir(), 'verify-'));
const cleanSlate = async () =>
  values.workspace ? console.log(`  · ${await removeTutorialDockerObjects()}`) : app.reset();
if (values.target === 'host') {
  // Checked first: a missing `tree` would otherwise fail a step halfway and every chapter after it.
  const ids = new Set(chapters);
  const steps = [...setup, ...manifest.steps.filter((s) => ids.has(s.chapter))];
  const missing = await missingOnHost(steps, new HostTarget().baseEnv(process.env.HOME ?? '/'));
  if (missing.length > 0) fail(describeMissing(missing));
}
// Headless: nobody looks at :8000 in between, so Run all does not pause at checkpoints.
const app = await RunnerApp.create({
  manifest,
  workspace,
  target: values.target as 'lab' | 'host',
  ...lab.app,
  labName: values['lab-name'],
  labHostPorts,
  pauseAtCheckpoints: false,
});
console.log(`verify: ${chapters.join(', ')} on the ${values.target} target · workspace ${workspace}`);
if (setup.length > 0)
  console.log(`        first, to set the stage: ${setup.length} steps of the chapters before ${first}`);
console.log(
  `        ${app.state().target.description}${app.state().target.profile ? ` · ${app.state().target.profile} profile` : ''}`,
);

const printStep = (event: RunnerEvent) => {
  if (event.type === 'run-end') {
    const { status, durationMs, message } = event.state;
    const mark = { ok: '✔', skipped: '○', failed: '✖', cancelled: '✖', running: '…' }[status];
    console.log(
      `  ${mark} ${event.stepId.padEnd(32)} ${status.padEnd(8)} ${((durationMs ?? 0) / 1000).toFixed(1)}s${message && status !== 'ok' ? `  ${message}` : ''}`,
    );
  } else if (event.type === 'progress') {
    console.log(`  · ${event.task}: ${event.message}`);
  }
};
const stopListening = app.events.listen(printStep);

let failed: { stepId: string } | undefined;
try {
  await cleanSlate(); // none of the tutorial's containers, networks or images left over
  if (setup.length > 0) {
    console.log(`\nsetting the stage for ${first}`);
    const end = await untilBatchEnds(app.runs.setStage(first, setup));
    if (end.state === 'stopped') failed = { stepId: end.current ?? '?' };
  }
  for (const chapter of failed ? [] : chapters) {
    console.log(`\n${chapter}`);
    const end = await untilBatchEnds(app.runs.runChapter(chapter));
    if (end.state === 'stopped') {
      failed = { stepId: end.current ?? '?' };
      break;
    }
  }
} finally {
  stopListening();
}

if (failed) {
  const step = manifest.steps.find((s) => s.id === failed!.stepId);
  const transcript = app.transcript(failed.stepId);
  console.error(`\nFAILED: step ${failed.stepId}${step ? ` (${step.source.file}:${step.source.line})` : ''}`);
  if (transcript?.state.message) console.error(`  ${transcript.state.message}`);
  if (transcript?.expect?.diff) console.error(`\n${transcript.expect.diff}`);
  console.error(`\n--- output of ${failed.stepId} ---\n${transcript?.output.map((c) => c.text).join('') ?? '(none)'}`);
} else if (!values['no-record']) {
  const transcripts = chapters
    .flatMap((id) => manifest.chapters.find((c) => c.id === id)!.steps)
    .map((id) => app.transcript(id))
    .filter((t): t is Transcript => t !== undefined);
  const kindOf = (id: string) => manifest.steps.find((s) => s.id === id)!.kind;
  console.log(`\nrecorded last verified output: ${await recordVerifiedOutput(transcripts, kindOf)}`);
}
await app.shutdown();
await cleanSlate().catch(() => {}); // leave no containers behind
process.exit(failed ? 1 : 0);

function untilBatchEnds({ batchId }: { batchId: string }): Promise<Extract<RunnerEvent, { type: 'batch' }>> {
  return new Promise((resolve) => {
    const stop = app.events.listen((event) => {
      if (event.type === 'batch' && event.batchId === batchId && event.state !== 'running') {
        stop();
        resolve(event);
      }
    });
  });
}

function fail(message: string): never {
  console.error(`verify: ${message}`);
  process.exit(2);
}
