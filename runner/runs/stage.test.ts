import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Manifest } from '../../contract/manifest.ts';
import { DEFAULT_TIMEOUT_MS, type Step } from '../../contract/step-schema.ts';
import { missingStage, setsTheStage, stageSteps } from './stage.ts';

const step = (id: string, chapter: string, code: string, extra: Partial<Step> = {}): Step => ({
  id,
  chapter,
  order: 0,
  kind: 'shell',
  lang: 'sh',
  code,
  hash: `h-${id}`,
  source: { file: 'x', line: 1 },
  append: false,
  background: false,
  requires: [],
  stops: [],
  timeoutMs: DEFAULT_TIMEOUT_MS,
  ...extra,
});
const steps = [
  step('start', 'django', 'django-admin startproject myapp'),
  step('settings', 'django', 'ALLOWED_HOSTS = ["*"]', { kind: 'edit' }),
  step('serve', 'django', 'python manage.py runserver 0.0.0.0:8000', { background: true, port: 8000 }),
  step('build', 'django', 'docker image build . -t weweb01'),
  step('run', 'django', 'docker container run -d -p 8000:8000 weweb01', { port: 8000 }),
  step('look', 'django', 'curl -s http://127.0.0.1:8000/ | head'),
  step('stop', 'django', 'docker container stop $(docker container ls -q --filter ancestor=weweb01)'),
  step('network', 'nginx', 'docker network create mynetwork02'),
  step('app', 'nginx', 'docker container run -d --name djangotest \\\n  --network mynetwork02 myweb02'),
  step('query', 'nginx', "psql -U postgres -c 'SELECT username FROM auth_user'"),
  step('download', 'nginx', 'curl -fsSL https://pyenv.run | bash'),
  step('port-forwarding', 'nginx', 'a table', { kind: 'manual' }),
  step('mine', 'compose', 'docker compose up -d'),
];
const manifest: Manifest = {
  version: 1,
  chapters: [
    {
      id: 'django',
      title: 'D',
      order: 1,
      file: 'x',
      steps: steps.filter((s) => s.chapter === 'django').map((s) => s.id),
    },
    {
      id: 'nginx',
      title: 'N',
      order: 2,
      file: 'y',
      steps: steps.filter((s) => s.chapter === 'nginx').map((s) => s.id),
    },
    { id: 'compose', title: 'C', order: 3, file: 'z', steps: ['mine'] },
  ],
  steps,
};
const ids = (list: Step[]) => list.map((s) => s.id);

describe('the stage a chapter starts from', () => {
  it('is made by the steps that leave files, images and networks behind', () => {
    assert.deepEqual(ids(stageSteps(manifest, 'nginx')), ['start', 'settings', 'build']);
  });

  it('leaves out services, published ports, detached containers and what only looks at or acts on them', () => {
    for (const id of ['serve', 'run', 'look', 'stop', 'app', 'query', 'port-forwarding']) {
      assert.equal(setsTheStage(steps.find((s) => s.id === id)!), false, id);
    }
  });

  it('keeps a download with curl (it makes something), and reads a command continued over lines as one', () => {
    assert.equal(setsTheStage(steps.find((s) => s.id === 'download')!), true);
    assert.deepEqual(ids(stageSteps(manifest, 'compose')), ['start', 'settings', 'build', 'network', 'download']);
  });

  it('the first chapter starts from nothing; an unknown chapter is an error that names it', () => {
    assert.deepEqual(stageSteps(manifest, 'django'), []);
    assert.throws(() => stageSteps(manifest, 'nope'), /unknown chapter "nope"/);
  });

  it('is missing where a step never ran, failed, or changed since it passed', () => {
    const last: Record<string, { status: string; hash: string }> = {
      start: { status: 'ok', hash: 'h-start' },
      settings: { status: 'ok', hash: 'an older version' },
      build: { status: 'failed', hash: 'h-build' },
      network: { status: 'skipped', hash: 'h-network' },
    };
    assert.deepEqual(ids(missingStage(manifest, 'compose', (id) => last[id])), ['settings', 'build', 'download']);
  });
});
