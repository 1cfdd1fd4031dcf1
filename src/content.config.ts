import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { CONTENT_DIR } from './steps/content-dir.ts';

// Chapters live in content/ at the top level (not src/content/docs), next to the runner that
// executes their steps; Starlight only needs the collection to be called "docs". The folder is
// the same setting the step integration reads (TUTORIAL_CONTENT_DIR for test fixtures).
export const collections = {
  docs: defineCollection({
    loader: glob({ pattern: '**/*.mdx', base: `./${CONTENT_DIR}` }),
    schema: docsSchema(),
  }),
  // The site's own interface texts beside Starlight's (src/content/i18n/<lang>.json).
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
};
