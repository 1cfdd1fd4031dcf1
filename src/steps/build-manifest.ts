/**
 * Builds the manifest from the chapters' step drafts: checks what only the whole site can show
 * (duplicate ids, `stops=` that name nothing) and places each step in its chapter with its hash.
 */
import { MANIFEST_VERSION, stepHash, type Chapter, type Manifest, type StepDraft } from '../../contract/manifest.ts';
import { ContentError, ContentErrors } from './content-error.ts';

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
