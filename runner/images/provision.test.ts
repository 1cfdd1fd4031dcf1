import assert from 'node:assert/strict';
import { render } from '../../contract/messages.ts';
import { describe, it } from 'node:test';
import { RECIPE_LABEL, STANDIN_LABEL } from '../engine/labels.ts';
import { decideAction } from './provision.ts';
import { LAB_RECIPE, PYTHON_STANDIN, recipeHash } from './recipes.ts';

const standin = (recipe = PYTHON_STANDIN, hash = recipeHash(recipe)) => ({
  id: 'sha256:1',
  labels: { [STANDIN_LABEL]: 'true', [RECIPE_LABEL]: hash },
  fromRegistry: false,
});
const official = { id: 'sha256:2', labels: {}, fromRegistry: true };
const scratch = { id: 'sha256:3', labels: {}, fromRegistry: false };

describe('what provisioning does with an image', () => {
  it('offline: keeps a current stand-in and builds a missing one', () => {
    assert.equal(decideAction(PYTHON_STANDIN, standin(), 'offline').action, 'keep');
    assert.equal(decideAction(PYTHON_STANDIN, undefined, 'offline').action, 'build-offline');
  });

  it('offline: rebuilds a stand-in whose recipe changed', () => {
    const decision = decideAction(PYTHON_STANDIN, standin(PYTHON_STANDIN, 'old'), 'offline');
    assert.deepEqual(
      { action: decision.action, reason: decision.reason },
      { action: 'build-offline', reason: 'replacing the offline stand-in (not the current stand-in)' },
    );
    // The page shows the same reason in its language.
    assert.equal(render(decision.why, 'ko'), '최신 대체 이미지로 교체(기존: 오프라인 대체 이미지)');
  });

  it('offline: keeps an official image pulled earlier, but replaces another local build of that name', () => {
    assert.equal(decideAction(PYTHON_STANDIN, official, 'offline').action, 'keep');
    assert.equal(decideAction(PYTHON_STANDIN, scratch, 'offline').action, 'build-offline');
  });

  it('online: pulls over a stand-in, keeps a pulled image', () => {
    assert.equal(decideAction(PYTHON_STANDIN, standin(), 'online').action, 'pull');
    assert.equal(decideAction(PYTHON_STANDIN, undefined, 'online').action, 'pull');
    assert.equal(decideAction(PYTHON_STANDIN, official, 'online').action, 'keep');
  });

  it("lab: kept when its recipe is current in either profile, else built the profile's way", () => {
    const lab = { id: 'sha256:4', labels: { [RECIPE_LABEL]: recipeHash(LAB_RECIPE) }, fromRegistry: false };
    assert.equal(decideAction(LAB_RECIPE, lab, 'online').action, 'keep');
    assert.equal(decideAction(LAB_RECIPE, lab, 'offline').action, 'keep');
    assert.equal(decideAction(LAB_RECIPE, undefined, 'online').action, 'build-online');
    assert.equal(decideAction(LAB_RECIPE, scratch, 'offline').action, 'build-offline');
  });
});
