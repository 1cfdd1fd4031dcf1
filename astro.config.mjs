// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import runnableSteps from './src/steps/astro-integration.ts';
import { stepCodeNames } from './src/steps/code-names.ts';

export default defineConfig({
  // The runner serves the built site from its own origin; nothing here points at another host.
  site: 'http://127.0.0.1:4321',
  integrations: [
    starlight({
      title: 'Docker basics with Django',
      description: 'A runnable tutorial: Python, YAML, Django, Docker, Nginx and Gunicorn, step by step.',
      sidebar: [
        { label: 'Start here', link: '/' },
        { label: 'Chapters', items: ['environment', 'yaml', 'django-in-docker', 'nginx-gunicorn'] },
      ],
      components: {
        Head: './src/components/Head.astro',
        PageTitle: './src/components/PageTitle.astro',
        Hero: './src/components/Hero.astro',
      },
      customCss: ['./src/styles/steps.css'],
      expressiveCode: { themes: ['github-dark', 'github-light'], plugins: [stepCodeNames()] },
      lastUpdated: false,
      pagination: true,
      disable404Route: true, // src/pages/404.astro
    }),
    runnableSteps(),
  ],
  vite: {
    build: {
      rollupOptions: {
        // Astro marks every MDX page's module with "use astro:head-inject", which it handles itself;
        // the bundler's notice that it cannot keep such directives is about Astro's own code.
        onwarn(warning, warn) {
          if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
        },
      },
    },
  },
});
