/**
 * The step integration under `astro dev`: chapters are re-read when one is saved, so the pages'
 * manifest (the virtual module) and the runner's (a file that `npm run dev` watches) follow the
 * editor. A bad fence is reported in the terminal and in the browser's error overlay as
 * `content/<file>:<line>: <reason>`; the last good manifest stays until it is fixed.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AstroIntegrationLogger } from 'astro';
import type { ViteDevServer } from 'vite';
import { DEV_ENV } from '../../contract/dev-mode.ts';
import { MANIFEST_VERSION, type Manifest } from '../../contract/manifest.ts';
import { collectContent } from './collect.ts';
import { ContentErrors } from './content-error.ts';
import { RESOLVED_MANIFEST_MODULE } from './manifest-module.ts';

/** Where `npm run dev`'s runner is, from the environment it started Astro with; undefined under a plain `astro dev`. */
export function devRunner(env: NodeJS.ProcessEnv = process.env): { url: string; manifestFile: string } | undefined {
  const url = env[DEV_ENV.runnerUrl];
  const manifestFile = env[DEV_ENV.manifestFile];
  if (!url || !manifestFile) return undefined;
  return { url, manifestFile };
}

/**
 * The first collect under `astro dev`. A build stops at a bad fence; the dev server starts anyway,
 * without steps, so the author sees the error on the page (the chapter fails to render with it)
 * and fixing the line brings the steps back (watchChapters).
 */
export function collectForDev(contentDir: string, root: string, logger: AstroIntegrationLogger): Manifest {
  try {
    return collectContent(contentDir, root);
  } catch (error) {
    if (!(error instanceof ContentErrors)) throw error;
    logger.error(`${error.message}\nStarting without steps until the chapters read cleanly.`);
    return { version: MANIFEST_VERSION, chapters: [], steps: [] };
  }
}

/** Vite settings that put the runner's API under the dev server's own origin. */
export function devProxyConfig(runnerUrl: string) {
  return {
    server: {
      // The runner allows exactly one page origin; a dev server that moved to the next free port
      // would have another, so a busy port is an error instead.
      strictPort: true,
      // changeOrigin: the runner sees its own Host (it refuses other names, against DNS rebinding);
      // the browser's Origin passes through unchanged for the runner to check. ws: the terminal.
      proxy: { '/api': { target: runnerUrl, changeOrigin: true, ws: true } },
    },
  };
}

/** Writes the manifest for the runner in one step (rename), so it never reads half a file. */
export function writeManifestFile(file: string, manifest: Manifest): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(partial, file);
}

interface WatchOptions {
  server: ViteDevServer;
  logger: AstroIntegrationLogger;
  /** Absolute path of the chapters' folder. */
  contentDir: string;
  root: string;
  /** Called with each manifest that collected without errors. */
  onManifest(manifest: Manifest): void;
}

/** Re-collects the manifest whenever a chapter is added, saved or removed. */
export function watchChapters({ server, logger, contentDir, root, onManifest }: WatchOptions): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const recollect = () => {
    let manifest: Manifest;
    try {
      manifest = collectContent(contentDir, root);
    } catch (error) {
      const message = (error as Error).message;
      logger.error(message);
      // Vite's overlay in every open page; the chapter's own page also fails to render with it.
      server.hot.send({ type: 'error', err: { message, stack: '' } });
      return;
    }
    onManifest(manifest);
    logger.info(`${manifest.steps.length} steps in ${manifest.chapters.length} chapters (re-read)`);
    // Pages import the manifest (chapter toolbar, YAML live view): reload it and what imports it.
    for (const environment of Object.values(server.environments)) {
      const module = environment.moduleGraph.getModuleById(RESOLVED_MANIFEST_MODULE);
      if (module) void environment.reloadModule(module);
    }
  };
  server.watcher.on('all', (event, file) => {
    if (!file.startsWith(contentDir + path.sep) || !file.endsWith('.mdx')) return;
    if (event !== 'add' && event !== 'change' && event !== 'unlink') return;
    clearTimeout(timer);
    timer = setTimeout(recollect, 50); // an editor's save can be several writes
  });
}
