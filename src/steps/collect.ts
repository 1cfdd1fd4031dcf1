/**
 * Reads the chapters under content/ and turns their fences into the step manifest. Uses the same
 * MDX parser as Astro's build (Sätteri), so a line number here is the line in the editor.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { mdxToMdast } from 'satteri';
import { ContentError, ContentErrors } from './content-error.ts';
import type { Chapter, Manifest } from '../../contract/manifest.ts';
import { buildManifest, duplicateIds } from './build-manifest.ts';
import { TRANSLATIONS } from './locales.ts';
import { readFence, type StepDraft } from './read-fence.ts';
import { translationProblems } from './translation-parity.ts';

interface MdNode {
  type: string;
  lang?: string | null;
  meta?: string | null;
  value?: string;
  position?: { start: { line: number } };
  children?: MdNode[];
}

export interface ChapterSource {
  chapter: Chapter;
  steps: StepDraft[];
}

/** Parses one chapter's MDX text. `file` is the path shown in errors, e.g. `content/yaml.mdx`. */
export function collectChapter(source: string, file: string): ChapterSource {
  const { errors, ...chapter } = readChapter(source, file);
  if (errors.length > 0) throw new ContentErrors(errors);
  return chapter;
}

/** Like collectChapter, but returns its problems beside the steps that did parse. */
function readChapter(source: string, file: string): ChapterSource & { errors: ContentError[] } {
  const tree = mdxToMdast(source, { features: { frontmatter: true } }) as MdNode;
  const errors: ContentError[] = [];
  const steps: StepDraft[] = [];
  let previous: { kind: 'step' | 'output' | 'other'; step?: StepDraft } = { kind: 'other' };
  // The heading each step sits under names its controls ("Run: Start the project").
  let heading: string | undefined;
  const underHeading = new Map<string | undefined, StepDraft[]>();
  let frontmatter: Record<string, unknown> = {};

  walk(tree, (node) => {
    if (node.type === 'yaml') {
      frontmatter = (yaml.load(node.value ?? '') as Record<string, unknown> | undefined) ?? {};
      return;
    }
    if (node.type === 'heading') {
      heading = plainText(node).trim() || undefined;
      return;
    }
    if (node.type !== 'code') return;
    const line = node.position?.start.line ?? 0;
    try {
      const meaning = readFence({ lang: node.lang, meta: node.meta, code: node.value ?? '', line }, file);
      if (meaning.type === 'step') {
        if (heading !== undefined) meaning.step.heading = heading;
        underHeading.set(heading, [...(underHeading.get(heading) ?? []), meaning.step]);
        steps.push(meaning.step);
        previous = { kind: 'step', step: meaning.step };
      } else if (meaning.type === 'output' && meaning.again) {
        // `again`: what a re-run prints, right after the step's first output block.
        const owner = previous.step;
        if (previous.kind !== 'output' || !owner) {
          throw new ContentError(
            file,
            line,
            'an output block marked `again` must follow the output block of the step it belongs to',
          );
        }
        owner.expectAgain = { match: meaning.match, text: node.value ?? '', line };
        previous = { kind: 'other' };
      } else if (meaning.type === 'output') {
        const owner = previous.step;
        if (previous.kind !== 'step' || !owner) {
          throw new ContentError(
            file,
            line,
            'an output block must follow the runnable step it belongs to, with no other code block between',
          );
        }
        owner.expect = { match: meaning.match, text: node.value ?? '', line };
        previous = { kind: 'output', step: owner };
      } else {
        previous = { kind: 'other' };
      }
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      errors.push(error);
      previous = { kind: 'other' };
    }
  });

  for (const group of underHeading.values()) {
    if (group.length > 1) group.forEach((step, i) => (step.headingPart = { index: i + 1, of: group.length }));
  }
  const id = path.basename(file).replace(/\.mdx?$/, '');
  const sidebar = (frontmatter.sidebar ?? {}) as { order?: unknown };
  return {
    chapter: {
      id,
      title: typeof frontmatter.title === 'string' ? frontmatter.title : id,
      order: typeof sidebar.order === 'number' ? sidebar.order : Number.MAX_SAFE_INTEGER,
      file,
    },
    steps,
    errors,
  };
}

/** Reads the chapters of one folder (not recursive), with their problems. */
function readFolder(dir: string, displayRoot: string): { chapters: ChapterSource[]; errors: ContentError[] } {
  const chapters: ChapterSource[] = [];
  const errors: ContentError[] = [];
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.mdx'))
    .sort();
  for (const name of files) {
    const full = path.join(dir, name);
    const display = path.relative(displayRoot, full).split(path.sep).join('/');
    const { errors: found, ...chapter } = readChapter(readFileSync(full, 'utf8'), display);
    chapters.push(chapter);
    errors.push(...found);
  }
  return { chapters, errors };
}

/** Each translation folder's problems: fence errors, and steps that differ from the source's. */
function translationErrors(dir: string, displayRoot: string, sources: ChapterSource[]): ContentError[] {
  const errors: ContentError[] = [];
  for (const locale of TRANSLATIONS) {
    const folder = path.join(dir, locale.dir);
    if (!existsSync(folder)) continue;
    const translated = readFolder(folder, displayRoot);
    errors.push(...translated.errors);
    const display = (name: string) => path.relative(displayRoot, path.join(folder, name)).split(path.sep).join('/');
    for (const source of sources) {
      const name = path.basename(source.chapter.file);
      const translation = translated.chapters.find((t) => path.basename(t.chapter.file) === name);
      if (!translation) {
        errors.push(new ContentError(display(name), 1, `no ${locale.label} translation of ${source.chapter.file}`));
      } else {
        errors.push(...translationProblems(source, translation));
        // The runner names chapters in its messages; a Korean page names them in Korean.
        source.chapter.titles = { ...source.chapter.titles, [locale.lang]: translation.chapter.title };
      }
    }
    for (const translation of translated.chapters) {
      if (!sources.some((s) => path.basename(s.chapter.file) === path.basename(translation.chapter.file))) {
        const reason = `a translation of nothing: there is no ${path.basename(translation.chapter.file)} in the source language`;
        errors.push(new ContentError(translation.chapter.file, 1, reason));
      }
    }
  }
  return errors;
}

/**
 * Reads every chapter in `dir` (the root language) and builds the manifest; translations in the
 * locale folders (content/ko/...) must have exactly the same steps and add none to the manifest.
 */
export function collectContent(dir: string, displayRoot = process.cwd()): Manifest {
  const { chapters, errors } = readFolder(dir, displayRoot);
  errors.push(...translationErrors(dir, displayRoot, chapters));
  if (errors.length > 0) {
    // Ids are also checked on the steps that did parse, so a duplicate shows up in the same pass.
    const all = [...errors, ...duplicateIds(chapters)];
    throw new ContentErrors(all.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line));
  }
  return buildManifest(chapters);
}

function plainText(node: MdNode): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value ?? '';
  return (node.children ?? []).map(plainText).join('');
}

function walk(node: MdNode, visit: (node: MdNode) => void): void {
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
}
