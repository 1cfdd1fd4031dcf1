/**
 * The step manifest: every step of the site in page order, written by the build to
 * `dist/steps.json` and loaded by the runner. The runner runs nothing that is not in it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ContentError, ContentErrors } from './content-error.ts';
import type { StepDraft } from './read-fence.ts';
import type { Step } from './schema.ts';

export const MANIFEST_VERSION = 1;

export interface Chapter {
  /** Content id: the file name without extension, also the page's URL slug. */
  id: string;
  title: string;
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
  };
  return createHash('sha256').update(JSON.stringify(executed)).digest('hex').slice(0, 16);
}

/** A step id used twice, anywhere on the site, at the second use (and where it was first used). */
export function duplicateIds(sources: { steps: StepDraft[] }[]): ContentError[] {
  const firstSeen = new Map<string, StepDraft>();
  const errors: ContentError[] = [];
  for (const { steps } of sources) {
    for (const step of steps) {
      const earlier = firstSeen.get(step.id);
      if (!earlier) firstSeen.set(step.id, step);
      else {
        const reason = `duplicate step id "${step.id}" (first used at ${earlier.source.file}:${earlier.source.line})`;
        errors.push(new ContentError(step.source.file, step.source.line, reason));
      }
    }
  }
  return errors;
}

export function buildManifest(sources: { chapter: Chapter; steps: StepDraft[] }[]): Manifest {
  const errors = duplicateIds(sources);
  const firstSeen = new Map<string, StepDraft>();
  for (const step of sources.flatMap((s) => s.steps).reverse()) firstSeen.set(step.id, step); // the first use wins
  for (const { steps } of sources) {
    for (const step of steps) {
      for (const target of step.stops) {
        const stopped = firstSeen.get(target);
        const problem = !stopped
          ? `stops=${target}: there is no step with that id`
          : !stopped.background
            ? `stops=${target}: that step is not a background step, so there is nothing to stop`
            : undefined;
        if (problem) errors.push(new ContentError(step.source.file, step.source.line, problem));
      }
    }
  }
  if (errors.length > 0) throw new ContentErrors(errors);

  const ordered = [...sources].sort(
    (a, b) => a.chapter.order - b.chapter.order || a.chapter.id.localeCompare(b.chapter.id),
  );
  return {
    version: MANIFEST_VERSION,
    chapters: ordered
      .filter(({ steps }) => steps.length > 0)
      .map(({ chapter, steps }) => ({ ...chapter, steps: steps.map((s) => s.id) })),
    steps: ordered.flatMap(({ chapter, steps }) =>
      steps.map((draft, order) => ({ ...draft, chapter: chapter.id, order, hash: stepHash(draft) })),
    ),
  };
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
