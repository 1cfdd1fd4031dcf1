/** A problem in a content file, reported as `content/<file>:<line>: <reason>` so editors can jump to it. */
export class ContentError extends Error {
  readonly file: string;
  readonly line: number;
  readonly reason: string;

  constructor(file: string, line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'ContentError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}

/**
 * Several content errors at once, so an author fixes them in one pass instead of one per build.
 * The list is `problems`, not `errors`: Astro treats an error with `errors` as an AggregateError and
 * prints only the first entry.
 */
export class ContentErrors extends Error {
  readonly problems: ContentError[];

  constructor(errors: ContentError[]) {
    super(
      `${errors.length} problem${errors.length === 1 ? '' : 's'} in the tutorial's steps:\n` +
        errors.map((e) => `  ${e.message}`).join('\n'),
    );
    this.name = 'ContentErrors';
    this.problems = errors;
  }
}
