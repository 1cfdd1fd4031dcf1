/**
 * The real site build: every chapter page exists, the manifest's step ids are exactly the ids on
 * the pages, nothing on a page loads from another host, and a bad fence fails the build with
 * content/<file>:<line>.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { Manifest } from '../contract/manifest.ts';
import { TRANSLATIONS } from '../src/steps/locales.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CHAPTERS = [
  'environment',
  'yaml',
  'django-in-docker',
  'nginx-gunicorn',
  'postgres-containers',
  'local-postgres',
  'docker-compose',
];
/** Where each language's pages are: English at the root, Korean under /ko/. */
const LANGUAGE_PREFIXES = ['', ...TRANSLATIONS.map((l) => l.dir)];
/** Every chapter but the first runs offline in the lab, so each of their steps has verified output. */
const VERIFIED_CHAPTERS = CHAPTERS.slice(1);

function astroBuild(outDir: string, env: Record<string, string> = {}) {
  return spawnSync('npx', ['astro', 'build', '--outDir', outDir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env },
  });
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('site build', { timeout: 300_000 }, () => {
  let out: string;
  let manifest: Manifest;

  before(() => {
    out = mkdtempSync(path.join(tmpdir(), 'site-'));
    const result = astroBuild(out);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    manifest = JSON.parse(readFileSync(path.join(out, 'steps.json'), 'utf8')) as Manifest;
  });

  it('builds a page for every chapter', () => {
    for (const chapter of CHAPTERS)
      assert.ok(existsSync(path.join(out, chapter, 'index.html')), `missing ${chapter}/index.html`);
    assert.deepEqual(
      manifest.chapters.map((c) => c.id),
      CHAPTERS,
    );
  });

  it('writes a manifest whose step ids are exactly the ids on the pages, in page order, in every language', () => {
    for (const prefix of LANGUAGE_PREFIXES) {
      for (const chapter of manifest.chapters) {
        const html = readFileSync(path.join(out, prefix, chapter.id, 'index.html'), 'utf8');
        const onPage = [...html.matchAll(/<runnable-step[^>]*\sdata-step-id="([^"]+)"/g)].map((m) => m[1]);
        assert.deepEqual(onPage, chapter.steps, `chapter ${prefix}/${chapter.id}`);
      }
    }
    const all = manifest.steps.map((s) => s.id);
    assert.equal(new Set(all).size, all.length);
  });

  it('puts the manifest hash of each step on its page in every language, so the runner can refuse stale pages', () => {
    for (const prefix of LANGUAGE_PREFIXES) {
      for (const step of manifest.steps) {
        const html = readFileSync(path.join(out, prefix, step.chapter, 'index.html'), 'utf8');
        assert.ok(
          new RegExp(`data-step-id="${step.id}"[^>]*\\sdata-hash="${step.hash}"`).test(html),
          `${prefix}/${step.id}: hash ${step.hash} not on its page`,
        );
      }
    }
  });

  it('gives each language its own pages: the lang attribute and a real translation, not a fallback', () => {
    for (const chapter of CHAPTERS) {
      const en = readFileSync(path.join(out, chapter, 'index.html'), 'utf8');
      const ko = readFileSync(path.join(out, 'ko', chapter, 'index.html'), 'utf8');
      assert.match(en, /<html[^>]*\slang="en"/, `${chapter}: lang`);
      assert.match(ko, /<html[^>]*\slang="ko"/, `ko/${chapter}: lang`);
      const prose = (html: string) => html.replace(/<[^>]+>/g, ' ');
      assert.ok(/[가-힣]{2,}/.test(prose(ko)), `ko/${chapter} has no Korean text`);
      assert.ok(!/not available in your language/i.test(ko), `ko/${chapter} is Starlight's English fallback`);
    }
  });

  it('shows the last verified output under every step of chapters 2-7 (all that can run offline)', () => {
    for (const step of manifest.steps) {
      if (!VERIFIED_CHAPTERS.includes(step.chapter) || step.requires.includes('internet')) continue;
      const html = readFileSync(path.join(out, step.chapter, 'index.html'), 'utf8');
      const start = html.indexOf(`data-step-id="${step.id}"`);
      const end = html.indexOf('</runnable-step>', start);
      assert.match(
        html.slice(start, end),
        /class="step-verified"[\s\S]*Last verified output · \d{4}-\d{2}-\d{2} · Docker/,
        step.id,
      );
    }
  });

  it('loads nothing from another host: scripts, styles, images and fonts are local', () => {
    const external =
      /(?:<(?:script|img|iframe|source|video|audio)[^>]*\ssrc|<link[^>]*\shref)="((?:https?:)?\/\/[^"]+)"/g;
    for (const file of htmlFiles(out)) {
      const html = readFileSync(file, 'utf8');
      for (const match of html.matchAll(external)) {
        if (/<link[^>]*rel="(?:canonical|sitemap|alternate)"/.test(match[0])) continue;
        assert.fail(`${path.relative(out, file)} loads ${match[1]}`);
      }
    }
    const css = readdirSync(path.join(out, '_astro')).filter((f) => f.endsWith('.css'));
    for (const file of css) {
      const text = readFileSync(path.join(out, '_astro', file), 'utf8');
      assert.doesNotMatch(text, /url\((["']?)(?:https?:)?\/\//, file);
      assert.doesNotMatch(text, /@import\s+(?:url\()?["']?(?:https?:)?\/\//, file);
    }
  });
});

describe('a bad fence', { timeout: 120_000 }, () => {
  it('fails the build with every problem at content/<file>:<line>', () => {
    const result = astroBuild(mkdtempSync(path.join(tmpdir(), 'bad-')), {
      TUTORIAL_CONTENT_DIR: 'test/fixtures/bad-content',
    });
    assert.notEqual(result.status, 0);
    const output = result.stdout + result.stderr;
    assert.match(
      output,
      /test\/fixtures\/bad-content\/broken\.mdx:11: duplicate step id "fine" \(first used at [^)]*broken\.mdx:7\)/,
    );
    assert.match(output, /test\/fixtures\/bad-content\/broken\.mdx:15: attribute "port": expected a port number/);
  });

  it("fails the build at the translation's line when a translated step differs from its source", () => {
    const result = astroBuild(mkdtempSync(path.join(tmpdir(), 'bad-')), {
      TUTORIAL_CONTENT_DIR: 'test/fixtures/bad-content',
    });
    assert.notEqual(result.status, 0);
    assert.match(
      result.stdout + result.stderr,
      /test\/fixtures\/bad-content\/ko\/broken\.mdx:7: step "fine" differs from test\/fixtures\/bad-content\/broken\.mdx:7 in its code; translate the prose around a step, never the step/,
    );
  });
});
