// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import runnableSteps from './src/steps/astro-integration.ts';
import { ROOT_LOCALE, TRANSLATIONS } from './src/steps/locales.ts';
import { scrollingBlockNames } from './src/code-blocks/region-names-plugin.ts';
import { stepCodeNames } from './src/steps/code-names.ts';

export default defineConfig({
  // The runner serves the built site from its own origin; nothing here points at another host.
  site: 'http://127.0.0.1:4321',
  integrations: [
    starlight({
      title: { en: 'Docker basics with Django', ko: 'Django로 배우는 도커 기초' },
      // English at the root: the URLs learners, the runner's link and the tests already use stay
      // as they are, and Korean is one click (the picker) or one redirect away (the runner sends a
      // browser that prefers Korean from its link to /ko/). See src/steps/locales.ts.
      defaultLocale: 'root',
      locales: {
        root: { label: ROOT_LOCALE.label, lang: ROOT_LOCALE.lang },
        ...Object.fromEntries(TRANSLATIONS.map((l) => [l.dir, { label: l.label, lang: l.lang }])),
      },
      description: 'A runnable tutorial: Python, YAML, Django, Docker, Nginx and Gunicorn, step by step.',
      sidebar: [
        { label: 'Start here', translations: { ko: '시작하기' }, link: '/' },
        {
          label: 'Chapters',
          translations: { ko: '장' },
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
        Hero: './src/components/Hero.astro',
      },
      customCss: [
        './src/styles/steps.css',
        './src/styles/learner-hands.css',
        './src/styles/korean.css',
        './src/styles/search-button.css',
      ],
      expressiveCode: { themes: ['github-dark', 'github-light'], plugins: [stepCodeNames(), scrollingBlockNames()] },
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
