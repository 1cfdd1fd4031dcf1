/**
 * Offline provisioning with the real engine and debootstrap: the first run builds the stand-ins
 * (about a minute each when the .deb cache is cold, and only when they are missing or outdated),
 * the second finds them current and builds nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostDebianMirror } from '../../runner/images/apt-mirror.ts';
import { MIRROR_LABEL, PROFILE_LABEL, RECIPE_LABEL, STANDIN_LABEL } from '../../runner/engine/labels.ts';
import { inspectLocalImage, provision, type ProvisionEvent } from '../../runner/images/provision.ts';
import { NGINX_STANDIN, PYTHON_STANDIN, recipeHash } from '../../runner/images/recipes.ts';

const standins = [PYTHON_STANDIN.image, NGINX_STANDIN.image];

describe('offline provisioning of the stand-ins', { timeout: 600_000 }, () => {
  it('leaves a current, labelled stand-in for python:3.13 and nginx:latest', async () => {
    const events: ProvisionEvent[] = [];
    await provision({ profile: 'offline', images: standins, onProgress: (e) => events.push(e) });
    for (const recipe of [PYTHON_STANDIN, NGINX_STANDIN]) {
      const local = await inspectLocalImage(recipe.image);
      assert.equal(local?.labels[STANDIN_LABEL], 'true', `${recipe.image} is a stand-in`);
      assert.equal(local?.labels[RECIPE_LABEL], recipeHash(recipe));
      assert.equal(local?.labels[MIRROR_LABEL], hostDebianMirror());
      assert.equal(local?.labels[PROFILE_LABEL], 'offline');
      const last = events.filter((e) => e.image === recipe.image).at(-1);
      assert.deepEqual([last?.phase, last?.done, last?.total], ['done', 100, 100]);
    }
  });

  it('builds nothing the second time, in a few seconds', async () => {
    const events: ProvisionEvent[] = [];
    const started = Date.now();
    const outcomes = await provision({ profile: 'offline', images: standins, onProgress: (e) => events.push(e) });
    assert.deepEqual(
      outcomes.map((o) => [o.image, o.action]),
      standins.map((image) => [image, 'keep']),
    );
    assert.deepEqual(new Set(events.map((e) => e.phase)), new Set(['check', 'done']));
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
});
