/**
 * What a step is: the attribute schema of a runnable fence, and the `Step` record that the site,
 * the runner and the e2e tests share. Every attribute is documented where it is defined.
 */
import { z } from 'zod';
import { normalizeWorkspacePath } from './workspace-path.ts';

export const STEP_KINDS = ['shell', 'file', 'edit', 'python', 'repl', 'manual'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const REQUIREMENTS = ['docker', 'internet', 'root'] as const;
export type Requirement = (typeof REQUIREMENTS)[number];

export const MATCH_MODES = ['exact', 'contains', 'regex', 'none'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

/** A path inside the workspace, normalized; `..` out of it, absolute paths and `~user` are refused. */
const workspacePath = z.string().transform((written, ctx) => {
  const result = normalizeWorkspacePath(written);
  if ('error' in result) {
    ctx.issues.push({ code: 'custom', message: result.error, input: written });
    return z.NEVER;
  }
  return result.path;
});

const flag = z.union([z.literal(true), z.enum(['true', 'false'])]).transform((v) => v === true || v === 'true');

const positiveInt = (what: string, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `expected ${what}`)
    .transform(Number)
    .pipe(z.number().int().min(1, `expected ${what}`).max(max, `expected ${what}`));

/** "90", "90s", "5m", "1500ms" → milliseconds. */
const duration = z
  .string()
  .regex(/^\d+(ms|s|m)?$/, 'expected a duration such as 30s, 5m or 1500ms')
  .transform((text) => {
    const n = Number.parseInt(text, 10);
    if (text.endsWith('ms')) return n;
    if (text.endsWith('m')) return n * 60_000;
    return n * 1000;
  })
  .pipe(
    z
      .number()
      .min(100, 'a timeout under 100ms is too short to be useful')
      .max(24 * 3_600_000, 'a timeout over 24 hours is surely a typo'),
  );

const requirementList = z
  .string()
  .transform((text) => text.split(',').map((r) => r.trim()))
  .pipe(
    z.array(
      z.enum(REQUIREMENTS, {
        error: (issue) => `unknown requirement ${JSON.stringify(issue.input)} (known: ${REQUIREMENTS.join(', ')})`,
      }),
    ),
  );

/** Attributes on a runnable fence: ```sh {id=... cwd=...} */
export const stepAttributes = z.strictObject({
  /** Stable id, unique across the whole site; the runner, status storage and tests refer to it. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes, like build-weweb01'),
  /** What the runner does with the code. Inferred from the language and `file` when omitted. */
  kind: z.enum(STEP_KINDS).optional(),
  /** Working directory, relative to the workspace root (`~/` means the workspace home). */
  cwd: workspacePath.optional(),
  /** For `file` and `edit` steps: the file to write or change, relative to `cwd` or the workspace root. */
  file: workspacePath.optional(),
  /** For `edit` steps: the exact text to replace with the block's code. */
  find: z.string().min(1).optional(),
  /** For `edit` steps: append the block's code to the file instead of replacing `find`. */
  append: flag.optional(),
  /** A long-running process (a server): started, reported ready, stopped on request. */
  background: flag.optional(),
  /** A TCP port the step opens; the step is ready when it answers. */
  port: positiveInt('a port number from 1 to 65535', 65535).optional(),
  /** HTTP path polled on `port` until it answers, e.g. `/`. Without it a TCP connect is enough. */
  ready: z.string().startsWith('/', 'expected an HTTP path starting with /').optional(),
  /** What the step needs from the machine, comma separated: docker, internet, root. */
  requires: requirementList.optional(),
  /** Background steps to stop before this one runs, comma separated (the reader's Ctrl+C). */
  stops: z
    .string()
    .transform((text) => text.split(',').map((id) => id.trim()))
    .pipe(z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected step ids separated by commas')))
    .optional(),
  /** How long the step may run (or take to become ready) before it is stopped. */
  timeout: duration.optional(),
  /** A caption shown above the code; file steps show their path by default. */
  title: z.string().min(1).optional(),
  /**
   * A place where the learner should look at something (open :8000, open :80): Run all pauses
   * after this step until the learner continues. A bare `checkpoint` uses the page's standard
   * words; a text says what to look at. `npm run verify` does not pause.
   */
  checkpoint: z.union([z.literal(true), z.string().min(1)]).optional(),
  /**
   * A shell test that is true when the step's effect is already there (e.g. `test -d myapp`):
   * the step then ends as "already done" instead of failing on a re-run. Runs in the step's `cwd`.
   */
  done: z.string().min(1).optional(),
});
export type StepAttributes = z.output<typeof stepAttributes>;

/** Attributes on an expected-output fence: ```output {match=contains} */
export const outputAttributes = z.strictObject({
  /** How the runner compares this text with what the step printed; `none` only shows it. */
  match: z.enum(MATCH_MODES).default('none'),
  /**
   * What a re-run prints, when a real tool answers differently the second time (migrate's
   * "No migrations to apply."): a second output block after the first, marked `again`.
   */
  again: flag.optional(),
});

export interface ExpectedOutput {
  match: MatchMode;
  text: string;
  line: number;
}

/** One runnable step, as written to `dist/steps.json` and loaded by the runner. */
export interface Step {
  id: string;
  /** The chapter's content id (its file name without extension). */
  chapter: string;
  /** 0-based position within the chapter. */
  order: number;
  kind: StepKind;
  /** The fence language, for highlighting and display. */
  lang: string;
  code: string;
  /** sha256 of everything that affects execution; the page sends it so stale pages are refused. */
  hash: string;
  source: { file: string; line: number };
  cwd?: string;
  file?: string;
  find?: string;
  append: boolean;
  background: boolean;
  port?: number;
  ready?: string;
  requires: Requirement[];
  /** Ids of background steps the runner stops before running this one. */
  stops: string[];
  timeoutMs: number;
  title?: string;
  expect?: ExpectedOutput;
  /** What a re-run prints instead (an output block marked `again`); matching it is a pass too. */
  expectAgain?: ExpectedOutput;
  /** Run all pauses after this step; the text says what to look at ('' = the standard words). */
  checkpoint?: string;
  /** Shell test for "the effect is already there"; see the `done` attribute. */
  done?: string;
  /** The heading the step sits under, for accessible names ("Run: Start the project"). */
  heading?: string;
  /** 1-based position among the steps under the same heading, and how many there are. */
  headingPart?: { index: number; of: number };
  /**
   * Never in the manifest: set by the runner on the copy of a step it runs with the learner's
   * edited code (runner/runs/edited-step.ts), so the run's status and transcript say so.
   */
  edited?: true;
}

export const DEFAULT_TIMEOUT_MS = 120_000;
