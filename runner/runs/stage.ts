/**
 * What the chapters before a chapter leave behind for it: "the stage". Chapter 4 starts from
 * chapter 3's project folder and image; chapter 5 from chapter 4's. One definition, used by
 * "Reset this chapter" (to set a missing stage), `npm run verify` (a chapter asked for alone, in a
 * fresh workspace) and the browser tests.
 *
 * A step sets the stage when what it makes outlives it: files, folders, images, networks. Steps
 * that only serve (a service, a published port), start a detached container, or look at or act on
 * what those started (curl to it, exec in it, stop and remove it, inspect or list it) do not:
 * the chapter's own steps start those again. Pure.
 */
import type { Manifest } from '../../contract/manifest.ts';
import type { Step } from '../../contract/step-schema.ts';

/** Commands that act on a running container or service, or only look at Docker's state. */
const ACTS_ON_RUNNING = [
  /\bcurl\b[^\n]*(127\.0\.0\.1|localhost|\$)/, // a request to a server a step started (not a download)
  /\bdocker\s+(container\s+)?(exec|stop|rm|kill|logs|restart)\b/,
  /\bdocker\s+(\w+\s+)?(inspect|ls|ps)\b/,
  /\bdocker\s+compose\s+(up|down|exec|ps|logs|restart)\b/,
  /\bdocker\s+(container\s+)?run\b[^\n]*\s(-d|--detach)\b/, // detached: it runs, it does not make
  /\bpsql\b[^\n]*-c\s+['"]SELECT\b/i, // a query reads what steps in a container or service wrote
];

export function setsTheStage(step: Step): boolean {
  if (step.kind === 'manual' || step.background || step.port !== undefined) return false;
  if (step.kind !== 'shell') return true; // file, edit, python and repl steps write or only read files
  const code = step.code.replace(/\\\n/g, ' '); // a command continued over lines is one line
  return !ACTS_ON_RUNNING.some((pattern) => pattern.test(code));
}

/** The steps, in page order, of the chapters before `chapterId` that set its stage. */
export function stageSteps(manifest: Manifest, chapterId: string): Step[] {
  const index = manifest.chapters.findIndex((c) => c.id === chapterId);
  if (index === -1) throw new Error(`unknown chapter "${chapterId}"`);
  const byId = new Map(manifest.steps.map((s) => [s.id, s]));
  return manifest.chapters
    .slice(0, index)
    .flatMap((c) => c.steps.map((id) => byId.get(id)!))
    .filter(setsTheStage);
}

/**
 * The stage steps of `chapterId` that have not passed in their current version (never ran, failed,
 * changed since, or forgotten by a reset): what "Reset this chapter" runs to set a missing stage.
 */
export function missingStage(
  manifest: Manifest,
  chapterId: string,
  last: (stepId: string) => { status: string; hash: string } | undefined,
): Step[] {
  return stageSteps(manifest, chapterId).filter((step) => {
    const state = last(step.id);
    return !(state?.hash === step.hash && (state.status === 'ok' || state.status === 'skipped'));
  });
}
