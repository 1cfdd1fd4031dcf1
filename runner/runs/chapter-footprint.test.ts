import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Manifest } from '../../contract/manifest.ts';
import { DEFAULT_TIMEOUT_MS, type Step } from '../../contract/step-schema.ts';
import { chapterFootprint } from './chapter-footprint.ts';

const step = (id: string, chapter: string, code: string, cwd?: string): Step => ({
  id,
  chapter,
  order: 0,
  kind: 'shell',
  lang: 'sh',
  code,
  hash: id,
  source: { file: 'x', line: 1 },
  append: false,
  background: false,
  requires: [],
  stops: [],
  timeoutMs: DEFAULT_TIMEOUT_MS,
  ...(cwd && { cwd }),
});
const steps = [
  step('a', 'django', 'django-admin startproject myapp', 'ch05/ex02'),
  step('b', 'django', 'python manage.py migrate', 'ch05/ex02/myapp'),
  step('c', 'django', 'docker image build . -t weweb01', 'ch05/ex03'),
  step('d', 'nginx', 'cp -rT ch05/ex03 ch05/ex05/myDjango02', '.'),
  step('e', 'nginx', 'docker image build . -t myweb02', 'ch05/ex05/myDjango02'),
  step('f', 'nginx', 'docker network create mynetwork02', 'ch05/ex05'),
  step('g', 'nginx', 'docker container run -d --name djangotest --network mynetwork02 myweb02', 'ch05/ex05'),
];
const manifest: Manifest = {
  version: 1,
  chapters: [
    { id: 'django', title: 'D', order: 1, file: 'x', steps: ['a', 'b', 'c'] },
    { id: 'nginx', title: 'N', order: 2, file: 'y', steps: ['d', 'e', 'f', 'g'] },
  ],
  steps,
};

describe('chapter footprint', () => {
  it('names the folders, images, containers and networks the chapter’s own steps make', () => {
    assert.deepEqual(chapterFootprint(manifest, 'nginx'), {
      folders: ['ch05/ex05'],
      images: ['myweb02'],
      containers: ['djangotest'],
      networks: ['mynetwork02'],
    });
  });

  it('never names the workspace root, and keeps the outermost folder only', () => {
    assert.deepEqual(chapterFootprint(manifest, 'django').folders, ['ch05/ex02', 'ch05/ex03']);
  });
});
