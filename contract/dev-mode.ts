/**
 * `npm run dev` runs two processes: the runner (runner/dev.ts) and, as its child, Astro's dev
 * server with the step integration. These environment variables are how the runner tells the
 * integration where the runner's API is and where to leave the manifest each time chapters change.
 */
export const DEV_ENV = {
  /** The runner API's base URL (http://127.0.0.1:<port>); the dev server forwards /api/ there. */
  runnerUrl: 'RUNNABLE_DEV_RUNNER_URL',
  /** A file the integration rewrites with the manifest after every change; the runner watches it. */
  manifestFile: 'RUNNABLE_DEV_MANIFEST_FILE',
} as const;
