/**
 * Astro integration that wires the step model into the build: validates every chapter before
 * anything renders (so a bad fence fails fast with content/<file>:<line>), renders steps through
 * the Sätteri plugin, and writes dist/steps.json for the runner.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { isSatteriProcessor } from '@astrojs/markdown-satteri';
import { collectContent } from './collect.ts';
import { CONTENT_DIR } from './content-dir.ts';
import { renderStepsPlugin } from './render-steps.ts';
import { VERIFIED_FILE, verifiedOutputs } from './verified-output.ts';

export const MANIFEST_FILE = 'steps.json';

export default function runnableSteps({ contentDir = CONTENT_DIR } = {}): AstroIntegration {
  let root = '';
  return {
    name: 'runnable-steps',
    hooks: {
      'astro:config:setup': ({ config, logger }) => {
        root = fileURLToPath(config.root);
        const absContent = path.resolve(root, contentDir);
        const manifest = collectContent(absContent, root); // throws ContentErrors with file:line
        logger.info(`${manifest.steps.length} steps in ${manifest.chapters.length} chapters`);

        const processor = config.markdown.processor;
        if (!processor || !isSatteriProcessor(processor)) {
          throw new Error('runnable-steps needs the Sätteri markdown processor (Astro 7 default)');
        }
        const verifiedFile = path.resolve(root, VERIFIED_FILE);
        processor.options.mdastPlugins.push(
          renderStepsPlugin({ contentDir: absContent, root, verified: () => verifiedOutputs(verifiedFile) }),
        );
      },
      'astro:build:done': ({ dir, logger }) => {
        // Collected again so the manifest matches the files as they were when the pages rendered.
        const manifest = collectContent(path.resolve(root, contentDir), root);
        const out = fileURLToPath(dir);
        mkdirSync(out, { recursive: true });
        writeFileSync(path.join(out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
        logger.info(`wrote ${MANIFEST_FILE} (${manifest.steps.length} steps)`);
      },
    },
  };
}
