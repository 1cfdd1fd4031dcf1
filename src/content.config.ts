import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';

// Chapters live in content/ at the top level (not src/content/docs), next to the runner that
// executes their steps; Starlight only needs the collection to be called "docs".
export const collections = {
  docs: defineCollection({
    loader: glob({ pattern: '**/*.mdx', base: './content' }),
    schema: docsSchema(),
  }),
};
