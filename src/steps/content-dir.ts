/** Where the chapters are, relative to the project: content/, or TUTORIAL_CONTENT_DIR (test fixtures). */
export const CONTENT_DIR = process.env.TUTORIAL_CONTENT_DIR ?? 'content';
