/**
 * The step manifest: every step of the site in page order, written by the build to
 * `dist/steps.json` and loaded by the runner. The runner runs nothing that is not in it.
 * Built by src/steps/build-manifest.ts; read here, by the runner and the tests.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Step } from './step-schema.ts';

/** A step as the fence grammar reads it, before the manifest places it in a chapter. */
export type StepDraft = Omit<Step, 'chapter' | 'order' | 'hash'>;

export const MANIFEST_VERSION = 1;

export interface Chapter {
  /** Content id: the file name without extension, also the page's URL slug. */
  id: string;
  title: string;
  /** Its title in each translation, by language ("ko"): for the runner's messages on those pages. */
  titles?: Record<string, string>;
  /** Sidebar order from the frontmatter. */
  order: number;
  file: string;
}

export interface Manifest {
  version: typeof MANIFEST_VERSION;
  chapters: (Chapter & { steps: string[] })[];
  steps: Step[];
}

/** Hash of what the runner executes; two steps with the same hash behave the same. */
export function stepHash(step: Omit<StepDraft, 'source'>): string {
  const executed = {
    id: step.id,
    kind: step.kind,
    code: step.code,
    cwd: step.cwd,
    file: step.file,
    find: step.find,
    append: step.append,
    background: step.background,
    port: step.port,
    ready: step.ready,
    requires: step.requires,
    stops: step.stops,
    timeoutMs: step.timeoutMs,
    expect: step.expect && { match: step.expect.match, text: step.expect.text },
    // Only when present, so the hashes of steps without them stay what they were.
    ...(step.expectAgain && { expectAgain: { match: step.expectAgain.match, text: step.expectAgain.text } }),
    ...(step.done !== undefined && { done: step.done }),
  };
  return createHash('sha256').update(JSON.stringify(executed)).digest('hex').slice(0, 16);
}

/** Loads a manifest file, with an error that names the file when it is missing or not ours. */
export function readManifest(file: string): Manifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`no step manifest at ${file}; build the site first (npm run build)`);
  }
  let data: Partial<Manifest>;
  try {
    data = JSON.parse(text) as Partial<Manifest>;
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (data.version !== MANIFEST_VERSION || !Array.isArray(data.steps) || !Array.isArray(data.chapters)) {
    throw new Error(`${file} is not a version ${MANIFEST_VERSION} step manifest; rebuild the site (npm run build)`);
  }
  // The pages send these hashes and the runner compares them, so they must describe the code it runs.
  for (const step of data.steps) {
    if (stepHash(step) !== step.hash) {
      throw new Error(
        `${file}: step "${step.id}" differs from its hash (edited by hand?); rebuild the site (npm run build)`,
      );
    }
  }
  return data as Manifest;
}
