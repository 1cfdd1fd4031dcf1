import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { collectContent } from './collect.ts';
import { ContentErrors } from './content-error.ts';

const chapter = (title: string, body: string) => `---\ntitle: ${title}\n---\n\n${body}`;
const fence = (info: string, code = 'echo hi') => `\`\`\`${info}\n${code}\n\`\`\`\n`;
const source = chapter(
  'Demo',
  `Run it:\n\n${fence('sh {id=one}')}\n${fence('output {match=exact}', 'hi')}\nThen:\n\n${fence('sh {id=two}', 'echo two')}`,
);

function site(translation: string | undefined, name = 'a.mdx', english = source): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'content-'));
  writeFileSync(path.join(dir, 'a.mdx'), english);
  mkdirSync(path.join(dir, 'ko'));
  if (translation !== undefined) writeFileSync(path.join(dir, 'ko', name), translation);
  return dir;
}

function problems(dir: string): string[] {
  try {
    collectContent(dir, dir);
    return [];
  } catch (error) {
    assert.ok(error instanceof ContentErrors, String(error));
    return error.problems.map((p) => p.message);
  }
}

describe('a translated chapter', () => {
  it('passes with the same steps and translated prose, and adds nothing to the manifest', () => {
    const ko = chapter(
      '데모',
      `실행해 보세요:\n\n${fence('sh {id=one}')}\n${fence('output {match=exact}', 'hi')}\n다음:\n\n${fence('sh {id=two}', 'echo two')}`,
    );
    const dir = site(ko);
    assert.deepEqual(problems(dir), []);
    assert.deepEqual(
      collectContent(dir, dir).steps.map((s) => [s.id, s.source.file]),
      [
        ['one', 'a.mdx'],
        ['two', 'a.mdx'],
      ],
    );
    // The translation's title goes with the chapter, for the runner's messages on the Korean page.
    assert.deepEqual(collectContent(dir, dir).chapters[0]?.titles, { ko: '데모' });
  });

  it('may translate a step caption', () => {
    const ko = chapter(
      '데모',
      `${fence('sh {id=one title="첫 단계"}')}\n${fence('output {match=exact}', 'hi')}\n${fence('sh {id=two}', 'echo two')}`,
    );
    assert.deepEqual(problems(site(ko)), []);
  });

  it('may translate what a checkpoint asks to look at, but keeps the checkpoint where it is', () => {
    const english = chapter(
      'Demo',
      `${fence('sh {id=one checkpoint="Open :8000"}')}\n${fence('sh {id=two}', 'echo two')}`,
    );
    const translated = (attributes: string) =>
      chapter('데모', `${fence(`sh {id=one${attributes}}`)}\n${fence('sh {id=two}', 'echo two')}`);
    assert.deepEqual(problems(site(translated(' checkpoint=":8000을 열어 보세요"'), 'a.mdx', english)), []);
    assert.deepEqual(problems(site(translated(''), 'a.mdx', english)), [
      'ko/a.mdx:5: step "one" differs from a.mdx:5 in its checkpoint; translate the prose around a step, never the step',
    ]);
  });

  it('names a missing step and where it belongs', () => {
    const ko = chapter('데모', `${fence('sh {id=one}')}\n${fence('output {match=exact}', 'hi')}\n`);
    assert.deepEqual(problems(site(ko)), [
      'ko/a.mdx:5: step "two" (a.mdx:17) is missing after "one"; a translation keeps every step',
    ]);
  });

  it('refuses an added step', () => {
    const ko = chapter(
      '데모',
      `${fence('sh {id=one}')}\n${fence('output {match=exact}', 'hi')}\n${fence('sh {id=two}', 'echo two')}\n${fence('sh {id=extra}')}`,
    );
    assert.deepEqual(problems(site(ko)), ['ko/a.mdx:17: step "extra" is not in a.mdx; a translation adds no steps']);
  });

  it('refuses changed code and changed expected output, naming what changed', () => {
    const ko = chapter(
      '데모',
      `${fence('sh {id=one}', 'echo 안녕')}\n${fence('output {match=exact}', '안녕')}\n${fence('sh {id=two}', 'echo two')}`,
    );
    assert.deepEqual(problems(site(ko)), [
      'ko/a.mdx:5: step "one" differs from a.mdx:7 in its code, expected output; translate the prose around a step, never the step',
    ]);
  });

  it('refuses steps in another order', () => {
    const ko = chapter(
      '데모',
      `${fence('sh {id=two}', 'echo two')}\n${fence('sh {id=one}')}\n${fence('output {match=exact}', 'hi')}`,
    );
    assert.deepEqual(problems(site(ko)), [
      'ko/a.mdx:5: steps are in another order than in a.mdx: "two" stands where "one" should',
    ]);
  });

  it('refuses a missing translation file and a translation of nothing', () => {
    assert.deepEqual(problems(site(undefined)), ['ko/a.mdx:1: no 한국어 translation of a.mdx']);
    assert.deepEqual(problems(site(source, 'b.mdx')), [
      'ko/a.mdx:1: no 한국어 translation of a.mdx',
      'ko/b.mdx:1: a translation of nothing: there is no b.mdx in the source language',
    ]);
  });
});
