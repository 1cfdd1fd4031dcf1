/**
 * Astro integration that wires the step model into the build: validates every chapter before
 * anything renders (so a bad fence fails fast with content/<file>:<line>), hands the manifest to
 * the pages as a virtual module, renders steps through the Sätteri plugin, and writes
 * dist/steps.json for the runner. The manifest is collected once per build; under `astro dev` again
 * whenever a chapter changes (dev-server.ts), and `npm run dev` hands each one to its runner.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { isSatteriProcessor } from '@astrojs/markdown-satteri';
import { collectContent } from './collect.ts';
import { CONTENT_DIR } from './content-dir.ts';
import { collectForDev, devProxyConfig, devRunner, watchChapters, writeManifestFile } from './dev-server.ts';
import { manifestModule } from './manifest-module.ts';
import type { Manifest } from '../../contract/manifest.ts';
import { renderStepsPlugin } from './render-steps.ts';
import { VERIFIED_FILE, verifiedOutputs } from '../../contract/verified-output.ts';

export const MANIFEST_FILE = 'steps.json';

export default function runnableSteps({ contentDir = CONTENT_DIR } = {}): AstroIntegration {
  let root = '';
  let absContent = '';
  let manifest: Manifest | undefined;
  const runner = devRunner();
  return {
    name: 'runnable-steps',
    hooks: {
      'astro:config:setup': ({ config, command, logger, updateConfig }) => {
        root = fileURLToPath(config.root);
        absContent = path.resolve(root, contentDir);
        const collected =
          command === 'dev' ? collectForDev(absContent, root, logger) : collectContent(absContent, root);
        manifest = collected;
        logger.info(`${collected.steps.length} steps in ${collected.chapters.length} chapters`);
        updateConfig({ vite: { plugins: [manifestModule(() => manifest!)] } });
        if (command === 'dev' && runner) {
          writeManifestFile(runner.manifestFile, collected);
          updateConfig({ vite: devProxyConfig(runner.url) });
        }

        const processor = config.markdown.processor;
        if (!processor || !isSatteriProcessor(processor)) {
          throw new Error('runnable-steps needs the Sätteri markdown processor (Astro 7 default)');
        }
        const verifiedFile = path.resolve(root, VERIFIED_FILE);
        processor.options.mdastPlugins.push(
          renderStepsPlugin({ contentDir: absContent, root, verified: () => verifiedOutputs(verifiedFile) }),
        );
      },
      'astro:server:setup': ({ server, logger }) => {
        watchChapters({
          server,
          logger,
          contentDir: absContent,
          root,
          onManifest: (next) => {
            manifest = next;
            if (runner) writeManifestFile(runner.manifestFile, next);
          },
        });
      },
      'astro:build:done': ({ dir, logger }) => {
        if (!manifest) throw new Error('runnable-steps: the build finished before the manifest was collected');
        const out = fileURLToPath(dir);
        mkdirSync(out, { recursive: true });
        writeFileSync(path.join(out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
        logger.info(`wrote ${MANIFEST_FILE} (${manifest.steps.length} steps)`);
      },
    },
  };
}
