// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import runnableSteps from './src/steps/astro-integration.ts';

export default defineConfig({
  // The runner serves the built site from its own origin; nothing here points at another host.
  site: 'http://127.0.0.1:4321',
  integrations: [
    starlight({
      title: 'Docker basics with Django',
      description: 'A runnable tutorial: Python, YAML, Django, Docker, Nginx and Gunicorn, step by step.',
      sidebar: [
        { label: 'Start here', link: '/' },
        {
          label: 'Chapters',
          items: [
            'environment',
            'yaml',
            'django-in-docker',
            'nginx-gunicorn',
            'postgres-containers',
            'local-postgres',
            'docker-compose',
          ],
        },
      ],
      components: {
        Head: './src/components/Head.astro',
        PageTitle: './src/components/PageTitle.astro',
      },
      customCss: ['./src/styles/steps.css'],
      expressiveCode: { themes: ['github-dark', 'github-light'] },
      lastUpdated: false,
      pagination: true,
    }),
    runnableSteps(),
  ],
});
