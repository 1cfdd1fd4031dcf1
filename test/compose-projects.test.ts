/**
 * Reset finds what Docker Compose made by project name (labels.ts), so every compose file a chapter
 * writes must name its project, with a name on that list; and the list names no project that no
 * chapter uses any more.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { collectContent } from '../src/steps/collect.ts';
import { REPO_ROOT } from '../runner/paths.ts';
import { TUTORIAL_COMPOSE_PROJECTS } from '../runner/engine/labels.ts';

const COMPOSE_FILE = /(^|\/)(docker-)?compose\.ya?ml$/;

describe('compose projects of the chapters', () => {
  const manifest = collectContent(path.join(REPO_ROOT, 'content'), REPO_ROOT);
  const composeSteps = manifest.steps.filter((s) => s.kind === 'file' && COMPOSE_FILE.test(s.file ?? ''));

  it('there is at least one compose file in the chapters', () => {
    assert.ok(composeSteps.length > 0);
  });

  it('every compose file names its project with a name Reset knows', () => {
    for (const step of composeSteps) {
      const name = (yaml.load(step.code) as { name?: unknown }).name;
      const where = `${step.source.file}:${step.source.line} (${step.id})`;
      assert.equal(typeof name, 'string', `${where}: a compose file needs a top-level name:`);
      assert.ok(
        TUTORIAL_COMPOSE_PROJECTS.includes(name as string),
        `${where}: project "${String(name)}" is not in TUTORIAL_COMPOSE_PROJECTS (runner/docker/labels.ts)`,
      );
    }
  });

  it('every project Reset knows is used by a chapter', () => {
    const used = composeSteps.map((s) => (yaml.load(s.code) as { name?: string }).name);
    for (const project of TUTORIAL_COMPOSE_PROJECTS) assert.ok(used.includes(project), project);
  });
});
