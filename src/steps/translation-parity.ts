/**
 * A translated chapter has exactly its source's steps: the same ids, in the same order, with the
 * same code, attributes and expected output. Only the prose around them is translated. So both
 * languages run the same manifest, a step's status is the same in both, and they cannot drift:
 * any difference is a build error at the translation's file and line.
 */
import type { StepDraft } from '../../contract/manifest.ts';
import { ContentError } from './content-error.ts';

interface ChapterSteps {
  chapter: { file: string };
  steps: StepDraft[];
}

/**
 * Fields a translation may change: where the step is, its caption and its heading (shown, never
 * run). A checkpoint's text is read, never run, so it is translated too; whether the step is a
 * checkpoint is not (Run all pauses at the same steps in both languages).
 */
const TRANSLATABLE = new Set(['source', 'title', 'heading', 'headingPart']);

/** What differs between two steps with the same id, for the error message. */
function differences(source: StepDraft, translated: StepDraft): string[] {
  // An output block's line is where it sits in its own file; what it says must be the same.
  const unplaced = (output?: { match: string; text: string }) => output && { match: output.match, text: output.text };
  const comparable = (s: StepDraft) => ({
    ...s,
    expect: unplaced(s.expect),
    expectAgain: unplaced(s.expectAgain),
    checkpoint: s.checkpoint !== undefined,
  });
  const a: Record<string, unknown> = comparable(source);
  const b: Record<string, unknown> = comparable(translated);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !TRANSLATABLE.has(k));
  return keys
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => (k === 'expect' ? 'expected output' : k));
}

export function translationProblems(source: ChapterSteps, translation: ChapterSteps): ContentError[] {
  const here = translation.chapter.file;
  const there = source.chapter.file;
  const problems: ContentError[] = [];
  const sourceIds = source.steps.map((s) => s.id);
  const translatedIds = translation.steps.map((s) => s.id);

  for (const step of translation.steps) {
    if (!sourceIds.includes(step.id)) {
      problems.push(
        new ContentError(here, step.source.line, `step "${step.id}" is not in ${there}; a translation adds no steps`),
      );
    }
  }
  source.steps.forEach((step, index) => {
    const translated = translation.steps.find((s) => s.id === step.id);
    if (!translated) {
      // Point at where it should be: just after the translation's copy of the step before it.
      const before = sourceIds
        .slice(0, index)
        .reverse()
        .map((id) => translation.steps.find((s) => s.id === id))
        .find((s) => s !== undefined);
      const line = before?.source.line ?? 1;
      problems.push(
        new ContentError(
          here,
          line,
          `step "${step.id}" (${there}:${step.source.line}) is missing${before ? ` after "${before.id}"` : ''}; a translation keeps every step`,
        ),
      );
      return;
    }
    const changed = differences(step, translated);
    if (changed.length > 0) {
      problems.push(
        new ContentError(
          here,
          translated.source.line,
          `step "${step.id}" differs from ${there}:${step.source.line} in its ${changed.join(', ')}; translate the prose around a step, never the step`,
        ),
      );
    }
  });
  const common = translatedIds.filter((id) => sourceIds.includes(id));
  const expectedOrder = sourceIds.filter((id) => translatedIds.includes(id));
  const firstOut = common.findIndex((id, i) => id !== expectedOrder[i]);
  if (firstOut >= 0) {
    const step = translation.steps.find((s) => s.id === common[firstOut])!;
    problems.push(
      new ContentError(
        here,
        step.source.line,
        `steps are in another order than in ${there}: "${common[firstOut]}" stands where "${expectedOrder[firstOut]}" should`,
      ),
    );
  }
  return problems;
}
