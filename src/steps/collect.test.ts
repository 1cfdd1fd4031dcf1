import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { collectChapter, collectContent } from './collect.ts';
import { ContentErrors } from './content-error.ts';

const chapter = (body: string, order = 1) => `---\ntitle: Demo\nsidebar:\n  order: ${order}\n---\n\n${body}`;
const fence = (info: string, code = 'echo hi') => `\`\`\`${info}\n${code}\n\`\`\`\n`;

/** Asserts collecting throws exactly these `file:line: reason` messages (reason as a regexp). */
function refuses(fn: () => unknown, expected: [string, RegExp][]) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ContentErrors, `expected ContentErrors, got ${String(e)}`);
    assert.equal(e.problems.length, expected.length, e.message);
    e.problems.forEach((err, i) => {
      assert.equal(`${err.file}:${err.line}`, expected[i]![0]);
      assert.match(err.reason, expected[i]![1]);
    });
    return true;
  });
}

function contentDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'content-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('collecting a chapter', () => {
  it('numbers steps in page order and reports real source lines past the frontmatter', () => {
    const { chapter: ch, steps } = collectChapter(
      chapter(`# Title\n\n${fence('sh {id=one}')}\nProse.\n\n${fence('sh {id=two}')}`),
      'content/demo.mdx',
    );
    assert.equal(ch.id, 'demo');
    assert.equal(ch.order, 1);
    assert.deepEqual(
      steps.map((s) => [s.id, s.source.line]),
      [
        ['one', 9],
        ['two', 15],
      ],
    );
  });

  it('finds steps nested inside JSX components', () => {
    const { steps } = collectChapter(chapter(`<div>\n\n${fence('sh {id=nested}')}\n</div>\n`), 'content/d.mdx');
    assert.deepEqual(
      steps.map((s) => s.id),
      ['nested'],
    );
  });

  it('attaches an output fence to the step before it', () => {
    const { steps } = collectChapter(
      chapter(`${fence('sh {id=one}')}\nSome prose.\n\n${fence('output {match=contains}', 'hi')}`),
      'content/d.mdx',
    );
    assert.deepEqual(steps[0]!.expect, { match: 'contains', text: 'hi', line: 13 });
  });

  it('names each step by the heading it sits under, numbered when several share one', () => {
    const { steps } = collectChapter(
      chapter(
        `## Start the project\n\n${fence('sh {id=a}')}\n## Build and run it\n\n${fence('sh {id=b}')}\n${fence('sh {id=c}')}`,
      ),
      'content/demo.mdx',
    );
    assert.deepEqual(
      steps.map((s) => [s.id, s.heading, s.headingPart]),
      [
        ['a', 'Start the project', undefined],
        ['b', 'Build and run it', { index: 1, of: 2 }],
        ['c', 'Build and run it', { index: 2, of: 2 }],
      ],
    );
  });

  it('attaches an output block marked `again` as what a re-run prints', () => {
    const { steps } = collectChapter(
      chapter(
        `${fence('sh {id=m}')}\n${fence('output {match=contains}', 'Applying')}\n${fence('output {match=contains again}', 'No migrations to apply.')}`,
      ),
      'content/demo.mdx',
    );
    assert.equal(steps[0]!.expect?.text, 'Applying');
    assert.equal(steps[0]!.expectAgain?.text, 'No migrations to apply.');
  });

  it('refuses an `again` block without the step’s own output block before it', () =>
    refuses(
      () => collectChapter(chapter(`${fence('sh {id=m}')}\n${fence('output {again}', 'x')}`), 'content/demo.mdx'),
      [['content/demo.mdx:11', /must follow the output block of the step/]],
    ));

  it('refuses an output fence that follows plain code, with its line', () => {
    refuses(
      () =>
        collectChapter(chapter(`${fence('sh {id=one}')}\n${fence('text')}\n${fence('output', 'x')}`), 'content/d.mdx'),
      [['content/d.mdx:15', /must follow the runnable step/]],
    );
  });

  it('reports every bad fence in a file at once', () => {
    refuses(
      () => collectChapter(chapter(`${fence('sh {id=a port=x}')}\n${fence('sh {cwd=/abs}')}`), 'content/d.mdx'),
      [
        ['content/d.mdx:7', /attribute "port"/],
        ['content/d.mdx:11', /needs an id/],
      ],
    );
  });
});

describe('collecting the content folder', () => {
  it('orders chapters by sidebar order and writes a hash per step', () => {
    const dir = contentDir({
      'b.mdx': chapter(fence('sh {id=second}'), 2),
      'a.mdx': chapter(fence('sh {id=first}'), 3),
      'notes.md': 'not a chapter',
    });
    const manifest = collectContent(dir, dir);
    assert.deepEqual(
      manifest.chapters.map((c) => [c.id, c.steps]),
      [
        ['b', ['second']],
        ['a', ['first']],
      ],
    );
    assert.match(manifest.steps[0]!.hash, /^[0-9a-f]{16}$/);
    assert.equal(manifest.steps[0]!.source.file, 'b.mdx');
  });

  it('changes a step hash when its code changes', () => {
    const one = collectContent(contentDir({ 'a.mdx': chapter(fence('sh {id=x}', 'echo 1')) }));
    const two = collectContent(contentDir({ 'a.mdx': chapter(fence('sh {id=x}', 'echo 2')) }));
    assert.notEqual(one.steps[0]!.hash, two.steps[0]!.hash);
  });

  it('refuses a duplicate id across files, pointing at both places', () => {
    const dir = contentDir({
      'a.mdx': chapter(fence('sh {id=same}'), 1),
      'b.mdx': chapter(`\n\n${fence('sh {id=same}')}`, 2),
    });
    refuses(() => collectContent(dir, dir), [['b.mdx:9', /duplicate step id "same" \(first used at a\.mdx:7\)/]]);
  });

  it('refuses stops= naming a missing or non-background step', () => {
    const dir = contentDir({
      'a.mdx': chapter(
        `${fence('sh {id=plain}')}\n${fence('sh {id=x stops=plain}')}\n${fence('sh {id=y stops=ghost}')}`,
      ),
    });
    refuses(
      () => collectContent(dir, dir),
      [
        ['a.mdx:11', /stops=plain: that step is not a background step/],
        ['a.mdx:15', /stops=ghost: there is no step with that id/],
      ],
    );
  });
});
