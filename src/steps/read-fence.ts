/**
 * One fenced code block → what it means: plain code, a runnable step, or the expected output of
 * the step just before it. Pure: no file system, no Astro. Errors carry file and line.
 */
import { z } from 'zod';
import { ContentError } from './content-error.ts';
import { AttributeSyntaxError, hasAttributeBlock, parseAttributeBlock } from './fence-attributes.ts';
import {
  DEFAULT_TIMEOUT_MS,
  outputAttributes,
  stepAttributes,
  type MatchMode,
  type StepAttributes,
  type StepKind,
} from '../../contract/step-schema.ts';
import type { StepDraft } from '../../contract/manifest.ts';
import { joinWorkspacePath } from '../../contract/workspace-path.ts';

export interface Fence {
  lang: string | null | undefined;
  meta: string | null | undefined;
  code: string;
  /** 1-based line of the opening fence in the source file. */
  line: number;
}

export type { StepDraft };

export type FenceMeaning =
  { type: 'plain' } | { type: 'step'; step: StepDraft } | { type: 'output'; match: MatchMode; again: boolean };

export const OUTPUT_LANG = 'output';

const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);
const PYTHON_LANGS = new Set(['python', 'py']);
const REPL_LANGS = new Set(['pycon', 'python-repl']);

/** Attributes that only make sense when the runner executes code in a directory. */
const EXECUTION_ONLY = ['cwd', 'timeout', 'background', 'port', 'ready', 'stops', 'done', 'checkpoint'] as const;

export function readFence(fence: Fence, file: string): FenceMeaning {
  const fail = (reason: string): never => {
    throw new ContentError(file, fence.line, reason);
  };
  const lang = (fence.lang ?? '').trim();

  if (lang === OUTPUT_LANG) {
    const raw = hasAttributeBlock(fence.meta) ? parseOrFail(fence.meta!, fail) : {};
    const parsed = outputAttributes.safeParse(raw);
    if (!parsed.success) fail(describeIssues(parsed.error, 'output'));
    if (parsed.data!.match === 'regex') {
      try {
        new RegExp(fence.code.trim(), 'm');
      } catch (error) {
        fail(`the expected output is not a valid regular expression: ${(error as Error).message}`);
      }
    }
    return { type: 'output', match: parsed.data!.match, again: parsed.data!.again ?? false };
  }

  if (!hasAttributeBlock(fence.meta)) {
    if (fence.meta && /\bid=/.test(fence.meta)) {
      fail(`step attributes must be wrapped in braces: \`\`\`${lang} {${fence.meta.trim()}}`);
    }
    return { type: 'plain' };
  }

  const raw = parseOrFail(fence.meta!, fail);
  if (!('id' in raw)) fail('a runnable step needs an id, like {id=my-step}');
  const parsed = stepAttributes.safeParse(raw);
  if (!parsed.success) fail(describeIssues(parsed.error, 'step'));
  const attrs = parsed.data!;
  const kind = attrs.kind ?? inferKind(lang, attrs) ?? fail(cannotInferKind(lang));
  checkKindRules(kind, attrs, fail);

  const cwd = attrs.cwd;
  let target: string | undefined;
  if (attrs.file !== undefined) {
    const joined = joinWorkspacePath(cwd ?? '.', attrs.file);
    if ('error' in joined) fail(`attribute "file": ${joined.error}`);
    target = (joined as { path: string }).path;
  }

  return {
    type: 'step',
    step: {
      id: attrs.id,
      kind,
      lang: lang || 'text',
      code: fence.code,
      source: { file, line: fence.line },
      ...(cwd !== undefined && { cwd }),
      ...(target !== undefined && { file: target }),
      ...(attrs.find !== undefined && { find: attrs.find }),
      append: attrs.append ?? false,
      background: attrs.background ?? false,
      ...(attrs.port !== undefined && { port: attrs.port }),
      ...(attrs.ready !== undefined && { ready: attrs.ready }),
      requires: [...new Set(attrs.requires ?? [])],
      stops: attrs.stops ?? [],
      timeoutMs: attrs.timeout ?? DEFAULT_TIMEOUT_MS,
      ...((attrs.title ?? target) !== undefined && { title: attrs.title ?? target }),
      ...(attrs.checkpoint !== undefined && { checkpoint: attrs.checkpoint === true ? '' : attrs.checkpoint }),
      ...(attrs.done !== undefined && { done: attrs.done }),
    },
  };
}

function parseOrFail(meta: string, fail: (reason: string) => never): Record<string, string | true> {
  try {
    return Object.fromEntries(parseAttributeBlock(meta).map((a) => [a.key, a.value]));
  } catch (error) {
    if (error instanceof AttributeSyntaxError) return fail(error.message);
    throw error;
  }
}

function inferKind(lang: string, attrs: StepAttributes): StepKind | undefined {
  if (attrs.find !== undefined || attrs.append) return 'edit';
  if (attrs.file !== undefined) return 'file';
  if (SHELL_LANGS.has(lang)) return 'shell';
  if (PYTHON_LANGS.has(lang)) return 'python';
  if (REPL_LANGS.has(lang)) return 'repl';
  return undefined;
}

function cannotInferKind(lang: string): string {
  return (
    `cannot tell what kind of step a "${lang || 'plain'}" block is; ` +
    'add kind=shell|file|edit|python|repl|manual (file steps also need file=...)'
  );
}

function checkKindRules(kind: StepKind, attrs: StepAttributes, fail: (reason: string) => never): void {
  const given = (key: keyof StepAttributes) => attrs[key] !== undefined;
  const forbid = (keys: readonly (keyof StepAttributes)[], why: string) => {
    for (const key of keys) if (given(key)) fail(`attribute "${key}" ${why}`);
  };

  if ((kind === 'file' || kind === 'edit') && !given('file')) {
    fail(`a ${kind} step needs file=<path inside the workspace>`);
  }
  if (kind !== 'file' && kind !== 'edit') forbid(['file'], `is only for file and edit steps, not ${kind}`);
  if (kind !== 'edit') forbid(['find', 'append'], `is only for edit steps, not ${kind}`);
  if (kind === 'edit' && given('find') === Boolean(attrs.append)) {
    fail('an edit step needs exactly one of find="<text to replace>" or append');
  }
  if (kind !== 'shell') forbid(['background', 'port', 'ready'], `is only for shell steps, not ${kind}`);
  if (kind === 'manual') forbid(EXECUTION_ONLY, 'means nothing on a manual step, which the runner never executes');
  if (given('ready') && !given('port')) fail('attribute "ready" needs port=<number> to poll');
}

function describeIssues(error: z.ZodError, what: 'step' | 'output'): string {
  const known = Object.keys((what === 'step' ? stepAttributes : outputAttributes).shape);
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => `unknown ${what} attribute "${key}" (known: ${known.join(', ')})`).join('; ');
      }
      const key = String(issue.path[0] ?? '');
      return key ? `attribute "${key}": ${issue.message}` : issue.message;
    })
    .join('; ');
}
